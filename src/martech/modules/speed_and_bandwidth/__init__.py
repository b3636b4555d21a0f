"""Module "speed-and-bandwidth": Is the campaign page fast enough to sell?

The notebooks import it as ``from martech.modules import speed_and_bandwidth``: its checks (checks.py),
its demos (demos.py: the ``campaign-page`` and ``tag-vendor`` servers) and the notebooks' helpers:
lab.py (a page loaded and measured in Chromium on a throttled phone), budget.py (the page's
performance budget), pictures.py (the photos in three formats), compression.py (content negotiation),
tags.py (what each third-party tag costs) and versions.py (the eight choices that make each version of the page).
"""

from martech.modules.speed_and_bandwidth.budget import BUDGET, address, check_budget, judge, readout  # noqa: F401
from martech.modules.speed_and_bandwidth.checks import *  # noqa: F401,F403
from martech.modules.speed_and_bandwidth.compression import negotiate  # noqa: F401
from martech.modules.speed_and_bandwidth.demos import *  # noqa: F401,F403
from martech.modules.speed_and_bandwidth.lab import (  # noqa: F401
    PHONE, THRESHOLDS, close_browser, compare, download_times, measure, measure_many, requests_before_and_after_scroll,
    verdicts)
from martech.modules.speed_and_bandwidth.pictures import encoded, picture_sizes, side_by_side  # noqa: F401
from martech.modules.speed_and_bandwidth.tags import tag_costs, tag_verdicts  # noqa: F401
from martech.modules.speed_and_bandwidth.versions import CHOICES, FAST, TODAY  # noqa: F401
