"""Module "web-analytics": where the numbers in the dashboard come from.

Demo: ``analytics``, a small running-shoe shop whose pages carry a tiny analytics tag. The tag
sends a page view as a pixel (a 1x1 image, GET /collect?...) and every other event as a
beacon (navigator.sendBeacon, POST /collect). The collector on the same server (first party)
stores each event as one row in SQLite. /events shows the rows, /report the dashboard.

Also here, so that every number in the notebook can be traced:

- ``EventStore``: the SQLite event log, safe to share between request threads.
- ``generate_traffic``: two weeks of seeded, realistic traffic (campaigns, devices, bots,
  ad blockers, an A/B test, orders), the same numbers on every run.
- ``assign_sessions``, ``dashboard``: sessions, users, engagement, conversions, computed in
  plain Python.
- ``two_proportion_test``, ``sample_size_per_variant``: the A/B test's statistics.
"""

from __future__ import annotations

import functools
import html
import itertools
import json
import math
import random
import re
import sqlite3
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from http.cookies import CookieError, SimpleCookie
from statistics import NormalDist
from urllib.parse import parse_qs, urlsplit

from martech.checks import NotYet, as_choice, as_text, as_whole_number, task
from martech.servers import DemoHandler, Reply, demo, page

# ── The event log ───────────────────────────────────────────────────────────────

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id            INTEGER PRIMARY KEY,
    ts            TEXT NOT NULL,     -- when it happened, shop time: 2026-11-02 09:15:03
    client_id     TEXT NOT NULL,     -- the browser's id from the first-party cookie: a "user"
    event         TEXT NOT NULL,     -- page_view, user_engagement, add_to_cart, begin_checkout, purchase
    page          TEXT,              -- the path of the page, e.g. /autumn-sale
    utm_source    TEXT,              -- the campaign tags of that page's address, if any
    utm_medium    TEXT,
    utm_campaign  TEXT,
    referrer      TEXT,              -- the page on another site that linked here, if any
    user_agent    TEXT,
    device        TEXT,              -- desktop, mobile or tablet, read from the user agent
    is_bot        INTEGER NOT NULL DEFAULT 0,  -- 1 when the user agent names a known bot
    engagement_ms INTEGER,           -- user_engagement: milliseconds the page was visible
    value         REAL,              -- purchase: the order's value in euros
    order_id      TEXT,              -- purchase: the shop's order number
    variant       TEXT,              -- A/B test: the landing-page headline this browser saw
    transport     TEXT,              -- how it arrived: pixel (GET) or beacon (POST)
    session_id    TEXT,              -- filled in by assign_sessions(): client_id-number
    source        TEXT,              -- the session's traffic source, medium and campaign
    medium        TEXT,
    campaign      TEXT
);
CREATE INDEX IF NOT EXISTS events_by_client ON events (client_id, ts, id);
CREATE TABLE IF NOT EXISTS orders (        -- the shop's own order system, not analytics
    order_id   TEXT PRIMARY KEY,
    ts         TEXT NOT NULL,
    client_id  TEXT,
    value      REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (      -- the web server's log: every page it served
    id         INTEGER PRIMARY KEY,
    ts         TEXT NOT NULL,
    path       TEXT NOT NULL,
    user_agent TEXT
);
"""

EVENT_FIELDS = ("ts", "client_id", "event", "page", "utm_source", "utm_medium", "utm_campaign",
                "referrer", "user_agent", "device", "is_bot", "engagement_ms", "value", "order_id",
                "variant", "transport")
MAX_EVENTS = 20_000  # per demo server: a loop gone wild must not fill the memory


class Table:
    """The rows a query returned, shown as a plain text table."""

    def __init__(self, columns: list[str], rows: list[tuple]):
        self.columns = columns
        self.rows = rows

    def column(self, name: str) -> list:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    @property
    def value(self):
        """The single value of a one-row, one-column answer (such as a COUNT)."""
        return self.rows[0][0] if self.rows and self.rows[0] else None

    def dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        if not self.columns:
            return "(done: the query returned no table)"
        shown = [[_cell(v) for v in row] for row in self.rows[:40]]
        widths = [max([len(c)] + [len(r[i]) for r in shown]) for i, c in enumerate(self.columns)]
        numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in self.rows[:40]) for i in range(len(self.columns))]

        def line(cells):
            return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(cells, widths, numeric)).rstrip()

        out = [line(self.columns), "  ".join("─" * w for w in widths)]
        out += [line(r) for r in shown]
        if len(self.rows) > 40:
            out.append(f"… {len(self.rows) - 40} more rows ({len(self.rows)} in all)")
        if not self.rows:
            out.append("(no rows)")
        return "\n".join(out)


def _cell(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if not value.is_integer() else str(int(value))
    return str(value)


@dataclass
class SqlError:
    """What SQLite said about a query it could not run, instead of a traceback."""

    message: str
    query: str

    def __repr__(self) -> str:
        if "closed database" in self.message:
            return "This event log is closed: its demo server has stopped. Start the server again."
        return (f"SQLite could not run this query: {self.message.rstrip('.')}.\n"
                "Check the spelling of the table and column names, the commas and the quotes.")


class EventStore:
    """An event log in SQLite. One lock guards the connection, so request threads and the
    notebook can share it."""

    def __init__(self, path: str = ":memory:"):
        self.path = path
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False)
        self.db.executescript(SCHEMA)
        self.truth: dict = {}  # what really happened, when the generator knows it

    # writing
    def add(self, **fields) -> int:
        """Store one event (keywords: the column names). Device and bot come from user_agent
        unless given."""
        device, is_bot = classify(fields.get("user_agent"))
        fields.setdefault("device", device)
        fields.setdefault("is_bot", is_bot)
        row = [fields.get(name) for name in EVENT_FIELDS]
        with self.lock:
            count = self.db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            if count >= MAX_EVENTS:
                raise StoreFull(f"the demo keeps at most {MAX_EVENTS:,} events; restart the server to empty it")
            cursor = self.db.execute(
                f"INSERT INTO events ({', '.join(EVENT_FIELDS)}) VALUES ({', '.join('?' * len(EVENT_FIELDS))})", row)
            self.db.commit()
            return cursor.lastrowid

    def add_order(self, order_id: str, ts: str, client_id: str | None, value: float) -> None:
        with self.lock:
            self.db.execute("INSERT INTO orders VALUES (?, ?, ?, ?)", (order_id, ts, client_id, value))
            self.db.commit()

    def log_request(self, ts: str, path: str, user_agent: str | None) -> None:
        with self.lock:
            self.db.execute("INSERT INTO requests (ts, path, user_agent) VALUES (?, ?, ?)", (ts, path, user_agent))
            # Keep the log short on a long-running server.
            self.db.execute("DELETE FROM requests WHERE id <= (SELECT MAX(id) FROM requests) - ?", (MAX_EVENTS,))
            self.db.commit()

    # reading
    def sql(self, query: str, params: tuple = ()) -> Table | SqlError:
        """Run one SQL statement; return its rows as a Table (or, if SQLite refuses, why)."""
        if not isinstance(query, str):
            return SqlError("the query must be text in quotes", repr(query))
        try:
            with self.lock:
                cursor = self.db.execute(query, params)
                rows = cursor.fetchall()
                columns = [d[0] for d in cursor.description or []]
                self.db.commit()
        except (sqlite3.Error, ValueError, OverflowError) as error:
            return SqlError(str(error), query)
        return Table(columns, rows)

    def rows(self, query: str, params: tuple = ()) -> list[tuple]:
        with self.lock:
            return self.db.execute(query, params).fetchall()

    def copy(self) -> "EventStore":
        """An independent copy in memory (change it freely: the original stays as it is)."""
        other = EventStore()
        with self.lock:
            self.db.backup(other.db)
        other.truth = dict(self.truth)
        return other

    def assign_sessions(self, timeout_minutes: float = 30, split_at_midnight: bool = False,
                        split_on_campaign: bool = False) -> int:
        """Group each browser's events into sessions and write session_id, source, medium and
        campaign onto every event. Returns the number of sessions (bots included)."""
        updates = [(f"{client}-{number}", *source, event_id)
                   for event_id, client, number, source in _sessionize(self, timeout_minutes, split_at_midnight, split_on_campaign)]
        with self.lock:
            self.db.executemany("UPDATE events SET session_id = ?, source = ?, medium = ?, campaign = ? WHERE id = ?", updates)
            self.db.commit()
        return len({u[0] for u in updates})

    def close(self) -> None:
        with self.lock:
            self.db.close()

    def __repr__(self) -> str:
        try:
            (events, first, last), = self.rows("SELECT COUNT(*), MIN(ts), MAX(ts) FROM events")
        except sqlite3.ProgrammingError:
            return "<a closed event log (its server has stopped)>"
        if not events:
            return "<an empty event log: no events yet>"
        return (f"<an event log: {events:,} events from {first[:10]} to {last[:10]}. "
                f"Ask it questions with .sql(\"SELECT …\")>")


class StoreFull(Exception):
    pass


def now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


# ── How an event becomes a row: device, bot, traffic source ───────────────────────

BOT_MARKERS = ("bot", "crawler", "spider", "headlesschrome", "python-requests", "curl/")
SEARCH_ENGINES = {"www.google.com": "google", "google.com": "google", "www.bing.com": "bing",
                  "duckduckgo.com": "duckduckgo", "search.yahoo.com": "yahoo"}
DIRECT = ("(direct)", "(none)", "(direct)")


def classify(user_agent: str | None) -> tuple[str, int]:
    """(device, is_bot) from the User-Agent header: a simple, visible rule of thumb."""
    agent = (user_agent or "").lower()
    is_bot = int(any(marker in agent for marker in BOT_MARKERS))
    if "ipad" in agent or "tablet" in agent:
        device = "tablet"
    elif "mobi" in agent or "iphone" in agent or "android" in agent:
        device = "mobile"
    else:
        device = "desktop"
    return device, is_bot


def traffic_source(utm_source, utm_medium, utm_campaign, referrer) -> tuple[str, str, str] | None:
    """Where a page view came from: its UTM tags, else the other site that linked to it, else
    None (nothing new: typed in, a bookmark, or a link inside the shop)."""
    if utm_source:
        return utm_source, utm_medium or "(not set)", utm_campaign or "(not set)"
    if referrer:
        host = (urlsplit(referrer).hostname or "").lower()
        if host in SEARCH_ENGINES:
            return SEARCH_ENGINES[host], "organic", "(organic)"
        if host:
            return host, "referral", "(referral)"
    return None


def _sessionize(store: EventStore, timeout_minutes, split_at_midnight, split_on_campaign):
    """Yield (event id, client_id, session number, session source) for every event.

    A new session starts with a browser's first event, after more than ``timeout_minutes``
    without any event, and, if asked, at midnight and when a new campaign arrives (the old
    Universal Analytics rules; GA4 uses only the timeout).
    """
    rows = store.rows("SELECT id, client_id, ts, utm_source, utm_medium, utm_campaign, referrer "
                      "FROM events ORDER BY client_id, ts, id")
    timeout = timedelta(minutes=timeout_minutes)
    previous_client, previous_time, number, source = None, None, 0, DIRECT
    for event_id, client, ts, utm_source, utm_medium, utm_campaign, referrer in rows:
        when = datetime.fromisoformat(ts)
        arrived_from = traffic_source(utm_source, utm_medium, utm_campaign, referrer)
        if client != previous_client:
            number, new = 1, True
        else:
            new = (when - previous_time > timeout
                   or (split_at_midnight and when.date() != previous_time.date())
                   or (split_on_campaign and arrived_from is not None and arrived_from != source))
            number += new
        if new:
            source = arrived_from or DIRECT
        previous_client, previous_time = client, when
        yield event_id, client, number, source


def session_numbers(store: EventStore, timeout_minutes: float = 30, split_at_midnight: bool = False,
                    split_on_campaign: bool = False) -> list[int]:
    """The session number of each event, in the order of each browser's events (for charts)."""
    return [number for _, _, number, _ in _sessionize(store, timeout_minutes, split_at_midnight, split_on_campaign)]


def count_sessions(store: EventStore, timeout_minutes: float = 30, split_at_midnight: bool = False,
                   split_on_campaign: bool = False, bots: bool = False) -> int:
    """How many sessions the events make under these rules (without changing the log)."""
    bot_clients = set() if bots else {c for (c,) in store.rows("SELECT DISTINCT client_id FROM events WHERE is_bot = 1")}
    return len({(client, number) for _, client, number, _ in
                _sessionize(store, timeout_minutes, split_at_midnight, split_on_campaign) if client not in bot_clients})


# ── The dashboard, computed in plain Python ───────────────────────────────────────


@dataclass
class Dashboard:
    page_views: int
    users: int
    sessions: int
    engaged_sessions: int
    purchases: int
    converting_sessions: int
    revenue: float

    @property
    def engagement_rate(self) -> float:
        return 100 * self.engaged_sessions / self.sessions if self.sessions else 0.0

    @property
    def bounce_rate(self) -> float:
        return 100 - self.engagement_rate if self.sessions else 0.0

    @property
    def conversion_rate(self) -> float:
        return 100 * self.converting_sessions / self.sessions if self.sessions else 0.0

    def tiles(self) -> dict[str, str]:
        return {
            "Page views": f"{self.page_views:,}",
            "Users": f"{self.users:,}",
            "Sessions": f"{self.sessions:,}",
            "Engagement rate": f"{self.engagement_rate:.1f}%",
            "Bounce rate": f"{self.bounce_rate:.1f}%",
            "Purchases": f"{self.purchases:,}",
            "Conversion rate": f"{self.conversion_rate:.2f}%",
            "Revenue": f"€{self.revenue:,.2f}",
        }

    def __repr__(self) -> str:
        tiles = self.tiles()
        widths = [max(len(k), len(v)) for k, v in tiles.items()]
        return "\n".join(["  ".join(k.rjust(w) for k, w in zip(tiles, widths)),
                          "  ".join(v.rjust(w) for v, w in zip(tiles.values(), widths))])


ENGAGED_SECONDS = 10


def dashboard(store: EventStore, bots: bool = False) -> Dashboard:
    """The headline numbers, with GA4's definitions (as of November 2026):

    - a user is a browser (one client_id, kept in a first-party cookie);
    - an engaged session lasts longer than 10 seconds, has a key event (here: a purchase) or
      has at least 2 page views; bounce rate is the share of sessions that were not engaged;
    - conversion rate here is the share of sessions with a purchase.
    """
    if store.rows("SELECT 1 FROM events WHERE session_id IS NULL LIMIT 1"):
        store.assign_sessions()
    rows = store.rows("SELECT session_id, client_id, event, engagement_ms, value, is_bot FROM events")
    sessions: dict[str, dict] = {}
    users = set()
    page_views = purchases = 0
    revenue = 0.0
    for session_id, client, event, engagement_ms, value, is_bot in rows:
        if is_bot and not bots:
            continue
        users.add(client)
        session = sessions.setdefault(session_id, {"views": 0, "ms": 0, "key_event": False})
        if event == "page_view":
            page_views += 1
            session["views"] += 1
        elif event == "user_engagement":
            session["ms"] += engagement_ms or 0
        elif event == "purchase":
            purchases += 1
            revenue += value or 0
            session["key_event"] = True
    engaged = sum(1 for s in sessions.values()
                  if s["ms"] > ENGAGED_SECONDS * 1000 or s["views"] >= 2 or s["key_event"])
    converting = sum(1 for s in sessions.values() if s["key_event"])
    return Dashboard(page_views, len(users), len(sessions), engaged, purchases, converting, round(revenue, 2))


# ── A/B test statistics ─────────────────────────────────────────────────────────


def normal_cdf(z: float) -> float:
    """P(Z <= z) for a standard normal Z, written with math.erf."""
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


@dataclass
class ABResult:
    conversions_a: int
    users_a: int
    conversions_b: int
    users_b: int
    z: float
    p_value: float
    alpha: float = 0.05

    @property
    def rate_a(self) -> float:
        return self.conversions_a / self.users_a

    @property
    def rate_b(self) -> float:
        return self.conversions_b / self.users_b

    @property
    def lift(self) -> float:
        """B's rate relative to A's, in percent (+10 means 10% better)."""
        return 100 * (self.rate_b / self.rate_a - 1) if self.rate_a else math.inf

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha

    def __repr__(self) -> str:
        verdict = ("significant: a difference this large would rarely happen by chance alone"
                   if self.significant else
                   "NOT significant: a difference this large happens easily by chance alone")
        return (f"A: {self.conversions_a:,} of {self.users_a:,} users converted = {100 * self.rate_a:.2f}%\n"
                f"B: {self.conversions_b:,} of {self.users_b:,} users converted = {100 * self.rate_b:.2f}%\n"
                f"B vs A: {self.lift:+.1f}%   z = {self.z:.2f}   p-value = {self.p_value:.3f}\n"
                f"At the {100 * (1 - self.alpha):.0f}% level this is {verdict}.")


def two_proportion_test(conversions_a, users_a, conversions_b, users_b, alpha: float = 0.05) -> ABResult:
    """Two-sided two-proportion z-test with the pooled proportion."""
    counts = [as_whole_number(v, name) for v, name in [(conversions_a, "conversions_a"), (users_a, "users_a"),
                                                       (conversions_b, "conversions_b"), (users_b, "users_b")]]
    conversions_a, users_a, conversions_b, users_b = counts
    if users_a <= 0 or users_b <= 0 or not 0 <= conversions_a <= users_a or not 0 <= conversions_b <= users_b:
        raise NotYet("each variant needs more than 0 users, and conversions between 0 and the number of users.")
    pooled = (conversions_a + conversions_b) / (users_a + users_b)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / users_a + 1 / users_b))
    z = (conversions_b / users_b - conversions_a / users_a) / spread if spread else 0.0
    p_value = 2 * (1 - normal_cdf(abs(z)))
    return ABResult(conversions_a, users_a, conversions_b, users_b, z, p_value, alpha)


def sample_size_per_variant(baseline_rate: float, relative_lift: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Users needed in EACH variant to detect a change from ``baseline_rate`` (e.g. 0.04) to
    ``baseline_rate * (1 + relative_lift)`` (e.g. relative_lift=0.10 for +10%) with a two-sided
    test at level ``alpha`` and the given ``power`` (the usual normal-approximation formula)."""
    p1 = baseline_rate
    p2 = baseline_rate * (1 + relative_lift)
    if not (0 < p1 < 1 and 0 < p2 < 1 and p1 != p2):
        raise ValueError("the rates must lie between 0 and 1 and differ")
    z_alpha = NormalDist().inv_cdf(1 - alpha / 2)
    z_power = NormalDist().inv_cdf(power)
    average = (p1 + p2) / 2
    top = z_alpha * math.sqrt(2 * average * (1 - average)) + z_power * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(top ** 2 / (p2 - p1) ** 2)


# ── Two weeks of realistic traffic, from a seed ───────────────────────────────────

START = date(2026, 11, 2)  # a Monday
DAYS = 14
PRICE = 89.90

USER_AGENTS = {
    "mobile": ["Mozilla/5.0 (iPhone; CPU iPhone OS 19_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.1 Mobile/15E148 Safari/604.1",
               "Mozilla/5.0 (Linux; Android 16; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36"],
    "desktop": ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.1 Safari/605.1.15"],
    "tablet": ["Mozilla/5.0 (iPad; CPU OS 19_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.1 Mobile/15E148 Safari/604.1"],
}
CRAWLER_AGENT = "Mozilla/5.0 (compatible; ShopCrawler/1.0; +https://crawler.example/bot.html)"
CLICK_BOT_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/142.0.0.0 Safari/537.36"


@dataclass(frozen=True)
class Channel:
    utm: tuple[str, str, str] | None  # utm_source, utm_medium, utm_campaign
    referrer: str | None
    landing: str
    interest: float  # chance to look at the product after landing
    buying: float    # multiplies the chances to go on from cart to purchase
    dwell: float     # mean seconds on the landing page


CHANNELS = {
    "email": Channel(("newsletter", "email", "autumn_sale"), None, "/autumn-sale", 0.62, 1.25, 40),
    "cpc": Channel(("google", "cpc", "autumn_sale"), None, "/autumn-sale", 0.52, 1.1, 28),
    "brand": Channel(("google", "cpc", "brand"), None, "/", 0.66, 1.15, 30),
    "social": Channel(("instagram", "paid_social", "autumn_sale"), None, "/autumn-sale", 0.30, 0.75, 14),
    "retargeting": Channel(("instagram", "paid_social", "retargeting"), None, "/product/trail-runner", 0.90, 0.95, 20),
    "organic": Channel(None, "https://www.google.com/", "/product/trail-runner", 0.55, 0.9, 35),
    "blog": Channel(None, "https://runnersblog.example/best-trail-shoes", "/product/trail-runner", 0.70, 1.0, 45),
    "direct": Channel(None, None, "/", 0.50, 1.1, 25),
}
FIRST_VISIT = {"email": 0.07, "cpc": 0.26, "brand": 0.05, "social": 0.22, "organic": 0.18, "blog": 0.07, "direct": 0.15}
RETURN_VISIT = {"direct": 0.46, "retargeting": 0.20, "email": 0.12, "brand": 0.12, "organic": 0.10}
DEVICES = {"mobile": 0.58, "desktop": 0.36, "tablet": 0.06}
AD_BLOCKERS = {"mobile": 0.08, "desktop": 0.30, "tablet": 0.10}
HOURS = [1, 1, 0.5, 0.5, 0.5, 1, 2, 3, 4, 5, 5, 5, 6, 6, 5, 5, 5, 6, 7, 8, 9, 9, 7, 4]


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Writer:
    """Collects what a simulated browser sends (and what the shop's own systems see)."""

    def __init__(self):
        self.events: list[tuple] = []
        self.requests: list[tuple] = []
        self.orders: list[tuple] = []

    def page(self, when, client, path, agent, blocked, variant, utm=None, referrer=None):
        stamp = when.strftime("%Y-%m-%d %H:%M:%S")
        self.requests.append((stamp, path, agent))
        if not blocked:
            self.event(when, client, "page_view", path, agent, variant, utm, referrer, transport="pixel")

    def event(self, when, client, name, path, agent, variant, utm=None, referrer=None, transport="beacon",
              engagement_ms=None, value=None, order_id=None):
        device, is_bot = classify(agent)
        utm = utm or (None, None, None)
        self.events.append((when.strftime("%Y-%m-%d %H:%M:%S"), client, name, path, *utm, referrer, agent, device,
                            is_bot, engagement_ms, value, order_id, variant, transport))


def generate_traffic(seed: int = 2003, people: int = 4200, start: date = START, days: int = DAYS,
                     crawler_hits: int = 700, click_bots: int = 650) -> EventStore:
    """Two weeks of a small shop's traffic, the same for the same seed.

    People arrive through campaigns and channels, on three kinds of device; some come back;
    some switch device (and become a second "user"); some use an ad blocker (the shop still
    serves their pages and takes their orders, but analytics never hears of them). A crawler
    and a swarm of click bots on the paid-social campaign run the tag too. Half of the
    browsers see headline A on /autumn-sale, half headline B.
    """
    rng = random.Random(seed)
    out = _Writer()
    order_numbers = itertools.count(5001)
    blocked_people = 0
    for _ in range(people):
        device = _pick(rng, DEVICES)
        agent = rng.choice(USER_AGENTS[device])
        blocked = rng.random() < AD_BLOCKERS[device]
        blocked_people += blocked
        client = str(rng.randrange(10**9, 10**10))
        variant = rng.choice("AB")
        visits = rng.choices([1, 2, 3, 4], weights=[66, 22, 9, 3])[0]
        when = datetime.combine(start, datetime.min.time()) + timedelta(
            days=rng.randrange(days), hours=rng.choices(range(24), weights=HOURS)[0], seconds=rng.randrange(3600))
        bought = False
        for visit in range(visits):
            if visit:
                when += timedelta(hours=rng.uniform(2, 100))
                if rng.random() < 0.12:  # came back on another device: a new cookie, a new "user"
                    device = _pick(rng, DEVICES)
                    agent = rng.choice(USER_AGENTS[device])
                    client = str(rng.randrange(10**9, 10**10))
            if when.date() >= start + timedelta(days=days):
                break
            channel = CHANNELS[_pick(rng, RETURN_VISIT if visit else FIRST_VISIT)]
            bought |= _visit(rng, out, when, client, agent, blocked, variant, channel, visit, bought, order_numbers)
    for _ in range(crawler_hits):  # a crawler that runs scripts, with no cookie: a new "user" each time
        when = datetime.combine(start, datetime.min.time()) + timedelta(seconds=rng.randrange(days * 86400))
        path = rng.choice(["/", "/autumn-sale", "/product/trail-runner", "/cart"])
        out.page(when, "bot-" + str(rng.randrange(10**9, 10**10)), path, CRAWLER_AGENT, False, rng.choice("AB"))
    for _ in range(click_bots):  # click fraud on the paid-social campaign: one page, then gone
        when = datetime.combine(start, datetime.min.time()) + timedelta(seconds=rng.randrange(days * 86400))
        client, variant = str(rng.randrange(10**9, 10**10)), rng.choice("AB")
        utm = CHANNELS["social"].utm
        out.page(when, client, "/autumn-sale", CLICK_BOT_AGENT, False, variant, utm)
        out.event(when + timedelta(seconds=1), client, "user_engagement", "/autumn-sale", CLICK_BOT_AGENT, variant, utm,
                  engagement_ms=rng.randrange(200, 1500))
    # Like any report, the log covers the period and nothing after it: a visit that runs past
    # midnight on the last day is cut there.
    end = (start + timedelta(days=days)).isoformat()
    out.events = [e for e in out.events if e[0] < end]
    out.requests = [r for r in out.requests if r[0] < end]
    out.orders = [o for o in out.orders if o[1] < end]
    store = EventStore()
    with store.lock:
        out.events.sort()
        store.db.executemany(f"INSERT INTO events ({', '.join(EVENT_FIELDS)}) VALUES ({', '.join('?' * len(EVENT_FIELDS))})",
                             out.events)
        store.db.executemany("INSERT INTO requests (ts, path, user_agent) VALUES (?, ?, ?)", sorted(out.requests))
        store.db.executemany("INSERT INTO orders VALUES (?, ?, ?, ?)", out.orders)
        store.db.commit()
    store.truth = {"people": people, "people with an ad blocker": blocked_people, "orders": len(out.orders),
                   "seed": seed}
    return store


def _visit(rng, out, when, client, agent, blocked, variant, channel, visit, bought, order_numbers) -> bool:
    """One visit: the pages a person looks at and the events their browser sends."""
    utm, referrer = channel.utm, channel.referrer
    path = channel.landing
    # Headline B (on /autumn-sale only) makes a few more people look at the shoe.
    interest = channel.interest * (1.15 if variant == "B" and path == "/autumn-sale" else 1.0)
    steps = [path]
    if path == "/":
        steps += ["/autumn-sale"] if rng.random() < 0.6 else []
    if rng.random() < interest:
        if steps[-1] != "/product/trail-runner":
            steps.append("/product/trail-runner")
        buying = channel.buying * (1.3 if visit else 1.0) * (0.6 if bought else 1.0)
        if rng.random() < 0.17 * buying:
            steps.append("/cart")
            if rng.random() < 0.60:
                steps.append("/checkout")
                if rng.random() < min(0.95, 0.55 * buying):
                    steps.append("/thank-you")
    elif len(steps) == 1 and rng.random() < 0.15:
        steps.append(rng.choice(["/", "/autumn-sale"]) if path == "/product/trail-runner" else "/product/trail-runner")
    campaign_switch = len(steps) >= 3 and rng.random() < 0.05
    long_pause = len(steps) >= 3 and rng.random() < 0.05
    mean_dwell = channel.dwell
    for number, page_path in enumerate(steps):
        page_utm, page_referrer = (utm, referrer) if number == 0 else (None, None)
        if number == 1 and campaign_switch:  # opened a newsletter link in the middle of the visit
            page_path, page_utm = "/autumn-sale", CHANNELS["email"].utm
        out.page(when, client, page_path, agent, blocked, variant, page_utm, page_referrer)
        if page_path == "/checkout" and not blocked:
            out.event(when + timedelta(seconds=2), client, "begin_checkout", page_path, agent, variant, page_utm, page_referrer)
        if page_path == "/thank-you":
            order_id = str(next(order_numbers))
            out.orders.append((order_id, when.strftime("%Y-%m-%d %H:%M:%S"), client, PRICE))
            if not blocked:
                out.event(when + timedelta(seconds=1), client, "purchase", page_path, agent, variant, page_utm,
                          page_referrer, value=PRICE, order_id=order_id)
        # A short first look is what a bounce usually is: gone within seconds.
        if number == 0 and len(steps) == 1 and rng.random() < 0.5:
            dwell = rng.uniform(2, 9)
        else:
            dwell = min(900, rng.expovariate(1 / mean_dwell) + 3)
        if page_path == "/product/trail-runner" and number + 1 < len(steps) and steps[number + 1] == "/cart" and not blocked:
            out.event(when + timedelta(seconds=dwell - 1), client, "add_to_cart", page_path, agent, variant, page_utm, page_referrer)
        when += timedelta(seconds=dwell)
        if not blocked:
            out.event(when, client, "user_engagement", page_path, agent, variant, page_utm, page_referrer,
                      engagement_ms=int(dwell * 1000))
        when += timedelta(seconds=rng.uniform(1, 4))
        if long_pause and number == 0:
            when += timedelta(minutes=rng.uniform(35, 120))  # the tab waited; the visit goes on later
    return "/thank-you" in steps


# ── The demo shop with its collector ──────────────────────────────────────────────

PIXEL_GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
             b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

# The whole analytics tag, served as /analytics.js and loaded by every page. It runs in the
# visitor's browser. (Ad blockers block scripts like this one by their address.)
TAG_JS = """(function () {
  // 1. A first-party cookie remembers this browser for 400 days: its "client id".
  var found = document.cookie.match(/(?:^|; )cid=([0-9A-Za-z._-]+)/);
  var cid = found ? found[1] : String(Math.floor(1e9 + Math.random() * 9e9));
  document.cookie = "cid=" + cid + "; path=/; max-age=34560000; SameSite=Lax";
  var variant = Number(cid.slice(-1)) % 2 ? "B" : "A";   // the A/B test: half see headline B
  var headline = document.querySelector("[data-headline-b]");
  if (headline && variant === "B") headline.textContent = headline.dataset.headlineB;
  var tags = new URLSearchParams(location.search);
  function data(event, extra) {
    var d = new URLSearchParams({event: event, page: location.pathname, client_id: cid, variant: variant});
    ["utm_source", "utm_medium", "utm_campaign"].forEach(function (k) { if (tags.get(k)) d.set(k, tags.get(k)); });
    if (document.referrer) d.set("referrer", document.referrer);
    Object.keys(extra || {}).forEach(function (k) { d.set(k, extra[k]); });
    return d;
  }
  // 2. The page view: a pixel, a 1x1 image whose address carries the data (GET).
  new Image(1, 1).src = "/collect?" + data("page_view");
  // 3. Everything else: a beacon (POST), which the browser sends even while the page closes.
  window.track = function (event, extra) { return navigator.sendBeacon("/collect", data(event, extra)); };
  var visibleSince = Date.now();
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      track("user_engagement", {engagement_ms: Date.now() - visibleSince});
    } else {
      visibleSince = Date.now();
    }
  });
})();
"""
# Pages call track() only if the tag loaded: a blocked tag must not break the shop.
TAG = '<script src="/analytics.js"></script>'

CAMPAIGN_LINKS = {
    "the newsletter": "utm_source=newsletter&utm_medium=email&utm_campaign=autumn_sale",
    "a Google ad": "utm_source=google&utm_medium=cpc&utm_campaign=autumn_sale",
    "an Instagram ad": "utm_source=instagram&utm_medium=paid_social&utm_campaign=autumn_sale",
}
FIELD_LIMITS = {"event": 40, "page": 200, "client_id": 64, "utm_source": 100, "utm_medium": 100,
                "utm_campaign": 100, "referrer": 500, "variant": 10, "order_id": 20}


def shop_page(title: str, body_html: str, status: int = 200, **headers) -> Reply:
    return page(title, body_html + '\n<p><a href="/">Home</a> · <a href="/events">What analytics received</a></p>\n' + TAG,
                status, **headers)


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


_STATE_LOCK = threading.Lock()


def events_of(site) -> EventStore:
    """The event log of a running ``analytics`` demo server."""
    return _state(getattr(site, "server", None) or site._server)


@demo("analytics")
class AnalyticsHandler(DemoHandler):
    description = "a shoe shop with its own analytics: a pixel and a beacon send events to /collect, stored in SQLite"
    settings = {"db": (str, "", "a SQLite file to keep the events in (default: in memory, gone when the server stops)")}
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
            return PAGES[path](query)
        if path == "/analytics.js":
            return Reply(200, TAG_JS, "text/javascript; charset=utf-8", {"Cache-Control": "no-cache"})
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
        table = store.sql("SELECT id, ts, event, page, utm_source, utm_medium, utm_campaign, client_id, device, is_bot, "
                          "transport FROM events ORDER BY id DESC LIMIT 50")
        head = "".join(f"<th scope=col>{html.escape(c)}</th>" for c in table.columns)
        rows = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>" for row in table.rows)
        total = store.rows("SELECT COUNT(*) FROM events")[0][0]
        return page("What analytics received", f"<p>{total} events stored; the latest 50, newest first. "
                    "Reload after clicking around the shop.</p>"
                    f'<div style="overflow-x:auto"><table><tr>{head}</tr>{rows}</table></div>'
                    '<p><a href="/">Back to the shop</a> · <a href="/report">The dashboard</a></p>')

    def report_page(self, store: EventStore) -> Reply:
        store.assign_sessions()
        tiles = "".join(f"<tr><th scope=row>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                        for k, v in dashboard(store).tiles().items())
        orders = store.rows("SELECT COUNT(*) FROM orders")[0][0]
        return page("The dashboard", f"<p>Computed just now from the stored events (bots left out).</p><table>{tiles}</table>"
                    f"<p>The shop's own order system counts {orders} order(s).</p>"
                    '<p><a href="/">Back to the shop</a> · <a href="/events">The events</a></p>')


def _bad_event(reason: str) -> Reply:
    return Reply(400, f"Event not stored: {reason}.\n", "text/plain; charset=utf-8", {"Cache-Control": "no-store"})


def _home(query) -> Reply:
    arrivals = "".join(f'<li><a href="/autumn-sale?{html.escape(tags)}">Arrive from {name}</a></li>'
                       for name, tags in CAMPAIGN_LINKS.items())
    return shop_page("shop.example: trail shoes", "<p>A demo shop with its own small analytics. Open DevTools "
                     "(F12), tab Network, filter <code>collect</code>, then click around.</p>"
                     f"<ul>{arrivals}<li><a href=\"/autumn-sale\">The autumn sale, no tags</a></li>"
                     '<li><a href="/product/trail-runner">The Trail Runner</a></li>'
                     '<li><a href="/report">The dashboard</a></li></ul>')


def _autumn_sale(query) -> Reply:
    return shop_page("Autumn sale", '<p data-headline-b="Trail season is here: 20% off">Autumn sale: 20% off trail shoes</p>'
                     '<p><a href="/product/trail-runner">See the Trail Runner</a></p>')


def _product(query) -> Reply:
    return shop_page("Trail Runner, €89.90", "<p>Our best trail shoe, now 20% off.</p>"
                     "<p><button type=button onclick=\"window.track && track('add_to_cart', {value: '89.90'}); "
                     "location.href = '/cart'\">Add to cart</button></p>")


def _cart(query) -> Reply:
    return shop_page("Your cart", '<p>1 × Trail Runner, €89.90.</p><p><a href="/checkout">Go to checkout</a></p>')


def _checkout(query) -> Reply:
    return shop_page("Checkout", '<form method=post action="/order"><p>Total: €89.90</p>'
                     "<p><button type=submit>Pay now</button></p></form>"
                     "<script>addEventListener('load', function () { window.track && track('begin_checkout', {value: '89.90'}); });</script>")


def _thank_you(query) -> Reply:
    order = query.get("order", [""])[0]
    if not order.isdigit() or len(order) > 10:
        return page("No such order", '<p>This page needs an order number. <a href="/">Back to the shop</a>.</p>', status=400)
    return shop_page(f"Thank you! Order {order}", "<p>Your trail shoes are on their way.</p>"
                     f"<script>addEventListener('load', function () {{ window.track && track('purchase', {{value: '89.90', order_id: '{order}'}}); }});</script>")


PAGES = {"/": _home, "/autumn-sale": _autumn_sale, "/product/trail-runner": _product, "/cart": _cart,
         "/checkout": _checkout, "/thank-you": _thank_you}


# ── Exercise: a campaign report from an event log ─────────────────────────────────

EXERCISE_SEED = 28
EXERCISE_CAMPAIGN = "autumn_sale"


@functools.lru_cache(maxsize=1)
def _exercise_truth_store() -> EventStore:
    store = generate_traffic(seed=EXERCISE_SEED, people=3000, crawler_hits=500, click_bots=700)
    store.assign_sessions()
    return store


def campaign_log() -> EventStore:
    """The exercise's event log: two weeks of the shop's events, sessions already assigned.
    Yours to query and even change: the checks keep their own copy."""
    return _exercise_truth_store().copy()


def _numbers(campaign: str = EXERCISE_CAMPAIGN) -> dict[str, float]:
    """Every number a campaign report could give, right and wrong, keyed by how it was made."""
    store = _exercise_truth_store()
    out = {}
    for bots, where in [("humans", "AND is_bot = 0"), ("with bots", "")]:
        (out[f"sessions {bots}"], out[f"users {bots}"], out[f"page views {bots}"], out[f"events {bots}"],
         out[f"converting sessions {bots}"], out[f"purchases {bots}"], out[f"converting users {bots}"]), = store.rows(
            "SELECT COUNT(DISTINCT session_id), COUNT(DISTINCT client_id), "
            "SUM(event = 'page_view'), COUNT(*), "
            "COUNT(DISTINCT CASE WHEN event = 'purchase' THEN session_id END), SUM(event = 'purchase'), "
            "COUNT(DISTINCT CASE WHEN event = 'purchase' THEN client_id END) "
            f"FROM events WHERE campaign = ? {where}", (campaign,))
        out[f"tagged page views {bots}"] = store.rows(
            f"SELECT COUNT(*) FROM events WHERE event = 'page_view' AND utm_campaign = ? {where}", (campaign,))[0][0]
    return out


def _channel_rates(campaign: str = EXERCISE_CAMPAIGN, bots: bool = False) -> dict[str, tuple[int, int, float]]:
    """source / medium → (sessions, converting sessions, conversion rate in %) for the campaign."""
    rows = _exercise_truth_store().rows(
        "SELECT source || ' / ' || medium, COUNT(DISTINCT session_id), "
        "COUNT(DISTINCT CASE WHEN event = 'purchase' THEN session_id END) FROM events "
        f"WHERE campaign = ? {'' if bots else 'AND is_bot = 0'} GROUP BY source, medium", (campaign,))
    return {name: (sessions, converting, 100 * converting / sessions) for name, sessions, converting in rows}


def _ab_numbers(bots: bool = False, unit: str = "client_id") -> tuple[int, int, int, int]:
    """(conversions A, users A, conversions B, users B) over the whole log."""
    where = "" if bots else "WHERE is_bot = 0"
    rows = dict((variant, (converted, total)) for variant, converted, total in _exercise_truth_store().rows(
        f"SELECT variant, COUNT(DISTINCT CASE WHEN event = 'purchase' THEN {unit} END), COUNT(DISTINCT {unit}) "
        f"FROM events {where} GROUP BY variant"))
    return (*rows["A"], *rows["B"])


def _number(answer, what: str) -> float:
    if isinstance(answer, bool) or answer is None:
        raise NotYet(f"{what} should be a number; you gave {answer!r}.")
    if isinstance(answer, str):
        answer = answer.strip().rstrip("%").strip()
        # 4,28 is a decimal comma; 1,473.5 has a thousands separator.
        answer = answer.replace(",", ".") if "," in answer and "." not in answer and answer.count(",") == 1 \
            and len(answer.split(",")[1]) != 3 else answer.replace(",", "")
    try:
        number = float(answer)
    except (TypeError, ValueError, OverflowError):
        raise NotYet(f"{what} should be a number such as 12.5; you gave {answer!r}.") from None
    if not math.isfinite(number):
        raise NotYet(f"{what} should be an ordinary number, not {answer!r}.")
    return number


def _count(answer, what: str) -> int:
    count = as_whole_number(answer, what)
    if count < 0:
        raise NotYet(f"{what} cannot be negative.")
    return count


SESSIONS_QUERY_HINT = ("count each session once: COUNT(DISTINCT session_id), for rows WHERE campaign = 'autumn_sale' "
                       "AND is_bot = 0.")


@task
def campaign_sessions(sessions):
    sessions = _count(sessions, "sessions")
    n = _numbers()
    if sessions == n["sessions humans"]:
        return (f"{sessions:,} sessions. One session is one visit, however many pages and events it has; "
                "bots left out.")
    mistakes = [
        ("page views humans", "that is the number of page views. A session usually has several page views: "
                              "count distinct session_id instead of rows."),
        ("events humans", "that is the number of rows (events) for the campaign. Each session sends many events: "
                          "count distinct session_id instead."),
        ("users humans", "that is the number of users (distinct client_id). One user can visit several times: "
                         "count distinct session_id instead."),
        ("sessions with bots", "the bots are still in. Add AND is_bot = 0: crawlers and click bots are not customers."),
        ("users with bots", "that counts users, not sessions, and the bots are still in."),
        ("page views with bots", "that counts page views, bots included. Count distinct session_id, with is_bot = 0."),
        ("events with bots", "that counts every row, bots included. Count distinct session_id, with is_bot = 0."),
        ("tagged page views humans", "close: you counted page views that carried the campaign's UTM tags. Use the "
                                     "session's campaign column instead, and count distinct session_id."),
        ("tagged page views with bots", "you counted tagged page views, bots included. Use the session's campaign "
                                        "column, count distinct session_id, and add is_bot = 0."),
    ]
    for key, hint in mistakes:
        if sessions == n[key]:
            raise NotYet(hint)
    raise NotYet(f"{sessions:,} is not the number of sessions. Hint: {SESSIONS_QUERY_HINT}")


@task
def campaign_users(users):
    users = _count(users, "users")
    n = _numbers()
    if users == n["users humans"]:
        return (f"{users:,} users: browsers, really. One person on a phone and a laptop counts twice; "
                f"one browser that visits three times counts once (and makes {n['sessions humans']:,} sessions in all).")
    if users == n["sessions humans"]:
        raise NotYet("that is the number of sessions (visits). A user is one browser, one client_id: "
                     "count distinct client_id.")
    if users == n["users with bots"]:
        raise NotYet("the bots are still in: add AND is_bot = 0. Each bot visit arrives without a cookie, "
                     "so each one looks like a new user.")
    if users in (n["page views humans"], n["events humans"], n["page views with bots"], n["events with bots"]):
        raise NotYet("that counts rows (events or page views). A user is one browser: count distinct client_id.")
    if users == n["sessions with bots"]:
        raise NotYet("that counts sessions, bots included. Count distinct client_id, with is_bot = 0.")
    raise NotYet(f"{users:,} is not the number of users. Hint: COUNT(DISTINCT client_id) for rows WHERE "
                 "campaign = 'autumn_sale' AND is_bot = 0.")


@task
def campaign_conversion_rate(percent):
    percent = _number(percent, "the conversion rate")
    n = _numbers()
    truth = 100 * n["converting sessions humans"] / n["sessions humans"]
    if abs(percent - truth) < 0.06:
        return (f"{truth:.2f}%: {n['converting sessions humans']:,} of {n['sessions humans']:,} sessions ended in a "
                "purchase. That is the session conversion rate.")
    if abs(100 * percent - truth) < 6:
        raise NotYet(f"{percent} looks like a fraction. Give a percentage: multiply by 100.")
    candidates = [
        (100 * n["converting sessions with bots"] / n["sessions with bots"],
         "the bots are still in the denominator: they never buy, so they pull the rate down. Add is_bot = 0."),
        (100 * n["converting users humans"] / n["users humans"],
         "that is purchases per user, not per session. The session conversion rate divides by sessions."),
        (100 * n["purchases humans"] / n["page views humans"],
         "that divides by page views. Divide the sessions with a purchase by all sessions."),
        (100 * n["purchases humans"] / n["events humans"],
         "that divides by all rows (events). Divide the sessions with a purchase by all sessions."),
        (100 * n["converting users with bots"] / n["users with bots"],
         "that is per user, and bots included. Use sessions, with is_bot = 0."),
        (100 * n["purchases with bots"] / n["page views with bots"],
         "that divides by page views, bots included. Use sessions, with is_bot = 0."),
    ]
    for value, hint in candidates:
        if abs(percent - value) < 0.06:
            raise NotYet(hint)
    raise NotYet("divide the sessions that had a purchase (COUNT(DISTINCT CASE WHEN event = 'purchase' "
                 "THEN session_id END)) by all sessions of the campaign, bots left out, and multiply by 100.")


@task
def best_channel(source_medium):
    answer = as_text(source_medium, "source_medium").lower().replace(" ", "")
    rates = _channel_rates()
    best = max(rates, key=lambda k: rates[k][2])
    names = {name.replace(" ", ""): name for name in rates}
    chosen = names.get(answer) or next((n for k, n in names.items() if answer and answer in k.split("/")
                                        and sum(answer in j.split("/") for j in names) == 1), None)
    if chosen is None:
        raise NotYet("write one of the campaign's source / medium pairs as text in quotes; "
                     f"they are: {', '.join(sorted(rates))}.")
    if chosen == best:
        sessions, converting, rate = rates[best]
        return (f"{best}: {rate:.1f}% of its {sessions:,} sessions bought. Not the most sessions, nor the most "
                "purchases, but the best rate.")
    most_sessions = max(rates, key=lambda k: rates[k][0])
    most_purchases = max(rates, key=lambda k: rates[k][1])
    with_bots = _channel_rates(bots=True)
    if chosen == most_purchases:
        raise NotYet(f"{chosen} brings the most purchases, but the question is about the rate: purchases per session.")
    if chosen == most_sessions:
        raise NotYet(f"{chosen} brings the most sessions, not the best conversion rate.")
    if chosen == max(with_bots, key=lambda k: with_bots[k][2]):
        raise NotYet("with the bots left in, maybe. Leave them out (is_bot = 0) and compare again.")
    raise NotYet(f"{chosen} converts {rates[chosen][2]:.1f}% of its sessions; another source / medium does better. "
                 "Compare sessions with a purchase ÷ sessions, per source and medium.")


@task
def ab_decision(p_value, decision):
    p_value = _number(p_value, "p_value")
    letter = as_choice(decision, "abc", "decision")
    truth = two_proportion_test(*_ab_numbers())
    if not 0 <= p_value <= 1:
        raise NotYet("a p-value is a probability: between 0 and 1.")
    if abs(p_value - truth.p_value) > 0.005:
        for numbers, hint in [
            (_ab_numbers(bots=True), "the bots are still in. They are in both variants and never buy: leave them out."),
            (_ab_numbers(unit="session_id"), "that test counts sessions. An A/B test assigns users (browsers): "
                                             "count distinct client_id per variant, and the users who bought."),
            (_ab_numbers(bots=True, unit="session_id"), "that test counts sessions, bots included. Count users "
                                                        "(distinct client_id), with is_bot = 0."),
        ]:
            if abs(p_value - two_proportion_test(*numbers).p_value) <= 0.005:
                raise NotYet(hint)
        raise NotYet("that is not the p-value of these numbers. Pass conversions and users of A, then of B, to "
                     "check.two_proportion_test(...) and read its p_value.")
    if letter == "a":
        raise NotYet(f"that is calling the test before it is significant. p = {truth.p_value:.2f} is far above 0.05: "
                     f"a lift of {truth.lift:+.1f}% happens easily by chance with this many users.")
    if letter == "c":
        raise NotYet("nothing shows that A is better either. The difference is not significant in any direction.")
    needed = sample_size_per_variant(truth.rate_a, 0.10)
    return (f"p = {truth.p_value:.2f}: no winner yet. To see a 10% lift reliably, the test needs about "
            f"{needed:,} users per variant; it has {truth.users_a:,} and {truth.users_b:,}. Keep it running, or "
            "test a bolder change.")
