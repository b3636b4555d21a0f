"""axe-core on the built site, in light and dark mode (its own file so xdist runs it beside the rest)."""

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from martech import anatomy
from sitepages import DESKTOP, PHONE, goto_settled, page_type, site_pages


def pages_to_audit(built_site, part: str) -> list[str]:
    """"pages": every page that is not a notebook's, with one demo and one exercise page;
    "notebooks": the other demo and exercise pages; "kinds": one page of each kind.

    Light mode audits "pages" and "notebooks" (every page, in two files so that xdist runs them
    side by side). Dark mode changes colours, not markup: it checks colours only, on the pages
    that hold every kind of element (pages_for_colours).
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
    """Every kind of element on a page, as NEW_KINDS tells them apart: its tag, classes and style
    attribute, and those of each element it is inside."""

    def __init__(self):
        super().__init__()
        self.stack, self.kinds, self.elements = None, set(), 0  # stack: from <body> on

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements += 1
        kind = tag + "".join("." + name for name in sorted((attrs.get("class") or "").split()))
        if attrs.get("style"):
            kind += f'[style="{attrs["style"]}"]'
        if tag == "body":
            self.stack = []
        elif self.stack is not None:
            self.kinds.add(" < ".join([kind, *reversed(self.stack)]))
            if tag not in VOID:
                self.stack.append(kind)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def pages_for_colours(built_site, pages=None) -> set[str]:
    """The few pages that between them hold every kind of element on the site (greedy set
    cover, cheapest first), where axe checks colour contrast; one page of each type at least.

    Dark mode changes colours only, and an element's colours follow from its kind (NEW_KINDS):
    visiting these pages checks every kind there is, as visiting every page would. Of two pages
    that bring the same new kinds, the smaller one is chosen. ``pages``: only among these
    (default: every page).
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


def test_no_serious_accessibility_problem_on_any_page(audit, site_url, browser):
    """axe-core finds no serious or critical violation in light mode (the rest of the notebook
    pages: test_site_accessibility_notebooks.py; dark mode: test_site_accessibility_dark.py), and
    each page loads cleanly and fits a phone (clean_on_a_phone)."""
    assert_no_serious_problem(audit("pages"), site_url, browser, "light", clean_on_a_phone=True)


# The checks that read colours; the rest read the markup, which is the same in both schemes.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def assert_no_serious_problem(paths, site_url, browser, scheme, only_colours=False, clean_on_a_phone=False):
    """axe on each page: the colour checks on each kind of element once in the walk (the first
    page that has it: NEW_KINDS), every other check on the whole page unless ``only_colours``.

    ``clean_on_a_phone``: also no console error, no failed request, no request to any other host,
    and no sideways scroll once the window is a phone's. (The same walk, as a page load costs
    far more than laying the page out again at another width; test_site_languages checks that
    an Arabic page fits a phone from the start.)"""
    from axe_playwright_python.sync_playwright import Axe

    axe_script = Axe().axe_script
    context = browser.new_context(color_scheme=scheme, viewport=DESKTOP)
    tab = context.new_page()
    found, checked = [], []
    if clean_on_a_phone:
        found = clean_loads(tab, site_url)
    for path in paths:
        if clean_on_a_phone:
            tab.set_viewport_size(DESKTOP)
            goto_settled(tab, urljoin(site_url, path.lstrip("/")))
        else:
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
        tab.evaluate(axe_script)
        runs = []
        if not only_colours:
            runs.append(("document", {"rules": {rule: {"enabled": False} for rule in COLOUR_RULES}}))
        new = tab.evaluate(NEW_KINDS, checked)
        if new:
            checked += new
            runs.append(("window.__newKinds", {"runOnly": COLOUR_RULES}))
        for where, options in runs:
            options["resultTypes"] = ["violations"]
            violations = tab.evaluate(f"options => axe.run({where}, options).then(r => r.violations)", options)
            for violation in violations:
                if violation["impact"] in ("serious", "critical"):
                    nodes = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                    found.append(f"{path} ({scheme}): {violation['id']} at {nodes}")
        if clean_on_a_phone:
            tab.set_viewport_size(PHONE)
            width = tab.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                found.append(f"{path} is {width} px wide on a {PHONE['width']} px phone")
    context.close()
    assert not found, "\n".join(found)


def clean_loads(tab, site_url) -> list[str]:
    """The list that fills with what goes wrong as ``tab`` loads pages: console errors, script
    errors, failed requests, answers of 400 and above, and any request to another host."""
    own_host = urlsplit(site_url).netloc
    trouble = []
    tab.on("console", lambda m: m.type == "error" and trouble.append(f"console: {m.text}"))
    tab.on("pageerror", lambda e: trouble.append(f"script error: {e}"))
    # A request cut short because the test moved on to the next page is not the site's fault.
    tab.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and trouble.append(f"failed: {r.url}"))
    tab.on("request", lambda r: urlsplit(r.url).netloc not in (own_host, "")
           and not r.url.startswith("data:") and trouble.append(f"external: {r.url}"))
    tab.on("response", lambda r: r.status >= 400 and trouble.append(f"{r.status}: {r.url}"))
    return trouble


# A text's colour and the background behind it come from the style sheets, which pick them by the
# tags and classes of the element and of the elements around it (a link in a warning box, a
# keyword in a code block), or from its own style attribute. So axe's colour checks, most of its
# time on a page of code, look at the first element of each kind: the same tags, classes and
# style, up every ancestor to <body>, as one already checked means the same colours. Sets
# window.__newKinds (for axe.run) and returns the kinds it adds to ``known``.
NEW_KINDS = """known => {
  const kind = e => e.tagName.toLowerCase() + [...e.classList].sort().map(c => "." + c).join("")
                    + (e.getAttribute("style") ? `[style="${e.getAttribute("style")}"]` : "");
  const seen = new Set(known), picked = [], kinds = [];
  for (const element of document.body.querySelectorAll("*")) {
    const chain = [];
    for (let e = element; e !== document.body; e = e.parentElement) chain.push(kind(e));
    const k = chain.join(" < ");
    if (!seen.has(k)) { seen.add(k); picked.push(element); kinds.push(k); }
  }
  // axe checks what it includes and everything inside: leave out the children not picked.
  const chosen = new Set(picked);
  window.__newKinds = {include: picked, exclude: picked.flatMap(e => [...e.children].filter(c => !chosen.has(c)))};
  return kinds;
}"""


def tiny_site(folder, pages: dict[str, str], head: str = ""):
    """A site of a few pages, {name: the body's HTML}, each at name/, to prove the walk finds what it should."""
    for name, body in pages.items():
        (folder / name).mkdir()
        (folder / name / "index.html").write_text(
            f"<!doctype html><html lang='en'><head><title>{name}</title>{head}</head>"
            f"<body><main><h1>{name}</h1>{body}</main></body></html>")
    return folder


def test_colours_are_checked_on_each_kind_of_element_where_it_first_appears(tmp_path, browser):
    """The walk checks colours once per kind, so a kind seen before is not checked again, but the
    same tag inside a box of another class is another kind, and there a pale text is found."""
    from conftest import _serve

    style = "<style>.pale p { color: #d0d0d0 }</style>"
    pages = {"first": "<p>Readable text.</p><div class='box'><p>Readable too.</p></div>",
             "second": "<p>Readable text.</p><div class='box pale'><p>Too pale to read.</p></div>"}
    for url in _serve(tiny_site(tmp_path, pages, style)):
        with pytest.raises(AssertionError) as failure:
            assert_no_serious_problem(["first/", "second/"], url, browser, "light")
        assert str(failure.value).splitlines()[0].startswith("second/ (light): color-contrast at ")


def test_the_walk_finds_a_page_too_wide_for_a_phone_and_a_script_error(tmp_path, browser):
    from conftest import _serve

    pages = {"wide": "<div style='width: 600px'>A table laid out for a laptop.</div>",
             "broken": "<script>undefinedFunction()</script><p>Fine to look at.</p>",
             "fine": "<p>Fine.</p>"}
    for url in _serve(tiny_site(tmp_path, pages)):
        with pytest.raises(AssertionError) as failure:
            assert_no_serious_problem(["wide/", "broken/", "fine/"], url, browser, "light", clean_on_a_phone=True)
        found = str(failure.value).split("\nassert ")[0].splitlines()
        assert [line.strip() for line in found] == ["wide/ is 608 px wide on a 375 px phone",
                                                    "script error: undefinedFunction is not defined"], found
