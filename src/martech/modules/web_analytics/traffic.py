"""Two weeks of a small shop's traffic, made up from a seed: the same numbers on every run.

Campaigns, devices, returning visitors, ad blockers, bots, an A/B test and orders, each with
chances that look like a real shop's.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from martech.modules.web_analytics.store import EventStore, classify

START = date(2026, 11, 2)  # a Monday
DAYS = 14
PRICE = 89.90  # the Trail Runner, the shop's one shoe; its pages in served/ show this price too

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
    store.load(sorted(out.events), sorted(out.requests), out.orders)
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
