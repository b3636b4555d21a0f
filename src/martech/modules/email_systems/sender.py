"""The sending side: real messages built with Python's email package, signed with DKIM, sent over SMTP.

A case (served/sandbox.json) says who sends what to whom: the ESP and the address it sends from,
the envelope sender, the DKIM key, and whether a forwarder relays it on. The sender looks up the
recipient domain's MX in the sandbox's DNS and talks SMTP to that server. Each message has a
fixed Date and Message-ID, and its DKIM t= is that Date, so that the same case gives the same bytes.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import hashlib
import hmac
import re
import smtplib
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import dkim

from martech.modules.email_systems import zone
from martech.served import Served

files = Served(__file__)
WRITTEN = "Tue, 03 Mar 2026 09:00:00 +0000"
SIGNED_AT = int(email.utils.parsedate_to_datetime(WRITTEN).timestamp())
FORWARDED = "Tue, 03 Mar 2026 09:00:02 +0000"
# The header fields each signature covers (RFC 6376 section 5.4), when the message has them.
SIGNED_FIELDS = ("From", "To", "Subject", "Date", "Message-ID", "List-Id", "List-Unsubscribe",
                 "List-Unsubscribe-Post", "MIME-Version", "Content-Type")
TOKEN_KEY = b"sandbox-links"     # makes each reader's link token; a real ESP keeps its own secret
PROXY_HELO = "proxy.sandbox.invalid"


def token(*parts) -> str:
    return hmac.new(TOKEN_KEY, ":".join(map(str, parts)).lower().encode(), hashlib.sha256).hexdigest()[:12]


class _SignedAt(dkim.DKIM):
    """dkimpy stamps t= with the clock; this signer stamps it with the message's own Date."""

    def gen_header(self, fields, *args, **kwargs):
        fields = [(k, str(SIGNED_AT).encode()) if k == b"t" else (k, v) for k, v in fields]
        return super().gen_header(fields, *args, **kwargs)


def sign(data: bytes, domain: str, selector: str, key_file: str) -> bytes:
    present = {name.lower() for name in email.message_from_bytes(data).keys()}
    signer = _SignedAt(data, linesep=b"\r\n")
    header = signer.sign(selector.encode(), domain.encode(), files.bytes(f"keys/{key_file}"),
                         include_headers=[f.lower().encode() for f in SIGNED_FIELDS if f.lower() in present],
                         canonicalize=(b"relaxed", b"relaxed"))
    return header + data


def build(config: dict, name: str, case: dict, written_to: str, tokens: dict, serial: int = 0) -> bytes:
    """The message of ``case`` as its sender writes it to ``written_to``, as bytes with CRLF."""
    company_key = case["company"]
    company = config["companies"][company_key]
    message = EmailMessage()
    message["From"] = case.get("from", company["from"])
    message["To"] = written_to
    message["Subject"] = case.get("subject", company["subject"])
    message["Date"] = WRITTEN
    message["Message-ID"] = f"<{name}.{written_to.partition('@')[0]}@{company['domain']}>"
    values = {"company": company["name"], "offer": company["offer"], "domain": company["domain"]}
    if case["template"] == "newsletter":
        # One token per message sent: it ties each open, click and unsubscribe to one reader and one send.
        code = token(company_key, written_to, serial)
        tokens[code] = {"company": company_key, "address": written_to.lower(), "serial": serial}
        host = company["links"]
        values.update(links=[f"https://{host}/c/{code}/{n}" for n in range(len(company["destinations"]))],
                      pixel=f"https://{host}/o/{code}.gif", unsubscribe=f"https://{host}/unsubscribe/{code}")
        message["List-Id"] = f"{company['name']} <{company['list']}>"
        if case.get("unsubscribe") == "login":
            values["unsubscribe"] = f"https://{host}/account/login?next=/preferences"
            message["List-Unsubscribe"] = f"<{values['unsubscribe']}>"
        else:
            message["List-Unsubscribe"] = f"<{values['unsubscribe']}>, <mailto:unsubscribe@{company['domain']}?subject={code}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(files.render("mail/newsletter.txt", **values))
        message.add_alternative(files.render("mail/newsletter.html", **values), subtype="html")
        message.set_boundary(f"=_{company_key}_{code}")
    else:
        message.set_content(files.render(f"mail/{case['template']}.txt", **values))
    data = message.as_bytes(policy=email.policy.SMTP)
    if "sign" in case:
        data = sign(data, case["sign"]["domain"], case["sign"]["selector"], case["sign"]["key"])
    return data


def forward(data: bytes, case: dict, config: dict) -> bytes:
    """What the forwarder passes on: a Received line of its own on top and, if it adds a
    footer, a changed body (as mailing lists and some gateways do)."""
    origin, relay = config["senders"][case["sender"]], config["senders"][case["via"]]
    hop = (f"Received: from {origin['helo']} ({origin['helo']} [{origin['ip']}])\r\n\tby {relay['helo']} "
           f"with ESMTP\r\n\tfor <{case['written_to']}>; {FORWARDED}\r\n").encode()
    if case.get("footer"):
        boundary = email.message_from_bytes(data).get_boundary().encode()
        marker = b"\r\n--" + boundary + b"\r\n"
        second = data.index(marker, data.index(marker) + 1)   # where the HTML part begins
        data = data[:second] + b"\r\n" + case["footer"].encode() + data[second:]
    return hop + data


# ── SMTP ──────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Delivery:
    """One message's trip: the SMTP conversation, the last reply, and what the receiver did."""

    case: str
    about: str
    sender: str
    mail_from: str
    rcpt: str
    transcript: list[str] = field(default_factory=list)
    code: int = 0
    reply: str = ""
    received: object = None
    dsn: bytes | None = None
    remote: str = ""              # the server that answered, once connected

    @property
    def verdict(self) -> str:
        if self.received is not None:
            return self.received.verdict
        if 400 <= self.code < 500:
            return "deferred"
        return "bounced"

    def conversation(self) -> str:
        return "\n".join(self.transcript)

    def __repr__(self) -> str:
        lines = [f"{self.case}: {self.about}", f"  from {self.sender}, envelope <{self.mail_from}>, to <{self.rcpt}>",
                 f"  last reply: {self.code} {self.reply}"]
        if self.received is not None:
            lines += ["  " + line for line in repr(self.received).splitlines()]
        elif self.verdict == "deferred":
            lines.append("  → deferred: a 4xx reply means try again later. The ESP keeps the message and retries "
                         "(RFC 5321 asks for at least 30 minutes between tries, and 4 to 5 days before giving up).")
        else:
            lines.append("  → bounced: a 5xx reply is permanent. The ESP returns a bounce report (a DSN, RFC 3464) "
                         "to the envelope sender and should stop mailing this address.")
        return "\n".join(lines)


def _reply_lines(code: int, text: bytes | str) -> list[str]:
    parts = (text.decode("utf-8", "replace") if isinstance(text, bytes) else text).split("\n") or [""]
    return [f"S: {code}{'-' if n < len(parts) - 1 else ' '}{part}" for n, part in enumerate(parts)]


def transmit(box, delivery: Delivery, ip: str, helo: str, data: bytes) -> None:
    """Send ``data`` as the client at ``ip`` would, recording every command and reply."""
    log = delivery.transcript
    domain = delivery.rcpt.rpartition("@")[2]
    exchanges = sorted(zone.query(box.dns_port, domain, "MX"), key=lambda mx: mx.preference)
    if not exchanges:
        delivery.code, delivery.reply = 550, f"5.1.2 {domain} has no MX record: no server takes its mail"
        log.append(f"DNS: {domain} has no MX record, so there is nowhere to deliver")
        return
    host = exchanges[0].exchange.to_text(True)
    addresses = [a.address for a in zone.query(box.dns_port, host, "A")]
    log.append(f"DNS: MX {domain} → {host}; A {host} → {', '.join(addresses)}")
    log.append(f"     (a real sender connects to port 25; the sandbox's SMTP server listens on port {box.smtp_port})")
    client = smtplib.SMTP(timeout=5)
    try:
        code, text = client.connect(addresses[0], box.smtp_port)
        delivery.remote = host
        log += _reply_lines(code, text)
        steps = [("EHLO " + PROXY_HELO, lambda: client.ehlo(PROXY_HELO)),
                 (f"XCLIENT ADDR={ip} HELO={helo}", lambda: client.docmd("XCLIENT", f"ADDR={ip} HELO={helo}")),
                 ("EHLO " + helo, lambda: _fresh_ehlo(client, helo)),
                 (f"MAIL FROM:<{delivery.mail_from}>", lambda: client.mail(delivery.mail_from)),
                 (f"RCPT TO:<{delivery.rcpt}>", lambda: client.rcpt(delivery.rcpt))]
        for command, step in steps:
            log.append(f"C: {command}")
            code, text = step()
            log += _reply_lines(code, text)
            if code >= 400:
                break
        else:
            log.append("C: DATA")
            client.putcmd("data")
            code, text = client.getreply()
            log += _reply_lines(code, text)
            if code == 354:
                log.append(f"C: (the message, {len(data):,} bytes, then a line with a single dot)")
                # A line that starts with a dot gets a second one, so that it cannot end the message.
                client.send(re.sub(rb"(?m)^\.", b"..", data) + (b"" if data.endswith(b"\r\n") else b"\r\n") + b".\r\n")
                code, text = client.getreply()
                log += _reply_lines(code, text)
        delivery.code, delivery.reply = code, text.decode("utf-8", "replace").replace("\n", " ")
        log.append("C: QUIT")
        log += _reply_lines(*client.quit())
    except (OSError, smtplib.SMTPException) as error:
        delivery.code = delivery.code or 451
        delivery.reply = delivery.reply or f"4.4.1 the connection failed: {error}"
        log.append(f"(connection failed: {error})")
    finally:
        client.close()


def _fresh_ehlo(client: smtplib.SMTP, helo: str):
    """After XCLIENT the server greets afresh, so the client forgets the first EHLO's answer."""
    client.helo_resp = client.ehlo_resp = None
    client.esmtp_features, client.does_esmtp = {}, False
    return client.ehlo(helo)


def bounce_report(delivery: Delivery, reporter: str) -> bytes:
    """The DSN (RFC 3464) the sending ESP returns to the envelope sender after a permanent failure."""
    report = MIMEMultipart("report", report_type="delivery-status", boundary=f"=_dsn_{token('dsn', delivery.rcpt)}")
    report["From"] = f"Mail Delivery System <mailer-daemon@{reporter}>"
    report["To"] = delivery.mail_from
    report["Subject"] = "Undelivered Mail Returned to Sender"
    report["Date"] = WRITTEN
    report.attach(MIMEText(f"Your message to <{delivery.rcpt}> could not be delivered.\n"
                           f"The receiving server answered: {delivery.code} {delivery.reply}\n"))
    per_message, per_recipient = Message(), Message()
    per_message["Reporting-MTA"] = f"dns; {reporter}"
    per_message["Arrival-Date"] = WRITTEN
    per_recipient["Final-Recipient"] = f"rfc822; {delivery.rcpt}"
    per_recipient["Action"] = "failed"
    per_recipient["Status"] = delivery.reply.split()[0] if delivery.reply else "5.0.0"
    if delivery.remote:
        per_recipient["Remote-MTA"] = f"dns; {delivery.remote}"
    per_recipient["Diagnostic-Code"] = f"smtp; {delivery.code} {delivery.reply}"
    status = MIMEBase("message", "delivery-status")
    status.set_payload([per_message, per_recipient])
    report.attach(status)
    return report.as_bytes(policy=email.policy.SMTP)


def send_case(box, name: str, case: dict, rcpt: str) -> Delivery:
    config = box.config
    sender = config["senders"][case["via"] if "via" in case else case["sender"]]
    delivery = Delivery(name, case["about"], f"{sender['name']} ({sender['ip']})", case["mail_from"], rcpt)
    data = build(config, name, case, case.get("written_to", rcpt), box.tokens, next(box.serials))
    if "via" in case:
        data = forward(data, case, config)
    try:
        transmit(box, delivery, sender["ip"], sender["helo"], data)
    except socket.timeout:  # pragma: no cover - the receiver hung
        delivery.code, delivery.reply = 451, "4.4.2 the receiving server did not answer in time"
    delivery.received = box.filed(delivery)
    if delivery.verdict == "bounced":
        delivery.dsn = bounce_report(delivery, sender["helo"])
    return delivery
