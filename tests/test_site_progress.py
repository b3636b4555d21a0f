"""Progress without an account, the course map and print, in a real Chromium (its own file so
that xdist runs it beside the other site tests). Progress lives in the browser's localStorage."""

import json
import re
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from martech import anatomy
from martech.build import topic
from sitepages import wait_until_drawn

PHONE = {"width": 375, "height": 812}
KEY = "web-technology-for-marketers:progress"


def lessons() -> list[tuple[str, dict]]:
    root = anatomy.project_root()
    return [(slug, anatomy.read_front_matter(anatomy.paths(root, slug)["lesson page"])[0])
            for slug in anatomy.module_slugs(root)]


def new_tab(browser, site_url, **options):
    context = browser.new_context(viewport=PHONE, accept_downloads=True, **options)
    return context, context.new_page()


@pytest.fixture
def page(browser, site_url):
    context, tab = new_tab(browser, site_url)
    yield tab
    context.close()


def answer(form, right: bool):
    form.locator(f"input[data-correct={'yes' if right else 'no'}]").first.check()
    form.get_by_role("button", name="Check my answer").click()


def row(page, slug):
    return page.locator(f'.progress-modules li[data-module="{slug}"]')


def test_home_page_is_a_course_map_from_the_lessons_front_matter(site_url, page):
    page.goto(site_url)
    shown = page.locator(".course-map > li.course-card").evaluate_all("""cards => cards.map(card => ({
        slug: card.dataset.module,
        title: card.querySelector('h3').innerText,
        href: card.querySelector('h3 a').getAttribute('href'),
        topic: card.querySelector('.course-card-topic').innerText,
        time: card.querySelector('.course-card-time').innerText,
        objectives: [...card.querySelectorAll('ul > li')].map(li => li.innerText),
        progress: card.querySelector('.course-card-progress').innerText,
    }))""")
    expected = [{"slug": slug, "title": meta["title"], "href": f"{slug}/", "topic": f"Module {number}: {topic(slug)}",
                 "time": f"About {sum(meta['minutes'].values())} minutes: {meta['minutes']['reading']} to read, "
                         f"{meta['minutes']['demo']} for the demo, {meta['minutes']['exercise']} for the exercise.",
                 "objectives": meta["objectives"], "progress": "Your progress: not started"}
                for number, (slug, meta) in enumerate(lessons(), 1)]
    assert shown == expected


def test_topics_read_as_words():
    words = [topic(s) for s in ("working-with-it", "html-and-css", "caching")]
    assert words == ["Working with IT", "HTML and CSS", "Caching"]


def test_progress_stays_in_this_browser_across_a_reload(site_url, page):
    """Right answers and done marks survive a reload, show on the lesson and the course map, and no
    request ever carries them anywhere."""
    (slug, meta), (other, _) = lessons()[:2]
    questions = len(meta["quiz"])
    own = urlsplit(site_url).netloc
    sent = []
    page.on("request", lambda r: (r.method != "GET" or urlsplit(r.url).netloc != own) and sent.append(r.url))
    page.goto(urljoin(site_url, f"{slug}/"))
    forms = page.locator("form[data-quiz]")
    answer(forms.nth(0), right=True)
    answer(forms.nth(1), right=False)
    demo = page.get_by_label("Mark the demo as done")
    demo.focus()
    page.keyboard.press("Space")  # by keyboard
    message = page.locator(".practise .progress-message")
    expect(message).to_have_text("The demo is marked as done. Your progress stays in this browser only.")
    assert message.get_attribute("role") == "status"
    expect(page.locator(".lesson-progress")).to_contain_text(f"Your progress: 2 of {questions + 2} steps done.")

    page.reload()
    expect(demo).to_be_checked()
    expect(page.get_by_label("Mark the exercise as done")).not_to_be_checked()
    expect(page.locator(".quiz-remembered")).to_have_count(1)
    expect(forms.nth(0).locator(".quiz-remembered")).to_contain_text("You answered this question right on ")
    expect(page.locator(".lesson-progress")).to_contain_text(f"Your progress: 2 of {questions + 2} steps done.")

    page.goto(site_url)
    card = page.locator(f'.course-card[data-module="{slug}"]')
    expect(card.locator(".course-card-progress")).to_have_text(
        f"Your progress: 1 of {questions} quiz questions right, demo done, exercise not done yet")
    assert card.get_attribute("data-progress") == "started"
    untouched = page.locator(f'.course-card[data-module="{other}"] .course-card-progress')
    expect(untouched).to_have_text("Your progress: not started")
    assert not sent, f"progress left the browser: {sent}"


def test_progress_moves_to_another_browser_by_file_a_bad_file_loses_nothing_and_forget_clears_it(
        site_url, page, browser, tmp_path):
    (slug, _), (other, _) = lessons()[:2]
    page.goto(urljoin(site_url, f"{slug}/exercise/"))
    wait_until_drawn(page)
    page.get_by_label("Mark this exercise as done").check()
    expect(page.locator(".progress-mark .progress-message")).to_contain_text("The exercise is marked as done.")
    page.goto(urljoin(site_url, "progress/"))
    with page.expect_download() as saving:
        page.get_by_role("button", name="Save my progress to a file").click()
    assert saving.value.suggested_filename == "web-technology-for-marketers-progress.json"
    saved = tmp_path / saving.value.suggested_filename
    saving.value.save_as(saved)
    assert json.loads(saved.read_text())["modules"][slug]["exercise"]

    # Another computer: a new browser context shares nothing with the first.
    context, tab = new_tab(browser, site_url)
    tab.goto(urljoin(site_url, f"{other}/"))
    wait_until_drawn(tab)
    tab.get_by_label("Mark the demo as done").check()
    tab.goto(urljoin(site_url, "progress/"))
    expect(row(tab, slug)).to_contain_text("not started")
    expect(row(tab, other)).to_contain_text("demo done")
    expect(tab.locator(".course-record")).to_be_hidden()
    expect(tab.locator(".course-record-wait")).to_have_text(
        f"Your record appears here when you have completed every module: 0 of {len(lessons())} so far.")
    message = tab.locator(".progress-tools .progress-message").first
    assert message.get_attribute("role") == "status"
    bad_files = [("holiday.json", b'{"course": "another course", "modules": {}}'), ("notes.json", b"not json at all"),
                 ("odd.json", json.dumps({"course": "web-technology-for-marketers",
                                          "modules": {slug: {"demo": "yesterday"}}}).encode())]
    for name, bad in bad_files:
        with tab.expect_file_chooser() as choosing:
            tab.get_by_role("button", name="Load progress from a file").click()
        choosing.value.set_files({"name": name, "mimeType": "application/json", "buffer": bad})
        expect(message).to_have_text(
            re.compile(f"^“{name}” is not a progress file saved from this course, so nothing was changed"))
        expect(row(tab, other)).to_contain_text("demo done")
        expect(row(tab, slug)).to_contain_text("not started")
    with tab.expect_file_chooser() as choosing:
        tab.get_by_role("button", name="Load progress from a file").click()
    choosing.value.set_files(saved)
    expect(message).to_contain_text("its progress is added to what this browser already had")
    expect(row(tab, slug)).to_contain_text("exercise done")
    expect(row(tab, other)).to_contain_text("demo done")
    tab.reload()
    expect(row(tab, slug)).to_contain_text("exercise done")

    # Forget asks first; cancelled, it changes nothing.
    forget = tab.get_by_role("button", name="Forget my progress")
    tab.once("dialog", lambda dialog: dialog.dismiss())
    forget.click()
    expect(row(tab, other)).to_contain_text("demo done")
    tab.once("dialog", lambda dialog: dialog.accept())
    forget.click()
    expect(tab.locator(".progress-tools .progress-message").last).to_have_text(
        "Done: this browser no longer remembers any of your progress.")
    expect(row(tab, other)).to_contain_text("not started")
    tab.reload()
    expect(row(tab, slug)).to_contain_text("not started")
    expect(row(tab, other)).to_contain_text("not started")
    assert tab.evaluate(f"localStorage.getItem('{KEY}')") is None
    context.close()


def test_completion_record_with_the_learners_name_prints_alone(site_url, page):
    """Every module but the last done on earlier days; the last one done here, on its own pages."""
    *earlier, (last, meta) = lessons()
    state = {"course": "web-technology-for-marketers", "version": 1, "name": "", "modules": {
        slug: {"quiz": {str(q): "2026-01-05" for q in range(1, len(m["quiz"]) + 1)}, "demo": "2026-01-04",
               "exercise": "2026-01-05"} for slug, m in earlier}}
    page.goto(urljoin(site_url, f"{last}/"))
    page.evaluate("([key, state]) => localStorage.setItem(key, JSON.stringify(state))", [KEY, state])
    page.reload()
    wait_until_drawn(page)
    expect(page.locator(".lesson-progress")).to_contain_text("Your progress: not started.")
    for number in range(len(meta["quiz"])):
        answer(page.locator("form[data-quiz]").nth(number), right=True)
    page.get_by_label("Mark the demo as done").check()
    page.get_by_label("Mark the exercise as done").check()
    expect(page.locator(".practise .progress-message")).to_contain_text("You have completed this module.")
    expect(page.locator(".lesson-progress")).to_contain_text("Your progress: completed on ")

    page.goto(urljoin(site_url, "progress/"))
    record = page.locator(".course-record-sheet")
    expect(record).to_be_visible()
    page.get_by_label("Your name, as it should appear on the record").fill("<b>Ada</b> Lovelace")
    page.reload()
    expect(page.locator("[data-record-name]")).to_have_text("<b>Ada</b> Lovelace")  # text, never markup
    expect(page.get_by_label("Your name, as it should appear on the record")).to_have_value("<b>Ada</b> Lovelace")
    expect(record.locator('[data-progress-date="%s"]' % earlier[0][0])).to_have_text("5 January 2026")
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", record.locator("[data-progress-last]").inner_text())
    from axe_playwright_python.sync_playwright import Axe

    serious = [v["id"] for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, f"the record as shown: {serious}"

    page.emulate_media(media="print")
    shown = page.evaluate("""() => [...document.querySelectorAll('article.md-typeset *')]
        .filter(e => e.checkVisibility() && !e.closest('.course-record-sheet'))
        .map(e => e.tagName + '.' + e.className)""")
    assert all(tag.startswith("DIV.course-record") for tag in shown), shown
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, "the record takes more than one sheet"


# What a printed lesson shows, read in the page with print styles on.
ON_PAPER = """() => {
    const all = s => [...document.querySelectorAll(s)];
    const after = e => getComputedStyle(e, '::after').content;
    const shown = e => e.checkVisibility();
    return {
        site: all('.md-header, .md-sidebar, .md-footer, .md-tabs').filter(shown).length,
        whys: all('.quiz-why').filter(e => !shown(e)).length,
        right: all('input[data-correct=yes] + label').filter(l => !after(l).includes('the right answer')).length,
        buttons: all('.quiz-question button, .progress-steps, .md-code__nav').filter(shown).length,
        external: all('article a[href^="http"]')
            .filter(a => shown(a) && !after(a).includes(a.getAttribute('href'))).length,
        internal: all('article a[href]').filter(a => shown(a) && !/^(#|https?:)/.test(a.getAttribute('href'))
            && !a.matches('.headerlink, .footnote-ref') && !after(a).includes(a.href)).map(a => a.href),
        folded: all('article details > :not(summary)').filter(e => !shown(e)).length,
        skipped: all('.md-typeset > *').filter(e => getComputedStyle(e).contentVisibility !== 'visible').length,
        diagrams: all('.diagram img').map(i => i.complete && i.naturalWidth > 0
            && i.getBoundingClientRect().width >= 0.9 * i.closest('article').clientWidth),
        cut: all('article pre, article .md-typeset__scrollwrap, article .diagram-frame')
            .filter(e => e.scrollWidth > e.clientWidth + 1).length,
        text: getComputedStyle(document.querySelector('article p')).color,
    };
}"""


def assert_prints_cleanly(found: dict, where: str):
    assert found["site"] == 0, f"{where}: navigation, header or footer printed"
    assert found["whys"] == 0 and found["right"] == 0, \
        f"{where}: a quiz answer's explanation or the right answer is not printed"
    assert found["buttons"] == 0, f"{where}: buttons printed"
    assert found["external"] == 0, f"{where}: a link to another site is printed without its address"
    assert found["folded"] == 0 and found["skipped"] == 0, f"{where}: a block is left out of the print"
    assert found["diagrams"] and all(found["diagrams"]), f"{where}: a diagram is missing or shrunk: {found['diagrams']}"
    assert found["cut"] == 0, f"{where}: code, a table or a diagram is cut off at the edge of the paper"


def test_a_lesson_prints_cleanly_even_in_dark_mode(site_url, browser):
    """The browser's own print (beforeprint/afterprint): light colours on paper, and the address of
    every link to the course's own pages written out in full; the reader's colours come back after."""
    slug = lessons()[0][0]
    context, page = new_tab(browser, site_url, color_scheme="dark")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(urljoin(site_url, f"{slug}/"), wait_until="networkidle")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert page.pdf(format="A4", page_ranges="1")[:4] == b"%PDF"  # fires beforeprint, then afterprint
    page.emulate_media(media="print")
    # Emulation says "print" through matchMedia's change event, which comes with the next frame.
    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'", timeout=2_000)
    found = page.evaluate(ON_PAPER)
    assert found["text"].startswith("rgba(0, 0, 0"), "print uses the light colours"
    assert not found["internal"], f"links printed without their full address: {found['internal'][:5]}"
    assert_prints_cleanly(found, slug)
    page.emulate_media(media="screen")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'", timeout=2_000)
    context.close()


def test_every_other_lesson_prints_whole(site_url, page):
    page.set_viewport_size({"width": 794, "height": 1123})
    page.emulate_media(media="print")
    for slug, _ in lessons()[1:]:
        page.goto(urljoin(site_url, f"{slug}/"), wait_until="load")
        page.wait_for_function("[...document.querySelectorAll('.diagram img')].every(i => i.complete)", timeout=5_000)
        assert_prints_cleanly(page.evaluate(ON_PAPER), slug)
