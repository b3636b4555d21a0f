"""The built site's files: every internal link and anchor resolves, and Zensical builds the same pages."""

from urllib.parse import urlsplit


def test_no_broken_internal_link_or_anchor(built_site, zensical_site):
    """Every link between the site's own pages leads to a file, and every #anchor to an id, in
    both engines' builds (they treat a link written in HTML differently: Zensical re-bases it)."""
    broken = broken_links(built_site) + [f"Zensical: {link}" for link in broken_links(zensical_site)]
    assert not broken, "\n".join(broken)


def broken_links(built_site) -> list[str]:
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
    return sorted(set(broken))


def test_zensical_builds_every_page_mkdocs_builds(built_site, zensical_site):
    """Engine-neutral: Material's successor builds the same mkdocs.yml (strict) into the same pages."""
    pages = lambda site: {str(p.relative_to(site)) for p in site.rglob("index.html")}
    missing = pages(built_site) - pages(zensical_site)
    assert not missing, f"Zensical did not build: {sorted(missing)}"


def test_start_here_downloads_a_course_that_runs(built_site, tmp_path):
    """From the site alone: the ZIP that Start here links to holds a course `martech workspace` accepts."""
    import os
    import re
    import subprocess
    import sys
    import zipfile

    start = (built_site / "start-here" / "index.html").read_text(encoding="utf-8")
    links = {link for link in re.findall(r'href="([^"]+\.zip)"', start) if "offline" not in link}
    assert len(links) == 1, links
    archive = (built_site / "start-here" / links.pop()).resolve()
    with zipfile.ZipFile(archive) as course:
        course.extractall(tmp_path)
    folder = tmp_path / "web-technology-for-marketers"
    for part in ("pyproject.toml", "README.md", "notebooks", "exercises", "docs", "src/martech/servers.py"):
        assert (folder / part).exists(), f"the download lacks {part}"
    assert not list(folder.glob("docs/*/demo.md")), "generated pages do not belong in the download"
    run = subprocess.run([sys.executable, "-m", "martech.cli", "workspace"], cwd=folder, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(folder / "src")}, timeout=120)
    assert run.returncode == 0, run.stderr
    assert (folder / "my-work" / "how-the-web-works-exercise.ipynb").exists()


def test_the_published_site_links_to_its_repository(built_site):
    """The hosted workflow sets COURSE_REPO_URL (conftest.py builds the site so); every page then
    links to the repository, and no page asks GitHub for its stars (test_site.py: no request to
    another host)."""
    from conftest import PUBLISHED_REPOSITORY

    pages = list(built_site.rglob("index.html"))
    assert len(pages) > 6
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert f'href="{PUBLISHED_REPOSITORY}"' in html, page
        assert 'data-md-component="source"' not in html, page


def test_no_page_gives_search_engines_a_relative_canonical_address(built_site, zensical_site):
    """Without COURSE_SITE_URL a page names no canonical address: a relative one ("/", which
    Zensical writes for an empty site_url) fails Lighthouse's SEO audit and points outside a
    site served from a sub-folder."""
    import re

    relative = [f"{site.name}/{page.relative_to(site)}" for site in (built_site, zensical_site)
                for page in site.rglob("*.html")
                if re.search(r'<link rel="canonical" href="(?!https?://)', page.read_text(encoding="utf-8"))]
    assert not relative, relative[:5]
