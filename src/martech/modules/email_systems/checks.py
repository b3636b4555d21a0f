"""The exercise checks of module "email-systems": each returns a sentence, or raises NotYet with a hint.

The DNS checks publish the learner's record in the running sandbox, send real messages through
it, and read what its receiver decided, so a check can only pass if the mail really does.
"""

from __future__ import annotations

from martech.checks import NotYet, as_text, task
from martech.modules.email_systems import lab, policy
from martech.modules.email_systems.zone import check_editable, check_value
from martech.problems import Problem

DOMAIN = "fernleaf.example"
KEY_NAME = "sw2026._domainkey.fernleaf.example"
# Who sends mail as Fernleaf, and which part of its SPF record lets each one pass.
SENDERS = {"fernleaf-newsletter": ("Sendwell, the new ESP", "include:_spf.sendwell.example (Sendwell's own record)"),
           "fernleaf-crm": ("the CRM", "include:_spf.crmcloud.example"),
           "fernleaf-helpdesk": ("the help desk", "include:_spf.helpdesk.example"),
           "fernleaf-shop": ("the web shop", "a (the shop's server is fernleaf.example's own address)")}


def _sandbox(sandbox):
    try:
        return lab.sandbox_of(sandbox)
    except Problem as problem:
        raise NotYet(str(problem)[0].lower() + str(problem)[1:]) from None


def _send(sandbox, case: str):
    delivery = lab.send(sandbox, case)
    if delivery.received is None:
        raise NotYet(f"the sandbox could not deliver {case}: {delivery.code} {delivery.reply}")
    return delivery.received


def _publish(sandbox, name: str, value: str) -> None:
    try:
        lab.publish(sandbox, check_editable(name), check_value(value, "TXT"))
    except Problem as problem:
        raise NotYet(str(problem)) from None


@task
def read_results(spf, dkim, dmarc, sandbox):
    box = _sandbox(sandbox)
    with box.lock:
        sent = [m for m in box.messages if m.header("From") and DOMAIN in m.header("From") and m.header("List-Id")]
    if not sent:
        raise NotYet('send the newsletter first: first = check.send(sandbox, "fernleaf-newsletter").')
    results = sent[0].results
    hints = {
        "spf": f"read the clause spf=… again. Fernleaf's record does not list Sendwell's address and ends in ~all; "
               f"that gives {results['spf'].result}, a weaker answer than fail.",
        "dkim": f"read the clause dkim=… again. The receiver found no key at {KEY_NAME}, so it could not check the "
                f"signature at all: {results['dkim'].result}, not a plain fail.",
        "dmarc": "read the clause dmarc=… again: neither SPF nor DKIM passed for fernleaf.example, so DMARC cannot pass.",
    }
    for method, answer in (("spf", spf), ("dkim", dkim), ("dmarc", dmarc)):
        given = as_text(answer, f"the {method} result").lower().removeprefix(f"{method}=")
        if given != results[method].result:
            raise NotYet(hints[method])
    return (f"spf={results['spf'].result}, dkim={results['dkim'].result}, dmarc={results['dmarc'].result}. "
            "Each one says what to fix: SPF, the DKIM key, and then DMARC passes by itself.")


@task
def spf_record(record, sandbox):
    box = _sandbox(sandbox)
    text = as_text(record, "the SPF record").strip('"')
    errors, warnings = policy.spf_problems(text)
    if errors:
        raise NotYet(errors[0])
    loose = [w for w in warnings if "every server" in w or "no all" in w]
    if loose:
        raise NotYet(loose[0])
    _publish(sandbox, DOMAIN, text)
    lookups = policy.count_lookups(box.dns_port, DOMAIN)
    if lookups.total > policy.LOOKUP_LIMIT:
        heaviest = max(lookups.terms, key=lambda t: t[1])
        raise NotYet(f"this record needs {lookups.total} DNS lookups; SPF allows {policy.LOOKUP_LIMIT} (RFC 7208 "
                     f"section 4.6.4), so mail that needs the 11th gets permerror. The biggest is {heaviest[0]} with "
                     f"{heaviest[1]}: does Fernleaf still send through it? It moved its newsletter from Postbird to Sendwell.")
    for case, (who, part) in SENDERS.items():
        result = _send(sandbox, case).results["spf"]
        if result.result != "pass":
            raise NotYet(f"mail from {who} now gets spf={result.result} ({result.why}). The record needs {part}.")
    return (f"Sendwell, the CRM, the help desk and the shop all pass SPF, with {lookups.total} of "
            f"{policy.LOOKUP_LIMIT} lookups. Dropping the ESP Fernleaf left made room for the new one.")


@task
def dkim_record(name, value, sandbox):
    _sandbox(sandbox)
    where = as_text(name, "the record's name").lower().rstrip(".")
    key = as_text(value, "the record's value")
    if not where.endswith("." + DOMAIN):
        raise NotYet(f"the name is a whole DNS name that ends with {DOMAIN}: <s>._domainkey.<d>, with the "
                     "selector (s=) and the domain (d=) from the DKIM-Signature header, or from the dashboard.")
    _publish(sandbox, where, key)
    result = _send(sandbox, "fernleaf-newsletter").results["dkim"]
    if result.result == "pass":
        return (f"dkim=pass with header.d={DOMAIN}: the signature is Fernleaf's own and aligned, so DMARC can pass "
                "through DKIM even where a forwarder breaks SPF.")
    if where != KEY_NAME:
        raise NotYet(f"the receiver looks for the key at <s>._domainkey.<d>, with s= and d= from the DKIM-Signature "
                     f"header (the dashboard's selector and domain). Your record is at {where}, so it still finds "
                     f"nothing: dkim={result.result}.")
    if "cannot be read" in result.why:
        raise NotYet("the record is at the right name, but receivers cannot read the key in it: it is not a whole "
                     "RSA public key. Copy dashboard.value whole, from v=DKIM1 to the end.")
    raise NotYet(f"the record is at the right name, but dkim={result.result} ({result.why}). Publish the value "
                 "Sendwell's dashboard shows (dashboard.value): it is the public half of the key Sendwell signs with.")


@task
def dmarc_record(record, sandbox):
    _sandbox(sandbox)
    text = as_text(record, "the DMARC record").strip('"')
    read = policy.read_dmarc(text)
    if read.errors:
        raise NotYet(read.errors[0])
    chosen = read.policy.lower()
    if chosen == "none":
        raise NotYet("p=none asks receivers to do nothing with mail that fails: a spoofer's message still reaches "
                     "the inbox. The next step is p=quarantine.")
    if chosen == "reject":
        raise NotYet("p=reject makes receivers refuse failing mail for good, including any of your own senders you "
                     "missed. Step through p=quarantine first, and move on once the reports show nothing legitimate fails.")
    if not read.tags.get("rua", "").lower().startswith("mailto:"):
        raise NotYet(f"keep rua=mailto:dmarc@{DOMAIN}: the daily reports are how you see a legitimate sender that "
                     "fails, before its mail is lost in spam.")
    _publish(sandbox, f"_dmarc.{DOMAIN}", text)
    newsletter = _send(sandbox, "fernleaf-newsletter")
    if newsletter.verdict != "inbox":
        raise NotYet(f"with this record Fernleaf's own newsletter goes to {newsletter.verdict}: "
                     f"{newsletter.reasons[0]}. Fix SPF and DKIM first (tasks 2 and 3): quarantine is safe only "
                     "once your own mail passes.")
    crm = _send(sandbox, "fernleaf-crm")
    if crm.verdict != "inbox":
        raise NotYet(f"the CRM's mail now goes to {crm.verdict}: {crm.reasons[0]}. Check the SPF record of task 2.")
    spoof = _send(sandbox, "fernleaf-spoof")
    if spoof.verdict == "inbox":
        raise NotYet(f"the spoofed message still reaches the inbox: {spoof.reasons[0]}.")
    return (f"the newsletter and the CRM's mail reach the inbox, and the spoofed order message goes to "
            f"{spoof.verdict}. Keep reading the rua reports; p=reject is the next step.")


@task
def remove_now(address):
    given = as_text(address, "the address").lower()
    if given == "nobody@inbox.example":
        return ("550 5.1.1 is a hard bounce: the mailbox does not exist, and it never will. Keep mailing it and the "
                "providers count you as a sender with a dirty list.")
    if given == "full@inbox.example":
        raise NotYet("full@ got 452 4.2.2: a 4xx code is temporary (the mailbox is full). The ESP tries again; "
                     "remove an address like that only if it keeps failing for days.")
    if given == "ana@inbox.example":
        raise NotYet("ana@ got 250: the server took the message. Look for the reply that starts with a 5.")
    raise NotYet("answer with one of the three addresses you sent to: the one whose last reply starts with 5.")
