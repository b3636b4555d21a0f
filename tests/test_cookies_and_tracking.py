"""Module "cookies-and-tracking": the consent choice governs who gets data, and the checks agree with the lesson."""

import pytest

from martech.client import fetch
from martech.modules import cookies_and_tracking as lab
from martech.servers import demo_server


@pytest.fixture()
def sites():
    running = demo_server("cookies")
    yield running
    running.stop()


def _page_view(sites, choice: str | None, page: str = "/article/rail-strike"):
    """What stats.js sends to news.example's /collect, with the visitor's consent cookie (if any)."""
    headers = {"Cookie": f"consent={choice}"} if choice else {}
    response = fetch(f"http://news.example:{sites.port}/collect?page={page}&id=stats-9", headers=headers,
                     resolve={"news.example": "127.0.0.1"})
    assert response.status == 200


def _adtech_got(sites) -> list[str]:
    """The 'Sent by publishers' servers' lines of adtech's /profiles, as the notebook prints them."""
    report = fetch(sites.url + "/profiles").text
    return [line for line in report.split("(server-side tagging):", 1)[1].splitlines() if "from " in line]


@pytest.mark.parametrize("choice", ["analytics", "none", None])
def test_no_yes_to_ads_means_nothing_reaches_the_ad_partner(sites, choice):
    _page_view(sites, choice)
    assert _adtech_got(sites) == []


def test_accept_all_lets_the_tagging_server_forward_the_page_view(sites):
    _page_view(sites, "all")
    assert _adtech_got(sites) == ["  from news.example: /article/rail-strike (their visitor stats-9)"]


def test_the_publisher_keeps_analytics_only_after_a_yes_to_analytics_and_says_who_else_got_it(sites):
    for choice in (None, "none", "analytics", "all"):
        _page_view(sites, choice, page=f"/{choice}")
    report = fetch(f"http://news.example:{sites.port}/collected", resolve={"news.example": "127.0.0.1"}).text
    assert "/None" not in report and "/none" not in report
    assert "/analytics" in report and "not sent to adtech (no yes to ads)" in report
    assert "/all" in report and "also sent to adtech" in report


def test_a_host_only_cookie_of_img_shop_example_is_not_readable_on_www_shop_example():
    assert lab.readable_by_scripts("BD").passed
    verdict = lab.readable_by_scripts("BDE")
    assert not verdict.passed and "host-only" in verdict.message and "img.shop.example" in verdict.message


def test_cross_site_feedback_agrees_with_the_lax_rule():
    verdict = lab.sent_cross_site("CEF")
    assert verdict.passed
    assert "only SameSite=None cookies travel with requests that another site's page starts" not in verdict.message
    assert "images, scripts and frames" in verdict.message and "link" in verdict.message
    assert "Lax cookies along (A, D)" in verdict.message and "Strict ones (B)" in verdict.message
    lax_hint = lab.sent_cross_site("ACEF").message
    assert "follows a link" in lax_hint and "posts" in lax_hint
