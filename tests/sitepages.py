"""Helpers shared by the site tests (not a test file)."""

import re
from urllib.parse import urlsplit


def site_pages(built_site):
    return sorted(str(p.parent.relative_to(built_site)).replace(".", "") + "/"
                  for p in built_site.rglob("index.html") if p.parent.name != "404")


def cut_the_network(context, site_url):
    """Abort every request that is not to the site itself: the site must work offline."""
    own = urlsplit(site_url).netloc
    context.route(lambda url: urlsplit(url).netloc not in (own, ""), lambda route: route.abort())


# Material asks for search/search_index.json, Zensical for search.json.
SEARCH_INDEX = re.compile(r"/search(/search_index)?\.json(\?|$)")


def open_search(page):
    """Open search as a reader does, by clicking it: Material's box in the header, or the
    search button (a phone, or Zensical, whose search is a dialog)."""
    page.locator("label[for=__search]:visible, .md-search__input:visible, .md-search__button:visible").first.click()


def search_result_links(page):
    """Result links, in both engines' markup (Zensical's sit in a shadow root; Playwright's CSS
    reaches into it)."""
    return page.locator(".md-search-result__item a, [role=listbox] a[role=option]")
