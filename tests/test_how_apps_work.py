"""Module how-apps-work: what a learner sees from the loyalty demos and checks."""

import json
import time

import pytest

from martech.client import fetch
from martech.modules import how_apps_work as lab
from martech.problems import Problem
from martech.servers import demo_server

READ, WRITE = "read-key-123", "write-key-456"


@pytest.fixture
def site():
    with demo_server("loyalty", rate_limit=50) as running:
        yield running


def test_the_app_shell_and_its_manifest_meet_the_install_criteria(site):
    manifest = json.loads(fetch(site.url + "/manifest.webmanifest").text)
    assert manifest["display"] in ("standalone", "fullscreen", "minimal-ui") and manifest["start_url"]
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        answer = fetch(site.url + icon["src"])
        assert answer.status == 200 and answer.body.startswith(b"\x89PNG")
    assert 'rel="manifest"' in fetch(site.url + "/").text
    assert "serviceWorker.register" in fetch(site.url + "/app.js").text


def test_keys_scopes_and_versions(site):
    assert lab.call(site, "/v1/members").status == 401
    assert lab.call(site, "/v1/members", key="guess").status == 401
    assert lab.call(site, "/v1/members/M-0001/points", key=READ, method="POST", data={"add": 5}).status == 403
    v1 = lab.answer(lab.call(site, "/v1/members", key=READ))
    assert len(v1["data"]) == 10 and v1["next"] == "/v1/members?page=2&per_page=10"
    v2 = lab.answer(lab.call(site, "/v2/members", key=READ))
    assert "points" not in v2["data"][0] and "points" in v2["data"][0]["balance"]
    assert lab.call(site, "/v1/members?page=abc", key=READ).status == 400


def test_rate_limit_answers_429_with_retry_after():
    with demo_server("loyalty", rate_limit=2, window=5) as api:
        statuses = [lab.call(api, "/v1/members", key=READ) for _ in range(3)]
    assert [r.status for r in statuses] == [200, 200, 429]
    assert 1 <= int(statuses[2].header("Retry-After")) <= 5


def test_webhooks_are_signed_and_forgeries_refused(site):
    with demo_server("loyalty-webhooks", secret="whsec-green-basket") as crm:
        assert lab.call(site, "/v1/webhooks", key=WRITE, method="POST",
                        data={"url": crm.url + "/hook", "secret": "whsec-green-basket"}).status == 201
        assert lab.call(site, "/v1/webhooks", key=WRITE, method="POST",
                        data={"url": "http://example.com/hook", "secret": "whsec-green-basket"}).status == 400
        lab.call(site, "/v1/members/M-0003/points", key=WRITE, method="POST", data={"add": 10})
        fake = fetch(crm.url + "/hook", "POST", {"X-Loyalty-Signature": "sha256=00"}, '{"event": "x"}')
        received = json.loads(fetch(crm.url + "/received.json").text)
    assert fake.status == 401
    assert [e["valid"] for e in received] == [True, False] and received[0]["member"] == "M-0003"


def test_the_sdk_sends_the_same_request_and_reports_the_device(site):
    sdk = lab.LoyaltySDK(site, api_key=READ)
    assert len(sdk.members()) == 10
    assert sdk.sent[-1].request_text.startswith("GET /v1/members?page=1 HTTP/1.1")
    assert "Authorization: Bearer read-key-123" in sdk.sent[-1].request_text
    assert json.loads(fetch(site.url + "/sdk/telemetry").text)["received"][0]["device"]
    with pytest.raises(Problem, match="page must be a whole number"):
        sdk.members(page="two")


@pytest.mark.parametrize("association, android, ios", [
    ("ok", True, True), ("wrong-fingerprint", False, True), ("wrong-package", False, True),
    ("wrong-path", True, False), ("missing", False, False)])
def test_deep_link_check_finds_each_broken_file(association, android, ios):
    with demo_server("loyalty", association=association) as server:
        report = lab.check_deep_link(server)
    assert report.opens_app == {"Android": android, "iOS": ios}
    assert ("✘" in repr(report)) == (association != "ok")


@pytest.mark.parametrize("odd", [None, 3, "ftp://x", "/v1/members"])
def test_helpers_answer_bad_input_in_words(odd):
    with pytest.raises(Problem):
        lab.call(odd, "/v1/members")
    with pytest.raises(Problem):
        lab.check_deep_link(odd)


def test_bad_api_input_gets_json_errors_not_tracebacks(site):
    for body in (b"not json", b"[1]", b'{"add": "lots"}', b'{"add": true}'):
        answer = fetch(site.url + "/v1/members/M-0001/points", "POST", {"Authorization": f"Bearer {WRITE}"}, body)
        assert answer.status == 400 and "error" in json.loads(answer.text)
    assert fetch(site.url + "/sdk/telemetry", "POST", {}, b"{{").status == 400


def test_all_members_check_counts_429s_and_ignored_waits():
    with demo_server("loyalty", rate_limit=2, window=1) as api:
        members, path = [], "/v1/members"
        while path:   # ignores Retry-After: asks again at once
            response = lab.call(api, path, key=READ)
            if response.status == 429:
                continue
            page = lab.answer(response)
            members += page["data"]
            path = page["next"]
        verdict = lab.all_members(members, api)
    assert not verdict.passed and "before the wait" in verdict.message


def test_all_members_check_passes_a_patient_loop_and_spots_a_short_list():
    with demo_server("loyalty", rate_limit=2, window=1) as api:
        first = lab.answer(lab.call(api, "/v1/members", key=READ))["data"]
        short = lab.all_members(first, api)
        members, path = [], "/v1/members"
        while path:
            response = lab.call(api, path, key=READ)
            if response.status == 429:
                time.sleep(int(response.header("Retry-After")))
                continue
            page = lab.answer(response)
            members += page["data"]
            path = page["next"]
        verdict = lab.all_members(members, api)
    assert not short.passed and "missing" in short.message
    assert verdict.passed, verdict.message


def test_choice_checks_explain_the_trade_off():
    assert lab.poster_campaign("b").passed and "store" in lab.poster_campaign("a").message
    assert "Home Screen" in lab.iphone_reminders("c").message
    assert "service worker" in lab.basement_balance("b").message.lower()
    assert "package_name" in lab.broken_deep_link("c").message
    assert "one letter" in lab.home_screen_widget("native").message
