"""Module "ad-management": the ad server, the auction, ads.txt and the checks agree with the lesson."""

import json

import pytest

from martech.client import fetch
from martech.modules import ad_management as check
from martech.modules.ad_management import adserver, lab
from martech.problems import Problem
from martech.servers import demo_server


@pytest.fixture()
def site():
    running = demo_server("ad-server", floor=1.5, cap=2, seed=18)
    yield running
    running.stop()


def test_the_bottom_slot_goes_to_auction_and_the_winner_pays_its_bid(site):
    answer = json.loads(fetch(site.url + "/ad?slot=bottom&explain=1").text)
    result = answer["auction"]["result"]
    prices = [b["price"] for b in result["bids"] if b["result"] in ("wins", "loses")]
    assert result["price_paid"] == max(prices) and answer["cpm"] == result["price_paid"]
    # the lesson quotes this auction
    assert (result["winner"], result["price_paid"]) == ("alpha-dsp", 3.05)


def test_bid_request_uses_openrtb_26_field_names(site):
    request = json.loads(fetch(site.url + "/ad?slot=bottom&explain=1").text)["auction"]["request"]
    assert {"id", "imp", "site", "device", "at", "tmax", "cur", "source"} <= set(request)
    assert {"id", "tagid", "banner", "bidfloor", "bidfloorcur"} <= set(request["imp"][0])
    assert request["at"] == 1 and set(request["source"]["schain"]) == {"complete", "ver", "nodes"}
    assert set(request["source"]["schain"]["nodes"][0]) == {"asi", "sid", "hp"}


def test_a_bidder_says_no_bid_with_204_and_refuses_what_is_not_a_bid_request(site):
    request = adserver.bid_request("r-1", "bottom", "http://news.example/", 1.5, "ua", None)
    assert fetch(site.url + "/bidder/beta-dsp", method="POST", body=json.dumps(request)).status == 204
    assert fetch(site.url + "/bidder/alpha-dsp", method="POST", body="{not json").status == 400
    assert fetch(site.url + "/bidder/alpha-dsp").status == 405


def test_bids_under_the_floor_are_refused():
    request = adserver.bid_request("r-2", "top", "http://news.example/", 2.0, "ua", None)
    answers = {name: {"seatbid": [{"bid": [{"price": price}]}]} for name, price in
               [("alpha-dsp", 1.2), ("beta-dsp", 2.1), ("gamma-dsp", 2.4)]}
    result = adserver.run_auction(request, answers)
    assert result["winner"] == "gamma-dsp" and result["price_paid"] == 2.4
    assert result["bids"][0]["result"] == "below the floor: refused"


def test_frequency_cap_needs_an_identifier(site):
    with_cookie = lab.page_views(site.url, 5, keep_cookie=True)
    without = lab.page_views(site.url, 5, keep_cookie=False)
    assert sum("LI-1" in line for line in with_cookie) == 2, with_cookie   # the cap of 2
    assert not any("LI-1" in line for line in without), without            # never, as in Ad Manager


def test_supply_check_refuses_only_the_spoofed_request(site):
    lines = lab.supply_check(site.url, lab.bid_log())
    refused = [line.split(":")[0] for line in lines if "REFUSE" in line]
    assert refused == ["req-3"] and "Cheap Clicks Ltd" in lines[2]


def test_ads_txt_reader_skips_comments_variables_and_junk():
    records = adserver.read_ads_txt("# c\nCONTACT=x@y\nexchange.example, pub-1, DIRECT, abc # note\njunk\na, 2, MAYBE\n")
    assert records == [{"domain": "exchange.example", "account": "pub-1", "relationship": "DIRECT",
                        "certification": "abc"}]


def test_chromium_visitors_give_three_different_counts(site):
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    # A thread of its own: this worker may hold the session's sync Playwright (conftest.py), whose
    # event loop counts as running here, and asyncio.run refuses to start inside a running loop.
    visit = lab.visit_in_chromium(site.url, ["reader", "early leaver", "fast scroller", "ad blocker"])
    with ThreadPoolExecutor(1) as thread:
        uids = thread.submit(asyncio.run, visit).result()
    log = lab.events(site.url)
    per = {kind: lab.counts([e for e in log if e["visitor"] == uid]) for kind, uid in uids.items()}
    seen = {kind: (c["served"], c["rendered"], c["viewable"]) for kind, c in per.items()}
    assert seen == {"reader": (3, 3, 3), "early leaver": (3, 0, 0), "fast scroller": (3, 3, 0), "ad blocker": (3, 0, 0)}
    for kind, (served, rendered, viewable) in seen.items():
        assert lab.OUTCOMES[kind] == (rendered, viewable)
    assert per["reader"]["click"] == 1 and per["reader"]["conversion"] == 1


def test_known_robots_are_flagged_as_givt(site):
    lab.crawler_visits(site.url, 1)
    assert all(e["ivt"] == "GIVT" for e in lab.events(site.url))


@pytest.mark.parametrize("call", [
    lambda: lab.metrics("many", 1, 1, 1, 1, 1), lambda: lab.metrics(10, 20, 1, 1, 1, 1),
    lambda: lab.simulate_day(0), lambda: lab.simulate_day(10, mix={"aliens": 1}),
    lambda: lab.page_views("http://127.0.0.1:1", "five"), lambda: lab.crawler_visits("x", True),
    lambda: lab.supply_check("x", "req-3"), lambda: lab.explain(None),
    lambda: lab._kinds(["reader", "ghost"]), lambda: lab._kinds([]),
])
def test_helpers_refuse_bad_input_in_plain_words(call):
    with pytest.raises(Problem) as refused:
        call()
    assert len(str(refused.value)) > 20


def test_metrics_divide_by_zero_gives_none():
    result = lab.metrics(1000, 0, 0, 0, 8, 0)
    assert result["CPM"] == 8.0 and result["vCPM"] is None and result["ROAS"] == 0.0
    assert "cannot say" in lab.explain(result)


def test_exercise_checks_point_at_the_mistake():
    assert check.viewable_cpm(1600 / 110_000 * 1000).passed
    assert "CPM on the ad server" in check.viewable_cpm(8).message
    assert "Multiply by 1,000" in check.viewable_cpm(1600 / 110_000).message
    assert "measured" in check.viewable_cpm(1600 / 176_000 * 1000).message
    assert check.gap_reasons("c", "a").passed and "Scrolling past" in check.gap_reasons("a", "a").message
    assert check.biggest_gap("A").passed and not check.biggest_gap("c").passed
    assert check.spoofed_request("req-3").passed and "RESELLER" in check.spoofed_request("req-5").message


@pytest.mark.parametrize("call", [
    lambda: lab.events(3), lambda: lab.events("http://127.0.0.1:1"), lambda: lab.three_counts("http://127.0.0.1:1"),
    lambda: lab.page_views("http://127.0.0.1:1"), lambda: lab.supply_check("http://127.0.0.1:1", []),
    lambda: lab.simulate_day(10, mix={"reader": float("nan")}),
])
def test_helpers_say_when_the_server_is_not_there(call):
    with pytest.raises(Problem, match="ad server|mix"):
        call()
