"""Reading SPF and DMARC records as a receiver does, and saying in plain words what is wrong with one.

pyspf evaluates SPF for real (receiver.py); this file adds what a person editing a record needs:
each syntax mistake as a sentence, and where the 10 DNS lookups of RFC 7208 section 4.6.4 go.
DMARC is read as RFC 7489 and RFC 9989 (May 2026) agree: v=DMARC1 first, tags split by ";".
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from dataclasses import dataclass, field

from martech.modules.email_systems import zone
from martech.problems import shown

LOOKUP_LIMIT = 10
MECHANISMS = ("all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists")
COUNTED = ("include", "a", "mx", "ptr", "exists", "redirect")
DOMAIN = re.compile(r"(?=.{1,253}$)([A-Za-z0-9_%{}.-]+)$")


# ── SPF ──────────────────────────────────────────────────────────────────────────────────────


def spf_problems(record) -> tuple[list[str], list[str]]:
    """(errors that make receivers answer permerror, warnings), each a sentence."""
    if not isinstance(record, str) or not record.strip():
        return [f"An SPF record is text that starts with v=spf1; you gave {shown(record)}."], []
    terms = record.split()
    errors, warnings = [], []
    if terms[0].lower() != "v=spf1":
        errors.append(f"An SPF record must start with v=spf1 followed by a space; this one starts with {terms[0][:30]!r}.")
        return errors, warnings
    if sum(t.lower() == "v=spf1" for t in terms) > 1:
        errors.append("This holds two SPF records in one: a domain may have only one (RFC 7208 section 4.5). "
                      "Merge them into one v=spf1 ... record.")
    seen_all = False
    for term in terms[1:]:
        if seen_all:
            warnings.append(f"{term!r} comes after all, so no receiver ever reads it: put all at the end.")
            continue
        problem = _term_problem(term)
        if problem:
            errors.append(problem)
        body = term.lstrip("+-~?").lower()
        if body == "all":
            seen_all = True
            if term[0] in "+?" or term.lower() == "all":
                warnings.append(f"{term!r} lets every server on the internet pass (or stay neutral) for your domain; "
                                "end with ~all or -all instead.")
    if not seen_all and not any(t.lower().startswith("redirect=") for t in terms):
        warnings.append("The record has no all at the end, so servers it does not list get neutral, not fail: add ~all or -all.")
    return errors, warnings


def _term_problem(term: str) -> str | None:
    body = term[1:] if term[0] in "+-~?" else term
    if "=" in body.split(":")[0]:
        name, _, value = body.partition("=")
        if name.lower() in ("redirect", "exp") and not value:
            return f"{term!r} needs a domain after the = sign."
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]*", name):
            return f"{term!r} is not an SPF term."
        return None  # unknown modifiers are allowed, and ignored (RFC 7208 section 6)
    name, colon, value = body.partition(":")
    name, value = name.lower(), value.split("/")[0] if name.lower() in ("a", "mx") else value
    if name not in MECHANISMS:
        close = difflib.get_close_matches(name, MECHANISMS, n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        if "," in term:
            return f"{term!r}: SPF terms are separated by spaces, not commas."
        return f"{term!r} is not an SPF mechanism{hint}. The mechanisms are {', '.join(MECHANISMS)}."
    if name in ("include", "exists"):
        if "," in value:
            return f"{term!r}: SPF terms are separated by spaces, not commas."
        if not colon or not value:
            return f"{term!r} needs a domain right after the colon, with no space: include:_spf.example.net."
        if "//" in value or "@" in value:
            return f"{term!r}: after the colon comes a domain name, not a web or email address."
        if not DOMAIN.match(value) or "." not in value:
            return f"{term!r}: {value!r} is not a domain name."
    if name in ("ip4", "ip6"):
        try:
            network = ipaddress.ip_network(value, strict=False)
        except ValueError:
            return f"{term!r}: {value!r} is not an IP{name[-1]} address or network."
        if network.version != int(name[-1]):
            return f"{term!r}: that is an IPv{network.version} address; write ip{network.version}: before it."
    if name == "all" and colon:
        return f"{term!r}: all takes nothing after it."
    return None


@dataclass
class Lookups:
    """Where an SPF record's DNS lookups go: (term, lookups it costs), and their total."""

    domain: str
    terms: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.terms)

    def __repr__(self) -> str:
        width = max([len(t) for t, _ in self.terms] + [10])
        lines = [f"{term:{width}}  {n:2} lookup{'s' if n != 1 else ''}" for term, n in self.terms]
        verdict = ("within the limit" if self.total <= LOOKUP_LIMIT
                   else "over the limit: mail that needs an 11th lookup gets permerror")
        return "\n".join([f"SPF for {self.domain}:", *lines, f"{'total':{width}}  {self.total:2} of {LOOKUP_LIMIT}: {verdict}"])


def count_lookups(port: int, domain: str, record: str | None = None, depth: int = 0) -> Lookups:
    """Count the lookups SPF makes for ``domain`` (or for ``record`` as if published there),
    asking the sandbox's DNS for every record an include or redirect names."""
    if record is None:
        found = [r for r in zone.txt(port, domain) if r.lower().startswith("v=spf1")]
        record = found[0] if found else ""
    result = Lookups(domain)
    for term in record.split()[1:]:
        body = term.lstrip("+-~?")
        name = re.split(r"[:=/]", body, maxsplit=1)[0].lower()
        if name not in COUNTED:
            continue
        cost = 1
        if name in ("include", "redirect") and depth < 8:
            target = re.split(r"[:=]", body, maxsplit=1)[1] if re.search(r"[:=]", body) else ""
            if target:
                cost += count_lookups(port, target, depth=depth + 1).total
        result.terms.append((term, cost))
    return result


# ── DMARC ────────────────────────────────────────────────────────────────────────────────────

POLICIES = ("none", "quarantine", "reject")


@dataclass
class Dmarc:
    """A DMARC record as read: its tags, what makes it unusable (errors), and what is doubtful."""

    text: str
    tags: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def policy(self) -> str:
        return self.tags.get("p", "none")


def read_dmarc(text) -> Dmarc:
    if not isinstance(text, str) or not text.strip():
        return Dmarc(str(text), errors=[f"A DMARC record is text that starts with v=DMARC1; you gave {shown(text)}."])
    record = Dmarc(text.strip())
    parts = [part.strip() for part in record.text.split(";")]
    if "," in parts[0] and "=" in parts[0].split(",", 1)[1]:
        record.errors.append("Tags are separated by semicolons (;), not commas: write v=DMARC1; p=quarantine; ...")
        return record
    if parts[0].replace(" ", "") != "v=DMARC1":
        record.errors.append(f"A DMARC record must start with v=DMARC1 exactly (capital DMARC, then ;); "
                             f"this one starts with {parts[0][:30]!r}.")
        return record
    for part in parts[1:]:
        if not part:
            continue
        name, equals, value = part.partition("=")
        name, value = name.strip().lower(), value.strip()
        if not equals or not name:
            record.errors.append(f"{part[:40]!r} is not a tag=value pair, such as p=quarantine.")
            continue
        record.tags[name] = value
        problem = _dmarc_tag_problem(name, value)
        if problem:
            (record.warnings if name not in ("p", "sp", "np", "rua", "ruf") else record.errors).append(problem)
    if "p" not in record.tags:
        record.errors.append(P_MISSING)
    return record


P_MISSING = ("p= is missing: add p=none, p=quarantine or p=reject. Without it, receivers treat the "
             "record as p=none if it has a rua= address, and ignore it if not (RFC 9989).")


def as_receivers_read(record: Dmarc) -> Dmarc | None:
    """What a receiver applies: the record itself; a record without p= but with a report address
    as p=none (RFC 9989, as RFC 7489 section 6.6.3 did); None when it cannot be used."""
    if record.errors == [P_MISSING] and record.tags.get("rua"):
        return Dmarc(record.text, {**record.tags, "p": "none"}, [], record.warnings)
    return None if record.errors else record


def _dmarc_tag_problem(name: str, value: str) -> str | None:
    if name in ("p", "sp", "np"):
        if value.lower() not in POLICIES:
            close = difflib.get_close_matches(value.lower(), POLICIES, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            return f"{name}={value} is not a policy{hint}: use none, quarantine or reject."
    elif name in ("adkim", "aspf"):
        if value.lower() not in ("r", "s"):
            return f"{name}={value}: alignment is r (relaxed) or s (strict)."
    elif name in ("rua", "ruf"):
        for address in value.split(","):
            address = address.strip()
            if not address.lower().startswith("mailto:"):
                return f"{name}={address}: each report address starts with mailto:, as in {name}=mailto:dmarc@example.net."
            if "@" not in address:
                return f"{name}={address}: after mailto: comes an email address."
    elif name == "pct":
        if not (value.isdigit() and 0 <= int(value) <= 100):
            return f"pct={value} must be a whole number from 0 to 100."
        return ("pct= is no longer part of DMARC since RFC 9989 (May 2026): receivers that still follow RFC 7489 may "
                "apply it, others ignore it, and so does the sandbox.")
    elif name in ("t", "psd"):
        if value.lower() not in ("y", "n") + (("u",) if name == "psd" else ()):
            return f"{name}={value} must be y or n."
    elif name in ("fo", "rf", "ri"):
        return None
    else:
        close = difflib.get_close_matches(name, ("p", "sp", "np", "rua", "ruf", "adkim", "aspf", "fo", "pct", "t"), n=1)
        hint = f" (did you mean {close[0]}=?)" if close else ""
        return f"{name}= is not a DMARC tag{hint}: receivers ignore it."
    return None


def organizational_domain(domain: str) -> str:
    """The registered domain. Every sandbox name is under .example, a one-label suffix, so it is the
    last two labels; real receivers find it with the Public Suffix List (RFC 7489) or, since
    RFC 9989, by walking up the DNS tree."""
    labels = domain.lower().rstrip(".").split(".")
    return ".".join(labels[-2:])


def aligned(domain: str | None, author: str, mode: str = "r") -> bool:
    if not domain:
        return False
    if mode == "s":
        return domain.lower() == author.lower()
    return organizational_domain(domain) == organizational_domain(author)


def find_dmarc(port: int, author_domain: str) -> tuple[str | None, Dmarc | None]:
    """(where the record was found, the record): the From domain first, then its organizational domain."""
    for place in dict.fromkeys([author_domain, organizational_domain(author_domain)]):
        records = [r for r in zone.txt(port, f"_dmarc.{place}") if r.strip().lower().startswith("v=dmarc")]
        if len(records) > 1:
            record = Dmarc(records[0], errors=["There are two DMARC records: receivers then do not apply DMARC "
                                               "at all (RFC 7489 section 6.6.3). Keep one."])
            return place, record
        if records:
            return place, read_dmarc(records[0])
    return None, None
