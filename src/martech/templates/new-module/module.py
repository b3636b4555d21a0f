"""Module "$slug": its demo servers and its exercise checks."""

from __future__ import annotations

from martech.checks import NotYet, as_text, task
from martech.servers import DemoHandler, demo, page


@demo("$demo")
class $handler(DemoHandler):
    description = "TODO: what this demo shows, in one line"

    def respond(self, path, query):
        if path == "/":
            return page("$title", "<p>TODO: what the demo's home page shows.</p>")
        return page("Page not found", "<p>There is no page at this address.</p>", status=404)


# ── Exercise checks ─────────────────────────────────────────────────────────────


@task
def first_task(answer):
    answer = as_text(answer, "answer")
    if answer.lower() != "todo: the right answer":
        raise NotYet("TODO: a hint that points at the likely mistake.")
    return "TODO: say in one sentence why this is right."
