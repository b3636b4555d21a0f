"""The event log: every event one row in SQLite (the tables are in served/schema.sql).

Also here: the rule of thumb that reads a device, and a bot, from the User-Agent header.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass

from martech.modules.web_analytics.reports import sessionize
from martech.served import Served

SCHEMA = Served(__file__).text("schema.sql")

EVENT_FIELDS = ("ts", "client_id", "event", "page", "utm_source", "utm_medium", "utm_campaign",
                "referrer", "user_agent", "device", "is_bot", "engagement_ms", "value", "order_id",
                "variant", "transport")
MAX_EVENTS = 20_000  # per demo server: a loop gone wild must not fill the memory

_INSERT_EVENT = f"INSERT INTO events ({', '.join(EVENT_FIELDS)}) VALUES ({', '.join('?' * len(EVENT_FIELDS))})"
_INSERT_REQUEST = "INSERT INTO requests (ts, path, user_agent) VALUES (?, ?, ?)"
_INSERT_ORDER = "INSERT INTO orders VALUES (?, ?, ?, ?)"


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
        shown = [[cell_text(v) for v in row] for row in self.rows[:40]]
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


def cell_text(value) -> str:
    """One value as a table shows it: NULL for a missing value, no trailing zeros."""
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
        if self.message == "not authorized":
            return ("This event log is read-only for your questions: .sql() runs SELECT queries, and refuses "
                    "changes such as DELETE, UPDATE, INSERT or DROP, so the numbers stay as the lesson shows them.")
        if "closed database" in self.message:
            return "This event log is closed: its demo server has stopped. Start the server again."
        return (f"SQLite could not run this query: {self.message.rstrip('.')}.\n"
                "Check the spelling of the table and column names, the commas and the quotes.")


# What a learner's query may do: read. Writing would silently change every later answer.
_READING = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}


def _read_only(action, *_):
    return sqlite3.SQLITE_OK if action in _READING else sqlite3.SQLITE_DENY


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
            cursor = self.db.execute(_INSERT_EVENT, row)
            self.db.commit()
            return cursor.lastrowid

    def add_order(self, order_id: str, ts: str, client_id: str | None, value: float) -> None:
        with self.lock:
            self.db.execute(_INSERT_ORDER, (order_id, ts, client_id, value))
            self.db.commit()

    def log_request(self, ts: str, path: str, user_agent: str | None) -> None:
        with self.lock:
            self.db.execute(_INSERT_REQUEST, (ts, path, user_agent))
            # Keep the log short on a long-running server.
            self.db.execute("DELETE FROM requests WHERE id <= (SELECT MAX(id) FROM requests) - ?", (MAX_EVENTS,))
            self.db.commit()

    def load(self, events: list[tuple], requests: list[tuple], orders: list[tuple]) -> None:
        """Store many rows at once, with no limit (for generated traffic): events in the order of
        EVENT_FIELDS, requests as (ts, path, user_agent), orders as (order_id, ts, client_id, value)."""
        with self.lock:
            self.db.executemany(_INSERT_EVENT, events)
            self.db.executemany(_INSERT_REQUEST, requests)
            self.db.executemany(_INSERT_ORDER, orders)
            self.db.commit()

    # reading
    def sql(self, query: str, params: tuple = ()) -> Table | SqlError:
        """Run one SQL statement; return its rows as a Table (or, if SQLite refuses, why)."""
        if not isinstance(query, str):
            return SqlError("the query must be text in quotes", repr(query))
        try:
            with self.lock:
                self.db.set_authorizer(_read_only)
                try:
                    cursor = self.db.execute(query, params)
                    rows = cursor.fetchall()
                    columns = [d[0] for d in cursor.description or []]
                finally:
                    self.db.set_authorizer(None)
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
                   for event_id, client, number, source in sessionize(self, timeout_minutes, split_at_midnight, split_on_campaign)]
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


BOT_MARKERS = ("bot", "crawler", "spider", "headlesschrome", "python-requests", "curl/")


def classify(user_agent: str | None) -> tuple[str, int]:
    """(device, is_bot) from the User-Agent header: a simple, visible rule of thumb.

    A rule of thumb errs both ways: "bot" also matches a real phone brand (Cubot), an Android
    tablet without "Mobile" counts as a phone, and a bot that names an ordinary browser passes.
    """
    agent = (user_agent or "").lower()
    is_bot = int(any(marker in agent for marker in BOT_MARKERS))
    if "ipad" in agent or "tablet" in agent:
        device = "tablet"
    elif "mobi" in agent or "iphone" in agent or "android" in agent:
        device = "mobile"
    else:
        device = "desktop"
    return device, is_bot
