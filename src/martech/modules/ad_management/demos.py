"""The demo server of module "ad-management". Start it with ``martech serve ad-server``.

One server plays every part, each under its own path:

    /                  the publisher's article page (news.example) with three ad slots
    /ads.js            the page's ad tag: asks the ad server, renders, measures viewability
    /ad?slot=top       the ad server: line items first, then an OpenRTB auction, then a house ad
    /bidder/<name>     three bidders (alpha-dsp, beta-dsp, gamma-dsp): POST a BidRequest, get a BidResponse
    /render, /viewable the page's and the verification script's beacons; /click, /landing, /convert
    /ads.txt           the publisher's authorised sellers; /sellers.json: the exchange's sellers
    /log, /report      what the ad server logged, as JSON and as plain text

What it serves is in served/, as files: edit the pages there, not here.
"""

from __future__ import annotations

import http.client
import itertools
import json
import re
import threading
from dataclasses import dataclass, field

from martech.modules.ad_management import adserver
from martech.served import Served
from martech.servers import HOST, DemoHandler, Reply, Setting, demo, page

files = Served(__file__)

JSON = "application/json"
TEXT = "text/plain; charset=utf-8"
NO_STORE = {"Cache-Control": "no-store"}
# The lab's list of known robots (GIVT is found "through routine means of filtration ... such as lists").
KNOWN_BOTS = re.compile(r"bot|crawler|spider|HeadlessChrome", re.I)
IMP_ID = re.compile(r"imp-\d{1,7}")
CREATIVE = re.compile(r"/cdn/([a-z]+\.svg)")
BIDDER = re.compile(r"/bidder/([a-z-]+)")


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    imp_numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    visitor_numbers: itertools.count = field(default_factory=lambda: itertools.count(1))
    requests: int = 0
    seen: dict = field(default_factory=dict)          # (line item, visitor) → count; (line item, "*") → total
    impressions: dict = field(default_factory=dict)   # imp id → what was served
    events: list = field(default_factory=list)        # served, rendered, viewable, click, conversion


_CREATE = threading.Lock()


def _state(server) -> _State:
    with _CREATE:
        return server.__dict__.setdefault("ad_state", _State())


def _json(value, status: int = 200) -> Reply:
    return Reply(status, json.dumps(value, indent=2) + "\n", JSON, headers=NO_STORE)


def _text(text: str, status: int = 200, **headers) -> Reply:
    return Reply(status, text, TEXT, headers={**NO_STORE, "X-Content-Type-Options": "nosniff", **headers})


def ivt_class(user_agent: str) -> str:
    """"GIVT" when the user agent is on the lab's list of known robots, else "" (not known to be invalid)."""
    return "GIVT" if KNOWN_BOTS.search(user_agent or "") else ""


@demo("ad-server")
class AdServerHandler(DemoHandler):
    description = "a news page with three ad slots, an ad server, an OpenRTB auction among three bidders, ads.txt"
    settings = {
        "floor": Setting(float, 1.5, "the auction's floor price, in US dollars per 1,000 impressions (CPM)",
                         0, 20, "US dollars"),
        "cap": Setting(int, 2, "frequency cap: how often one visitor may see the sponsorship a day", 1, 10, "impressions"),
        "seed": Setting(int, 18, "fixes the bidders' random bids, so that a run can be repeated", 0, 1_000_000),
    }

    def cookie(self, name: str) -> str | None:
        for part in (self.headers.get("Cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name and re.fullmatch(r"v-\d{1,7}", value):
                return value
        return None

    @property
    def user_agent(self) -> str:
        """The last User-Agent header: martech's fetch sends its own first when a caller gives another."""
        return (self.headers.get_all("User-Agent") or [""])[-1]

    def respond(self, path, query):
        one = lambda key: (query.get(key) or [""])[0][:100]
        if path in ("/", "/article"):
            headers = dict(NO_STORE)
            if not self.cookie("uid"):   # the ad server's identifier for this browser, for frequency caps
                headers["Set-Cookie"] = self.new_visitor_cookie()
            return Reply(body=files.render("publisher.html", title="The Daily News: Ten car-free city breaks"),
                         headers=headers)
        if path == "/ads.js":
            return Reply(200, files.bytes("ads.js"), "text/javascript; charset=utf-8", {"Cache-Control": "no-cache"})
        if path == "/style.css":
            return Reply(200, files.bytes("style.css"), "text/css; charset=utf-8", {"Cache-Control": "no-cache"})
        if path == "/ad":
            return self.ad(one("slot"), one("page") or "/", explain=one("explain") == "1")
        if match := BIDDER.fullmatch(path):
            return self.bidder(match.group(1))
        if path in ("/render", "/viewable", "/click", "/convert"):
            return self.beacon(path[1:], one("imp"), one("ms"), one("value"))
        if path == "/landing":
            return Reply(body=files.render("landing.html", title="Fleetfoot: trail shoes", imp=one("imp")),
                         headers=NO_STORE)
        if match := CREATIVE.fullmatch(path):
            if files.path(f"creatives/{match.group(1)}").exists():
                return Reply(200, files.bytes(f"creatives/{match.group(1)}"), "image/svg+xml",
                             {"Cache-Control": "no-store"})
        if path == "/ads.txt":
            return _text(files.text("ads.txt"))
        if path == "/sellers.json":
            return Reply(200, files.bytes("sellers.json"), JSON, headers=NO_STORE)
        if path == "/log":
            state = _state(self.server)
            with state.lock:
                return _json({"events": state.events, "requests": state.requests})
        if path == "/report":
            return _text(report_text(self.log()))
        return page("Page not found", '<p>There is no page at this address. Start at <a href="/">the article</a>.</p>',
                    status=404)

    def new_visitor_cookie(self) -> str:
        state = _state(self.server)
        with state.lock:
            number = next(state.visitor_numbers)
        return f"uid=v-{number}; Path=/; Max-Age=2592000; SameSite=Lax"

    def log(self) -> list[dict]:
        state = _state(self.server)
        with state.lock:
            return list(state.events)

    # ── the ad server ──
    def ad(self, slot: str, page_url: str, explain: bool) -> Reply:
        if slot not in adserver.SLOTS:
            return _json({"error": f"slot must be one of {', '.join(adserver.SLOTS)}"}, 400)
        state = _state(self.server)
        visitor = self.cookie("uid")
        user_agent = self.user_agent
        headers = dict(NO_STORE)
        with state.lock:
            number = next(state.imp_numbers)
            requests_so_far = state.requests
            state.requests += 1
            item, passed = adserver.choose_line_item(slot, state.seen, visitor, self.cap, requests_so_far)
            if item:
                self._count(state, item, visitor)
        if not visitor:  # for next time: this request had no identifier, so caps could not apply to it
            headers["Set-Cookie"] = self.new_visitor_cookie()
        imp = f"imp-{number}"
        auction = None
        if item:
            source, price, creative = f"{item.id} {item.kind}", item.cpm, item.creative
        else:
            auction = self.auction(imp, slot, page_url, user_agent, visitor)
            if auction["result"]["winner"]:
                winner = auction["result"]["winner"]
                source, price = f"auction: {winner}", auction["result"]["price_paid"]
                creative = adserver.BIDDERS[winner]["creative"]
            else:
                item = adserver.HOUSE
                source, price, creative = "HOUSE", 0.0, item.creative
        served = {"event": "served", "imp": imp, "slot": slot, "source": source, "price": price,
                  "visitor": visitor or "(none)", "ivt": ivt_class(user_agent)}
        with state.lock:
            state.impressions[imp] = served
            state.events.append(served)
        answer = {"imp": imp, "slot": slot, "source": source, "cpm": price, "creative": f"/cdn/{creative}",
                  "click": f"/click?imp={imp}", "passed_over": passed}
        if explain and auction:
            answer["auction"] = auction
        return Reply(200, json.dumps(answer, indent=2) + "\n", JSON, headers=headers)

    def _count(self, state: _State, item, visitor) -> None:
        state.seen[(item.id, "*")] = state.seen.get((item.id, "*"), 0) + 1
        if visitor:
            state.seen[(item.id, visitor)] = state.seen.get((item.id, visitor), 0) + 1

    def auction(self, imp: str, slot: str, page_url: str, user_agent: str, visitor) -> dict:
        request = adserver.bid_request(imp, slot, f"http://{adserver.PUBLISHER_DOMAIN}{page_url}", self.floor,
                                       user_agent, visitor)
        answers = {}
        for name in adserver.BIDDERS:   # real HTTP POSTs, to the bidders on this same server
            answers[name] = post_json(self.server.server_address[1], f"/bidder/{name}", request)
        return {"request": request, "responses": answers, "result": adserver.run_auction(request, answers)}

    # ── the bidders ──
    def bidder(self, name: str) -> Reply:
        if name not in adserver.BIDDERS:
            return _text(f"No bidder called {name}. The bidders: {', '.join(adserver.BIDDERS)}.\n", 404)
        if self.command != "POST":
            return _text("A bidder takes an OpenRTB BidRequest as JSON, sent with POST.\n", 405, Allow="POST")
        try:
            request = json.loads(getattr(self, "request_body", b"") or b"null")
            request["imp"][0]["banner"]["w"]
            str(request["id"])
        except (ValueError, TypeError, KeyError, IndexError):
            return _text("This is not an OpenRTB BidRequest: it needs an id and one imp with a banner.\n", 400)
        answer = adserver.bidder_answer(name, request, self.seed)
        if answer is None:
            return Reply(204, b"", headers=NO_STORE)   # OpenRTB: "no bid" is an empty HTTP 204
        return _json(answer)

    # ── what the page, the verification script and the visitor report ──
    def beacon(self, kind: str, imp: str, ms: str, value: str) -> Reply:
        state = _state(self.server)
        if not IMP_ID.fullmatch(imp):
            return _text("Say which impression: ?imp=imp-1\n", 400)
        with state.lock:
            served = state.impressions.get(imp)
            if served:
                event = {"event": {"render": "rendered", "convert": "conversion"}.get(kind, kind), "imp": imp,
                         "slot": served["slot"], "source": served["source"], "visitor": served["visitor"],
                         "ivt": served["ivt"] or ivt_class(self.user_agent)}
                if kind == "viewable" and ms.isdigit():
                    event["ms"] = int(ms)
                if kind == "convert":
                    event["value"] = float(value) if re.fullmatch(r"\d{1,5}(\.\d{1,2})?", value) else 0.0
                state.events.append(event)
        if not served:
            return _text(f"The ad server never served {imp}.\n", 404)
        if kind == "click":
            return Reply(302, b"", headers={**NO_STORE, "Location": f"/landing?imp={imp}"})
        return Reply(204, b"", headers=NO_STORE)


def post_json(port: int, path: str, value: dict, timeout: float = 3.0) -> dict | None:
    """POST ``value`` as JSON to this server; the JSON answer, or None for 204 or any failure (no bid)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        body = json.dumps(value).encode()
        connection.request("POST", path, body, {"Content-Type": JSON, "Content-Length": str(len(body))})
        response = connection.getresponse()
        data = response.read()
        return json.loads(data) if response.status == 200 else None
    except (OSError, ValueError):
        return None
    finally:
        connection.close()


def counts(events: list[dict], valid_only: bool = False) -> dict[str, int]:
    """How many of each event, e.g. {"served": 18, "rendered": 12, "viewable": 7, ...}."""
    total = {"served": 0, "rendered": 0, "viewable": 0, "click": 0, "conversion": 0}
    for event in events:
        if event.get("event") in total and not (valid_only and event.get("ivt")):
            total[event["event"]] += 1
    return total


def report_text(events: list[dict]) -> str:
    every, valid = counts(events), counts(events, valid_only=True)
    lines = ["What the lab counted (all / after the known-robot filter):",
             f"  ad server: impressions served    {every['served']:5} / {valid['served']}",
             f"  page: creatives rendered          {every['rendered']:5} / {valid['rendered']}",
             f"  verification: viewable (MRC)      {every['viewable']:5} / {valid['viewable']}",
             f"  clicks                            {every['click']:5} / {valid['click']}",
             f"  conversions                       {every['conversion']:5} / {valid['conversion']}"]
    return "\n".join(lines) + "\n"
