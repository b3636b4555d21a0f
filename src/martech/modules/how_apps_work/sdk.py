"""What the notebooks call: the loyalty API as an app calls it, a vendor-style SDK that wraps it,
a deep-link checker, and the PWA checks Chromium makes before it offers to install an app."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from martech import browser
from martech.client import Response, fetch
from martech.problems import Problem, shown

# What the app's own build says about itself: the deep-link files must name exactly this.
APP = {
    "android_package": "com.greenbasket.rewards",
    # SHA-256 of the key Google Play signs the app with (Play Console › App integrity).
    "android_fingerprint": "0B:BE:45:3E:8E:F3:E5:B1:07:06:6C:8A:EF:C7:AD:1E:44:E0:E8:CC:88:17:B7:E5:45:43:50:88:EB:CA:BD:FE",
    "apple_app_id": "A1B2C3D4E5.com.greenbasket.rewards",   # Team ID . bundle ID
    "link_path": "/offers/spring",
}


def _base(site) -> str:
    url = getattr(site, "url", site)
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise Problem(f"Give the running server (site = demo_server(\"loyalty\")) or its address; you gave {shown(site)}.")
    return url.rstrip("/")


def call(site, path: str, key: str | None = None, method: str = "GET", data: dict | None = None) -> Response:
    """One API request as an app sends it: the key in Authorization, JSON in and out."""
    if not isinstance(path, str) or not path.startswith("/"):
        raise Problem(f"path must be text that starts with /, such as \"/v1/members\"; you gave {shown(path)}.")
    if key is not None and not isinstance(key, str):
        raise Problem(f"key must be text such as \"read-key-123\", or None; you gave {shown(key)}.")
    if not isinstance(method, str) or method.upper() not in ("GET", "POST"):
        raise Problem(f"method must be \"GET\" or \"POST\"; you gave {shown(method)}.")
    headers = {"Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    body = b""
    if data is not None:
        try:
            body = json.dumps(data).encode()
        except (TypeError, ValueError):
            raise Problem(f"data must be a dict of text and numbers, such as {{\"add\": 50}}; you gave {shown(data)}.") from None
        headers["Content-Type"] = "application/json"
    response = fetch(_base(site) + path, method.upper(), headers, body)
    if not isinstance(response, Response):
        raise Problem(str(response))
    return response


def answer(response) -> dict:
    """The JSON body of an API response, as a dict (an empty dict when there is none)."""
    if not isinstance(response, Response):
        raise Problem(f"Give a response from call(...); you gave {shown(response)}.")
    try:
        value = json.loads(response.text or "null")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {"data": value}


@dataclass
class LoyaltySDK:
    """What a vendor's SDK is: a small library that makes the same HTTP requests for you.

    Like many real SDKs, it also reports the device it runs on to its maker when it starts.
    ``sent`` keeps every response, so you can compare the requests with your own.
    """

    site: object
    api_key: str
    app_version: str = "3.2.0"
    device: str = "Pixel 8, Android 15"
    sent: list = field(default_factory=list)

    def __post_init__(self):
        if not isinstance(self.api_key, str) or not self.api_key:
            raise Problem(f"api_key must be text such as \"read-key-123\"; you gave {shown(self.api_key)}.")
        self._send("/sdk/telemetry", "POST", {"sdk": "loyalty-sdk/1.4", "app_version": self.app_version,
                                               "device": self.device, "install_id": "7f3c-demo"}, key=False)

    def _send(self, path, method="GET", data=None, key=True):
        response = call(self.site, path, self.api_key if key else None, method, data)
        self.sent.append(response)
        return response

    def members(self, page: int = 1) -> list[dict]:
        """One page of members, as Python dicts; Problem in plain words if the API refuses."""
        if isinstance(page, bool) or not isinstance(page, int) or page < 1:
            raise Problem(f"page must be a whole number from 1; you gave {shown(page)}.")
        response = self._send(f"/v1/members?page={page}")
        if response.status != 200:
            raise Problem(f"The API answered {response.status}: {answer(response).get('error', response.reason)}")
        return answer(response)["data"]

    def add_points(self, member: str, points: int) -> dict:
        response = self._send(f"/v1/members/{member}/points", "POST", {"add": points})
        if response.status != 200:
            raise Problem(f"The API answered {response.status}: {answer(response).get('error', response.reason)}")
        return answer(response)


# ── Deep links: does the site's association file name the app? ────────────────────────────────

@dataclass
class DeepLinkReport:
    lines: list[str]
    opens_app: dict[str, bool]

    def __repr__(self) -> str:
        verdict = [f"→ on {os}: {'opens the app' if ok else 'opens the browser (and the page may send the member to the store)'}"
                   for os, ok in self.opens_app.items()]
        return "\n".join(self.lines + [""] + verdict)


def check_deep_link(site, app: dict | None = None) -> DeepLinkReport:
    """Fetch both association files the way Android and iOS do, and say whether the campaign link opens the app."""
    app = {**APP, **(app or {})} if isinstance(app, (dict, type(None))) else None
    if app is None:
        raise Problem("app must be a dict like APP (android_package, android_fingerprint, apple_app_id, link_path).")
    base = _base(site)
    lines, opens = [], {}

    def load(path):
        response = fetch(base + path)
        if not isinstance(response, Response):
            raise Problem(str(response))
        if response.status != 200:
            lines.append(f"✘ {path}: {response.status} {response.reason}. The phone needs a 200 with the file, "
                         "and follows no redirect.")
            return None
        try:
            return json.loads(response.text)
        except ValueError:
            lines.append(f"✘ {path}: not valid JSON.")
            return None

    android = load("/.well-known/assetlinks.json")
    ok = False
    if android is not None:
        for entry in android if isinstance(android, list) else []:
            target = entry.get("target", {}) if isinstance(entry, dict) else {}
            if "delegate_permission/common.handle_all_urls" not in entry.get("relation", []):
                continue
            if target.get("package_name") != app["android_package"]:
                lines.append(f"✘ assetlinks.json names the package {target.get('package_name')!r}, "
                             f"but the app is {app['android_package']!r}.")
            elif app["android_fingerprint"].upper() not in [f.upper() for f in target.get("sha256_cert_fingerprints", [])]:
                lines.append("✘ assetlinks.json lists a certificate fingerprint that is not the one the app is "
                             "signed with (often the upload or debug key instead of Google Play's signing key).")
            else:
                lines.append(f"✔ assetlinks.json names {app['android_package']} and its signing certificate.")
                ok = True
    opens["Android"] = ok

    apple = load("/.well-known/apple-app-site-association")
    ok = False
    if apple is not None:
        details = apple.get("applinks", {}).get("details", []) if isinstance(apple, dict) else []
        mine = [d for d in details if isinstance(d, dict) and app["apple_app_id"] in d.get("appIDs", [])]
        if not mine:
            lines.append(f"✘ apple-app-site-association does not name the app ID {app['apple_app_id']}.")
        else:
            patterns = [c.get("/", "") for d in mine for c in d.get("components", []) if isinstance(c, dict)]
            if any(_matches(p, app["link_path"]) for p in patterns):
                lines.append(f"✔ apple-app-site-association names {app['apple_app_id']} for {app['link_path']}.")
                ok = True
            else:
                lines.append(f"✘ apple-app-site-association names the app, but none of its paths "
                             f"({', '.join(patterns)}) covers {app['link_path']}.")
    opens["iOS"] = ok
    return DeepLinkReport(lines, opens)


def _matches(pattern: str, path: str) -> bool:
    import fnmatch

    return fnmatch.fnmatchcase(path, pattern)


# ── The PWA in Chromium ──────────────────────────────────────────────────────────────────────

def open_phone_browser(playwright):
    """Chromium with a profile of its own (not Incognito, where nothing installs), sized like a phone."""
    return browser.launch_profile(playwright, {}, **browser.context_options("phone"))


async def install_problems(page) -> list[str]:
    """What Chromium says stops it offering to install the page as an app ([] = installable)."""
    session = await page.context.new_cdp_session(page)
    found = await session.send("Page.getInstallabilityErrors")
    await session.detach()
    return [e["errorId"] for e in found.get("installabilityErrors", [])]
