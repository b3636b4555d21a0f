"""Module email-systems: the sandbox's verdicts come from real DNS, real SMTP and real DKIM, so they can be wrong."""

import smtplib
import socket

import dkim
import dns.flags
import dns.message
import dns.query
import pytest
import spf

from martech.client import fetch
from martech.modules import email_systems as lab
from martech.modules.email_systems import policy, zone
from martech.problems import Problem
from martech.servers import demo_server

CROWDED = ("v=spf1 a mx include:_spf.postbird.example include:_spf.crmcloud.example "
           "include:_spf.sendwell.example -all")


@pytest.fixture
def sandbox():
    with demo_server("email-sandbox") as running:
        yield running


def results(delivery):
    return {method: r.result for method, r in delivery.received.results.items()}


def test_the_right_newsletter_passes_every_check_and_says_so_in_its_header(sandbox):
    delivery = lab.send(sandbox, "newsletter")
    assert delivery.code == 250 and delivery.received.verdict == "inbox"
    assert results(delivery) == {"spf": "pass", "dkim": "pass", "dmarc": "pass", "iprev": "pass"}
    header = delivery.received.header("Authentication-Results")
    assert header.startswith("mx.inbox.example;") and "header.d=harbourbooks.example" in header
    assert "C: XCLIENT ADDR=192.0.2.25" in delivery.conversation() and "S: 250 2.1.5 OK" in delivery.conversation()


def test_the_signature_is_real_dkim_that_dkimpy_verifies_against_the_sandbox_dns(sandbox):
    box = sandbox.server.sandbox
    raw = lab.send(sandbox, "newsletter").received.raw
    lookup = lambda name, timeout=5: zone.txt(box.dns_port, name.decode().rstrip("."))[0].encode()
    assert dkim.verify(raw, dnsfunc=lookup)
    assert not dkim.verify(raw.replace(b"Twenty per cent", b"Thirty per cent"), dnsfunc=lookup)


def test_the_same_case_gives_the_same_bytes():
    first, second = (demo_server("email-sandbox") for _ in range(2))
    try:
        raws = [lab.send(s, "newsletter").received.raw.split(b"DKIM-Signature", 1)[1] for s in (first, second)]
    finally:
        first.stop()
        second.stop()
    assert raws[0] == raws[1] and b"t=1772528400" in raws[0]


def test_forwarding_breaks_spf_but_dkim_survives_and_dmarc_passes(sandbox):
    delivery = lab.send(sandbox, "forwarded")
    assert results(delivery) == {"spf": "fail", "dkim": "pass", "dmarc": "pass", "iprev": "pass"}
    assert delivery.received.verdict == "inbox" and delivery.received.client == "198.51.100.20"


def test_a_changed_body_breaks_dkim(sandbox):
    delivery = lab.send(sandbox, "altered")
    assert results(delivery)["dkim"] == "fail" and results(delivery)["dmarc"] == "fail"
    assert "body hash did not verify" in delivery.received.results["dkim"].why
    assert delivery.received.verdict == "spam"


def test_a_new_esp_fails_alignment_until_the_dns_edit_and_the_next_message_passes(sandbox):
    before = lab.send(sandbox, "new-esp")
    assert results(before)["spf"] == "fail" and results(before)["dkim"] == "pass"
    assert before.received.results["dkim"].props["header.d"] == "sendwell.example"
    assert results(before)["dmarc"] == "fail" and before.received.verdict == "spam"
    lab.publish(sandbox, "harbourbooks.example", "v=spf1 include:_spf.postbird.example include:_spf.sendwell.example -all")
    after = lab.send(sandbox, "new-esp")
    assert results(after)["spf"] == "pass" and results(after)["dmarc"] == "pass" and after.received.verdict == "inbox"


def test_the_spoof_follows_the_policy_of_the_moment(sandbox):
    verdicts = [lab.send(sandbox, "spoof").verdict]
    for step in ("quarantine", "reject"):
        lab.publish(sandbox, "_dmarc.harbourbooks.example", f"v=DMARC1; p={step}")
        verdicts.append(lab.send(sandbox, "spoof"))
    assert verdicts[0] == "inbox" and verdicts[1].verdict == "spam"
    assert verdicts[2].verdict == "rejected" and verdicts[2].code == 550 and verdicts[2].reply.startswith("5.7.1")
    assert lab.send(sandbox, "newsletter").verdict == "inbox"


def test_a_record_without_p_counts_as_none_when_it_asks_for_reports_and_is_ignored_when_not(sandbox):
    """RFC 9989 (and RFC 7489, section 6.6.3): no p= but a rua= address reads as p=none."""
    lab.publish(sandbox, "_dmarc.harbourbooks.example", "v=DMARC1; rua=mailto:dmarc@harbourbooks.example")
    spoof = lab.send(sandbox, "spoof")
    assert results(spoof)["dmarc"] == "fail" and spoof.verdict == "inbox"
    assert spoof.received.results["dmarc"].props["polrec.p"] == "none"
    lab.publish(sandbox, "_dmarc.harbourbooks.example", "v=DMARC1; adkim=r")
    assert results(lab.send(sandbox, "spoof"))["dmarc"] == "permerror"


def test_more_than_ten_lookups_is_a_permerror_for_mail_that_needs_them(sandbox):
    box = sandbox.server.sandbox
    assert lab.spf_lookups(sandbox, "harbourbooks.example", CROWDED).total == 12
    lab.publish(sandbox, "harbourbooks.example", CROWDED)
    with zone.sandbox_dns(box.dns_port):
        assert spf.check2(i="203.0.113.10", s="bounces@harbourbooks.example", h="out.sendwell.example")[0] == "permerror"
        assert spf.check2(i="192.0.2.25", s="bounces@harbourbooks.example", h="mail.postbird.example")[0] == "pass"
    assert results(lab.send(sandbox, "new-esp"))["spf"] == "permerror"


def test_the_receiver_judges_the_tcp_address_when_no_trusted_proxy_speaks(sandbox):
    box = sandbox.server.sandbox
    with smtplib.SMTP("127.0.0.1", box.smtp_port, timeout=5) as client:
        client.ehlo("mail.postbird.example")
        assert client.docmd("XCLIENT", "ADDR=not-an-address")[0] == 501
        client.sendmail("bounces@harbourbooks.example", ["ana@inbox.example"],
                        b"From: news@harbourbooks.example\r\nSubject: hi\r\n\r\nhello\r\n")
    received = box.messages[-1]
    assert received.client == "127.0.0.1" and received.results["spf"].result == "fail"


def test_hard_and_soft_bounces_answer_as_smtp_does(sandbox):
    hard, soft = lab.send(sandbox, "newsletter", to=["nobody@inbox.example", "full@inbox.example"])
    assert (hard.code, hard.reply.split()[0], hard.verdict) == (550, "5.1.1", "bounced")
    assert b"Action: failed" in hard.dsn and b"Status: 5.1.1" in hard.dsn and b"report-type=\"delivery-status\"" in hard.dsn
    assert (soft.code, soft.reply.split()[0], soft.verdict, soft.dsn) == (452, "4.2.2", "deferred", None)


def test_one_click_unsubscribes_without_login_and_a_login_wall_does_not(sandbox):
    first = lab.send(sandbox, "newsletter")
    code = first.received.header("List-Unsubscribe").split("/unsubscribe/")[1][:12]
    assert fetch(f"{sandbox.url}/unsubscribe/{code}").status == 200       # a GET changes nothing
    assert lab.send(sandbox, "newsletter").received is not None
    done = lab.unsubscribe(sandbox, first.received.number)
    assert done.done and done.response.status == 200
    assert "not sent: unsubscribed" in repr(lab.send(sandbox, "newsletter"))
    walled = lab.send(sandbox, "login-unsubscribe", to="dev@inbox.example")
    refused = lab.unsubscribe(sandbox, walled.received.number)
    assert not refused.done and refused.response.status == 302 and walled.received.verdict == "spam"


def test_the_privacy_proxy_opens_before_anyone_reads_and_clicks_tell_the_truth(sandbox):
    campaign = lab.send(sandbox, "newsletter", to=lab.SUBSCRIBERS)
    counted = lab.campaign_stats(sandbox, campaign)
    assert (counted.delivered, counted.counted_opens, counted.proxy_only, counted.real_opens) == (6, 3, 3, 0)
    lab.read(sandbox, "ana@inbox.example")
    response = lab.click(sandbox, "ana@inbox.example")
    assert response.status == 302 and "utm_campaign=spring" in response.header("Location")
    after = lab.campaign_stats(sandbox, campaign)
    assert (after.counted_opens, after.real_opens, after.clicks) == (4, 1, 1)


def test_the_dns_server_is_real_and_long_answers_move_to_tcp(sandbox):
    port = sandbox.server.sandbox.dns_port
    long_value = "v=spf1 " + " ".join(f"ip4:192.0.2.{n}" for n in range(60)) + " -all"
    lab.publish(sandbox, "harbourbooks.example", long_value)
    question = dns.message.make_query("harbourbooks.example", "TXT")   # no EDNS: at most 512 bytes over UDP
    udp = dns.query.udp(question, "127.0.0.1", port=port, timeout=2)
    assert udp.flags & dns.flags.TC and not udp.answer
    tcp = dns.query.tcp(question, "127.0.0.1", port=port, timeout=2)
    assert b"".join(tcp.answer[0][0].strings).decode() == long_value and len(tcp.answer[0][0].strings) == -(-len(long_value) // 255)
    assert results(lab.send(sandbox, "newsletter"))["spf"] == "pass"     # pyspf asks again over TCP
    assert "NXDOMAIN" in lab.dig(sandbox, "nothing.harbourbooks.example")


def test_the_published_keys_are_the_public_halves_of_the_signing_keys(sandbox):
    box = sandbox.server.sandbox
    assert zone.txt(box.dns_port, "sw2026._domainkey.fernleaf.example") == []
    assert lab.dkim_dashboard().value.startswith("v=DKIM1; k=rsa; p=")
    lab.publish(sandbox, "sw2026._domainkey.fernleaf.example", lab.dkim_dashboard().value)
    assert results(lab.send(sandbox, "fernleaf-newsletter"))["dkim"] == "pass"


def test_the_companion_servers_stop_with_the_demo():
    with demo_server("email-sandbox") as running:
        box = running.server.sandbox
        assert any(f":{box.smtp_port}" in line for line in running.companions)
        ports = (box.dns_port, box.smtp_port)
    for port in ports:
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("call", [
    lambda s: lab.publish(s, "gmail.com", "v=spf1 -all"),
    lambda s: lab.publish(s, "harbourbooks.example", "v=spf1\n-all"),
    lambda s: lab.send(s, "no-such-case"),
    lambda s: lab.send(s, "newsletter", to="not an address"),
    lambda s: lab.message(s, 999),
    lambda s: lab.campaign_stats(s, "newsletter"),
    lambda s: lab.dig(s, 3),
    lambda s: lab.click(s, "nobody@example.net"),
    lambda s: lab.send("sandbox", "newsletter"),
])
def test_bad_input_gets_a_sentence(sandbox, call):
    with pytest.raises(Problem) as refused:
        call(sandbox)
    assert 20 < len(str(refused.value)) < 400 and "Traceback" not in str(refused.value)


@pytest.mark.parametrize("record, words", [
    ("v=spf1 inlcude:_spf.sendwell.example ~all", "did you mean include"),
    ("v=spf1 include: _spf.sendwell.example ~all", "no space"),
    ("v=spf1 a, mx ~all", "not commas"),
    ("v=spf1 include:_spf.crmcloud.example,include:_spf.helpdesk.example ~all", "not commas"),
    ("spf1 a ~all", "must start with v=spf1"),
])
def test_a_malformed_spf_record_gets_a_sentence(record, words):
    assert words in " ".join(policy.spf_problems(record)[0])


@pytest.mark.parametrize("record, words", [
    ("v=DMARC1, p=quarantine", "semicolons"),
    ("v=DMARC1; p=quarantined", "did you mean quarantine"),
    ("v=DMARC1; p=none; rua=dmarc@fernleaf.example", "mailto:"),
    ("v=DMARC1; rua=mailto:dmarc@fernleaf.example", "p= is missing"),
])
def test_a_malformed_dmarc_record_gets_a_sentence(record, words):
    assert words in " ".join(policy.read_dmarc(record).errors)


def test_the_exercise_checks_pass_only_when_the_mail_does(sandbox):
    lab.send(sandbox, "fernleaf-newsletter")
    assert lab.read_results("softfail", "permerror", "fail", sandbox).passed
    assert "softfail" in lab.read_results("fail", "permerror", "fail", sandbox).message
    over = lab.spf_record("v=spf1 a mx include:_spf.postbird.example include:_spf.crmcloud.example "
                          "include:_spf.helpdesk.example include:_spf.sendwell.example ~all", sandbox)
    assert not over.passed and "13 DNS lookups" in over.message
    no_shop = lab.spf_record("v=spf1 include:_spf.crmcloud.example include:_spf.helpdesk.example "
                             "include:_spf.sendwell.example ~all", sandbox)
    assert not no_shop.passed and "web shop" in no_shop.message
    assert lab.spf_record("v=spf1 a mx include:_spf.crmcloud.example include:_spf.helpdesk.example "
                          "include:_spf.sendwell.example ~all", sandbox).passed
    early = lab.dmarc_record("v=DMARC1; p=quarantine; rua=mailto:dmarc@fernleaf.example", sandbox)
    assert not early.passed and "tasks 2 and 3" in early.message
    wrong = lab.dkim_record("sw2026._domainkey.fernleaf.example", lab.dkim_dashboard().value[:-30], sandbox)
    assert not wrong.passed and "not a whole RSA public key" in wrong.message
    assert lab.dkim_record("sw2026._domainkey.fernleaf.example", lab.dkim_dashboard().value, sandbox).passed
    assert "p=reject" in lab.dmarc_record("v=DMARC1; p=reject; rua=mailto:dmarc@fernleaf.example", sandbox).message
    assert lab.dmarc_record("v=DMARC1; p=quarantine; rua=mailto:dmarc@fernleaf.example", sandbox).passed
    assert lab.remove_now("nobody@inbox.example").passed and "4xx" in lab.remove_now("full@inbox.example").message


def test_a_busy_dns_or_smtp_port_is_refused_in_words():
    from martech.servers import PortBusy

    with demo_server("email-sandbox") as first:
        taken = first.server.sandbox.smtp_port
        with pytest.raises(PortBusy, match=f"Port {taken} for the sandbox's SMTP server is already in use"):
            demo_server("email-sandbox", smtp_port=taken)
