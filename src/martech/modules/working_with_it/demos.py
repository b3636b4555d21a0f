"""The demo server of module "working-with-it". Start it with ``martech serve briefs``.

One small site for the meeting room: a brief checker you paste a brief into, the vendor-claims
check for a sales call, the data responsibility table of the course's shop, and the estimate lab.
What it serves is in served/, as files: edit the pages there, not here.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from martech.served import Served
from martech.servers import DemoHandler, Reply, Setting, demo, page
from martech.modules.working_with_it.brief import check_brief
from martech.modules.working_with_it.estimates import estimate_lab

files = Served(__file__)
CLAIMS = json.loads(files.text("claims.json"))
RESPONSIBILITIES = json.loads(files.text("responsibilities.json"))
LONGEST_BRIEF = 20_000


def claims() -> list[dict]:
    """The vendor-claims check: each claim, the question to ask, the evidence to ask for, the module."""
    return CLAIMS


def responsibility_table():
    """The data responsibility table of the course's shop, as a table the notebook shows."""
    from martech.modules.working_with_it.tables import Table

    return Table(RESPONSIBILITIES["columns"], RESPONSIBILITIES["rows"])


def histogram(lab, bins: int = 30, width: int = 400, height: int = 160) -> dict:
    """Bars for an SVG chart of the simulated totals: x positions in pixels, heights scaled to ``height``."""
    import numpy as np

    counts, edges = np.histogram(lab.totals, bins=bins)
    low, high = float(edges[0]), float(edges[-1])
    scale = lambda x: round((x - low) / (high - low) * width, 1)
    tallest = int(counts.max()) or 1
    bars = [{"x": scale(edges[i]), "w": max(scale(edges[i + 1]) - scale(edges[i]) - 1, 1),
             "h": round(int(c) / tallest * height, 1)} for i, c in enumerate(counts)]
    marks = [{"x": scale(x), "label": label, "days": x} for x, label in
             ((lab.likely_total, "naive sum"), (lab.days_for(50), "50%"), (lab.days_for(80), "80%")) if low <= x <= high]
    ticks = [{"x": scale(d), "days": d} for d in range(int(low) + 1, int(high) + 1) if d % 5 == 0]
    return {"bars": bars, "marks": marks, "ticks": ticks, "width": width, "height": height}


@demo("briefs")
class BriefsHandler(DemoHandler):
    description = ("working with IT: a brief checker, the vendor-claims check, who owns which data, and the "
                   "estimate lab (--runs, --seed)")
    settings = {
        "runs": Setting(int, 10_000, "how many times the estimate lab simulates the project", 100, 200_000, "runs"),
        "seed": Setting(int, 2026, "the random seed: the same seed always gives the same chart", 0, 2**32 - 1),
    }

    def respond(self, path, query):
        if path == "/":
            return Reply(body=files.render("index.html", title="Working with IT"))
        if path == "/style.css":
            return Reply(body=files.text("style.css"), content_type="text/css; charset=utf-8")
        if path == "/check":
            return self.check(query)
        if path == "/template.md":
            return Reply(body=files.text("briefs/template.md"), content_type="text/markdown; charset=utf-8")
        if path == "/claims":
            return Reply(body=files.render("claims.html", title="Vendor claims: what to ask in a sales call",
                                           claims=CLAIMS))
        if path == "/responsibilities":
            return Reply(body=files.render("responsibilities.html", title="Who owns which data at shop.example",
                                           table=RESPONSIBILITIES))
        if path == "/estimate":
            return self.estimate(query)
        return page("Page not found", '<p>There is no page at this address. <a href="/">Back to the start</a>.</p>',
                    status=404)

    def check(self, query) -> Reply:
        brief, status = files.text("briefs/vague-request.md"), 200
        report = None
        if self.command == "POST":
            form = parse_qs(getattr(self, "request_body", b"").decode("utf-8", errors="replace"))
            brief = form.get("brief", [""])[0]
            if len(brief) > LONGEST_BRIEF:
                brief, status = brief[:LONGEST_BRIEF], 413
                report = None
            else:
                report = check_brief(brief)
        elif query.get("example") == ["trail-page"]:
            brief = files.text("briefs/trail-page.md")
        return Reply(status, files.render("check.html", title="Check a brief", brief=brief, report=report,
                                          too_long=status == 413, limit=LONGEST_BRIEF))

    def estimate(self, query) -> Reply:
        scope = query.get("scope", ["all"])[0]
        if scope not in ("all", "must"):
            return page("No such scope", '<p>The scope is <a href="/estimate?scope=all">all</a> or '
                        '<a href="/estimate?scope=must">must</a>.</p>', status=400)
        lab = estimate_lab(scope, self.runs, self.seed)
        return Reply(body=files.render("estimate.html", title="The estimate lab", lab=lab, scope=scope,
                                       chart=histogram(lab), chances=[(d, lab.chance_by(d)) for d in (30, 35, 40, 45, 50)]))
