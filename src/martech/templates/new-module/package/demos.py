"""The demo servers of module "$slug". Start one with ``martech serve $demo``.

What they serve is in served/, as files: edit the pages there, not here.
"""

from __future__ import annotations

from martech.served import Served
from martech.servers import DemoHandler, Reply, demo, page

files = Served(__file__)


@demo("$demo")
class $handler(DemoHandler):
    description = "TODO: what this demo shows, in one line"

    def respond(self, path, query):
        if path == "/":
            return Reply(body=files.render("index.html", title="$title"))
        return page("Page not found", "<p>There is no page at this address.</p>", status=404)
