"""Module "html-and-css": its demo server, its browser helpers and its exercise checks.

Demo: ``landing``, shop.example's spring campaign landing page in several versions:

    /responsive   the page as IT ships it: viewport meta tag, one stylesheet, media queries
    /fixed        the same content in a 2010-style fixed 960 px layout (no viewport meta tag)
    /plain        the same HTML with no stylesheet at all
    /broken       the exercise's page: too wide for a phone, missing alt text, skipped headings...
    /template?product=trail-shoes      the page made from the CMS template and one product's content
    /hand-edited/trail-shoes           a copy of the running-shoes page, edited by hand
    /preview?url=/responsive           the link preview card a messaging app builds from the tags

The helpers (``screenshot``, ``audit``, ``box``...) drive one headless Chromium, started on first
use in a thread of its own (Jupyter's event loop and Playwright's sync API do not mix) and reused
until ``close_browser()``. Every measurement is taken by that real browser.
"""

from __future__ import annotations

import atexit
import concurrent.futures
import functools
import html
import io
import queue
import re
import threading
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from martech.checks import NotYet, as_text, task
from martech.servers import DemoHandler, Reply, demo, demo_server, page

SITE = {"name": "shop.example", "origin": "https://shop.example"}

# ── Images, drawn in code so the course ships no binary files ───────────────────

COLOURS = {"coral": "#e4572e", "teal": "#17807e", "navy": "#2b3a67"}


def _shoe_scene(width: int, height: int, colour: str, sky: str = "#fde8d7", ground: str = "#c8553d") -> bytes:
    """A flat illustration: a running shoe on a track under the sun, as PNG bytes."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    s = min(width / 100, height / 60)
    ox, oy = (width - 100 * s) / 2, (height - 60 * s) / 2

    def pt(x, y):
        return (ox + x * s, oy + y * s)

    draw.ellipse([pt(76, 4), pt(92, 20)], fill="#f6b93b")
    track_top = oy + 50 * s
    draw.rectangle([0, track_top, width, height], fill=ground)
    for lane in (53.5, 57):
        draw.line([0, oy + lane * s, width, oy + lane * s], fill="#ffffff", width=max(1, int(0.5 * s)))
    draw.rounded_rectangle([pt(10, 44), pt(92, 49.5)], radius=2.5 * s, fill="#222222")
    draw.rounded_rectangle([pt(11, 40), pt(91, 45)], radius=2 * s, fill="#ffffff")
    upper = [pt(13, 41), pt(15, 27), pt(29, 23), pt(43, 12), pt(55, 14), pt(59, 24), pt(76, 28), pt(89, 34), pt(91, 41)]
    draw.polygon(upper, fill=colour)
    draw.polygon([pt(30, 36), pt(60, 27), pt(74, 30), pt(42, 39)], fill="#ffffff")
    draw.ellipse([pt(41, 10), pt(56, 16)], fill="#222222")
    for x in (47, 52, 57):
        draw.line([pt(x, 19 + (x - 47) * 0.5), pt(x + 5, 21 + (x - 47) * 0.5)], fill="#ffffff", width=max(1, int(0.9 * s)))
    out = io.BytesIO()
    image.quantize(colors=32).save(out, "PNG", optimize=True)
    return out.getvalue()


IMAGES = {
    **{f"hero-{name}.png": (1200, 600, colour) for name, colour in COLOURS.items()},
    **{f"share-{name}.png": (1200, 630, colour) for name, colour in COLOURS.items()},
    **{f"shoe-{name}.png": (480, 360, colour) for name, colour in COLOURS.items()},
}


@functools.lru_cache(maxsize=None)
def image_bytes(name: str) -> bytes:
    width, height, colour = IMAGES[name]
    return _shoe_scene(width, height, colour)


# ── Content, template and stylesheets ───────────────────────────────────────────

# What a marketer edits in the CMS: words and pictures, one entry per page.
PRODUCTS = {
    "running-shoes": {
        "slug": "spring-sale",
        "title": "Spring sale: 20% off running shoes",
        "description": "Light, cushioned running shoes for spring, now 20% off until 31 March. "
                       "Free delivery in two working days and free returns for 60 days.",
        "headline": "Spring sale: 20% off running shoes",
        "intro": "Light, cushioned shoes for your first runs of spring.",
        "offer": "20% off until 31 March",
        "cta_text": "Shop running shoes",
        "cta_link": "/shop/running",
        "colour": "coral",
        "image_alt": "A coral running shoe on a red running track in the sun",
    },
    "trail-shoes": {
        "slug": "trail-sale",
        "title": "Spring sale: 20% off trail shoes",
        "description": "Grippy, waterproof trail shoes for muddy spring paths, now 20% off until 31 March. "
                       "Free delivery in two working days.",
        "headline": "Spring sale: 20% off trail shoes",
        "intro": "Grip for muddy paths, and a sole that keeps your feet dry.",
        "offer": "20% off until 31 March",
        "cta_text": "Shop trail shoes",
        "cta_link": "/shop/trail",
        "colour": "teal",
        "image_alt": "A teal trail shoe on a red running track in the sun",
    },
    "walking-shoes": {
        "slug": "walking-sale",
        "title": "Spring sale: 15% off walking shoes",
        "description": "Comfortable walking shoes for long spring days, now 15% off until 31 March. "
                       "Free delivery in two working days.",
        "headline": "Spring sale: 15% off walking shoes",
        "intro": "All-day comfort for long walks and city days.",
        "offer": "15% off until 31 March",
        "cta_text": "Shop walking shoes",
        "cta_link": "/shop/walking",
        "colour": "navy",
        "image_alt": "A navy walking shoe on a red running track in the sun",
    },
}

BENEFITS = [
    {"title": "Free returns", "text": "Changed your mind? Send them back within 60 days."},
    {"title": "Fast delivery", "text": "At your door in two working days, for free."},
    {"title": "Fitted by runners", "text": "Our staff run too, and answer your questions."},
]
BESTSELLERS = [
    {"name": "Swift 3", "price": "€96 (was €120)", "colour": "coral", "alt": "Swift 3 running shoe in coral"},
    {"name": "Ridge GTX", "price": "€112 (was €140)", "colour": "teal", "alt": "Ridge GTX trail shoe in teal"},
    {"name": "Stroll", "price": "€76 (was €90)", "colour": "navy", "alt": "Stroll walking shoe in navy"},
]

# What IT controls: the template. Every page of this kind is made from it.
TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
{% if site.responsive %}<meta name="viewport" content="width=device-width, initial-scale=1">
{% endif %}<title>{{ page.title }} | {{ site.name }}</title>
<meta name="description" content="{{ page.description }}">
<link rel="canonical" href="{{ site.origin }}/{{ page.slug }}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="{{ site.name }}">
<meta property="og:url" content="{{ site.origin }}/{{ page.slug }}">
<meta property="og:title" content="{{ page.title }}">
<meta property="og:description" content="{{ page.description }}">
<meta property="og:image" content="{{ site.origin }}/img/share-{{ page.colour }}.png">
<meta property="og:image:alt" content="{{ page.image_alt }}">
<link rel="icon" href="data:,">
{% if site.stylesheet %}<link rel="stylesheet" href="/css/{{ site.stylesheet }}">
{% endif %}</head>
<body>
<header class="site-header">
  <a class="logo" href="/">{{ site.name }}</a>
  <nav aria-label="Main">
    <ul><li><a href="/shop/running">Running</a></li><li><a href="/shop/trail">Trail</a></li></ul>
  </nav>
</header>
<main>
  <section class="hero">
    <div class="hero-text">
      <h1>{{ page.headline }}</h1>
      <p>{{ page.intro }}</p>
      <p class="offer">{{ page.offer }}</p>
      <a class="button" href="{{ page.cta_link }}">{{ page.cta_text }}</a>
    </div>
    <img src="/img/hero-{{ page.colour }}.png" width="1200" height="600" alt="{{ page.image_alt }}">
  </section>
  <section class="benefits">
    <h2>Why runners choose us</h2>
    <ul>
{% for benefit in benefits %}      <li class="card"><h3>{{ benefit.title }}</h3><p>{{ benefit.text }}</p></li>
{% endfor %}    </ul>
  </section>
  <section class="products">
    <h2>Bestsellers</h2>
    <ul>
{% for product in bestsellers %}      <li class="card"><img src="/img/shoe-{{ product.colour }}.png" width="480" height="360" alt="{{ product.alt }}">
        <h3>{{ product.name }}</h3><p class="price">{{ product.price }}</p></li>
{% endfor %}    </ul>
  </section>
</main>
<footer>
  <p>Free delivery in two working days. Free returns for 60 days. <a href="/returns">Our returns policy</a></p>
</footer>
</body>
</html>
"""

STYLESHEETS = {
    "responsive.css": """/* shop.example campaign pages: one stylesheet for every screen, phone first */
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, sans-serif; font-size: 1.0625rem; line-height: 1.5; color: #1a1a1a; background: #ffffff; }
img { max-width: 100%; height: auto; display: block; }
a { color: #1d4ed8; }
.site-header { display: flex; justify-content: space-between; align-items: center; padding: 0.75rem 1rem; background: #1d3557; }
.site-header a { color: #ffffff; text-decoration: none; }
.logo { font-weight: 700; }
nav ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
main { max-width: 68rem; margin: 0 auto; padding: 0 1rem 2rem; }
.hero { display: grid; gap: 1rem; padding: 1rem 0; }
.hero h1 { font-size: 2rem; line-height: 1.15; margin: 0.5rem 0; }
.offer { color: #b3261e; font-weight: 700; }
.button { display: inline-block; padding: 0.75rem 1.5rem; border-radius: 0.5rem; background: #b3261e; color: #ffffff; font-weight: 700; text-decoration: none; }
.benefits ul, .products ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 1rem; }
.card { border: 1px solid #c9d1d9; border-radius: 0.5rem; padding: 1rem; }
.card h3 { margin: 0.5rem 0 0.25rem; }
.card p { margin: 0; }
.price { font-weight: 700; }
footer { padding: 1rem; background: #f1f3f5; color: #3d3d3d; }

/* Breakpoint 1: 600 px and wider (large phones on their side, tablets): two columns */
@media (min-width: 600px) {
  .benefits ul, .products ul { grid-template-columns: repeat(2, 1fr); }
}

/* Breakpoint 2: 960 px and wider (laptops, desktops): text beside the picture, three columns */
@media (min-width: 960px) {
  .hero { grid-template-columns: 1fr 1fr; align-items: center; }
  .hero h1 { font-size: 2.75rem; }
  .benefits ul, .products ul { grid-template-columns: repeat(3, 1fr); }
}
""",
    "fixed.css": """/* shop.example campaign pages, 2010 edition: everything 960 px wide */
body { margin: 0; font-family: system-ui, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a; }
a { color: #1d4ed8; }
.site-header, main, footer { width: 960px; margin: 0 auto; }
.site-header { display: flex; justify-content: space-between; padding: 12px 0; background: #1d3557; }
.site-header a { color: #ffffff; text-decoration: none; padding: 0 12px; }
nav ul { list-style: none; display: flex; margin: 0; padding: 0; }
.hero { display: flex; gap: 24px; align-items: center; padding: 16px 0; }
.hero-text { width: 420px; }
.hero img { width: 516px; height: 258px; }
.hero h1 { font-size: 40px; line-height: 1.15; }
.offer { color: #b3261e; font-weight: 700; }
.button { display: inline-block; padding: 12px 24px; background: #b3261e; color: #ffffff; font-weight: 700; text-decoration: none; }
.benefits ul, .products ul { list-style: none; margin: 0; padding: 0; display: flex; gap: 24px; }
.card { width: 304px; border: 1px solid #c9d1d9; padding: 12px; }
.card img { width: 278px; height: 209px; }
footer { padding: 12px 0; background: #f1f3f5; }
""",
}


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def render(product: str = "running-shoes", template: str = TEMPLATE, content: dict | None = None,
           responsive: bool = True, stylesheet: str | None = "responsive.css") -> str:
    """The HTML of one campaign page: ``template`` filled in with one product's ``content``.

    This is what a CMS does for every page, every time: content (what marketers type)
    goes into a template (what IT wrote once).
    """
    content = content if content is not None else PRODUCTS[product]
    site = {**SITE, "responsive": responsive, "stylesheet": stylesheet}
    return _environment().from_string(template).render(
        site=site, page=content, benefits=BENEFITS, bestsellers=BESTSELLERS)


def hand_edited_copy() -> str:
    """What happens without a template: someone copies the running-shoes page and edits what they see."""
    original, trail = PRODUCTS["running-shoes"], PRODUCTS["trail-shoes"]
    edited = render("running-shoes")
    for key in ("headline", "intro", "cta_text"):
        edited = edited.replace(f">{html.escape(original[key])}<", f">{html.escape(trail[key])}<", 1)
    edited = edited.replace(f'class="button" href="{original["cta_link"]}"', f'class="button" href="{trail["cta_link"]}"', 1)
    return edited.replace('src="/img/hero-coral.png"', 'src="/img/hero-teal.png"', 1)


# The exercise's page: every rule of the checks is broken somewhere in it.
BROKEN_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Home</title>
<style>
body { margin: 0; font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; }
.page { width: 960px; margin: 0 auto; padding: 0 16px; }
.offer { color: #f08080; font-weight: 700; }
.button { display: block; width: 100%; padding: 12px 24px; background: #b3261e; color: #ffffff; }
.small-print { color: #aaaaaa; font-size: 14px; }
img { max-width: 100%; height: auto; }
</style>
</head>
<body>
<div class="page">
  <h1>Spring sale: 20% off running shoes</h1>
  <img src="/img/hero-coral.png" width="1200" height="600">
  <p class="offer">20% off until 31 March</p>
  <a class="button" href="/shop/running">Shop running shoes</a>
  <h4>Why runners choose us</h4>
  <p>Free returns within 60 days. <a href="/returns">Click here</a> for details.</p>
  <h1>Bestsellers</h1>
  <img src="/img/shoe-coral.png" width="480" height="360" alt="IMG_2041.png">
  <p>Swift 3, €96 (was €120)</p>
  <p class="small-print">Offer ends 31 March. Prices include VAT.</p>
</div>
</body>
</html>
"""


# ── The demo server ─────────────────────────────────────────────────────────────

INDEX = """<p>shop.example's spring campaign landing page, in several versions. Open each one,
then open DevTools (F12) and its device toolbar (Ctrl+Shift+M, or Cmd+Shift+M on a Mac) to try phone widths.</p>
<ul>
<li><a href="/responsive">/responsive</a>: the page as IT ships it: viewport meta tag, one stylesheet, media queries</li>
<li><a href="/fixed">/fixed</a>: the same content in a fixed 960 px layout, as many sites were built around 2010</li>
<li><a href="/plain">/plain</a>: the same HTML without its stylesheet</li>
<li><a href="/broken">/broken</a>: the exercise's page, with several problems to find</li>
<li><a href="/template?product=trail-shoes">/template?product=trail-shoes</a>: a page made from the CMS template
 (also <a href="/template?product=running-shoes">running-shoes</a>, <a href="/template?product=walking-shoes">walking-shoes</a>)</li>
<li><a href="/hand-edited/trail-shoes">/hand-edited/trail-shoes</a>: a copy of the running-shoes page, edited by hand</li>
<li><a href="/preview?url=/responsive">/preview?url=/responsive</a>: the link preview a messaging app builds from the page's tags
 (also for <a href="/preview?url=/broken">/broken</a> and <a href="/preview?url=/hand-edited/trail-shoes">/hand-edited/trail-shoes</a>)</li>
<li><a href="/css/responsive.css">/css/responsive.css</a> and <a href="/css/fixed.css">/css/fixed.css</a>: the stylesheets</li>
</ul>"""


@demo("landing")
class LandingHandler(DemoHandler):
    description = "shop.example's campaign landing page: fixed, responsive, broken, from a template, and its link preview"

    def respond(self, path, query):
        if path == "/":
            return page("Campaign landing page", INDEX)
        if path in ("/responsive", "/spring-sale"):
            return Reply(200, render("running-shoes"))
        if path == "/fixed":
            return Reply(200, render("running-shoes", responsive=False, stylesheet="fixed.css"))
        if path == "/plain":
            return Reply(200, render("running-shoes", stylesheet=None))
        if path == "/broken":
            return Reply(200, BROKEN_PAGE)
        if path == "/template":
            return self.template_page(query)
        if path == "/hand-edited/trail-shoes":
            return Reply(200, hand_edited_copy())
        if path == "/preview":
            return self.preview(query)
        if path.startswith("/css/") and path[5:] in STYLESHEETS:
            return Reply(200, STYLESHEETS[path[5:]], "text/css; charset=utf-8")
        if path.startswith("/img/") and path[5:] in IMAGES:
            return Reply(200, image_bytes(path[5:]), "image/png", {"Cache-Control": "max-age=3600"})
        if path.startswith("/shop/") or path == "/returns":
            return page("Not part of the demo", '<p>The shop itself is not part of this demo. '
                        '<a href="/">Back to the landing page versions</a>.</p>')
        return page("Page not found", "<p>There is no page at this address.</p>" + INDEX, status=404)

    def template_page(self, query) -> Reply:
        product = query.get("product", [""])[0]
        links = ", ".join(f'<a href="/template?product={name}">{name}</a>' for name in PRODUCTS)
        if not product:
            return page("Which product?", f"<p>Add the product to the address, for example {links}.</p>", status=400)
        if product not in PRODUCTS:
            return page("No such product", f"<p>The CMS has no content for {html.escape(product[:100])!r}. "
                        f"It has: {links}.</p>", status=404)
        return Reply(200, render(product))

    def preview(self, query) -> Reply:
        target = query.get("url", [""])[0]
        parts = urlsplit(target)
        if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc or len(target) > 300:
            return page("Bad request", "<p>Give a page of this server, starting with a slash: "
                        "<a href=\"/preview?url=/responsive\">/preview?url=/responsive</a>. "
                        "The demo never fetches other sites.</p>", status=400)
        if parts.path == "/preview":
            return page("Bad request", "<p>A preview of the preview page would never end. Pick another page.</p>", status=400)
        reply = self.respond(parts.path, parse_qs(parts.query))
        if reply.status != 200 or not reply.content_type.startswith("text/html"):
            return page("No preview", f"<p>{html.escape(target)} answers {reply.status}, not a web page: "
                        "a messaging app would show the bare link, with no card.</p>", status=404)
        body = reply.body.decode() if isinstance(reply.body, bytes) else reply.body
        return Reply(200, preview_page(target, read_head(body)))


# ── Link previews: what an app reads from a page's <head> ──────────────────────


class _HeadReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, str] = {}
        self.title_parts: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key and key.lower() not in self.tags:
                self.tags[key.lower()] = attrs.get("content", "").strip()
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            self.tags.setdefault("canonical", attrs.get("href", "").strip())

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title_parts.append(data)


def read_head(document: str) -> dict[str, str]:
    """The tags a search engine or a messaging app reads: title, description, canonical, og:*."""
    reader = _HeadReader()
    try:
        reader.feed(document)
        reader.close()
    except Exception:  # a broken page still gets a preview of what could be read
        pass
    tags = {"title": " ".join("".join(reader.title_parts).split())}
    tags.update(reader.tags)
    return tags


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + " …"


def preview_page(target: str, tags: dict[str, str]) -> str:
    """A link preview card (as a chat app draws one) and a search-result snippet, from the tags."""
    esc = html.escape
    title = tags.get("og:title") or tags.get("title") or target
    description = tags.get("og:description") or tags.get("description", "")
    image = tags.get("og:image", "")
    image_parts = urlsplit(image)
    image_src = image_parts.path if image_parts.netloc == "shop.example" and image_parts.path[5:] in IMAGES \
        and image_parts.path.startswith("/img/") else ""
    site_name = tags.get("og:site_name") or urlsplit(tags.get("og:url") or tags.get("canonical") or "").netloc or "127.0.0.1"
    address = tags.get("canonical") or tags.get("og:url") or f"http://127.0.0.1{target}"
    picture = (f'<img src="{esc(image_src)}" alt="{esc(tags.get("og:image:alt", ""))}">' if image_src
               else '<div class="no-image">no og:image: no picture</div>')
    rows = "".join(
        f"<tr><th scope=row>{esc(label)}</th><td><code>{esc(source)}</code></td><td>{esc(value) or '<em>(missing)</em>'}</td></tr>"
        for label, source, value in [
            ("Card title", "og:title, else <title>", tags.get("og:title") or tags.get("title", "")),
            ("Card text", "og:description, else meta description", tags.get("og:description") or tags.get("description", "")),
            ("Card picture", "og:image", image),
            ("Search title", "<title>", tags.get("title", "")),
            ("Search snippet", "meta description (a suggestion)", tags.get("description", "")),
            ("Address shown", "canonical link", tags.get("canonical", "")),
        ])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>Link preview of {esc(target)}</title>
<style>
body {{ margin: 0; padding: 16px; font-family: system-ui, sans-serif; background: #e5ddd5; color: #1a1a1a; }}
h1 {{ font-size: 1rem; margin: 0 0 8px; }} h2 {{ font-size: 0.95rem; margin: 16px 0 8px; }}
.bubble {{ max-width: 340px; background: #dcf8c6; border-radius: 10px; padding: 6px; box-shadow: 0 1px 1px rgba(0,0,0,.15); }}
.card {{ background: #f3f6f2; border-radius: 6px; overflow: hidden; border-left: 4px solid #25a244; }}
.card img {{ display: block; width: 100%; height: auto; }}
.no-image {{ padding: 12px; color: #555; font-size: 0.8rem; font-style: italic; }}
.card .text {{ padding: 6px 8px; }}
.site {{ font-size: 0.75rem; color: #3d3d3d; }} .title {{ font-weight: 700; font-size: 0.9rem; }}
.desc {{ font-size: 0.8rem; color: #333; }}
.link {{ padding: 4px 4px 0; font-size: 0.85rem; color: #1558b0; word-break: break-all; }}
.serp {{ max-width: 600px; background: #fff; padding: 12px; border-radius: 8px; }}
.serp .url {{ font-size: 0.8rem; color: #333; }} .serp .t {{ font-size: 1.15rem; color: #1a0dab; }}
.serp .d {{ font-size: 0.85rem; color: #3d3d3d; }}
table {{ border-collapse: collapse; background: #fff; font-size: 0.8rem; max-width: 600px; }}
th, td {{ border: 1px solid #c9d1d9; padding: 4px 6px; text-align: left; vertical-align: top; }}
</style></head>
<body>
<main>
<h1>Shared in a chat (a card drawn from the page's tags)</h1>
<div class="bubble"><div class="card">{picture}<div class="text">
<div class="site">{esc(site_name)}</div><div class="title">{esc(_shorten(title, 90))}</div>
<div class="desc">{esc(_shorten(description, 120))}</div></div></div>
<div class="link">{esc(address)}</div></div>
<h2>In search results (roughly: the search engine decides the final look)</h2>
<div class="serp"><div class="url">{esc(address)}</div><div class="t">{esc(_shorten(tags.get("title", "") or target, 60))}</div>
<div class="d">{esc(_shorten(tags.get("description", ""), 160)) or "<em>(no meta description: the engine picks text from the page)</em>"}</div></div>
<h2>Where each part came from</h2>
<table><tr><th scope=col>Part</th><th scope=col>Tag</th><th scope=col>Value</th></tr>{rows}</table>
</main>
</body></html>
"""


# ── One Chromium for the whole notebook ─────────────────────────────────────────

PHONE = {"width": 375, "height": 667, "mobile": True}
TABLET = {"width": 768, "height": 1024, "mobile": True}
DESKTOP = {"width": 1280, "height": 800, "mobile": False}


class BrowserUnavailable(RuntimeError):
    pass


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
        key = (device["width"], device["height"], device.get("mobile", False), javascript)
        if key not in self.tabs:
            context = self.browser.new_context(
                viewport={"width": device["width"], "height": device["height"]},
                is_mobile=device.get("mobile", False), has_touch=device.get("mobile", False),
                device_scale_factor=1, java_script_enabled=javascript)
            context.route("**/*", self._route)
            self.tabs[key] = context.new_page()
        tab = self.tabs[key]
        if source.lstrip().startswith("<"):
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


class _Chromium:
    """A headless Chromium in a thread of its own; ``run(job)`` calls ``job(session)`` there.

    Jupyter runs cells inside an event loop, where Playwright's sync API refuses to work,
    so every browser call goes through this one thread.
    """

    def __init__(self):
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def run(self, job, timeout: float = 90):
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="martech-chromium", daemon=True)
                self._thread.start()
            done: concurrent.futures.Future = concurrent.futures.Future()
            self._jobs.put((job, done))
        return done.result(timeout)

    def close(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                return
            done: concurrent.futures.Future = concurrent.futures.Future()
            self._jobs.put((None, done))
        try:
            done.result(15)
        except Exception:
            pass
        self._thread.join(timeout=15)

    def _loop(self) -> None:
        playwright = browser = session = None
        while True:
            job, done = self._jobs.get()
            if job is None:
                for step in (session and session.close, browser and browser.close, playwright and playwright.stop):
                    try:
                        step and step()
                    except Exception:
                        pass
                done.set_result(None)
                return
            try:
                if session is None:
                    try:
                        from playwright.sync_api import sync_playwright

                        from martech.browser import launch

                        playwright = sync_playwright().start()
                        browser = launch(playwright)
                    except Exception as error:
                        if playwright:
                            playwright.stop()
                        playwright = None
                        raise BrowserUnavailable(
                            f"Chromium could not start ({type(error).__name__}: {str(error).splitlines()[0][:200]}). "
                            "In the course folder, run `make browser`, then restart the kernel.") from None
                    session = _Session(browser)
                done.set_result(job(session))
            except BaseException as error:  # handed to the caller, never lost in this thread
                done.set_exception(error)


_chromium = _Chromium()
atexit.register(_chromium.close)


def close_browser() -> str:
    """Close the notebook's Chromium (it starts again by itself when needed)."""
    _chromium.close()
    return "Chromium closed."


def _in_browser(source: str, device, script, *args, javascript: bool = True):
    """Open ``source`` in Chromium on ``device`` and return ``script(tab, *args)``."""
    device = _device(device)
    return _chromium.run(lambda session: script(session.open(source, device, javascript), *args))


def _device(device) -> dict:
    if isinstance(device, str):
        presets = {"phone": PHONE, "tablet": TABLET, "desktop": DESKTOP}
        if device not in presets:
            raise ValueError(f"device must be one of {', '.join(presets)}, or a dict with width and height")
        return presets[device]
    return {"width": int(device["width"]), "height": int(device.get("height", 700)), "mobile": bool(device.get("mobile", True))}


def _label(source: str) -> str:
    if source.lstrip().startswith("<"):
        return "your page"
    parts = urlsplit(source)
    return parts.path + (f"?{parts.query}" if parts.query else "")


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
    device = _device(device)
    png = _in_browser(source, device, lambda tab: tab.screenshot())
    return Screenshot(_small_png(png), f"{_label(source)} at {device['width']} px")


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

    def pick(tab):
        return {selector: tab.eval_on_selector_all(selector, """els => els.map(el => {
            const words = (el.innerText || el.getAttribute('alt') || '').trim().replace(/\\s+/g, ' ');
            return '<' + el.tagName.toLowerCase() + '> ' + (words.length > 40 ? words.slice(0, 39) + '…' : words);
        })""") for selector in selectors}

    return _in_browser(source, device, pick)


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


BOX_JS = """el => {
    const cs = getComputedStyle(el), r = el.getBoundingClientRect(), px = v => parseFloat(v) || 0;
    let cssWidth = 'auto';
    const walk = rules => { for (const rule of rules) {
        if (rule.media && rule.cssRules) { if (matchMedia(rule.media.mediaText).matches) walk(rule.cssRules); continue; }
        let hit = false; try { hit = rule.selectorText && el.matches(rule.selectorText); } catch (e) {}
        if (hit && rule.style.width) cssWidth = rule.style.width; } };
    for (const sheet of document.styleSheets) { try { walk(sheet.cssRules); } catch (e) {} }
    if (el.style.width) cssWidth = el.style.width;
    if (cssWidth === 'auto' && el.hasAttribute('width')) cssWidth = 'none in CSS; the HTML says width="' + el.getAttribute('width') + '"';
    const pl = px(cs.paddingLeft), pr = px(cs.paddingRight), bl = px(cs.borderLeftWidth), br = px(cs.borderRightWidth);
    return {boxSizing: cs.boxSizing, cssWidth, content: r.width - pl - pr - bl - br, paddingLeft: pl, paddingRight: pr,
            borderLeft: bl, borderRight: br, box: r.width, marginLeft: px(cs.marginLeft), marginRight: px(cs.marginRight),
            right: r.right, screen: document.documentElement.clientWidth};
}"""


def box(source: str, selector: str, device: dict | str = "phone") -> Box:
    """The box model of the first element ``selector`` picks: content, padding, border, margin."""
    sizes = _in_browser(source, device, lambda tab: tab.eval_on_selector(selector, BOX_JS))
    return Box(selector, _label(source), sizes)


class Text(str):
    """A string that Jupyter prints as it is, without quotes."""

    def __repr__(self) -> str:
        return str(self)


def screen_reader_view(source: str, device: dict | str = "phone", lines: int = 40) -> Text:
    """The page as assistive technology gets it: Chromium's accessibility tree of <body>."""
    tree = _in_browser(source, device, lambda tab: tab.locator("body").aria_snapshot()).splitlines()
    shown = tree[:lines] + ([f"… ({len(tree) - lines} more lines)"] if len(tree) > lines else [])
    return Text("\n".join(shown))


def phone_view(source: str, device: dict | str = "phone") -> Text:
    """How a phone lays out a page: how wide, how far zoomed out, and how big its text looks."""
    m = _in_browser(source, device, lambda tab: tab.evaluate("""() => ({
        layout: document.documentElement.clientWidth, scale: visualViewport.scale,
        font: parseFloat(getComputedStyle(document.querySelector('p') || document.body).fontSize)})"""))
    width = _device(device)["width"]
    return Text(f"{_label(source)}: laid out {m['layout']} px wide on a {width} px screen, shown at "
                f"{m['scale']:.0%} zoom: its {m['font']:.0f} px text looks {m['font'] * m['scale']:.0f} px tall.")


def head_tags(source: str) -> Text:
    """The tags in a page's <head> that search engines and messaging apps read, one per line."""
    if source.lstrip().startswith("<"):
        document = source
    else:
        from martech.client import fetch

        document = fetch(source).text
    tags = read_head(document)
    keys = ["title", "description", "canonical", "og:type", "og:url", "og:title", "og:description", "og:image", "og:image:alt"]
    width = max(map(len, keys))
    return Text("\n".join(f"{key:<{width}}  {tags.get(key) or '(missing)'}" for key in keys))


# ── Measuring a page in Chromium: the rules of the exercise ────────────────────

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
MINIMUM_CONTRAST = 4.5
VAGUE_TITLES = {"home", "homepage", "home page", "welcome", "untitled", "document", "index", "page", "new page", "landing page"}
GENERIC_LINKS = {"click here", "here", "click", "read more", "more", "learn more", "link", "this link", "this", "go",
                 "details", "more info", "info", "find out more"}

MEASURE_JS = r"""() => {
  const W = document.documentElement.clientWidth;
  const where = el => el.closest('[data-line]') ? Number(el.closest('[data-line]').getAttribute('data-line')) : null;
  const tag = el => {
    let s = '<' + el.tagName.toLowerCase();
    for (const name of ['class', 'id', 'src', 'href']) if (el.hasAttribute(name)) s += ' ' + name + '="' + el.getAttribute(name) + '"';
    return s + '>';
  };
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 1;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const rgba = c => { ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = 'rgba(0,0,0,0)'; ctx.fillStyle = c; ctx.fillRect(0, 0, 1, 1);
                      const d = ctx.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255]; };
  const visible = el => { const cs = getComputedStyle(el); return el.getClientRects().length > 0 && cs.visibility !== 'hidden' && cs.opacity !== '0'; };
  const out = {};
  const vp = document.querySelector('meta[name="viewport" i]');
  out.viewport = vp ? vp.getAttribute('content') : null;
  out.width = W;
  out.scrollWidth = Math.max(document.documentElement.scrollWidth, document.body ? document.body.scrollWidth : 0);
  // Sideways scroll: the outermost elements that stick out on the right, and the CSS that made them so wide.
  const sticksOut = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > W + 1; };
  const wide = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    // Report an element that sticks out when its parent does not, or when it sticks out of its parent too.
    const parent = el.parentElement;
    if (!sticksOut(el) || (parent && parent !== document.body && sticksOut(parent)
        && el.getBoundingClientRect().right <= parent.getBoundingClientRect().right + 1)) continue;
    const cs = getComputedStyle(el), rules = [];
    for (const sheet of document.styleSheets) {
      let list; try { list = sheet.cssRules; } catch (e) { continue; }
      const walk = items => { for (const rule of items) {
        if (rule.media && rule.cssRules) { if (matchMedia(rule.media.mediaText).matches) walk(rule.cssRules); continue; }
        if (!rule.selectorText) continue;
        let hit = false; try { hit = el.matches(rule.selectorText); } catch (e) {}
        if (hit) for (const p of ['width', 'min-width']) if (rule.style.getPropertyValue(p)) rules.push({selector: rule.selectorText, property: p, value: rule.style.getPropertyValue(p)});
      } };
      walk(list);
    }
    if (el.style.width) rules.push({selector: 'style="…"', property: 'width', value: el.style.width});
    const r = el.getBoundingClientRect();
    wide.push({tag: tag(el), line: where(el), width: Math.round(r.width), right: Math.round(r.right), rules,
               boxSizing: cs.boxSizing, padding: Math.round(parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight)),
               natural: el.tagName === 'IMG' ? el.naturalWidth : null});
    if (wide.length >= 4) break;
  }
  out.wide = wide;
  out.images = [...document.images].map(img => ({tag: tag(img), line: where(img), alt: img.getAttribute('alt'),
    decorative: img.getAttribute('role') === 'presentation' || img.getAttribute('role') === 'none' || img.getAttribute('aria-hidden') === 'true'}));
  out.headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(visible).map(h => ({level: Number(h.tagName[1]),
    text: h.innerText.trim().replace(/\s+/g, ' ').slice(0, 60), line: where(h)}));
  out.links = [...document.querySelectorAll('a[href]')].filter(visible).map(a => {
    const name = (a.getAttribute('aria-label') || a.innerText || [...a.querySelectorAll('img[alt]')].map(i => i.alt).join(' ') || '').trim().replace(/\s+/g, ' ');
    return {tag: tag(a), line: where(a), name};
  });
  out.title = document.title;
  const titles = document.querySelectorAll('head title');
  out.titleCount = titles.length;
  const description = document.querySelector('meta[name="description" i]');
  out.description = description ? (description.getAttribute('content') || '') : null;
  out.text = [];
  for (const el of document.body ? document.body.querySelectorAll('*') : []) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !visible(el)) continue;
    const cs = getComputedStyle(el);
    const layers = []; let image = false;
    for (let node = el; node; node = node.parentElement) {
      const ns = getComputedStyle(node);
      if (ns.backgroundImage && ns.backgroundImage !== 'none') { image = true; break; }
      const c = rgba(ns.backgroundColor); if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    out.text.push({tag: tag(el), line: where(el), color: rgba(cs.color), layers, image,
                   size: parseFloat(cs.fontSize), bold: Number(cs.fontWeight) >= 700,
                   words: [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(' ').trim().replace(/\s+/g, ' ').slice(0, 40)});
  }
  const h1 = document.querySelector('h1');
  out.h1 = h1 ? h1.innerText.trim() : '';
  out.imageCount = document.images.length;
  out.linkTargets = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
  return out;
}"""


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
        if alt is None:
            problems.append(f"{_at(img)}{img['tag']} has no alt attribute: a screen reader may read out the file name. "
                            "Describe what the picture shows (or alt=\"\" if it is pure decoration).")
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
                            f"{before}: it skips a level. Use h{level + 1} (headings are an outline; pick the level "
                            "by position, and the size with CSS).")
        level = heading["level"]
    problems.sort(key=lambda p: int(re.match(r"line (\d+)", p).group(1)) if re.match(r"line \d+", p) else 0)
    findings.append(Finding(RULES["headings"], not problems, problems))

    # 4. Link text
    problems = []
    for link in m["links"]:
        name = re.sub(r"[^\w\s%€$£-]", "", link["name"]).strip().lower()
        if not name:
            problems.append(f"{_at(link)}{link['tag']} has no text at all: a screen reader says just \"link\".")
        elif name in GENERIC_LINKS:
            problems.append(f"{_at(link)}{link['tag']} says \"{link['name']}\": out of context (screen reader users "
                            "often list all links) nobody knows where it leads. Put the destination in the link text, "
                            "e.g. \"our returns policy\".")
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
            problems.append(f"{_at(item)}{item['tag']} (\"{item['words']}\"): {_hex(foreground)} on {_hex(background)} "
                            f"is {ratio:.2f}:1; text needs at least {MINIMUM_CONTRAST}:1. Make the text darker "
                            "or the background lighter (or the other way round).")
    findings.append(Finding(RULES["contrast"], not problems, problems[:6] + (
        [f"… and {len(problems) - 6} more"] if len(problems) > 6 else [])))
    return findings


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
    document = with_line_numbers(source) if source.lstrip().startswith("<") else source
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
    text = source if source.lstrip().startswith("<") else None
    return Audit(_label(source), judge(measure(source), text))


def numbered(document: str) -> Text:
    """The page with line numbers, as the checks count them."""
    lines = str(document).splitlines()
    return Text("\n".join(f"{n:>3}  {line}" for n, line in enumerate(lines, 1)))


# ── Exercise checks ─────────────────────────────────────────────────────────────


@task
def search_snippet(title, description):
    title = " ".join(as_text(title, "title").split())
    description = " ".join(as_text(description, "description").split())
    if not title:
        raise NotYet("the title is empty: write the text for the <title>, in quotes.")
    if title.lower() in VAGUE_TITLES:
        raise NotYet(f"\"{title}\" is too vague: Google's guidance asks for a descriptive title, not \"Home\". "
                     "Say what the page offers.")
    if title.startswith("<") or description.startswith("<"):
        raise NotYet("write just the text, without the tags: the CMS puts it inside <title> and the meta tag.")
    low, high = TITLE_LENGTH
    if len(title) < low:
        raise NotYet(f"the title has {len(title)} characters: too short to say what the page offers. Aim for {low} to {high}.")
    if len(title) > high:
        raise NotYet(f"the title has {len(title)} characters. Search results cut titles to fit the screen, so keep "
                     f"it to about {high}: the offer first, the shop's name last.")
    words = re.findall(r"[a-z]{4,}", title.lower())
    repeated = sorted({w for w in words if words.count(w) >= 3})
    if repeated:
        raise NotYet(f"the title repeats \"{repeated[0]}\": that reads as keyword stuffing, which Google's guidance "
                     "warns against. Say it once.")
    if not re.search(r"sale|%|off|spring", title, re.I):
        raise NotYet("the title should say what the page offers: the spring sale, 20% off running shoes.")
    low, high = DESCRIPTION_LENGTH
    if len(description) < low:
        raise NotYet(f"the description has {len(description)} characters: a sentence or two ({low} to {high} "
                     "characters) that sums up the page and gives a reason to click.")
    if len(description) > high:
        raise NotYet(f"the description has {len(description)} characters: search results cut long ones, so keep it "
                     f"to about {high}.")
    if description.lower() == title.lower():
        raise NotYet("the description repeats the title: use it for what the title has no room for (the end date, "
                     "free returns…).")
    return (f"title {len(title)} characters, description {len(description)} characters: both fit. Search engines "
            "may still rewrite them (Google builds snippets mostly from the page's own text), but these are good "
            "suggestions.")


COLOUR_TEXT = re.compile(r"[#a-zA-Z0-9(),.%\s/+-]{1,60}")


@task
def text_colour(colour):
    colour = as_text(colour, "colour")
    if not colour or not COLOUR_TEXT.fullmatch(colour):
        raise NotYet("write a CSS colour in quotes, such as \"#b3261e\", \"darkred\" or \"rgb(179, 38, 30)\".")
    if re.search(r"\bvar\(|^(inherit|initial|unset|revert|revert-layer|currentcolor)$", colour, re.I):
        raise NotYet(f"{colour!r} borrows a colour from elsewhere on the page. Write the colour itself, such as \"#b3261e\".")

    def run(tab):
        if not tab.evaluate("c => CSS.supports('color', c)", colour):
            return None
        tab.eval_on_selector("#offer", "(el, c) => el.style.color = c", colour)
        return tab.evaluate(MEASURE_JS)["text"][0]["color"]

    sample = '<!doctype html><p id="offer" style="background:#ffffff">20% off until 31 March</p>'
    try:
        measured = _in_browser(sample, PHONE, run, javascript=False)
    except BrowserUnavailable as error:
        raise NotYet(str(error)) from None
    if measured is None:
        raise NotYet(f"Chromium does not know the colour {colour!r}. Try a hex code such as \"#b3261e\".")
    r, g, b, a = measured
    shown = tuple(c * a + 255 * (1 - a) for c in (r, g, b))
    ratio = contrast_ratio(shown, (255, 255, 255))
    if ratio < MINIMUM_CONTRAST:
        hint = "a darker shade" if _luminance(shown) > 0.18 else "a darker, more solid colour"
        see_through = (" It is fully transparent: invisible." if a == 0 else
                       " It is partly transparent, which makes it lighter still." if a < 1 else "")
        raise NotYet(f"{colour} shows as {_hex(shown)}: {ratio:.2f}:1 on white, below {MINIMUM_CONTRAST}:1.{see_through} "
                     f"Try {hint}, e.g. darken it until the ratio passes.")
    return f"{colour} on white is {ratio:.2f}:1, above the {MINIMUM_CONTRAST}:1 that WCAG asks for normal text."


@task
def landing_page(page):
    document = as_text(page, "page")
    if len(document) > 200_000:
        raise NotYet("the page is over 200,000 characters: start again from the page in the exercise.")
    if not re.search(r"<\s*(html|head|body|h1|div|p|img)\b", document, re.I):
        raise NotYet("that does not look like a web page: it has no HTML tags. Start from the page in the cell above.")
    try:
        measured = measure(document)
    except BrowserUnavailable as error:
        raise NotYet(str(error)) from None
    except Exception as error:  # Playwright's errors: a page that navigates away, or never finishes loading
        if "navigat" in str(error) or "context was destroyed" in str(error):
            raise NotYet("the page sent the browser to another address while the check measured it (a "
                         "<meta http-equiv=\"refresh\"> tag?). Remove that, then run the cell again.") from None
        raise NotYet(f"Chromium could not measure the page ({str(error).splitlines()[0][:160]}). "
                     "Start again from the page in the exercise if this goes on.") from None
    findings = judge(measured, document)
    kept = []
    if "spring sale" not in measured["h1"].lower():
        kept.append("its main heading <h1>Spring sale: 20% off running shoes</h1>")
    if measured["imageCount"] < 2:
        kept.append("its two pictures (the hero image and the shoe)")
    if "/shop/running" not in measured["linkTargets"]:
        kept.append("its button to /shop/running")
    if kept:
        findings.insert(0, Finding("still the campaign page", False, [
            f"the page lost {', '.join(kept)}. Fix what is wrong; keep what the campaign needs."]))
    failing = [f for f in findings if not f.passed]
    if failing:
        lines = [f"{len(failing)} of {len(findings)} checks still fail (measured in Chromium at 375 px). "
                 "Edit the page above, then run the cell again."]
        for finding in findings:
            lines.append(f"{'✓' if finding.passed else '✗'} {finding.rule}")
            lines += [f"    - {p}" for p in finding.problems]
            lines += [f"    (note: {n})" for n in finding.notes]
        raise NotYet("\n".join(lines))
    notes = [n for f in findings for n in f.notes]
    return ("all six checks pass in Chromium at 375 px: the page fits a phone, every image has alt text, the "
            "headings form an outline, every link says where it leads, the title and description fit search "
            "results, and all text reaches 4.5:1. This is a page IT can publish."
            + "".join(f" (Note: {n})" for n in notes))
