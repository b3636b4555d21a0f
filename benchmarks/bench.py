"""Print the figures behind the course's speed and size budgets (run with `make bench`).

Figures, not pass/fail tests: timings vary from machine to machine. The page budgets are
the ones the course teaches in its speed module; each line says whether a page is within.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urljoin

from martech import anatomy

ROOT = anatomy.project_root(Path(__file__).parent)
HOME_BUDGET = 120 * 1024     # compressed bytes on a cold load
LESSON_BUDGET = 250 * 1024   # compressed bytes on a cold load, images excluded


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


class GzipFiles(http.server.SimpleHTTPRequestHandler):
    """Serves the site gzip-compressed, as any real static host would."""

    def log_message(self, *args):
        pass

    def send_head(self):
        import gzip
        import io

        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def cold_load(url: str) -> tuple[int, int, int]:
    """(requests, compressed bytes, compressed bytes without images) for one cold load."""
    from playwright.sync_api import sync_playwright

    from martech.browser import launch

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page()
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        sizes: dict[str, int] = {}
        kinds: dict[str, str] = {}
        session.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
        session.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(300)
        browser.close()
    total = sum(sizes.values())
    without_images = sum(size for rid, size in sizes.items() if kinds.get(rid) != "Image")
    return len(sizes), total, without_images


def main() -> int:
    print(f"Site build (build-pages + mkdocs build --strict): "
          f"{timed([sys.executable, '-m', 'martech.cli', 'build-pages']) + timed([sys.executable, '-m', 'mkdocs', 'build', '--strict', '--quiet']):.1f} s")
    for folder in ("notebooks", "exercises"):
        for notebook in sorted((ROOT / folder).glob("*.ipynb")):
            with tempfile.TemporaryDirectory() as out:
                seconds = timed([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                                 "--output-dir", out, str(notebook)])
            print(f"Notebook {folder}/{notebook.name}: {seconds:.1f} s to execute")

    handler = functools.partial(GzipFiles, directory=str(ROOT / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    verdicts = []
    requests, total, _ = cold_load(base)
    ok = total <= HOME_BUDGET
    verdicts.append(ok)
    print(f"Home page, cold load: {requests} requests, {total / 1024:.1f} KiB compressed "
          f"(budget {HOME_BUDGET // 1024} KiB: {'within' if ok else 'OVER'})")
    heaviest = None
    for slug in anatomy.module_slugs(ROOT):
        result = cold_load(urljoin(base, f"{slug}/"))
        if heaviest is None or result[2] > heaviest[1][2]:
            heaviest = (slug, result)
        ok = result[2] <= LESSON_BUDGET
        verdicts.append(ok)
        print(f"Lesson {slug}, cold load: {result[0]} requests, {result[1] / 1024:.1f} KiB compressed, "
              f"{result[2] / 1024:.1f} KiB without images (budget {LESSON_BUDGET // 1024} KiB: {'within' if ok else 'OVER'})")
    if heaviest:
        print(f"Heaviest lesson page: {heaviest[0]}")
    server.shutdown()
    print("All pages within budget." if all(verdicts) else "Some pages are OVER budget.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
