"""Module "caching": its demo servers and its exercise checks.

Demos: ``caching`` (the shop's spring sale, with the caching headers you choose, a small CMS to
change the banner and the prices, and real answers to "has it changed?") and ``cdn`` (a shared
cache, like a CDN, in front of it: X-Cache HIT or MISS, Age, expiry and PURGE).

    shop = demo_server("caching", files="max-age=60, s-maxage=3600")
    cdn = demo_server("cdn", origin=shop.port)
    fetch(cdn.url + "/img/banner.svg").header("X-Cache")      # MISS, then HIT
"""

from __future__ import annotations

import hashlib
import html
import http.client
import re
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from functools import cache
from urllib.parse import parse_qs, urlencode

from martech.checks import NotYet, as_text, as_whole_number, expect_choice, task
from martech.client import Response, fetch
from martech.servers import HOST, DemoHandler, Reply, demo, demo_server, page

# ── The rules, once: what a cache may do with a response (RFC 9111, kept minimal) ──────────

def directives(cache_control: str | None) -> dict[str, str | None]:
    """A Cache-Control value as {directive: argument}: "public, max-age=60" → {"public": None, "max-age": "60"}."""
    found: dict[str, str | None] = {}
    for part in (cache_control or "").split(","):
        name, _, argument = part.partition("=")
        if name.strip():
            found.setdefault(name.strip().lower(), argument.strip().strip('"') or None)
    return found


def lifetime(cache_control: str | None, shared: bool) -> int | None:
    """Seconds a cache may reuse a response without asking the origin; None if it must not store it.

    shared: a CDN or proxy (True) or a browser's own cache (False). RFC 9111 sections 3, 4.2.1
    and 5.2, reduced: no lifetime given means "do not store" here (real caches may guess one:
    heuristic freshness), and Expires is not read.
    """
    found = directives(cache_control)
    if "no-store" in found or (shared and "private" in found):
        return None
    if "no-cache" in found:
        return 0  # store, but ask the origin before every use
    for name in (("s-maxage", "max-age") if shared else ("max-age",)):
        if name in found:
            value = found[name] or ""
            return int(value) if value.isdigit() else 0  # an invalid lifetime counts as stale
    return None


def not_modified(request_headers, etag: str | None, last_modified: str | None) -> bool:
    """True when a conditional request says "I have this version already" (RFC 9110, 13.1)."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return bool(etag) and ("*" in tags or etag.removeprefix("W/") in tags)
    if_modified_since = request_headers.get("If-Modified-Since")
    if if_modified_since and last_modified:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False  # a date we cannot read is ignored, as RFC 9110 says
    return False


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


# ── What every demo here shares: per-server state and a log of the requests that reached it ──

_CREATE = threading.Lock()


def _shared(server, name: str, factory):
    """One object per running server, shared by its request threads (created once, under a lock)."""
    with _CREATE:
        if name not in server.__dict__:
            server.__dict__[name] = factory()
        return server.__dict__[name]


@dataclass
class Seen:
    """One request that reached a server, and what the server answered."""

    method: str
    path: str
    status: int
    body_bytes: int
    conditional: bool
    note: str = ""

    def __str__(self) -> str:
        asked = " (asked: changed?)" if self.conditional else ""
        note = f" [{self.note}]" if self.note else ""
        return f"{self.method} {self.path}{asked} → {self.status}, {self.body_bytes:,} bytes of body{note}"


class RequestLog:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries: list[Seen] = []

    def add(self, seen: Seen) -> None:
        with self.lock:
            self.entries = (self.entries + [seen])[-1000:]

    def take(self) -> list[Seen]:
        with self.lock:
            taken, self.entries = self.entries, []
            return taken


def new_requests(site) -> list[Seen]:
    """The requests that reached the demo server ``site`` since the last call (oldest first)."""
    return _shared(site.server, "request_log", RequestLog).take()


class _Logged(DemoHandler):
    def send_reply(self, reply: Reply, send_body: bool = True) -> None:
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        conditional = any(h in self.headers for h in ("If-None-Match", "If-Modified-Since"))
        shown = 0 if reply.status in (204, 304) or not send_body else len(body)
        _shared(self.server, "request_log", RequestLog).add(
            Seen(self.command, self.path, reply.status, shown, conditional, reply.headers.get("X-Cache", "")))
        super().send_reply(reply, send_body)


# ── The origin: the shop, with caching headers you choose ──────────────────────────────────

PUBLISHED = "Sun, 01 Mar 2026 09:00:00 GMT"  # when the demo's files were first published
SPRING = "Spring sale: 20% off running shoes"
LONG_LIFE = "max-age=31536000, immutable"  # for fingerprinted names, whose content never changes
HEADER_VALUE = re.compile(r"[\x20-\x7e]{0,200}")


def banner_svg(text: str) -> bytes:
    colour = ("#2e7d32", "#c62828", "#1565c0", "#6a1b9a", "#ef6c00")[hashlib.sha256(text.encode()).digest()[0] % 5]
    safe = html.escape(text)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="640" height="120" viewBox="0 0 640 120" role="img" '
            f'aria-label="{safe}"><rect width="640" height="120" rx="16" fill="{colour}"/>'
            f'<text x="320" y="70" font-family="system-ui,sans-serif" font-size="30" fill="#fff" '
            f'text-anchor="middle">{safe}</text></svg>\n').encode()


def banner_text(response) -> str:
    """The words on a banner (what a customer reads), from a fetched banner SVG."""
    found = re.search(r">([^<>]*)</text>", getattr(response, "text", "") or "")
    return html.unescape(found.group(1)) if found else "(no banner in this answer)"


LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" width="180" height="48" viewBox="0 0 180 48" role="img" '
        b'aria-label="shop.example"><rect width="180" height="48" rx="10" fill="#1a1a1a"/><text x="90" y="31" '
        b'font-family="system-ui,sans-serif" font-size="20" fill="#fff" text-anchor="middle">shop.example</text></svg>\n')


@cache
def photo() -> bytes:
    """A 320 x 100 PNG of grainy green: it stands in for a photo, which hardly compresses (about 50 KB)."""
    rows, seed = [], 2026
    for y in range(100):
        row = bytearray([0])
        for x in range(320):
            seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
            grain = seed >> 24
            row += bytes((40 + grain // 2, 110 + grain // 2 - y // 3, 50 + grain // 3))
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 320, 100, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")


class Shop:
    """What the shop's CMS holds: the banner (every version ever published) and the price."""

    def __init__(self):
        self.lock = threading.Lock()
        self.banner = SPRING
        self.banner_modified = PUBLISHED
        self.versions = {self.fingerprint(SPRING): banner_svg(SPRING)}
        self.banner_path = "/img/banner.svg"
        self.price = "89.00"

    @staticmethod
    def fingerprint(text: str) -> str:
        return hashlib.sha256(banner_svg(text)).hexdigest()[:8]


HOME = """<p>The spring campaign of a small shoe shop, with the caching headers you choose.</p>
<ul>
<li><a href="/spring-sale">/spring-sale</a>: the landing page (a logo, the banner and a photo)</li>
<li><a href="/img/banner.svg">/img/banner.svg</a>: the banner, under a plain name</li>
<li><a href="/prices">/prices</a>: today's price list</li>
<li><a href="/account">/account</a>: a personal page (it reads the cookie <code>user</code>)</li>
<li><a href="/cms">/cms</a>: the CMS: publish a new banner or a new price</li>
</ul>
<p>Pages are sent with <code>Cache-Control: {pages}</code>; the banner, logo and photo with
<code>Cache-Control: {files}</code>. Start the demo with <code>--pages</code> and <code>--files</code> to change them.
Open DevTools (F12), tab Network, and load a page twice.</p>"""

CMS_FORM = """<form method="post" action="/cms">
<p><label>New banner text (up to 60 characters)<br><input name="banner" maxlength="60" value="Summer sale: 30% off sandals"></label></p>
<p><label><input type="checkbox" name="name" value="new"> publish it under a new file name (a fingerprint)</label></p>
<p><label>New price of running shoes, in euros<br><input name="price" maxlength="8" value="79.00"></label></p>
<p><button type="submit">Publish</button></p>
</form>"""


@demo("caching")
class CachingHandler(_Logged):
    description = "the spring sale with caching headers you choose (--pages, --files), ETags, 304s and a CMS"
    settings = {
        "pages": (str, "no-cache", "Cache-Control of the pages (empty: send none)"),
        "files": (str, "max-age=60", "Cache-Control of the banner, logo and photo (empty: send none)"),
        "delay": (float, 0.0, "seconds the server waits before each answer (latency)"),
    }
    pages: str
    files: str
    delay: float

    def respond(self, path, query):
        for name in ("pages", "files"):
            if not HEADER_VALUE.fullmatch(getattr(self, name)):
                return page("Server misconfigured", f"<p>The {name} setting must be plain text of at most 200 "
                            "characters, on one line.</p>", status=500, Cache_Control="no-store")
        shop = _shared(self.server, "shop", Shop)
        if path == "/cms":
            return self.cms(shop)
        if self.command == "POST":
            return Reply(405, "Only /cms accepts POST.\n", "text/plain; charset=utf-8", {"Allow": "GET, HEAD"})
        with shop.lock:
            banner, banner_path, price, modified = shop.banner, shop.banner_path, shop.price, shop.banner_modified
            fingerprinted = shop.versions.get(m.group(1)) if (m := re.fullmatch(r"/img/banner\.([0-9a-f]{8})\.svg", path)) else None
        if path == "/":
            return self.cached(page("shop.example: caching demo", HOME.format(
                pages=html.escape(self.pages or "(none)"), files=html.escape(self.files or "(none)"))), self.pages)
        if path == "/spring-sale":
            body = (f'<p><img src="/img/logo.svg" alt="shop.example" width="180" height="48"></p>'
                    f'<p><img src="{banner_path}" alt="{html.escape(banner)}" width="640" height="120" style="max-width:100%;height:auto"></p>'
                    f'<p><img src="/img/hero.png" alt="" width="320" height="100"></p>'
                    f'<p>{html.escape(banner)}. Only this week. <a href="/prices">See the prices</a>.</p>')
            return self.cached(page("Spring sale", body), self.pages)
        if path == "/prices":
            return self.cached(page("Price list", f"<p>Running shoes: €{price}</p><p>Prices change at midnight.</p>"), self.pages)
        if path == "/account":
            user = re.sub(r"[^A-Za-z ]", "", self.cookie("user"))[:30]
            text = (f"<p>Hello, {html.escape(user)}. Your last order: running shoes, size 42. "
                    f"Delivery to {html.escape(user)}'s home address.</p>") if user else "<p>Please sign in.</p>"
            return self.cached(page("Your account", text), self.pages)
        if path == "/img/banner.svg":
            return self.cached(Reply(200, banner_svg(banner), "image/svg+xml"), self.files, modified)
        if fingerprinted:
            return self.cached(Reply(200, fingerprinted, "image/svg+xml"), LONG_LIFE, modified)
        if path == "/img/logo.svg":
            return self.cached(Reply(200, LOGO, "image/svg+xml"), self.files, PUBLISHED)
        if path == "/img/hero.png":
            return self.cached(Reply(200, photo(), "image/png"), self.files, PUBLISHED)
        return page("Page not found", "<p>There is no page at this address. Try <a href=\"/\">the home page</a>.</p>",
                    status=404, Cache_Control="no-store")

    def cached(self, reply: Reply, cache_control: str, last_modified: str | None = None) -> Reply:
        """The reply with its caching headers, or a bodiless 304 when the client has this version."""
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        headers = {"ETag": etag_of(body)}
        if last_modified:
            headers["Last-Modified"] = last_modified
        if cache_control:
            headers["Cache-Control"] = cache_control
        if not_modified(self.headers, headers["ETag"], last_modified):
            return Reply(304, b"", headers=headers)
        return Reply(reply.status, body, reply.content_type, {**headers, **reply.headers})

    def cms(self, shop: Shop) -> Reply:
        if self.command != "POST":
            return page("CMS: publish", CMS_FORM, Cache_Control="no-store")
        form = parse_qs(self.request_body.decode("utf-8", "replace"))
        banner = form.get("banner", [""])[0].strip()
        price = form.get("price", [""])[0].strip()
        if not banner and not price:
            return page("Nothing to publish", "<p>Send <code>banner=…</code> and/or <code>price=…</code>.</p>",
                        status=400, Cache_Control="no-store")
        if len(banner) > 60 or not re.fullmatch(r"\d{1,5}(\.\d\d)?", price or "0"):
            return page("Cannot publish that", "<p>The banner takes up to 60 characters; the price a number "
                        "such as 79.00.</p>", status=400, Cache_Control="no-store")
        with shop.lock:
            if banner:
                shop.banner, shop.banner_modified = banner, formatdate(usegmt=True)
                fingerprint = shop.fingerprint(banner)
                shop.versions[fingerprint] = banner_svg(banner)
                shop.banner_path = f"/img/banner.{fingerprint}.svg" if form.get("name") == ["new"] else "/img/banner.svg"
            if price:
                shop.price = price
            done = [f"banner: {html.escape(shop.banner)} at {shop.banner_path}"] if banner else []
            done += [f"price: €{shop.price}"] if price else []
        return page("Published", f"<p>Published {'; '.join(done)}.</p><p><a href=\"/spring-sale\">See the page</a></p>",
                    Cache_Control="no-store")

    def cookie(self, name: str) -> str:
        for part in (self.headers.get("Cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return ""

    def send_reply(self, reply, send_body=True):
        time.sleep(min(max(self.delay, 0.0), 10.0))
        super().send_reply(reply, send_body)


# ── The shared cache: a CDN-like proxy in front of the origin ──────────────────────────────

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
              "host", "content-length", "if-none-match", "if-modified-since"}
NOT_RELAYED = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-type", "date", "server"}


@dataclass
class Stored:
    reply: Reply
    date: str | None
    stored_at: float
    lifetime: int


@dataclass
class Store:
    lock: threading.Lock = field(default_factory=threading.Lock)
    entries: dict[str, Stored] = field(default_factory=dict)


@demo("cdn")
class CdnHandler(_Logged):
    description = "a shared cache (like a CDN) in front of the caching demo: X-Cache HIT or MISS, Age, PURGE"
    settings = {"origin": (int, 0, "port of the origin server (0: start a caching demo behind it)")}
    origin: int
    max_entries, max_stored_bytes = 1000, 5_000_000

    def do_PURGE(self) -> None:
        """Remove one address from the cache, as Fastly and Varnish allow with the PURGE method."""
        self.origin_date = None  # one handler serves every request of a kept-alive connection
        store = _shared(self.server, "store", Store)
        with store.lock:
            found = store.entries.pop(self.path, None) is not None
        text = f"Purged {self.path}\n" if found else f"{self.path} was not in the cache: nothing to purge\n"
        self.send_reply(Reply(200, text, "text/plain; charset=utf-8", {"Cache-Control": "no-store"}))

    @property
    def via(self) -> str:
        """This cache's entry in the Via header (RFC 9110, 7.6.3): how loops are spotted."""
        return f"1.1 {HOST}:{self.server.server_address[1]} (martech cdn demo)"

    def respond(self, path, query):
        self.origin_date = None  # one handler serves every request of a kept-alive connection
        if self.via in self.headers.get("Via", ""):
            return page("Loop detected", "<p>This request has already passed through this CDN.</p>", status=508)
        store, key = _shared(self.server, "store", Store), self.path
        if self.command == "POST":  # never stored; a success makes the stored copy invalid (RFC 9111, 4.4)
            reply = self.forward("POST", self.request_body)
            if reply.status < 400:
                with store.lock:
                    store.entries.pop(key, None)
            return self.answer(reply, "MISS")
        now = time.monotonic()
        with store.lock:
            entry = store.entries.get(key)
        if entry and now - entry.stored_at < entry.lifetime:
            return self.answer(entry.reply, "HIT", entry, now)
        validators = {}
        if entry:  # stale or no-cache: ask the origin "has it changed?"
            validators = {k: v for k, v in (("If-None-Match", entry.reply.headers.get("ETag")),
                                            ("If-Modified-Since", entry.reply.headers.get("Last-Modified"))) if v}
        reply = self.forward("GET", None, validators)
        if entry and validators and reply.status == 304:
            headers = {**entry.reply.headers, **reply.headers}  # the 304's headers update the stored ones
            refreshed = Stored(Reply(entry.reply.status, entry.reply.body, entry.reply.content_type, headers),
                               reply.headers.get("Date"), now, lifetime(headers.get("Cache-Control"), shared=True) or 0)
            with store.lock:
                store.entries[key] = refreshed
            return self.answer(refreshed.reply, "REVALIDATED", refreshed, now)
        life = lifetime(reply.headers.get("Cache-Control"), shared=True)
        body = reply.body if isinstance(reply.body, bytes) else reply.body.encode()
        with store.lock:
            if life is None or reply.status not in (200, 301, 404, 410) or len(body) > self.max_stored_bytes:
                store.entries.pop(key, None)
            elif key in store.entries or len(store.entries) < self.max_entries:
                store.entries[key] = Stored(reply, reply.headers.get("Date"), now, life)
        return self.answer(reply, "MISS")

    def answer(self, reply: Reply, status: str, entry: Stored | None = None, now: float = 0.0) -> Reply:
        headers = {k: v for k, v in reply.headers.items() if k != "Date"}
        headers.update({"Via": ", ".join(filter(None, [headers.get("Via"), self.via])), "X-Cache": status})
        if entry:
            headers["Age"] = str(int(now - entry.stored_at))
        self.origin_date = reply.headers.get("Date")
        if reply.status == 200 and not_modified(self.headers, headers.get("ETag"), headers.get("Last-Modified")):
            return Reply(304, b"", headers=headers)
        return Reply(reply.status, reply.body, reply.content_type, headers)

    def date_time_string(self, timestamp=None) -> str:
        # The Date a cache sends is the origin's: when the response was made (RFC 9110, 6.6.1).
        return getattr(self, "origin_date", None) or super().date_time_string(timestamp)

    def forward(self, method: str, body: bytes | None, extra: dict[str, str] | None = None) -> Reply:
        port = self.origin_port()
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers.update(extra or {})
        headers["Via"] = ", ".join(filter(None, [self.headers.get("Via"), self.via]))
        connection = http.client.HTTPConnection(HOST, port, timeout=10)
        try:
            connection.request(method, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read(20_000_000)
        except ConnectionRefusedError:
            return page("Bad gateway", f"<p>The origin server (port {port}) is not running.</p>", status=502)
        except (TimeoutError, socket.timeout):
            return page("Gateway timeout", "<p>The origin server did not answer in time.</p>", status=504)
        except (OSError, ValueError, OverflowError, http.client.HTTPException) as error:
            return page("Bad gateway", f"<p>The origin server could not be asked: {html.escape(str(error))}</p>", status=502)
        finally:
            connection.close()
        relayed = {k: v for k, v in answer.getheaders() if k.lower() not in NOT_RELAYED}
        relayed["Date"] = answer.getheader("Date", "")
        return Reply(answer.status, data, answer.getheader("Content-Type", "application/octet-stream"), relayed)

    def origin_port(self) -> int:
        if self.origin:
            return self.origin
        with _CREATE:  # no origin given: start a caching demo, and stop it with this server
            own = self.server.__dict__.get("own_origin")
            if own is None:
                own = self.server.__dict__["own_origin"] = demo_server("caching")
                self.server.on_close(own.stop)
        return own.port


# ── A browser's own cache, for the checks: the same rules, for one visitor ──────────────────

class BrowserCache:
    """A private cache that follows ``lifetime``: what a browser keeps for one visitor."""

    def __init__(self, cookie: str = ""):
        self.cookie = cookie
        self.entries: dict[str, tuple[Response, float, int]] = {}

    def get(self, url: str) -> tuple[Response, str]:
        """The response, and how it came: "own copy", "304" or "downloaded"."""
        now = time.monotonic()
        headers = {"Cookie": self.cookie} if self.cookie else {}
        kept = self.entries.get(url)
        if kept and now - kept[1] < kept[2]:
            return kept[0], "own copy"
        if kept and kept[0].header("ETag"):
            headers["If-None-Match"] = kept[0].header("ETag")
        response = fetch(url, headers=headers)
        if not isinstance(response, Response):
            raise NotYet(f"the demo server did not answer ({response.reason}). Run the cell again.")
        if kept and response.status == 304:
            self.entries[url] = (kept[0], now, lifetime(response.header("Cache-Control"), shared=False) or 0)
            return kept[0], "304"
        life = lifetime(response.header("Cache-Control"), shared=False)
        if life is None or response.status != 200:
            self.entries.pop(url, None)
        else:  # the lifetime counts from when the origin made it: a CDN's Age is already used up
            age = response.header("Age", "0")
            self.entries[url] = (response, now, max(0, life - int(age)) if age.isdigit() else life)
        return response, "downloaded"


# ── What DevTools' Network panel shows, read from Chromium over the DevTools protocol ─────────

@dataclass
class Row:
    name: str
    status: int | None = None
    size: str = ""

    def __str__(self) -> str:
        return f"{self.name:24} {self.status or '':>4}  {self.size}"


class NetworkPanel:
    """The Network panel of one Playwright tab: Name, Status and Size, as DevTools shows them.

        panel = await NetworkPanel.open(tab)
        await tab.goto(url)
        for row in panel.take(): print(row)
    """

    def __init__(self, session):
        self.session, self.rows = session, {}

    @classmethod
    async def open(cls, tab) -> "NetworkPanel":
        panel = cls(await tab.context.new_cdp_session(tab))
        panel.session.on("Network.requestWillBeSent", panel._sent)
        panel.session.on("Network.requestServedFromCache", lambda e: panel._row(e).__setattr__("size", "(memory cache)"))
        panel.session.on("Network.responseReceived", panel._received)
        panel.session.on("Network.responseReceivedExtraInfo", lambda e: panel._row(e).__setattr__("status", e.get("statusCode")))
        panel.session.on("Network.loadingFinished", panel._finished)
        await panel.session.send("Network.enable")
        return panel

    async def disable_cache(self, disabled: bool = True) -> None:
        """What ticking DevTools' "Disable cache" box does (while DevTools is open)."""
        await self.session.send("Network.setCacheDisabled", {"cacheDisabled": disabled})

    def take(self) -> list[Row]:
        """The rows since the last call, in the order the requests started."""
        rows, self.rows = list(self.rows.values()), {}
        return rows

    def _row(self, event) -> Row:
        return self.rows.setdefault(event["requestId"], Row("?"))

    def _sent(self, event) -> None:
        url = event["request"]["url"]
        if url.startswith("http"):
            self._row(event).name = "/" + url.split("/", 3)[-1]

    def _received(self, event) -> None:
        row, response = self._row(event), event["response"]
        if row.status is None or response.get("fromDiskCache") or row.size:
            row.status = response["status"]  # from a cache, DevTools shows the stored status
        if response.get("fromDiskCache"):
            row.size = "(disk cache)"

    def _finished(self, event) -> None:
        row = self._row(event)
        if not row.size:
            row.size = f"{event['encodedDataLength']:,.0f} B transferred"


# ── Exercise checks ─────────────────────────────────────────────────────────────────────────

KNOWN = {"max-age", "s-maxage", "no-cache", "no-store", "private", "public", "immutable", "must-revalidate",
         "proxy-revalidate", "stale-while-revalidate", "stale-if-error", "no-transform", "must-understand"}
WITH_SECONDS = {"max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"}
TYPOS = {"maxage": "max-age", "max_age": "max-age", "max age": "max-age", "s-max-age": "s-maxage",
         "smaxage": "s-maxage", "s_maxage": "s-maxage", "s-max_age": "s-maxage", "nocache": "no-cache",
         "no_cache": "no-cache", "no cache": "no-cache", "nostore": "no-store", "no_store": "no-store",
         "no store": "no-store", "privat": "private", "pubic": "public"}
DAY, YEAR = 86_400, 31_536_000


def cache_control_value(answer, what: str = "cache_control") -> str:
    """The learner's Cache-Control value, tidied; a NotYet with a hint for each usual slip."""
    text = as_text(answer, what)
    if text.lower().startswith("cache-control:"):
        text = text.split(":", 1)[1].strip()
    if not text:
        raise NotYet(f"{what} is empty. Write the header's value in quotes, such as \"max-age=60\".")
    if ";" in text:
        raise NotYet("separate directives with commas, not semicolons: \"private, no-cache\".")
    if ":" in text:
        raise NotYet("put = between a directive and its number: max-age=60, not max-age: 60.")
    if len(text) > 200 or not re.fullmatch(r"[A-Za-z0-9 ,=_\-\"]+", text):
        raise NotYet("a Cache-Control value holds only directives such as max-age=60, separated by commas.")
    parts = []
    for part in text.split(","):
        name, equals, value = (p.strip() for p in part.partition("="))
        name = name.lower()
        if not name:
            raise NotYet("there is an empty directive: two commas in a row, or a comma at the end?")
        if name in TYPOS:
            raise NotYet(f"{name!r} is almost right: write {TYPOS[name]}.")
        if name == "expires":
            raise NotYet("Expires is a header of its own. Here, give the lifetime in seconds: max-age=3600.")
        if name not in KNOWN:
            raise NotYet(f"{name!r} is not a Cache-Control directive. Use max-age, s-maxage, no-cache, no-store, "
                         "private, public, immutable or must-revalidate.")
        if name in WITH_SECONDS and not value.isdigit():
            raise NotYet(f"{name} takes a number of seconds, written as digits: {name}=3600 is an hour, "
                         f"{name}=86400 a day. You wrote {part.strip()!r}.")
        if name not in WITH_SECONDS and equals:
            raise NotYet(f"{name} takes no value: write just {name}.")
        parts.append(f"{name}={value}" if equals else name)
    return ", ".join(parts)


def span(seconds: int) -> str:
    """Seconds in words: 90 → "1.5 minutes"."""
    for unit, size in (("year", YEAR), ("day", DAY), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            amount = f"{seconds / size:.1f}".removesuffix(".0")
            return f"{amount} {unit}{'' if amount == '1' else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


class _Rig:
    """An origin with the learner's header and a CDN in front of it, for one check."""

    def __init__(self, **settings):
        self.origin = demo_server("caching", **settings)
        self.cdn = demo_server("cdn", origin=self.origin.port)

    def publish(self, **fields) -> None:
        fetch(self.origin.url + "/cms", method="POST", body=urlencode(fields))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cdn.stop()
        self.origin.stop()


def _no_lifetime(cache_control: str) -> NotYet:
    if "s-maxage" in directives(cache_control):
        return NotYet("s-maxage speaks only to shared caches such as the CDN. Browsers get no lifetime and guess one "
                      "(heuristic freshness). Add max-age for them too, such as max-age=0.")
    return NotYet(f"\"{cache_control}\" gives no lifetime, so each browser guesses one (heuristic freshness: often "
                  "a tenth of the time since the file last changed). Say it yourself with max-age or no-cache.")


@task
def revalidation(status, body_bytes):
    status = as_whole_number(status, "status")
    body_bytes = as_whole_number(body_bytes, "body_bytes")
    with demo_server("caching") as shop:
        full = fetch(shop.url + "/img/banner.svg")
        truth = fetch(shop.url + "/img/banner.svg", headers={"If-None-Match": full.header("ETag")})
    if status == 200:
        raise NotYet("200 means the server sent the whole banner again. Send the ETag of the first answer in an "
                     "If-None-Match header, quotes included: headers={\"If-None-Match\": etag}.")
    if status == 404:
        raise NotYet("404: check the path. The banner is at /img/banner.svg.")
    if status != truth.status:
        raise NotYet(f"the server does not answer {status} to that question. Print second.status to read it.")
    if body_bytes == len(full.body):
        raise NotYet(f"{body_bytes} bytes is the size of the whole banner. How long is the body of the 304 answer?")
    if body_bytes != 0:
        raise NotYet("count the bytes of the second answer's body: len(second.body).")
    return (f"304 Not Modified, with no body at all, instead of {len(full.body)} bytes. The browser shows its own "
            "copy; only the headers travelled.")


@task
def logo(cache_control):
    value = cache_control_value(cache_control)
    found, own, shared = directives(value), lifetime(value, shared=False), lifetime(value, shared=True)
    with _Rig(files=value) as rig:
        ana = BrowserCache()
        first, _ = ana.get(rig.cdn.url + "/img/logo.svg")
        _, how = ana.get(rig.cdn.url + "/img/logo.svg")
    if "no-store" in found:
        raise NotYet(f"with no-store, Ana's browser downloaded the whole logo again on her second page view "
                     f"({len(first.body)} bytes), and it will on every view: a logo fetched every time. "
                     "The logo only changes with a new file name, so let caches keep it: max-age=31536000 is a year.")
    if own == 0:
        raise NotYet(f"on her second page view Ana's browser asked \"changed?\" and got a {how}: small, but one round "
                     "trip per view, for a file that never changes under this name. Give it a long max-age.")
    if own is None:
        raise _no_lifetime(value)
    if own < DAY:
        raise NotYet(f"the logo is fetched again after {span(own)}, though it never changes under this name. "
                     "Give it a long lifetime: max-age=31536000 is a year.")
    if shared is None:
        raise NotYet("private keeps the logo out of the CDN, so every new visitor's browser fetches it from your "
                     "server. The logo is the same for everyone: drop private.")
    if shared < DAY:
        raise NotYet(f"s-maxage={shared} makes the CDN fetch the logo again after {span(shared)}. Drop s-maxage, "
                     "or make it as long as max-age.")
    tip = "" if "immutable" in found else " Tip: add immutable, so that even a reload does not ask again."
    used = "her browser used its own copy" if how == "own copy" else f"her browser got a {how}"
    return (f"Ana's second page view sent no request for the logo: {used}. Browsers and the CDN keep it for "
            f"{span(own)}. A new logo gets a new file name, so no one sees an old one.{tip}")


@task
def launch_page(cache_control):
    value = cache_control_value(cache_control)
    found, own, shared = directives(value), lifetime(value, shared=False), lifetime(value, shared=True)
    with _Rig(pages=value) as rig:
        ana, ben = BrowserCache(), BrowserCache()
        ana.get(rig.cdn.url + "/spring-sale")
        new_requests(rig.origin)
        rig.publish(banner="Spring sale: 25% off running shoes")  # 10:00, the fix
        ana_page, ana_how = ana.get(rig.cdn.url + "/spring-sale")
        ben_page, _ = ben.get(rig.cdn.url + "/spring-sale")
        ben_hit = ben_page.header("X-Cache") == "HIT"
    ana_old, ben_old = "20% off" in ana_page.text, "20% off" in ben_page.text
    if "no-store" in found:
        raise NotYet("with no-store, no cache keeps the page: on launch day every view is a full download from "
                     "your server, at its busiest. Let the CDN help: max-age=0, s-maxage=60.")
    if "private" in found:
        raise NotYet("private keeps the page out of the CDN, so on launch day every view reaches your server. "
                     "The landing page is the same for everyone: drop private.")
    if own is None:
        raise _no_lifetime(value)
    if own > 60:
        seen = "still saw the old one: her browser showed its own copy without asking" if ana_how == "own copy" and ana_old \
            else "could see the old one: her browser may show its own copy without asking"
        raise NotYet(f"you fixed the offer at 10:00, but Ana {seen}, for up to {span(own)}. No purge reaches a "
                     "browser. On launch day keep max-age short: 0 to 60 seconds.")
    if shared is not None and shared > 300:
        raise NotYet(f"after the fix at 10:00, Ben (a new visitor) {'got the old offer from the CDN (X-Cache: HIT)' if ben_hit and ben_old else 'could get the old offer from the CDN'}, "
                     f"and so would everyone for {span(shared)}, unless someone purges. On launch day keep s-maxage to "
                     "a minute or a few: s-maxage=60.")
    if shared == 0:
        return ("every view asks your server \"changed?\"; an unchanged page costs a small 304, and a fix shows at "
                "once. To take load off your server on launch day, let the CDN keep it a minute: max-age=0, s-maxage=60.")
    return (f"browsers {'check every time' if own == 0 else f'keep it {span(own)} at most'}; the CDN answers from its "
            f"copy and asks your server again only after {span(shared or 0)}, however many visitors come. Right after "
            f"the fix Ben {'still got the old offer' if ben_old else 'got the new offer'}: a fix reaches everyone "
            f"within {span(max(own, shared or 0))}, or at once if you purge the CDN.")


@task
def account_page(cache_control):
    value = cache_control_value(cache_control)
    found, own, shared = directives(value), lifetime(value, shared=False), lifetime(value, shared=True)
    with _Rig(pages=value) as rig:
        ana, ben = BrowserCache("user=Ana"), BrowserCache("user=Ben")
        ana.get(rig.cdn.url + "/account")
        ben_page, _ = ben.get(rig.cdn.url + "/account")
    if "Ana" in ben_page.text:
        raise NotYet(f"Ben opened his account page and the CDN gave him Ana's (X-Cache: {ben_page.header('X-Cache')}): "
                     "her name and address, served to everyone. A personal page cached for everyone! "
                     "Add private, or use no-store.")
    if shared is not None:
        raise NotYet("no leak this time: the CDN asked your server first, which answered with Ben's own page. But "
                     "the CDN kept a copy of Ana's page on a machine shared by all visitors. Add private, or use no-store.")
    if "no-store" in found:
        tip = "" if "private" in found else (" MDN advises adding private as well (or using private, no-cache): a CDN "
                                             "can be set up to ignore no-store, but private says plainly the page is for one person.")
        return f"nothing is stored, not in the CDN, not even in the browser, and Ben saw his own page.{tip}"
    if own and own > 0:
        raise NotYet(f"private keeps it out of the CDN: good. But Ana's browser may show her a copy up to {span(own)} "
                     "old without asking: a new order or a new address would be missing. Make it private, no-cache.")
    tip = "" if own == 0 else " Tip: private, no-cache makes sure her browser asks each time."
    return f"only Ana's own browser may keep Ana's page; the CDN never stores it, and Ben saw his own.{tip}"


@task
def price_list(cache_control):
    value = cache_control_value(cache_control)
    found, own, shared = directives(value), lifetime(value, shared=False), lifetime(value, shared=True)
    with _Rig(pages=value) as rig:
        ana, ben = BrowserCache(), BrowserCache()
        ana.get(rig.cdn.url + "/prices")
        _, before_midnight = ana.get(rig.cdn.url + "/prices")
        rig.publish(price="79.00")  # midnight
        ana_list, ana_how = ana.get(rig.cdn.url + "/prices")
        ben_list, _ = ben.get(rig.cdn.url + "/prices")
        size = len(ana_list.body)
    if "89.00" in ana_list.text and ana_how == "own copy":
        raise NotYet(f"at midnight the price dropped to €79.00, but Ana's browser showed her yesterday's €89.00 from "
                     f"its own copy, without asking: a stale price, for up to {span(own or 0)} after midnight. "
                     "Use no-cache: the browser then asks \"changed?\" before each use.")
    if "89.00" in ana_list.text + ben_list.text:
        who = "Ana and Ben" if "89.00" in ana_list.text and "89.00" in ben_list.text else "Ben"
        raise NotYet(f"at midnight the price dropped to €79.00, but {who} got yesterday's €89.00 from the CDN "
                     f"(X-Cache: HIT): a stale price for everyone, for up to {span(shared or 0)} after midnight. "
                     "Drop s-maxage, or use no-cache.")
    if "no-store" in found:
        raise NotYet(f"no one saw a stale price, but every view downloads the whole list again ({size} bytes), even "
                     "when nothing changed. no-cache is just as fresh: an unchanged list costs a 304 with no body.")
    if own is None:
        raise _no_lifetime(value)
    if own:
        raise NotYet(f"this time no one saw a stale price, but with max-age={own} a visitor who looked at 23:59 "
                     "sees yesterday's prices after midnight, without asking. Use no-cache.")
    return (f"before midnight Ana's second look cost a {before_midnight} with no body; after midnight both saw €79.00 "
            "at once. Every view asks \"changed?\", and only a change costs a download.")


@task
def purge_reach(choice):
    expect_choice(choice, "b", {
        "a": "a purge removes the CDN's copy only. Browsers that kept the banner do not hear of it.",
        "c": "after the purge, the CDN fetches the new banner at the next request, so new visitors get it.",
        "d": "phones and laptops keep copies alike: what counts is whether a browser kept the old banner.",
    })
    return ("visitors whose browsers kept the old banner (max-age=86400) keep seeing it for up to a day: no purge "
            "reaches a browser. A new file name does.")
