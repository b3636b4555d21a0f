"""The demo server of module "templates-and-databases". Start it with ``martech serve shop``.

``shop``: a small shop whose every page comes from a real SQLite catalogue (served/catalogue.sql)
through Jinja templates (served/*.html). Its settings switch off the defences one at a time, so
that a learner sees what each one does:

    escaping   on: the template engine escapes every value (the default); off: it pastes reviews in as HTML
    csp        off, or on: a Content-Security-Policy that lets only the shop's own script files run
    search     parameterised: the search box's words travel apart from the SQL; concatenated: glued into it
    welcome_cache   the Cache-Control of /welcome, the page that greets the visitor by name

    shop = demo_server("shop", escaping="off")
    db = database(shop)                              the server's own catalogue: change a row, reload a page
    use_template(shop, "product.html", source)       the server's template, replaced

What it serves is in served/, as files: edit the pages there, not here.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from martech.modules.templates_and_databases.catalogue import files, new_catalogue
from martech.problems import Problem
from martech.servers import DemoHandler, Reply, Setting, demo, page

CSP = "script-src 'self'; object-src 'none'; base-uri 'none'"
JSON = "application/json; charset=utf-8"
PLAIN = "text/plain; charset=utf-8"
NO_STORE = {"Cache-Control": "no-store"}

PRODUCT_SQL = """SELECT products.name, products.price, products.stock, products.description
FROM products
WHERE products.slug = ? AND products.published = 1;

SELECT reviews.rating, reviews.body, customers.name AS author
FROM reviews JOIN customers ON customers.id = reviews.customer_id
WHERE reviews.product_id = ?
ORDER BY reviews.id;"""

SAFE_SEARCH = "SELECT name, price, stock FROM products WHERE published = 1 AND name LIKE ?"
UNSAFE_SEARCH = "SELECT name, price, stock FROM products WHERE published = 1 AND name LIKE '%{q}%'"


def one_of(*choices):
    def check(value):
        return None if value in choices else "must be " + " or ".join(repr(c) for c in choices)
    return check


def cache_control(value):
    if len(value) > 100 or not re.fullmatch(r"[A-Za-z0-9=,\- ]*", value):
        return "must be a Cache-Control value such as 'private, no-store' or 'public, max-age=60'"
    return None


# ── One running server's own catalogue, templates and logs ──────────────────────────────────

@dataclass
class _State:
    folder: Path
    lock: threading.Lock = field(default_factory=threading.Lock)
    templates: dict[str, str] = field(default_factory=dict)    # name → source, replacing served/
    stolen: list[str] = field(default_factory=list)            # what hostile scripts sent to /evil/collect
    requests: int = 0                                           # requests that reached this server
    bytes_sent: int = 0

    @property
    def database(self) -> Path:
        return self.folder / "catalogue.db"


_CREATE = threading.Lock()


def _state(server) -> _State:
    with _CREATE:
        state = server.__dict__.get("shop_state")
        if state is None:
            folder = Path(tempfile.mkdtemp(prefix="martech-shop-"))
            new_catalogue(str(folder / "catalogue.db")).close()
            state = server.__dict__["shop_state"] = _State(folder)
            server.on_close(lambda: shutil.rmtree(folder, ignore_errors=True))
        return state


def _server_of(running, what: str):
    server = getattr(running, "server", None)
    handler = getattr(server, "RequestHandlerClass", None)
    if not (isinstance(handler, type) and issubclass(handler, ShopHandler)):
        raise Problem(f"{what}() needs the shop demo, as started by shop = demo_server(\"shop\"); "
                      f"you gave {repr(running)[:60]}.")
    return server


def database(running) -> sqlite3.Connection:
    """A connection to the running shop's own catalogue: what you change there, its pages show."""
    state = _state(_server_of(running, "database"))
    return sqlite3.connect(state.database, check_same_thread=False, timeout=5)


def use_template(running, name, source) -> str:
    """Replace one of the running shop's templates (``name``, such as "product.html") by ``source``."""
    state = _state(_server_of(running, "use_template"))
    if name not in ("home.html", "product.html", "layout.html"):
        raise Problem(f"the shop's templates are home.html, product.html and layout.html; you gave {repr(name)[:60]}.")
    if not isinstance(source, str) or not source.strip():
        raise Problem("the template should be text, such as files.text(\"product.html\") with your change.")
    try:
        jinja2.Environment().parse(source)
    except jinja2.TemplateSyntaxError as error:
        raise Problem(f"Jinja cannot read that template: {error.message} (line {error.lineno}).") from None
    with state.lock:
        state.templates[name] = source
    return f"The shop now uses your {name}: reload any page that uses it."


def stolen(running) -> list[str]:
    """What hostile scripts in the shop's pages sent to the attacker's address (/evil/collect)."""
    state = _state(_server_of(running, "stolen"))
    with state.lock:
        return list(state.stolen)


def origin_load(running) -> str:
    """How many requests, and how many bytes of pages, reached the shop itself (not its CDN)."""
    state = _state(_server_of(running, "origin_load"))
    with state.lock:
        return f"{state.requests} request(s) reached the shop, {state.bytes_sent:,} bytes of pages"


def reset_load(running) -> None:
    state = _state(_server_of(running, "reset_load"))
    with state.lock:
        state.requests = state.bytes_sent = 0


# ── The demo server ─────────────────────────────────────────────────────────────────────────

@demo("shop")
class ShopHandler(DemoHandler):
    description = ("a shop whose pages come from a SQLite catalogue through Jinja templates: escaping, CSP, "
                   "SQL injection and a personal page (--escaping, --csp, --search, --welcome_cache)")
    settings = {
        "escaping": Setting(str, "on", "on: the template engine escapes every value; off: reviews go into the "
                            "page as HTML, scripts and all", check=one_of("on", "off")),
        "csp": Setting(str, "off", "on: send a Content-Security-Policy that lets only the shop's own script "
                       "files run", check=one_of("off", "on")),
        "search": Setting(str, "parameterised", "parameterised: the search words travel apart from the SQL; "
                          "concatenated: they are glued into it", check=one_of("parameterised", "concatenated")),
        "welcome_cache": Setting(str, "private, no-store", "the Cache-Control header of /welcome, the page that "
                                 "greets the visitor by name", check=cache_control),
    }
    escaping: str
    csp: str
    search: str
    welcome_cache: str

    # Set on the home and product pages: a cookie only the server sees, beside basket (SHOP_COOKIES).
    session_cookie = False

    def end_headers(self) -> None:
        if self.session_cookie:
            self.send_header("Set-Cookie", "session=7f3a9c2e; Path=/; HttpOnly; SameSite=Lax")
        self.session_cookie = False
        super().end_headers()

    def send_reply(self, reply: Reply, send_body: bool = True) -> None:
        self.session_cookie = "Set-Cookie" in reply.headers and reply.headers["Set-Cookie"].startswith("basket=")
        state = _state(self.server)
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        with state.lock:
            state.requests += 1
            state.bytes_sent += len(body)
        super().send_reply(reply, send_body)

    # ── templates and the catalogue ──
    def render(self, template: str, **values) -> str:
        state = _state(self.server)
        loader = jinja2.ChoiceLoader([jinja2.DictLoader(dict(state.templates)), jinja2.FileSystemLoader(files.folder)])
        # Jinja escapes nothing unless told to (autoescape=False is its default): "off" is that default.
        environment = jinja2.Environment(loader=loader, autoescape=self.escaping == "on")
        return environment.get_template(template).render(**values)

    def connect(self, read_only: bool = False) -> sqlite3.Connection:
        path = _state(self.server).database
        if read_only:
            connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
        else:
            connection = sqlite3.connect(path, timeout=5)
        connection.row_factory = sqlite3.Row
        return connection

    def html(self, template: str, status: int = 200, headers: dict | None = None, **values) -> Reply:
        headers = dict(headers or {})
        if self.csp == "on":
            headers["Content-Security-Policy"] = CSP
        return Reply(status, self.render(template, **values), headers=headers)

    def respond(self, path, query):
        first = lambda key: (query.get(key) or [""])[0][:200]
        if path == "/":
            with self.connect() as db:
                products = db.execute("SELECT slug, name, price, stock FROM products WHERE published = 1 "
                                      "ORDER BY id").fetchall()
            return self.html("home.html", headers={**NO_STORE, **SHOP_COOKIES}, title="Trailhead outdoor shop",
                             products=products)
        if path.startswith("/products/"):
            return self.product(path.removeprefix("/products/"))
        if path == "/search":
            return self.search_page(first("q"))
        if path == "/api/products":
            with self.connect() as db:
                rows = db.execute("SELECT slug, name, category, price, stock FROM products WHERE published = 1 "
                                  "ORDER BY id").fetchall()
            return Reply(200, json.dumps([dict(r) for r in rows], indent=2), JSON, NO_STORE)
        if path.startswith("/api/products/"):
            return self.product(path.removeprefix("/api/products/"), as_json=True)
        if path in ("/welcome", "/welcome-shared", "/me", "/login"):
            return self.personal(path, first("name"))
        if path == "/evil/collect":
            state = _state(self.server)
            with state.lock:
                if len(state.stolen) < 100:
                    state.stolen.append(first("cookie"))
            return Reply(204, b"", headers=NO_STORE)
        if path == "/evil/log":
            with _state(self.server).lock:
                lines = list(_state(self.server).stolen)
            text = "What hostile scripts sent here:\n" + ("\n".join(lines) if lines else "(nothing yet)") + "\n"
            return Reply(200, text, PLAIN, {**NO_STORE, "X-Content-Type-Options": "nosniff"})
        if path in ("/static/shop.css", "/static/greet.js"):
            kind = "text/css; charset=utf-8" if path.endswith(".css") else "text/javascript; charset=utf-8"
            return Reply(200, files.text(path.lstrip("/")), kind, {"Cache-Control": "max-age=60"})
        return page("Page not found", "<p>There is no page at this address. Try <a href=\"/\">the home page</a>.</p>",
                    status=404)

    def product(self, slug: str, as_json: bool = False) -> Reply:
        with self.connect() as db:
            product = db.execute("SELECT id, slug, name, category, price, stock, description FROM products "
                                 "WHERE slug = ? AND published = 1", (slug,)).fetchone()
            if product is None:
                return page("Product not found", "<p>There is no such product. See <a href=\"/\">every product</a>.</p>",
                            status=404)
            reviews = db.execute("SELECT reviews.rating, reviews.body, customers.name AS author FROM reviews "
                                 "JOIN customers ON customers.id = reviews.customer_id "
                                 "WHERE reviews.product_id = ? ORDER BY reviews.id", (product["id"],)).fetchall()
        if as_json:
            data = {**{k: product[k] for k in ("slug", "name", "category", "price", "stock", "description")},
                    "reviews": [dict(r) for r in reviews]}
            return Reply(200, json.dumps(data, indent=2, ensure_ascii=False), JSON, NO_STORE)
        return self.html("product.html", headers={**NO_STORE, **SHOP_COOKIES}, product=product,
                         reviews=reviews, sql=PRODUCT_SQL)

    def search_page(self, q: str) -> Reply:
        q = "".join(c for c in q if c.isprintable())
        if self.search == "parameterised":
            sql, parameters = SAFE_SEARCH, (f"%{q}%",)
            shown = f"{SAFE_SEARCH}\n-- and, apart from it, the value: {parameters[0]!r}"
        else:
            sql, parameters = UNSAFE_SEARCH.replace("{q}", q), ()
            shown = sql
        columns, rows, error = [], [], ""
        try:
            with self.connect(read_only=True) as db:
                cursor = db.execute(sql, parameters)
                rows = [tuple(r) for r in cursor.fetchmany(50)]
                columns = [d[0] for d in cursor.description or []]
        except (sqlite3.Error, sqlite3.Warning) as problem:
            error = str(problem)
        return self.html("search.html", headers=NO_STORE, title=f"Search: {q}", q=q, sql=shown,
                         columns=columns, rows=rows, error=error)

    def personal(self, path: str, asked: str) -> Reply:
        name = _cookie(self.headers.get("Cookie"), "name")
        if path == "/login":
            clean = "".join(c for c in asked if c.isalpha() or c in " -'")[:30].strip() or "Sam"
            return Reply(303, b"", headers={"Location": "/welcome", "Set-Cookie": f"name={clean}; Path=/; SameSite=Lax",
                                            **NO_STORE})
        if path == "/me":
            return Reply(200, json.dumps({"name": name}), JSON, {"Cache-Control": "private, no-store"})
        if path == "/welcome-shared":
            return self.html("welcome-shared.html", headers={"Cache-Control": "public, max-age=60"}, title="Welcome")
        return self.html("welcome.html", headers={"Cache-Control": self.welcome_cache} if self.welcome_cache else {},
                         title="Welcome", name=name, cache_control=self.welcome_cache or "(none)")


# The cookies the shop sets on its pages: one for the server only (HttpOnly), one scripts can read.
SHOP_COOKIES = {"Set-Cookie": "basket=2-items; Path=/; SameSite=Lax"}


def _cookie(header: str | None, wanted: str) -> str:
    for part in (header or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == wanted:
            return "".join(c for c in value if c.isalpha() or c in " -'")[:30]
    return ""


@dataclass
class SearchResult:
    sql: str
    rows: list[list[str]]
    error: str

    def __repr__(self) -> str:
        lines = ["The query the server ran:", self.sql, ""]
        if self.error:
            lines.append(f"The database refused it: {self.error}")
        lines += [" | ".join(row) for row in self.rows] or ["(no rows)"]
        return "\n".join(lines)


def search(running, words) -> SearchResult:
    """Type ``words`` into the shop's search box; what the server ran, and the rows it shows."""
    import html
    from urllib.parse import quote

    from martech.client import fetch

    _server_of(running, "search")
    if not isinstance(words, str) or len(words) > 200:
        raise Problem(f"search() takes the words to search for, in quotes, at most 200 characters; you gave {repr(words)[:60]}.")
    text = fetch(f"{running.url}/search?q={quote(words)}").text
    sql = html.unescape(re.search(r"<pre>(.*?)</pre>", text, re.S).group(1))
    error = re.search(r'<p class="notice">The database refused the query: (.*?)</p>', text, re.S)
    rows = [[html.unescape(cell) for cell in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(<td>.*?)</tr>", text)]
    return SearchResult(sql, rows, html.unescape(error.group(1)) if error else "")
