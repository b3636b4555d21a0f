"""The built site in a real Chromium: what a marketer sees on a phone or a laptop."""

from urllib.parse import urljoin

import nbformat
import pytest
from playwright.sync_api import expect

from martech import anatomy
from sitepages import PHONE, SEARCH_INDEX, open_search, search_finds, search_result_links, wait_until_drawn


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    tab = context.new_page()
    yield tab
    context.close()


def test_search_finds_the_module(site_url, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url)
    open_search(page)
    page.keyboard.type("status code")
    found = search_finds(page, "/how-the-web-works/")
    assert any("/how-the-web-works/" in f for f in found), found


def test_search_opens_from_the_keyboard(site_url, page):
    """/ opens search, and so does Ctrl+K where the search button says so (Zensical's), though
    the index waits until the reader asks for it (overrides/main.html)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url)
    # Zensical's search button (Material has none: it has a box) shows Ctrl+K beside "Search".
    for key in ["/"] + (["Control+k"] if page.locator(".md-search__button").count() else []):
        page.goto(site_url)
        page.keyboard.press(key)
        page.locator(".md-search__input:focus, dialog[open] input").first.wait_for(timeout=10_000)
        page.keyboard.type("cookie banner")
        search_result_links(page).first.wait_for(timeout=10_000)


def test_quiz_gives_feedback_for_wrong_and_right_answers(site_url, page):
    page.goto(urljoin(site_url, "how-the-web-works/"))
    question = page.locator("form[data-quiz]").first
    question.get_by_role("button", name="Check my answer").click()
    assert question.locator(".quiz-feedback").inner_text() == "Choose an answer first."
    wrong = question.locator("input[data-correct=no]").first
    wrong.check()
    question.get_by_role("button", name="Check my answer").click()
    assert question.locator(".quiz-feedback").inner_text().startswith("✘ Not quite.") or \
        question.locator(".quiz-feedback").inner_text().startswith("Not quite.")
    right = question.locator("input[data-correct=yes]")
    right.check()
    question.get_by_role("button", name="Check my answer").click()
    feedback = question.locator(".quiz-feedback")
    assert feedback.inner_text().startswith("Right.") and len(feedback.inner_text()) > 20
    assert feedback.get_attribute("role") == "status"


def test_quiz_works_by_keyboard(site_url, page):
    page.goto(urljoin(site_url, "how-the-web-works/"))
    first_option = page.locator("form[data-quiz] input[type=radio]").first
    first_option.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.locator("form[data-quiz] .quiz-feedback").first.inner_text() != ""


def test_lesson_shows_its_front_matter(site_url, page):
    page.goto(urljoin(site_url, "how-the-web-works/"))
    assert page.locator(".admonition.objectives li").count() >= 3
    assert "minutes" in page.locator(".lesson-time").inner_text()
    assert page.locator(".admonition.key-points li").count() >= 3


def test_a_long_lesson_draws_every_block_back_once_idle(site_url, page):
    """course.css lets the browser skip the blocks below the first screen while the theme starts;
    the page's own script (overrides/main.html) must then draw every one of them back."""
    page.goto(urljoin(site_url, "caching/"), wait_until="load")
    assert page.locator(".md-typeset > *").count() > 40
    wait_until_drawn(page)
    last = page.locator(".md-typeset > *").last
    last.scroll_into_view_if_needed()
    assert last.bounding_box()["height"] > 0


@pytest.mark.parametrize("slug", anatomy.module_slugs(anatomy.project_root()))
def test_demo_page_shows_outputs_and_offers_the_notebook(site_url, page, slug):
    page.goto(urljoin(site_url, f"{slug}/demo/"))
    assert page.locator("pre").count() >= 3, "the demo page shows no code or outputs"
    assert page.locator(".notebook-output figcaption", has_text="Output").count() >= 1
    link = page.get_by_role("link", name="Download the notebook")
    notebook = nbformat.reads(page.request.get(urljoin(page.url, link.get_attribute("href"))).text(), as_version=4)
    nbformat.validate(notebook)
    assert any(cell.get("outputs") for cell in notebook.cells)


def test_demo_page_shows_real_transcripts_and_charts(site_url, page):
    page.goto(urljoin(site_url, "how-the-web-works/demo/"))
    outputs = page.locator("pre").all_inner_texts()
    assert any("HTTP/1.1 200 OK" in text for text in outputs)
    assert page.locator("img[alt^='Bar chart']").count() == 1


@pytest.mark.parametrize("slug", anatomy.module_slugs(anatomy.project_root()))
def test_exercise_page_hides_solutions_and_offers_the_learner_copy(site_url, page, slug):
    page.goto(urljoin(site_url, f"{slug}/exercise/"))
    assert "BEGIN SOLUTION" not in page.content()
    solutions = page.locator("details.solution")
    assert solutions.count() >= 1 and not solutions.first.evaluate("d => d.open")
    link = page.get_by_role("link", name="Download the exercise")
    text = page.request.get(urljoin(page.url, link.get_attribute("href"))).text()
    notebook = nbformat.reads(text, as_version=4)
    nbformat.validate(notebook)
    assert "SOLUTION" not in text and "nbval" not in text
    assert not any(cell.get("outputs") for cell in notebook.cells)


def test_search_index_loads_only_when_search_opens(site_url, page):
    """The index grows with every lesson: a reader who never searches never downloads it."""
    page.set_viewport_size({"width": 1280, "height": 900})
    asked = []
    page.on("request", lambda r: SEARCH_INDEX.search(r.url) and asked.append(r.url))
    page.goto(site_url, wait_until="networkidle")
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    assert not asked, f"the search index loaded before anyone opened search: {asked}"
    with page.expect_request(lambda r: bool(SEARCH_INDEX.search(r.url)), timeout=5_000):
        open_search(page)


def test_glossary_tooltip_on_first_use_of_each_term_only(site_url, page):
    """Built into the page, not pruned by a script: the browser gets one <abbr> per term."""
    page.goto(urljoin(site_url, "how-the-web-works/"))
    terms = page.locator("article abbr[title]").all_text_contents()
    assert len(terms) >= 5
    assert len(terms) == len(set(terms)), sorted(t for t in terms if terms.count(t) > 1)
    assert page.locator("script[src*=glossary]").count() == 0


def test_glossary_term_shows_its_definition_when_pointed_at_or_tapped(site_url, browser):
    """One tooltip, the term's definition, under the term; Escape hides it (WCAG 1.4.13) and the
    term keeps its title for readers and tools that use that."""
    context = browser.new_context(viewport=PHONE, has_touch=True)
    page = context.new_page()
    page.goto(urljoin(site_url, "how-the-web-works/"))
    term = page.locator("article abbr[title]").nth(2)
    term.scroll_into_view_if_needed()
    definition = term.get_attribute("title")
    term.evaluate("t => t.id = 'pointed-at'")
    term = page.locator("#pointed-at")
    term.hover()
    tooltip = page.get_by_role("tooltip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_text(definition)
    expect(tooltip).to_have_css("opacity", "1")
    assert term.get_attribute("aria-describedby") == tooltip.get_attribute("id")
    assert term.get_attribute("title") is None, "the browser's own tooltip would show as well"
    below, under = term.bounding_box(), tooltip.locator("> *").bounding_box()
    assert under["y"] >= below["y"] + below["height"], "the tooltip should open below the term"
    assert 0 <= under["x"] and under["x"] + under["width"] <= PHONE["width"], "the tooltip should fit the phone"
    page.keyboard.press("Escape")
    expect(page.get_by_role("tooltip")).to_have_count(0)
    assert term.get_attribute("title") == definition
    # On a phone a tap points at the term.
    term.tap()
    expect(page.get_by_role("tooltip")).to_have_text(definition)
    page.locator("article h1").tap()
    expect(page.get_by_role("tooltip")).to_have_count(0)
    context.close()


def test_dark_mode_toggle_works(site_url, page):
    page.goto(site_url)
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    for _ in range(2):
        page.locator("form[data-md-component=palette] label:visible").first.click()
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}


@pytest.mark.parametrize("slug", anatomy.module_slugs(anatomy.project_root()))
def test_diagrams_stay_readable_on_a_phone(site_url, page, slug):
    """On a 375 px phone a diagram keeps at least 90% of its drawn size (its frame scrolls, the page
    does not), the keyboard can reach its frame, and a link opens it full size."""
    page.goto(urljoin(site_url, f"{slug}/"))
    diagrams = page.locator("figure.diagram")
    assert diagrams.count() >= 1
    for index in range(diagrams.count()):
        figure = diagrams.nth(index)
        figure.scroll_into_view_if_needed()
        # The drawn size is the SVG's viewBox width; its text was drawn at 12 to 18 units.
        scale = figure.locator("img").evaluate("""img => fetch(img.src).then(r => r.text()).then(svg => {
            const drawn = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement.viewBox.baseVal.width;
            return img.getBoundingClientRect().width / drawn;
        })""")
        assert scale >= 0.9, f"diagram {index + 1} is shown at {scale:.0%} of its size: its text is too small to read"
        assert figure.locator(".diagram-frame").get_attribute("tabindex") == "0"
        link = figure.get_by_role("link", name="Open the diagram full size")
        assert link.get_attribute("href").endswith(".svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_copy_buttons_do_not_cover_code_on_a_phone(site_url, page):
    page.goto(urljoin(site_url, "web-analytics/"))
    # Code blocks get their buttons as they come into view (content.lazy in mkdocs.yml): scroll
    # to each, as a reader does.
    copyable = page.locator(".highlight:not(.no-copy) pre > code")
    assert copyable.count() >= 1
    for code in copyable.all():
        code.scroll_into_view_if_needed()
    blocks = page.locator("pre:has(> .md-code__nav)")
    page.wait_for_function(f"document.querySelectorAll('pre:has(> .md-code__nav)').length >= {copyable.count()}")
    covered = blocks.evaluate_all("""pres => pres.filter(pre => {
        const button = pre.querySelector('.md-code__nav').getBoundingClientRect();
        const code = pre.querySelector('code');
        const firstLine = code.getBoundingClientRect().top + parseFloat(getComputedStyle(code).paddingTop);
        return button.bottom > firstLine + 1;
    }).length""")
    assert covered == 0, f"{covered} code block(s) have their copy button over the first line"
