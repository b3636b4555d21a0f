"""The exercise's six rules, measured by Chromium: ``audit(page)`` says where and why each one fails.

The page is measured by served/measure.js, run in the page at 375 px with scripts off; ``judge``
turns those measurements into findings in plain words, each naming the line of the page it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from martech.modules.html_and_css.browser_tools import Text, _in_browser, _is_html, _label
from martech.served import Served

files = Served(__file__)

RULES = {
    "phone": "fits a 375 px phone",
    "alt": "every image has alt text",
    "headings": "one h1 and no skipped heading level",
    "links": "link text says where it leads",
    "snippet": "title and meta description",
    "contrast": "text contrast at least 4.5:1",
}
TITLE_LENGTH = (10, 60)
DESCRIPTION_LENGTH = (50, 160)
MINIMUM_CONTRAST = 4.5  # the course asks this of all text; WCAG 2.2 AA asks it of normal-size text
LARGE_TEXT_CONTRAST = 3.0  # what WCAG 2.2 AA asks of large text: 24 px, or 18.66 px bold (18 pt, 14 pt)
VAGUE_TITLES = {"home", "homepage", "home page", "welcome", "untitled", "document", "index", "page", "new page", "landing page"}
GENERIC_LINKS = {"click here", "here", "click", "read more", "more", "learn more", "link", "this link", "this", "go",
                 "details", "more info", "info", "find out more"}

MEASURE_JS = files.text("measure.js")


class _LineTagger(HTMLParser):
    """Finds where each start tag begins, so that the checks can say 'line 12'."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.places: list[tuple[int, int, str]] = []

    def handle_starttag(self, tag, attrs):
        line, column = self.getpos()
        self.places.append((line, column, tag))

    handle_startendtag = handle_starttag


def with_line_numbers(document: str) -> str:
    """The page with data-line="N" on each element of <body>: where it starts in the text."""
    tagger = _LineTagger()
    try:
        tagger.feed(document)
        tagger.close()
    except Exception:
        return document
    starts = [0]
    for line in document.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    inserts = []
    for line, column, tag in tagger.places:
        if tag in ("html", "head", "meta", "title", "style", "script", "link", "base"):
            continue
        offset = starts[line - 1] + column
        if document[offset:offset + 1 + len(tag)].lower() == "<" + tag:
            inserts.append(offset + 1 + len(tag))
    for offset in reversed(inserts):
        line = document.count("\n", 0, offset) + 1
        document = document[:offset] + f' data-line="{line}"' + document[offset:]
    return document


def _luminance(rgb) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour given as 0-255 numbers."""
    channels = []
    for value in rgb[:3]:
        c = value / 255
        channels.append(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(foreground, background) -> float:
    """WCAG 2.2's contrast ratio of two colours, from 1 (none) to 21 (black on white).

    Each colour is "#rrggbb", "#rgb" or three numbers 0-255.
    """
    lighter, darker = sorted((_luminance(_rgb(foreground)), _luminance(_rgb(background))), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _rgb(colour) -> tuple[int, int, int]:
    if isinstance(colour, str):
        value = colour.strip().lstrip("#")
        if re.fullmatch(r"[0-9a-fA-F]{3}", value):
            value = "".join(c * 2 for c in value)
        if not re.fullmatch(r"[0-9a-fA-F]{6}", value):
            raise ValueError(f"{colour!r} is not a colour such as \"#b3261e\"")
        return tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))
    return tuple(int(round(v)) for v in list(colour)[:3])


def _hex(rgb) -> str:
    return "#" + "".join(f"{int(round(v)):02x}" for v in rgb[:3])


def _composite(layers: list, base=(255, 255, 255)) -> tuple:
    """The colour you see: background layers (innermost first) painted over white."""
    colour = list(base)
    for r, g, b, a in reversed(layers):  # the outermost layer is painted first
        colour = [new * a + old * (1 - a) for new, old in zip((r, g, b), colour)]
    return tuple(colour)


@dataclass
class Finding:
    rule: str
    passed: bool
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _at(item) -> str:
    return f"line {item['line']}: " if item.get("line") else ""


def judge(m: dict, source_text: str | None = None) -> list[Finding]:
    """Turn Chromium's measurements into one Finding per rule, each problem saying where and why."""
    findings = []

    # 1. Fits a phone
    problems = []
    viewport = (m["viewport"] or "").replace(" ", "").lower()
    if m["viewport"] is None:
        problems.append("the <head> has no viewport meta tag, so a phone lays the page out about 980 px wide and "
                        "shrinks it to fit: the text becomes tiny. Add "
                        '<meta name="viewport" content="width=device-width, initial-scale=1">.')
    elif "width=device-width" not in viewport:
        problems.append(f'the viewport meta tag says content="{m["viewport"]}"; it needs width=device-width '
                        "so that the page is laid out as wide as the phone's screen.")
    if m["viewport"] is not None and _blocks_zoom(viewport):
        problems.append(f'the viewport meta tag says content="{m["viewport"]}": that stops visitors zooming in to '
                        "read, and people with low vision need to zoom (WCAG 1.4.4, Resize text). Remove "
                        "user-scalable=no and any maximum-scale below 2.")
    if m["scrollWidth"] > m["width"] + 1:
        problems.append(f"the page is {m['scrollWidth']} px wide on a {m['width']} px screen: visitors must scroll sideways.")
        for item in m["wide"][:3]:
            why = _why_wide(item, source_text)
            problems.append(f"{_at(item)}{item['tag']} is {item['width']} px wide and ends at {item['right']} px{why}")
    findings.append(Finding(RULES["phone"], not problems, problems))

    # 2. Alt text
    problems, notes = [], []
    for img in m["images"]:
        alt = img["alt"]
        if img["decorative"]:
            continue
        if alt is None and img.get("inLink"):
            problems.append(f"{_at(img)}{img['tag']} has no alt attribute, and it is inside a link: a screen reader "
                            "may read out the file name as the link's name. Say where the link goes, e.g. "
                            "alt=\"Swift 3 running shoes\" or alt=\"shop.example home\".")
        elif alt is None:
            problems.append(f"{_at(img)}{img['tag']} has no alt attribute: a screen reader may read out the file name. "
                            "Say what the picture shows, and any words in it, as it matters on this page "
                            "(or alt=\"\" if it is pure decoration).")
        elif re.search(r"\.(png|jpe?g|gif|webp|svg|avif)$", alt.strip(), re.I) or \
                re.fullmatch(r"(img|image|dsc|photo|picture|pic|banner|hero)[\s_-]*\d*", alt.strip(), re.I):
            problems.append(f"{_at(img)}{img['tag']} has alt=\"{alt}\": that is a file name or a placeholder, "
                            "not a description of the picture.")
        elif not alt.strip():
            notes.append(f"{_at(img)}{img['tag']} has alt=\"\": screen readers skip it, which is right only for decoration.")
    findings.append(Finding(RULES["alt"], not problems, problems, notes))

    # 3. Headings
    problems = []
    h1s = [h for h in m["headings"] if h["level"] == 1]
    if not h1s:
        problems.append("the page has no <h1>: give it one heading that says what the page is about.")
    for extra in h1s[1:]:
        problems.append(f"{_at(extra)}<h1>{extra['text']}</h1> is a second h1: keep one h1 for the page; "
                        "make section headings h2.")
    level = 0
    for heading in m["headings"]:  # in page order, so the problems read top to bottom
        if heading["level"] > level + 1:
            before = f"an h{level}" if level else "the start of the page"
            problems.append(f"{_at(heading)}<h{heading['level']}>{heading['text']}</h{heading['level']}> comes after "
                            f"{before}: it skips a level. Use h{level + 1} (pick the level by the heading's place in "
                            "the page's structure, and the size with CSS).")
        level = heading["level"]
    problems.sort(key=lambda p: int(re.match(r"line (\d+)", p).group(1)) if re.match(r"line \d+", p) else 0)
    findings.append(Finding(RULES["headings"], not problems, problems))

    # 4. Link text
    problems = []
    for link in m["links"]:
        name = re.sub(r"[^\w\s%€$£-]", "", link["name"]).strip().lower()
        if not name:
            problems.append(f"{_at(link)}{link['tag']} has no text at all: a screen reader says just \"link\".")
        elif name in GENERIC_LINKS and re.search(r"\w", link.get("context") or ""):
            problems.append(f"{_at(link)}{link['tag']} says \"{link['name']}\". The paragraph around it gives context, which "
                            "WCAG's level A (2.4.4) accepts, but screen reader users often list all links, and out of "
                            "context nobody knows where it leads. Best practice (and WCAG AAA, 2.4.9): put the "
                            "destination in the link text, e.g. \"our returns policy\".")
        elif name in GENERIC_LINKS:
            problems.append(f"{_at(link)}{link['tag']} says \"{link['name']}\", with no sentence or paragraph around it: nobody knows "
                            "where it leads, which fails WCAG 2.4.4 (Link purpose). Put the destination in the link "
                            "text, e.g. \"our returns policy\".")
    findings.append(Finding(RULES["links"], not problems, problems))

    # 5. Title and meta description
    problems = []
    title = " ".join((m["title"] or "").split())
    low, high = TITLE_LENGTH
    if not title:
        problems.append("the page has no <title> (or an empty one): search results and browser tabs show it. "
                        "Add <title>…</title> inside <head>.")
    elif title.lower() in VAGUE_TITLES:
        problems.append(f"the <title> is \"{title}\": too vague. Say what the page offers, e.g. the sale and the product.")
    elif len(title) < low:
        problems.append(f"the <title> \"{title}\" has {len(title)} characters: say what the page offers in {low} to {high}.")
    elif len(title) > high:
        problems.append(f"the <title> has {len(title)} characters: search results cut what does not fit the screen, "
                        f"so keep it to about {high}, the offer first.")
    description = m["description"]
    low, high = DESCRIPTION_LENGTH
    if description is None:
        problems.append('the <head> has no meta description: add <meta name="description" content="…"> with a '
                        "sentence or two that sums up the page.")
    elif len(description.strip()) < low:
        problems.append(f"the meta description has {len(description.strip())} characters: sum up the page in {low} to {high}.")
    elif len(description.strip()) > high:
        problems.append(f"the meta description has {len(description.strip())} characters: search results cut long ones, "
                        f"so keep it to about {high}.")
    elif description.strip() == title:
        problems.append("the meta description repeats the title: use it to add what the title has no room for.")
    findings.append(Finding(RULES["snippet"], not problems, problems))

    # 6. Contrast
    problems, seen = [], set()
    for item in m["text"]:
        if item["image"]:
            continue
        background = _composite(item["layers"])
        r, g, b, a = item["color"]
        foreground = tuple(c * a + bg * (1 - a) for c, bg in zip((r, g, b), background))
        ratio = contrast_ratio(foreground, background)
        key = (item["line"], item["tag"])
        if ratio < MINIMUM_CONTRAST - 0.005 and key not in seen:
            seen.add(key)
            large = item.get("size", 0) >= 24 - 0.01 or (item.get("bold") and item.get("size", 0) >= 18.66)
            if large and ratio >= LARGE_TEXT_CONTRAST - 0.005:
                need = (f"this is large text, for which WCAG AA asks only {LARGE_TEXT_CONTRAST:g}:1, but the course asks "
                        f"{MINIMUM_CONTRAST}:1 of all text.")
            elif large:
                need = f"even large text like this needs {LARGE_TEXT_CONTRAST:g}:1 (WCAG AA), and the course asks {MINIMUM_CONTRAST}:1."
            else:
                need = f"text of this size needs at least {MINIMUM_CONTRAST}:1 (WCAG AA)."
            problems.append(f"{_at(item)}{item['tag']} (\"{item['words']}\"): {_hex(foreground)} on {_hex(background)} "
                            f"is {ratio:.2f}:1; {need} Make the text darker or the background lighter "
                            "(or the other way round).")
    findings.append(Finding(RULES["contrast"], not problems, problems[:6] + (
        [f"… and {len(problems) - 6} more"] if len(problems) > 6 else [])))
    return findings


def _blocks_zoom(viewport: str) -> bool:
    """True when a viewport meta tag's content (spaces removed, lower case) stops people zooming in."""
    settings = dict(part.split("=", 1) for part in re.split(r"[,;]", viewport) if "=" in part)
    if settings.get("user-scalable") in ("no", "0"):
        return True
    try:
        return float(settings.get("maximum-scale", "10")) < 2
    except ValueError:
        return False


def _why_wide(item: dict, source_text: str | None) -> str:
    reasons = []
    for rule in item["rules"]:
        place = _css_line(source_text, rule["selector"]) if source_text else None
        at = f" (line {place})" if place else ""
        if rule["value"].endswith("%") and item["boxSizing"] == "content-box" and item["padding"]:
            reasons.append(f"{rule['selector']} {{ {rule['property']}: {rule['value']} }}{at} plus {item['padding']} px of "
                           "padding: with box-sizing: content-box the padding is added to the width. Add "
                           "box-sizing: border-box, or drop the width")
        elif rule["value"].endswith("px"):
            reasons.append(f"{rule['selector']} {{ {rule['property']}: {rule['value']} }}{at} fixes its width: use "
                           f"max-width: {rule['value']} instead, so it can shrink")
        else:
            reasons.append(f"{rule['selector']} {{ {rule['property']}: {rule['value']} }}{at}")
    if not reasons and item.get("natural"):
        reasons.append(f"the image file is {item['natural']} px wide and nothing limits it: give images "
                       "max-width: 100%; height: auto")
    return ": " + "; ".join(reasons) + "." if reasons else "."


def _css_line(source_text: str, selector: str) -> int | None:
    match = re.search(re.escape(selector.strip()) + r"\s*\{", source_text)
    return source_text.count("\n", 0, match.start()) + 1 if match else None


def measure(source: str) -> dict:
    """Chromium's measurements of a page at 375 px (an address on 127.0.0.1, or HTML text).

    Measured at a window 375 px wide with scripts off: what the HTML and CSS alone do.
    """
    document = with_line_numbers(source) if _is_html(source) else source
    device = {"width": 375, "height": 667, "mobile": False}
    return _in_browser(document, device, lambda tab: tab.evaluate(MEASURE_JS), javascript=False)


@dataclass
class Audit:
    where: str
    findings: list[Finding]

    @property
    def passed(self) -> bool:
        return all(f.passed for f in self.findings)

    def __repr__(self) -> str:
        good = sum(f.passed for f in self.findings)
        lines = [f"Measured in Chromium, {self.where} at 375 px: {good} of {len(self.findings)} rules pass."]
        for finding in self.findings:
            lines.append(f"{'✓' if finding.passed else '✗'} {finding.rule}")
            lines += [f"    - {p}" for p in finding.problems]
        return "\n".join(lines)


def audit(source: str) -> Audit:
    """Measure a page in Chromium against the exercise's rules; say where and why each one fails."""
    text = source if _is_html(source) else None
    return Audit(_label(source), judge(measure(source), text))


def numbered(document: str) -> Text:
    """The page with line numbers, as the checks count them."""
    lines = str(document).splitlines()
    return Text("\n".join(f"{n:>3}  {line}" for n, line in enumerate(lines, 1)))
