"""The campaign page's performance budget, measured in Chromium, and what each missed line costs, in words.

    report = check_budget({"hero_format": "avif", ...})     builds that version, loads it, reads the budget
    print(report)                                             each line, measured, and the problems left

Two lines are Google's "good" thresholds for Core Web Vitals (LCP and CLS); two are Alpenglow's own:
the offer's headline readable within 1.5 s, and at most 120 kB sent before the visitor scrolls.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from martech.modules.speed_and_bandwidth import lab
from martech.modules.speed_and_bandwidth import versions
from martech.problems import Problem

# name: (limit, unit, what it is, whose line)
BUDGET = {
    "LCP": (2.5, "s", "largest picture or text painted", "Google's 'good'"),
    "CLS": (0.1, "", "unexpected movement", "Google's 'good'"),
    "headline": (1.5, "s", "the offer's headline readable", "Alpenglow's own"),
    "weight": (120_000, "bytes", "sent before the visitor scrolls", "Alpenglow's own"),
}
# Lighthouse's mobile figures: 1.6 Mbit/s is 200,000 bytes a second, at best.
BYTES_PER_SECOND = 1_638_400 / 8
PHONE_DEVICE_PIXELS = lab.PHONE["viewport"]["width"] * lab.PHONE["device_scale_factor"]


def value_of(load: lab.Load, line: str):
    return {"LCP": load.lcp, "CLS": load.cls, "headline": load.headline, "weight": load.total_bytes}[line]


def shown(line: str, value) -> str:
    if value is None:
        return "never"
    unit = BUDGET[line][1]
    return lab.kb(value) if unit == "bytes" else f"{value:.2f}" if line == "CLS" else f"{value:.1f} s"


def limit_shown(line: str) -> str:
    limit, unit, *_ = BUDGET[line]
    return lab.kb(limit) if unit == "bytes" else f"{limit:g}" if not unit else f"{limit:g} {unit}"


@dataclass
class BudgetReport:
    choices: dict
    load: lab.Load
    missed: list[str] = field(default_factory=list)     # budget lines over their limit
    problems: list[str] = field(default_factory=list)   # what each costs, in plain sentences

    @property
    def passed(self) -> bool:
        return not self.problems

    def table(self) -> str:
        rows = []
        for line, (limit, _, meaning, whose) in BUDGET.items():
            value = value_of(self.load, line)
            ok = value is not None and value <= limit
            rows.append(f"  {'✔' if ok else '✘'} {line:<9}{shown(line, value):>8}  limit {limit_shown(line):<7} "
                        f"{meaning} ({whose})")
        return "\n".join([f"Budget on {lab.PROFILE}:", *rows])

    def __repr__(self) -> str:
        lines = [self.table()]
        if self.problems:
            lines += ["What is left:", *(f"  - {p}" for p in self.problems)]
        return "\n".join(lines)


def explain(load: lab.Load, choices: dict) -> tuple[list[str], list[str]]:
    """(missed budget lines, sentences): what each remaining problem costs, from this load's own numbers."""
    missed = [line for line, (limit, *_) in BUDGET.items()
              if value_of(load, line) is None or value_of(load, line) > limit]
    problems = []
    tag, font, hero = load.resource("heattrack"), load.resource("alpenglow-sans"), load.resource("/images/hero-")
    if choices["tag"] == "blocking" and tag and tag.finished:
        problems.append(f"Nothing could paint before the vendor's tag arrived and ran, at {tag.finished:.1f} s: "
                        "a plain <script> in the head blocks the page, and the vendor's speed becomes yours. "
                        "async or defer would not.")
    if "headline" in missed and choices["font_display"] == "block" and font and font.finished:
        problems.append(f"The headline stayed invisible until the vendor's font arrived, at {font.finished:.1f} s "
                        "(font-display: block). swap shows it at once in a fallback font.")
    if choices["lazy_loading"] in ("hero", "both") and hero:
        first = min((r.started for r in load.resources if r.kind == "CSS"), default=0.0)
        problems.append(f"loading=\"lazy\" on the hero: Chromium asked for it only at {hero.started:.1f} s, after laying "
                        f"out the page, not as soon as it read the HTML (at {first:.1f} s). Never lazy-load the LCP picture.")
    if "LCP" in missed and hero and hero.bytes > 50_000:
        problems.append(f"The hero alone is {lab.kb(hero.bytes)}: about {hero.bytes / BYTES_PER_SECOND:.1f} s on this "
                        "network. A smaller format, or srcset for a phone-sized file, sends less.")
    banner_shift = load.shift_from("header")
    if "CLS" in missed and banner_shift > 0.05:
        problems.append(f"The vendor's banner pushed the whole page down when it appeared: a shift of {banner_shift:.2f}. "
                        "Keep its space (banner: \"reserved\"), or leave it out.")
    if "CLS" in missed and load.cls - banner_shift > 0.05:
        problems.append("Text moved when pictures without width and height arrived. Give every picture its size.")
    if not choices["dimensions"] and not ("CLS" in missed and load.cls - banner_shift > 0.05):
        problems.append("The pictures have no width and height. This time each one's size was known before the first "
                        "paint, so nothing moved; with a slower picture server the text below jumps (CLS). Give every "
                        "picture its size.")
    if "weight" in missed:
        text = sum(r.bytes for r in load.resources if r.kind in ("HTML", "CSS", "JS"))
        pictures = sorted((r for r in load.resources if r.kind == "images"), key=lambda r: -r.bytes)
        parts = [f"{r.name} {lab.kb(r.bytes)}" for r in pictures[:3]]
        if choices["compression"] == "none":
            parts.insert(0, f"text sent uncompressed, {lab.kb(text)} (Brotli sends about a tenth)")
        gallery = [r for r in pictures if "/images/lake-" in r.url or "/images/camp-" in r.url]
        if gallery:
            parts.append(f"the gallery far below the fold was fetched before anyone scrolled "
                         f"({lab.kb(sum(r.bytes for r in gallery))})")
        problems.append(f"{lab.kb(load.total_bytes)} before scrolling, over {limit_shown('weight')}: " + "; ".join(parts) + ".")
    html = load.resource("/campaign")
    if "headline" in missed and choices["tag"] != "blocking" and choices["font_display"] != "block" and html:
        problems.append(f"The headline became readable only at {shown('headline', load.headline)}: the page's HTML "
                        f"alone took until {html.finished or 0:.1f} s to arrive ({lab.kb(html.bytes)}).")
    if missed and not problems:
        problems.append(", ".join(f"{line} {shown(line, value_of(load, line))}" for line in missed)
                        + " over the budget: measure again, and look at the biggest files.")
    return missed, problems


def refuse_widths(choices: dict) -> None:
    """Fixed widths that look wrong on some screen get a plain sentence before anything is measured."""
    width = choices["hero_width"]
    if width == 400:
        raise Problem(f"A 400-pixel hero looks blurry on this phone: its screen is {PHONE_DEVICE_PIXELS} device pixels "
                      "wide. Let srcset and sizes pick the file for each screen.")
    if width == 800:
        raise Problem("800 pixels suits this phone, but a laptop shows the hero up to 1,280 pixels wide, and an 800-pixel "
                      "file looks soft there. srcset gives each screen its own file.")


_site = None
_site_lock = threading.Lock()


def campaign_site():
    """One campaign-page server for the checks, started on first use and kept."""
    global _site
    from martech.servers import demo_server

    with _site_lock:
        if _site is None:
            _site = demo_server("campaign-page")
        return _site


def address(choices: dict, site=None, image_delay: float = 0) -> str:
    site = site or campaign_site()
    extra = f"&image_delay={image_delay:g}" if image_delay else ""
    return f"{site.url}/campaign?{versions.query(choices)}{extra}"


def judge(load: lab.Load, choices) -> BudgetReport:
    """The budget of a load already measured (with the choices that made its version)."""
    lab._loads([load])
    values = versions.read_choices(choices)
    missed, problems = explain(load, values)
    return BudgetReport(values, load, missed, problems)


def readout(slow: lab.Load, fast: lab.Load) -> lab.Table:
    """What the faster version changes for a visitor on the slow phone, in seconds and kilobytes."""
    lab._loads([slow, fast])

    def sooner(a, b):
        return "-" if a is None or b is None else f"{a - b:.1f} s sooner"
    lines = [f"For a visitor on {lab.PROFILE}, the fast version:",
             f"  shows something on screen   {sooner(slow.fcp, fast.fcp)}",
             f"  makes the offer readable    {sooner(slow.headline, fast.headline)}",
             f"  paints the hero photo       {sooner(slow.lcp, fast.lcp)}",
             f"  sends {lab.kb(slow.total_bytes - fast.total_bytes)} less before the visitor scrolls "
             f"({lab.kb(slow.total_bytes)} instead of {lab.kb(fast.total_bytes)})",
             f"  moves the page by {fast.cls:.2f} instead of {slow.cls:.2f} (CLS)"]
    return lab.Table("\n".join(lines))


def check_budget(choices, site=None) -> BudgetReport:
    """Build the version ``choices`` asks for (today's page with those changes), load it once on the phone, and judge it."""
    values = versions.read_choices(choices)
    load = lab.measure(address(values, site), label="your version", click=False)   # no budget line needs a tap
    missed, problems = explain(load, values)
    return BudgetReport(values, load, missed, problems)
