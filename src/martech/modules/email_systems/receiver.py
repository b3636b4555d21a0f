"""The receiving side: an SMTP server on 127.0.0.1 (aiosmtpd) that judges mail as a mailbox provider does.

For each message it checks SPF for the connecting address and envelope sender (pyspf), verifies
the DKIM signature (dkimpy), reads the From domain's DMARC record and checks alignment, looks up
reverse DNS, writes a real Authentication-Results header (RFC 8601), then files the message in
the inbox or in spam, or refuses it. Every lookup goes to the sandbox's own DNS server.

Every connection comes from 127.0.0.1. The sandbox's sending side therefore tells the server
which address it plays with XCLIENT, a command Postfix offers to trusted proxies for exactly
this; a real receiver sees the TCP address of whoever connects and trusts no such claim.
"""

from __future__ import annotations

import base64
import email
import email.policy
import email.utils
import hashlib
import ipaddress
import re
import socket
from dataclasses import dataclass, field
from datetime import datetime, timezone

import dkim
import spf
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, syntax
from dkim.canonicalization import CanonicalizationPolicy

from martech.modules.email_systems import policy, zone

RECEIVER = "mx.inbox.example"
TRUSTED_PROXY = "127.0.0.1"   # the only client allowed to use XCLIENT (Postfix: smtpd_authorized_xclient_hosts)


@dataclass
class Result:
    """One method's verdict, as one clause of Authentication-Results: method=result (why) property=value."""

    method: str
    result: str
    why: str = ""
    props: dict[str, str] = field(default_factory=dict)
    applied: str = ""             # DMARC only: the policy that applies to this From domain

    def clause(self) -> str:
        text = f"{self.method}={self.result}"
        if self.why:
            text += f" ({self.why})"
        return " ".join([text, *(f"{k}={v}" for k, v in self.props.items())])


@dataclass
class Received:
    """A message as the provider filed it: where it went, why, and its bytes with the headers added."""

    number: int
    mailbox: str
    verdict: str                  # inbox, spam or rejected
    reasons: list[str]
    raw: bytes
    results: dict[str, Result]
    client: str
    reply: str
    covered: set[str] = field(default_factory=set)   # the header fields a passing DKIM signature covers

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)

    def header(self, name: str) -> str | None:
        value = self.message[name]
        return None if value is None else str(value)

    @property
    def authentication_results(self) -> str:
        return self.raw.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace").split("Authentication-Results:", 1)[1] \
            .split("\r\nReceived:", 1)[0].replace("\r\n\t", "\n    ").strip()

    def headers(self) -> str:
        """The header block exactly as stored, unfolded one level for reading."""
        return self.raw.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace").replace("\r\n", "\n")

    def part(self, kind: str) -> str:
        body = self.message.get_body(preferencelist=(kind,))
        return body.get_content() if body is not None else ""

    def __repr__(self) -> str:
        where = {"inbox": "delivered to the inbox", "spam": "delivered to the spam folder",
                 "rejected": "refused during the SMTP conversation"}[self.verdict]
        lines = [f"Message {self.number} to {self.mailbox}: {where}"]
        lines += [f"  • {reason}" for reason in self.reasons]
        lines += ["Authentication-Results: " + self.authentication_results]
        return "\n".join(lines)


# ── The checks ────────────────────────────────────────────────────────────────────────────────


def check_spf(port: int, ip: str, mail_from: str, helo: str) -> Result:
    domain = (mail_from.rpartition("@")[2] if mail_from else helo).lower()
    with zone.sandbox_dns(port):
        query = spf.query(i=ip, s=mail_from or f"postmaster@{helo}", h=helo, receiver=RECEIVER, timeout=3)
        result, _, explanation = query.check()
    why = {"pass": f"{domain} lists {ip}", "fail": f"{domain} does not list {ip}, and ends in -all",
           "softfail": f"{domain} does not list {ip}, and ends in ~all", "neutral": f"{domain} neither lists nor refuses {ip}",
           "none": f"{domain} publishes no SPF record", "permerror": f"{domain}'s SPF record is broken: {explanation}",
           "temperror": f"a DNS lookup failed: {explanation}"}.get(result, explanation)
    return Result("spf", result, why, {"smtp.mailfrom": domain})


def check_dkim(port: int, data: bytes) -> tuple[Result, set[str]]:
    """The first DKIM signature's result, and the header fields it covers (empty unless it passes)."""
    verifier = dkim.DKIM(data, minkey=1024, timeout=3)
    signatures = [value for name, value in verifier.headers if name.lower() == b"dkim-signature"]
    if not signatures:
        return Result("dkim", "none", "the message is not signed"), set()
    try:
        tags = dkim.util.parse_tag_value(signatures[0])
        domain, selector = tags[b"d"].decode(), tags[b"s"].decode()
    except Exception:
        return Result("dkim", "neutral", "the DKIM-Signature header cannot be read"), set()
    props = {"header.d": domain, "header.s": selector, "header.b": re.sub(rb"\s", b"", tags.get(b"b", b""))[:8].decode()}
    key_name = f"{selector}._domainkey.{domain}"
    keys = zone.txt(port, key_name)
    if not keys:
        return Result("dkim", "permerror", f"no key for signature at {key_name}", props), set()
    try:
        bits = dkim.evaluate_pk(key_name.encode(), keys[0].encode())[1]
    except Exception:
        return Result("dkim", "permerror", f"the key at {key_name} cannot be read: it is not a whole RSA public key",
                      props), set()
    try:
        canonical = CanonicalizationPolicy.from_c_value(tags.get(b"c", b"simple/simple")).canonicalize_body(verifier.body)
    except Exception:
        return Result("dkim", "neutral", "the signature names a canonicalization this verifier does not know", props), set()
    if base64.b64encode(hashlib.sha256(canonical).digest()) != re.sub(rb"\s", b"", tags.get(b"bh", b"")):
        # RFC 6376 section 6.1.3 calls this "body hash did not verify".
        return Result("dkim", "fail", "body hash did not verify: the text changed after signing", props), set()
    lookup = lambda name, timeout=3: (zone.txt(port, name.decode().rstrip(".")) or [""])[0].encode() or None
    try:
        valid = verifier.verify(dnsfunc=lookup)
    except dkim.DKIMException as error:
        return Result("dkim", "permerror", str(error), props), set()
    if valid:
        covered = {h.strip().lower().decode() for h in tags[b"h"].split(b":")}
        return Result("dkim", "pass", f"{bits}-bit key", props), covered
    return Result("dkim", "fail", "signature did not verify: a signed header changed, or the key does not match", props), set()


def author_domain(message) -> str | None:
    """The domain of the one address in From (RFC 7489 section 6.6.1); None if there is not exactly one."""
    addresses = email.utils.getaddresses([str(v) for v in message.get_all("From", [])])
    if len(addresses) != 1 or "@" not in addresses[0][1]:
        return None
    return addresses[0][1].rpartition("@")[2].lower()


def check_dmarc(port: int, author: str | None, spf_result: Result, dkim_result: Result):
    if author is None:
        return Result("dmarc", "permerror", "the message needs exactly one From address"), None
    place, record = policy.find_dmarc(port, author)
    props = {"header.from": author}
    if record is None:
        return Result("dmarc", "none", f"{author} publishes no DMARC record", props), None
    applied = policy.as_receivers_read(record)
    if applied is None:
        return Result("dmarc", "permerror", f"the record at _dmarc.{place} cannot be used: {record.errors[0]}", props), None
    tags = applied.tags
    spf_ok = spf_result.result == "pass" and policy.aligned(spf_result.props.get("smtp.mailfrom"), author, tags.get("aspf", "r"))
    dkim_ok = dkim_result.result == "pass" and policy.aligned(dkim_result.props.get("header.d"), author, tags.get("adkim", "r"))
    requested = (tags.get("sp", tags["p"]) if place != author else tags["p"]).lower()
    props = {**props, "polrec.p": tags["p"].lower()}
    if spf_ok or dkim_ok:
        how = " and ".join(m for m, ok in (("SPF", spf_ok), ("DKIM", dkim_ok)) if ok)
        return Result("dmarc", "pass", f"{how} aligned with {author}", props, requested), record
    return Result("dmarc", "fail", f"neither SPF nor DKIM passed for {author} itself", props, requested), record


def check_iprev(port: int, ip: str) -> Result:
    try:
        reverse = ipaddress.ip_address(ip).reverse_pointer
    except ValueError:
        return Result("iprev", "permerror", "not an IP address", {"policy.iprev": ip})
    names = [answer.target.to_text(True) for answer in zone.query(port, reverse, "PTR")]
    for name in names:
        if ip in [answer.address for answer in zone.query(port, name, "A")]:
            return Result("iprev", "pass", name, {"policy.iprev": ip})
    why = f"{names[0]} does not point back to {ip}" if names else "no reverse DNS (PTR) name"
    return Result("iprev", "fail", why, {"policy.iprev": ip})


def one_click_problems(message, dkim_result: Result, covered: set[str]) -> list[str]:
    """What stops one-click unsubscribe (RFC 8058), in words; [] when it works."""
    found = []
    post = str(message.get("List-Unsubscribe-Post", "")).strip()
    links = re.findall(r"<(https://[^>]+)>", str(message.get("List-Unsubscribe", "")))
    if not message.get("List-Unsubscribe"):
        return ["there is no List-Unsubscribe header, so the provider has no unsubscribe to offer"]
    if post != "List-Unsubscribe=One-Click":
        found.append("there is no List-Unsubscribe-Post: List-Unsubscribe=One-Click header, so the provider "
                     "cannot unsubscribe the reader in one click (RFC 8058)")
    if not links:
        found.append("List-Unsubscribe has no https:// address to POST to (RFC 8058 section 3.1)")
    if dkim_result.result == "pass" and not {"list-unsubscribe", "list-unsubscribe-post"} <= covered:
        found.append("the DKIM signature does not cover List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 section 4)")
    elif dkim_result.result != "pass" and not found:
        found.append("one-click unsubscribe is trusted only under a DKIM signature that passes (RFC 8058 section 4)")
    return found


def decide(results: dict[str, Result], record, message, covered: set[str]) -> tuple[str, list[str], str | None]:
    """(inbox, spam or rejected; the reasons in words; the SMTP refusal, if any). The rules are a
    small model of the big providers' own: DMARC's policy first, then what they ask of bulk mail."""
    dmarc_result = results["dmarc"]
    author = dmarc_result.props.get("header.from", "the From domain")
    requested = dmarc_result.applied or "none"
    if dmarc_result.result == "fail" and requested == "reject":
        refusal = (f"550 5.7.1 Rejected: {author} asks receivers to refuse mail that fails DMARC (p=reject), "
                   "and this message failed it")
        return "rejected", [f"DMARC failed and {author}'s policy is p=reject: the server refused the message"], refusal
    if dmarc_result.result == "fail" and requested == "quarantine":
        return "spam", [f"DMARC failed and {author}'s policy is p=quarantine: the message went to spam"], None
    bulk = any(message.get(h) for h in ("List-Unsubscribe", "List-Id")) or \
        str(message.get("Precedence", "")).lower() in ("bulk", "list")
    if not bulk:
        why = {"fail": f"DMARC failed, but {author}'s policy is p=none, which asks receivers to do nothing",
               "pass": "a message to one person that passes DMARC",
               "none": f"{author} publishes no DMARC record, so no policy stops it",
               }.get(dmarc_result.result, f"{author}'s DMARC record cannot be used, so no policy stops it")
        return "inbox", [f"{why}: the message was delivered"], None
    problems = []
    if results["dkim"].result != "pass":
        problems.append(f"bulk mail needs a DKIM signature that passes; this one gives dkim={results['dkim'].result}")
    if dmarc_result.result in ("none", "permerror"):
        problems.append(f"bulk mail needs a DMARC record for {author} (p=none is enough); "
                        f"here dmarc={dmarc_result.result}: {dmarc_result.why}")
    elif dmarc_result.result == "fail":
        problems.append(f"bulk mail must pass DMARC: SPF or DKIM has to pass for {author} itself (alignment)")
    problems += [f"bulk mail needs one-click unsubscribe: {p}" for p in one_click_problems(message, results["dkim"], covered)]
    if results["iprev"].result != "pass":
        problems.append(f"the sending address needs a reverse DNS name that points back to it ({results['iprev'].why})")
    if problems:
        return "spam", problems, None
    return "inbox", ["bulk mail that meets the sandbox's rules: DKIM and DMARC pass, one-click unsubscribe works, "
                     "and the sender's reverse DNS matches"], None


# ── The SMTP server ───────────────────────────────────────────────────────────────────────────


class SandboxSMTP(SMTP):
    @syntax("XCLIENT ADDR=address [NAME=name] [HELO=name]")
    async def smtp_XCLIENT(self, arg):
        """Postfix's XCLIENT: a trusted proxy says which client it speaks for. The server then
        greets again, and the client starts over with EHLO."""
        if self.session.peer[0] != TRUSTED_PROXY:
            await self.push("550 5.7.0 XCLIENT is allowed only from a trusted proxy")
            return
        if self.envelope.mail_from:
            await self.push("503 5.5.1 XCLIENT is not allowed inside a mail transaction")
            return
        values = dict(part.partition("=")[::2] for part in (arg or "").split())
        address = values.get("ADDR", "")
        try:
            ipaddress.ip_address(address)
        except ValueError:
            await self.push("501 5.5.4 XCLIENT needs ADDR=<an IP address>")
            return
        self.session.xclient = {k.upper(): v for k, v in values.items()}
        self.session.host_name = None
        self._set_rset_state()
        await self.push(f"220 {self.hostname} {self.__ident__}")


class _Handler:
    def __init__(self, box):
        self.box = box

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        return [*responses[:-1], "250-ENHANCEDSTATUSCODES", "250-XCLIENT ADDR NAME HELO", responses[-1]]

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        status = self.box.recipient_status(address)
        if status.startswith("250"):
            envelope.rcpt_tos.append(address)
        return status

    async def handle_DATA(self, server, session, envelope):
        xclient = getattr(session, "xclient", {})
        ip = xclient.get("ADDR") or session.peer[0]
        name = xclient.get("NAME") or None
        try:
            filed = [self.box.receive(ip, name, session.host_name or "", envelope.mail_from or "", rcpt,
                                      envelope.original_content) for rcpt in envelope.rcpt_tos]
        except Exception as error:  # a bug in the sandbox: the sender may try again later
            self.box.errors.append(repr(error))
            return "451 4.3.0 The sandbox could not judge this message; try again later"
        refused = [f.reply for f in filed if f.verdict == "rejected"]
        return refused[0] if refused else f"250 2.0.0 OK: queued as {', '.join(str(f.number) for f in filed)}"


class _Controller(Controller):
    def factory(self):
        return SandboxSMTP(self.handler, **self.SMTP_kwargs)

    def _trigger_server(self):
        # Started on port 0, the server's real port is known only now.
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def start_smtp(box, port: int = 0) -> tuple[int, callable]:
    if port:
        # aiosmtpd reports a busy port only after its start-up timeout; find out at once instead.
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(("127.0.0.1", port))
    controller = _Controller(_Handler(box), hostname="127.0.0.1", port=port, server_hostname=RECEIVER,
                             ident="ESMTP (martech sandbox)", data_size_limit=1024 * 1024, timeout=30,
                             ready_timeout=10)
    controller.start()
    return controller.port, controller.stop


def stamp(number: int, ip: str, name: str | None, helo: str, mail_from: str, rcpt: str, results: dict[str, Result]) -> bytes:
    """The headers a receiving server adds on top (RFC 5321 section 4.4, RFC 8601), folded."""
    when = email.utils.format_datetime(datetime.now(timezone.utc))
    results_text = ";\r\n\t".join([RECEIVER] + [results[m].clause() for m in ("spf", "dkim", "dmarc", "iprev")])
    return (f"Return-Path: <{mail_from}>\r\n"
            f"Authentication-Results: {results_text}\r\n"
            f"Received: from {helo or 'unknown'} ({name or 'unknown'} [{ip}])\r\n"
            f"\tby {RECEIVER} (martech sandbox) with ESMTP id {number}\r\n\tfor <{rcpt}>; {when}\r\n").encode()
