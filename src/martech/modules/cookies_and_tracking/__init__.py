"""Module "cookies-and-tracking": What a cookie banner really controls.

The notebooks import it as ``from martech.modules import cookies_and_tracking``: its checks
(checks.py), its demos (demos.py: the ``cookies`` and ``cookies-https`` servers) and the demo
notebook's browser helpers (notebook.py), from the files beside this one.
"""

from martech.modules.cookies_and_tracking.checks import *  # noqa: F401,F403
from martech.modules.cookies_and_tracking.demos import *  # noqa: F401,F403
from martech.modules.cookies_and_tracking.notebook import *  # noqa: F401,F403
