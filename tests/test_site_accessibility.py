"""axe-core on the built site, in light and dark mode (its own file so xdist runs it beside the rest)."""

from urllib.parse import urljoin

import pytest

from sitepages import cut_the_network, site_pages


def pages_to_audit(built_site, part: str) -> list[str]:
    """"pages": every page that is not a notebook's, with one demo and one exercise page;
    "notebooks": the other demo and exercise pages.

    Light mode audits both parts (every page, in two files so that xdist runs them side by
    side); dark mode the first. Dark mode changes colours, not templates, and the demo and
    exercise pages all come from one template: one of each finds what every one of them would.
    """
    pages = site_pages(built_site)
    generated = [p for p in pages if p.endswith(("/demo/", "/exercise/"))]
    sample = [next(p for p in generated if p.endswith(kind)) for kind in ("/demo/", "/exercise/")]
    if part == "notebooks":
        return [p for p in generated if p not in sample]
    return [p for p in pages if p not in generated] + sample


@pytest.fixture
def audit(built_site):
    return lambda part: pages_to_audit(built_site, part)


def test_no_serious_accessibility_problem_on_any_page(audit, site_url, browser):
    """axe-core finds no serious or critical violation in light mode (the rest of the notebook
    pages: test_site_accessibility_notebooks.py; dark mode: test_site_accessibility_dark.py)."""
    assert_no_serious_problem(audit("pages"), site_url, browser, "light")


def assert_no_serious_problem(paths, site_url, browser, scheme):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    cut_the_network(context, site_url)
    tab = context.new_page()
    found = []
    for path in paths:
        tab.goto(urljoin(site_url, path.lstrip("/")), wait_until="load")
        # Long pages draw their lower blocks once idle (course.css, overrides/main.html); axe,
        # like a reader, needs every block in its real place. Drawn here at once, to the same end
        # (test_site.py waits for the page's own script to draw a long lesson).
        tab.evaluate("document.querySelectorAll('.md-typeset > *').forEach(b => b.classList.add('drawn'))")
        for violation in axe.run(tab).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                where = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                found.append(f"{path} ({scheme}): {violation['id']} at {where}")
    context.close()
    assert not found, "\n".join(found)
