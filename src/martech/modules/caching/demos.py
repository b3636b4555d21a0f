"""The demo servers of module "caching": the shop (``caching``) and a CDN in front of it (``cdn``).

Start one with ``martech serve caching`` (or cdn). What they serve is in served/, as files: edit
the pages, the logo, the banner and the photo there, not here.
"""

from __future__ import annotations

import hashlib
import html
import http.client
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import parse_qs, parse_qsl, urlencode

from martech.modules.caching.headers import directives, etag_of, lifetime, not_modified
from martech.served import Served
from martech.servers import HOST, DemoHandler, Reply, Setting, demo, demo_server, page

served = Served(__file__)  # not "files": that is the --files setting of the caching demo

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


def header_value(value: str) -> str | None:
    """Why ``value`` cannot be sent as a header, or None: a header is one line of plain text."""
    if not HEADER_VALUE.fullmatch(value):
        return "must be one line of plain text, at most 200 characters, such as max-age=60"
    return None


def origin_port(port: int) -> str | None:
    return None if port == 0 or port >= 1024 else "must be 0 or a port from 1024 to 65535"


# Each banner text gets a colour of its own, so that a new version is seen at a glance.
BANNER_COLOURS = ("#2e7d32", "#c62828", "#1565c0", "#6a1b9a", "#ef6c00")


def banner_svg(text: str) -> bytes:
    colour = BANNER_COLOURS[hashlib.sha256(text.encode()).digest()[0] % len(BANNER_COLOURS)]
    return served.render("banner.svg", text=text, colour=colour).encode()


def banner_text(response) -> str:
    """The words on a banner (what a customer reads), from a fetched banner SVG."""
    found = re.search(r">([^<>]*)</text>", getattr(response, "text", "") or "")
    return html.unescape(found.group(1)) if found else "(no banner in this answer)"


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


@demo("caching")
class CachingHandler(_Logged):
    description = "the spring sale with caching headers you choose (--pages, --files), ETags, 304s and a CMS"
    settings = {
        "pages": Setting(str, "no-cache", "Cache-Control of the pages (empty: send none)", check=header_value),
        "files": Setting(str, "max-age=60", "Cache-Control of the banner, logo and photo (empty: send none)",
                         check=header_value),
        "delay": Setting(float, 0.0, "seconds the server waits before each answer (latency)", 0, 10, "seconds"),
    }
    pages: str
    files: str
    delay: float

    def respond(self, path, query):
        shop = _shared(self.server, "shop", Shop)
        if path == "/cms":
            return self.cms(shop)
        if self.command == "POST":
            return Reply(405, "Only /cms accepts POST.\n", "text/plain; charset=utf-8", {"Allow": "GET, HEAD"})
        with shop.lock:
            banner, banner_path, price, modified = shop.banner, shop.banner_path, shop.price, shop.banner_modified
            fingerprinted = shop.versions.get(m.group(1)) if (m := re.fullmatch(r"/img/banner\.([0-9a-f]{8})\.svg", path)) else None
        if path == "/":
            return self.served_page("home.html", pages=self.pages, files=self.files)
        if path == "/spring-sale":
            return self.served_page("spring-sale.html", banner=banner, banner_path=banner_path)
        if path == "/prices":
            return self.served_page("prices.html", price=price)
        if path == "/account":
            user = re.sub(r"[^A-Za-z ]", "", self.cookie("user"))[:30]
            return self.served_page("account.html", user=user)
        if path == "/img/banner.svg":
            return self.cached(Reply(200, banner_svg(banner), "image/svg+xml"), self.files, modified)
        if fingerprinted:
            return self.cached(Reply(200, fingerprinted, "image/svg+xml"), LONG_LIFE, modified)
        if path == "/img/logo.svg":
            return self.cached(Reply(200, served.bytes("logo.svg"), "image/svg+xml"), self.files, PUBLISHED)
        if path == "/img/hero.png":  # grainy noise: like a real photo, it hardly compresses (45 KB)
            return self.cached(Reply(200, served.bytes("hero.png"), "image/png"), self.files, PUBLISHED)
        return page("Page not found", "<p>There is no page at this address. Try <a href=\"/\">the home page</a>.</p>",
                    status=404, Cache_Control="no-store")

    def served_page(self, template: str, **values) -> Reply:
        """A page from served/, with the Cache-Control chosen for pages (--pages)."""
        return self.cached(Reply(body=served.render(template, **values)), self.pages)

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
            return Reply(body=served.render("cms.html"), headers={"Cache-Control": "no-store"})
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
            banner_path = shop.banner_path
        return Reply(body=served.render("published.html", banner=banner, banner_path=banner_path, price=price),
                     headers={"Cache-Control": "no-store"})

    def cookie(self, name: str) -> str:
        for part in (self.headers.get("Cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return ""

    def send_reply(self, reply, send_body=True):
        time.sleep(self.delay)
        super().send_reply(reply, send_body)


# ── The shared cache: a CDN-like proxy in front of the origin ──────────────────────────────

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
              "host", "content-length", "if-none-match", "if-modified-since"}
NOT_RELAYED = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-type", "date", "server"}


# Campaign tags that many sites leave out of the cache key (each CDN has its own setting for it)
MARKETING_PARAMETERS = "utm_*,gclid,fbclid"
PARAMETER_PATTERN = re.compile(r"[A-Za-z0-9_.\-]{1,40}\*?")


def parameter_list(value: str) -> str | None:
    """Why ``value`` is not a list of query parameter names (such as utm_*,gclid), or None."""
    names = [name.strip() for name in value.split(",")] if value.strip() else []
    if len(names) > 20 or not all(PARAMETER_PATTERN.fullmatch(name) for name in names):
        return ("must be query parameter names separated by commas, a * at the end for every name that starts "
                f"that way, such as {MARKETING_PARAMETERS}")
    return None


def cache_key(address: str, ignore: str = "") -> str:
    """The address a cache files a copy under: the whole path and query, minus the parameters in ``ignore``.

    By default a CDN keys on the whole address, so /spring-sale?utm_source=newsletter and
    /spring-sale are two separate copies. With ignore="utm_*,gclid,fbclid" they are one.
    """
    names = [name.strip() for name in ignore.split(",") if name.strip()]
    if not names or "?" not in address:
        return address
    path, query = address.split("?", 1)
    dropped = lambda key: any(key.startswith(n[:-1]) if n.endswith("*") else key == n for n in names)
    kept = [(key, value) for key, value in parse_qsl(query, keep_blank_values=True) if not dropped(key)]
    return path + ("?" + urlencode(kept) if kept else "")


def with_browser_ttl(cache_control: str, seconds: int) -> str:
    """Cache-Control with its max-age raised to ``seconds`` when it is shorter or missing (Cloudflare's
    Browser Cache TTL does this by default, with 4 hours); private, no-cache and no-store are left alone."""
    found = directives(cache_control)
    if not seconds or {"private", "no-cache", "no-store"} & set(found):
        return cache_control
    own = lifetime(cache_control, shared=False)
    if own is not None and own >= seconds:
        return cache_control
    kept = [part.strip() for part in cache_control.split(",")
            if part.strip() and part.split("=")[0].strip().lower() != "max-age"]
    return ", ".join([*kept, f"max-age={seconds}"])


@dataclass
class Stored:
    reply: Reply
    stored_at: float
    lifetime: int


@dataclass
class Store:
    lock: threading.Lock = field(default_factory=threading.Lock)
    entries: dict[str, Stored] = field(default_factory=dict)


@demo("cdn")
class CdnHandler(_Logged):
    description = ("a shared cache (like a CDN) in front of the caching demo: X-Cache HIT or MISS, Age, PURGE, "
                   "a cache key that can leave out campaign tags (--ignore) and a Browser Cache TTL (--browser_ttl)")
    settings = {
        "origin": Setting(int, 0, "port of the origin server (0: start a caching demo behind it)", 0, 65535,
                          check=origin_port),
        "ignore": Setting(str, "", "query parameters left out of the cache key, such as utm_*,gclid,fbclid "
                          "(empty: the whole address is the key, as on Cloudflare and Akamai by default)",
                          check=parameter_list),
        "browser_ttl": Setting(int, 0, "raise a shorter max-age sent to browsers to this many seconds, like "
                               "Cloudflare's Browser Cache TTL (0: respect the origin's headers)", 0, 31_536_000,
                               unit="seconds"),
    }
    origin: int
    ignore: str
    browser_ttl: int
    max_entries, max_stored_bytes = 1000, 5_000_000

    def do_PURGE(self) -> None:
        """Remove one address from the cache, as Fastly and Varnish allow with the PURGE method."""
        self.origin_date = None  # one handler serves every request of a kept-alive connection
        store = _shared(self.server, "store", Store)
        key = cache_key(self.path, self.ignore)
        with store.lock:
            found = store.entries.pop(key, None) is not None
        text = f"Purged {key}\n" if found else f"{key} was not in the cache: nothing to purge\n"
        self.send_reply(Reply(200, text, "text/plain; charset=utf-8", {"Cache-Control": "no-store"}))

    @property
    def via(self) -> str:
        """This cache's entry in the Via header (RFC 9110, 7.6.3): how loops are spotted."""
        return f"1.1 {HOST}:{self.server.server_address[1]} (martech cdn demo)"

    def respond(self, path, query):
        self.origin_date = None  # one handler serves every request of a kept-alive connection
        if self.via in self.headers.get("Via", ""):
            return page("Loop detected", "<p>This request has already passed through this CDN.</p>", status=508)
        store, key = _shared(self.server, "store", Store), cache_key(self.path, self.ignore)
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
                               now, lifetime(headers.get("Cache-Control"), shared=True) or 0)
            with store.lock:
                store.entries[key] = refreshed
            return self.answer(refreshed.reply, "REVALIDATED", refreshed, now)
        life = lifetime(reply.headers.get("Cache-Control"), shared=True)
        body = reply.body if isinstance(reply.body, bytes) else reply.body.encode()
        with store.lock:
            if life is None or reply.status not in (200, 301, 404, 410) or len(body) > self.max_stored_bytes:
                store.entries.pop(key, None)
            elif key in store.entries or len(store.entries) < self.max_entries:
                store.entries[key] = Stored(reply, now, life)
        return self.answer(reply, "MISS")

    def answer(self, reply: Reply, status: str, entry: Stored | None = None, now: float = 0.0) -> Reply:
        headers = {k: v for k, v in reply.headers.items() if k != "Date"}
        headers.update({"Via": ", ".join(filter(None, [headers.get("Via"), self.via])), "X-Cache": status})
        if self.browser_ttl and reply.status == 200 and lifetime(headers.get("Cache-Control"), shared=True):
            headers["Cache-Control"] = with_browser_ttl(headers["Cache-Control"], self.browser_ttl)
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
