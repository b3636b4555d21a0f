"""Module "caching": what a learner sees from the demo CDN when campaign links and CDN settings come in."""

import pytest

from martech.client import fetch
from martech.modules.caching import new_requests
from martech.servers import BadSetting, demo_server

LANDING = "max-age=0, s-maxage=60"  # the lesson's launch-day header: the CDN keeps the page a minute
CAMPAIGN_LINKS = ["/spring-sale?utm_source=newsletter&utm_medium=email", "/spring-sale?utm_source=facebook",
                  "/spring-sale?gclid=EAIaIQobChM", "/spring-sale?fbclid=IwAR0xyz"]


@pytest.fixture
def shop():
    with demo_server("caching", pages=LANDING) as origin:
        yield origin


def visits(cdn, addresses):
    return [fetch(cdn.url + address).header("X-Cache") for address in addresses]


def test_each_campaign_tag_is_a_cache_entry_of_its_own(shop):
    with demo_server("cdn", origin=shop.port) as cdn:
        assert visits(cdn, ["/spring-sale", "/spring-sale"]) == ["MISS", "HIT"]
        new_requests(shop)
        # The newsletter rush: every tagged link misses once, though the page is the same
        assert visits(cdn, CAMPAIGN_LINKS) == ["MISS"] * 4
        assert len(new_requests(shop)) == 4
        assert visits(cdn, CAMPAIGN_LINKS[:1]) == ["HIT"]


def test_a_purge_of_the_plain_address_leaves_the_tagged_copies(shop):
    with demo_server("cdn", origin=shop.port) as cdn:
        visits(cdn, ["/spring-sale", CAMPAIGN_LINKS[0]])
        assert "Purged /spring-sale" in fetch(cdn.url + "/spring-sale", method="PURGE").text
        assert visits(cdn, [CAMPAIGN_LINKS[0], "/spring-sale"]) == ["HIT", "MISS"]


def test_leaving_marketing_parameters_out_of_the_key_gives_hits(shop):
    with demo_server("cdn", origin=shop.port, ignore="utm_*,gclid,fbclid") as cdn:
        assert visits(cdn, ["/spring-sale", *CAMPAIGN_LINKS]) == ["MISS"] + ["HIT"] * 4
        assert len(new_requests(shop)) == 1
        # a parameter that changes the page stays in the key
        assert visits(cdn, ["/spring-sale?utm_source=newsletter&size=42"]) == ["MISS"]
        # and one purge now reaches every campaign link
        assert "Purged /spring-sale" in fetch(cdn.url + CAMPAIGN_LINKS[1], method="PURGE").text
        assert visits(cdn, [CAMPAIGN_LINKS[2]]) == ["MISS"]


def test_a_browser_cache_ttl_overrides_the_origins_shorter_max_age():
    with demo_server("caching", files="max-age=60") as origin:
        assert fetch(origin.url + "/img/banner.svg").header("Cache-Control") == "max-age=60"
        with demo_server("cdn", origin=origin.port) as respecting:
            assert fetch(respecting.url + "/img/banner.svg").header("Cache-Control") == "max-age=60"
        with demo_server("cdn", origin=origin.port, browser_ttl=14400) as overriding:
            first, second = (fetch(overriding.url + "/img/banner.svg") for _ in range(2))
            assert first.header("Cache-Control") == second.header("Cache-Control") == "max-age=14400"
            assert second.header("X-Cache") == "HIT"
            # a page the CDN may not keep is left alone
            assert fetch(overriding.url + "/account").header("Cache-Control") == "no-cache"
    with demo_server("caching", files="max-age=31536000") as origin, \
            demo_server("cdn", origin=origin.port, browser_ttl=14400) as cdn:
        assert fetch(cdn.url + "/img/logo.svg").header("Cache-Control") == "max-age=31536000"  # longer: kept


@pytest.mark.parametrize("ignore", ["utm source", "utm_*;gclid", "*", "a" * 60])
def test_a_bad_ignore_list_is_refused_in_plain_words(ignore):
    with pytest.raises(BadSetting, match="query parameter names separated by commas"):
        demo_server("cdn", ignore=ignore)
