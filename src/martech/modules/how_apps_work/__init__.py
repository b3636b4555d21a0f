"""Module "how-apps-work": Native app, web app or PWA for the loyalty programme?

The notebooks import it as ``from martech.modules import how_apps_work``: its checks (checks.py), its
demos (demos.py: the ``loyalty`` and ``loyalty-webhooks`` servers) and the notebooks' helpers
(sdk.py: the API as an app calls it, an SDK, a deep-link checker, the PWA checks in Chromium).
"""

from martech.modules.how_apps_work.checks import *  # noqa: F401,F403
from martech.modules.how_apps_work.demos import *  # noqa: F401,F403
from martech.modules.how_apps_work.sdk import *  # noqa: F401,F403
