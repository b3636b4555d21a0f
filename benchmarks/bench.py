"""Print the figures behind the course's speed and size budgets (run with `make bench`).

Figures, not pass/fail tests: timings vary from machine to machine, so run it on a quiet one.
The page budgets are the ones the course teaches in its speed module; each line says whether
a page is within. Lighthouse (npm, installed by `make bench` into benchmarks/node_modules)
scores every page as a phone on a slow network would load it, the site served with gzip.

    python benchmarks/bench.py [--skip-notebooks] [--only PATH ...]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
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
PERFORMANCE_BUDGET = 99      # Lighthouse mobile performance score, every page
TBT_BUDGET = 100             # ms of total blocking time, every page
OTHER_BUDGET = 100           # Lighthouse accessibility, best practices and SEO, every page
LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
# A busy core makes Lighthouse's blocking time jump; a page that misses is measured twice more
# and its median kept, so one noisy run does not decide.
RETRIES = 2


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


def lighthouse(url: str) -> dict:
    """Lighthouse's mobile scores (0-100) and total blocking time (ms) for one page."""
    from martech.browser import ARGS, chromium_path

    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "report.json"
        subprocess.run(
            [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
             "--only-categories=performance,accessibility,best-practices,seo", f"--chrome-flags={' '.join(ARGS)}"],
            check=True, capture_output=True, env={**os.environ, "CHROME_PATH": chromium_path() or ""}, timeout=180)
        result = json.loads(report.read_text())
    scores = {name: round(category["score"] * 100) for name, category in result["categories"].items()}
    scores["tbt"] = round(result["audits"]["total-blocking-time"]["numericValue"])
    return scores


def steady_lighthouse(url: str) -> dict:
    runs = [lighthouse(url)]
    while len(runs) <= RETRIES and not lighthouse_within(runs[-1]):
        runs.append(lighthouse(url))
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]} | {"runs": len(runs)}


def lighthouse_within(s: dict) -> bool:
    return (s["performance"] >= PERFORMANCE_BUDGET and s["tbt"] < TBT_BUDGET
            and min(s["accessibility"], s["best-practices"], s["seo"]) >= OTHER_BUDGET)


def page_type(path: str) -> str:
    if path == "":
        return "home"
    if path.endswith("/demo/"):
        return "demo page"
    if path.endswith("/exercise/"):
        return "exercise page"
    return "lesson" if path.rstrip("/") in anatomy.module_slugs(ROOT) else "other page"


def lighthouse_report(base: str, only: list[str]) -> bool:
    if not LIGHTHOUSE.exists():
        print("Lighthouse is not installed: run `make bench` (it runs npm install in benchmarks/).")
        return False
    site = ROOT / "site"
    paths = sorted(str(p.parent.relative_to(site)).replace(".", "") + "/" for p in site.rglob("index.html")
                   if p.parent.name != "404")
    paths = [p.lstrip("/") for p in paths if not only or p.strip("/") in only]
    by_type: dict[str, list[tuple[str, dict]]] = {}
    for path in paths:
        scores = steady_lighthouse(urljoin(base, path))
        by_type.setdefault(page_type(path), []).append((path or "/", scores))
        print(f"  Lighthouse {path or '/'}: performance {scores['performance']:.0f}, blocking {scores['tbt']:.0f} ms, "
              f"accessibility {scores['accessibility']:.0f}, best practices {scores['best-practices']:.0f}, "
              f"SEO {scores['seo']:.0f}" + (f" (median of {scores['runs']} runs)" if scores["runs"] > 1 else ""),
              flush=True)
    print(f"Lighthouse, mobile (budget: performance >= {PERFORMANCE_BUDGET}, blocking < {TBT_BUDGET} ms, "
          f"accessibility, best practices and SEO {OTHER_BUDGET}):")
    ok = True
    for kind, pages in sorted(by_type.items()):
        worst = lambda key, pick=min: pick(s[key] for _, s in pages)
        within = all(lighthouse_within(s) for _, s in pages)
        ok &= within
        print(f"  {kind} ({len(pages)}): performance {worst('performance'):.0f} at worst, blocking {worst('tbt', max):.0f} ms "
              f"at worst, accessibility {worst('accessibility'):.0f}, best practices {worst('best-practices'):.0f}, "
              f"SEO {worst('seo'):.0f}: {'within' if within else 'OVER'}")
    return ok


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--skip-notebooks", action="store_true", help="do not time the notebooks")
    options.add_argument("--only", nargs="*", default=[], metavar="PATH",
                         help="Lighthouse only these pages, e.g. caching caching/demo (default: every page)")
    args = options.parse_args()
    print(f"Site build (build-pages + mkdocs build --strict): "
          f"{timed([sys.executable, '-m', 'martech.cli', 'build-pages']) + timed([sys.executable, '-m', 'mkdocs', 'build', '--strict', '--quiet']):.1f} s")
    for folder in () if args.skip_notebooks else ("notebooks", "exercises"):
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
    verdicts.append(lighthouse_report(base, args.only))
    server.shutdown()
    print("All pages within budget." if all(verdicts) else "Some pages are OVER budget.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
