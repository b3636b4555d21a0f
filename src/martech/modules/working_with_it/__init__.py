"""Module "working-with-it": From an idea to a brief IT can estimate.

The notebooks import it as ``from martech.modules import working_with_it``: the brief checker, the
acceptance-criteria runner, the estimate lab, the vendor-claims check and the exercise's checks.
"""

from martech.modules.working_with_it.acceptance import KNOWN_STEPS, parse_criteria, run_criteria  # noqa: F401
from martech.modules.working_with_it.brief import check_brief, check_brief_file, main, template  # noqa: F401
from martech.modules.working_with_it.checks import *  # noqa: F401,F403
from martech.modules.working_with_it.demos import claims, responsibility_table  # noqa: F401
from martech.modules.working_with_it.estimates import Estimate, Task, estimate_lab, project_tasks, working_day  # noqa: F401


def example_brief(name: str = "trail-page") -> str:
    """A brief from served/briefs: "trail-page" (passes), "vague-request" (the loyalty app) or "template"."""
    from martech.modules.working_with_it.brief import files
    from martech.problems import Problem

    names = ("trail-page", "vague-request", "template")
    if name not in names:
        raise Problem(f"There is no example brief called {name!r:.40}; there are: {', '.join(names)}.")
    return files.text(f"briefs/{name}.md")
