"""The sandbox's memory: its DNS records, the mail it received, and what the ESP's tracking host counted.

One Sandbox lives on each running ``email-sandbox`` demo (``server.sandbox``); its DNS server,
its SMTP server and its HTTP pages all read and change the same one.
"""

from __future__ import annotations

import email
import email.policy
import itertools
import json
import threading

from martech.modules.email_systems import receiver, tracking, zone
from martech.modules.email_systems.receiver import Received
from martech.served import Served

files = Served(__file__)


class Sandbox:
    def __init__(self):
        self.config = json.loads(files.text("sandbox.json"))
        self.zone = zone.Zone()
        self.lock = threading.RLock()
        self.numbers = itertools.count(1)
        self.serials = itertools.count(1)
        self.messages: list[Received] = []
        self.deliveries: list = []
        self.refusals: list[str] = []
        self.errors: list[str] = []
        self.tokens: dict[str, dict] = {}
        self.unsubscribed: dict[str, dict[str, str]] = {}
        self.opens: list[dict] = []
        self.clicks: list[dict] = []
        self.reads: list[dict] = []
        self._just_filed: dict[tuple[str, str], Received] = {}
        self.dns_port = self.smtp_port = self.http_port = 0

    # ── What the SMTP server asks ──

    def recipient_status(self, address: str) -> str:
        """The reply to RCPT TO, with its enhanced status code (RFC 3463)."""
        domain = address.rpartition("@")[2].lower()
        mailbox = self.config["mailboxes"].get(address.lower())
        if domain != self.config["receiver"]["domain"]:
            status = f"554 5.7.1 <{address}>: Relay access denied: this server takes mail only for {self.config['receiver']['domain']}"
        elif mailbox is None:
            status = f"550 5.1.1 <{address}>: Recipient address rejected: no such mailbox here"
        elif mailbox.get("full"):
            status = f"452 4.2.2 <{address}>: Mailbox full, try again later"
        else:
            return "250 2.1.5 OK"
        with self.lock:
            self.refusals.append(status)
        return status

    def receive(self, ip: str, name: str | None, helo: str, mail_from: str, rcpt: str, data: bytes) -> Received:
        port = self.dns_port
        message = email.message_from_bytes(data, policy=email.policy.default)
        results = {"spf": receiver.check_spf(port, ip, mail_from, helo)}
        results["dkim"], covered = receiver.check_dkim(port, data)
        results["dmarc"], record = receiver.check_dmarc(port, receiver.author_domain(message), results["spf"], results["dkim"])
        results["iprev"] = receiver.check_iprev(port, ip)
        verdict, reasons, refusal = receiver.decide(results, record, message, covered)
        with self.lock:
            number = next(self.numbers)
        checked_name = results["iprev"].why if results["iprev"].result == "pass" else name
        raw = receiver.stamp(number, ip, checked_name, helo, mail_from, rcpt, results) + data
        filed = Received(number, rcpt.lower(), verdict, reasons, raw, results, ip,
                         refusal or f"250 2.0.0 OK: queued as {number}", covered)
        with self.lock:
            self.messages.append(filed)
            self._just_filed[(rcpt.lower(), mail_from.lower())] = filed
        if verdict == "inbox" and self.config["mailboxes"].get(rcpt.lower(), {}).get("privacy_protection"):
            tracking.privacy_prefetch(self, filed)
        return filed

    # ── What the sending side asks ──

    def filed(self, delivery) -> Received | None:
        """What the receiver did with the message just sent (None if it never got past RCPT)."""
        with self.lock:
            self.deliveries.append(delivery)
            if delivery.code >= 400 and not delivery.reply.startswith("5.7.1 Rejected"):
                return None
            return self._just_filed.pop((delivery.rcpt.lower(), delivery.mail_from.lower()), None)

    def suppressed(self, company: str, address: str) -> str | None:
        with self.lock:
            return self.unsubscribed.get(company, {}).get(address.lower())

    def message(self, number: int) -> Received | None:
        with self.lock:
            return next((m for m in self.messages if m.number == number), None)
