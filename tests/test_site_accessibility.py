"""axe-core on the built site, in light and dark mode (its own file so xdist runs it beside the rest)."""

import re
from urllib.parse import urljoin

import pytest

from sitepages import cut_the_network, site_pages


def pages_to_audit(built_site, part: str) -> list[str]:
    """"pages": every page that is not a notebook's, with one demo and one exercise page;
    "notebooks": the other demo and exercise pages; "kinds": one page of each kind.

    Light mode audits "pages" and "notebooks" (every page, in two files so that xdist runs them
    side by side). Dark mode changes colours, not templates: it audits "kinds", every page that is
    not a module's and the first module's lesson, demo and exercise, plus the pages that hold every
    colour of highlighted code (pages_for_code_colours).
    """
    pages = site_pages(built_site)
    generated = [p for p in pages if p.endswith(("/demo/", "/exercise/"))]
    sample = [next(p for p in generated if p.endswith(kind)) for kind in ("/demo/", "/exercise/")]
    if part == "notebooks":
        return [p for p in generated if p not in sample]
    if part == "kinds":
        slugs = {p.split("/")[0] for p in generated}
        first = sample[0].split("/")[0]
        return [p for p in pages if p.split("/")[0] not in slugs or p.split("/")[0] == first]
    return [p for p in pages if p not in generated] + sample


CODE_BLOCK = re.compile(r'<div class="[^"]*\bhighlight\b[^"]*"><pre.*?</pre>', re.S)
TOKEN = re.compile(r'<span class="([\w-]+)"')


def pages_for_code_colours(built_site) -> set[str]:
    """The few pages whose code blocks, between them, hold every kind of highlighted token on
    the site (greedy set cover).

    A code block's colours come from one stylesheet per scheme, one per kind of token (keyword,
    string, comment ...). Checking every kind once finds what checking every block would, and the
    colour-contrast check on a page of code costs twice what the rest of the page does.
    """
    kinds = {}
    for path in site_pages(built_site):
        html = (built_site / path.strip("/") / "index.html").read_text(encoding="utf-8")
        kinds[path] = set(TOKEN.findall("".join(CODE_BLOCK.findall(html))))
    needed, chosen = set().union(*kinds.values()), set()
    while needed:
        best = max(kinds, key=lambda path: len(kinds[path] & needed))
        chosen.add(best)
        needed -= kinds[best]
    return chosen


@pytest.fixture
def audit(built_site):
    return lambda part: pages_to_audit(built_site, part)


@pytest.fixture
def code_pages(built_site):
    return pages_for_code_colours(built_site)


def test_no_serious_accessibility_problem_on_any_page(audit, code_pages, site_url, browser):
    """axe-core finds no serious or critical violation in light mode (the rest of the notebook
    pages: test_site_accessibility_notebooks.py; dark mode: test_site_accessibility_dark.py)."""
    assert_no_serious_problem(audit("pages"), site_url, browser, "light", code_pages)


def assert_no_serious_problem(paths, site_url, browser, scheme, code_pages=None):
    """axe on each page; with ``code_pages``, code blocks only there (pages_for_code_colours)."""
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
        leave_out = None if code_pages is None or path in code_pages else {"exclude": [[".highlight"]]}
        for violation in axe.run(tab, context=leave_out).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                where = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                found.append(f"{path} ({scheme}): {violation['id']} at {where}")
    context.close()
    assert not found, "\n".join(found)
