"""Shared fixtures: the built site, a local server for it, and a headless Chromium."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from martech import anatomy
from martech.build import build_pages
from martech.engines import BuildFailed, build_site
from martech.offline import offline_site

ROOT = Path(__file__).resolve().parents[1]

# The files that take longest (pytest --durations), in the order xdist should start them: the
# site's own build comes first, as most of the others wait for it. The rest follow in their usual
# order. Add a file here when it grows past half a minute.
LONGEST_FIRST = [
    "tests/test_site.py",
    "tests/test_scaffold.py",
    "tests/test_site_zensical.py",
    "tests/test_site_accessibility.py",
    "tests/test_site_accessibility_dark.py",
    "tests/test_site_accessibility_notebooks.py",
    "notebooks/speed-and-bandwidth.ipynb",
    "tests/test_site_build.py",
    "tests/test_site_offline.py",
    "tests/test_site_progress.py",
    "notebooks/ad-management.ipynb",
    "notebooks/caching.ipynb",
    "tests/test_speed_and_bandwidth.py",
]


def pytest_collection_modifyitems(config, items):
    rank = {name: place for place, name in enumerate(LONGEST_FIRST)}
    # A stable sort: each file's tests (a notebook's cells) keep their order.
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def _built_once(tmp_path_factory, name: str, build) -> Path:
    """Build a site once per test run into a shared folder; ``build(out)`` returns a problem or None.

    Under pytest-xdist every worker asks for it: the first builds it, the others wait and reuse it.
    """
    from filelock import FileLock

    import os

    # Under xdist each worker's temporary folder sits in one folder of this run; without it,
    # the run's own folder. (Never higher: that would reuse a site built by an earlier run.)
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    out, failure = shared / name, shared / f"{name}.failed"
    with FileLock(str(shared / f"{name}.lock")):
        if not out.exists() and not failure.exists():
            problem = build(out)
            if problem:
                failure.write_text(problem)
    assert not failure.exists(), failure.read_text() if failure.exists() else ""
    return out


# What the hosted workflow sets (mkdocs.yml: repo_url), so the tests see the site readers see.
PUBLISHED_REPOSITORY = "https://github.com/example/course"


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site exactly as `make site` builds it for publishing (strict, with its offline ZIP, and
    COURSE_REPO_URL set as the hosted workflow sets it), in a temporary folder."""
    def build(out):
        problems = build_pages(ROOT)
        if problems:
            return "martech build-pages found problems:\n" + "\n".join(problems)
        return _engine_site("mkdocs", out, {"COURSE_REPO_URL": PUBLISHED_REPOSITORY})

    return _built_once(tmp_path_factory, "built-site", build)


@pytest.fixture(scope="session")
def zensical_site(tmp_path_factory, built_site) -> Path:
    """The same sources built by Zensical, as `make site ENGINE=zensical` does, offline ZIP
    included (built_site first writes the generated pages both engines read)."""
    return _built_once(tmp_path_factory, "zensical-site", lambda out: _engine_site("zensical", out))


def _engine_site(engine: str, out: Path, environment: dict | None = None) -> str | None:
    """`martech build-site --engine ENGINE` then `martech offline-site`, into ``out``; a problem or None."""
    try:
        build_site(engine, out, ROOT, environment=environment)
    except BuildFailed as failure:
        return str(failure)
    offline_site(out)
    return None


def _serve(folder: Path):
    handler = functools.partial(_QuietFiles, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    yield from _serve(built_site)


@pytest.fixture(scope="session")
def zensical_url(zensical_site) -> str:
    yield from _serve(zensical_site)


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from martech.browser import launch
    from sitepages import NO_NETWORK

    with sync_playwright() as playwright:
        chromium = launch(playwright, [NO_NETWORK])
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def slugs() -> list[str]:
    return anatomy.module_slugs(ROOT)

