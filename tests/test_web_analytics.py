"""Module web-analytics: the demo's attribution and A/B test count what the lesson says they count.

The tests run the demo notebook's own cells (the code a learner reads and runs) on a few
hand-made events, so a learner sees exactly what these tests check.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from martech.modules import web_analytics
from martech.modules.web_analytics import EventStore, two_proportion_test

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "web-analytics.ipynb"

NEWSLETTER = dict(utm_source="newsletter", utm_medium="email", utm_campaign="autumn_sale")


def notebook_cell(starts_with: str) -> str:
    """The source of the demo notebook's code cell that starts with ``starts_with``."""
    cells = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells
             if c.cell_type == "code" and c.source.lstrip().startswith(starts_with)]
    assert len(cells) == 1, f"the demo notebook should have one code cell starting with {starts_with!r}"
    return cells[0]


def run_cell(starts_with: str, traffic: EventStore, name: str):
    space = {"traffic": traffic}
    exec(notebook_cell(starts_with), space)  # noqa: S102 (our own notebook)
    return space[name]


def credit(table) -> dict[str, tuple[int, int]]:
    """channel → (first-click sales, last-click sales), channels named by their source."""
    return {row["channel"].split(" / ")[0]: (row["first_click"], row["last_click"]) for row in table.dicts()}


def test_first_and_last_click_both_skip_direct_when_a_channel_exists():
    log = EventStore()
    # Bea types the address, comes back from the newsletter, then types it again and buys.
    log.add(ts="2026-11-02 10:00:00", client_id="bea", event="page_view", page="/")
    log.add(ts="2026-11-03 10:00:00", client_id="bea", event="page_view", page="/autumn-sale", **NEWSLETTER)
    log.add(ts="2026-11-05 10:00:00", client_id="bea", event="page_view", page="/")
    log.add(ts="2026-11-05 10:02:00", client_id="bea", event="purchase", page="/thank-you", value=89.9)
    # Carl only ever types the address: direct is all there is, so direct gets his sale.
    log.add(ts="2026-11-04 09:00:00", client_id="carl", event="page_view", page="/")
    log.add(ts="2026-11-04 09:03:00", client_id="carl", event="purchase", page="/thank-you", value=89.9)
    log.assign_sessions()
    by_channel = credit(run_cell("attribution = traffic.sql(", log, "attribution"))
    assert by_channel["newsletter"] == (1, 1), "Bea's sale: the newsletter, by first click and by last click"
    assert by_channel["(direct)"] == (1, 1), "Carl's sale: direct, by both models"


def ab_log() -> EventStore:
    log = EventStore()
    # Dan is in group A but lands on the product page: he never sees the headline, and buys.
    log.add(ts="2026-11-02 10:00:00", client_id="dan", event="page_view", page="/product/trail-runner", variant="A")
    log.add(ts="2026-11-02 10:02:00", client_id="dan", event="purchase", page="/thank-you", variant="A")
    # Eva (A) sees the headline and leaves; Finn (B) sees it and buys.
    log.add(ts="2026-11-02 11:00:00", client_id="eva", event="page_view", page="/autumn-sale", variant="A")
    log.add(ts="2026-11-02 12:00:00", client_id="finn", event="page_view", page="/autumn-sale", variant="B")
    log.add(ts="2026-11-02 12:03:00", client_id="finn", event="purchase", page="/thank-you", variant="B")
    log.assign_sessions()
    return log


def test_the_ab_test_counts_only_users_who_saw_the_headline():
    groups = run_cell("ab = traffic.sql(", ab_log(), "ab")
    assert groups.rows == [("A", 1, 0), ("B", 1, 1)], "Dan never saw /autumn-sale: he is in neither group"


def test_the_exercise_check_wants_exposed_users_and_says_why():
    log = web_analytics.campaign_log()
    counts = {}
    for name, where in [("everyone", ""), ("exposed", web_analytics.EXPOSED)]:
        rows = dict((v, (b, u)) for v, u, b in log.rows(
            "SELECT variant, COUNT(DISTINCT client_id), COUNT(DISTINCT CASE WHEN event = 'purchase' THEN client_id END) "
            f"FROM events WHERE is_bot = 0 {where} GROUP BY variant"))
        counts[name] = two_proportion_test(*rows["A"], *rows["B"]).p_value
    assert abs(counts["everyone"] - counts["exposed"]) > 0.01, "the two analyses must differ for the check to tell them apart"
    wrong = web_analytics.ab_decision(counts["everyone"], "b")
    assert not wrong.passed and "/autumn-sale" in wrong.message
    right = web_analytics.ab_decision(counts["exposed"], "b")
    assert right.passed, right.message
    assert "weeks" in right.message, "the verdict says how long the test would have to run"


@pytest.mark.parametrize("letter", ["a", "c"])
def test_the_exercise_check_still_refuses_a_winner(letter):
    log = web_analytics.campaign_log()
    rows = dict((v, (b, u)) for v, u, b in log.rows(
        "SELECT variant, COUNT(DISTINCT client_id), COUNT(DISTINCT CASE WHEN event = 'purchase' THEN client_id END) "
        f"FROM events WHERE is_bot = 0 {web_analytics.EXPOSED} GROUP BY variant"))
    assert not web_analytics.ab_decision(two_proportion_test(*rows["A"], *rows["B"]).p_value, letter).passed


def test_winners_curse_significant_small_tests_overstate_the_lift():
    """The notebook's simulation: tests that happen to be significant overstate a small true lift."""
    space = {"result": two_proportion_test(70, 1325, 79, 1326)}  # the size of the demo's test
    exec(notebook_cell("import numpy as np"), space)  # noqa: S102
    assert space["significant_share"] < 0.5, "a small true lift is rarely detected by a small test"
    assert space["lift_when_significant"] > 3 * space["true_lift"], "the 'winners' overstate the lift"
