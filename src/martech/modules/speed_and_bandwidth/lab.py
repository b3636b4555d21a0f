"""A page loaded in Chromium on a throttled phone, measured as the browser itself measures it.

    today = measure(site.url + "/campaign")        one load: bytes by kind, requests, FCP, LCP, CLS, INP
    compare(today, fast)                            the numbers side by side, against Google's "good" lines
    verdicts(today, fast)                           only yes or no for each line: the same on every run

The phone: 375 x 667 CSS pixels at 2 device pixels each, with the figures of Lighthouse's mobile network
(150 ms, 1.6 Mbit/s down, 750 kbit/s up) and a CPU 4 times slower than this computer's, all through the
DevTools protocol (martech.browser.throttle). That protocol delays each request, not each packet, so
Lighthouse and DevTools' own "Slow 4G" preset set 562.5 ms per request for the same 150 ms round trip:
this phone is a little kinder than theirs. A PerformanceObserver script added to each page
(served/vitals.js) reads FCP, LCP, CLS and INP; DevTools' Network events count the bytes. A tap on the
page's button gives INP.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from martech.browser import NETWORKS, BrowserThread, context_options, throttle
from martech.problems import Problem, shown
from martech.served import Served

files = Served(__file__)
VITALS_JS = files.text("vitals.js")

PHONE = {**context_options("phone"), "device_scale_factor": 2}
NETWORK, CPU = "mobile", 4
PROFILE = "a phone 375 px wide (2 device pixels per px), Lighthouse's mobile figures (150 ms, 1.6 Mbit/s), CPU 4x slower"
# web.dev's thresholds for the 75th percentile of visits (unchanged since INP replaced FID, March 2024).
THRESHOLDS = {"LCP": (2.5, 4.0, "s"), "INP": (200, 500, "ms"), "CLS": (0.1, 0.25, "")}
THRESHOLDS_SOURCE = "web.dev, 'Web Vitals' (LCP, INP, CLS), as of December 2026"
KINDS = {"Document": "HTML", "Stylesheet": "CSS", "Script": "JS", "Image": "images", "Font": "fonts"}
LOAD_TIMEOUT = 30_000


@dataclass
class Resource:
    url: str
    kind: str
    bytes: int = 0           # what travelled: headers and body, compressed if it was
    started: float = 0.0     # seconds after the page's own request started
    finished: float | None = None
    status: int | None = None
    encoding: str = ""

    @property
    def name(self) -> str:
        path = urlsplit(self.url).path
        return path.rsplit("/", 1)[-1] or "/"

    def party(self, page_url: str) -> str:
        return "own" if urlsplit(self.url).netloc == urlsplit(page_url).netloc else "third party"


@dataclass
class Load:
    """One page load: what the browser fetched and what it measured."""

    label: str
    url: str
    fcp: float | None = None          # seconds
    headline: float | None = None     # seconds: the offer's headline first painted
    lcp: float | None = None          # seconds
    lcp_element: str = ""
    cls: float = 0.0
    shifts: list = field(default_factory=list)
    inp: float | None = None          # milliseconds; None when nothing was clicked
    resources: list[Resource] = field(default_factory=list)
    throttled: bool = True
    after_scroll: list[str] | None = None   # files first asked for once the visitor scrolled to the end

    @property
    def requests(self) -> int:
        return len(self.resources)

    def bytes_by_kind(self) -> dict[str, int]:
        totals = {kind: 0 for kind in (*KINDS.values(), "other")}
        for resource in self.resources:
            totals[resource.kind] += resource.bytes
        return {kind: size for kind, size in totals.items() if size or kind != "other"}

    @property
    def total_bytes(self) -> int:
        return sum(r.bytes for r in self.resources)

    def requested(self, part: str) -> list[str]:
        """Names of the files whose address contains ``part``, e.g. "hero-" or "lake-"."""
        return [r.name for r in self.resources if part in r.url]

    def resource(self, part: str) -> Resource | None:
        return next((r for r in self.resources if part in r.url), None)

    def shift_from(self, part: str) -> float:
        """The layout shift of the movements that moved ``part`` (e.g. "headline"), summed."""
        return sum(s["value"] for s in self.shifts if part in s["moved"])

    def value(self, metric: str):
        return {"LCP": self.lcp, "INP": self.inp, "CLS": self.cls}[metric]

    def good(self, metric: str) -> bool | None:
        value = self.value(metric)
        return None if value is None else value <= THRESHOLDS[metric][0]

    def __repr__(self) -> str:
        return report(self)


def rating(metric: str, value) -> str:
    if value is None:
        return "not measured"
    good, poor, _ = THRESHOLDS[metric]
    return "good" if value <= good else "poor" if value > poor else "needs improvement"


def _shown(metric: str, value) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}" if metric == "CLS" else f"{value:.0f} ms" if metric == "INP" else f"{value:.1f} s"


def kb(size: int) -> str:
    return f"{size / 1000:,.0f} kB" if size >= 10_000 else f"{size / 1000:,.1f} kB"


def report(load: Load) -> str:
    where = PROFILE if load.throttled else "a phone 375 px wide, no throttling"
    lines = [f"{load.label or load.url}: on {where}",
             "  transferred: " + ", ".join(f"{kind} {kb(size)}" for kind, size in load.bytes_by_kind().items())
             + f"; {kb(load.total_bytes)} in {load.requests} requests",
             f"  first paint (FCP) {_shown('LCP', load.fcp)}, headline readable {_shown('LCP', load.headline)}"]
    for metric, (good, poor, unit) in THRESHOLDS.items():
        value = load.value(metric)
        line = f"  {metric} {_shown(metric, value):>7}  {rating(metric, value):<17} (good ≤ {good:g}{' ' + unit if unit else ''})"
        if metric == "LCP" and load.lcp_element:
            line += f", largest element: {load.lcp_element}"
        lines.append(line)
    lines.append(f"  Thresholds: {THRESHOLDS_SOURCE}.")
    return "\n".join(lines)


class Table(str):
    """Text that Jupyter shows as it is (no quotes)."""

    def __repr__(self) -> str:
        return str(self)


def compare(*loads: Load) -> Table:
    """The loads side by side: bytes, requests and each metric with its rating."""
    loads = _loads(loads)
    width = max(14, *(len(l.label) for l in loads)) + 2
    rows = [("", [l.label for l in loads])]
    for kind in ("HTML", "CSS", "JS", "images", "fonts"):
        rows.append((kind, [kb(l.bytes_by_kind().get(kind, 0)) for l in loads]))
    rows.append(("total", [kb(l.total_bytes) for l in loads]))
    rows.append(("requests", [str(l.requests) for l in loads]))
    rows.append(("FCP", [_shown("LCP", l.fcp) for l in loads]))
    rows.append(("headline", [_shown("LCP", l.headline) for l in loads]))
    for metric in THRESHOLDS:
        rows.append((metric, [f"{_shown(metric, l.value(metric))} {rating(metric, l.value(metric))}" for l in loads]))
    lines = [f"{name:<10}" + "".join(f"{cell:>{width + 8}}" for cell in cells) for name, cells in rows]
    lines.append(f"Each load: {PROFILE}. Thresholds: {THRESHOLDS_SOURCE}.")
    return Table("\n".join(lines))


def verdicts(*loads: Load) -> Table:
    """Only whether each load is within Google's "good" line for each metric: yes or no."""
    loads = _loads(loads)
    width = max(10, *(len(l.label) for l in loads)) + 2
    lines = [f"{'within the good line':<24}" + "".join(f"{l.label:>{width}}" for l in loads)]
    for metric, (good, _, unit) in THRESHOLDS.items():
        line = f"{metric + ' ≤ ' + f'{good:g}' + (' ' + unit if unit else ''):<24}"
        lines.append(line + "".join(f"{('yes' if l.good(metric) else 'no'):>{width}}" for l in loads))
    return Table("\n".join(lines))


def _device(device, label: str = "") -> dict:
    """Keyword arguments for a browser context, checked: a dict with a viewport, such as lab.PHONE."""
    if device is None:
        return PHONE
    if not isinstance(device, dict) or not isinstance(device.get("viewport"), dict):
        whose = f" for {label!r}" if label else ""
        raise Problem(f"The device{whose} should be a dict like lab.PHONE, or {{\"viewport\": {{\"width\": 1280, "
                      f"\"height\": 800}}, \"device_scale_factor\": 1}}; you gave {shown(device)}.")
    return device


def _loads(loads) -> list[Load]:
    if not loads or not all(isinstance(l, Load) for l in loads):
        raise Problem("Give one or more measurements, such as compare(today, fast), from lab.measure(...).")
    return list(loads)


# ── Driving Chromium ────────────────────────────────────────────────────────────────────────────

_browser = BrowserThread(setup=lambda browser: _Tabs(browser))


def close_browser() -> str:
    """Close the measuring Chromium (it starts again by itself when needed)."""
    _browser.close()
    return "Chromium closed."


def _address(page) -> str:
    url = getattr(page, "url", page)
    if not isinstance(url, str) or not re.match(r"https?://127\.0\.0\.1:\d+(/|$)", url):
        raise Problem(f"Give the address of a page on this computer, such as site.url + \"/campaign\"; you gave {shown(page)}.")
    return url


_warmed: set[str] = set()


def _warm(url: str) -> None:
    """Ask once for the page and its pictures, so that the measured load finds them made (as a CDN's cache would)."""
    if url in _warmed:
        return
    _warmed.add(url)
    from martech.client import fetch
    from martech.modules.speed_and_bandwidth.demos import brand_font

    brand_font()
    answer = fetch(url, headers={"Accept-Encoding": "identity"})
    if answer.status is None:   # nothing answered: say so now, not in the browser's words later
        _warmed.discard(url)
        raise Problem(f"Nothing answered at {url}: {answer.reason}")
    for path in sorted(set(re.findall(r"/images/[\w.-]+", getattr(answer, "text", "")))):
        picture = urljoin(url, path)
        if picture not in _warmed:   # the same picture in several versions of the page is made once
            _warmed.add(picture)
            fetch(picture, headers={"Accept-Encoding": "identity"})


class _Recorder:
    """DevTools' Network events for one tab, turned into Resources."""

    def __init__(self, session):
        self.session = session
        self.reset()
        session.on("Network.requestWillBeSent", self.sent)
        session.on("Network.responseReceived", self.received)
        session.on("Network.loadingFinished", self.finished)
        session.on("Network.loadingFailed", self.failed)
        self.last_activity = time.monotonic()

    def reset(self) -> None:
        self.rows, self.start, self.gone, self.document = {}, None, set(), None
        self.last_activity = time.monotonic()

    @property
    def document_failed(self) -> bool:
        return self.document is not None and self.document in self.gone

    def busy(self) -> bool:
        return any(r.finished is None and key not in self.gone for key, r in self.rows.items())

    def failed(self, event) -> None:
        self.gone.add(event["requestId"])
        self.last_activity = time.monotonic()

    def sent(self, event) -> None:
        url = event["request"]["url"]
        # A load starts with its page's own request: anything the tab's previous page still asks for is not part of it.
        if not url.startswith("http") or (self.start is None and event.get("type") != "Document"):
            return
        self.last_activity = time.monotonic()
        if self.start is None:
            self.start, self.document = event["timestamp"], event["requestId"]
        self.rows[event["requestId"]] = Resource(url, KINDS.get(event.get("type", ""), "other"),
                                                 started=event["timestamp"] - self.start)

    def received(self, event) -> None:
        row = self.rows.get(event["requestId"])
        if row:
            row.status = event["response"]["status"]
            row.kind = KINDS.get(event.get("type", ""), row.kind)
            headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
            row.encoding = headers.get("content-encoding", "")

    def finished(self, event) -> None:
        self.last_activity = time.monotonic()
        row = self.rows.get(event["requestId"])
        if row:
            row.bytes = int(event.get("encodedDataLength", 0))
            row.finished = event["timestamp"] - (self.start or event["timestamp"])


class _Tabs:
    """Lives in the browser's thread: tabs kept from one measurement to the next, each in a profile of its own.

    A new profile costs Chromium a new renderer process, which takes a while on a busy computer. So a tab
    is kept, with its cache turned off (as DevTools' "Disable cache" does), and reused for the next load:
    every load still fetches every file, and each profile still has a processor of its own, and its own
    connections (in one profile, pages on the same server would share six).
    """

    def __init__(self, browser):
        self.browser = browser
        self.idle: dict[tuple, list] = {}
        self.every: list = []

    def take(self, throttled: bool, device: dict, url: str):
        key = repr(sorted(device.items()))
        waiting = self.idle.setdefault(key, [])
        if waiting:
            entry = waiting.pop()
        else:
            context = self.browser.new_context(**device)
            tab = context.new_page()
            tab.add_init_script(VITALS_JS)
            session = throttle(tab, "none", 1)
            session.send("Network.setCacheDisabled", {"cacheDisabled": True})
            # Chromium starts a renderer process for a site on its first visit: start it now, not in the
            # measured load (_Taken waits for it, so that several new tabs start theirs at the same time).
            parts = urlsplit(url)
            try:
                tab.goto(f"{parts.scheme}://{parts.netloc}/not-a-page", wait_until="commit", timeout=LOAD_TIMEOUT)
            except Exception:
                context.close()
                raise Problem(f"The browser could not reach {parts.netloc}: is its server still running? "
                              "Start it again, then measure.") from None
            entry = [context, tab, _Recorder(session), False]
            self.every.append(entry)
        if entry[3] != throttled:   # the same DevTools settings as martech.browser.throttle, switched on or off
            network = NETWORKS[NETWORK] if throttled else None
            session = entry[2].session
            session.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": network["latency"] if network else 0,
                "downloadThroughput": network["down"] * 1000 / 8 if network else -1,
                "uploadThroughput": network["up"] * 1000 / 8 if network else -1})
            session.send("Emulation.setCPUThrottlingRate", {"rate": CPU if throttled else 1})
            entry[3] = throttled
        entry[2].reset()
        return key, entry

    def give_back(self, key, entry, broken: bool = False) -> None:
        """The tab stays on its page until the next load navigates away (leaving it costs a throttled tab 0.3 s)."""
        if broken or entry[1].is_closed():
            self.every.remove(entry)
            try:
                entry[0].close()
            except Exception:
                pass
            return
        self.idle[key].append(entry)

    def close(self) -> None:
        self.every, self.idle = [], {}   # closing the browser, next, closes every tab with it


class _Taken:
    """``with _Taken(tabs, throttled, device, url) as (tab, recorder):`` a tab for ``url``, given back afterwards."""

    def __init__(self, tabs: _Tabs, throttled: bool, device: dict, url: str):
        self.tabs, self.key_entry = tabs, tabs.take(throttled, device, url)

    def __enter__(self):
        _, (_, tab, recorder, _) = self.key_entry
        tab.wait_for_load_state("load", timeout=LOAD_TIMEOUT)   # the warm-up visit of a new tab
        return tab, recorder

    def __exit__(self, kind=None, *exc) -> None:
        # After a timeout or a crash the tab may be half-way through a load: it is closed, not kept.
        self.tabs.give_back(*self.key_entry, broken=kind is not None)


QUIET = 0.3   # seconds with no request under way: the page has what it asked for
# Leaves the current page for ``url`` at once, without waiting for the answer (so several tabs load side by side),
# and marks the page being left, so that what is read afterwards comes from the new one.
NAVIGATE = "url => { window.__leaving = true; window.location.href = url; }"
# The new page has loaded, with its measuring script: true, false, or null while the old page is still there.
LOADED = "() => window.__leaving ? null : document.readyState === 'complete' && !!window.__vitals"
# Two frames and a task later, the browser has painted what arrived last and told its observers (a busy
# computer may take a while for a frame; after a second, read what there is).
FRAMES = ("() => new Promise(done => { const late = setTimeout(done, 1000); "
          "requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => { clearTimeout(late); done(); }, 0))); })")


def _settle(tab, recorder: _Recorder) -> None:
    """Wait for the load event, then until no request has been under way for QUIET seconds."""
    tab.wait_for_load_state("load", timeout=LOAD_TIMEOUT)
    deadline = time.monotonic() + LOAD_TIMEOUT / 1000
    while time.monotonic() < deadline:
        if not recorder.busy() and time.monotonic() - recorder.last_activity >= QUIET:
            return
        tab.wait_for_timeout(50)


def _go(tab, recorder: _Recorder, url: str) -> None:
    """Start loading ``url`` in ``tab`` and return at once; _loaded says when it is there."""
    recorder.reset()
    tab.evaluate(NAVIGATE, url)


def _loaded(tab, recorder: _Recorder, url: str) -> bool:
    """Whether the page has loaded and nothing has been under way for QUIET seconds."""
    if recorder.document_failed:
        raise Problem(f"The browser could not load {url}: is its server still running? Start it again, then measure.")
    if recorder.start is None or recorder.busy() or time.monotonic() - recorder.last_activity < QUIET:
        return False
    try:
        return bool(tab.evaluate(LOADED))
    except Exception:   # the old page went away while it was being asked: the new one is on its way
        return False


def _read(tab, recorder: _Recorder, label: str, url: str, throttled: bool) -> Load:
    """What the page measured so far (call it once the network is quiet, and a frame later)."""
    values = tab.evaluate("window.__vitals")
    resources = [r for r in recorder.rows.values() if r.finished is not None]
    seconds = lambda ms: None if ms is None else ms / 1000
    return Load(label or _label(url), url, seconds(values["fcp"]), seconds(values["headline"]), seconds(values["lcp"]),
                values["lcpElement"] or "", values["cls"], values["shifts"], None, resources, throttled)


def _click(tab) -> bool:
    """Tap the page's main button, as a visitor would (a real input event, which Event Timing sees); False if none."""
    box = tab.locator("#cta").bounding_box() if tab.locator("#cta").count() else None
    if not box:
        return False
    tab.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    return True


def _inp(tab) -> float:
    tab.wait_for_function("window.__vitals.firstInput", timeout=10_000)
    return tab.evaluate("window.__vitals.inp")


def _measure_open(tabs: dict, throttled: bool, click, scroll=False) -> list[Load]:
    """Measure tabs that are already loading, together: {label: (url, tab, recorder)}.

    Each page is read as soon as it has loaded, and tapped or scrolled then, while the slower ones still load.
    click: True (tap each page's button, for INP), False, or the labels of the pages to tap.
    scroll: the same for scrolling to the end afterwards (the Load's after_scroll lists what that fetched).
    """
    loads, tapped, waiting = {}, {}, dict(tabs)
    deadline = time.monotonic() + LOAD_TIMEOUT / 1000
    while waiting:
        for label, (url, tab, recorder) in list(waiting.items()):
            if not _loaded(tab, recorder, url):
                continue
            tab.evaluate(FRAMES)
            loads[label] = _read(tab, recorder, label, url, throttled)
            if _chosen(click, label) and _click(tab):
                loads[label].inp = _inp(tab)
                tapped[label] = time.monotonic()
            if _chosen(scroll, label):
                loads[label].after_scroll = _scroll_to_end(tab, recorder)
            del waiting[label]
        if waiting:
            if time.monotonic() > deadline:
                raise Problem(f"{', '.join(waiting)} did not finish loading within {LOAD_TIMEOUT // 1000} s. "
                              "Is the computer very busy? Close other programs and measure again.")
            next(iter(waiting.values()))[1].wait_for_timeout(50)   # Playwright hands over the browser's news meanwhile
    for label, when in tapped.items():   # later entries of the same tap
        tabs[label][1].wait_for_timeout(max(0, (when + 0.1 - time.monotonic()) * 1000))
        loads[label].inp = tabs[label][1].evaluate("window.__vitals.inp")
    return [loads[label] for label in tabs]


def _label(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?…" if parts.query else "")


def measure(page, label: str = "", throttled: bool = True, click: bool = True, device: dict | None = None) -> Load:
    """Load ``page`` (an address on 127.0.0.1) once, with nothing cached, and measure it.

    throttled: on the slow phone (the default), or at this computer's full speed. click: tap the
    page's main button afterwards, for INP. device: keyword arguments for a browser context, to try
    another screen (the default is the phone described above).
    """
    url = _address(page)
    device = _device(device)
    for name, flag in (("throttled", throttled), ("click", click)):
        if not isinstance(flag, bool):
            raise Problem(f"{name} is True or False; you gave {shown(flag)}.")
    if not isinstance(label, str):
        raise Problem(f"label is a short text, such as \"today\"; you gave {shown(label)}.")
    _warm(url)

    def job(tabs):
        with _Taken(tabs, throttled, device, url) as (tab, recorder):
            _go(tab, recorder, url)
            return _measure_open({label or _label(url): (url, tab, recorder)}, throttled, click)[0]

    return _browser.run(job, timeout=90)


def _chosen(flag, label: str) -> bool:
    """flag: True, False, or the labels it applies to."""
    return flag is True or (not isinstance(flag, bool) and label in ([flag] if isinstance(flag, str) else flag))


def _scroll_to_end(tab, recorder: _Recorder) -> list[str]:
    """Scroll to the bottom, as a visitor would; the files the page asked for because of it."""
    before = len(recorder.rows)
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and len(recorder.rows) == before:
        tab.wait_for_timeout(50)
    _settle(tab, recorder)
    return [r.name for r in list(recorder.rows.values())[before:]]


MANY = 10   # pages at once: each has a renderer process of its own, and this computer has only so many cores


def measure_many(pages: dict, throttled=False, click=True, scroll=False) -> list[Load]:
    """Load several pages at the same time, each in a profile of its own (so a processor of its own): {label: address}.

    click: True to tap every page's button afterwards (for INP), False for none, or a list of labels.
    throttled: True for the slow phone, False for full speed, or the labels of the pages to throttle.
    scroll: the labels of pages to scroll to the end afterwards (their Load's after_scroll lists what that fetched).
    A value may also be (address, device), with a device such as PHONE or {"viewport": ..., ...}. Use it
    where the pages' own waits (a slow vendor) matter more than the network: unthrottled by default.
    """
    if not isinstance(pages, dict) or not 1 <= len(pages) <= MANY or not all(isinstance(k, str) for k in pages):
        raise Problem(f"Give one to {MANY} pages as a dict of {{label: address}}.")
    wanted = {}
    for label, value in pages.items():
        url, device = value if isinstance(value, tuple) and len(value) == 2 else (value, PHONE)
        wanted[label] = (_address(url), _device(device, label))
    for url, _ in wanted.values():
        _warm(url)

    def job(tabs):
        taken = {}
        failed = None
        try:
            for label, (url, device) in wanted.items():
                taken[label] = _Taken(tabs, _chosen(throttled, label), device, url)
            opened = {label: t.__enter__() for label, t in taken.items()}
            for label, (tab, recorder) in opened.items():
                _go(tab, recorder, wanted[label][0])
            loads = _measure_open({label: (wanted[label][0], tab, recorder) for label, (tab, recorder) in opened.items()},
                                  False, click, scroll)
            for load in loads:
                load.throttled = _chosen(throttled, load.label)
            return loads
        except BaseException as error:
            failed = type(error)
            raise
        finally:
            for t in taken.values():
                t.__exit__(failed)

    return _browser.run(job, timeout=120)


def download_times(page, groups: dict[str, list[str]]) -> dict[str, dict]:
    """On the throttled phone, fetch each group's files at once, one group after the other, from ``page``.

    Returns {label: {"sent": bytes on the wire (body), "read": bytes after decoding, "seconds": time for the
    group}}, read from the browser's own Resource Timing.
    """
    url = _address(page)
    if (not isinstance(groups, dict) or not groups
            or not all(isinstance(v, (list, tuple)) and v and all(isinstance(p, str) for p in v) for v in groups.values())):
        raise Problem("Give the groups as a dict of {label: [addresses]}, such as "
                      "{\"plain\": [\"/campaign.css?compression=none\"]}; you gave " + shown(groups) + ".")
    script = files.text("download-times.js")

    def job(tabs):
        with _Taken(tabs, True, PHONE, url) as (tab, _):
            tab.goto(url, wait_until="load", timeout=LOAD_TIMEOUT)
            return tab.evaluate(script, groups)

    return _browser.run(job, timeout=60)


def requests_before_and_after_scroll(page, device: dict | None = None) -> tuple[list[str], list[str]]:
    """The files the page asked for before the visitor scrolled, and those it asked for after scrolling to the end."""
    url = _address(page)
    device = _device(device)
    _warm(url)

    def job(tabs):
        with _Taken(tabs, False, device, url) as (tab, recorder):
            tab.goto(url, wait_until="load", timeout=LOAD_TIMEOUT)
            _settle(tab, recorder)
            before = [r.name for r in recorder.rows.values()]
            return before, _scroll_to_end(tab, recorder)

    return _browser.run(job, timeout=60)
