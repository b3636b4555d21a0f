"""The teaching client: it shows what travels, and failures read as sentences."""

from martech.client import FailedFetch, fetch
from martech.servers import demo_server


def test_fragment_is_never_sent_and_host_names_the_site():
    with demo_server("web") as site:
        response = fetch(f"http://shop.example:{site.port}/spring-sale#sizes", resolve={"shop.example": "127.0.0.1"})
    assert response.request_text.startswith("GET /spring-sale HTTP/1.1\r\n")
    assert f"Host: shop.example:{site.port}" in response.request_text
    assert response.status == 200 and "Spring sale" in response.text


def test_following_a_redirect_keeps_the_hops():
    with demo_server("web") as site:
        response = fetch(site.url + "/old-campaign", follow_redirects=True)
    assert [hop.status for hop in response.history] == [301]
    assert response.status == 200 and "302" not in repr(response)


def test_failures_are_sentences_not_tracebacks():
    refused = fetch("http://127.0.0.1:9/")
    assert isinstance(refused, FailedFetch) and "Nothing is listening" in repr(refused)
    assert "must start with http://" in repr(fetch("shop.example/page"))
    assert "port" in repr(fetch("http://127.0.0.1:99999/"))
    assert "text in quotes" in repr(fetch(404))


def test_self_signed_certificate_is_refused_like_a_browser_would():
    with demo_server("https") as secure:
        response = fetch(secure.url + "/")
    assert isinstance(response, FailedFetch) and "self-signed" in response.reason


def test_a_header_the_caller_gives_replaces_the_default():
    with demo_server("web") as server:
        sent = fetch(server.url + "/headers", headers={"user-agent": "Mia's phone"}).text
    assert "Mia&#39;s phone" in sent or "Mia's phone" in sent
    assert "martech" not in sent.lower().split("user-agent")[1][:60]
