"""Search answers a marketer's own words, typed into the real search box of both builds.

Each line of PHRASINGS is what a marketer types, and the lesson section that answers it. A
result is one item of the list under the search box: in Material a page with its best section
(its other sections stay folded away), in Zensical one section.

- Material ranks with boosts (mkdocs.yml, docs/glossary.md): the answer comes first, before the
  glossary. "server-side tracking" may come in the top 3: Material's search splits it at the
  hyphen, so "side" alone matches too ("The questions each side asks").
- Zensical has no boosts and ranks a section whose heading matches first: there the answer
  must be in the top 3 (it is first for nearly all).

In both, no common word (the, is, my, why ...) is highlighted in the results, and in Zensical
a hyphenated word (server-side, third-party) is looked up and highlighted whole.
"""

import json
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from sitepages import open_search

# What a marketer types, the section that answers it (page/#heading; the page alone: the lesson
# as a whole; "or": either answers), and where Material must show it (Zensical: in the top 3).
PHRASINGS = [
    ("why is my page slow",                    "how-the-web-works/#why-the-page-is-slow-in-singapore or speed-and-bandwidth/", "first"),
    ("server-side tracking",                   "cookies-and-tracking/#what-replaces-third-party-cookies", "top 3"),
    ("third-party cookie",                     "cookies-and-tracking/#first-party-and-third-party "
                                               "or cookies-and-tracking/#what-replaces-third-party-cookies", "first"),
    ("first-party cookie",                     "cookies-and-tracking/#first-party-and-third-party", "first"),
    ("what is a CDN",                          "caching/#what-a-cdn-adds", "first"),
    ("utm parameters",                         "how-the-web-works/#utm-parameters-live-in-the-query", "first"),
    ("spf dkim dmarc",                         "email-systems/#spf-dkim-and-dmarc-three-checks-three-records", "first"),
    ("native app or pwa",                      "how-apps-work/ or how-apps-work/#three-kinds-of-app-and-a-fourth", "first"),
    ("who owns the data",                      "working-with-it/#who-owns-which-data", "first"),
    ("A/B test",                               "web-analytics/#reading-an-ab-test", "first"),
    ("cache busting",                          "caching/#why-the-old-banner-stays-and-two-fixes-purge-or-cache-busting", "first"),
    ("how long does a purge take",             "caching/#how-long-a-purge-takes", "first"),
    ("why does analytics show fewer visitors", "web-analytics/#why-analytics-shows-fewer-visitors-than-the-server-logs", "first"),
    ("what is a bounce rate",                  "web-analytics/#engagement-bounce-rate-and-conversion-rate", "first"),
    ("ads.txt",                                "ad-management/#who-may-sell-this-site-adstxt-and-sellersjson", "first"),
    ("cookie banner",                          "cookies-and-tracking/ or cookies-and-tracking/#what-the-banner-really-controls", "first"),
]
WITHIN = {"first": 1, "top 3": 3}

# Never highlighted: a result is about the question's subject, not its grammar.
COMMON_WORDS = {"a", "an", "and", "are", "do", "does", "how", "is", "my", "of", "or", "the", "to", "what", "who", "why"}
HYPHENATED = {"server-side tracking": "server-side", "third-party cookie": "third-party", "first-party cookie": "first-party"}

# Per result: its links as the reader sees them (Material folds a page's other sections away
# under "more"), the highlighted words, and how many results there are.
RESULTS = {
    "material": (".md-search-result__item", """items => items.slice(0, 3).map(item => ({
        links: [...item.querySelectorAll("a")].filter(a => !a.closest("details")).map(a => a.href),
        marks: [...item.querySelectorAll("mark")].map(m => m.textContent),
        of: items.length }))"""),
    "zensical": ("[role=listbox] > li", """items => items.slice(0, 3).map(item => ({
        links: [...item.querySelectorAll("a")].map(a => a.href),
        marks: [...item.querySelectorAll("mark")].map(m => m.textContent),
        of: +item.querySelector("[aria-setsize]").getAttribute("aria-setsize") }))"""),
}


def _ask(page, box, engine, phrase):
    """Empty the box and wait for the list to go, then type the phrase as one edit (fill, as a
    paste does, and a key: Material searches on key up, Zensical on input), so that the list
    that comes back answers this phrase and no earlier one."""
    items, read = RESULTS[engine]
    box.fill("")
    box.press("End")
    page.locator(items).first.wait_for(state="detached", timeout=5_000)
    box.fill(phrase)
    box.press("End")
    try:
        page.locator(items).first.wait_for(timeout=5_000)
    except PlaywrightTimeout:
        return []
    for _ in range(20):  # until the first three are drawn (Material draws its first ten at once)
        results = page.locator(items).evaluate_all(read)
        if len(results) >= min(3, results[0]["of"]):
            break
        page.wait_for_timeout(50)
    return results


def _page(link, site_url):
    """caching/#what-a-cdn-adds, from the result's address (which also carries ?h=, the words
    to highlight on the page)."""
    parts = urlsplit(link)
    return parts.path[len(urlsplit(site_url).path):] + (f"#{parts.fragment}" if parts.fragment else "")


def _where(results, answers, site_url):
    """1 for the first result, 2 for the second ...; None when no result shows an answer."""
    for rank, result in enumerate(results, 1):
        if any(_page(link, site_url) in answers for link in result["links"]):
            return rank
    return None


def test_search_answers_marketers_words(browser, site_url, zensical_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    own = {urlsplit(site_url).netloc, urlsplit(zensical_url).netloc, ""}
    context.route(lambda url: urlsplit(url).netloc not in own, lambda route: route.abort())  # offline
    page = context.new_page()
    problems = []
    try:
        for engine, url in (("material", site_url), ("zensical", zensical_url)):
            page.goto(url)
            box = open_search(page)
            for phrase, answer, where in PHRASINGS:
                results = _ask(page, box, engine, phrase)
                rank = _where(results, answer.split(" or "), url)
                where = where if engine == "material" else "top 3"
                if rank is None or rank > WITHIN[where]:
                    shown = [_page(r["links"][-1], url) for r in results if r["links"]]
                    problems.append(f"{engine}: {phrase!r} should show {answer} "
                                    f"{'first' if where == 'first' else 'in the top 3'}; the top 3 are {shown}")
                marked = {word.lower() for result in results for mark in result["marks"] for word in mark.split()}
                if marked & COMMON_WORDS:
                    problems.append(f"{engine}: {phrase!r} highlights common words {sorted(marked & COMMON_WORDS)}")
                whole = HYPHENATED.get(phrase)
                if engine == "zensical" and whole and not any(whole in mark.lower() for r in results for mark in r["marks"]):
                    problems.append(f"zensical: {phrase!r} does not highlight {whole!r} as one word")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_search_finds_the_glossary_a_letter_at_a_time_and_no_sources(built_site, zensical_site):
    """What both engines index: the glossary in one section per letter (not the whole glossary
    as one), and no lesson's Sources, which stay on the page."""
    for engine, site, index, key in (("material", built_site, "search/search_index.json", "docs"),
                                     ("zensical", zensical_site, "search.json", "items")):
        sections = {s["location"]: s["text"] for s in json.loads((site / index).read_text())[key]}
        glossary = [location for location in sections if location.startswith("glossary/#")]
        assert len(glossary) >= 20 and "content delivery network" in sections["glossary/#c"], \
            f"{engine}: the glossary is in {len(glossary)} sections"
        assert not [location for location in sections if location.endswith("#sources")], f"{engine} indexes the Sources"
        assert 'id="sources"' in (site / "caching" / "index.html").read_text(), f"{engine} lost the Sources"
        assert 'id="cdn"' in (site / "glossary" / "index.html").read_text(), f"{engine}: a term has no id to link to"
