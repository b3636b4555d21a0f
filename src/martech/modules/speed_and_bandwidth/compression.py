"""Text compression as a server does it: content negotiation (RFC 9110, section 12.5.3) and the codings.

    negotiate("gzip, deflate, br, zstd", offered=("br", "gzip"))   "br"
    negotiate("gzip;q=0, identity;q=0", offered=("br", "gzip"))    None: nothing acceptable, answer 406
    compress(body, "br")                                            the bytes that travel

The browser lists in Accept-Encoding what it can decode; the server picks one it also supports,
says which in Content-Encoding, and adds "Vary: Accept-Encoding" so that caches keep one copy per coding.
"""

from __future__ import annotations

import functools
import gzip
import time

CODINGS = ("br", "gzip")                 # what this server can send, best first
# Static files are compressed once, ahead of time, so the slowest, smallest setting is worth it.
# A page built for each visitor is compressed on every request: there, servers pick a faster level.
BROTLI_STATIC, BROTLI_DYNAMIC, GZIP_LEVEL = 11, 5, 6


def _weights(header: str) -> dict[str, float]:
    """Accept-Encoding as {coding: weight}; a malformed weight counts as 0, which refuses that coding."""
    weights = {}
    for item in header.split(","):
        name, *params = [part.strip() for part in item.split(";")]
        if not name:
            continue
        weight = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
                if not 0 <= weight <= 1:
                    weight = 0.0
        weights[name.lower()] = weight
    return weights


def negotiate(accept_encoding: str | None, offered=CODINGS) -> str | None:
    """The coding to send: one of ``offered``, "identity" (no compression), or None (nothing acceptable: 406).

    No Accept-Encoding at all: the client said nothing, so send the file as it is (the safe reading).
    An empty one: the client wants no coding. "*" stands for any coding not listed by name.
    """
    if accept_encoding is None:
        return "identity"
    if not isinstance(accept_encoding, str):
        from martech.problems import Problem, shown

        raise Problem(f"Give the Accept-Encoding header as text, such as \"gzip, br\"; you gave {shown(accept_encoding)}.")
    weights = _weights(accept_encoding)
    star = weights.get("*")

    def weight(coding: str) -> float:
        if coding in weights:
            return weights[coding]
        if coding == "identity":   # acceptable unless refused by name or by "*;q=0"
            return 0.001 if star is None or star > 0 else 0.0
        return star or 0.0

    best = max(offered, key=weight, default=None)   # ties keep the server's order: br before gzip
    if best is not None and weight(best) > 0 and weight(best) >= weight("identity"):
        return best
    return "identity" if weight("identity") > 0 else None


@functools.lru_cache(maxsize=256)
def compress(body: bytes, coding: str, static: bool = True) -> bytes:
    """``body`` in ``coding`` ("br", "gzip" or "identity"); the same input gives the same bytes."""
    if coding == "identity":
        return body
    if coding == "gzip":
        return gzip.compress(body, GZIP_LEVEL, mtime=0)  # mtime=0: no timestamp, so the bytes never change
    if coding == "br":
        import brotli

        return brotli.compress(body, quality=BROTLI_STATIC if static else BROTLI_DYNAMIC)
    raise ValueError(f"unknown coding {coding!r}")


def compress_time(body: bytes, coding: str, level: int) -> float:
    """Milliseconds one compression of ``body`` takes at ``level`` (brotli 0-11, gzip 1-9), on this computer."""
    import brotli

    started = time.perf_counter()
    if coding == "br":
        brotli.compress(body, quality=level)
    else:
        gzip.compress(body, level, mtime=0)
    return (time.perf_counter() - started) * 1000
