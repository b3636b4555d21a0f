"""axe-core on the built site, in light and dark mode (its own file so xdist runs it beside the rest)."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest

from martech import anatomy
from sitepages import page_type, site_pages


def pages_to_audit(built_site, part: str) -> list[str]:
    """"pages": every page that is not a notebook's, with one demo and one exercise page;
    "notebooks": the other demo and exercise pages; "kinds": one page of each kind.

    Light mode audits "pages" and "notebooks" (every page, in two files so that xdist runs them
    side by side), its colours on the pages that hold every kind of element (pages_for_colours).
    Dark mode changes colours, not markup: it checks colours only, on those same pages.
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


class _Kinds(HTMLParser):
    """Every kind of element on a page: its tag and classes, after its parent's."""

    def __init__(self):
        super().__init__()
        self.stack, self.kinds, self.elements = ["body"], set(), 0

    def handle_starttag(self, tag, attrs):
        self.elements += 1
        classes = ".".join(sorted((dict(attrs).get("class") or "").split()))
        kind = f"{tag}.{classes}" if classes else tag
        self.kinds.add(f"{self.stack[-1]} > {kind}")
        if tag not in VOID:
            self.stack.append(kind)

    def handle_endtag(self, tag):
        if tag not in VOID and len(self.stack) > 1:
            self.stack.pop()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def pages_for_colours(built_site, pages=None) -> set[str]:
    """The few pages that between them hold every kind of element on the site (greedy set
    cover, cheapest first), where axe checks colour contrast; one page of each type at least.

    A colour comes from the style sheets, which pick it by an element's tag and classes and those
    of its parent (a link in an admonition's title, a keyword in a code block, a quiz's button):
    checking each kind once finds what checking every page would. The contrast check is most of
    axe's time, about three times the other checks, and grows with the page: of two pages that
    bring the same new kinds, the smaller one is chosen. Every other check runs on every page.
    ``pages``: only among these (default: every page).
    """
    kinds, size = {}, {}
    for path in pages or site_pages(built_site):
        parser = _Kinds()
        parser.feed((built_site / path.strip("/") / "index.html").read_text(encoding="utf-8"))
        kinds[path], size[path] = parser.kinds, parser.elements
    needed, chosen = set().union(*kinds.values()), set()
    while needed:
        best = max(kinds, key=lambda path: len(kinds[path] & needed) / size[path])
        chosen.add(best)
        needed -= kinds[best]
    slugs = anatomy.module_slugs(anatomy.project_root())
    types = {path: page_type(path, slugs) for path in kinds}
    for kind in set(types.values()) - {types[path] for path in chosen}:
        chosen.add(min((path for path in kinds if types[path] == kind), key=size.get))
    return chosen


@pytest.fixture
def audit(built_site):
    return lambda part: pages_to_audit(built_site, part)


@pytest.fixture
def colour_pages(built_site):
    return pages_for_colours(built_site)


def test_no_serious_accessibility_problem_on_any_page(audit, colour_pages, site_url, browser):
    """axe-core finds no serious or critical violation in light mode (the rest of the notebook
    pages: test_site_accessibility_notebooks.py; dark mode: test_site_accessibility_dark.py)."""
    assert_no_serious_problem(audit("pages"), site_url, browser, "light", colour_pages)


# The checks that read colours; the rest read the markup, which is the same in both schemes.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def assert_no_serious_problem(paths, site_url, browser, scheme, colour_pages=None, only_colours=False):
    """axe on each page; with ``colour_pages``, the colour checks only there (pages_for_colours);
    with ``only_colours``, nothing but them."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    tab = context.new_page()
    found = []
    for path in paths:
        tab.goto(urljoin(site_url, path.lstrip("/")), wait_until="load")
        # Long pages draw their lower blocks once idle (course.css, overrides/main.html); axe,
        # like a reader, needs every block in its real place. Drawn here at once, to the same end
        # (test_site.py waits for the page's own script to draw a long lesson).
        tab.evaluate("document.querySelectorAll('.md-typeset > *').forEach(b => b.classList.add('drawn'))")
        # A block drawn late can still be fading its link colour from the light scheme's (its
        # style was last worked out before the theme turned dark; under load axe read it halfway).
        # getAnimations() works styles out first, so it sees the fades this drawing started.
        tab.evaluate("Promise.all(document.getAnimations().filter(a => a instanceof CSSTransition)"
                     ".map(a => a.finished.catch(() => null)))")
        options = {"resultTypes": ["violations"]}
        if only_colours:
            options["runOnly"] = COLOUR_RULES
        elif colour_pages is not None and path not in colour_pages:
            options["rules"] = {rule: {"enabled": False} for rule in COLOUR_RULES}
        for violation in axe.run(tab, options=options).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                where = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                found.append(f"{path} ({scheme}): {violation['id']} at {where}")
    context.close()
    assert not found, "\n".join(found)
