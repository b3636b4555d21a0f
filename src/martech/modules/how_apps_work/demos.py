"""The demo servers of module "how-apps-work". Start one with ``martech serve loyalty``.

``loyalty``: Green Basket's loyalty programme on one server: the web app (a PWA: manifest, icons,
service worker), the JSON API behind it (API keys, scopes, pages, /v1/ and /v2/, a rate limit),
webhooks it sends when points change, the SDK's telemetry, and the two files a phone checks
before a link opens an app (/.well-known/assetlinks.json and apple-app-site-association).

``loyalty-webhooks``: the marketer's tool that receives those webhooks and checks their signature.

What they serve is in served/, as files: edit the pages, scripts and JSON there, not here.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import math
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from martech.served import Served
from martech.servers import DemoHandler, Reply, Setting, demo, page

files = Served(__file__)

JSON = "application/json"
NO_STORE = {"Cache-Control": "no-store"}
# The two demo API keys, and what each may do (its scopes).
API_KEYS = {"read-key-123": {"read"}, "write-key-456": {"read", "write"}}
MEMBERS = [{"id": f"M-{n:04d}", "name": name, "points": points}
           for n, (name, points) in enumerate(
               [(f"{first} {last}", (n * 137) % 2400 + 100)
                for n, (first, last) in enumerate((f, l) for l in ("Silva", "Okafor", "Berg", "Rossi", "Tanaka")
                                                  for f in ("Ana", "Ben", "Chloé", "Dev", "Eva", "Finn", "Grace",
                                                            "Hugo", "Iris", "Jonas"))], 1)]
ME = "M-0001"
WEBHOOK_HEADER = "X-Loyalty-Signature"
ASSOCIATIONS = {"ok": ("assetlinks-ok.json", "aasa-ok.json"),
                "wrong-fingerprint": ("assetlinks-wrong-fingerprint.json", "aasa-ok.json"),
                "wrong-package": ("assetlinks-wrong-package.json", "aasa-ok.json"),
                "wrong-path": ("assetlinks-ok.json", "aasa-wrong-path.json"),
                "missing": (None, None)}
STATIC = {"/app.css": ("app.css", "text/css; charset=utf-8"),
          "/app.js": ("app.js", "text/javascript; charset=utf-8"),
          "/sw.js": ("sw.js", "text/javascript; charset=utf-8"),
          "/manifest.webmanifest": ("manifest.webmanifest", "application/manifest+json"),
          "/icons/icon-192.png": ("icons/icon-192.png", "image/png"),
          "/icons/icon-512.png": ("icons/icon-512.png", "image/png")}


def sign(secret: str, body: bytes) -> str:
    """The webhook signature: HMAC-SHA256 of the exact body with the shared secret, as hex."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _one_of(choices):
    return lambda value: None if value in choices else f"must be one of {', '.join(choices)}"


def _secret(value: str) -> str | None:
    if not (8 <= len(value) <= 64) or not value.isprintable() or " " in value:
        return "must be 8 to 64 characters, with no spaces"
    return None


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    points: dict[str, int] = field(default_factory=lambda: {m["id"]: m["points"] for m in MEMBERS})
    windows: dict[str, tuple[float, int]] = field(default_factory=dict)   # key → (window start, requests)
    wait_until: dict[str, float] = field(default_factory=dict)            # key → end of the Retry-After it was given
    ignored: dict[str, int] = field(default_factory=dict)                 # key → requests sent before that end
    refused: dict[str, int] = field(default_factory=dict)                 # key → 429s answered
    answered: dict[str, int] = field(default_factory=dict)                # key → requests answered
    hooks: list[dict] = field(default_factory=list)                       # registered webhooks
    deliveries: list[dict] = field(default_factory=list)                  # what each delivery got back
    telemetry: list[dict] = field(default_factory=list)                   # what the SDK sent


_CREATE = threading.Lock()


def loyalty_state(server) -> _State:
    """The running ``loyalty`` server's memory: points, rate-limit counters, webhooks, telemetry."""
    with _CREATE:
        return server.__dict__.setdefault("loyalty_state", _State())


def _json(status: int, data, **headers) -> Reply:
    return Reply(status, json.dumps(data, indent=2, ensure_ascii=False) + "\n", JSON,
                 headers={**NO_STORE, **{k.replace("_", "-"): v for k, v in headers.items()}})


def _error(status: int, message: str, **headers) -> Reply:
    return _json(status, {"error": message}, **headers)


def _whole(values: list[str] | None, default: int, low: int, high: int) -> int | None:
    text = (values or [str(default)])[0]
    return int(text) if text.isdigit() and low <= int(text) <= high else None


@demo("loyalty")
class LoyaltyHandler(DemoHandler):
    description = "Green Basket's loyalty web app (a PWA), its API, webhooks and deep-link files"
    settings = {
        "rate_limit": Setting(int, 5, "requests each API key may make per window before it gets 429", 1, 1000,
                              "requests"),
        "window": Setting(float, 1.0, "length of the rate-limit window", 0.1, 60, "seconds"),
        "association": Setting(str, "ok", "which deep-link files the site serves: ok, wrong-fingerprint, "
                               "wrong-package, wrong-path or missing", check=_one_of(ASSOCIATIONS)),
    }
    rate_limit = 5
    window = 1.0
    association = "ok"

    @property
    def state(self) -> _State:
        return loyalty_state(self.server)

    def respond(self, path, query):
        method = self.command
        if path in ("/", "/index.html"):
            return Reply(body=files.text("app.html"), headers=NO_STORE)
        if path in STATIC:
            name, kind = STATIC[path]
            return Reply(body=files.bytes(name), content_type=kind, headers=NO_STORE)
        if path == "/about":
            settings = f"rate limit {self.rate_limit} per {self.window:g} s, association files: {self.association}"
            return Reply(body=files.render("home.html", title="Green Basket's loyalty server", settings=settings))
        if path == "/api/me":
            with self.state.lock:
                points = self.state.points[ME]
            return _json(200, {"member": ME, "name": MEMBERS[0]["name"], "points": points,
                               "as_of": time.strftime("%H:%M:%S")})
        if path.startswith("/.well-known/"):
            return self.association_file(path)
        if path.startswith("/offers/"):
            return Reply(body=files.render("offer.html", title="Double points on fruit"))
        if path == "/get-the-app":
            return page("Get the app", "<p>Here the site would send the visitor to the App Store or Google Play.</p>")
        if path == "/sdk/telemetry":
            if method == "POST":
                return self.telemetry()
            with self.state.lock:
                return _json(200, {"received": self.state.telemetry})
        if path.startswith(("/v1/", "/v2/")):
            return self.api(method, path, query)
        return page("Page not found", "<p>There is no page at this address. See <a href=\"/about\">/about</a>.</p>",
                    status=404)

    # ── The API: key, scope, rate limit, then the resource ─────────────────────────────────────

    def api(self, method: str, path: str, query) -> Reply:
        key = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
        if not key:
            return _error(401, "No API key. Send one in the header Authorization: Bearer <key>.",
                          WWW_Authenticate='Bearer realm="loyalty"')
        if key not in API_KEYS:
            return _error(401, "This API key is not valid.", WWW_Authenticate='Bearer error="invalid_token"')
        waited = self.spend(key)
        if waited:
            return _error(429, f"Too many requests: at most {self.rate_limit} per {self.window:g} seconds.",
                          Retry_After=str(waited))
        version, _, rest = path[1:].partition("/")
        needs = "write" if method == "POST" else "read"
        if needs not in API_KEYS[key]:
            return _error(403, f"This key may only {', '.join(sorted(API_KEYS[key]))}; this request needs '{needs}'.")
        if rest == "members" and method != "POST":
            return self.members(version, query)
        parts = rest.split("/")
        if len(parts) == 3 and parts[0] == "members" and parts[2] == "points" and method == "POST":
            return self.add_points(parts[1])
        if rest == "webhooks" and method == "POST":
            return self.register_hook()
        return _error(404, f"No such API address: {path}. Try /{version}/members.")

    def spend(self, key: str) -> int:
        """Count one request for ``key``; 0 if allowed, else the whole seconds to wait (Retry-After)."""
        now = time.monotonic()
        with self.state.lock:
            start, used = self.state.windows.get(key, (now, 0))
            if now - start >= self.window:
                start, used = now, 0
            if now < self.state.wait_until.get(key, 0) - 0.05:   # a little slack for the clock
                self.state.ignored[key] = self.state.ignored.get(key, 0) + 1
            if used >= self.rate_limit:
                self.state.refused[key] = self.state.refused.get(key, 0) + 1
                wait = max(1, math.ceil(self.window - (now - start)))
                self.state.wait_until[key] = max(self.state.wait_until.get(key, 0), now + wait)
                return wait
            self.state.windows[key] = (start, used + 1)
            self.state.answered[key] = self.state.answered.get(key, 0) + 1
            return 0

    def members(self, version: str, query) -> Reply:
        per_page = _whole(query.get("per_page"), 10, 1, 10)
        if per_page is None:
            return _error(400, "per_page must be a whole number from 1 to 10.")
        with self.state.lock:
            rows = [{**m, "points": self.state.points[m["id"]]} for m in MEMBERS]
        if version == "v1":
            number = _whole(query.get("page"), 1, 1, 10_000)
            if number is None:
                return _error(400, "page must be a whole number from 1.")
            chunk = rows[(number - 1) * per_page:number * per_page]
            more = number * per_page < len(rows)
            return _json(200, {"data": chunk, "page": number, "per_page": per_page, "total": len(rows),
                               "next": f"/v1/members?page={number + 1}&per_page={per_page}" if more else None})
        # v2: cursors instead of page numbers, and points became an object with the tier.
        cursor = (query.get("cursor") or ["M-0000"])[0]
        after = [m for m in rows if m["id"] > cursor][:per_page]
        data = [{"id": m["id"], "name": m["name"],
                 "balance": {"points": m["points"], "tier": "gold" if m["points"] >= 2000 else "green"}}
                for m in after]
        more = bool(after) and after[-1]["id"] < rows[-1]["id"]
        return _json(200, {"data": data, "next_cursor": after[-1]["id"] if more else None})

    def body_json(self):
        try:
            value = json.loads(getattr(self, "request_body", b"") or b"null")
        except (ValueError, UnicodeDecodeError):
            return None
        return value if isinstance(value, dict) else None

    def add_points(self, member: str) -> Reply:
        body = self.body_json()
        add = body.get("add") if body else None
        if member not in self.state.points:
            return _error(404, f"No member {member}.")
        if isinstance(add, bool) or not isinstance(add, int) or not -10_000 <= add <= 10_000:
            return _error(400, 'Send JSON such as {"add": 50}: a whole number of points from -10000 to 10000.')
        with self.state.lock:
            self.state.points[member] = max(0, self.state.points[member] + add)
            points, hooks = self.state.points[member], list(self.state.hooks)
        event = {"event": "points.changed", "member": member, "added": add, "points": points}
        for hook in hooks:
            self.deliver(hook, event)
        return _json(200, event)

    def register_hook(self) -> Reply:
        body = self.body_json() or {}
        url, secret = body.get("url"), body.get("secret")
        parts = urlsplit(url) if isinstance(url, str) else None
        if not parts or parts.scheme != "http" or parts.hostname != "127.0.0.1" or not parts.port:
            return _error(400, 'Send JSON such as {"url": "http://127.0.0.1:PORT/hook", "secret": "..."}: '
                          "this demo calls only servers on this computer.")
        if not isinstance(secret, str) or _secret(secret):
            return _error(400, "The secret must be text of 8 to 64 characters, with no spaces.")
        with self.state.lock:
            self.state.hooks.append({"url": url, "secret": secret})
        return _json(201, {"registered": url, "events": ["points.changed"]})

    def deliver(self, hook: dict, event: dict) -> None:
        """POST the event to the hook's URL, signed; remember what came back."""
        body = json.dumps(event).encode()
        parts = urlsplit(hook["url"])
        result = {"url": hook["url"], "event": event}
        try:
            connection = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=2)
            connection.request("POST", parts.path or "/", body, {
                "Content-Type": JSON, WEBHOOK_HEADER: sign(hook["secret"], body), "User-Agent": "loyalty-webhooks"})
            result["status"] = connection.getresponse().status
            connection.close()
        except OSError as error:
            result["status"] = None
            result["error"] = str(error)
        with self.state.lock:
            self.state.deliveries.append(result)

    def telemetry(self) -> Reply:
        body = self.body_json()
        if body is None:
            return _error(400, "Telemetry must be a JSON object.")
        with self.state.lock:
            self.state.telemetry.append({k: str(v)[:80] for k, v in list(body.items())[:10]})
        return Reply(204)

    def association_file(self, path: str) -> Reply:
        android, apple = ASSOCIATIONS[self.association]
        name = {"/.well-known/assetlinks.json": android, "/.well-known/apple-app-site-association": apple}.get(path)
        if name is None:
            return page("Not found", "<p>This site serves no such file.</p>", status=404)
        return Reply(body=files.bytes(f"wellknown/{name}"), content_type=JSON)


@demo("loyalty-webhooks")
class WebhookReceiverHandler(DemoHandler):
    description = "the marketer's tool: receives the loyalty API's webhooks at /hook and checks their signature"
    settings = {"secret": Setting(str, "whsec-green-basket", "the secret shared with the loyalty API, which "
                                  "signs each webhook", check=_secret)}
    secret = "whsec-green-basket"

    def respond(self, path, query):
        events = self.server.__dict__.setdefault("received", [])
        if path == "/hook" and self.command == "POST":
            body = getattr(self, "request_body", b"")
            valid = hmac.compare_digest(sign(self.secret, body), self.headers.get(WEBHOOK_HEADER) or "")
            try:
                event = json.loads(body)
                event = event if isinstance(event, dict) else {}
            except (ValueError, UnicodeDecodeError):
                event = {}
            events.append({"event": str(event.get("event", "?")), "member": str(event.get("member", "?")),
                           "points": str(event.get("points", "?")), "valid": valid})
            return Reply(204) if valid else _error(401, "The signature does not match: this did not come from the API.")
        if path == "/":
            return Reply(body=files.render("received.html", title="Webhooks received", events=events))
        if path == "/received.json":
            return _json(200, events)
        return page("Page not found", "<p>Webhooks arrive at POST /hook; see them at /.</p>", status=404)
