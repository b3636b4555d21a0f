"""Helpers for the demo notebook: visitors in Chromium, simulated bots, the three counts, the metrics.

Every visitor here is simulated: Chromium (from martech.browser) plays a reader, a visitor who
leaves early, one who scrolls past, one with an ad blocker, and two robots; the lab's own
script plays a declared crawler. No real person and no real bot traffic is involved.

    counted = await lab.visit_in_chromium(site.url, ["reader", "early leaver"])
    print(lab.three_counts(site.url))
"""

from __future__ import annotations

import asyncio
import json
import random

from martech import browser
from martech.client import fetch
from martech.modules.ad_management import adserver
from martech.modules.ad_management.demos import counts
from martech.problems import Problem, shown

# A desktop Chrome's user agent for the visitors who pretend to be (or are) people.
CHROME_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/131.0.0.0 Safari/537.36")
CRAWLER_UA = "LabCrawler-bot/1.0 (simulated crawler of the course lab)"

VISITORS = {
    "reader": "reads the article: stays 2 s at each ad, then clicks the middle ad and buys",
    "early leaver": "on a slow connection (ad images take 2 s to arrive), leaves 0.5 s after the page loads",
    "fast scroller": "starts below the top ad, scrolls down past every ad without stopping, then leaves",
    "ad blocker": "a blocker that stops the ad images (the creatives) from loading; stays 2 s",
    "headless bot": "a robot in headless Chromium that says so in its user agent; stays 2 s",
    "disguised bot": "a robot in headless Chromium that claims to be Chrome and reads like a person",
}

PAUSE = 2000  # ms at each ad: a second more than the MRC's one second, for a busy computer


class BadVisitor(Problem):
    pass


def _url(url) -> str:
    """The demo server's address, such as site.url; a plain-words Problem for anything else."""
    if not isinstance(url, str) or not url.startswith(("http://127.0.0.1:", "http://localhost:")):
        raise Problem(f"Give the ad server's address, site.url (such as http://127.0.0.1:8000); you gave {shown(url)}.")
    return url.rstrip("/")


def _get_json(url: str):
    response = fetch(url)
    try:
        return json.loads(response.text)
    except (AttributeError, ValueError):
        raise Problem(f"The ad server did not answer at {url}: {getattr(response, 'reason', 'no JSON came back.')} "
                      "Start it with demo_server(\"ad-server\").") from None


def _kinds(kinds) -> list[str]:
    if isinstance(kinds, str):
        kinds = [kinds]
    if not isinstance(kinds, (list, tuple)) or not kinds or not all(isinstance(k, str) for k in kinds):
        raise BadVisitor(f"Give a list of visitor kinds, such as [\"reader\", \"early leaver\"]; you gave {shown(kinds)}. "
                         f"The kinds: {', '.join(VISITORS)}.")
    unknown = [k for k in kinds if k not in VISITORS]
    if unknown:
        raise BadVisitor(f"There is no visitor kind {unknown[0]!r}. The kinds: {', '.join(VISITORS)}.")
    if len(kinds) > 12:
        raise BadVisitor("Twelve visits at most at a time: each one runs a real browser page.")
    return list(kinds)


# Runs inside the page from its first moment (an init script), so that no round trip to Python
# can delay it. The visitor starts reading just below the top ad (it never gets half in view), waits
# until the three ads have loaded, then scrolls 600 px every 60 ms until the bottom ad is out of view
# above, and leaves (about:blank).
_SCROLL_PAST = """addEventListener('DOMContentLoaded', () => {
  const slot = name => document.querySelector('[data-slot=' + name + ']');
  scrollTo(0, slot('top').getBoundingClientRect().bottom + scrollY + 1);
  const step = () => {
    const box = slot('bottom').getBoundingClientRect();
    if (box.bottom < 0) { location.replace('about:blank'); return; }
    scrollBy(0, 600);
    setTimeout(step, 60);
  };
  const loaded = () => [...document.querySelectorAll('.slot')].every(s => {
    const image = s.querySelector('img'); return image && image.complete && image.naturalWidth > 0; });
  const wait = () => { if (loaded()) { step(); } else { setTimeout(wait, 5); } };
  wait();
});"""


async def _slowly(route) -> None:
    """A slow connection for the ad images: they arrive after 2 seconds, if the page is still open."""
    try:
        await asyncio.sleep(2)
        await route.continue_()
    except Exception:  # the visitor has gone, and the page with them
        pass


async def _rendered(page, which: str = ".slot") -> None:
    """Wait until the slots' creatives have loaded: the viewability clock starts only then."""
    await page.wait_for_function("""(which) => [...document.querySelectorAll(which)].every(s => {
      const image = s.querySelector('img'); return image && image.complete && image.naturalWidth > 0; })""",
                                 arg=which, timeout=10_000)


async def _scroll_to(page, slot: str) -> None:
    await page.evaluate(f"document.querySelector('[data-slot={slot}]').scrollIntoView({{block: 'center'}})")


async def _one_visit(browser_, url: str, kind: str) -> str:
    options = browser.context_options("desktop")
    if kind != "headless bot":
        options["user_agent"] = CHROME_UA
    context = await browser_.new_context(**options)
    try:
        if kind == "ad blocker":
            await context.route("**/cdn/**", lambda route: route.abort("blockedbyclient"))
        if kind == "early leaver":
            await context.route("**/cdn/**", _slowly)
        if kind == "fast scroller":
            await context.add_init_script(_SCROLL_PAST)
        page = await context.new_page()
        await page.goto(url + "/", wait_until="commit" if kind == "fast scroller" else "load")
        if kind == "early leaver":
            await page.wait_for_timeout(500)
        elif kind == "fast scroller":   # the init script scrolls, then leaves for about:blank
            await page.wait_for_url("about:blank", timeout=15_000)
            await page.wait_for_timeout(100)
        elif kind in ("reader", "disguised bot"):
            await _rendered(page)
            await page.wait_for_timeout(PAUSE)
            for slot in ("middle", "bottom"):
                await _scroll_to(page, slot)
                await page.wait_for_timeout(PAUSE)
            if kind == "reader":
                await _scroll_to(page, "middle")
                await page.click("[data-slot=middle] a")
                await page.click("#buy")
                await page.wait_for_load_state()
        else:  # ad blocker, headless bot: stay at the top, then leave
            if kind == "headless bot":
                await _rendered(page)
            await page.wait_for_timeout(PAUSE)
        cookie = next((c["value"] for c in await context.cookies() if c["name"] == "uid"), "(none)")
    finally:
        await context.close()
    return cookie


async def visit_in_chromium(url: str, kinds) -> dict[str, str]:
    """Send each kind of visitor to the article at ``url`` in one Chromium, side by side.

    Returns {visitor kind: the ad server's uid for it}, to read the log by visitor. ``await`` it.
    """
    url, kinds = _url(url), _kinds(kinds)
    async with browser.async_chromium() as chromium:
        uids = await asyncio.gather(*(_one_visit(chromium, url, kind) for kind in kinds))
    await asyncio.sleep(0.3)  # the last beacons land
    return dict(zip(kinds, uids))


def crawler_visits(url: str, visits: int = 2) -> str:
    """A declared crawler (a script, not a browser) that requests the page's three ads ``visits`` times."""
    if isinstance(visits, bool) or not isinstance(visits, int) or not 1 <= visits <= 50:
        raise BadVisitor(f"visits is a whole number from 1 to 50; you gave {shown(visits)}.")
    url = _url(url)
    for _ in range(visits):
        for slot in adserver.SLOTS:
            fetch(f"{url}/ad?slot={slot}", headers={"User-Agent": CRAWLER_UA})
    return f"The simulated crawler asked for {visits * len(adserver.SLOTS)} ads, as {CRAWLER_UA!r}."


def events(url: str) -> list[dict]:
    """The ad server's log: one dict per event (served, rendered, viewable, click, conversion)."""
    answer = _get_json(_url(url) + "/log")
    if not isinstance(answer, dict) or "events" not in answer:
        raise Problem(f"{url} is not the ad-server demo: its /log has no events.")
    return answer["events"]


def three_counts(url: str, uids: dict[str, str] | None = None) -> str:
    """A table: per visitor (or in all), what the ad server, the page and the verification script counted."""
    log = events(url)
    if uids is not None and not isinstance(uids, dict):
        raise Problem(f"uids is what visit_in_chromium returned (a dict), or None; you gave {shown(uids)}.")
    rows = [f"{'visitor':16} {'ad server':>10} {'page':>6} {'viewable':>9}  known robot?"]
    for kind, uid in (uids or {}).items():
        mine = [e for e in log if e["visitor"] == uid]
        c = counts(mine)
        robot = "yes (GIVT)" if any(e.get("ivt") for e in mine) else "no"
        rows.append(f"{kind:16} {c['served']:>10} {c['rendered']:>6} {c['viewable']:>9}  {robot}")
    c = counts(log)
    rows.append(f"{'all visits':16} {c['served']:>10} {c['rendered']:>6} {c['viewable']:>9}")
    valid = counts(log, valid_only=True)
    rows.append(f"{'without GIVT':16} {valid['served']:>10} {valid['rendered']:>6} {valid['viewable']:>9}")
    return "\n".join(rows)


# ── metrics ───────────────────────────────────────────────────────────────────────────────────

def _number(value, what: str, low: float = 0, high: float = 1e9) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (low <= value <= high):
        raise Problem(f"{what} should be a number from {low:g} to {high:g}; you gave {shown(value)}.")
    return float(value)


def metrics(impressions, viewable, clicks, conversions, spend, revenue) -> dict[str, float | None]:
    """The usual ad metrics from six totals; None where a metric would divide by zero."""
    impressions = _number(impressions, "impressions")
    viewable = _number(viewable, "viewable impressions")
    clicks = _number(clicks, "clicks")
    conversions = _number(conversions, "conversions")
    spend = _number(spend, "spend (in dollars)")
    revenue = _number(revenue, "revenue (in dollars)")
    if viewable > impressions or clicks > impressions:
        raise Problem("viewable impressions and clicks cannot be more than the impressions.")
    share = lambda a, b: round(a / b, 4) if b else None
    money = lambda a, b: round(a / b, 2) if b else None
    return {"viewable rate": share(viewable, impressions), "CTR": share(clicks, impressions),
            "CPM": money(spend * 1000, impressions), "vCPM": money(spend * 1000, viewable),
            "CPC": money(spend, clicks), "CPA": money(spend, conversions), "ROAS": money(revenue, spend)}


def explain(result: dict) -> str:
    """The metrics as sentences a marketer can read."""
    if not isinstance(result, dict):
        raise Problem("Give explain() what metrics() returned.")
    say = {
        "viewable rate": lambda v: f"viewable rate {v:.0%}: the share of these impressions that could be seen",
        "CTR": lambda v: f"CTR {v:.2%}: clicks per impression",
        "CPM": lambda v: f"CPM ${v:,.2f}: the cost of 1,000 impressions, seen or not",
        "vCPM": lambda v: f"vCPM ${v:,.2f}: the cost of 1,000 viewable impressions",
        "CPC": lambda v: f"CPC ${v:,.2f}: the cost of one click",
        "CPA": lambda v: f"CPA ${v:,.2f}: the cost of one conversion (here a purchase)",
        "ROAS": lambda v: f"ROAS {v:,.2f}: dollars of revenue per dollar spent",
    }
    return "\n".join(say[k](v) if v is not None else f"{k}: cannot say (it would divide by zero)"
                     for k, v in result.items() if k in say)


# ── a day of traffic at scale, simulated with a fixed seed ───────────────────────────────────

# What each kind of visitor did to the three ads in the Chromium lab: (rendered, viewable) per slot served.
OUTCOMES = {"reader": (3, 3), "early leaver": (0, 0), "fast scroller": (3, 0), "ad blocker": (0, 0),
            "headless bot": (3, 1), "disguised bot": (3, 3), "crawler": (0, 0)}
MIX = {"reader": 0.45, "early leaver": 0.15, "fast scroller": 0.2, "ad blocker": 0.1,
       "headless bot": 0.02, "disguised bot": 0.03, "crawler": 0.05}


def simulate_day(visits: int = 10_000, seed: int = 18, mix: dict | None = None) -> dict[str, int]:
    """Three ads per visit, for ``visits`` simulated visitors drawn from ``mix``; what each system counts.

    The outcome of each kind is the one the Chromium lab measured (OUTCOMES). The mix is the
    lab's own assumption, not a survey figure: change it and see how the counts drift.
    """
    if isinstance(visits, bool) or not isinstance(visits, int) or not 1 <= visits <= 1_000_000:
        raise Problem(f"visits is a whole number from 1 to 1,000,000; you gave {shown(visits)}.")
    mix = MIX if mix is None else mix
    if not isinstance(mix, dict) or not mix or any(k not in OUTCOMES for k in mix) \
            or any(isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1e6 for v in mix.values()) \
            or sum(mix.values()) <= 0:
        raise Problem(f"mix maps visitor kinds ({', '.join(OUTCOMES)}) to shares such as 0.45; you gave {shown(mix)}.")
    chooser = random.Random(seed)
    kinds = chooser.choices(list(mix), weights=list(mix.values()), k=visits)
    total = {"served": 0, "rendered": 0, "viewable": 0, "known robots (GIVT)": 0, "robots not caught": 0}
    for kind in kinds:
        rendered, viewable = OUTCOMES[kind]
        total["served"] += 3
        total["rendered"] += rendered
        total["viewable"] += viewable
        if kind in ("headless bot", "crawler"):
            total["known robots (GIVT)"] += 3
        if kind == "disguised bot":
            total["robots not caught"] += 3
    return total


# ── frequency capping, with and without a stable identifier ─────────────────────────────────

def page_views(url: str, views: int = 5, keep_cookie: bool = True) -> list[str]:
    """One visitor opens the article ``views`` times; which ad fills the top slot each time.

    keep_cookie=True: the browser keeps the ad server's uid cookie, a stable identifier.
    keep_cookie=False: as with cookies blocked or deleted, every request arrives without one.
    """
    if isinstance(views, bool) or not isinstance(views, int) or not 1 <= views <= 20:
        raise Problem(f"views is a whole number from 1 to 20; you gave {shown(views)}.")
    if not isinstance(keep_cookie, bool):
        raise Problem(f"keep_cookie is True or False; you gave {shown(keep_cookie)}.")
    url = _url(url)
    cookie, shown_ads = None, []
    for number in range(1, views + 1):
        headers = {"Cookie": cookie} if cookie else {}
        response = fetch(f"{url}/ad?slot=top", headers=headers)
        answer = _get_json(f"{url}/ad?slot=top") if response.status is None else json.loads(response.text)
        if keep_cookie and response.header("Set-Cookie"):
            cookie = response.header("Set-Cookie").split(";")[0]
        who = cookie.split("=")[1] if cookie else "no identifier"
        shown_ads.append(f"view {number} ({who}): {answer['source']}")
    return shown_ads


# ── supply chain: ads.txt and sellers.json ──────────────────────────────────────────────────

def bid_log(seed: int = 18) -> list[dict]:
    """Five bid requests a buyer received, each claiming to sell news.example; one comes from elsewhere."""
    log = []
    for number, sid in enumerate(["pub-1001", "pub-1001", "pub-6666", "pub-1001", "7788"], 1):
        request = adserver.bid_request(f"req-{number}", "top", "http://news.example/", 1.5, CHROME_UA, None)
        request["source"]["schain"]["nodes"][-1]["sid"] = sid
        if sid == "7788":   # resold: news.example's account at Resell Media, then Resell Media's at the exchange
            request["source"]["schain"]["nodes"] = [
                {"asi": "resell.example", "sid": "news-311", "hp": 1}, {"asi": "exchange.example", "sid": "7788", "hp": 1}]
        request["site"]["publisher"]["id"] = sid
        log.append(request)
    return log


def supply_check(url: str, requests: list[dict]) -> list[str]:
    """Each bid request checked against the publisher's /ads.txt and the exchange's /sellers.json."""
    if not isinstance(requests, list) or not all(isinstance(r, dict) for r in requests):
        raise Problem(f"Give a list of bid requests (dicts), such as lab.bid_log(); you gave {shown(requests)}.")
    url = _url(url)
    ads_txt = adserver.read_ads_txt(getattr(fetch(url + "/ads.txt"), "text", ""))
    sellers = _get_json(url + "/sellers.json")
    lines = []
    for request in requests:
        problem = adserver.check_supply(request, ads_txt, sellers)
        try:
            node = request["source"]["schain"]["nodes"][-1]
            seller = f"{node['asi']}, {node['sid']}"
        except (KeyError, IndexError, TypeError):
            seller = "(no supply chain)"
        lines.append(f"{request.get('id')}: sold by {seller}: " + (f"REFUSE: {problem}" if problem else "authorised"))
    return lines
