"""The rules, once: what a cache may do with a response (RFC 9111, kept minimal).

The demos (the shop and its CDN), the checks' browser cache and their hints all read
Cache-Control through these functions, so that they never disagree.
"""

from __future__ import annotations

import hashlib
from email.utils import parsedate_to_datetime


def directives(cache_control: str | None) -> dict[str, str | None]:
    """A Cache-Control value as {directive: argument}: "public, max-age=60" → {"public": None, "max-age": "60"}."""
    found: dict[str, str | None] = {}
    for part in (cache_control or "").split(","):
        name, _, argument = part.partition("=")
        if name.strip():
            found.setdefault(name.strip().lower(), argument.strip().strip('"') or None)
    return found


def lifetime(cache_control: str | None, shared: bool) -> int | None:
    """Seconds a cache may reuse a response without asking the origin; None if it must not store it.

    shared: a CDN or proxy (True) or a browser's own cache (False). RFC 9111 sections 3, 4.2.1
    and 5.2, reduced: no lifetime given means "do not store" here (real caches may guess one:
    heuristic freshness), and Expires is not read.
    """
    found = directives(cache_control)
    if "no-store" in found or (shared and "private" in found):
        return None
    if "no-cache" in found:
        return 0  # store, but ask the origin before every use
    for name in (("s-maxage", "max-age") if shared else ("max-age",)):
        if name in found:
            value = found[name] or ""
            return int(value) if value.isdigit() else 0  # an invalid lifetime counts as stale
    return None


def not_modified(request_headers, etag: str | None, last_modified: str | None) -> bool:
    """True when a conditional request says "I have this version already" (RFC 9110, 13.1)."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return bool(etag) and ("*" in tags or etag.removeprefix("W/") in tags)
    if_modified_since = request_headers.get("If-Modified-Since")
    if if_modified_since and last_modified:
        try:
            return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError, IndexError, OverflowError):
            return False  # a date we cannot read is ignored, as RFC 9110 says
    return False


def etag_of(body: bytes) -> str:
    """A label made from the bytes themselves: the same version always gets the same ETag, on any server."""
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
