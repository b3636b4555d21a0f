"""The sandbox's DNS: a real DNS server on 127.0.0.1 (dnslib) and a real client for it (dnspython).

The records start as served/zone.txt, a master file; a learner's edits change the running copy,
so the next message is judged by the new record. Every lookup the receiver makes (SPF, the DKIM
key, DMARC, reverse DNS) is a DNS query over UDP, or TCP for a long answer, to this server.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading

import dns.exception
import dns.resolver
import spf
from dnslib import QTYPE, RCODE, RR, TXT, DNSLabel, DNSRecord
from dnslib.server import DNSHandler, DNSLogger, DNSServer

from martech.problems import Problem, shown
from martech.served import Served

files = Served(__file__)
TTL = 300
# The learner's own domains: the sandbox lets them edit these, not the ESPs' or the provider's.
OWN_DOMAINS = ("harbourbooks.example", "fernleaf.example")
TYPES = ("TXT", "MX", "A", "PTR")


class Zone:
    """The records the DNS server answers from, safe to change while it runs."""

    def __init__(self, text: str | None = None):
        self.lock = threading.Lock()
        self.records: list[RR] = RR.fromZone(text if text is not None else files.text("zone.txt"))

    def answer(self, name: str, rtype: str) -> tuple[list[RR], bool]:
        """(the records of that name and type, whether the name exists at all)."""
        label = DNSLabel(name.lower().rstrip(".") + ".")
        with self.lock:
            named = [r for r in self.records if r.rname == label]
        return [r for r in named if QTYPE[r.rtype] == rtype], bool(named)

    def values(self, name: str, rtype: str = "TXT") -> list[str]:
        return [rdata_text(r) for r in self.answer(name, rtype)[0]]

    def replace(self, name: str, rtype: str, values: list[str]) -> None:
        label = DNSLabel(name.lower().rstrip(".") + ".")
        new = [_record(label, rtype, value) for value in values]
        with self.lock:
            self.records = [r for r in self.records if not (r.rname == label and QTYPE[r.rtype] == rtype)] + new

    def lines(self, domain: str) -> list[str]:
        """The records at and under ``domain``, as master-file lines."""
        domain = domain.lower().rstrip(".")
        with self.lock:
            chosen = [r for r in self.records
                      if str(r.rname).rstrip(".") == domain or str(r.rname).rstrip(".").endswith("." + domain)]
        return [f"{str(r.rname):40} {r.ttl} IN {QTYPE[r.rtype]:4} {_zone_rdata(r)}" for r in chosen]


def rdata_text(record: RR) -> str:
    """A record's value as a receiver reads it: a TXT record's strings joined into one."""
    if QTYPE[record.rtype] == "TXT":
        return b"".join(record.rdata.data).decode("utf-8", "replace")
    return str(record.rdata)


def _zone_rdata(record: RR) -> str:
    if QTYPE[record.rtype] == "TXT":
        return " ".join('"' + part.decode("utf-8", "replace").replace('"', '\\"') + '"' for part in record.rdata.data)
    return str(record.rdata)


def _record(label: DNSLabel, rtype: str, value: str) -> RR:
    if rtype == "TXT":
        # One TXT string holds at most 255 bytes (RFC 1035); longer values become several strings,
        # which receivers join again (RFC 7208 section 3.3, RFC 6376 section 3.6.2.2).
        data = value.encode()
        return RR(label, QTYPE.TXT, ttl=TTL, rdata=TXT([data[i:i + 255] for i in range(0, len(data), 255)] or [b""]))
    return RR.fromZone(f"{label} {TTL} IN {rtype} {value}")[0]


# ── The server ─────────────────────────────────────────────────────────────────────────────────


class _Resolver:
    def __init__(self, zone: Zone):
        self.zone = zone

    def resolve(self, request, handler):
        reply = request.reply()
        question = request.q
        records, exists = self.zone.answer(str(question.qname), QTYPE.get(question.qtype, "?"))
        for record in records:
            reply.add_answer(record)
        if not exists:
            reply.header.rcode = RCODE.NXDOMAIN
        return reply


class _Handler(DNSHandler):
    def get_reply(self, data):
        request = DNSRecord.parse(data)
        packed = self.server.resolver.resolve(request, self).pack()
        if self.protocol == "udp":
            # An answer longer than the asker can take over UDP is sent empty and marked truncated,
            # with its question, so that the client asks again over TCP (RFC 1035; RFC 6891 for
            # the larger size a client may offer).
            options = [r for r in request.ar if r.rtype == QTYPE.OPT]
            if len(packed) > (max(512, options[0].rclass) if options else 512):
                cut = request.reply()
                cut.header.tc = 1
                packed = cut.pack()
        return packed


class _Quiet(DNSLogger):
    def __init__(self):
        super().__init__(log="-request,-reply,-truncated,-error", prefix=False)


def start_dns(zone: Zone, port: int = 0) -> tuple[int, callable]:
    """Serve ``zone`` on 127.0.0.1, over UDP and TCP on one port; return (port, stop)."""
    for _ in range(20):
        udp = DNSServer(_Resolver(zone), address="127.0.0.1", port=port, logger=_Quiet(), handler=_Handler)
        chosen = udp.server.server_address[1]
        try:
            tcp = DNSServer(_Resolver(zone), address="127.0.0.1", port=chosen, tcp=True, logger=_Quiet(),
                            handler=_Handler)
        except OSError:
            udp.server.server_close()
            if port:
                raise
            continue
        break
    else:  # pragma: no cover - twenty busy ports in a row
        raise OSError("no free port for the DNS server")
    servers = (udp, tcp)
    for server in servers:
        # dnslib's own start_thread polls for shutdown every half second; stopping should be quick.
        threading.Thread(target=server.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop():
        for server in servers:
            server.server.shutdown()
            server.server.server_close()

    return chosen, stop


# ── The client: dnspython pointed at the sandbox ─────────────────────────────────────────────────


def resolver(port: int) -> dns.resolver.Resolver:
    ask = dns.resolver.Resolver(configure=False)
    ask.nameservers = ["127.0.0.1"]
    ask.port = port
    ask.timeout, ask.lifetime = 1.0, 2.0
    ask.use_edns(0, 0, 1232)
    return ask


def query(port: int, name: str, rtype: str) -> list:
    """The answers to one real DNS query; [] when the name or the type has none."""
    try:
        return list(resolver(port).resolve(name, rtype, search=False))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []


def txt(port: int, name: str) -> list[str]:
    return [b"".join(answer.strings).decode("utf-8", "replace") for answer in query(port, name, "TXT")]


def dig(port: int, name: str, rtype: str = "TXT") -> str:
    """What `dig @127.0.0.1 -p PORT NAME TYPE` shows, in short: each answer, or why there is none."""
    if not isinstance(name, str) or not name.strip() or len(name) > 253:
        raise Problem(f"Give a DNS name in quotes, such as \"_dmarc.harbourbooks.example\"; you gave {shown(name)}.")
    rtype = rtype.upper() if isinstance(rtype, str) else rtype
    if rtype not in TYPES:
        raise Problem(f"The record type must be one of {', '.join(TYPES)}; you gave {shown(rtype)}.")
    try:
        answer = resolver(port).resolve(name.strip(), rtype, search=False, raise_on_no_answer=False)
    except dns.resolver.NXDOMAIN:
        return f"{name.strip()}: no such name (NXDOMAIN)"
    except dns.exception.DNSException as error:
        return f"{name.strip()}: the DNS server did not answer ({type(error).__name__})"
    lines = [line for rrset in answer.response.answer for line in rrset.to_text().splitlines()]
    return "\n".join(lines) or f"{name.strip()}: the name exists, but has no {rtype} record"


# pyspf looks names up through one module-level function. Inside ``sandbox_dns(port)`` it asks the
# sandbox's server instead of the computer's resolver; everywhere else it works as it always did.
_PORT: contextvars.ContextVar[int | None] = contextvars.ContextVar("sandbox_dns_port", default=None)
_ORIGINAL_LOOKUP = spf.DNSLookup


def _sandbox_lookup(name, qtype, strict=True, timeout=30):
    port = _PORT.get()
    if port is None:
        return _ORIGINAL_LOOKUP(name, qtype, strict, timeout)
    found = []
    try:
        for answer in resolver(port).resolve(name, qtype, search=False):
            if qtype in ("A", "AAAA"):
                found.append(((name, qtype), answer.address))
            elif qtype == "MX":
                found.append(((name, qtype), (answer.preference, answer.exchange)))
            elif qtype == "PTR":
                found.append(((name, qtype), answer.target.to_text(True)))
            elif qtype in ("TXT", "SPF"):
                found.append(((name, qtype), answer.strings))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        pass
    except dns.exception.DNSException as error:
        raise spf.TempError(f"DNS {error}") from None
    return found


if getattr(spf.DNSLookup, "__name__", "") != "_sandbox_lookup":
    spf.DNSLookup = _sandbox_lookup


@contextlib.contextmanager
def sandbox_dns(port: int):
    token = _PORT.set(port)
    try:
        yield
    finally:
        _PORT.reset(token)


def check_editable(name) -> str:
    """The name, lower-case without a final dot, if it is one the learner may change."""
    if not isinstance(name, str):
        raise Problem(f"The record's name must be text in quotes, such as \"_dmarc.fernleaf.example\"; you gave {shown(name)}.")
    clean = name.strip().lower().rstrip(".")
    if not clean or " " in clean or len(clean) > 253 or any(not 0 < len(part) < 64 for part in clean.split(".")):
        raise Problem(f"{shown(name)} is not a DNS name: write labels joined by dots, such as \"_dmarc.fernleaf.example\".")
    if not any(clean == own or clean.endswith("." + own) for own in OWN_DOMAINS):
        raise Problem(f"In the sandbox you may change the records of {' and '.join(OWN_DOMAINS)} (and names under them), "
                      f"as their owners can; {shown(name)} belongs to someone else.")
    return clean


def check_value(value, rtype: str) -> str:
    if not isinstance(value, str):
        raise Problem(f"A {rtype} record's value is text in quotes; you gave {shown(value)}.")
    clean = value.strip()
    if rtype == "TXT" and len(clean) >= 2 and clean[0] == clean[-1] == '"':
        clean = clean[1:-1]  # DNS panels show the quotes; the value is what is inside them
    if not clean.isprintable():
        raise Problem("The value has a line break or another control character in it: paste it on one line.")
    if len(clean.encode()) > 2048:
        raise Problem(f"That value is {len(clean.encode())} bytes long; the sandbox takes at most 2048 (a real DNS "
                      "answer that long would not fit most resolvers either).")
    if rtype != "TXT":
        try:
            _record(DNSLabel("check.example."), rtype, clean)
        except Exception:
            raise Problem(f"{shown(value)} is not a valid {rtype} value.") from None
    return clean
