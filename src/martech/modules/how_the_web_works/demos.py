"""The demo servers of module "how-the-web-works". Start one with ``martech serve web`` (or slow, https).

What they serve is in served/, as files: edit the pages there, not here.
"""

from __future__ import annotations

import html
import itertools
import time

from martech.served import Served
from martech.servers import DemoHandler, Reply, Setting, demo, page

files = Served(__file__)

NEWSLETTER_TARGET = "/spring-sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring"


@demo("web")
class ShopHandler(DemoHandler):
    description = "shop.example, a small shoe shop: status codes, redirects, headers, static and dynamic pages"

    def respond(self, path, query):
        if path == "/":
            return Reply(body=files.render("home.html"))
        if path == "/spring-sale":
            return Reply(body=files.render("spring-sale.html"))
        if path == "/old-campaign":
            return page("Moved", '<p>This page moved to <a href="/spring-sale">/spring-sale</a>.</p>',
                        status=301, Location="/spring-sale")
        if path == "/go/newsletter":
            return page("Found", f'<p>Go to <a href="{html.escape(NEWSLETTER_TARGET)}">the spring sale</a>.</p>',
                        status=302, Location=NEWSLETTER_TARGET)
        if path == "/hello":
            # The template escapes the name: whatever a visitor types in the address must not
            # become part of the page's code.
            visitor = query.get("name", ["visitor"])[0][:100]
            return Reply(body=files.render("hello.html", visitor=visitor, visit=self.next_visit()))
        if path == "/static/banner.txt":
            return Reply(200, files.text("static/banner.txt"), "text/plain; charset=utf-8")
        if path == "/headers":
            return Reply(body=files.render("headers.html", headers=self.headers.items()))
        if path == "/broken":
            return page("Something went wrong", "<p>The server had a problem. This is its fault, not yours.</p>",
                        status=500)
        return Reply(404, files.render("not-found.html"))

    def next_visit(self) -> int:
        counter = self.server.__dict__.setdefault("visits", itertools.count(1))
        return next(counter)


@demo("https")
class SecureShopHandler(ShopHandler):
    description = "the same shop over HTTPS, with a self-signed certificate (expect a browser warning)"
    tls = True


@demo("slow")
class SlowHandler(DemoHandler):
    description = "a far-away, slow server: every answer waits --delay seconds and is sent at --rate bytes per second"
    settings = {
        "delay": Setting(float, 0.2, "seconds the server waits before answering (latency)", 0, 30, "seconds"),
        "rate": Setting(int, 200_000, "bytes per second it sends at most (bandwidth)", 1_000, 1_000_000_000,
                        "bytes per second"),
    }
    delay: float
    rate: int

    def respond(self, path, query):
        if path == "/":
            return page("A slow server", f"<p>Every answer waits {self.delay} s, then arrives at "
                        f"{self.rate:,} bytes per second. Try <a href=\"/file?kb=100\">/file?kb=100</a>.</p>")
        if path == "/file":
            kilobytes = query.get("kb", ["1"])[0]
            if not kilobytes.isdigit() or not 0 < int(kilobytes) <= 10_000:
                return page("Bad request", "<p>kb must be a whole number from 1 to 10000.</p>", status=400)
            return Reply(200, b"x" * (1000 * int(kilobytes)), "application/octet-stream")
        return page("Page not found", "<p>Try / or /file?kb=100.</p>", status=404)

    def send_reply(self, reply, send_body=True):
        time.sleep(self.delay)
        super().send_reply(reply, send_body)

    def write_body(self, body: bytes) -> None:
        # Send in slices of a twentieth of a second's worth, and pause so that the average
        # never exceeds ``rate``: a narrow pipe.
        step = max(1, self.rate // 20)
        began = time.perf_counter()
        for start in range(0, len(body), step):
            self.wfile.write(body[start:start + step])
            self.wfile.flush()
            sent = min(len(body), start + step)
            time.sleep(max(0.0, sent / self.rate - (time.perf_counter() - began)))
