"""Module "cookies-and-tracking": its demo servers and its exercise checks.

Demos: ``cookies`` (three sites on one server, told apart by the Host header: two publishers,
news and recipes, and an ad-tech tracker, adtech) and ``cookies-https`` (the same over HTTPS,
with the course's self-signed certificate).

The sites answer under any name that ends in .example or .localhost: news.example,
recipes.localhost, adtech.example... In Chrome and Edge, names ending in .localhost reach your
own computer with no setup, so a learner can open http://news.localhost:8000/ after
``martech serve cookies``. Chromium in the notebooks maps *.example to 127.0.0.1 instead.

    site = demo_server("cookies-https")
    fetch(site.url + "/profiles", trust=demo_certificate())   # what the tracker collected
"""

from __future__ import annotations

import atexit
import html
import http.client
import inspect
import itertools
import json
import re
import shutil
import ssl
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode

from martech.checks import NotYet, as_text, task
from martech.servers import HOST, DemoHandler, Reply, demo, page

PUBLISHERS = {"news": "The Daily News", "recipes": "Recipe Box"}
TRACKER = "adtech"
ARTICLES = {
    "news": {"budget-vote": "City council votes on the budget", "rail-strike": "Rail strike ends tonight"},
    "recipes": {"lemon-cake": "Lemon cake in 30 minutes", "lasagne": "Weeknight lasagne"},
}
CONSENT_CHOICES = {"all": "Accept all", "analytics": "Analytics only", "none": "Reject all"}
# 1×1 transparent GIF: the classic tracking pixel.
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
         b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
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
    analytics: list[dict] = field(default_factory=list)          # the publishers' own analytics events
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
            return self.home()
        if path == "/profiles":
            return self.profiles()
        return self.not_found()

    def not_found(self) -> Reply:
        return page("Page not found", '<p>There is no page at this address. Start at <a href="/">the home page</a>.</p>',
                    status=404)

    def home(self) -> Reply:
        port = self.port_part
        links = "".join(f'<li><a href="http://{s}.localhost{port}/">{s}.localhost{port}</a></li>'
                        for s in (*PUBLISHERS, TRACKER))
        return page("Cookie lab: three sites on one server", f"""
<p>This one server plays three websites. It tells them apart by the name in the address
(the <code>Host</code> header): two publishers, <strong>news</strong> and <strong>recipes</strong>,
and an ad-tech company, <strong>adtech</strong>, whose pixel both publishers embed.</p>
<p>In Chrome or Edge, names that end in <code>.localhost</code> reach your own computer with no setup:</p>
<ul>{links}</ul>
<p>Also here: <a href="/lab/set">/lab/set</a> sets one cookie per attribute and
<a href="/lab/show">/lab/show</a> shows what comes back. <a href="/profiles">/profiles</a> shows what
the tracker has collected.</p>""")

    # ── /lab: one cookie per attribute ──
    def lab(self, path: str, query) -> Reply:
        state = _state(self.server)
        with state.lock:
            state.lab_log.append({"host": self.host, "path": path,
                                  "from": self.headers.get("Sec-Fetch-Site", "(not said)"),
                                  "cookies": [p.split("=")[0].strip() for p in (self.headers.get("Cookie") or "").split(";") if p.strip()]})
        domain = self.registrable
        if path == "/lab/set":
            rows = []
            for header, meaning in LAB_COOKIES:
                if "{domain}" in header and not self.site:
                    continue  # a Domain cookie needs a name such as news.example, not an address
                self.pending_cookies.append(header.format(domain=domain))
                rows.append(f"<li><code>Set-Cookie: {html.escape(header.format(domain=domain))}</code><br>"
                            f"{html.escape(meaning.format(domain=domain))}</li>")
            return page("Cookies set", "<p>This response carried these headers. Open DevTools, "
                        "Application tab, Cookies, to see which ones your browser kept.</p>"
                        f"<ul>{''.join(rows)}</ul>"
                        '<p>Now see what comes back: <a href="/lab/show">/lab/show</a> or '
                        '<a href="/lab/cart">/lab/cart</a>.</p>')
        if path == "/lab/clear":
            for header, _ in LAB_COOKIES:
                name, rest = header.split("=", 1)[0], header.format(domain=domain)
                attributes = [a for a in rest.split("; ")[1:] if a.startswith(("Path=", "Domain="))]
                self.pending_cookies.append("; ".join([f"{name}=", "Max-Age=0", *attributes]))
            return page("Cookies cleared", "<p>Each cookie came back with <code>Max-Age=0</code> and its own "
                        'Path and Domain: that is how a server deletes a cookie. <a href="/lab/show">Check</a>.</p>')
        if path == "/lab/pixel.gif":
            return Reply(200, PIXEL, "image/gif", headers={"Cache-Control": "no-store"})
        if path == "/lab/from-elsewhere":
            target = self.url_of(query.get("to", ["news"])[0] if query.get("to", ["news"])[0] in PUBLISHERS else "news")
            return page("Another site points at the lab", f"""
<p>This page belongs to {html.escape(self.host)}. It loads an image from {html.escape(target)} in the
background, and links to it.</p>
<p><img src="{target}/lab/pixel.gif" alt="" width="1" height="1"></p>
<p><a id="go" href="{target}/lab/show">Follow a link to {html.escape(target)}/lab/show</a></p>""")
        if path == "/lab/log":
            with state.lock:
                lines = [f"{e['host']:22} {e['path']:18} {e['from']:12} {', '.join(e['cookies']) or '(no cookies)'}"
                         for e in state.lab_log]
            return Reply(200, "\n".join(lines) + "\n", "text/plain; charset=utf-8",
                         headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})
        if path in ("/lab/show", "/lab/cart"):
            received = self.headers.get("Cookie")
            shown = f"Cookie: {received}" if received else "(no Cookie header)"
            return page(f"What came back to {self.host or 'this server'}{path}", f"""
<h2>What the server received</h2>
<pre id="server-view" style="white-space:pre-wrap">{html.escape(shown)}</pre>
<h2>What scripts on this page can read</h2>
<pre id="script-view" style="white-space:pre-wrap">(this needs JavaScript)</pre>
<script>
document.getElementById("script-view").textContent =
  document.cookie ? "document.cookie: " + document.cookie : "(document.cookie is empty)";
</script>
<p><a href="/lab/set">Set the cookies again</a> · <a href="/lab/show">/lab/show</a> ·
<a href="/lab/cart">/lab/cart</a> · <a href="/lab/clear">delete them all</a></p>""")
        return self.not_found()

    # ── the publishers: news and recipes ──
    def publisher(self, path: str, query) -> Reply:
        site, name = self.site, PUBLISHERS[self.site]
        if path == "/consent":
            return self.consent()
        if path == "/stats.js":
            return self.stats_script()
        if path == "/collect":
            return self.collect(query)
        if path == "/me":
            return self.what_we_know()
        if path == "/":
            title, text = name, "<p>Today's stories:</p><ul>" + "".join(
                f'<li><a href="/article/{slug}">{html.escape(headline)}</a></li>'
                for slug, headline in ARTICLES[site].items()) + "</ul>"
        elif path.startswith("/article/") and path[9:] in ARTICLES[site]:
            title, text = ARTICLES[site][path[9:]], '<p>The story goes here.</p><p><a href="/">Home</a></p>'
        else:
            return self.not_found()
        reader = self.note_reader(path)
        choice = self.cookie("consent")
        if choice not in CONSENT_CHOICES:
            choice = None
        tags = []
        if choice in ("all", "analytics"):
            tags.append('<script src="/stats.js"></script>')
        elif choice == "none":
            # Set-Cookie cannot reach localStorage; a script clears this one item (Clear-Site-Data
            # could only empty the whole store).
            tags.append('<script>localStorage.removeItem("stats_visits");</script>')
        if choice == "all":
            tags.append(f'<script src="{self.url_of(TRACKER)}/tag.js"></script>')
        back = html.escape(path)
        buttons = "".join(f'<button name="choice" value="{c}">{label}</button> ' for c, label in CONSENT_CHOICES.items())
        if choice is None:
            banner = (f'<section id="consent-banner" aria-label="Cookie choices"><p>We use cookies for analytics '
                      f'(<code>_stats</code>, our own) and ads (our partner {html.escape(TRACKER)}). Your choice:</p>'
                      f'<form method="post" action="/consent"><input type="hidden" name="back" value="{back}">{buttons}</form></section>')
        else:
            banner = (f'<footer id="consent-status"><p>Your cookie choice: <strong>{CONSENT_CHOICES[choice]}</strong>. '
                      f'Change it at any time:</p><form method="post" action="/consent">'
                      f'<input type="hidden" name="back" value="{back}">{buttons}</form></footer>')
        return page(title, f'{text}<p>You are reader <code>{html.escape(reader)}</code> of {html.escape(name)}. '
                    f'<a href="/me">What {html.escape(site)} knows about you</a>.</p>{banner}{"".join(tags)}')

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
                         "text/plain; charset=utf-8", headers={"Allow": "POST"})
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
            fresh = known if known and re.fullmatch(r"stats-\d{1,9}", known) else f"stats-{next(state.stats_numbers)}"
        script = f"""(function () {{
  // A first-party analytics cookie, written by this script (so it cannot be HttpOnly).
  var id = "{fresh}";
  document.cookie = "_stats=" + id + "; Max-Age={2 * 365 * DAY}; Path=/; SameSite=Lax" +
    (location.protocol === "https:" ? "; Secure" : "");
  // localStorage: kept by the browser, never sent by itself; a script must read it and send it.
  var visits = Number(localStorage.getItem("stats_visits") || 0) + 1;
  localStorage.setItem("stats_visits", String(visits));
  new Image().src = "/collect?page=" + encodeURIComponent(location.pathname) + "&visits=" + visits + "&id=" + id;
}})();
"""
        return Reply(200, script, "text/javascript; charset=utf-8", headers={"Cache-Control": "no-store"})

    def collect(self, query) -> Reply:
        """The publisher's own analytics endpoint, and its tagging server: it forwards the event."""
        event = {"site": self.registrable, "page": _clean(query.get("page", ["?"])[0]),
                 "visitor": _clean(query.get("id", ["?"])[0], 20)}
        state = _state(self.server)
        with state.lock:
            state.analytics.append(event)
        self.forward_to_tracker(event)
        return Reply(200, PIXEL, "image/gif", headers={"Cache-Control": "no-store"})

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
        if not pages:
            return page(f"What {self.site} knows about you", "<p>Nothing yet: no <code>reader</code> cookie came with this request.</p>")
        items = "".join(f"<li>{html.escape(p)}</li>" for p in pages)
        return page(f"What {self.site} knows about you",
                    f'<p id="first-party">Reader <code>{html.escape(reader)}</code> read {len(pages)} page(s) on '
                    f"{html.escape(self.registrable)}:</p><ul>{items}</ul><p>This is first-party data: "
                    f"{html.escape(self.site)} learned it on its own site, with its own cookie.</p>")

    # ── the tracker: adtech ──
    def tracker(self, path: str, query) -> Reply:
        if path == "/tag.js":
            return self.tag_script()
        if path == "/pixel.gif":
            return self.pixel(query)
        if path == "/server-event":
            if self.command != "POST":
                return Reply(405, "POST only.\n", "text/plain; charset=utf-8", headers={"Allow": "POST"})
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
            known = ("<ul>" + "".join(f"<li>{html.escape(p)}</li>" for p in pages) + "</ul>") if pages else \
                "<p>Nothing: this browser sent no <code>uid</code> cookie that we know.</p>"
            return page("adtech: what we know about this browser",
                        f"<p>Your <code>uid</code> cookie: <code>{html.escape(uid or '(none)')}</code>. "
                        f"Pages where our pixel saw it:</p>{known}"
                        '<p><a href="/profiles">Everything we collected</a></p>')
        return self.not_found()

    def tag_script(self) -> Reply:
        pixel = f"{self.url_of(TRACKER)}/pixel.gif"
        script = f"""(function () {{
  // The ad tag: it loads a pixel from adtech (a third-party request that may carry adtech's cookie)
  // and adds a fingerprint, made from what any script can read about the browser and the computer.
  var parts = [navigator.userAgent, navigator.language, screen.width + "x" + screen.height,
               screen.colorDepth, new Date().getTimezoneOffset(), navigator.hardwareConcurrency];
  var canvas = document.createElement("canvas"), ctx = canvas.getContext("2d");
  ctx.font = "16px sans-serif"; ctx.fillText("adtech fingerprint", 2, 16);
  parts.push(canvas.toDataURL());
  var text = parts.join("|"), hash = 0;
  for (var i = 0; i < text.length; i++) {{ hash = (hash * 31 + text.charCodeAt(i)) >>> 0; }}
  new Image(1, 1).src = "{pixel}?site=" + encodeURIComponent(location.hostname) +
    "&page=" + encodeURIComponent(location.pathname) + "&fp=" + hash.toString(16);
}})();
"""
        return Reply(200, script, "text/javascript; charset=utf-8", headers={"Cache-Control": "no-store"})

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
        return Reply(200, PIXEL, "image/gif", headers={"Cache-Control": "no-store"})

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
        return Reply(200, "\n".join(lines) + "\n", "text/plain; charset=utf-8",
                     headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


@demo("cookies-https")
class SecureCookieSitesHandler(CookieSitesHandler):
    description = "the same three sites over HTTPS (self-signed certificate): Secure and SameSite=None cookies work"
    tls = True


# ── Helpers for the demo notebook ───────────────────────────────────────────────────────────

HOST_RULES = "--host-resolver-rules=MAP *.example 127.0.0.1"


def open_chromium(playwright, third_party_cookies: bool = True):
    """Start Chromium with a fresh profile of its own (no cookies yet); returns its browser context.

    third_party_cookies: the same choice as Chrome's Settings › Privacy and security ›
    Third-party cookies: True for "Allow third-party cookies", False for "Block third-party
    cookies". Names ending in .example lead to this computer (127.0.0.1). With Playwright's
    async API, ``await`` the result; close it with ``await browser.close()``.
    """
    from martech.browser import ARGS, chromium_path

    folder = Path(tempfile.mkdtemp(prefix="martech-cookies-"))
    atexit.register(shutil.rmtree, folder, True)
    (folder / "Default").mkdir()
    # profile.cookie_controls_mode is where Chrome keeps that setting: 0 allow, 1 block.
    preferences = {"profile": {"cookie_controls_mode": 0 if third_party_cookies else 1}}
    (folder / "Default" / "Preferences").write_text(json.dumps(preferences))
    context = playwright.chromium.launch_persistent_context(
        str(folder), executable_path=chromium_path(), args=[*ARGS, HOST_RULES], ignore_https_errors=True,
        viewport={"width": 800, "height": 450})

    def forget(*_):  # the profile folder goes when the browser closes
        shutil.rmtree(folder, ignore_errors=True)

    if inspect.isawaitable(context):  # Playwright's async API
        async def started():
            browser = await context
            browser.on("close", forget)
            return browser

        return started()
    context.on("close", forget)
    return context


def cookie_table(cookies: list[dict], now: float | None = None) -> str:
    """The browser's cookie jar (Playwright's context.cookies()) as a table a person can read."""
    import time

    now = time.time() if now is None else now
    rows = [f"{'name':12} {'for':18} {'path':10} {'kept':16} {'scripts':8} {'HTTPS only':10} SameSite"]
    for c in sorted(cookies, key=lambda c: (c["domain"].lstrip("."), c["name"])):
        kept = "this session" if c["expires"] in (-1, None) else f"{round((c['expires'] - now) / DAY)} days"
        where = ("*." if c["domain"].startswith(".") else "") + c["domain"].lstrip(".")
        rows.append(f"{c['name']:12} {where:18} {c['path']:10} {kept:16} "
                    f"{'hidden' if c['httpOnly'] else 'readable':8} {'yes' if c['secure'] else 'no':10} {c['sameSite']}")
    return "\n".join(rows)


# ── Exercise checks ─────────────────────────────────────────────────────────────────────────

# The page in the address bar is https://www.shop.example/. Its responses, and the things it
# embeds, send these headers. (letter: (the host that sent it, the header))
EXERCISE_COOKIES = {
    "A": ("www.shop.example", "session_id=8f2c1a; Path=/; Secure; HttpOnly; SameSite=Lax"),
    "B": ("www.shop.example", "cart_items=3; Max-Age=604800; Path=/; Secure; SameSite=Strict"),
    "C": ("pixel.adnet.example", "uid=77ab90; Max-Age=34560000; Domain=adnet.example; Path=/; Secure; HttpOnly; SameSite=None"),
    "D": ("www.shop.example", "consent=analytics; Max-Age=15552000; Path=/; Secure; SameSite=Lax"),
    "E": ("img.shop.example", "lb=node4; Path=/; Secure; SameSite=None"),
    "F": ("chat.helpdesk.example", "chat_session=c91; Path=/; Secure; HttpOnly; SameSite=None"),
}


def _site_of(host: str) -> str:
    return ".".join(host.split(".")[-2:])


def _attributes(header: str) -> dict[str, str]:
    found = {}
    for part in header.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        found[key.strip().lower()] = value.strip()
    return found


def _truth() -> dict[str, set[str]]:
    third, session, readable, cross = set(), set(), set(), set()
    for letter, (host, header) in EXERCISE_COOKIES.items():
        attributes = _attributes(header)
        if _site_of(host) != "shop.example":
            third.add(letter)
        if "max-age" not in attributes and "expires" not in attributes:
            session.add(letter)
        if "httponly" not in attributes:
            readable.add(letter)
        if attributes.get("samesite", "").lower() == "none":
            cross.add(letter)
    return {"third_party": third, "session": session, "readable": readable, "cross_site": cross}


def _letters(answer, what: str) -> set[str]:
    """"CF", "C, F", ["C", "F"] or {"c", "f"} → {"C", "F"}; a friendly NotYet otherwise."""
    if isinstance(answer, str):
        items = [c for c in answer.upper() if c.isalpha()]
    elif isinstance(answer, (list, tuple, set, frozenset)):
        items = []
        for item in answer:
            if not isinstance(item, str) or len(item.strip()) != 1:
                raise NotYet(f"{what}: write each cookie as one letter in quotes, such as [\"A\", \"C\"]; you gave {item!r}.")
            items.append(item.strip().upper())
    else:
        raise NotYet(f"{what} should be letters in quotes, such as \"AC\" or [\"A\", \"C\"]; you gave {answer!r}.")
    unknown = sorted(set(items) - set(EXERCISE_COOKIES))
    if unknown:
        raise NotYet(f"{what}: the cookies are A to F; {', '.join(unknown)} is not one of them. "
                     "Write only letters, such as \"AC\".")
    if not items:
        raise NotYet(f"{what}: you named no cookie. At least one of A to F belongs here.")
    return set(items)


def _explain(letters: set[str], key: str, what: str, why) -> str:
    truth = _truth()[key]
    misses = [f"{letter} {why(letter, letter in truth)}" for letter in sorted(letters ^ truth)]
    if misses:
        raise NotYet(f"{what}: " + " ".join(misses))
    return ", ".join(sorted(truth))


@task
def third_party(letters):
    letters = _letters(letters, "third_party")

    def why(letter, is_third):
        host = EXERCISE_COOKIES[letter][0]
        if is_third:
            return f"is third party: {host} belongs to {_site_of(host)}, not to shop.example in the address bar."
        return (f"is first party: {host} is part of shop.example, the site in the address bar "
                "(a subdomain is the same site).")

    found = _explain(letters, "third_party", "third_party", why)
    return f"{found}: their hosts belong to other sites than shop.example. img.shop.example is still shop.example."


@task
def session_cookies(letters):
    letters = _letters(letters, "session_cookies")

    def why(letter, is_session):
        if is_session:
            return "is a session cookie: it has neither Max-Age nor Expires, so it goes when the browser closes."
        age = _attributes(EXERCISE_COOKIES[letter][1]).get("max-age", "")
        days = f" ({int(age) // DAY} days)" if age.isdigit() else ""
        return f"is persistent: Max-Age={age} keeps it for that many seconds{days}, browser closed or not."

    found = _explain(letters, "session", "session_cookies", why)
    return f"{found}: no Max-Age and no Expires means the cookie lasts only until the browser closes."


@task
def readable_by_scripts(letters):
    letters = _letters(letters, "readable_by_scripts")

    def why(letter, readable):
        if readable:
            return "has no HttpOnly, so document.cookie shows it to every script on that site's pages, tags included."
        return "says HttpOnly: the browser sends it to the server but hides it from document.cookie."

    found = _explain(letters, "readable", "readable_by_scripts", why)
    return f"{found}: without HttpOnly, any script on the page can read a cookie, including third-party tags."


@task
def sent_cross_site(letters):
    letters = _letters(letters, "sent_cross_site")

    def why(letter, sent):
        samesite = _attributes(EXERCISE_COOKIES[letter][1]).get("samesite", "Lax")
        if sent:
            return ("says SameSite=None: it may travel with images, scripts and frames that other sites load "
                    "(if the browser allows third-party cookies).")
        if samesite.lower() == "lax":
            return ("says SameSite=Lax: it travels when a visitor follows a link to the site, but not with "
                    "images, scripts or frames that another site loads.")
        return "says SameSite=Strict: it never travels when another site starts the request."

    found = _explain(letters, "cross_site", "sent_cross_site", why)
    return f"{found}: only SameSite=None cookies travel with requests that another site's page starts."


CONSENT_SCENARIOS = [
    ({}, False, "before the visitor chooses anything, consent is {}: no answer is not a yes, so the tag must wait."),
    ({"analytics": True, "ads": False}, True, "the visitor accepted analytics: the stats tag may run."),
    ({"analytics": False, "ads": True}, False, "the visitor accepted ads only: that does not cover analytics."),
    ({"analytics": True, "ads": True}, True, "the visitor accepted everything, analytics included."),
    ({"analytics": False, "ads": False}, False, "the visitor rejected everything (or withdrew consent)."),
    ({"ads": True}, False, "analytics is not mentioned at all: without a yes for analytics, the tag must wait."),
]


@task
def consent_rule(rule):
    if not callable(rule):
        raise NotYet("give the name of your function, without brackets: consent_rule(stats_tag_may_run).")
    for consent, expected, meaning in CONSENT_SCENARIOS:
        try:
            answer = rule(dict(consent))
        except KeyError as missing:
            raise NotYet(f"your rule stumbled on {consent}: it has no {missing} entry. "
                         "consent.get(\"analytics\") gives None instead of an error.") from None
        except Exception as error:
            raise NotYet(f"your rule stumbled on {consent} ({type(error).__name__}: {error}).") from None
        if answer is Ellipsis:
            raise NotYet("replace the ... after return with your rule, then run the cell again.")
        if answer is None:
            answer = False  # consent.get("analytics") gives None when there is no entry: that is a no
        if not isinstance(answer, bool):
            raise NotYet(f"for {consent} your rule answered {answer!r}; it should answer True or False.")
        if answer != expected:
            verdict = "let the tag run" if answer else "blocked the tag"
            raise NotYet(f"for {consent} your rule {verdict}, but {meaning}")
    return ("the stats tag runs only after an explicit yes to analytics: not before the choice, not after a no, "
            "and not on a yes to ads alone.")


@task
def withdraw_header(header):
    header = as_text(header, "header")
    if header.lower().startswith("set-cookie:"):
        header = header.split(":", 1)[1].strip()
    name, _, _ = header.split(";")[0].partition("=")
    if "=" not in header.split(";")[0]:
        raise NotYet("a Set-Cookie value starts with name=value, such as _stats=; then its attributes.")
    if name.strip() != "_stats":
        raise NotYet(f"the cookie to remove is _stats; your header sets {name.strip()!r}. The name must match exactly.")
    attributes = _attributes(header)
    max_age = attributes.get("max-age")
    if max_age is not None:
        if not re.fullmatch(r"-?\d+", max_age):
            raise NotYet(f"Max-Age must be a whole number of seconds; {max_age!r} is not.")
        if int(max_age) > 0:
            raise NotYet(f"Max-Age={max_age} keeps the cookie {max_age} more seconds. Max-Age=0 removes it at once.")
    elif "expires" in attributes:
        from email.utils import parsedate_to_datetime

        import datetime

        try:
            when = parsedate_to_datetime(attributes["expires"])
        except (TypeError, ValueError, IndexError, OverflowError):
            raise NotYet("that Expires date cannot be read. Max-Age=0 is simpler.") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        if when > datetime.datetime.now(datetime.timezone.utc):
            raise NotYet("an Expires date in the past removes a cookie; yours is in the future. Max-Age=0 is simpler.")
    else:
        raise NotYet("without Max-Age or Expires this header replaces _stats with an empty session cookie; "
                     "it does not remove it. Add Max-Age=0.")
    if "domain" in attributes:
        raise NotYet("_stats was set without Domain: a host-only cookie. A header with Domain= names a different "
                     "cookie, so the original stays (Chromium keeps it even for Domain=www.shop.example). Leave Domain out.")
    if attributes.get("path") != "/":
        given = f"Path={attributes['path']}" if "path" in attributes else "no Path"
        raise NotYet(f"_stats was set with Path=/. With {given}, this header names another cookie (the path of "
                     "/privacy/consent is /privacy), so the original stays. Add Path=/.")
    return "same name, same Path, no Domain, Max-Age=0: the browser deletes _stats at once."
