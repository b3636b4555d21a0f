"""The lab's ad server, exchange and bidders, as plain Python: no HTTP here (demos.py serves them).

An ad request goes through the steps a real ad server takes, simplified:

1. direct line items, best priority first (lower number first, as in Google Ad Manager):
   each must match the slot's targeting, be under its frequency cap for this visitor, and
   be on pace for its daily goal;
2. if none is eligible, a first-price auction in the shape of OpenRTB 2.6: one BidRequest
   to three local bidders, bids under the floor refused, the highest bid wins and pays its bid;
3. if no bid clears the floor, a house ad (the publisher's own, unpaid).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

PUBLISHER_DOMAIN = "news.example"
EXCHANGE_DOMAIN = "exchange.example"
PUBLISHER_SELLER_ID = "pub-1001"      # news.example's account at exchange.example

# Slots on the publisher's article page: name → (width, height).
SLOTS = {"top": (300, 250), "middle": (300, 250), "bottom": (300, 250)}


@dataclass(frozen=True)
class LineItem:
    id: str
    name: str
    kind: str             # the Google Ad Manager line item type it imitates
    priority: int         # lower number wins first
    slots: tuple          # targeting: the slots it may fill
    cpm: float            # the price agreed in the deal, per 1,000 impressions
    creative: str         # file in served/creatives/
    advertiser: str
    capped: bool = False  # frequency cap per visitor per day (the demo's cap setting)
    daily_goal: int = 0   # 0: no goal (a share of traffic instead)


LINE_ITEMS = [
    LineItem("LI-1", "Spring city breaks sponsorship", "Sponsorship", 4, ("top",), 12.0, "spring.svg",
             "Sunny Travel", capped=True),
    LineItem("LI-2", "Trail running shoes", "Standard", 8, ("top", "middle"), 8.0, "shoes.svg",
             "Fleetfoot", daily_goal=40),
]
HOUSE = LineItem("HOUSE", "Subscribe to The Daily News", "House", 16, tuple(SLOTS), 0.0, "house.svg",
                 "The Daily News (own ad)")

# The local bidders (demand-side platforms): each bids a base CPM, varied by a seeded "random" draw.
BIDDERS = {
    "alpha-dsp": {"seat": "seat-outdoor", "base": 2.40, "spread": 1.6, "slots": ("top", "middle", "bottom"),
                  "adomain": "fleetfoot.example", "creative": "alpha.svg"},
    "beta-dsp": {"seat": "seat-bank", "base": 3.10, "spread": 1.2, "slots": ("top", "middle"),
                 "adomain": "northbank.example", "creative": "beta.svg"},
    "gamma-dsp": {"seat": "seat-games", "base": 1.20, "spread": 1.0, "slots": ("top", "middle", "bottom"),
                  "adomain": "pixelgames.example", "creative": "gamma.svg"},
}

DAY_REQUESTS = 200   # the lab's "day": pacing spreads a daily goal evenly over this many ad requests


def draw(seed: int, *parts) -> float:
    """A number from 0 to 1 fixed by seed and parts: the same inputs always give the same draw."""
    digest = hashlib.sha256(json.dumps([seed, *parts]).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


# ── OpenRTB 2.6 ───────────────────────────────────────────────────────────────────────────────

def bid_request(request_id: str, slot: str, page_url: str, floor: float, user_agent: str,
                user_id: str | None, tmax: int = 300) -> dict:
    """An OpenRTB 2.6 BidRequest for one slot, as the exchange sends it to each bidder."""
    width, height = SLOTS[slot]
    request = {
        "id": request_id,
        "imp": [{"id": "1", "tagid": slot, "banner": {"w": width, "h": height},
                 "bidfloor": floor, "bidfloorcur": "USD"}],
        "site": {"domain": PUBLISHER_DOMAIN, "page": page_url,
                 "publisher": {"id": PUBLISHER_SELLER_ID, "domain": PUBLISHER_DOMAIN}},
        "device": {"ua": user_agent[:200]},
        "at": 1,          # 1 = first price: the winner pays its own bid
        "tmax": tmax,     # milliseconds the bidders have to answer
        "cur": ["USD"],
        "source": {"schain": {"complete": 1, "ver": "1.0",
                              "nodes": [{"asi": EXCHANGE_DOMAIN, "sid": PUBLISHER_SELLER_ID, "hp": 1}]}},
    }
    if user_id:
        request["user"] = {"id": user_id}
    return request


def bidder_answer(name: str, request: dict, seed: int) -> dict | None:
    """What bidder ``name`` answers: an OpenRTB 2.6 BidResponse, or None for "no bid" (HTTP 204)."""
    bidder = BIDDERS[name]
    imp = request["imp"][0]
    if imp.get("tagid") not in bidder["slots"]:
        return None
    price = round(bidder["base"] + bidder["spread"] * (draw(seed, name, request["id"]) - 0.5) * 2, 2)
    if price <= 0:
        return None
    return {"id": request["id"], "cur": "USD", "seatbid": [{"seat": bidder["seat"], "bid": [{
        "id": f"{name}-{request['id']}", "impid": imp["id"], "price": price,
        "adomain": [bidder["adomain"]], "crid": f"{name}-banner", "w": imp["banner"]["w"], "h": imp["banner"]["h"],
        "burl": f"/billing?bidder={name}&price=${{AUCTION_PRICE}}"}]}]}


def run_auction(request: dict, answers: dict[str, dict | None]) -> dict:
    """First price with a floor: every bid, whether it clears the floor, the winner and the price paid."""
    floor = request["imp"][0]["bidfloor"]
    bids = []
    for name, answer in answers.items():
        if not answer:
            bids.append({"bidder": name, "price": None, "result": "no bid (HTTP 204)"})
            continue
        price = answer["seatbid"][0]["bid"][0]["price"]
        bids.append({"bidder": name, "price": price,
                     "result": "below the floor: refused" if price < floor else "valid"})
    valid = [b for b in bids if b["result"] == "valid"]
    # Ties go to the bidder listed first, so a fixed seed gives a fixed winner.
    winner = max(valid, key=lambda b: b["price"], default=None)
    if winner:
        winner["result"] = "wins"
        for other in valid:
            if other is not winner:
                other["result"] = "loses"
    return {"floor": floor, "bids": bids, "winner": winner and winner["bidder"],
            "price_paid": winner and winner["price"]}


# ── Direct line items ─────────────────────────────────────────────────────────────────────────

def eligible(item: LineItem, slot: str, seen: dict, visitor: str | None, cap: int, requests_so_far: int) -> str:
    """"" if the line item may serve; otherwise why not, in words."""
    if slot not in item.slots:
        return f"targets {', '.join(item.slots)} only"
    if item.capped:
        if not visitor:
            return "has a frequency cap, and this visitor has no stable identifier (no uid cookie)"
        if seen.get((item.id, visitor), 0) >= cap:
            return f"this visitor has seen it {cap} time(s) today: the frequency cap"
    if item.daily_goal:
        delivered = seen.get((item.id, "*"), 0)
        on_pace = item.daily_goal * (requests_so_far + 1) / DAY_REQUESTS
        if delivered >= item.daily_goal:
            return "its daily goal is met"
        if delivered + 1 > on_pace + 1:
            return f"ahead of pace ({delivered} served, {on_pace:.1f} due by now): even pacing holds it back"
    return ""


def choose_line_item(slot: str, seen: dict, visitor: str | None, cap: int, requests_so_far: int):
    """(the line item that serves or None, the reasons each was passed over)."""
    passed = []
    for item in sorted(LINE_ITEMS, key=lambda i: i.priority):
        why_not = eligible(item, slot, seen, visitor, cap, requests_so_far)
        if not why_not:
            return item, passed
        passed.append(f"{item.id} {item.name} (priority {item.priority}) {why_not}")
    return None, passed


# ── ads.txt and sellers.json ──────────────────────────────────────────────────────────────────

def read_ads_txt(text: str) -> list[dict]:
    """The data records of an ads.txt file: domain, seller account id, relationship, certification id.

    Comments (#...) and variables (CONTACT=...) are skipped, as the IAB Tech Lab spec says;
    a line that is not a record is skipped too, as a buyer's crawler would.
    """
    records = []
    for line in str(text).splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or ("=" in line and "," not in line):
            continue
        fields = [f.strip() for f in line.split(",")]
        if len(fields) < 3 or fields[2].upper() not in ("DIRECT", "RESELLER"):
            continue
        records.append({"domain": fields[0].lower(), "account": fields[1], "relationship": fields[2].upper(),
                        "certification": fields[3] if len(fields) > 3 else ""})
    return records


def check_supply(request: dict, ads_txt: list[dict], sellers: dict) -> str:
    """"" if the bid request's seller is authorised; otherwise what is wrong, in words.

    The seller is the last node of source.schain (the entity sending this request). Its
    (asi, sid) must be a line of the site's ads.txt; sellers.json says who that account is.
    """
    try:
        domain = request["site"]["domain"]
        node = request["source"]["schain"]["nodes"][-1]
        asi, sid = node["asi"].lower(), str(node["sid"])
    except (KeyError, IndexError, TypeError, AttributeError):
        return "it carries no supply chain (source.schain) to check"
    listed = [r for r in ads_txt if r["domain"] == asi and r["account"] == sid]
    listing = sellers.get("sellers", []) if isinstance(sellers, dict) else []
    who = next((s for s in listing if isinstance(s, dict) and str(s.get("seller_id")) == sid), None)
    if not listed:
        owner = f" sellers.json says account {sid} belongs to {who.get('name')} ({who.get('domain')})." if who else ""
        return f"{domain}'s ads.txt does not list {asi}, {sid}: that seller is not authorised to sell {domain}.{owner}"
    if who and who.get("seller_type") == "PUBLISHER" and who.get("domain") not in (None, domain):
        return f"sellers.json says {sid} is the publisher {who.get('domain')}, not {domain}"
    return ""
