"""The translations as a reader meets them, in the built site: each language under its own prefix,
in its own language and direction, linking into the English site where a page is not translated.

The site-wide gates (no console error, no failed or external request, no phone overflow, axe in
both schemes, links) cover these pages already: they check every page the build writes.
"""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from martech import anatomy, translations
from martech.build import glossary_entries

# Every folder under i18n/: a new language must be in mkdocs.yml extra.alternate too (the switcher).
LANGUAGES = translations.languages(anatomy.project_root())
PAGES = [translations.address(page).strip("/") for page in translations.REQUIRED]


def _url(lang: str, page: str) -> str:
    return f"{lang}/{page}/" if page else f"{lang}/"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_translated_page_is_built_in_its_language(built_site, lang):
    for page in PAGES:
        html = (built_site / _url(lang, page) / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}"' in html, f"{_url(lang, page)} does not say it is in {lang}"
        assert ('dir="rtl"' in html) == (lang == "ar"), f"{_url(lang, page)}: only Arabic reads right to left"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_link_of_a_translation_leads_somewhere(built_site, site_url, lang):
    """Links to pages not yet translated go to the English page one folder up; none is broken."""
    broken = []
    for page in PAGES:
        address = urljoin(site_url, _url(lang, page))
        html = (built_site / _url(lang, page) / "index.html").read_text(encoding="utf-8")
        for link in re.findall(r'<a [^>]*href="([^"#]+)', html):
            target = urlsplit(urljoin(address, link.replace("&amp;", "&")))
            if target.netloc != urlsplit(site_url).netloc:
                continue
            path = built_site / target.path.lstrip("/")
            if not (path.is_file() or (path / "index.html").is_file()):
                broken.append(f"{_url(lang, page)} links to {link}, which is not in the site")
    assert not broken, "\n".join(broken)


def test_the_course_map_links_translated_modules_here_and_the_rest_to_english(built_site):
    html = (built_site / "fi" / "index.html").read_text(encoding="utf-8")
    assert 'class="course-card-title"><a href="how-the-web-works/">' in html
    assert 'class="course-card-title"><a href="../caching/">' in html


@pytest.mark.parametrize("width", [375, 1280])
def test_arabic_reads_right_to_left_with_code_and_addresses_left_to_right(site_url, browser, width, tmp_path):
    """On a phone and a laptop; the screenshots stay in pytest's temporary folder to look at."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(urljoin(site_url, "ar/how-the-web-works/"))
    heading = page.locator("article h1").bounding_box()
    column = page.locator("article").bounding_box()
    # Right to left: the heading starts at the article's right edge.
    assert column["x"] + column["width"] - (heading["x"] + heading["width"]) < 40
    assert page.locator("article").evaluate("e => getComputedStyle(e).direction") == "rtl"
    code = page.locator("article pre code").first
    assert code.evaluate("e => getComputedStyle(e).direction") == "ltr", "code reads left to right"
    assert code.inner_text().lstrip().startswith(("GET", "HTTP", "curl", "http", "$", ">", "<", "import", "from"))
    inline = page.locator("article p code").first
    assert inline.evaluate("e => getComputedStyle(e).direction") == "ltr", "inline code and addresses too"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=tmp_path / f"ar-{width}.png", full_page=False)
    context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_glossary_term_shows_its_definition_in_the_readers_language(root, site_url, browser, lang):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(urljoin(site_url, f"{lang}/how-the-web-works/"))
    term = page.locator("article abbr[title]").first
    definition = term.get_attribute("title")
    term.evaluate("t => t.id = 'pointed-at'")
    page.locator("#pointed-at").hover()
    tooltip = page.get_by_role("tooltip")
    tooltip.wait_for()
    assert tooltip.inner_text() == definition
    # In the reader's language: none of the English glossary's definitions.
    english = {meaning.strip() for _, meaning in glossary_entries(root / "docs" / "glossary.md")}
    assert definition.strip() not in english
    context.close()


def switcher_problems(site) -> list[str]:
    """On every page: the switcher lists English and every translation, each link to that
    language's copy of this page where every language has it, else to that language's home page
    (overrides/main.html says why the head names no alternate)."""
    from sitepages import site_pages

    found = []
    for path in site_pages(site):
        top = path.split("/")[0]
        lang, inside = (top, path[len(top) + 1:]) if top in LANGUAGES else ("en", path.lstrip("/"))
        translated = inside.strip("/") in PAGES
        html = (site / path.strip("/") / "index.html").read_text(encoding="utf-8")
        base = f"https://course.test/{path.lstrip('/')}"
        links = dict((hreflang, href) for href, hreflang in
                     re.findall(r'<a href="([^"]*)" hreflang="([^"]+)"[^>]*class="md-select__link"', html))
        if sorted(links) != sorted(["en", *LANGUAGES]):
            found.append(f"{path}: the switcher lists {sorted(links)}")
        for other, href in links.items():
            want = (f"{other}/" if other != "en" else "") + (inside if translated else "")
            if urlsplit(urljoin(base, href)).path != f"/{want}":
                found.append(f"{path}: the {other} link leads to {href}, not to /{want}")
        if re.search(r'<link rel="alternate"(?! type=)', html):
            found.append(f"{path}: names an alternate in its head, under which the theme's script looks for a sitemap")
    return found


def test_the_switcher_links_each_page_to_its_translations(built_site):
    assert not switcher_problems(built_site), "\n".join(switcher_problems(built_site))


def test_the_switcher_leads_from_a_lesson_to_the_same_lesson_in_arabic(site_url, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(urljoin(site_url, "how-the-web-works/"))
    page.locator(".md-select").hover()
    page.get_by_role("link", name="العربية").click()
    page.wait_for_url(urljoin(site_url, "ar/how-the-web-works/"))
    assert page.locator("html").get_attribute("lang") == "ar" and page.locator("body").get_attribute("dir") == "rtl"
    page.locator(".md-select").hover()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(urljoin(site_url, "how-the-web-works/"))
    context.close()


def test_a_translations_pages_have_addresses_under_its_own_folder():
    """With the site's address set (COURSE_SITE_URL, as the hosted workflow sets it), a Finnish
    page's canonical address and sitemap entry are under fi/, not the English page's."""
    from martech.engines import _language

    env = _language({"COURSE_SITE_URL": "https://example.org/course"}, "fi")
    assert env["COURSE_SITE_URL"] == "https://example.org/course/fi/"
    assert env["COURSE_SNIPPETS"] == "build/snippets/fi"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_translated_lesson_speaks_the_readers_language(root, site_url, browser, lang):
    """The lesson's frame, its quiz, its progress box and its diagrams in the reader's language
    (mkdocs.<lang>.yml extra.ui; tests/test_translations.py: no word left out)."""
    from playwright.sync_api import expect

    words = translations.interface(root, lang)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(urljoin(site_url, f"{lang}/how-the-web-works/"))
    assert page.locator(".objectives .admonition-title").inner_text() == words["in_this_module"]
    assert page.locator("figure.diagram figcaption a").first.inner_text() == words["open_diagram"]
    question = page.locator("form[data-quiz]").first
    question.get_by_role("button", name=words["check_my_answer"]).click()
    feedback = question.locator(".quiz-feedback")
    expect(feedback).to_have_text(words["script"]["choose_first"])
    question.locator("input[data-correct=no]").first.check()
    question.get_by_role("button", name=words["check_my_answer"]).click()
    assert feedback.inner_text().startswith(words["script"]["not_quite"])
    page.get_by_label(words["mark_demo"]).check()
    expect(page.locator(".practise .progress-message")).to_contain_text(words["script"]["demo_done"])
    context.close()


@pytest.mark.parametrize("lang, words", [("zh", "状态码"), ("th", "รหัสสถานะ")])
def test_search_finds_a_word_inside_a_sentence_without_spaces(site_url, browser, lang, words):
    """Chinese and Thai write no spaces between words: "status code" sits inside sentences.
    Material cuts Chinese into words as it builds (jieba) and Thai as it searches (its lunr.th);
    Zensical (test_site_zensical.py runs this too) matches inside the text."""
    from sitepages import open_search, search_finds

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(urljoin(site_url, f"{lang}/"))
    open_search(page)
    # Playwright types characters a US keyboard has not with no key events, only input, and
    # Material reads the box on a key's release: a reader's input method (IME) ends the word with
    # a key, as End does here.
    page.keyboard.type(words)
    page.keyboard.press("End")
    found = search_finds(page, f"/{lang}/how-the-web-works/", top=3)
    assert f"/{lang}/how-the-web-works/" in found, found
    context.close()


def test_an_arabic_page_fits_a_phone_before_its_scripts_run(site_url, browser):
    """Laid out from the right, a page that is wider than the screen for a moment jumps sideways
    when it fits (the closed language list once stuck out on Zensical: a layout shift of 0.09)."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=False)
    page = context.new_page()
    for path in ("ar/", "ar/how-the-web-works/"):
        page.goto(urljoin(site_url, path))
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, f"{path} is wider than the phone"
    context.close()
