"""The demo servers of module "speed-and-bandwidth". Start one with ``martech serve campaign-page``.

``campaign-page``: Alpenglow Outdoor's spring-sale landing page in every version the eight choices
make (/campaign?hero_format=avif&...), its pictures in three formats and three widths (drawn on
request), its text files plain, gzip or Brotli as the browser's Accept-Encoding allows, and two pages
that compare them (/images, /compression). It starts its own tag vendor on another port.

``tag-vendor``: the third party. A heatmap tag, a promotion banner and the brand's web font, each sent
only after ``delay`` seconds, as a slow vendor's server does.

What they serve is in served/, as files: edit the page, styles and scripts there, not here.
"""

from __future__ import annotations

import functools
import html
import json
import threading
import time

from markupsafe import Markup

from martech.modules.speed_and_bandwidth import compression, pictures, versions
from martech.served import Served
from martech.servers import DemoHandler, Reply, Setting, demo, demo_server, page

__all__ = ["CampaignPageHandler", "TagVendorHandler", "brand_font", "full_font_path", "text_sizes"]

files = Served(__file__)

TEXT_FILES = {"/campaign.css": ("campaign.css", "text/css; charset=utf-8"),
              "/app.js": ("app.js", "text/javascript; charset=utf-8")}
VENDOR_FILES = {"/heattrack.js": ("tag.js", "text/javascript; charset=utf-8"),
                "/banner.js": ("banner.js", "text/javascript; charset=utf-8")}
FONT_PATH = "/fonts/alpenglow-sans.woff2"
NO_STORE = {"Cache-Control": "no-store"}
# The codings each compression choice lets the server use, best first.
POLICY = {"none": (), "gzip": ("gzip",), "br": ("br", "gzip")}
COLOURS = ("forest", "slate", "rust", "sand")
SIZES = ("XS", "S", "M", "L", "XL")
MAX_IMAGE_DELAY = 3.0

_create = threading.Lock()


@functools.lru_cache(maxsize=1)
def products() -> list[dict]:
    rows = json.loads(files.text("products.json"))
    seen = set()
    for row in rows:   # the first card of each category is where the header's links jump to
        row["anchor"] = row["category"] if row["category"] not in seen else row["sku"].lower()
        seen.add(row["category"])
    return rows


@functools.lru_cache(maxsize=1)
def catalogue() -> str:
    """The whole catalogue with every colour and size, as shop systems put it into the page for their scripts.

    It is the bulk of the page's text, and text like this is what compression shrinks most.
    """
    items = []
    for row in products():
        variants = [{"sku": f"{row['sku']}-{colour[:2].upper()}-{size}", "colour": colour, "size": size,
                     "price": {"amount": row["price"], "currency": "EUR", "was": row["was"]},
                     "stock": {"warehouse": (len(row["name"]) * 7 + n * 13) % 40, "stores": (n * 5) % 9},
                     "image": f"/images/{row['sku'].lower()}-{colour}.jpg", "available": True}
                    for n, (colour, size) in enumerate((c, s) for c in COLOURS for s in SIZES)]
        items.append({"sku": row["sku"], "name": row["name"], "category": row["category"],
                      "description": row["description"], "variants": variants})
    # </ inside a <script> would end it early; JSON allows the same text as <\/.
    return json.dumps({"currency": "EUR", "products": items}, ensure_ascii=False).replace("</", "<\\/")


# The letters the page uses: Latin, the euro sign, curly quotes and dashes.
FONT_LETTERS = (*range(0x20, 0x7F), *range(0xA0, 0x100), 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026,
                0x20AC, 0x2212)


@functools.lru_cache(maxsize=1)
def brand_font() -> bytes:
    """DejaVu Sans (free to share), cut to the Latin letters the page uses and packed as WOFF2.

    It comes from Matplotlib's own copy, so that it is there on every computer the course runs on.
    Cutting it takes half a second, so the result is kept in the temporary folder, as the pictures are.
    """
    import hashlib
    import logging
    import tempfile
    from importlib.metadata import version
    from io import BytesIO
    from pathlib import Path

    source = full_font_path()
    key = hashlib.sha256(repr((version("fonttools"), source.stat().st_size, FONT_LETTERS)).encode()).hexdigest()[:16]
    cached = Path(tempfile.gettempdir()) / "martech-fonts" / f"alpenglow-sans-{key}.woff2"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # it reports each table it drops
    options = subset.Options()
    options.flavor = "woff2"
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=FONT_LETTERS)
    subsetter.subset(font)
    out = BytesIO()
    subset.save_font(font, out, options)
    data = out.getvalue()
    pictures.keep(cached, data)
    return data


def full_font_path():
    """The whole DejaVu Sans TrueType file, every script and symbol: what a careless install would send."""
    import importlib.util
    from pathlib import Path

    # Where matplotlib.get_data_path() points, found without importing Matplotlib (a second of start-up).
    package = importlib.util.find_spec("matplotlib")
    return Path(package.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


def _negotiated(handler: DemoHandler, body: bytes, content_type: str, policy: str, static: bool = True) -> Reply:
    """``body`` in the best coding both sides accept, with the headers that say so (RFC 9110, 12.5.3)."""
    coding = compression.negotiate(handler.headers.get("Accept-Encoding"), POLICY[policy])
    headers = {"Vary": "Accept-Encoding", **NO_STORE}
    if coding is None:
        return page("Not acceptable", "<p>Your Accept-Encoding refuses every coding this server has, "
                    "and the file as it is too (identity;q=0).</p>", status=406, Vary="Accept-Encoding")
    if coding != "identity":
        headers["Content-Encoding"] = coding
    return Reply(200, compression.compress(body, coding, static), content_type, headers)


def _policy(query) -> str:
    value = (query.get("compression") or ["br"])[-1].strip().lower()
    return value if value in POLICY else "br"


def _delay(query, key: str = "image_delay") -> float | None:
    text = (query.get(key) or ["0"])[-1]
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= MAX_IMAGE_DELAY else None


@demo("campaign-page")
class CampaignPageHandler(DemoHandler):
    description = "Alpenglow's spring-sale landing page in every version, its pictures and its text files"
    settings = {
        "vendor_delay": Setting(float, 1.2, "seconds the page's tag vendor (started with this server) waits before "
                                "sending its tag, banner and font", 0, 10, "seconds"),
    }
    vendor_delay = 1.2

    def vendor_url(self) -> str:
        with _create:  # one vendor per campaign server, stopped with it
            vendor = self.server.__dict__.get("vendor")
            if vendor is None:
                vendor = self.server.__dict__["vendor"] = demo_server("tag-vendor", delay=self.vendor_delay)
                self.server.on_close(vendor.stop)
        return vendor.url

    def respond(self, path, query):
        if path == "/":
            return Reply(body=files.render("home.html", title="Alpenglow Outdoor: the campaign page and its versions",
                                           today=versions.query(versions.TODAY), fast=versions.query(versions.FAST),
                                           choices=versions.CHOICES), headers=NO_STORE)
        if path == "/campaign":
            return self.campaign(query)
        if path in TEXT_FILES:
            name, kind = TEXT_FILES[path]
            return _negotiated(self, files.bytes(name), kind, _policy(query))
        if path.startswith("/images/"):
            return self.picture(path.removeprefix("/images/"), query)
        if path == "/images":
            return self.picture_page()
        if path == "/compression":
            return self.compression_page()
        return page("Page not found", '<p>There is no page at this address. See <a href="/">the list of versions</a>.</p>',
                    status=404)

    def campaign(self, query) -> Reply:
        try:
            choices = versions.from_query(query, extra=("image_delay",))
        except versions.BadChoice as problem:
            return page("No such version", f"<p>{html.escape(str(problem))}</p>", status=400, **NO_STORE)
        delay = _delay(query)
        if delay is None:
            return page("No such version", f"<p>image_delay must be a number of seconds from 0 to {MAX_IMAGE_DELAY:g}.</p>",
                        status=400, **NO_STORE)
        vendor = self.vendor_url()
        rows = products()
        document = files.render(
            "campaign.html", c=choices, q=versions.query(choices) + (f"&image_delay={delay:g}" if delay else ""),
            ext=pictures.FORMATS[choices["hero_format"]][2], products=rows,
            image_q=f"?delay={delay:g}" if delay else "",
            categories=list(dict.fromkeys(r["category"] for r in rows)), catalogue=Markup(catalogue()),
            font_url=vendor + FONT_PATH, tag_url=vendor + "/heattrack.js", banner_url=vendor + "/banner.js")
        return _negotiated(self, document.encode(), "text/html; charset=utf-8", choices["compression"], static=False)

    def picture(self, file: str, query) -> Reply:
        found = pictures.read_file_name(file)
        delay = _delay(query, "delay")
        if found is None or delay is None:
            return page("No such picture", "<p>Pictures are called like hero-800.avif: hero, lake or camp; "
                        "400, 800 or 1600 pixels wide; jpg, webp or avif.</p>", status=404)
        name, width, kind = found
        data = pictures.encoded(name, width, kind)   # encoded once, then kept: a CDN's cache
        time.sleep(delay)  # an image service that resizes on request answers a moment late
        return Reply(200, data, pictures.content_type(kind), NO_STORE)

    def picture_page(self) -> Reply:
        rows = [{"kind": kind, "cells": [{"width": width, "file": pictures.file_name("hero", width, kind),
                                          "kb": len(pictures.encoded("hero", width, kind)) / 1000}
                                         for width in pictures.WIDTHS]}
                for kind in pictures.FORMATS]
        return Reply(body=files.render("images.html", title="One photo, three formats, three widths", rows=rows,
                                       quality=pictures.QUALITY), headers=NO_STORE)

    def compression_page(self) -> Reply:
        return Reply(body=files.render("compression.html", title="The same text, plain, gzip and Brotli",
                                       rows=text_sizes()), headers=NO_STORE)


def text_sizes() -> list[dict]:
    """Bytes of today's page, its styles and its script, as sent plain, with gzip and with Brotli."""
    document = files.render(
        "campaign.html", c=versions.TODAY, q=versions.query(versions.TODAY), ext="jpg", products=products(), image_q="",
        categories=list(dict.fromkeys(r["category"] for r in products())), catalogue=Markup(catalogue()),
        font_url="http://127.0.0.1:0" + FONT_PATH, tag_url="http://127.0.0.1:0/heattrack.js",
        banner_url="http://127.0.0.1:0/banner.js").encode()
    texts = {"campaign page (HTML)": (document, False), "campaign.css": (files.bytes("campaign.css"), True),
             "app.js": (files.bytes("app.js"), True), "heattrack.js (the vendor's)": (files.bytes("tag.js"), True)}
    return [{"file": name, "plain": len(body), "gzip": len(compression.compress(body, "gzip", static)),
             "br": len(compression.compress(body, "br", static))} for name, (body, static) in texts.items()]


@demo("tag-vendor")
class TagVendorHandler(DemoHandler):
    description = "a slow third party: a heatmap tag, a promotion banner and a web font, each sent late"
    settings = {"delay": Setting(float, 1.2, "seconds the vendor waits before sending its tag, banner or font",
                                 0, 10, "seconds")}
    delay = 1.2

    def respond(self, path, query):
        if path == "/":
            return Reply(body=files.render("vendor.html", title="HeatTrack, a tag vendor on this computer",
                                           delay=self.delay), headers=NO_STORE)
        if path in VENDOR_FILES:
            time.sleep(self.delay)
            name, kind = VENDOR_FILES[path]
            return _negotiated(self, files.bytes(name), kind, "gzip")
        if path == FONT_PATH:
            time.sleep(self.delay)
            # A web font from another origin is fetched with CORS: without this header, the browser refuses it.
            return Reply(200, brand_font(), "font/woff2", {"Access-Control-Allow-Origin": "*", **NO_STORE})
        return page("Not found", "<p>This vendor serves /heattrack.js, /banner.js and " + FONT_PATH + ".</p>", status=404)
