"""axe-core in dark mode, beside the light-mode audit (its own file: xdist gives each file one worker)."""

from test_site_accessibility import assert_no_serious_problem, audit, colour_pages  # noqa: F401 (fixtures)


def test_no_serious_accessibility_problem_in_dark_mode(audit, colour_pages, site_url, browser):
    """Colours only, on the pages that hold every kind of element (one of each type among them);
    the markup is the same in both schemes, and light mode checks the rest on every page."""
    pages = sorted(colour_pages) if colour_pages is not None else audit("kinds")
    assert_no_serious_problem(pages, site_url, browser, "dark", only_colours=True)
