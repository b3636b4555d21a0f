"""Helpers shared by the site tests (not a test file)."""

import re
import time
from urllib.parse import urljoin, urlsplit


PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 720}  # Playwright's own window


def page_type(path: str, slugs: list[str]) -> str:
    """home, demo, exercise, lesson (a module's, in any language) or other; ``slugs``: the modules'."""
    parts = path.strip("/").split("/")
    if parts == [""]:
        return "home"
    if parts[-1] in ("demo", "exercise"):
        return parts[-1]
    return "lesson" if parts[-1] in slugs else "other"


def one_of_each_type(pages: list[str], slugs: list[str], languages: list[str]) -> list[str]:
    """The first page of each type (page_type) in each language: the pages' templates differ by
    type and their words by language, and nothing else does."""
    first = {}
    for path in pages:
        top, _, rest = path.partition("/")
        language, path_in_it = (top, rest) if top in languages else ("", path)
        first.setdefault((language, page_type(path_in_it, slugs)), path)
    return list(first.values())


def site_pages(built_site):
    return sorted(str(p.parent.relative_to(built_site)).replace(".", "") + "/"
                  for p in built_site.rglob("index.html") if p.parent.name != "404")


# The tests' Chromium has no network but 127.0.0.1: it sends every request for another host
# (a name or an address) to a proxy that is not there, and Chromium never proxies 127.0.0.1.
# Cut at launch rather than by Playwright routes, which turn off the browser's cache: with them
# each page fetched and compiled the theme's scripts again, as no reader's browser does (a
# fifty-page walk took 40% more CPU). The site tests still list every request to another host.
NO_NETWORK = "--proxy-server=http://127.0.0.1:9"


def goto_settled(page, url, quiet_ms=100, timeout_ms=15_000):
    """Open ``url`` and return once no request has been in flight for ``quiet_ms``.

    Playwright's "networkidle" waits a fixed 500 ms of quiet on every page; over some fifty pages,
    each checked in two engines and two colour schemes, that wait alone would cost minutes.
    """
    pending = set()
    started = lambda request: pending.add(request)
    ended = lambda request: pending.discard(request)
    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    try:
        page.goto(url, wait_until="load")
        quiet_since, deadline = None, time.monotonic() + timeout_ms / 1000
        while time.monotonic() < deadline:
            page.wait_for_timeout(20)  # lets Playwright deliver the request events
            if pending:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_ms / 1000:
                return
        raise AssertionError(f"{url} still had requests in flight after {timeout_ms} ms: "
                             + ", ".join(r.url for r in pending))
    finally:
        page.remove_listener("request", started)
        page.remove_listener("requestfinished", ended)
        page.remove_listener("requestfailed", ended)


def wait_until_drawn(page):
    """Wait until the page's own script (overrides/main.html) has drawn back every block that
    course.css let the browser skip at first; until then those blocks change size as they are drawn."""
    page.wait_for_function("() => !document.querySelector('.md-typeset > :not(.drawn)')", timeout=10_000)


# Material asks for search/search_index.json, Zensical for search.json.
SEARCH_INDEX = re.compile(r"/search(/search_index)?\.json(\?|$)")


# Material's box in the header; Zensical's in its search dialog (in a shadow root, which
# Playwright's CSS reaches into).
SEARCH_INPUT = ".md-search__input:visible, dialog[open] input[role=combobox]"


def open_search(page):
    """Open search as a reader does, by clicking it: Material's box in the header, or the
    search button (a phone, or Zensical, whose search is a dialog). Returns the input once it
    has the focus: Zensical draws its dialog once the index has come and focuses the input a
    moment later, and keys typed before then go nowhere."""
    page.locator("label[for=__search]:visible, .md-search__input:visible, .md-search__button:visible").first.click()
    box = page.locator(SEARCH_INPUT).first
    box.wait_for(timeout=10_000)
    # In a shadow root the document's activeElement is the root's host, not the input.
    page.wait_for_function("box => box.getRootNode().activeElement === box", arg=box.element_handle(), timeout=10_000)
    return box


def search_result_links(page):
    """Result links, in both engines' markup (Zensical's sit in a shadow root; Playwright's CSS
    reaches into it)."""
    return page.locator(".md-search-result__item a, [role=listbox] a[role=option]")


def search_finds(page, path, top=None, timeout=10_000):
    """Wait until `path` is among the (first `top`) results and return the results' paths.
    The list is redrawn as each typed character's results come (the first characters' results
    can show before the whole word's), so it is read in one go, never item by item."""
    found = []
    for _ in range(timeout // 200):
        hrefs = search_result_links(page).evaluate_all("links => links.map(a => a.getAttribute('href'))")
        found = [urlsplit(urljoin(page.url, h)).path for h in hrefs][:top]
        if any(path in f for f in found):
            break
        page.wait_for_timeout(200)
    return found
