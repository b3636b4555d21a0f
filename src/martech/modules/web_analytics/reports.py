"""What the dashboard reports, computed in plain Python: sessions and where each came from,
users, engagement, conversions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # only for the annotations: store.py imports this file for its sessions
    from martech.modules.web_analytics.store import EventStore

SEARCH_ENGINES = {"www.google.com": "google", "google.com": "google", "www.bing.com": "bing",
                  "duckduckgo.com": "duckduckgo", "search.yahoo.com": "yahoo"}
DIRECT = ("(direct)", "(none)", "(direct)")


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


def sessionize(store: EventStore, timeout_minutes, split_at_midnight, split_on_campaign):
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
    return [number for _, _, number, _ in sessionize(store, timeout_minutes, split_at_midnight, split_on_campaign)]


def count_sessions(store: EventStore, timeout_minutes: float = 30, split_at_midnight: bool = False,
                   split_on_campaign: bool = False, bots: bool = False) -> int:
    """How many sessions the events make under these rules (without changing the log)."""
    bot_clients = set() if bots else {c for (c,) in store.rows("SELECT DISTINCT client_id FROM events WHERE is_bot = 1")}
    return len({(client, number) for _, client, number, _ in
                sessionize(store, timeout_minutes, split_at_midnight, split_on_campaign) if client not in bot_clients})


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
    """The headline numbers, with GA4's definitions (default settings, as of 2026):

    - a user is a browser (one client_id, kept in a first-party cookie);
    - an engaged session lasts longer than 10 seconds (GA4's default timer), has a key event (here: a purchase) or
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
