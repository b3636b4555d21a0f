"""What a third-party tag costs the campaign page, from loads already measured (lab.measure_many).

    tag_costs(loads, without="no tag")       first paint, how much later, CLS, INP and third-party bytes
    tag_verdicts(loads, without="no tag")    the same as yes or no, which does not change from run to run
"""

from __future__ import annotations

from martech.modules.speed_and_bandwidth.lab import THRESHOLDS, Load, Table, _loads, _shown, kb
from martech.problems import Problem


def _vendor_bytes(load: Load) -> int:
    return sum(r.bytes for r in load.resources if r.party(load.url) != "own")


def _with_base(loads: list[Load], without: str) -> tuple[list[Load], Load]:
    """The loads, checked, and the one labelled ``without`` that the others are compared with."""
    loads = _loads(loads)
    base = next((l for l in loads if l.label == without), None)
    if base is None:
        raise Problem(f"None of the loads is labelled {without!r}; their labels: {', '.join(l.label for l in loads)}.")
    return loads, base


def tag_costs(loads: list[Load], without: str) -> Table:
    """Each version against the one labelled ``without``: how much later it painted, CLS, INP, third-party bytes."""
    loads, base = _with_base(loads, without)
    width = max(len(l.label) for l in loads) + 2
    lines = [f"{'':<{width}}{'first paint':>12}{'later by':>10}{'CLS':>7}{'INP':>9}{'third-party bytes':>19}"]
    for l in loads:
        later = (l.fcp - base.fcp) * 1000 if l.fcp is not None and base.fcp is not None else None
        inp = "-" if l.inp is None else f"{l.inp:.0f} ms"
        lines.append(f"{l.label:<{width}}{_shown('LCP', l.fcp):>12}{'-' if later is None else f'{later:.0f} ms':>10}"
                     f"{l.cls:>7.2f}{inp:>9}{kb(_vendor_bytes(l)):>19}")
    return Table("\n".join(lines))


def _painted_after_vendor_script(load: Load) -> bool:
    """Whether nothing was painted until a third party's script had arrived: what a blocking tag does.

    A yes or no that does not depend on how busy the computer is, as "how many ms later" would.
    """
    arrived = [r.finished for r in load.resources
               if r.kind == "JS" and r.finished is not None and r.party(load.url) != "own"]
    return load.fcp is not None and bool(arrived) and load.fcp >= min(arrived)


def tag_verdicts(loads: list[Load], without: str) -> Table:
    """The same comparison as yes or no, which does not change from run to run."""
    loads, _ = _with_base(loads, without)  # refuses a label that is not there, as tag_costs does
    width = max(len(l.label) for l in loads) + 2
    lines = [f"{'':<{width}}{'holds up first paint':>22}{'moves the page':>16}{'slows each tap':>16}"]
    yes = lambda flag: "yes" if flag else "no"
    for l in loads:
        late = _painted_after_vendor_script(l)
        taps = "-" if l.inp is None else yes(l.inp > THRESHOLDS["INP"][0])
        lines.append(f"{l.label:<{width}}{yes(late):>22}{yes(l.cls > THRESHOLDS['CLS'][0]):>16}{taps:>16}")
    return Table("\n".join(lines))
