"""Print the figures behind the course's speed and size budgets (run with `make bench`).

Figures, not pass/fail tests: timings vary from machine to machine, so run it on a quiet one.
The page budgets are the ones the course teaches in its speed module; each line says whether
a page is within. The site is built by each engine (MkDocs with Material, and Zensical: see
src/martech/engines.py) into a temporary folder, and each build is measured side by side, with
the same budgets. Lighthouse (npm, installed by `make bench` into benchmarks/node_modules)
scores each page as a phone on a slow network would load it, the site served with gzip.

    python benchmarks/bench.py [--engine mkdocs|zensical|both] [--skip-notebooks] [--only PATH ...]
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
from martech.engines import ENGINES, build_site

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
LABEL = 32   # width of the first column
CELL = 48    # width of each engine's column


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def row(label: str, cells: list[str]) -> str:
    return f"  {label:<{LABEL}}" + "".join(f"{cell:<{CELL}}" for cell in cells).rstrip()


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


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipFiles, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def cold_load(browser, url: str) -> tuple[int, int, int]:
    """(requests, compressed bytes, compressed bytes without images) for one cold load: a new
    browser context each time, so that nothing comes from an earlier page's cache."""
    context = browser.new_context()
    page = context.new_page()
    session = context.new_cdp_session(page)
    session.send("Network.enable")
    sizes: dict[str, int] = {}
    kinds: dict[str, str] = {}
    session.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"]))
    session.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(url, wait_until="networkidle")
    page.wait_for_timeout(300)
    context.close()
    total = sum(sizes.values())
    without_images = sum(size for rid, size in sizes.items() if kinds.get(rid) != "Image")
    return len(sizes), total, without_images


def weights_report(bases: dict[str, str]) -> bool:
    """Home and every lesson on a cold load, for each engine; True when all are within budget."""
    from playwright.sync_api import sync_playwright

    from martech.browser import launch

    print(f"\nCold loads, compressed (budgets: home {HOME_BUDGET // 1024} KiB; "
          f"each lesson {LESSON_BUDGET // 1024} KiB without images)")
    print(row("page", list(bases)))
    ok = True
    heaviest: dict[str, tuple[str, int]] = {}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for path in ["", *(f"{slug}/" for slug in anatomy.module_slugs(ROOT))]:
            cells = []
            for engine, base in bases.items():
                requests, total, without_images = cold_load(browser, urljoin(base, path))
                if path:
                    within = without_images <= LESSON_BUDGET
                    cells.append(f"{without_images / 1024:.1f} KiB ({total / 1024:.0f} with images) "
                                 f"{'within' if within else 'OVER'}")
                    if without_images > heaviest.get(engine, ("", -1))[1]:
                        heaviest[engine] = (path.strip("/"), without_images)
                else:
                    within = total <= HOME_BUDGET
                    cells.append(f"{total / 1024:.1f} KiB, {requests} requests {'within' if within else 'OVER'}")
                ok &= within
            print(row(path.strip("/") or "home", cells), flush=True)
        browser.close()
    print(row("heaviest lesson", [f"{heaviest[e][0]} ({heaviest[e][1] / 1024:.1f} KiB)" for e in bases if e in heaviest]))
    return ok


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


def scores_cell(s: dict, within: bool) -> str:
    return (f"{s['performance']:.0f} / {s['tbt']:.0f} ms / {s['accessibility']:.0f} / {s['best-practices']:.0f} / "
            f"{s['seo']:.0f} {'within' if within else 'OVER'}" + (f" ({s['runs']} runs)" if s.get("runs", 1) > 1 else ""))


def page_type(path: str) -> str:
    if path == "":
        return "home"
    if path.endswith("/demo/"):
        return "demo page"
    if path.endswith("/exercise/"):
        return "exercise page"
    return "lesson" if path.rstrip("/") in anatomy.module_slugs(ROOT) else "other page"


def site_paths(site: Path, only: list[str]) -> list[str]:
    """Every page of the built site ('' for home), or just those named (home as / or home)."""
    wanted = {"" if name.strip("/") in ("", "home") else name.strip("/") for name in only}
    paths = sorted(str(p.parent.relative_to(site)).replace(".", "") + "/" for p in site.rglob("index.html")
                   if p.parent.name != "404")
    return [p.lstrip("/") for p in paths if not only or p.strip("/") in wanted]


def lighthouse_report(bases: dict[str, str], paths: list[str]) -> bool:
    if not LIGHTHOUSE.exists():
        print("\nLighthouse is not installed: run `make bench` (it runs npm install in benchmarks/).")
        return False
    print(f"\nLighthouse, mobile: performance / blocking / accessibility / best practices / SEO "
          f"(budgets: >= {PERFORMANCE_BUDGET} / < {TBT_BUDGET} ms / {OTHER_BUDGET} / {OTHER_BUDGET} / {OTHER_BUDGET})")
    print(row("page", list(bases)))
    by_type: dict[str, dict[str, list[dict]]] = {}
    for path in paths:
        cells = []
        # Each page on every engine in turn, so that a busier minute costs both alike.
        for engine, base in bases.items():
            scores = steady_lighthouse(urljoin(base, path))
            by_type.setdefault(page_type(path), {}).setdefault(engine, []).append(scores)
            cells.append(scores_cell(scores, lighthouse_within(scores)))
        print(row(path or "/", cells), flush=True)
    print("  worst of each kind of page:")
    ok = True
    for kind, engines in sorted(by_type.items()):
        cells = []
        for engine in bases:
            pages = engines[engine]
            worst = {key: (max if key == "tbt" else min)(s[key] for s in pages)
                     for key in ("performance", "tbt", "accessibility", "best-practices", "seo")}
            within = all(lighthouse_within(s) for s in pages)
            ok &= within
            cells.append(scores_cell(worst, within))
        print(row(f"{kind} ({len(engines[next(iter(bases))])})", cells))
    return ok


def runtime_report(site: Path) -> None:
    """What the in-browser exercises add to the site: loaded only when a reader presses their button."""
    from martech import inbrowser

    folder = site / inbrowser.SITE_FOLDER
    files = sorted(p for p in folder.iterdir() if p.is_file())
    print(f"\nPython in the browser (assets/pyodide/, loaded only from an exercise's \"Try it in your browser\"): "
          f"{sum(p.stat().st_size for p in files) / 1e6:.1f} MB on disk, "
          f"{inbrowser.download_size(folder) / 1e6:.1f} MB to download (gzip), {len(files)} files; "
          f"the button says about {inbrowser.DOWNLOAD_MB} MB, {inbrowser.COMPRESSED_MB} MB compressed")


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--engine", choices=[*ENGINES, "both"], default="both",
                         help="the site generator to measure (default: both, side by side)")
    options.add_argument("--skip-notebooks", action="store_true", help="do not time the notebooks")
    options.add_argument("--only", nargs="*", default=[], metavar="PATH",
                         help="Lighthouse only these pages, e.g. / caching caching/demo (default: every page)")
    args = options.parse_args()
    engines = list(ENGINES) if args.engine == "both" else [args.engine]

    print(f"martech build-pages: {timed([sys.executable, '-m', 'martech.cli', 'build-pages']):.1f} s")
    with tempfile.TemporaryDirectory(prefix="martech-bench-") as scratch:
        sites = {}
        for engine in engines:
            started = time.perf_counter()
            sites[engine] = build_site(engine, Path(scratch) / engine, ROOT)
            print(f"Site build with {engine} (strict, from nothing): {time.perf_counter() - started:.1f} s")
        for folder in () if args.skip_notebooks else ("notebooks", "exercises"):
            for notebook in sorted((ROOT / folder).glob("*.ipynb")):
                with tempfile.TemporaryDirectory() as out:
                    seconds = timed([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                                     "--output-dir", out, str(notebook)])
                print(f"Notebook {folder}/{notebook.name}: {seconds:.1f} s to execute")

        runtime_report(sites[engines[0]])
        servers, bases = [], {}
        for engine, site in sites.items():
            server, bases[engine] = serve(site)
            servers.append(server)
        verdicts = [weights_report(bases)]
        verdicts.append(lighthouse_report(bases, site_paths(sites[engines[0]], args.only)))
        for server in servers:
            server.shutdown()
    print("\nAll pages within budget." if all(verdicts) else "\nSome pages are OVER budget.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
