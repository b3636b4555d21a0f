"""The demo servers of module "cookies-and-tracking". Start one with ``martech serve cookies``.

``cookies``: three sites on one server, told apart by the Host header: two publishers, news and
recipes, and an ad-tech tracker, adtech. ``cookies-https``: the same over HTTPS, with the
course's self-signed certificate.

The sites answer under any name that ends in .example or .localhost: news.example,
recipes.localhost, adtech.example... In Chrome and Edge, names ending in .localhost reach your
own computer with no setup, so a learner can open http://news.localhost:8000/ after
``martech serve cookies``. Chromium in the notebooks maps *.example to 127.0.0.1 instead.

    site = demo_server("cookies-https")
    fetch(site.url + "/profiles", trust=demo_certificate())   # what the tracker collected

What they serve is in served/, as files: edit the pages and scripts there, not here.
"""

from __future__ import annotations

import html
import http.client
import itertools
import re
import ssl
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

from martech.served import Served
from martech.servers import HOST, DemoHandler, Reply, demo, page

files = Served(__file__)

PUBLISHERS = {"news": "The Daily News", "recipes": "Recipe Box"}
TRACKER = "adtech"
ARTICLES = {
    "news": {"budget-vote": "City council votes on the budget", "rail-strike": "Rail strike ends tonight"},
    "recipes": {"lemon-cake": "Lemon cake in 30 minutes", "lasagne": "Weeknight lasagne"},
}
CONSENT_CHOICES = {"all": "Accept all", "analytics": "Analytics only", "none": "Reject all"}
ANALYTICS_YES = ("all", "analytics")   # the choices that say yes to analytics
ADS_YES = ("all",)                     # the choices that say yes to ads, and so to sharing with the ad partner
# 1×1 transparent GIF: the classic tracking pixel.
PIXEL = files.bytes("pixel.gif")
DAY = 24 * 3600

# What /lab/set sends: one cookie per attribute to look at. {domain} is filled in per host.
LAB_COOKIES = [
    ("visit=first; Path=/", "a session cookie: no Max-Age or Expires, so it goes when the browser closes"),
    ("lang=en; Max-Age=2592000; Path=/", "a persistent cookie: kept for 30 days (Max-Age is in seconds)"),
    ("promo=spring; Expires=Fri, 31 Dec 2038 23:59:59 GMT; Path=/",
     "persistent until a date; browsers that follow the cookie draft (RFC 6265bis) cut it to 400 days"),
    ("session_id=s3cr3t; Path=/; HttpOnly", "HttpOnly: sent to the server, hidden from the page's scripts"),
    ("theme=dark; Path=/; Secure", "Secure: kept and sent only over HTTPS (or on localhost)"),
    ("cart=3; Path=/lab/cart", "Path: sent only with requests for /lab/cart and below"),
    ("region=eu; Path=/; Domain={domain}", "Domain: sent to {domain} and every name under it, such as www.{domain}"),
    ("strict_pref=1; Path=/; SameSite=Strict", "SameSite=Strict: never sent when another site starts the request"),
    ("none_pref=1; Path=/; SameSite=None; Secure",
     "SameSite=None: sent even when another site starts the request (needs Secure)"),
]

NO_STORE = {"Cache-Control": "no-store"}
PLAIN_TEXT = "text/plain; charset=utf-8"
SCRIPT = "text/javascript; charset=utf-8"


# ── Shared state of one running server ──────────────────────────────────────────────────────

@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    visitor_numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    reader_numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    stats_numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    fingerprints: dict[str, str] = field(default_factory=dict)   # hash → "fp-1"
    hits: list[dict] = field(default_factory=list)               # the tracker's pixel hits
    server_events: list[dict] = field(default_factory=list)      # events forwarded by publishers' servers
    readers: dict[tuple[str, str], list[str]] = field(default_factory=dict)   # (site, reader) → pages
    analytics: list[dict] = field(default_factory=list)          # the publishers' own analytics events, with the choice
    lab_log: list[dict] = field(default_factory=list)


_CREATE = threading.Lock()


def _state(server) -> _State:
    with _CREATE:
        return server.__dict__.setdefault("cookie_state", _State())


def _cookie_value(header: str | None, name: str) -> str | None:
    for part in (header or "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def _clean(text: str, limit: int = 120) -> str:
    """A value from a query, safe to store and print: printable, short."""
    return "".join(c for c in text if c.isprintable())[:limit]


def _report(lines: list[str]) -> Reply:
    """A plain-text report that browsers must neither cache nor sniff into HTML."""
    return Reply(200, "\n".join(lines) + "\n", PLAIN_TEXT, headers={**NO_STORE, "X-Content-Type-Options": "nosniff"})


# ── The demo server ─────────────────────────────────────────────────────────────────────────

@demo("cookies")
class CookieSitesHandler(DemoHandler):
    description = ("news, recipes and adtech on one server: cookies, a tracking pixel, a consent banner "
                   "(open http://news.localhost:PORT/ in Chrome)")
    tls = False

    # Set-Cookie headers for the current answer: several of them, so not in Reply.headers (a dict).
    pending_cookies: list[str] = []

    def end_headers(self) -> None:
        for cookie in self.pending_cookies:
            self.send_header("Set-Cookie", cookie)
        self.pending_cookies = []
        super().end_headers()

    # ── who is asking for what ──
    @property
    def host(self) -> str:
        return (self.headers.get("Host") or "").rsplit(":", 1)[0].strip().lower().rstrip(".")

    @property
    def port_part(self) -> str:
        value = self.headers.get("Host") or ""
        port = value.rsplit(":", 1)[1] if ":" in value else ""
        return f":{port}" if port.isdigit() else ""

    @property
    def suffix(self) -> str:
        """The part after the site's own name: "example" or "localhost"."""
        labels = self.host.split(".")
        return labels[-1] if len(labels) >= 2 and labels[-1] in ("example", "localhost", "test") else ""

    @property
    def site(self) -> str:
        """news, recipes or adtech (from www.news.example too), or "" for any other name."""
        labels = self.host.split(".")
        name = labels[-2] if self.suffix else ""
        return name if name in (*PUBLISHERS, TRACKER) else ""

    @property
    def registrable(self) -> str:
        return f"{self.site}.{self.suffix}" if self.site else self.host

    def url_of(self, site: str) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{site}.{self.suffix or 'example'}{self.port_part}"

    def secure_flag(self) -> str:
        return "; Secure" if self.tls else ""

    def cookie(self, name: str) -> str | None:
        return _cookie_value(self.headers.get("Cookie"), name)

    def form(self) -> dict[str, str]:
        body = getattr(self, "request_body", b"").decode("utf-8", "replace")
        return {k: v[0] for k, v in parse_qs(body).items()}

    # ── routing ──
    def respond(self, path, query):
        self.pending_cookies = []
        if path.startswith("/lab/") or path == "/lab":
            return self.lab(path, query)
        if self.site in PUBLISHERS:
            return self.publisher(path, query)
        if self.site == TRACKER:
            return self.tracker(path, query)
        if path == "/":
            return Reply(body=files.render("home.html", title="Cookie lab: three sites on one server",
                                           sites=[*PUBLISHERS, TRACKER], port=self.port_part))
        if path == "/profiles":
            return self.profiles()
        return self.not_found()

    def not_found(self) -> Reply:
        return page("Page not found", '<p>There is no page at this address. Start at <a href="/">the home page</a>.</p>',
                    status=404)

    # ── /lab: one cookie per attribute ──
    def lab(self, path: str, query) -> Reply:
        state = _state(self.server)
        with state.lock:
            state.lab_log.append({"host": self.host, "path": path,
                                  "from": self.headers.get("Sec-Fetch-Site", "(not said)"),
                                  "cookies": [p.split("=")[0].strip() for p in (self.headers.get("Cookie") or "").split(";") if p.strip()]})
        domain = self.registrable
        if path == "/lab/set":
            shown = []
            for header, meaning in LAB_COOKIES:
                if "{domain}" in header and not self.site:
                    continue  # a Domain cookie needs a name such as news.example, not an address
                self.pending_cookies.append(header.format(domain=domain))
                shown.append((header.format(domain=domain), meaning.format(domain=domain)))
            return Reply(body=files.render("lab-set.html", title="Cookies set", cookies=shown))
        if path == "/lab/clear":
            for header, _ in LAB_COOKIES:
                name, rest = header.split("=", 1)[0], header.format(domain=domain)
                attributes = [a for a in rest.split("; ")[1:] if a.startswith(("Path=", "Domain="))]
                self.pending_cookies.append("; ".join([f"{name}=", "Max-Age=0", *attributes]))
            return page("Cookies cleared", "<p>Each cookie came back with <code>Max-Age=0</code> and its own "
                        'Path and Domain: that is how a server deletes a cookie. <a href="/lab/show">Check</a>.</p>')
        if path == "/lab/pixel.gif":
            return Reply(200, PIXEL, "image/gif", headers=NO_STORE)
        if path == "/lab/from-elsewhere":
            to = query.get("to", ["news"])[0]
            return Reply(body=files.render("from-elsewhere.html", title="Another site points at the lab",
                                           host=self.host, target=self.url_of(to if to in PUBLISHERS else "news")))
        if path == "/lab/log":
            with state.lock:
                lines = [f"{e['host']:22} {e['path']:18} {e['from']:12} {', '.join(e['cookies']) or '(no cookies)'}"
                         for e in state.lab_log]
            return _report(lines)
        if path in ("/lab/show", "/lab/cart"):
            received = self.headers.get("Cookie")
            return Reply(body=files.render("lab-show.html", title=f"What came back to {self.host or 'this server'}{path}",
                                           received=f"Cookie: {received}" if received else "(no Cookie header)"))
        return self.not_found()

    # ── the publishers: news and recipes ──
    def publisher(self, path: str, query) -> Reply:
        site = self.site
        if path == "/consent":
            return self.consent()
        if path == "/stats.js":
            return self.stats_script()
        if path == "/collect":
            return self.collect(query)
        if path == "/collected":
            return self.collected()
        if path == "/me":
            return self.what_we_know()
        if path == "/":
            title, stories = PUBLISHERS[site], ARTICLES[site]
        elif path.startswith("/article/") and path[9:] in ARTICLES[site]:
            title, stories = ARTICLES[site][path[9:]], None
        else:
            return self.not_found()
        reader = self.note_reader(path)
        choice = self.cookie("consent")
        return Reply(body=files.render(
            "publisher.html", title=title, stories=stories, reader=reader, publisher=PUBLISHERS[site], site=site,
            back=path, choices=CONSENT_CHOICES, choice=choice if choice in CONSENT_CHOICES else None,
            tracker=TRACKER, tracker_url=self.url_of(TRACKER)))

    def note_reader(self, path: str) -> str:
        """The publisher's own first-party cookie: it records what this reader reads here."""
        state = _state(self.server)
        reader = self.cookie("reader")
        with state.lock:
            if not reader or not re.fullmatch(r"r\d{1,9}", reader):
                reader = f"r{next(state.reader_numbers)}"
            state.readers.setdefault((self.site, reader), []).append(path)
        self.pending_cookies.append(f"reader={reader}; Max-Age={365 * DAY}; Path=/; HttpOnly; SameSite=Lax{self.secure_flag()}")
        return reader

    def consent(self) -> Reply:
        if self.command != "POST":
            return Reply(405, "The cookie choice is sent with POST, from the banner's buttons.\n",
                         PLAIN_TEXT, headers={"Allow": "POST"})
        form = self.form()
        choice = form.get("choice", "")
        if choice not in CONSENT_CHOICES:
            return page("Bad request", f"<p>choice must be one of: {', '.join(CONSENT_CHOICES)}.</p>", status=400)
        back = form.get("back", "/")
        if not re.fullmatch(r"/[A-Za-z0-9/_.-]{0,100}", back) or back.startswith("//"):
            back = "/"  # only ever back to a page of this site, and nothing that could break the header
        self.pending_cookies.append(f"consent={choice}; Max-Age={180 * DAY}; Path=/; SameSite=Lax{self.secure_flag()}")
        if choice == "none":
            # Withdrawing consent: delete the analytics cookie. Same name, same Path, Max-Age=0.
            self.pending_cookies.append("_stats=; Max-Age=0; Path=/")
        return page("Choice saved", f'<p>Saved. <a href="{html.escape(back)}">Back</a>.</p>', status=303,
                    Location=back)

    def stats_script(self) -> Reply:
        """The publisher's analytics tag. It runs only when the page includes it, after consent."""
        state = _state(self.server)
        known = self.cookie("_stats")
        with state.lock:
            visitor = known if known and re.fullmatch(r"stats-\d{1,9}", known) else f"stats-{next(state.stats_numbers)}"
        return Reply(200, files.render("stats.js", visitor=visitor, max_age=2 * 365 * DAY), SCRIPT, headers=NO_STORE)

    def collect(self, query) -> Reply:
        """The publisher's own analytics endpoint, and its tagging server.

        The visitor's choice (the ``consent`` cookie) decides who gets the page view: the publisher
        keeps it after a yes to analytics ("Analytics only" or "Accept all"), and forwards it to the
        ad partner only after a yes to ads ("Accept all"). After "Reject all", or before any choice,
        nothing is kept and nothing is sent.
        """
        choice = self.cookie("consent")
        if choice not in ANALYTICS_YES:
            return Reply(200, PIXEL, "image/gif", headers=NO_STORE)
        event = {"site": self.registrable, "page": _clean(query.get("page", ["?"])[0]),
                 "visitor": _clean(query.get("id", ["?"])[0], 20)}
        sent = choice in ADS_YES and self.forward_to_tracker(event) is not None
        state = _state(self.server)
        with state.lock:
            state.analytics.append({**event, "consent": choice, "sent_to_tracker": sent})
        return Reply(200, PIXEL, "image/gif", headers=NO_STORE)

    def collected(self) -> Reply:
        """What this publisher's analytics kept, and whether each page view also went to the ad partner."""
        state = _state(self.server)
        with state.lock:
            events = [e for e in state.analytics if e["site"] == self.registrable]
        lines = [f"What {self.registrable}'s analytics kept, and who else got it", ""]
        for e in events:
            passed = f"also sent to {TRACKER}" if e["sent_to_tracker"] else f"not sent to {TRACKER} (no yes to ads)"
            lines.append(f"  {e['page']:22} visitor {e['visitor']:9} choice: {CONSENT_CHOICES[e['consent']]:15} {passed}")
        if not events:
            lines.append("  (nothing yet)")
        return _report(lines)

    def forward_to_tracker(self, event: dict) -> int | None:
        """Server-side tagging: this server, not the browser, sends the event to the vendor."""
        port = self.server.server_address[1]
        if self.tls:
            from martech.tls import demo_certificate

            context = ssl.create_default_context(cafile=str(demo_certificate()))
            connection = http.client.HTTPSConnection(HOST, port, timeout=3, context=context)
        else:
            connection = http.client.HTTPConnection(HOST, port, timeout=3)
        try:
            connection.request("POST", "/server-event", urlencode(event),
                               {"Host": f"{TRACKER}.{self.suffix or 'example'}:{port}",
                                "Content-Type": "application/x-www-form-urlencoded"})
            return connection.getresponse().status
        except (OSError, http.client.HTTPException):
            return None
        finally:
            connection.close()

    def what_we_know(self) -> Reply:
        state = _state(self.server)
        reader = self.cookie("reader") or ""
        with state.lock:
            pages = list(state.readers.get((self.site, reader), []))
        return Reply(body=files.render("me.html", title=f"What {self.site} knows about you", reader=reader,
                                       pages=pages, registrable=self.registrable, site=self.site))

    # ── the tracker: adtech ──
    def tracker(self, path: str, query) -> Reply:
        if path == "/tag.js":
            return Reply(200, files.render("tag.js", pixel=f"{self.url_of(TRACKER)}/pixel.gif"), SCRIPT,
                         headers=NO_STORE)
        if path == "/pixel.gif":
            return self.pixel(query)
        if path == "/server-event":
            if self.command != "POST":
                return Reply(405, "POST only.\n", PLAIN_TEXT, headers={"Allow": "POST"})
            form = self.form()
            state = _state(self.server)
            with state.lock:
                state.server_events.append({k: _clean(form.get(k, "?"), 60) for k in ("site", "page", "visitor")})
            return Reply(204)
        if path == "/profiles":
            return self.profiles()
        if path == "/":
            uid = self.cookie("uid")
            state = _state(self.server)
            with state.lock:
                pages = [f"{h['site']}{h['page']}" for h in state.hits if uid and h["uid"] == uid]
            return Reply(body=files.render("adtech.html", title="adtech: what we know about this browser",
                                           uid=uid, pages=pages))
        return self.not_found()

    def pixel(self, query) -> Reply:
        state = _state(self.server)
        uid = self.cookie("uid")
        had_cookie = bool(uid and re.fullmatch(r"visitor-\d{1,9}", uid))
        fingerprint = query.get("fp", [""])[0]
        with state.lock:
            if not had_cookie:
                uid = f"visitor-{next(state.visitor_numbers)}"
            label = ""
            if re.fullmatch(r"[0-9a-f]{1,16}", fingerprint):
                label = state.fingerprints.setdefault(fingerprint, f"fp-{len(state.fingerprints) + 1}")
            state.hits.append({"uid": uid, "had_cookie": had_cookie, "fp": label,
                               "site": _clean(query.get("site", ["?"])[0], 60),
                               "page": _clean(query.get("page", ["?"])[0], 60)})
        # A third-party cookie must say SameSite=None to travel cross-site, and None needs Secure.
        self.pending_cookies.append(f"uid={uid}; Max-Age={400 * DAY}; Path=/; SameSite=None; Secure")
        return Reply(200, PIXEL, "image/gif", headers=NO_STORE)

    def profiles(self) -> Reply:
        state = _state(self.server)
        with state.lock:
            hits, events = list(state.hits), list(state.server_events)
        lines = ["What adtech has collected", ""]

        def trails(key):
            grouped: dict[str, list[str]] = {}
            for hit in hits:
                if hit[key]:
                    grouped.setdefault(hit[key], []).append(f"{hit['site']}{hit['page']}")
            return grouped

        lines.append("Recognised by its uid cookie (a third-party cookie):")
        for uid, pages in trails("uid").items():
            lines.append(f"  {uid:11} {'  →  '.join(pages)}")
        if not hits:
            lines.append("  (no pixel requests yet)")
        lines += ["", "Recognised by fingerprint (no cookie needed):"]
        for label, pages in trails("fp").items():
            lines.append(f"  {label:11} {'  →  '.join(pages)}")
        if not any(h["fp"] for h in hits):
            lines.append("  (none yet)")
        lines += ["", "Sent by publishers' servers (server-side tagging):"]
        for event in events:
            lines.append(f"  from {event['site']}: {event['page']} (their visitor {event['visitor']})")
        if not events:
            lines.append("  (none yet)")
        return _report(lines)


@demo("cookies-https")
class SecureCookieSitesHandler(CookieSitesHandler):
    description = "the same three sites over HTTPS (self-signed certificate): Secure and SameSite=None cookies work"
    tls = True
