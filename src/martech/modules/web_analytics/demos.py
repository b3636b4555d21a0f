"""The demo server of module "web-analytics". Start it with ``martech serve analytics``.

A small running-shoe shop whose pages carry a tiny analytics tag (served/analytics.js). The tag
sends a page view as a pixel (a 1x1 image, GET /collect?...) and every other event as a
beacon (navigator.sendBeacon, POST /collect). The collector on the same server (first party)
stores each event as one row in SQLite. /events shows the rows, /report the dashboard.

What it serves is in served/, as files: edit the pages there, not here.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
from datetime import datetime
from pathlib import Path
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qs, urlsplit

from martech.modules.web_analytics.reports import dashboard
from martech.modules.web_analytics.store import EventStore, StoreFull, cell_text, classify
from martech.modules.web_analytics.traffic import PRICE
from martech.served import Served
from martech.servers import DemoHandler, Reply, Setting, demo, page

files = Served(__file__)
PIXEL_GIF = files.bytes("pixel.gif")

PAGES = {"/": "home.html", "/autumn-sale": "autumn-sale.html", "/product/trail-runner": "product.html",
         "/cart": "cart.html", "/checkout": "checkout.html", "/thank-you": "thank-you.html"}
FIELD_LIMITS = {"event": 40, "page": 200, "client_id": 64, "utm_source": 100, "utm_medium": 100,
                "utm_campaign": 100, "referrer": 500, "variant": 10, "order_id": 20}


def now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def shop_page(path: str, query) -> Reply:
    """One of the shop's PAGES; the thank-you page shows the order number from its address."""
    order = query.get("order", [""])[0]
    if path == "/thank-you" and (not order.isdigit() or len(order) > 10):
        return page("No such order", '<p>This page needs an order number. <a href="/">Back to the shop</a>.</p>', status=400)
    return Reply(body=files.render(PAGES[path], order=order))


class BadEvent(ValueError):
    pass


def parse_event(fields: dict[str, str]) -> dict:
    """Check one event from the tag; BadEvent says what is wrong, in plain words."""
    event = {}
    for name, limit in FIELD_LIMITS.items():
        value = fields.get(name)
        if value is None or value == "":
            continue
        if len(value) > limit:
            raise BadEvent(f"{name} is longer than {limit} characters")
        event[name] = value
    if not re.fullmatch(r"[a-z][a-z0-9_]*", event.get("event", "")):
        raise BadEvent("event must be a name such as page_view (lower-case letters, digits, _)")
    if not re.fullmatch(r"[0-9A-Za-z._-]+", event.get("client_id", "")):
        raise BadEvent("client_id is missing or has characters other than letters, digits, . _ -")
    if "page" in event and not event["page"].startswith("/"):
        raise BadEvent("page must be a path starting with /")
    if fields.get("engagement_ms"):
        if not fields["engagement_ms"].isdigit() or int(fields["engagement_ms"]) > 86_400_000:
            raise BadEvent("engagement_ms must be a whole number of milliseconds (at most a day)")
        event["engagement_ms"] = int(fields["engagement_ms"])
    if fields.get("value"):
        try:
            value = float(fields["value"])
        except ValueError:
            raise BadEvent("value must be a number such as 89.90") from None
        if not 0 <= value <= 1_000_000:
            raise BadEvent("value must be between 0 and 1,000,000")
        event["value"] = value
    return event


# Two first requests at once must not give one server two event logs.
_STATE_LOCK = threading.Lock()


def _state(server):
    """The event log of one running server, created on its first request."""
    with _STATE_LOCK:
        if "analytics" not in server.__dict__:
            handler = server.RequestHandlerClass
            server.analytics = EventStore(getattr(handler, "db", "") or ":memory:")
            server.order_numbers = itertools.count(1001)
            if hasattr(server, "on_close"):  # close the database file when the server stops
                server.on_close(server.analytics.close)
        return server.analytics


def events_of(site) -> EventStore:
    """The event log of a running ``analytics`` demo server."""
    return _state(getattr(site, "server", None) or site._server)


def usable_database(name: str) -> str | None:
    """What is wrong with ``name`` as the demo's SQLite file, in words; None if it will do.

    Checked before the server starts: otherwise every page would answer 500, and a file that is
    not a database (say, a learner's notes) must never be opened, let alone written to.
    """
    if not name:
        return None
    path = Path(name).expanduser()
    if path.is_dir():
        return "names a folder, not a file: give a file name such as events.sqlite"
    if not path.parent.is_dir():
        return f"needs a folder that exists, and {path.parent} does not"
    if path.exists():
        with path.open("rb") as file:
            head = file.read(16)
        if head and head != b"SQLite format 3\x00":
            return "names a file that is not a SQLite database (it is left as it is): give a new file name"
    return None


@demo("analytics")
class AnalyticsHandler(DemoHandler):
    description = "a shoe shop with its own analytics: a pixel and a beacon send events to /collect, stored in SQLite"
    settings = {"db": Setting(str, "", "a SQLite file to keep the events in (default: in memory, gone when the "
                                       "server stops)", check=usable_database)}
    db: str

    def respond(self, path, query):
        store = _state(self.server)
        if path == "/collect":
            return self.collect(store, query)
        if self.command == "POST" and path != "/order":
            return Reply(405, "Only /collect and /order accept POST.\n", "text/plain; charset=utf-8", {"Allow": "GET, HEAD"})
        if path in PAGES or path == "/order":
            store.log_request(now(), path, self.headers.get("User-Agent"))
        if path == "/order":
            if self.command != "POST":
                return Reply(405, "Send the order form with POST.\n", "text/plain; charset=utf-8", {"Allow": "POST"})
            order_id = str(next(self.server.order_numbers))
            store.add_order(order_id, now(), self.client_id(), PRICE)
            return Reply(303, "", headers={"Location": f"/thank-you?order={order_id}"})
        if path in PAGES:
            return shop_page(path, query)
        if path == "/analytics.js":
            # Served from the shop's own address (first party); ad blockers still block scripts
            # like this one by their address.
            return Reply(200, files.bytes("analytics.js"), "text/javascript; charset=utf-8", {"Cache-Control": "no-cache"})
        if path == "/events":
            return self.events_page(store)
        if path == "/report":
            return self.report_page(store)
        return page("Page not found", '<p>There is no page at this address. <a href="/">Back to the shop</a>.</p>', status=404)

    def client_id(self) -> str | None:
        try:
            cookie = SimpleCookie(self.headers.get("Cookie", ""))
        except CookieError:
            return None
        return cookie["cid"].value if "cid" in cookie else None

    def collect(self, store: EventStore, query) -> Reply:
        """The collector: a pixel (GET with the data in the address) or a beacon (POST body)."""
        if self.command == "HEAD":
            return Reply(200, PIXEL_GIF, "image/gif", {"Cache-Control": "no-store"})
        if self.command == "POST":
            raw = self.request_body.decode("utf-8", errors="replace")
            try:
                if raw.lstrip().startswith("{"):
                    fields = json.loads(raw)
                    if not isinstance(fields, dict):
                        raise BadEvent("the JSON must be an object")
                else:
                    fields = {k: v[0] for k, v in parse_qs(raw).items()}
                fields = {str(k): ("" if v is None else str(v)) for k, v in fields.items()}
            except (ValueError, RecursionError):
                return _bad_event("the body is neither form data (a=1&b=2) nor a JSON object")
        else:
            fields = {k: v[0] for k, v in query.items()}
        try:
            event = parse_event(fields)
        except BadEvent as problem:
            return _bad_event(str(problem))
        if event.get("referrer"):
            # Links inside the shop are not a traffic source: keep only other sites.
            own_host = (self.headers.get("Host") or "").lower()
            if (urlsplit(event["referrer"]).netloc or "").lower() == own_host:
                del event["referrer"]
        device, is_bot = classify(self.headers.get("User-Agent"))
        transport = "beacon" if self.command == "POST" else "pixel"
        try:
            store.add(ts=now(), user_agent=(self.headers.get("User-Agent") or "")[:300], device=device,
                      is_bot=is_bot, transport=transport, **event)
        except StoreFull as full:
            return Reply(503, f"Not stored: {full}.\n", "text/plain; charset=utf-8", {"Retry-After": "60"})
        if self.command == "POST":
            return Reply(204, b"", headers={"Cache-Control": "no-store"})
        return Reply(200, PIXEL_GIF, "image/gif", {"Cache-Control": "no-store"})

    def events_page(self, store: EventStore) -> Reply:
        # What a marketer looks for first (event, page, campaign tags) comes first.
        table = store.sql("SELECT event, page, utm_source, utm_medium, utm_campaign, ts, client_id, device, is_bot, "
                          "transport, id FROM events ORDER BY id DESC LIMIT 50")
        total = store.rows("SELECT COUNT(*) FROM events")[0][0]
        return Reply(body=files.render("events.html", total=total, columns=table.columns,
                                       rows=[[cell_text(v) for v in row] for row in table.rows]))

    def report_page(self, store: EventStore) -> Reply:
        store.assign_sessions()
        orders = store.rows("SELECT COUNT(*) FROM orders")[0][0]
        return Reply(body=files.render("report.html", tiles=dashboard(store).tiles(), orders=orders))


def _bad_event(reason: str) -> Reply:
    return Reply(400, f"Event not stored: {reason}.\n", "text/plain; charset=utf-8", {"Cache-Control": "no-store"})
