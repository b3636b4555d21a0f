"""Module "$slug": $title.

The notebooks import it as ``from martech.modules import $module``: its checks and its demos'
helpers, from the two files beside this one.
"""

from martech.modules.$module.checks import *  # noqa: F401,F403
from martech.modules.$module.demos import *  # noqa: F401,F403
