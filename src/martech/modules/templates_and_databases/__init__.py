"""Module "templates-and-databases": Why the CMS won't let me paste that.

The notebooks import it as ``from martech.modules import templates_and_databases``: its checks
(checks.py), its demo server (demos.py: ``shop``) and the catalogue helpers (catalogue.py), from
the files beside this one.
"""

from martech.modules.templates_and_databases.catalogue import *  # noqa: F401,F403
from martech.modules.templates_and_databases.checks import *  # noqa: F401,F403
from martech.modules.templates_and_databases.demos import *  # noqa: F401,F403
