"""The site to read offline: the ZIP Start here links to, served with `python -m http.server` and opened from disk."""

import re
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from martech import translations
from martech.offline import ARCHIVE, file_links
from sitepages import one_of_each_type, site_pages

TABS = 4  # pages loading at once, in tabs of one browser (more do not help on two cores)


@pytest.fixture(scope="module")
def offline_copy(built_site, tmp_path_factory):
    return unzipped_from_start_here(built_site, tmp_path_factory.mktemp("offline"))


def unzipped_from_start_here(site, folder):
    """The archive exactly as a learner gets it: through Start here's link, unzipped into ``folder``."""
    start = (site / "start-here" / "index.html").read_text(encoding="utf-8")
    [link] = {href for href in re.findall(r'href="([^"]+\.zip)"', start) if "offline" in href}
    with zipfile.ZipFile((site / "start-here" / link).resolve()) as archive:
        archive.extractall(folder)
    return folder / ARCHIVE


def test_folder_links_lead_to_their_index_page():
    page = ('<a href="../caching/">x</a> <a href="..">home</a> <a href="./">here</a> <a href="demo/#task-2">t</a>'
            '<a href="#top">top</a> <a href="https://example.com/">out</a> <a href="two-fixes.svg">svg</a>'
            '<link href="../assets/course.css"></body>')
    assert re.findall(r'href="([^"]*)"', file_links(page)) == [
        "../caching/index.html", "../index.html", "./index.html", "demo/index.html#task-2",
        "#top", "https://example.com/", "two-fixes.svg", "../assets/course.css"]


def test_the_archive_is_the_site_with_folder_links_and_a_note_on_search(tmp_path):
    from martech.offline import offline_site

    site = tmp_path / "site"
    (site / "caching").mkdir(parents=True)
    (site / "search").mkdir()
    (site / "index.html").write_text('<a href="caching/">Caching</a></body>')
    (site / "caching" / "index.html").write_text('<a href="..">Home</a></body>')
    (site / "search" / "search_index.json").write_text('{"docs": []}')
    for _ in range(2):  # made again, it holds no copy of itself
        archive = offline_site(site)
    with zipfile.ZipFile(archive) as copy:
        names = set(copy.namelist())
        assert names == {f"{ARCHIVE}/{n}" for n in ("HOW-TO-READ-OFFLINE.txt", "index.html", "caching/index.html",
                                                     "search/search_index.json", "search/search_index.js")}
        home = copy.read(f"{ARCHIVE}/index.html").decode()
        assert 'href="caching/index.html"' in home and "Search works only when the site is served" in home
        assert copy.read(f"{ARCHIVE}/search/search_index.js").decode() == 'var __index = {"docs": []}'
        assert "python -m http.server" in copy.read(f"{ARCHIVE}/HOW-TO-READ-OFFLINE.txt").decode()


def test_zensical_archive_has_the_index_its_search_reads_from_disk(tmp_path):
    from martech.offline import offline_site

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>Home</p></body>")
    (site / "search.json").write_text('{"items": []}')
    with zipfile.ZipFile(offline_site(site)) as copy:
        assert copy.read(f"{ARCHIVE}/search.js").decode() == 'var __index = {"items": []}'
        assert f"{ARCHIVE}/search/search_index.js" not in copy.namelist()
        assert "dialog [role=status]" in copy.read(f"{ARCHIVE}/index.html").decode()


def test_no_built_site_is_a_sentence(tmp_path):
    result = subprocess.run([sys.executable, "-m", "martech.cli", "offline-site", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "holds no built site" in result.stderr and "Traceback" not in result.stderr


def test_offline_copy_holds_every_file_its_pages_link_to(built_site, offline_copy):
    """Every page of the site, and every file a page links to or loads (pictures below the fold too)."""

    class Page(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            for key in ("href", "src"):
                if attrs.get(key) and not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                    self.links.append(attrs[key])

    assert site_pages(offline_copy) == site_pages(built_site)
    missing = []
    for html_file in offline_copy.rglob("*.html"):
        if html_file.name == "404.html":  # links from the site's root: a server's page, never opened from disk
            continue
        parser = Page()
        parser.feed(html_file.read_text(encoding="utf-8"))
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path or link.startswith(("data:", "mailto:")):
                continue
            target = (html_file.parent / parts.path).resolve()
            if target.name == f"{ARCHIVE}.zip":
                continue  # the offline copy itself is not inside the offline copy
            if not target.is_file():  # a folder would show as a list of files from disk
                missing.append(f"{html_file.relative_to(offline_copy)}: {link}")
    assert not missing, "\n".join(sorted(set(missing)))


@pytest.fixture(scope="module")
def served(offline_copy):
    """The unzipped folder served as Start here says: python -m http.server on 127.0.0.1."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
                              cwd=offline_copy, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(timeout=10)


def test_served_offline_copy_loads_its_pages_with_the_network_cut(offline_copy, served, browser, slugs, root):
    """No failed request, no error status, no console error and no request to another host, on a
    page of each type in each language (the copy holds every page and every file they load: the
    test above; test_site.py loads every page of the site it is a copy of)."""
    context = browser.new_context()
    own_host = urlsplit(served).netloc
    trouble = []
    tabs = [context.new_page() for _ in range(TABS)]
    for tab in tabs:
        tab.on("console", lambda m: m.type == "error" and trouble.append(f"console: {m.text}"))
        tab.on("pageerror", lambda e: trouble.append(f"script error: {e}"))
        tab.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and trouble.append(f"failed: {r.url}"))
        tab.on("request", lambda r: urlsplit(r.url).netloc not in (own_host, "") and not r.url.startswith("data:")
               and trouble.append(f"external: {r.url}"))
        tab.on("response", lambda r: r.status >= 400 and trouble.append(f"{r.status}: {r.url}"))
    pages = one_of_each_type(site_pages(offline_copy), slugs, translations.languages(root))
    assert len(pages) >= 6
    for start in range(0, len(pages), TABS):
        batch = list(zip(tabs, pages[start:start + TABS]))
        for tab, path in batch:
            tab.goto(urljoin(served, path.lstrip("/")), wait_until="commit")
        # Every file a page loads, it asks for before its load event (pictures further down, which
        # load when scrolled to, are in the test above): no need to wait for the network to go quiet.
        for tab, path in batch:
            tab.wait_for_load_state("load")
            if tab.locator("article h1").count() != 1:
                trouble.append(f"{path} shows no page")
    # Search works served: the index loads, and a search finds the lesson.
    tab = tabs[0]
    tab.goto(served)
    tab.keyboard.press("/")
    tab.keyboard.type("status code")
    tab.locator(".md-search-result__item a").first.wait_for(timeout=10_000)
    context.close()
    assert not trouble, "\n".join(trouble)


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_the_copy_is_as_small_as_start_here_says(engine, request):
    """Start here gives the copy's size; the in-browser exercises' Python (14 MB) would double it."""
    site = request.getfixturevalue("built_site" if engine == "mkdocs" else "zensical_site")
    start = (site / "start-here" / "index.html").read_text(encoding="utf-8")
    most = int(re.search(r"offline\.zip[^>]*>[^<]*</a> \(a ZIP file of under (\d+) MB\)", start).group(1))
    size = (site / "downloads" / f"{ARCHIVE}.zip").stat().st_size
    assert size < most * 1e6, f"Start here says under {most} MB: {engine}'s copy is {size / 1e6:.1f} MB"
    with zipfile.ZipFile(site / "downloads" / f"{ARCHIVE}.zip") as archive:
        assert not [name for name in archive.namelist() if "/assets/pyodide/" in name]


def test_in_the_copy_the_exercise_button_says_where_to_try_it(served, browser):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(urljoin(served, "how-the-web-works/exercise/"))
    tab.get_by_role("button", name="Try it in your browser").click()
    expect(tab.locator(".try-status")).to_have_text(
        "This copy of the site has no Python for the page: try the exercise on the course's own site, or in JupyterLab.")
    context.close()


def test_offline_copy_opened_from_disk_moves_between_pages(offline_copy, browser):
    """From a file: links lead to pages (not to folder listings), and search says that it needs a server."""
    walk_from_disk(offline_copy, browser, lambda tab: tab.locator(".md-search-result__meta").text_content())


def walk_from_disk(offline_copy, browser, search_says):
    """Home, Start here, the next page, by their links, from disk; ``search_says(tab)`` is what
    search shows there (Zensical's test_site_zensical.py walks its own copy the same way)."""
    context = browser.new_context()
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    tab.goto((offline_copy / "index.html").as_uri())
    tab.get_by_role("link", name="Start here").first.click()
    tab.wait_for_load_state()
    assert tab.url.endswith("/start-here/index.html") and tab.locator("article h1").inner_text() == "Start here"
    tab.locator("a.md-footer__link--next").click()
    tab.wait_for_load_state()
    assert tab.url.endswith("/index.html") and tab.locator("article h1").count() == 1
    assert "served" in search_says(tab)
    context.close()
    assert not errors, "\n".join(errors)
