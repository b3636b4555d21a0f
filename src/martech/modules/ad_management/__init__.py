"""Module "ad-management": Why three systems count three different impression numbers.

The notebooks import it as ``from martech.modules import ad_management``: its checks (checks.py),
its demo server (demos.py: ``ad-server``), the ad server's logic (adserver.py) and the notebook's
helpers (lab.py), from the files beside this one.
"""

from martech.modules.ad_management.checks import *  # noqa: F401,F403
from martech.modules.ad_management.demos import *  # noqa: F401,F403
