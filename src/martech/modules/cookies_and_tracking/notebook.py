"""Helpers for the demo notebook: a Chromium with a profile of its own, and its cookie jar as a table."""

from __future__ import annotations

import time

from martech import browser
from martech.modules.cookies_and_tracking.demos import DAY


def open_chromium(playwright, third_party_cookies: bool = True):
    """Start Chromium with a fresh profile of its own (no cookies yet); returns its browser context.

    third_party_cookies: the same choice as Chrome's Settings › Privacy and security ›
    Third-party cookies: True for "Allow third-party cookies", False for "Block third-party
    cookies". Names ending in .example lead to this computer (127.0.0.1). With Playwright's
    async API, ``await`` the result; close it with ``await browser.close()``.
    """
    # profile.cookie_controls_mode is where Chrome keeps that setting: 0 allow, 1 block.
    preferences = {"profile": {"cookie_controls_mode": 0 if third_party_cookies else 1}}
    return browser.launch_profile(playwright, preferences, extra_args=[browser.EXAMPLE_HOSTS],
                                  ignore_https_errors=True, viewport={"width": 800, "height": 450})


def cookie_table(cookies: list[dict], now: float | None = None) -> str:
    """The browser's cookie jar (Playwright's context.cookies()) as a table a person can read."""
    now = time.time() if now is None else now
    rows = [f"{'name':12} {'for':18} {'path':10} {'kept':16} {'scripts':8} {'HTTPS only':10} SameSite"]
    for c in sorted(cookies, key=lambda c: (c["domain"].lstrip("."), c["name"])):
        kept = "this session" if c["expires"] in (-1, None) else f"{round((c['expires'] - now) / DAY)} days"
        where = ("*." if c["domain"].startswith(".") else "") + c["domain"].lstrip(".")
        rows.append(f"{c['name']:12} {where:18} {c['path']:10} {kept:16} "
                    f"{'hidden' if c['httpOnly'] else 'readable':8} {'yes' if c['secure'] else 'no':10} {c['sameSite']}")
    return "\n".join(rows)
