"""Module "how-the-web-works": how a browser and a server talk, shown with real servers.

Demos: ``web`` (a small shoe shop), ``slow`` (the same idea with latency and a speed limit you
choose) and ``https`` (the shop over HTTPS with a self-signed certificate).

The notebooks import it as ``from martech.modules import how_the_web_works``: its checks and its
demos, from the two files beside this one.
"""

from martech.modules.how_the_web_works.checks import *  # noqa: F401,F403
from martech.modules.how_the_web_works.demos import *  # noqa: F401,F403
