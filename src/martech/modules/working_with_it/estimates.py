"""The estimate lab: three-point estimates, simulated thousands of times, give a delivery date as a chance.

    lab = estimate_lab()                  # the loyalty-points project of served/tasks.json
    lab.chance_by(35)                     # % of simulated projects done within 35 working days
    lab.days_for(80)                      # working days needed for an 80% chance
    lab.plot(deadline=40)                 # the distribution, with the likely sum, 50% and 80% marked

Each task's duration is drawn from a beta-PERT distribution between its optimistic and pessimistic
values, peaking at the most likely one (PERT's mean is (O + 4M + P) / 6). The tasks are added up as if
one team did them one after another. A fixed seed makes every run, and the stored outputs, the same.
"""

from __future__ import annotations

import datetime
import json
import math
from dataclasses import dataclass

from martech.problems import Problem
from martech.served import Served

files = Served(__file__)
PROJECT = json.loads(files.text("tasks.json"))
MOST_RUNS = 200_000


@dataclass(frozen=True)
class Task:
    task: str
    optimistic: float
    likely: float
    pessimistic: float
    must: bool = True

    @property
    def pert_mean(self) -> float:
        return (self.optimistic + 4 * self.likely + self.pessimistic) / 6

    @property
    def pert_spread(self) -> float:
        """PERT's standard deviation, (P - O) / 6."""
        return (self.pessimistic - self.optimistic) / 6


def _number(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise Problem(f"{what} should be a number of working days, 0 or more, such as 3; you gave {value!r:.40}.")
    return float(value)


def as_task(row) -> Task:
    """A task from a dict {task, optimistic, likely, pessimistic, must} or a tuple (name, O, M, P[, must])."""
    if isinstance(row, Task):
        return row
    if isinstance(row, dict):
        row = (row.get("task"), row.get("optimistic"), row.get("likely"), row.get("pessimistic"), row.get("must", True))
    if not isinstance(row, (tuple, list)) or len(row) not in (4, 5) or not isinstance(row[0], str) or not row[0].strip():
        raise Problem("Write each task as (name, optimistic, most likely, pessimistic), such as "
                      "(\"Earn points at checkout\", 3, 5, 12); you gave " + repr(row)[:60] + ".")
    name = row[0].strip()
    low, likely, high = (_number(v, f"{name!r}: the {w} estimate") for v, w in
                         zip(row[1:4], ("optimistic", "most likely", "pessimistic")))
    if not low <= likely <= high:
        raise Problem(f"{name!r}: the estimates must go optimistic ≤ most likely ≤ pessimistic; you gave "
                      f"{low:g}, {likely:g}, {high:g}. Did you swap two of them?")
    must = row[4] if len(row) == 5 else True
    return Task(name, low, likely, high, bool(must))


def project_tasks() -> list[Task]:
    return [as_task(row) for row in PROJECT["tasks"]]


class Estimate:
    """One project simulated ``runs`` times: what the delivery date looks like as a chance."""

    def __init__(self, tasks, runs: int = 10_000, seed: int = 2026):
        import numpy as np

        if isinstance(tasks, (str, bytes, dict)) or not hasattr(tasks, "__iter__"):
            raise Problem("Give a list of tasks, each (name, optimistic, most likely, pessimistic).")
        self.tasks = [as_task(t) for t in tasks]
        if not self.tasks:
            raise Problem("The list of tasks is empty: there is nothing to estimate.")
        if isinstance(runs, bool) or not isinstance(runs, int) or not 100 <= runs <= MOST_RUNS:
            raise Problem(f"runs should be a whole number from 100 to {MOST_RUNS:,}, such as 10000; you gave {runs!r:.30}.")
        if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32:
            raise Problem(f"seed should be a whole number from 0 to {2**32 - 1:,}; you gave {seed!r:.30}.")
        self.runs, self.seed = runs, seed
        rng = np.random.default_rng(seed)
        totals = np.zeros(runs)
        for task in self.tasks:
            width = task.pessimistic - task.optimistic
            if width == 0:
                totals += task.optimistic
                continue
            a = 1 + 4 * (task.likely - task.optimistic) / width
            b = 1 + 4 * (task.pessimistic - task.likely) / width
            totals += task.optimistic + width * rng.beta(a, b, runs)
        self.totals = totals

    @property
    def likely_total(self) -> float:
        """The sum of the most likely values: the date if every task goes 'as usual'."""
        return sum(t.likely for t in self.tasks)

    @property
    def best_case(self) -> float:
        return sum(t.optimistic for t in self.tasks)

    @property
    def worst_case(self) -> float:
        return sum(t.pessimistic for t in self.tasks)

    def chance_by(self, days) -> float:
        """The % of simulated projects finished within ``days`` working days."""
        days = _number(days, "days")
        return round(100 * float((self.totals <= days).mean()), 1)

    def days_for(self, chance) -> float:
        """Working days needed for a ``chance`` % of finishing (80 → the 80th percentile)."""
        import numpy as np

        if isinstance(chance, bool) or not isinstance(chance, (int, float)) or not 0 < chance < 100:
            raise Problem(f"chance should be a percentage between 0 and 100, such as 80; you gave {chance!r:.30}.")
        return round(float(np.percentile(self.totals, chance)), 1)

    def buffer(self, chance=80) -> float:
        """How many days the ``chance`` date lies after the sum of the most likely values."""
        return round(self.days_for(chance) - self.likely_total, 1)

    def summary(self) -> str:
        lines = [f"{len(self.tasks)} tasks, simulated {self.runs:,} times (seed {self.seed})",
                 f"  best case, every task at its optimistic value:   {self.best_case:5.1f} working days",
                 f"  every task as most likely (the naive sum):       {self.likely_total:5.1f} days, "
                 f"with a chance of {self.chance_by(self.likely_total):.0f}%",
                 f"  half of the simulated projects finish within:    {self.days_for(50):5.1f} days",
                 f"  80% of them finish within:                       {self.days_for(80):5.1f} days "
                 f"(the buffer: {self.buffer(80):.1f} days after the naive sum)",
                 f"  95% of them finish within:                       {self.days_for(95):5.1f} days",
                 f"  worst case, every task at its pessimistic value: {self.worst_case:5.1f} days"]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return self.summary()

    def figure(self, deadline=None, title: str | None = None):
        """The distribution as a matplotlib figure: how many simulated projects finish on each day."""
        import matplotlib

        matplotlib.use("Agg") if not _in_notebook() else None
        import matplotlib.pyplot as plt

        figure, ax = plt.subplots(figsize=(8, 3.6), dpi=90)
        ax.hist(self.totals, bins=40, color="#9fb3d9", edgecolor="white")
        marks = [(self.likely_total, "#b3261e", "--", "naive sum"),
                 (self.days_for(50), "#2b3a67", ":", "50%"),
                 (self.days_for(80), "#2b3a67", "-", "80%")]
        if deadline is not None:
            marks.append((_number(deadline, "deadline"), "#1b5e20", "-.", "deadline"))
        top = ax.get_ylim()[1]
        for x, colour, style, label in marks:
            ax.axvline(x, color=colour, linestyle=style, linewidth=2)
            ax.text(x, top * 0.97, f" {label}\n {x:g} d", color=colour, va="top", fontsize=10)
        ax.set_xlabel("working days until the project is done")
        ax.set_ylabel(f"simulated projects (of {self.runs:,})")
        ax.set_title(title or PROJECT["project"], fontsize=12)
        ax.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        return figure

    def plot(self, deadline=None, title: str | None = None) -> None:
        import matplotlib.pyplot as plt

        self.figure(deadline, title)
        plt.show()


def _in_notebook() -> bool:
    import sys

    return "ipykernel" in sys.modules


def estimate_lab(scope: str = "all", runs: int = 10_000, seed: int = 2026) -> Estimate:
    """The loyalty-points project: scope "all" (every task) or "must" (the nice-to-haves cut)."""
    if scope not in ("all", "must"):
        raise Problem(f"scope should be \"all\" (every task) or \"must\" (without the nice-to-haves); you gave {scope!r:.30}.")
    tasks = [t for t in project_tasks() if scope == "all" or t.must]
    return Estimate(tasks, runs, seed)


def working_day(start, days) -> datetime.date:
    """The last day of ``days`` working days (Monday to Friday, no holidays) that begin on ``start``.

    ``start`` is a date or text such as "2026-10-05"; working_day("2026-10-05", 1) is 5 October itself.
    """
    if isinstance(start, str):
        try:
            start = datetime.date.fromisoformat(start.strip())
        except ValueError:
            raise Problem(f"start should be a date written year-month-day, such as \"2026-09-07\"; you gave {start!r:.30}.") from None
    if not isinstance(start, datetime.date):
        raise Problem(f"start should be a date such as \"2026-09-07\"; you gave {start!r:.30}.")
    days = math.ceil(_number(days, "days"))
    if days > 5000:
        raise Problem("That is more than 20 years of working days: check the number.")
    if days == 0:
        return start
    day, left = start - datetime.timedelta(days=1), days  # the start day is day 1 when it is a working day
    while left > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day
