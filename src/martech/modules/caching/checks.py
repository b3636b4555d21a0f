"""The exercise checks of module "caching": each returns a sentence, or raises NotYet with a hint.

Each check replays the learner's Cache-Control on the real demos: an origin with a CDN in front
of it, and one BrowserCache per visitor (Ana, Ben) following the same rules as a browser.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode

from martech.checks import NotYet, as_text, as_whole_number, expect_choice, task
from martech.client import Response, fetch
from martech.modules.caching.demos import new_requests
from martech.modules.caching.headers import directives, lifetime
from martech.servers import demo_server

KNOWN = {"max-age", "s-maxage", "no-cache", "no-store", "private", "public", "immutable", "must-revalidate",
         "proxy-revalidate", "stale-while-revalidate", "stale-if-error", "no-transform", "must-understand"}
WITH_SECONDS = {"max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"}
TYPOS = {"maxage": "max-age", "max_age": "max-age", "max age": "max-age", "s-max-age": "s-maxage",
         "smaxage": "s-maxage", "s_maxage": "s-maxage", "s-max_age": "s-maxage", "nocache": "no-cache",
         "no_cache": "no-cache", "no cache": "no-cache", "nostore": "no-store", "no_store": "no-store",
         "no store": "no-store", "privat": "private", "pubic": "public"}
DAY, YEAR = 86_400, 31_536_000


class BrowserCache:
    """A private cache that follows ``lifetime``: what a browser keeps for one visitor."""

    def __init__(self, cookie: str = ""):
        self.cookie = cookie
        self.entries: dict[str, tuple[Response, float, int]] = {}

    def get(self, url: str) -> tuple[Response, str]:
        """The response, and how it came: "own copy", "304" or "downloaded"."""
        now = time.monotonic()
        headers = {"Cookie": self.cookie} if self.cookie else {}
        kept = self.entries.get(url)
        if kept and now - kept[1] < kept[2]:
            return kept[0], "own copy"
        if kept and kept[0].header("ETag"):
            headers["If-None-Match"] = kept[0].header("ETag")
        response = fetch(url, headers=headers)
        if not isinstance(response, Response):
            raise NotYet(f"the demo server did not answer ({response.reason}). Run the cell again.")
        if kept and response.status == 304:
            self.entries[url] = (kept[0], now, lifetime(response.header("Cache-Control"), shared=False) or 0)
            return kept[0], "304"
        life = lifetime(response.header("Cache-Control"), shared=False)
        if life is None or response.status != 200:
            self.entries.pop(url, None)
        else:  # the lifetime counts from when the origin made it: a CDN's Age is already used up
            age = response.header("Age", "0")
            self.entries[url] = (response, now, max(0, life - int(age)) if age.isdigit() else life)
        return response, "downloaded"


def cache_control_value(answer, what: str = "cache_control") -> str:
    """The learner's Cache-Control value, tidied; a NotYet with a hint for each usual slip."""
    text = as_text(answer, what)
    if text.lower().startswith("cache-control:"):
        text = text.split(":", 1)[1].strip()
    if not text:
        raise NotYet(f"{what} is empty. Write the header's value in quotes, such as \"max-age=60\".")
    if ";" in text:
        raise NotYet("separate directives with commas, not semicolons: \"private, no-cache\".")
    if ":" in text:
        raise NotYet("put = between a directive and its number: max-age=60, not max-age: 60.")
    if len(text) > 200 or not re.fullmatch(r"[A-Za-z0-9 ,=_\-\"]+", text):
        raise NotYet("a Cache-Control value holds only directives such as max-age=60, separated by commas.")
    parts = []
    for part in text.split(","):
        name, equals, value = (p.strip() for p in part.partition("="))
        name = name.lower()
        if not name:
            raise NotYet("there is an empty directive: two commas in a row, or a comma at the end?")
        if name in TYPOS:
            raise NotYet(f"{name!r} is almost right: write {TYPOS[name]}.")
        if name == "expires":
            raise NotYet("Expires is a header of its own. Here, give the lifetime in seconds: max-age=3600.")
        if name not in KNOWN:
            raise NotYet(f"{name!r} is not a Cache-Control directive. Use max-age, s-maxage, no-cache, no-store, "
                         "private, public, immutable or must-revalidate.")
        if name in WITH_SECONDS and not value.isdigit():
            raise NotYet(f"{name} takes a number of seconds, written as digits: {name}=3600 is an hour, "
                         f"{name}=86400 a day. You wrote {part.strip()!r}.")
        if name not in WITH_SECONDS and equals:
            raise NotYet(f"{name} takes no value: write just {name}.")
        parts.append(f"{name}={value}" if equals else name)
    return ", ".join(parts)


def span(seconds: int) -> str:
    """Seconds in words: 90 → "1.5 minutes"."""
    for unit, size in (("year", YEAR), ("day", DAY), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            amount = f"{seconds / size:.1f}".removesuffix(".0")
            return f"{amount} {unit}{'' if amount == '1' else 's'}"
    return f"{seconds} second{'' if seconds == 1 else 's'}"


class _Rig:
    """An origin with the learner's header and a CDN in front of it, for one check."""

    def __init__(self, **settings):
        self.origin = demo_server("caching", **settings)
        self.cdn = demo_server("cdn", origin=self.origin.port)

    def publish(self, **fields) -> None:
        fetch(self.origin.url + "/cms", method="POST", body=urlencode(fields))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cdn.stop()
        self.origin.stop()


def _no_lifetime(cache_control: str) -> NotYet:
    if "s-maxage" in directives(cache_control):
        return NotYet("s-maxage speaks only to shared caches such as the CDN. Browsers get no lifetime and guess one "
                      "(heuristic freshness). Add max-age for them too, such as max-age=0.")
    return NotYet(f"\"{cache_control}\" gives no lifetime, so each browser guesses one (heuristic freshness: often "
                  "a tenth of the time since the file last changed). Say it yourself with max-age or no-cache.")


@task
def revalidation(status, body_bytes):
    status = as_whole_number(status, "status")
    body_bytes = as_whole_number(body_bytes, "body_bytes")
    with demo_server("caching") as shop:
        full = fetch(shop.url + "/img/banner.svg")
        truth = fetch(shop.url + "/img/banner.svg", headers={"If-None-Match": full.header("ETag")})
    if status == 200:
        raise NotYet("200 means the server sent the whole banner again. Send the ETag of the first answer in an "
                     "If-None-Match header, quotes included: headers={\"If-None-Match\": etag}.")
    if status == 404:
        raise NotYet("404: check the path. The banner is at /img/banner.svg.")
    if status != truth.status:
        raise NotYet(f"the server does not answer {status} to that question. Print second.status to read it.")
    if body_bytes == len(full.body):
        raise NotYet(f"{body_bytes} bytes is the size of the whole banner. How long is the body of the 304 answer?")
    if body_bytes != 0:
        raise NotYet("count the bytes of the second answer's body: len(second.body).")
    return (f"304 Not Modified, with no body at all, instead of {len(full.body)} bytes. The browser shows its own "
            "copy; only the headers travelled.")


@task
def logo(cache_control):
    value = cache_control_value(cache_control)
    found, own, shared = directives(value), lifetime(value, shared=False), lifetime(value, shared=True)
    with _Rig(files=value) as rig:
        ana = BrowserCache()
        first, _ = ana.get(rig.cdn.url + "/img/logo.svg")
        _, how = ana.get(rig.cdn.url + "/img/logo.svg")
    if "no-store" in found:
        raise NotYet(f"with no-store, Ana's browser downloaded the whole logo again on her second page view "
                     f"({len(first.body)} bytes), and it will on every view: a logo fetched every time. "
                     "The logo only changes with a new file name, so let caches keep it: max-age=31536000 is a year.")
    if own == 0:
        raise NotYet(f"on her second page view Ana's browser asked \"changed?\" and got a {how}: small, but one round "
                     "trip per view, for a file that never changes under this name. Give it a long max-age.")
    if own is None:
        raise _no_lifetime(value)
    if own < DAY:
        raise NotYet(f"the logo is fetched again after {span(own)}, though it never changes under this name. "
                     "Give it a long lifetime: max-age=31536000 is a year.")
    if shared is None:
        raise NotYet("private keeps the logo out of the CDN, so every new visitor's browser fetches it from your "
                     "server. The logo is the same for everyone: drop private.")
    if shared < DAY:
        raise NotYet(f"s-maxage={shared} makes the CDN fetch the logo again after {span(shared)}. Drop s-maxage, "
                     "or make it as long as max-age.")
    tip = "" if "immutable" in found else " Tip: add immutable, so that even a reload does not ask again."
    used = "her browser used its own copy" if how == "own copy" else f"her browser got a {how}"
    return (f"Ana's second page view sent no request for the logo: {used}. Browsers and the CDN may keep it for "
            f"up to {span(own)}. A new logo gets a new file name, so no one sees an old one.{tip}")


@task
def launch_page(cache_control):
    value = cache_control_value(cache_control)
    found, own, shared = directives(value), lifetime(value, shared=False), lifetime(value, shared=True)
    with _Rig(pages=value) as rig:
        ana, ben = BrowserCache(), BrowserCache()
        ana.get(rig.cdn.url + "/spring-sale")
        new_requests(rig.origin)
        rig.publish(banner="Spring sale: 25% off running shoes")  # 10:00, the fix
        ana_page, ana_how = ana.get(rig.cdn.url + "/spring-sale")
        ben_page, _ = ben.get(rig.cdn.url + "/spring-sale")
        ben_hit = ben_page.header("X-Cache") == "HIT"
    ana_old, ben_old = "20% off" in ana_page.text, "20% off" in ben_page.text
    if "no-store" in found:
        raise NotYet("with no-store, no cache keeps the page: on launch day every view is a full download from "
                     "your server, at its busiest. Let the CDN help: max-age=0, s-maxage=60.")
    if "private" in found:
        raise NotYet("private keeps the page out of the CDN, so on launch day every view reaches your server. "
                     "The landing page is the same for everyone: drop private.")
    if own is None:
        raise _no_lifetime(value)
    if own > 60:
        seen = "still saw the old one: her browser showed its own copy without asking" if ana_how == "own copy" and ana_old \
            else "could see the old one: her browser may show its own copy without asking"
        raise NotYet(f"you fixed the offer at 10:00, but Ana {seen}, for up to {span(own)}. No purge reaches a "
                     "browser. On launch day keep max-age short: 0 to 60 seconds.")
    if shared is not None and shared > 300:
        raise NotYet(f"after the fix at 10:00, Ben (a new visitor) {'got the old offer from the CDN (X-Cache: HIT)' if ben_hit and ben_old else 'could get the old offer from the CDN'}, "
                     f"and so would everyone for {span(shared)}, unless someone purges. On launch day keep s-maxage to "
                     "a minute or a few: s-maxage=60.")
    if shared == 0:
        return ("every view asks your server \"changed?\"; an unchanged page costs a small 304, and a fix shows at "
                "once. To take load off your server on launch day, let the CDN keep it a minute: max-age=0, s-maxage=60.")
    return (f"browsers {'check every time' if own == 0 else f'keep it {span(own)} at most'}; the CDN answers from its "
            f"copy and asks your server again only after {span(shared or 0)}, however many visitors come. Right after "
            f"the fix Ben {'still got the old offer' if ben_old else 'got the new offer'}: a fix reaches everyone "
            f"within {span(max(own, shared or 0))}, or at once if you purge the CDN.")


@task
def account_page(cache_control):
    value = cache_control_value(cache_control)
    found, own, shared = directives(value), lifetime(value, shared=False), lifetime(value, shared=True)
    with _Rig(pages=value) as rig:
        ana, ben = BrowserCache("user=Ana"), BrowserCache("user=Ben")
        ana.get(rig.cdn.url + "/account")
        ben_page, _ = ben.get(rig.cdn.url + "/account")
    if "Ana" in ben_page.text:
        raise NotYet(f"Ben opened his account page and the CDN gave him Ana's (X-Cache: {ben_page.header('X-Cache')}): "
                     "her name and address, served to everyone. A personal page cached for everyone! "
                     "Add private, or use no-store.")
    if shared is not None:
        raise NotYet("no leak this time: the CDN asked your server first, which answered with Ben's own page. But "
                     "the CDN kept a copy of Ana's page on a machine shared by all visitors. Add private, or use no-store.")
    if "no-store" in found:
        tip = "" if "private" in found else (" MDN advises adding private as well (or using private, no-cache): a CDN "
                                             "can be set up to ignore no-store, but private says plainly the page is for one person.")
        return f"nothing is stored, not in the CDN, not even in the browser, and Ben saw his own page.{tip}"
    if own and own > 0:
        raise NotYet(f"private keeps it out of the CDN: good. But Ana's browser may show her a copy up to {span(own)} "
                     "old without asking: a new order or a new address would be missing. Make it private, no-cache.")
    tip = "" if own == 0 else " Tip: private, no-cache makes sure her browser asks each time."
    return f"only Ana's own browser may keep Ana's page; the CDN never stores it, and Ben saw his own.{tip}"


@task
def price_list(cache_control):
    value = cache_control_value(cache_control)
    found, own, shared = directives(value), lifetime(value, shared=False), lifetime(value, shared=True)
    with _Rig(pages=value) as rig:
        ana, ben = BrowserCache(), BrowserCache()
        ana.get(rig.cdn.url + "/prices")
        _, before_midnight = ana.get(rig.cdn.url + "/prices")
        rig.publish(price="79.00")  # midnight
        ana_list, ana_how = ana.get(rig.cdn.url + "/prices")
        ben_list, _ = ben.get(rig.cdn.url + "/prices")
        size = len(ana_list.body)
    if "89.00" in ana_list.text and ana_how == "own copy":
        raise NotYet(f"at midnight the price dropped to €79.00, but Ana's browser showed her yesterday's €89.00 from "
                     f"its own copy, without asking: a stale price, for up to {span(own or 0)} after midnight. "
                     "Use no-cache: the browser then asks \"changed?\" before each use.")
    if "89.00" in ana_list.text + ben_list.text:
        who = "Ana and Ben" if "89.00" in ana_list.text and "89.00" in ben_list.text else "Ben"
        raise NotYet(f"at midnight the price dropped to €79.00, but {who} got yesterday's €89.00 from the CDN "
                     f"(X-Cache: HIT): a stale price for everyone, for up to {span(shared or 0)} after midnight. "
                     "Drop s-maxage, or use no-cache.")
    if "no-store" in found:
        raise NotYet(f"no one saw a stale price, but every view downloads the whole list again ({size} bytes), even "
                     "when nothing changed. no-cache is just as fresh: an unchanged list costs a 304 with no body.")
    if own is None:
        raise _no_lifetime(value)
    if own:
        raise NotYet(f"this time no one saw a stale price, but with max-age={own} a visitor who looked at 23:59 "
                     "sees yesterday's prices after midnight, without asking. Use no-cache.")
    return (f"before midnight Ana's second look cost a {before_midnight} with no body; after midnight both saw €79.00 "
            "at once. Every view asks \"changed?\", and only a change costs a download. One gap: the back button and "
            "a tab left open can still show a page without asking.")


@task
def purge_reach(choice):
    expect_choice(choice, "b", {
        "a": "a purge removes the CDN's copy only. Browsers that kept the banner do not hear of it.",
        "c": "after the purge, the CDN fetches the new banner at the next request, so new visitors get it.",
        "d": "phones and laptops keep copies alike: what counts is whether a browser kept the old banner.",
    })
    return ("visitors whose browsers kept the old banner (max-age=86400) keep seeing it for up to a day: no purge "
            "reaches a browser. A new file name does.")
