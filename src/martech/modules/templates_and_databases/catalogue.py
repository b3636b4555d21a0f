"""The shop's catalogue as a real SQLite database, and helpers a notebook calls to look into it.

    db = new_catalogue()                  a fresh copy of the catalogue, in memory
    show(db, "SELECT * FROM products")    the answer as a table a person can read
    run_sql("SELECT COUNT(*) FROM reviews")   the same on a fresh, read-only copy
    index_speed(rows=200_000)             one lookup timed without and with an index

The tables and rows are in served/catalogue.sql, as SQL.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from martech.problems import Problem
from martech.served import Served

files = Served(__file__)

# A learner's query stops after this many steps of SQLite's engine (a runaway join, say).
MAX_STEPS = 5_000_000
SHOW_ROWS = 20


class BadQuery(Problem):
    """A query that could not run, explained in words."""


def new_catalogue(path: str = ":memory:") -> sqlite3.Connection:
    """A fresh copy of the catalogue (products, customers, reviews, orders)."""
    connection = sqlite3.connect(path, check_same_thread=False)
    connection.executescript(files.text("catalogue.sql"))
    connection.commit()
    return connection


@dataclass
class Answer:
    """What a query returned: column names and rows, shown as a table."""

    columns: list[str]
    rows: list[tuple]

    def __repr__(self) -> str:
        if not self.columns:
            return "(the statement returned no table)"
        cells = [[str(c) for c in self.columns]] + [["NULL" if v is None else str(v) for v in row]
                                                    for row in self.rows[:SHOW_ROWS]]
        widths = [min(40, max(len(row[i]) for row in cells)) for i in range(len(self.columns))]
        lines = [" | ".join(value[:40].ljust(width) for value, width in zip(row, widths)) for row in cells]
        lines.insert(1, "-+-".join("-" * width for width in widths))
        more = len(self.rows) - SHOW_ROWS
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''}"
                     + (f"; the first {SHOW_ROWS} shown)" if more > 0 else ")"))
        return "\n".join(lines)


def _text(sql, what: str = "the query") -> str:
    if not isinstance(sql, str):
        raise BadQuery(f"{what} should be SQL in quotes, such as \"SELECT * FROM products\"; "
                       f"you gave {repr(sql)[:60]}.")
    if not sql.strip():
        raise BadQuery(f"{what} is empty: write a query such as \"SELECT * FROM products\".")
    if "\x00" in sql or len(sql) > 5000:
        raise BadQuery(f"{what} should be one SQL query of at most 5,000 characters.")
    return sql.strip()


def query(connection: sqlite3.Connection, sql, parameters=()) -> Answer:
    """Run one SQL statement on ``connection``; BadQuery in words if SQLite refuses it."""
    sql = _text(sql)
    steps = [0]

    def give_up():
        steps[0] += 1
        return steps[0] > MAX_STEPS // 1000

    connection.set_progress_handler(give_up, 1000)
    try:
        cursor = connection.execute(sql, parameters)
        rows = cursor.fetchmany(10_000)
    except sqlite3.ProgrammingError as error:
        raise BadQuery(f"SQLite refused it: {str(error).rstrip('.')}. Send one statement: nothing after "
                       "the first semicolon (;).") from None
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise BadQuery("the query ran too long and was stopped: a join without its ON condition pairs "
                           "every row with every row.") from None
        raise BadQuery(f"SQLite refused it: {error}.") from None
    except sqlite3.Error as error:
        raise BadQuery(f"SQLite refused it: {error}.") from None
    finally:
        connection.set_progress_handler(None, 0)
    columns = [d[0] for d in cursor.description or []]
    return Answer(columns, [tuple(r) for r in rows])


def show(connection: sqlite3.Connection, sql, parameters=()) -> Answer:
    """The answer to ``sql`` on ``connection``, printed as a table."""
    return query(connection, sql, parameters)


def read_only_catalogue() -> sqlite3.Connection:
    connection = new_catalogue()
    connection.execute("PRAGMA query_only = ON")   # nothing a query says can change it
    return connection


def run_sql(sql) -> Answer:
    """Run a query on a fresh, read-only copy of the catalogue (the exercise's playground)."""
    connection = read_only_catalogue()
    try:
        return query(connection, sql)
    finally:
        connection.close()


def tables() -> str:
    """The catalogue's tables and their columns, as SQL (what CREATE TABLE said)."""
    connection = new_catalogue()
    try:
        return "\n\n".join(row[0] for row in connection.execute(
            "SELECT sql FROM sqlite_schema WHERE type = 'table' ORDER BY rowid"))
    finally:
        connection.close()


# ── Speed: one lookup on a big table, without and with an index ───────────────────────────────

@dataclass
class SpeedReport:
    rows: int
    plan_without: str
    plan_with: str
    ms_without: float
    ms_with: float

    def __repr__(self) -> str:
        times = self.ms_without / self.ms_with if self.ms_with else float("inf")
        return (f"One customer's orders, looked up in a table of {self.rows:,} orders:\n"
                f"  without an index: {self.ms_without:8.3f} ms   plan: {self.plan_without}\n"
                f"  with an index:    {self.ms_with:8.3f} ms   plan: {self.plan_with}\n"
                f"  the index made it about {times:,.0f} times faster.")


LOOKUP = "SELECT COUNT(*), SUM(amount) FROM big_orders WHERE email = ?"


def big_table(rows: int) -> sqlite3.Connection:
    """A table of ``rows`` orders, each by one of rows/4 customers (by email)."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE big_orders (id INTEGER PRIMARY KEY, email TEXT NOT NULL, amount REAL NOT NULL)")
    customers = max(1, rows // 4)
    connection.executemany("INSERT INTO big_orders (email, amount) VALUES (?, ?)",
                           ((f"customer{n * 7919 % customers}@example.com", 10 + n % 90) for n in range(rows)))
    connection.commit()
    return connection


def plan(connection: sqlite3.Connection, sql: str, parameters=()) -> str:
    """SQLite's own EXPLAIN QUERY PLAN for ``sql``: SCAN reads every row, SEARCH jumps to the right ones."""
    return "; ".join(row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, parameters))


def _timed(connection, repeat: int) -> float:
    started = time.perf_counter()
    for n in range(repeat):
        connection.execute(LOOKUP, (f"customer{n}@example.com",)).fetchall()
    return (time.perf_counter() - started) / repeat * 1000


def index_speed(rows=200_000, repeat=20) -> SpeedReport:
    """Time one lookup by email on a table of ``rows`` orders, without and then with an index."""
    if isinstance(rows, bool) or not isinstance(rows, int) or not 1_000 <= rows <= 1_000_000:
        raise Problem(f"rows should be a whole number from 1,000 to 1,000,000, such as 200_000; you gave {rows!r}.")
    if isinstance(repeat, bool) or not isinstance(repeat, int) or not 1 <= repeat <= 1000:
        raise Problem(f"repeat should be a whole number from 1 to 1,000; you gave {repeat!r}.")
    connection = big_table(rows)
    try:
        without = plan(connection, LOOKUP, ("x",)), _timed(connection, repeat)
        connection.execute("CREATE INDEX big_orders_by_email ON big_orders (email)")
        with_index = plan(connection, LOOKUP, ("x",)), _timed(connection, repeat)
    finally:
        connection.close()
    return SpeedReport(rows, without[0], with_index[0], without[1], with_index[1])
