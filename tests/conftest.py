"""Shared fixtures: the built site, a local server for it, and a headless Chromium."""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from martech import anatomy
from martech.build import build_pages

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site exactly as `make site` builds it (strict), in a temporary folder.

    Under pytest-xdist every worker asks for it: the first builds it, the others wait and reuse it.
    """
    from filelock import FileLock

    import os

    # Under xdist each worker's temporary folder sits in one folder of this run; without it,
    # the run's own folder. (Never higher: that would reuse a site built by an earlier run.)
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent
    out, failure = shared / "built-site", shared / "built-site.failed"
    with FileLock(str(shared / "built-site.lock")):
        if not out.exists() and not failure.exists():
            problems = build_pages(ROOT)
            result = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                cwd=ROOT, capture_output=True, text=True,
            )
            if problems:
                failure.write_text("martech build-pages found problems:\n" + "\n".join(problems))
            elif result.returncode:
                failure.write_text("mkdocs build --strict failed:\n" + result.stderr[-4000:])
    assert not failure.exists(), failure.read_text() if failure.exists() else ""
    return out


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    handler = functools.partial(_QuietFiles, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from martech.browser import launch

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def slugs() -> list[str]:
    return anatomy.module_slugs(ROOT)

