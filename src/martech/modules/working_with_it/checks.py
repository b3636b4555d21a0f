"""The exercise checks of module "working-with-it": each returns a sentence, or raises NotYet with a hint."""

from __future__ import annotations

import datetime
import math
import re

from martech.checks import NotYet, as_text, expect_choice, shown, task
from martech.problems import Problem
from martech.modules.working_with_it.acceptance import parse_criteria, run_criteria
from martech.modules.working_with_it.brief import check_brief
from martech.modules.working_with_it.estimates import estimate_lab, working_day

__all__ = ["loyalty_brief", "criteria_catch_the_bug", "launch_date", "vendor_claim"]

BLACK_FRIDAY = datetime.date(2026, 11, 27)
WORK_STARTS = datetime.date(2026, 10, 5)
BUGGY_PAGE = "/hand-edited/trail-shoes"
RIGHT_PAGE = "/template?product=trail-shoes"


@task
def loyalty_brief(brief):
    """Task 1: the vague loyalty-app request, turned into a brief that passes the checker."""
    brief = as_text(brief, "the brief")
    report = check_brief(brief)
    if not report.passed:
        first = report.problems[:3]
        shown_first = f"The first {len(first)}" if len(report.problems) > 3 else "They are"
        raise NotYet(f"the checker still finds {len(report.problems)} thing(s) to fix; check.check_brief(brief) lists "
                     f"them all. {shown_first}: " + " | ".join(first))
    fields = report.brief
    words = " ".join(str(v) for v in fields.values()).lower()
    if "loyal" not in words and "points" not in words:
        raise NotYet("the brief passes, but it is not about the loyalty request any more: say in the title or goal "
                     "what the loyalty scheme should do.")
    scope = " ".join(map(str, (fields.get("scope_in") or []) + (fields.get("scope_out") or []))).lower()
    if not re.search(r"\bapps?\b", scope):
        raise NotYet("the request said \"app\". Decide it in the scope: is a mobile app in (scope_in) or out "
                     "(scope_out)? That one line changes IT's estimate from weeks to months.")
    deadline = fields.get("deadline")
    if isinstance(deadline, str):
        deadline = datetime.date.fromisoformat(deadline.strip())
    if isinstance(deadline, datetime.datetime):
        deadline = deadline.date()
    if deadline >= BLACK_FRIDAY:
        raise NotYet(f"the deadline {deadline} is not before Black Friday ({BLACK_FRIDAY:%d %B %Y}): the scheme must "
                     "be live, and tested, before the first Black Friday email goes out.")
    return (f"the checker passes it: IT can now estimate \"{fields['title']}\", and knows what is out of scope, who "
            "decides on each side, and how everyone will know that it worked.")


def _opens(scenario, page: str) -> bool:
    return any(kind == "when" and page in words for kind, words in scenario.steps)


def _rewritten(scenario, old: str, new: str) -> str:
    lines = [f"Scenario: {scenario.name}"]
    lines += [f"{kind.title()} {words.replace(old, new)}" for kind, words in scenario.steps]
    return "\n".join(lines)


@task
def criteria_catch_the_bug(criteria):
    """Task 2: two criteria that pass against the landing demo, and one that catches the hand-edited page's bug."""
    from martech.servers import demo_server

    criteria = as_text(criteria, "your criteria")
    try:
        scenarios = parse_criteria(criteria)
    except Problem as problem:
        raise NotYet(str(problem)) from None
    with demo_server("landing") as landing:
        report = run_criteria(criteria, landing)
        if report.undefined:
            first = report.undefined[0]
            raise NotYet(f"the step '{first.step}' in \"{first.scenario}\" matches no step the runner knows. Use the "
                         "sentences listed in the notebook, such as: Then the title contains \"trail shoes\".")
        catches = []
        for scenario, outcome in zip(scenarios, report.outcomes):
            if outcome.status == "failed" and _opens(scenario, BUGGY_PAGE):
                on_right_page = run_criteria(_rewritten(scenario, BUGGY_PAGE, RIGHT_PAGE), landing)
                if on_right_page.passed:
                    catches.append(scenario.name)
    if len(report.passed) < 2:
        raise NotYet(f"{len(report.passed)} scenario(s) pass; write at least two that pass, for example against "
                     f"/spring-sale or {RIGHT_PAGE}.")
    if not any(_opens(s, BUGGY_PAGE) for s in scenarios):
        raise NotYet(f"no scenario opens the page IT says is ready, {BUGGY_PAGE}: write one that does.")
    if not catches:
        failing = [o for o in report.failed]
        if failing:
            raise NotYet(f"\"{failing[0].scenario}\" fails, but it would also fail on the correct trail page "
                         f"({RIGHT_PAGE}), so it tests something the page never promised. Check what a trail-shoe "
                         "page should say: its title, its share preview, its picture.")
        raise NotYet(f"every scenario passes, so none caught the bug. Look at {BUGGY_PAGE}: its heading says trail "
                     "shoes, but what do its title, its share preview and its picture say?")
    return (f"{len(report.passed)} criteria pass, and \"{catches[0]}\" fails on {BUGGY_PAGE} but passes on the "
            "page made from the template: it caught a real bug, before any customer saw it.")


def _as_date(answer) -> datetime.date:
    if isinstance(answer, datetime.datetime):
        return answer.date()
    if isinstance(answer, datetime.date):
        return answer
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        raise NotYet(f"{shown(answer)} looks like a number of working days. Turn it into a date with "
                     "check.working_day(\"2026-10-05\", days), and give the date as text, such as \"2026-11-02\".")
    text = as_text(answer, "the launch date")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise NotYet(f"write the date as year-month-day in quotes, such as \"2026-11-02\"; you gave {shown(answer)}.") from None


def _working_days(start: datetime.date, end: datetime.date) -> int:
    days, day = 0, start
    while day <= end:
        days += day.weekday() < 5
        day += datetime.timedelta(days=1)
    return days


@task
def launch_date(answer):
    """Task 3: the must-have scope, starting 5 October 2026: the first date with at least an 80% chance."""
    date = _as_date(answer)
    if date.weekday() >= 5:
        raise NotYet(f"{date:%A} {date.day} {date:%B} is a weekend: the lab counts working days, Monday to Friday.")
    if date < WORK_STARTS:
        raise NotYet(f"work starts on {WORK_STARTS:%A} {WORK_STARTS.day} {WORK_STARTS:%B %Y}; the launch comes after that.")
    if date > WORK_STARTS + datetime.timedelta(days=400):
        raise NotYet("that is more than a year away: read the 80% line of the must-have chart.")
    must, everything = estimate_lab("must"), estimate_lab("all")
    days = _working_days(WORK_STARTS, date)
    chance = must.chance_by(days)
    right = working_day(WORK_STARTS, math.ceil(must.days_for(80)))
    if date == working_day(WORK_STARTS, math.ceil(everything.days_for(80))):
        raise NotYet("that is the 80% date with every task. The plan cut the points shop and the referral bonus: "
                     "use estimate_lab(\"must\").")
    if chance < 50:
        raise NotYet(f"{days} working days give only a {chance:.0f}% chance. Adding up the most likely values "
                     f"({must.likely_total:g} days) gives a date you will usually miss: read the 80% line instead.")
    if chance < 80:
        raise NotYet(f"{days} working days give a {chance:.0f}% chance: close, but under 80%. Take days_for(80), "
                     "round it up to a whole day, then count the working days from 5 October.")
    if date > right:
        raise NotYet(f"that date has a chance of {chance:.0f}%, more than asked: the first date with 80% is earlier. "
                     "Round days_for(80) up, not further.")
    return (f"{date:%A} {date.day} {date:%B %Y}: {days} working days, a chance of {chance:.0f}%. The most likely sum, "
            f"{must.likely_total:g} days, had only {must.chance_by(must.likely_total):.0f}%: the difference is IT's buffer.")


@task
def vendor_claim(choice):
    """Task 4: the best next question to a vendor who says "cookieless, so no consent needed"."""
    expect_choice(choice, "b", {
        "a": "a yes costs the vendor nothing. \"GDPR-compliant\" is a claim, not evidence: ask how the tool works, "
             "then ask for the data processing agreement.",
        "c": "a fair question, but it does not test the claim: a tool can work in Safari and still read the "
             "device without consent.",
        "d": "many customers prove that it sells, not that it works as claimed, or that it is lawful for you.",
    })
    return ("\"cookieless\" still has to recognise a returning visitor somehow: localStorage, a login or a "
            "fingerprint. Reading anything from the device can need consent just like a cookie.")
