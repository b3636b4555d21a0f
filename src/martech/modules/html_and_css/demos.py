"""The ``landing`` demo: shop.example's spring campaign landing page in several versions.

What it serves is in served/, as files: the CMS template (campaign.html), the content typed into
the CMS (content.json), the stylesheets (css/), the exercise's page (broken.html) and the link
preview (preview.html). Only the pictures are made here, drawn in code so that the course ships
no binary files.
"""

from __future__ import annotations

import functools
import html
import io
import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from markupsafe import escape

from martech.served import Served
from martech.servers import DemoHandler, Reply, demo, page

files = Served(__file__)

_content = json.loads(files.text("content.json"))
SITE = _content["site"]
# What a marketer edits in the CMS: words and pictures, one entry per page.
PRODUCTS = _content["products"]
BENEFITS = _content["benefits"]
BESTSELLERS = _content["bestsellers"]

# What IT controls: the template. Every page of this kind is made from it.
TEMPLATE = files.text("campaign.html")

# The exercise's page: every rule of the checks is broken somewhere in it.
BROKEN_PAGE = files.text("broken.html")

STYLESHEETS = {path.name for path in files.path("css").glob("*.css")}


def render(product: str = "running-shoes", template: str = TEMPLATE, content: dict | None = None,
           responsive: bool = True, stylesheet: str | None = "responsive.css") -> str:
    """The HTML of one campaign page: ``template`` filled in with one product's ``content``.

    This is what a CMS does for every page, every time: content (what marketers type)
    goes into a template (what IT wrote once).
    """
    content = content if content is not None else PRODUCTS[product]
    site = {**SITE, "responsive": responsive, "stylesheet": stylesheet}
    return files.from_string(template, site=site, page=content, benefits=BENEFITS, bestsellers=BESTSELLERS)


def hand_edited_copy() -> str:
    """What happens without a template: someone copies the running-shoes page and edits what they see."""
    original, trail = PRODUCTS["running-shoes"], PRODUCTS["trail-shoes"]
    edited = render("running-shoes")
    for key in ("headline", "intro", "cta_text"):  # the words as the template escaped them
        edited = edited.replace(f">{escape(original[key])}<", f">{escape(trail[key])}<", 1)
    edited = edited.replace(f'class="button" href="{original["cta_link"]}"', f'class="button" href="{trail["cta_link"]}"', 1)
    return edited.replace('src="/img/hero-coral.png"', 'src="/img/hero-teal.png"', 1)


# ── Pictures ────────────────────────────────────────────────────────────────────

COLOURS = {"coral": "#e4572e", "teal": "#17807e", "navy": "#2b3a67"}

IMAGES = {
    **{f"hero-{name}.png": (1200, 600, colour) for name, colour in COLOURS.items()},
    **{f"share-{name}.png": (1200, 630, colour) for name, colour in COLOURS.items()},
    **{f"shoe-{name}.png": (480, 360, colour) for name, colour in COLOURS.items()},
}


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


@functools.lru_cache(maxsize=None)
def image_bytes(name: str) -> bytes:
    width, height, colour = IMAGES[name]
    return _shoe_scene(width, height, colour)


# ── The demo server ─────────────────────────────────────────────────────────────


@demo("landing")
class LandingHandler(DemoHandler):
    description = "shop.example's campaign landing page: fixed, responsive, broken, from a template, and its link preview"

    def respond(self, path, query):
        if path == "/":
            return Reply(200, files.render("index.html", title="Campaign landing page", missing=False))
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
            return Reply(200, files.text(path[1:]), "text/css; charset=utf-8")
        if path.startswith("/img/") and path[5:] in IMAGES:
            return Reply(200, image_bytes(path[5:]), "image/png", {"Cache-Control": "max-age=3600"})
        if path.startswith("/shop/") or path == "/returns":
            return page("Not part of the demo", '<p>The shop itself is not part of this demo. '
                        '<a href="/">Back to the landing page versions</a>.</p>')
        return Reply(404, files.render("index.html", title="Page not found", missing=True))

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
        self.h1_parts: list[str] = []
        self._in_title = False
        self._in_h1 = False
        self._h1_done = False

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if tag == "title":
            self._in_title = True
        elif tag == "h1" and not self._h1_done:
            self._in_h1 = True
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key and key.lower() not in self.tags:
                self.tags[key.lower()] = attrs.get("content", "").strip()
        elif tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            self.tags.setdefault("canonical", attrs.get("href", "").strip())

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "h1" and self._in_h1:
            self._in_h1, self._h1_done = False, True

    def handle_data(self, data):
        if self._in_title:
            self.title_parts.append(data)
        if self._in_h1:
            self.h1_parts.append(data)


def read_head(document: str) -> dict[str, str]:
    """The tags a search engine or a messaging app reads: title, description, canonical, og:*, twitter:*.

    Also the page's first h1 (key "h1"), which search engines may show when the title is vague.
    """
    reader = _HeadReader()
    try:
        reader.feed(document)
        reader.close()
    except Exception:  # a broken page still gets a preview of what could be read
        pass
    tags = {"title": " ".join("".join(reader.title_parts).split())}
    tags.update(reader.tags)
    tags["h1"] = " ".join("".join(reader.h1_parts).split())
    return tags


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + " …"


def preview_page(target: str, tags: dict[str, str]) -> str:
    """A link preview card (as a chat app draws one) and a search-result snippet, from the tags."""
    title = tags.get("og:title") or tags.get("title") or target
    description = tags.get("og:description") or tags.get("description", "")
    image = tags.get("og:image", "")
    image_parts = urlsplit(image)
    # Only this demo's own pictures: the preview never fetches anything from elsewhere.
    own_picture = image_parts.netloc == urlsplit(SITE["origin"]).netloc and image_parts.path.startswith("/img/") \
        and image_parts.path[5:] in IMAGES
    site_name = tags.get("og:site_name") or urlsplit(tags.get("og:url") or tags.get("canonical") or "").netloc or "127.0.0.1"
    rows = [
        ("Card title", "og:title, else <title>", tags.get("og:title") or tags.get("title", "")),
        ("Card text", "og:description, else meta description", tags.get("og:description") or tags.get("description", "")),
        ("Card picture", "og:image", image),
        ("X card type", "twitter:card, else a small card", tags.get("twitter:card", "")),
        ("Search title", "<title> (or the h1…)", tags.get("title", "")),
        ("Search snippet", "meta description (a suggestion)", tags.get("description", "")),
        ("Address shown", "canonical link", tags.get("canonical", "")),
    ]
    from martech.modules.html_and_css.rules import VAGUE_TITLES

    title_text = tags.get("title", "")
    # Google builds its title link from several sources and often replaces a missing or vague title, often by the h1.
    search_title = title_text
    replaced = bool(tags.get("h1")) and (not title_text or title_text.lower() in VAGUE_TITLES)
    if replaced:
        search_title = tags["h1"]
    return files.render(
        "preview.html", target=target, rows=rows, site_name=site_name, title_replaced=replaced, title_text=title_text,
        picture=image_parts.path if own_picture else "", picture_alt=tags.get("og:image:alt", ""),
        card_title=_shorten(title, 90), card_text=_shorten(description, 120),
        address=tags.get("canonical") or tags.get("og:url") or f"http://127.0.0.1{target}",
        search_title=_shorten(search_title or target, 60), snippet=_shorten(tags.get("description", ""), 160))
