"""Module "email-systems": Why our newsletter lands in spam.

The notebooks import it as ``from martech.modules import email_systems``: the sandbox's helpers
(lab.py: send a case, read what arrived, change DNS records, opens, clicks and unsubscribes), its
checks (checks.py) and its demo (demos.py: ``email-sandbox``, with zone.py its DNS server,
receiver.py its SMTP server, sender.py the sending side, tracking.py the ESP's tracking host).
"""

from martech.modules.email_systems.checks import *  # noqa: F401,F403
from martech.modules.email_systems.demos import *  # noqa: F401,F403
from martech.modules.email_systems.lab import *  # noqa: F401,F403
