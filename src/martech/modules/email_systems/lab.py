"""What the notebooks call: send a case, read what arrived, look up and change DNS records,
and watch opens, clicks and unsubscribes. Each takes the running sandbox first:

    sandbox = demo_server("email-sandbox")
    send(sandbox, "newsletter")
    publish(sandbox, "_dmarc.harbourbooks.example", "v=DMARC1; p=quarantine")

Each refuses what it cannot do with one sentence (martech.problems.Problem), never a traceback.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field

import dkim
from cryptography.hazmat.primitives import serialization

from martech.modules.email_systems import policy, sender, tracking, zone
from martech.problems import Problem, shown
from martech.served import Served

files = Served(__file__)
_CONFIG = json.loads(files.text("sandbox.json"))
CASES = {name: case["about"] for name, case in _CONFIG["cases"].items()}
MAILBOXES = sorted(_CONFIG["mailboxes"])
SUBSCRIBERS = _CONFIG["companies"]["harbourbooks"]["subscribers"]
COMPANIES = sorted(_CONFIG["companies"])

__all__ = ["CASES", "MAILBOXES", "SUBSCRIBERS", "send", "message", "inbox", "records", "publish", "dig",
           "spf_lookups", "read", "click", "unsubscribe", "campaign_stats", "dkim_dashboard"]


def sandbox_of(running):
    box = getattr(getattr(running, "server", None), "sandbox", None)
    if getattr(running, "name", None) != "email-sandbox" or box is None:
        raise Problem('Give the running sandbox first: sandbox = demo_server("email-sandbox"), '
                      f'then pass sandbox; you gave {shown(running)}.')
    if running not in _running_demos():
        raise Problem("That sandbox has been stopped: start a new one with demo_server(\"email-sandbox\").")
    return box


def _running_demos():
    from martech import servers

    return servers._running


@dataclass
class Sent:
    """Several deliveries of one case, one line each."""

    deliveries: list = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def __iter__(self):
        return iter(self.deliveries)

    def __len__(self) -> int:
        return len(self.deliveries)

    def __getitem__(self, index):
        return self.deliveries[index]

    def __repr__(self) -> str:
        lines = []
        for d in self.deliveries:
            where = f"message {d.received.number}" if d.received is not None else f"{d.code} {d.reply}"
            lines.append(f"{d.rcpt:24} {d.verdict:9} {where}")
        lines += [f"{line}" for line in self.skipped]
        return "\n".join(lines) or "Nothing was sent."


def send(running, case: str, to=None):
    """Send the message of ``case`` for real: build it, sign it, look up the MX and speak SMTP."""
    box = sandbox_of(running)
    if case not in box.config["cases"]:
        raise Problem(f"There is no case {shown(case)}. The cases are: {', '.join(box.config['cases'])}.")
    spec = box.config["cases"][case]
    recipients = [spec["to"]] if to is None else [to] if isinstance(to, str) else to
    if not isinstance(recipients, (list, tuple)) or not recipients or len(recipients) > 20 or \
            not all(isinstance(r, str) and r.count("@") == 1 and " " not in r.strip() for r in recipients):
        raise Problem(f"to= takes one email address in quotes, or a list of up to 20, such as "
                      f"[\"ana@inbox.example\", \"ben@inbox.example\"]; you gave {shown(to)}.")
    if "via" in spec and to is not None:
        raise Problem(f"The {case!r} case always goes to {spec['to']} through its forwarder: leave out to=.")
    sent = Sent()
    for rcpt in (r.strip() for r in recipients):
        how = box.suppressed(spec["company"], rcpt) if spec["template"] == "newsletter" else None
        if how:
            sent.skipped.append(f"{rcpt:24} not sent: unsubscribed ({how}); the ESP's suppression list keeps it off")
            continue
        sent.deliveries.append(sender.send_case(box, case, spec, rcpt))
    if len(sent.deliveries) == 1 and not sent.skipped:
        return sent.deliveries[0]
    return sent


def message(running, number):
    box = sandbox_of(running)
    if isinstance(number, bool) or not isinstance(number, int):
        raise Problem(f"Give the message's number, such as 1; you gave {shown(number)}.")
    found = box.message(number)
    if found is None:
        raise Problem(f"There is no message {number} yet: the sandbox has received {len(box.messages)}.")
    return found


@dataclass
class Inbox:
    rows: list[tuple]

    def __repr__(self) -> str:
        if not self.rows:
            return "No mail has arrived yet."
        return "\n".join(f"{n:3}  {box:24} {verdict:9} {subject}" for n, box, verdict, subject in self.rows)


def inbox(running) -> Inbox:
    box = sandbox_of(running)
    with box.lock:
        return Inbox([(m.number, m.mailbox, m.verdict, m.header("Subject") or "") for m in box.messages])


class Text(str):
    """Text that a notebook shows as it is, line by line."""

    def __repr__(self) -> str:
        return str(self)


def records(running, domain: str = "harbourbooks.example") -> Text:
    box = sandbox_of(running)
    if not isinstance(domain, str) or not domain.strip():
        raise Problem(f"Give a domain in quotes, such as \"harbourbooks.example\"; you gave {shown(domain)}.")
    lines = box.zone.lines(domain.strip())
    if not lines:
        raise Problem(f"The sandbox's DNS has no records for {shown(domain)}. Its companies are "
                      f"{' and '.join(zone.OWN_DOMAINS)}.")
    return Text("\n".join(lines))


@dataclass
class Published:
    name: str
    rtype: str
    value: str
    notes: list[str]

    def __repr__(self) -> str:
        lines = [f"Published {self.name} {self.rtype} \"{self.value}\"",
                 "The next message is judged by it: the sandbox's receiver asks the DNS server afresh each time."]
        return "\n".join(lines + [f"  ! {note}" for note in self.notes])


def lint(name: str, value: str) -> list[str]:
    """What a receiver will make of a TXT record at ``name``, in sentences: errors, then warnings."""
    if name.startswith("_dmarc."):
        record = policy.read_dmarc(value)
        return record.errors + record.warnings
    if "._domainkey." in name:
        try:
            dkim.evaluate_pk(name.encode(), value.encode())
        except Exception as error:
            return [f"Receivers cannot read this DKIM key ({error}): copy the whole value, p= included."]
        return []
    if value.lower().startswith("v=spf1") or value.lower().startswith("spf"):
        errors, warnings = policy.spf_problems(value)
        return errors + warnings
    return []


def publish(running, name: str, value: str, rtype: str = "TXT") -> Published:
    """Replace the records of ``rtype`` at ``name`` with ``value``, as a DNS host's panel does."""
    box = sandbox_of(running)
    if rtype not in zone.TYPES:
        raise Problem(f"The record type must be one of {', '.join(zone.TYPES)}; you gave {shown(rtype)}.")
    clean_name = zone.check_editable(name)
    clean_value = zone.check_value(value, rtype)
    box.zone.replace(clean_name, rtype, [clean_value])
    return Published(clean_name, rtype, clean_value, lint(clean_name, clean_value) if rtype == "TXT" else [])


def dig(running, name: str, rtype: str = "TXT") -> Text:
    """Ask the sandbox's DNS server, over the network, as the dig command does."""
    return Text(zone.dig(sandbox_of(running).dns_port, name, rtype))


def spf_lookups(running, domain: str = "harbourbooks.example", record: str | None = None) -> policy.Lookups:
    box = sandbox_of(running)
    if not isinstance(domain, str) or not domain.strip():
        raise Problem(f"Give a domain in quotes, such as \"fernleaf.example\"; you gave {shown(domain)}.")
    if record is not None and not isinstance(record, str):
        raise Problem(f"record= takes an SPF record in quotes, such as \"v=spf1 -all\"; you gave {shown(record)}.")
    return policy.count_lookups(box.dns_port, domain.strip().lower(), record)


def _mailbox(address) -> str:
    if not isinstance(address, str) or address.strip().lower() not in _CONFIG["mailboxes"]:
        raise Problem(f"Name one of the sandbox's mailboxes, such as \"ana@inbox.example\"; you gave {shown(address)}.")
    return address.strip().lower()


def read(running, mailbox: str) -> Text:
    """The reader of ``mailbox`` opens their newest newsletter, in their own mail app."""
    return Text(tracking.read(sandbox_of(running), _mailbox(mailbox)))


def click(running, mailbox: str, link: int = 0):
    """The reader of ``mailbox`` clicks link number ``link`` (0: the offer) in their newest newsletter."""
    box = sandbox_of(running)
    address = _mailbox(mailbox)
    if isinstance(link, bool) or not isinstance(link, int):
        raise Problem(f"link= is a number: 0 for the first link, 1 for the second; you gave {shown(link)}.")
    response = tracking.click(box, address, link)
    if response is None:
        raise Problem(f"{address} has no newsletter with a link number {link} (the newsletter has links 0 and 1).")
    return response


def unsubscribe(running, number):
    """What a mailbox provider does when the reader presses its Unsubscribe button on message ``number``."""
    return tracking.one_click(sandbox_of(running), message(running, number))


def campaign_stats(running, campaign) -> tracking.Stats:
    """Opens and clicks for the messages of ``campaign`` (what send() returned), as the ESP counts them."""
    box = sandbox_of(running)
    deliveries = [campaign] if isinstance(campaign, sender.Delivery) else list(campaign) if isinstance(campaign, Sent) else None
    if deliveries is None:
        raise Problem("Give what send() returned for the campaign: campaign = send(sandbox, \"newsletter\", "
                      f"to=SUBSCRIBERS), then campaign_stats(sandbox, campaign); you gave {shown(campaign)}.")
    return tracking.stats(box, deliveries)


@dataclass
class Dashboard:
    """What Sendwell's settings page shows a customer who wants to sign with their own domain."""

    domain: str
    selector: str
    value: str

    def __repr__(self) -> str:
        return "\n".join([f"Sendwell › Settings › Authentication › {self.domain}",
                          f"  DKIM selector:  {self.selector}",
                          "  Record type:    TXT",
                          f"  Record value:   {self.value[:60]}… ({len(self.value)} characters: use .value)",
                          "  Status:         not found in DNS yet"])


def dkim_dashboard(domain: str = "fernleaf.example") -> Dashboard:
    """The public half of the key Sendwell signs Fernleaf's mail with: what Fernleaf must publish."""
    if domain != "fernleaf.example":
        raise Problem("In this sandbox, Sendwell signs with a customer's own domain only for fernleaf.example.")
    case = _CONFIG["cases"]["fernleaf-newsletter"]["sign"]
    key = serialization.load_pem_private_key(files.bytes(f"keys/{case['key']}"), password=None)
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return Dashboard(domain, case["selector"], "v=DKIM1; k=rsa; p=" + base64.b64encode(public).decode())
