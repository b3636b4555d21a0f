"""Module "caching": who may keep a copy of a response, for how long, and how to ask "has it changed?".

Demos: ``caching`` (the shop's spring sale, with the caching headers you choose, a small CMS to
change the banner and the prices, and real answers to "has it changed?") and ``cdn`` (a shared
cache, like a CDN, in front of it: X-Cache HIT or MISS, Age, expiry and PURGE, and two CDN
settings: a cache key without campaign tags, ``ignore``, and a Browser Cache TTL, ``browser_ttl``).

    shop = demo_server("caching", files="max-age=60, s-maxage=3600")
    cdn = demo_server("cdn", origin=shop.port)
    fetch(cdn.url + "/img/banner.svg").header("X-Cache")      # MISS, then HIT

The notebooks import it as ``from martech.modules import caching``: the checks (checks.py), the
demos and their request log (demos.py), the Cache-Control rules they share (headers.py) and the
Network panel read from Chromium (devtools.py).
"""

from martech.modules.caching.checks import *  # noqa: F401,F403
from martech.modules.caching.demos import *  # noqa: F401,F403
from martech.modules.caching.devtools import *  # noqa: F401,F403
from martech.modules.caching.headers import *  # noqa: F401,F403
