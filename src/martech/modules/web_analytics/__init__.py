"""Module "web-analytics": where the numbers in the dashboard come from.

The notebooks import it as ``from martech.modules import web_analytics``. Every number they
show can be traced to the files beside this one:

    store.py     EventStore, the SQLite event log (safe to share between request threads)
    reports.py   sessions (the rules behind EventStore.assign_sessions and count_sessions)
                 and dashboard: users, engagement, conversions, computed in plain Python
    stats.py     two_proportion_test, sample_size_per_variant: the A/B test's statistics
    traffic.py   generate_traffic: two weeks of seeded, realistic traffic (campaigns, devices,
                 bots, ad blockers, an A/B test, orders), the same numbers on every run
    demos.py     the "analytics" demo: a shop whose tag sends events to its own collector
    checks.py    the exercise's event log and its checks
"""

from martech.modules.web_analytics.store import *  # noqa: F401,F403
from martech.modules.web_analytics.reports import *  # noqa: F401,F403
from martech.modules.web_analytics.stats import *  # noqa: F401,F403
from martech.modules.web_analytics.traffic import *  # noqa: F401,F403
from martech.modules.web_analytics.demos import *  # noqa: F401,F403
from martech.modules.web_analytics.checks import *  # noqa: F401,F403
