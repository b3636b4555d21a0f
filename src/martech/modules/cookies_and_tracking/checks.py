"""The exercise checks of module "cookies-and-tracking": each returns a sentence, or raises NotYet with a hint."""

from __future__ import annotations

import datetime
import re
from email.utils import parsedate_to_datetime

from martech.checks import NotYet, as_text, task
from martech.modules.cookies_and_tracking.demos import DAY

# The page in the address bar is https://www.shop.example/. Its responses, and the things it
# embeds, send these headers. (letter: (the host that sent it, the header))
PAGE_HOST = "www.shop.example"
EXERCISE_COOKIES = {
    "A": ("www.shop.example", "session_id=8f2c1a; Path=/; Secure; HttpOnly; SameSite=Lax"),
    "B": ("www.shop.example", "cart_items=3; Max-Age=604800; Path=/; Secure; SameSite=Strict"),
    "C": ("pixel.adnet.example", "uid=77ab90; Max-Age=34560000; Domain=adnet.example; Path=/; Secure; HttpOnly; SameSite=None"),
    "D": ("www.shop.example", "consent=analytics; Max-Age=15552000; Path=/; Secure; SameSite=Lax"),
    "E": ("img.shop.example", "lb=node4; Path=/; Secure; SameSite=None"),
    "F": ("chat.helpdesk.example", "chat_session=c91; Path=/; Secure; HttpOnly; SameSite=None"),
}


def _site_of(host: str) -> str:
    return ".".join(host.split(".")[-2:])


def _attributes(header: str) -> dict[str, str]:
    found = {}
    for part in header.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        found[key.strip().lower()] = value.strip()
    return found


def _reaches(letter: str, host: str = PAGE_HOST) -> bool:
    """Whether the browser gives cookie ``letter`` to ``host`` (RFC 6265 §5.4).

    Without Domain the cookie is host-only: only the exact host that set it gets it. With
    Domain=shop.example, shop.example and every name under it get it.
    """
    setter, header = EXERCISE_COOKIES[letter]
    domain = _attributes(header).get("domain", "").lstrip(".").lower()
    if not domain:
        return host == setter
    return host == domain or host.endswith("." + domain)


def _samesite(letter: str) -> str:
    return _attributes(EXERCISE_COOKIES[letter][1]).get("samesite", "Lax").capitalize()


def _truth() -> dict[str, set[str]]:
    third, session, readable, cross = set(), set(), set(), set()
    for letter, (host, header) in EXERCISE_COOKIES.items():
        attributes = _attributes(header)
        if _site_of(host) != "shop.example":
            third.add(letter)
        if "max-age" not in attributes and "expires" not in attributes:
            session.add(letter)
        if "httponly" not in attributes and _reaches(letter):
            readable.add(letter)
        if attributes.get("samesite", "").lower() == "none":
            cross.add(letter)
    return {"third_party": third, "session": session, "readable": readable, "cross_site": cross}


def _letters(answer, what: str) -> set[str]:
    """"CF", "C, F", ["C", "F"] or {"c", "f"} → {"C", "F"}; a friendly NotYet otherwise."""
    if isinstance(answer, str):
        items = [c for c in answer.upper() if c.isalpha()]
    elif isinstance(answer, (list, tuple, set, frozenset)):
        items = []
        for item in answer:
            if not isinstance(item, str) or len(item.strip()) != 1:
                raise NotYet(f"{what}: write each cookie as one letter in quotes, such as [\"A\", \"C\"]; you gave {item!r}.")
            items.append(item.strip().upper())
    else:
        raise NotYet(f"{what} should be letters in quotes, such as \"AC\" or [\"A\", \"C\"]; you gave {answer!r}.")
    unknown = sorted(set(items) - set(EXERCISE_COOKIES))
    if unknown:
        raise NotYet(f"{what}: the cookies are A to F; {', '.join(unknown)} is not one of them. "
                     "Write only letters, such as \"AC\".")
    if not items:
        raise NotYet(f"{what}: you named no cookie. At least one of A to F belongs here.")
    return set(items)


def _explain(letters: set[str], key: str, what: str, why) -> str:
    truth = _truth()[key]
    misses = [f"{letter} {why(letter, letter in truth)}" for letter in sorted(letters ^ truth)]
    if misses:
        raise NotYet(f"{what}: " + " ".join(misses))
    return ", ".join(sorted(truth))


@task
def third_party(letters):
    letters = _letters(letters, "third_party")

    def why(letter, is_third):
        host = EXERCISE_COOKIES[letter][0]
        if is_third:
            return f"is third party: {host} belongs to {_site_of(host)}, not to shop.example in the address bar."
        return (f"is first party: {host} is part of shop.example, the site in the address bar "
                "(a subdomain is the same site).")

    found = _explain(letters, "third_party", "third_party", why)
    return f"{found}: their hosts belong to other sites than shop.example. img.shop.example is still shop.example."


@task
def session_cookies(letters):
    letters = _letters(letters, "session_cookies")

    def why(letter, is_session):
        if is_session:
            return ("is a session cookie: it has neither Max-Age nor Expires, so it goes when the browser closes "
                    "(unless the browser restores the last session).")
        age = _attributes(EXERCISE_COOKIES[letter][1]).get("max-age", "")
        days = f" ({int(age) // DAY} days)" if age.isdigit() else ""
        return f"is persistent: Max-Age={age} keeps it for that many seconds{days}, browser closed or not."

    found = _explain(letters, "session", "session_cookies", why)
    return (f"{found}: no Max-Age and no Expires means the cookie lasts only until the browser closes, "
            "unless the browser restores the last session (as Chrome's \"Continue where you left off\" does).")


@task
def readable_by_scripts(letters):
    letters = _letters(letters, "readable_by_scripts")

    def why(letter, readable):
        host = EXERCISE_COOKIES[letter][0]
        if readable:
            return (f"has no HttpOnly and belongs to {PAGE_HOST}, so document.cookie shows it to every script "
                    "on its pages, tags included.")
        if "httponly" in _attributes(EXERCISE_COOKIES[letter][1]):
            return "says HttpOnly: the browser sends it to the server but hides it from document.cookie."
        return (f"has no HttpOnly, but {host} set it without Domain: a host-only cookie that the browser gives "
                f"to {host} alone. Scripts on {PAGE_HOST} never see it, though both names are the same site.")

    found = _explain(letters, "readable", "readable_by_scripts", why)
    hidden = sorted(letter for letter, (host, header) in EXERCISE_COOKIES.items()
                    if "httponly" not in _attributes(header) and not _reaches(letter))
    also = (f" {', '.join(hidden)} has no HttpOnly either, but it is host-only for "
            f"{', '.join(sorted({EXERCISE_COOKIES[x][0] for x in hidden}))}, so {PAGE_HOST} never gets it.") if hidden else ""
    return (f"{found}: without HttpOnly, any script on {PAGE_HOST}'s pages can read a cookie that belongs "
            f"to {PAGE_HOST}, third-party tags included.{also}")


@task
def sent_cross_site(letters):
    letters = _letters(letters, "sent_cross_site")

    def why(letter, sent):
        samesite = _attributes(EXERCISE_COOKIES[letter][1]).get("samesite", "Lax")
        if sent:
            return ("says SameSite=None: it may travel with images, scripts and frames that other sites load "
                    "(if the browser allows third-party cookies).")
        if samesite.lower() == "lax":
            return ("says SameSite=Lax: it travels when a visitor follows a link from another site, but not with "
                    "images, scripts or frames that another site loads, nor with a form that another site posts.")
        return "says SameSite=Strict: it never travels when another site starts the request, not even with a link."

    found = _explain(letters, "cross_site", "sent_cross_site", why)
    lax = ", ".join(sorted(x for x in EXERCISE_COOKIES if _reaches(x) and _samesite(x) == "Lax"))
    strict = ", ".join(sorted(x for x in EXERCISE_COOKIES if _reaches(x) and _samesite(x) == "Strict"))
    return (f"{found}: only SameSite=None cookies go with images, scripts and frames that another site's page "
            f"loads. A link is different: a visitor who follows a link from another site to {PAGE_HOST} "
            f"brings its Lax cookies along ({lax}), but not its Strict ones ({strict}).")


CONSENT_SCENARIOS = [
    ({}, False, "before the visitor chooses anything, consent is {}: no answer is not a yes, so the tag must wait."),
    ({"analytics": True, "ads": False}, True, "the visitor accepted analytics: the stats tag may run."),
    ({"analytics": False, "ads": True}, False, "the visitor accepted ads only: that does not cover analytics."),
    ({"analytics": True, "ads": True}, True, "the visitor accepted everything, analytics included."),
    ({"analytics": False, "ads": False}, False, "the visitor rejected everything (or withdrew consent)."),
    ({"ads": True}, False, "analytics is not mentioned at all: without a yes for analytics, the tag must wait."),
]


@task
def consent_rule(rule):
    if not callable(rule):
        raise NotYet("give the name of your function, without brackets: consent_rule(stats_tag_may_run).")
    for consent, expected, meaning in CONSENT_SCENARIOS:
        try:
            answer = rule(dict(consent))
        except KeyError as missing:
            raise NotYet(f"your rule stumbled on {consent}: it has no {missing} entry. "
                         "consent.get(\"analytics\") gives None instead of an error.") from None
        except Exception as error:
            raise NotYet(f"your rule stumbled on {consent} ({type(error).__name__}: {error}).") from None
        if answer is Ellipsis:
            raise NotYet("replace the ... after return with your rule, then run the cell again.")
        if answer is None:
            answer = False  # consent.get("analytics") gives None when there is no entry: that is a no
        if not isinstance(answer, bool):
            raise NotYet(f"for {consent} your rule answered {answer!r}; it should answer True or False.")
        if answer != expected:
            verdict = "let the tag run" if answer else "blocked the tag"
            raise NotYet(f"for {consent} your rule {verdict}, but {meaning}")
    return ("the stats tag runs only after an explicit yes to analytics: not before the choice, not after a no, "
            "and not on a yes to ads alone.")


@task
def withdraw_header(header):
    header = as_text(header, "header")
    if header.lower().startswith("set-cookie:"):
        header = header.split(":", 1)[1].strip()
    name, _, _ = header.split(";")[0].partition("=")
    if "=" not in header.split(";")[0]:
        raise NotYet("a Set-Cookie value starts with name=value, such as _stats=; then its attributes.")
    if name.strip() != "_stats":
        raise NotYet(f"the cookie to remove is _stats; your header sets {name.strip()!r}. The name must match exactly.")
    attributes = _attributes(header)
    max_age = attributes.get("max-age")
    if max_age is not None:
        if not re.fullmatch(r"-?\d+", max_age):
            raise NotYet(f"Max-Age must be a whole number of seconds; {max_age!r} is not.")
        if int(max_age) > 0:
            raise NotYet(f"Max-Age={max_age} keeps the cookie {max_age} more seconds. Max-Age=0 removes it at once.")
    elif "expires" in attributes:
        try:
            when = parsedate_to_datetime(attributes["expires"])
        except (TypeError, ValueError, IndexError, OverflowError):
            raise NotYet("that Expires date cannot be read. Max-Age=0 is simpler.") from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        if when > datetime.datetime.now(datetime.timezone.utc):
            raise NotYet("an Expires date in the past removes a cookie; yours is in the future. Max-Age=0 is simpler.")
    else:
        raise NotYet("without Max-Age or Expires this header replaces _stats with an empty session cookie; "
                     "it does not remove it. Add Max-Age=0.")
    if "domain" in attributes:
        raise NotYet("_stats was set without Domain: a host-only cookie. A header with Domain= names a different "
                     "cookie, so the original stays (Chromium keeps it even for Domain=www.shop.example). Leave Domain out.")
    if attributes.get("path") != "/":
        given = f"Path={attributes['path']}" if "path" in attributes else "no Path"
        raise NotYet(f"_stats was set with Path=/. With {given}, this header names another cookie (the path of "
                     "/privacy/consent is /privacy), so the original stays. Add Path=/.")
    return "same name, same Path, no Domain, Max-Age=0: the browser deletes _stats at once."
