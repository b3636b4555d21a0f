"""axe-core in dark mode, beside the light-mode audit (its own file: xdist gives each file one worker)."""

from test_site_accessibility import assert_no_serious_problem, audit  # noqa: F401 (audit: a fixture)


def test_no_serious_accessibility_problem_in_dark_mode(audit, site_url, browser):
    assert_no_serious_problem(audit("pages"), site_url, browser, "dark")
