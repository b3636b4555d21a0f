"""axe-core in light mode on the demo and exercise pages that test_site_accessibility.py leaves out
(its own file: xdist gives each file one worker, so the two halves run side by side)."""

from test_site_accessibility import assert_no_serious_problem, audit  # noqa: F401 (a fixture)


def test_no_serious_accessibility_problem_on_the_other_notebook_pages(audit, site_url, browser):
    pages = audit("notebooks")
    assert len(pages) >= 10, pages
    assert_no_serious_problem(pages, site_url, browser, "light", clean_on_a_phone=True)
