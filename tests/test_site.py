"""The built site in a real Chromium: what a marketer sees on a phone or a laptop."""

from urllib.parse import urljoin, urlsplit

import nbformat
import pytest

from martech import anatomy

PHONE = {"width": 375, "height": 812}


def site_pages(built_site):
    return sorted(str(p.parent.relative_to(built_site)).replace(".", "") + "/"
                  for p in built_site.rglob("index.html") if p.parent.name != "404")


def cut_the_network(context, site_url):
    """Abort every request that is not to the site itself: the site must work offline."""
    own = urlsplit(site_url).netloc
    context.route(lambda url: urlsplit(url).netloc not in (own, ""), lambda route: route.abort())


@pytest.fixture
def page(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    cut_the_network(context, site_url)
    tab = context.new_page()
    yield tab
    context.close()


def test_every_page_loads_cleanly_and_fits_a_phone(built_site, site_url, page):
    """No console error, no failed request, no request to any other host, no sideways scroll."""
    own_host = urlsplit(site_url).netloc
    trouble = []
    page.on("console", lambda m: m.type == "error" and trouble.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: trouble.append(f"script error: {e}"))
    # A request cut short because the test moved on to the next page is not the site's fault.
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and trouble.append(f"failed: {r.url}"))
    page.on("request", lambda r: urlsplit(r.url).netloc not in (own_host, "")
            and not r.url.startswith("data:") and trouble.append(f"external: {r.url}"))
    page.on("response", lambda r: r.status >= 400 and trouble.append(f"{r.status}: {r.url}"))
    pages = site_pages(built_site)
    assert len(pages) >= 6
    for path in pages:
        page.goto(urljoin(site_url, path.lstrip("/")), wait_until="networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            trouble.append(f"{path} is {width} px wide on a 375 px phone")
    assert not trouble, "\n".join(trouble)


def test_search_finds_the_module(site_url, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url)
    page.keyboard.press("/")  # Material's search shortcut; works on every page
    page.keyboard.type("status code")
    results = page.locator(".md-search-result__item a")
    results.first.wait_for(timeout=10_000)
    hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
    assert any("how-the-web-works" in h for h in hrefs), hrefs


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


@pytest.mark.parametrize("slug", anatomy.module_slugs(anatomy.project_root()))
def test_demo_page_shows_outputs_and_offers_the_notebook(site_url, page, slug):
    page.goto(urljoin(site_url, f"{slug}/demo/"))
    assert page.locator("pre").count() >= 3, "the demo page shows no code or outputs"
    assert page.locator(".md-typeset .highlight .filename", has_text="Output").count() >= 1
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
    page.on("request", lambda r: "search_index" in r.url and asked.append(r.url))
    page.goto(site_url, wait_until="networkidle")
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(300)
    assert not asked, f"the search index loaded before anyone opened search: {asked}"
    with page.expect_request("**/search/search_index.json", timeout=5_000):
        page.keyboard.press("/")


def test_glossary_tooltip_on_first_use_of_each_term_only(site_url, page):
    """Built into the page, not pruned by a script: the browser gets one <abbr> per term."""
    page.goto(urljoin(site_url, "how-the-web-works/"))
    terms = page.locator("article abbr[title]").all_inner_texts()
    assert len(terms) >= 5
    assert len(terms) == len(set(terms)), sorted(t for t in terms if terms.count(t) > 1)
    assert page.locator("script[src*=glossary]").count() == 0


def test_dark_mode_toggle_works(site_url, page):
    page.goto(site_url)
    before = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    for _ in range(2):
        page.locator("form[data-md-component=palette] label:visible").first.click()
    after = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert {before, after} == {"default", "slate"}


def pages_to_audit(built_site, scheme: str) -> list[str]:
    """Light: every page. Dark: every page but the generated notebook pages, of which one each.

    Dark mode changes colours, not templates, and the demo and exercise pages all come from
    one template: one of each finds what every one of them would.
    """
    pages = site_pages(built_site)
    if scheme == "light":
        return pages
    generated = [p for p in pages if p.endswith(("/demo/", "/exercise/"))]
    sample = [next(p for p in generated if p.endswith(kind)) for kind in ("/demo/", "/exercise/")]
    return [p for p in pages if p not in generated] + sample


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_problem_on_any_page(built_site, site_url, browser, scheme):
    """axe-core finds no serious or critical violation, in light and in dark mode."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    context = browser.new_context(color_scheme=scheme)
    cut_the_network(context, site_url)
    tab = context.new_page()
    found = []
    for path in pages_to_audit(built_site, scheme):
        tab.goto(urljoin(site_url, path.lstrip("/")), wait_until="networkidle")
        for violation in axe.run(tab).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                where = ", ".join(str(node["target"]) for node in violation["nodes"][:3])
                found.append(f"{path} ({scheme}): {violation['id']} at {where}")
    context.close()
    assert not found, "\n".join(found)


def test_no_broken_internal_link_or_anchor(built_site):
    """Every link between the site's own pages leads to a file, and every #anchor to an id."""
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links, self.ids = [], set()

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if "id" in attrs:
                self.ids.add(attrs["id"])
            for key in ("href", "src"):
                if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                    self.links.append(attrs[key])

    parsed = {}
    for html_file in built_site.rglob("*.html"):
        parser = Page()
        parser.feed(html_file.read_text(encoding="utf-8"))
        parsed[html_file] = parser
    broken = []
    for html_file, parser in parsed.items():
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("data:", "mailto:", "javascript:")):
                continue
            if parts.path.startswith("/"):  # the 404 page links from the site's root
                target = (built_site / parts.path.lstrip("/")).resolve()
            else:
                target = (html_file.parent / parts.path).resolve() if parts.path else html_file
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html_file.relative_to(built_site)}: {link} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else set()
                if parts.fragment not in ids and parts.fragment != "__skip":
                    broken.append(f"{html_file.relative_to(built_site)}: {link} (no such anchor)")
    assert not broken, "\n".join(sorted(set(broken)))


def test_zensical_builds_every_page_mkdocs_builds(built_site, root, tmp_path):
    """Engine-neutral: Material's successor builds the same mkdocs.yml into the same pages."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    for name in ("docs", "overrides", "build"):
        shutil.copytree(root / name, tmp_path / name)
    shutil.copy(root / "mkdocs.yml", tmp_path / "mkdocs.yml")
    zensical = Path(sys.executable).parent / "zensical"
    result = subprocess.run([str(zensical), "build", "--strict"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    pages = lambda site: {str(p.relative_to(site)) for p in site.rglob("index.html")}
    missing = pages(built_site) - pages(tmp_path / "site")
    assert not missing, f"Zensical did not build: {sorted(missing)}"
