"""Find and start a Chromium for Playwright.

Prefers a Chromium already on the machine (Debian's ``chromium``, or MARTECH_CHROMIUM), and
falls back to Playwright's own download where that exists.
    python -m martech.browser --check     says which browser will be used
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

# No background traffic: the course's pages and demos must work with no network at all.
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def chromium_path() -> str | None:
    """A Chromium on this machine, or None to let Playwright use its own."""
    for candidate in (os.environ.get("MARTECH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if candidate and (found := shutil.which(candidate) or (Path(candidate).is_file() and candidate)):
            return str(found)
    return None


def launch(playwright, extra_args: list[str] = (), **options):
    """Start headless Chromium through a Playwright instance.

    extra_args: more Chromium switches, e.g. ["--host-resolver-rules=MAP *.example 127.0.0.1"]
    to give demo servers on 127.0.0.1 names of their own.
    """
    return playwright.chromium.launch(executable_path=chromium_path(), args=[*ARGS, *extra_args], **options)


def _check() -> int:
    path = chromium_path()
    if path:
        print(f"Browser for the tests: {path}")
        return 0
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        own = playwright.chromium.executable_path
    if own and Path(own).exists():
        print(f"Browser for the tests: Playwright's Chromium at {own}")
        return 0
    print("No Chromium found: installing one.", file=sys.stderr)
    return 1


if __name__ == "__main__" and sys.argv[1:] == ["--check"]:
    sys.exit(_check())
