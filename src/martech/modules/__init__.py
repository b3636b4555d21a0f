"""The course modules: one subpackage each, named after the module's slug with underscores.

    modules/caching/            the module whose slug is "caching"
        __init__.py             what its notebooks import: from martech.modules import caching
        demos.py                its demo servers (@demo)
        checks.py               its exercise checks (@task)
        served/                 the HTML, CSS, JS, templates and data its demos serve

Nothing here is shared machinery: that lives one level up (servers, client, checks, browser...).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def load_all() -> list[ModuleType]:
    """Import every course module (which registers its demos), in alphabetical order."""
    return [importlib.import_module(f"{__name__}.{info.name}")
            for info in pkgutil.iter_modules(__path__) if info.ispkg]
