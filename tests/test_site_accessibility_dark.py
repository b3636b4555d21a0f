"""axe-core in dark mode, beside the light-mode audit (its own file: xdist gives each file one worker)."""

from test_site_accessibility import assert_no_serious_problem, audit, colour_pages  # noqa: F401 (fixtures)


def test_no_serious_accessibility_problem_in_dark_mode(audit, colour_pages, site_url, browser):
    pages = audit("kinds")
    pages = pages + sorted(set(colour_pages or ()) - set(pages))
    assert_no_serious_problem(pages, site_url, browser, "dark", only_colours=True)
