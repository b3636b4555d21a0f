"""What Chromium shows and measures: screenshots, selectors, the box model, the accessibility tree.

Every helper takes a page as an address on 127.0.0.1 or as HTML text, and drives one headless
Chromium, started on first use in a thread of its own (Jupyter's event loop and Playwright's sync
API do not mix) and reused until ``close_browser()``. The scripts they run in the page are in served/.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from urllib.parse import urlsplit

from martech.browser import BrowserThread, context_options, device_size
from martech.modules.html_and_css.demos import read_head
from martech.served import Served
from martech.servers import demo_server

files = Served(__file__)

BOX_JS = files.text("box.js")
SELECT_JS = files.text("select.js")
PHONE_VIEW_JS = files.text("phone-view.js")


def _is_html(source: str) -> bool:
    return source.lstrip().startswith("<")


class _Session:
    """Lives in the browser's thread: one tab per kind of screen, reused from call to call."""

    def __init__(self, browser):
        self.browser = browser
        self.tabs: dict = {}
        self.pages: dict[str, str] = {}
        self.site = None
        self.count = 0

    def open(self, source: str, device: dict, javascript: bool = True):
        """A tab showing ``source``: an address on 127.0.0.1, or HTML text served as a page of the landing demo."""
        key = (device["width"], device["height"], device["mobile"], javascript)
        if key not in self.tabs:
            context = self.browser.new_context(**context_options(device, javascript))
            context.route("**/*", self._route)
            self.tabs[key] = context.new_page()
        tab = self.tabs[key]
        if _is_html(source):
            if self.site is None:  # serves the pictures that the learner's page uses
                self.site = demo_server("landing")
            self.count += 1
            address = f"{self.site.url}/your-page/{self.count}"
            self.pages = {address: source}
        else:
            address = source
        tab.goto(address, wait_until="load", timeout=15_000)
        return tab

    def _route(self, route) -> None:
        url = route.request.url
        if url in self.pages:
            route.fulfill(status=200, body=self.pages[url], content_type="text/html; charset=utf-8")
        elif url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:  # nothing but this computer, ever
            route.abort()

    def close(self) -> None:
        for tab in self.tabs.values():
            try:
                tab.context.close()
            except Exception:
                pass
        if self.site is not None:
            self.site.stop()


_browser = BrowserThread(setup=_Session)


def close_browser() -> str:
    """Close the notebook's Chromium (it starts again by itself when needed)."""
    _browser.close()
    return "Chromium closed."


def _in_browser(source: str, device, script, javascript: bool = True):
    """Open ``source`` in Chromium on ``device`` and return ``script(tab)``."""
    device = device_size(device)
    return _browser.run(lambda session: script(session.open(source, device, javascript)))


def _label(source: str) -> str:
    if _is_html(source):
        return "your page"
    parts = urlsplit(source)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Text(str):
    """A string that Jupyter prints as it is, without quotes."""

    def __repr__(self) -> str:
        return str(self)


@dataclass
class Screenshot:
    """A PNG taken by Chromium; Jupyter shows it as a picture."""

    png: bytes
    description: str

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"<screenshot: {self.description}>"

    def save(self, path) -> None:
        from pathlib import Path

        Path(path).write_bytes(self.png)


def _small_png(png: bytes, colours: int = 96) -> bytes:
    """The same picture with fewer colours: a screenshot shrinks to a fraction of its size."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def screenshot(source: str, device: dict | str = "phone") -> Screenshot:
    """What Chromium shows: ``source`` is an address on 127.0.0.1 or a page's HTML.

    device: "phone" (375 px wide), "tablet" (768 px), "desktop" (1280 px), or a dict such as
    {"width": 500, "height": 700, "mobile": True}. The picture is the top of the page, one screen high.
    """
    png = _in_browser(source, device, lambda tab: tab.screenshot())
    return Screenshot(_small_png(png), f"{_label(source)} at {device_size(device)['width']} px")


def side_by_side(*shots: Screenshot, labels: list[str] | None = None) -> Screenshot:
    """Several screenshots in one picture, each with a label above it."""
    from PIL import Image, ImageDraw, ImageFont

    pictures = [Image.open(io.BytesIO(s.png)).convert("RGB") for s in shots]
    labels = labels or [s.description for s in shots]
    try:
        font = ImageFont.load_default(size=20)
    except TypeError:  # Pillow before 10.1
        font = ImageFont.load_default()
    gap, top = 24, 36
    width = sum(p.width for p in pictures) + gap * (len(pictures) + 1)
    height = max(p.height for p in pictures) + top + gap
    sheet = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(sheet)
    x = gap
    for picture, label in zip(pictures, labels):
        draw.text((x, 8), label, fill="#1a1a1a", font=font)
        sheet.paste(picture, (x, top))
        draw.rectangle([x - 1, top - 1, x + picture.width, top + picture.height], outline="#8a8a8a")
        x += picture.width + gap
    out = io.BytesIO()
    sheet.save(out, "PNG")
    return Screenshot(_small_png(out.getvalue()), " | ".join(labels))


def select(source: str, selectors, device: dict | str = "phone") -> dict[str, list[str]]:
    """What each CSS selector picks on a page: each element as its tag and its first words."""
    selectors = [selectors] if isinstance(selectors, str) else list(selectors)
    return _in_browser(source, device, lambda tab: {s: tab.eval_on_selector_all(s, SELECT_JS) for s in selectors})


@dataclass
class Box:
    selector: str
    where: str
    sizes: dict

    def __repr__(self) -> str:
        s = self.sizes
        lines = [f"{self.selector} on {self.where} (box-sizing: {s['boxSizing']}), in CSS pixels:",
                 f"  CSS width        {s['cssWidth']}",
                 f"  content          {s['content']:.0f}",
                 f"  + padding        {s['paddingLeft']:.0f} + {s['paddingRight']:.0f}",
                 f"  + border         {s['borderLeft']:.0f} + {s['borderRight']:.0f}",
                 f"  = box on screen  {s['box']:.0f}",
                 f"  (+ margin        {s['marginLeft']:.0f} + {s['marginRight']:.0f})",
                 f"  The screen is {s['screen']:.0f} px wide."]
        if s["right"] > s["screen"] + 0.5:
            lines.append(f"  → The box ends at {s['right']:.0f} px: {s['right'] - s['screen']:.0f} px past the edge of the screen.")
        return "\n".join(lines)


def box(source: str, selector: str, device: dict | str = "phone") -> Box:
    """The box model of the first element ``selector`` picks: content, padding, border, margin."""
    sizes = _in_browser(source, device, lambda tab: tab.eval_on_selector(selector, BOX_JS))
    return Box(selector, _label(source), sizes)


def screen_reader_view(source: str, device: dict | str = "phone", lines: int = 40) -> Text:
    """The page as assistive technology gets it: Chromium's accessibility tree of <body>."""
    tree = _in_browser(source, device, lambda tab: tab.locator("body").aria_snapshot()).splitlines()
    shown = tree[:lines] + ([f"… ({len(tree) - lines} more lines)"] if len(tree) > lines else [])
    return Text("\n".join(shown))


def phone_view(source: str, device: dict | str = "phone") -> Text:
    """How a phone lays out a page: how wide, how far zoomed out, and how big its text looks."""
    m = _in_browser(source, device, lambda tab: tab.evaluate(PHONE_VIEW_JS))
    return Text(f"{_label(source)}: laid out {m['layout']} px wide on a {device_size(device)['width']} px screen, shown at "
                f"{m['scale']:.0%} zoom: its {m['font']:.0f} px text looks {m['font'] * m['scale']:.0f} px tall.")


def head_tags(source: str) -> Text:
    """The tags in a page's <head> that search engines and messaging apps read, one per line."""
    if _is_html(source):
        document = source
    else:
        from martech.client import fetch

        document = fetch(source).text
    tags = read_head(document)
    keys = ["title", "description", "canonical", "og:type", "og:url", "og:title", "og:description", "og:image", "og:image:alt", "twitter:card"]
    width = max(map(len, keys))
    return Text("\n".join(f"{key:<{width}}  {tags.get(key) or '(missing)'}" for key in keys))
