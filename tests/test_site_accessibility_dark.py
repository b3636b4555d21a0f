"""axe-core in dark mode, beside the light-mode audit (its own file: xdist gives each file one worker)."""

from test_site_accessibility import assert_no_serious_problem, audit, code_pages  # noqa: F401 (fixtures)


def test_no_serious_accessibility_problem_in_dark_mode(audit, code_pages, site_url, browser):
    pages = audit("kinds")
    assert_no_serious_problem(pages + sorted(set(code_pages or ()) - set(pages)), site_url, browser, "dark", code_pages)
