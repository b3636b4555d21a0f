"""The exercise checks of module "web-analytics": a campaign report from an event log.

Each check compares the answer with the numbers of the exercise's own log, and recognises the
usual mistakes (bots left in, rows or users counted instead of sessions) to say which one it is.
"""

from __future__ import annotations

import functools
import math

from martech.checks import NotYet, as_choice, as_text, as_whole_number, shown, task
from martech.modules.web_analytics.stats import sample_size_per_variant, two_proportion_test
from martech.modules.web_analytics.store import EventStore
from martech.modules.web_analytics.traffic import generate_traffic

EXERCISE_SEED = 28
EXERCISE_CAMPAIGN = "autumn_sale"
# The A/B test changes the headline of /autumn-sale only: a browser that never opened that page
# never saw either headline, so the test counts only the browsers that did (the exposed users).
EXPOSED = ("AND client_id IN (SELECT client_id FROM events WHERE event = 'page_view' AND page = '/autumn-sale')")


@functools.lru_cache(maxsize=1)
def _exercise_truth_store() -> EventStore:
    store = generate_traffic(seed=EXERCISE_SEED, people=3000, crawler_hits=500, click_bots=700)
    store.assign_sessions()
    return store


def campaign_log() -> EventStore:
    """The exercise's event log: two weeks of the shop's events, sessions already assigned.
    Yours to query and even change: the checks keep their own copy."""
    return _exercise_truth_store().copy()


def _numbers(campaign: str = EXERCISE_CAMPAIGN) -> dict[str, float]:
    """Every number a campaign report could give, right and wrong, keyed by how it was made."""
    store = _exercise_truth_store()
    out = {}
    for bots, where in [("humans", "AND is_bot = 0"), ("with bots", "")]:
        (out[f"sessions {bots}"], out[f"users {bots}"], out[f"page views {bots}"], out[f"events {bots}"],
         out[f"converting sessions {bots}"], out[f"purchases {bots}"], out[f"converting users {bots}"]), = store.rows(
            "SELECT COUNT(DISTINCT session_id), COUNT(DISTINCT client_id), "
            "SUM(event = 'page_view'), COUNT(*), "
            "COUNT(DISTINCT CASE WHEN event = 'purchase' THEN session_id END), SUM(event = 'purchase'), "
            "COUNT(DISTINCT CASE WHEN event = 'purchase' THEN client_id END) "
            f"FROM events WHERE campaign = ? {where}", (campaign,))
        out[f"tagged page views {bots}"] = store.rows(
            f"SELECT COUNT(*) FROM events WHERE event = 'page_view' AND utm_campaign = ? {where}", (campaign,))[0][0]
    return out


def _channel_rates(campaign: str = EXERCISE_CAMPAIGN, bots: bool = False) -> dict[str, tuple[int, int, float]]:
    """source / medium → (sessions, converting sessions, conversion rate in %) for the campaign."""
    rows = _exercise_truth_store().rows(
        "SELECT source || ' / ' || medium, COUNT(DISTINCT session_id), "
        "COUNT(DISTINCT CASE WHEN event = 'purchase' THEN session_id END) FROM events "
        f"WHERE campaign = ? {'' if bots else 'AND is_bot = 0'} GROUP BY source, medium", (campaign,))
    return {name: (sessions, converting, 100 * converting / sessions) for name, sessions, converting in rows}


def _ab_numbers(bots: bool = False, unit: str = "client_id", exposed: bool = True) -> tuple[int, int, int, int]:
    """(conversions A, users A, conversions B, users B): by default the users who saw /autumn-sale."""
    where = ("WHERE 1 = 1" if bots else "WHERE is_bot = 0") + (f" {EXPOSED}" if exposed else "")
    rows = dict((variant, (converted, total)) for variant, converted, total in _exercise_truth_store().rows(
        f"SELECT variant, COUNT(DISTINCT CASE WHEN event = 'purchase' THEN {unit} END), COUNT(DISTINCT {unit}) "
        f"FROM events {where} GROUP BY variant"))
    return (*rows["A"], *rows["B"])


def _number(answer, what: str, example: str = "12.5") -> float:
    if isinstance(answer, bool) or answer is None:
        raise NotYet(f"{what} should be a number; you gave {shown(answer)}.")
    if isinstance(answer, str):
        answer = answer.strip().rstrip("%").strip()
        # 4,28 is a decimal comma; 1,473.5 has a thousands separator.
        answer = answer.replace(",", ".") if "," in answer and "." not in answer and answer.count(",") == 1 \
            and len(answer.split(",")[1]) != 3 else answer.replace(",", "")
    try:
        number = float(answer)
    except (TypeError, ValueError, OverflowError):
        raise NotYet(f"{what} should be a number such as {example}; you gave {shown(answer)}.") from None
    if not math.isfinite(number):
        raise NotYet(f"{what} should be an ordinary number, not {shown(answer)}.")
    return number


def _count(answer, what: str) -> int:
    count = as_whole_number(answer, what)
    if count < 0:
        raise NotYet(f"{what} cannot be negative.")
    return count


SESSIONS_QUERY_HINT = ("count each session once: COUNT(DISTINCT session_id), for rows WHERE campaign = 'autumn_sale' "
                       "AND is_bot = 0.")


@task
def campaign_sessions(sessions):
    sessions = _count(sessions, "sessions")
    n = _numbers()
    if sessions == n["sessions humans"]:
        return (f"{sessions:,} sessions. One session is one visit, however many pages and events it has; "
                "bots left out.")
    mistakes = [
        ("page views humans", "that is the number of page views. A session usually has several page views: "
                              "count distinct session_id instead of rows."),
        ("events humans", "that is the number of rows (events) for the campaign. Each session sends many events: "
                          "count distinct session_id instead."),
        ("users humans", "that is the number of users (distinct client_id). One user can visit several times: "
                         "count distinct session_id instead."),
        ("sessions with bots", "the bots are still in. Add AND is_bot = 0: crawlers and click bots are not customers."),
        ("users with bots", "that counts users, not sessions, and the bots are still in."),
        ("page views with bots", "that counts page views, bots included. Count distinct session_id, with is_bot = 0."),
        ("events with bots", "that counts every row, bots included. Count distinct session_id, with is_bot = 0."),
        ("tagged page views humans", "close: you counted page views that carried the campaign's UTM tags. Use the "
                                     "session's campaign column instead, and count distinct session_id."),
        ("tagged page views with bots", "you counted tagged page views, bots included. Use the session's campaign "
                                        "column, count distinct session_id, and add is_bot = 0."),
    ]
    for key, hint in mistakes:
        if sessions == n[key]:
            raise NotYet(hint)
    raise NotYet(f"{sessions:,} is not the number of sessions. Hint: {SESSIONS_QUERY_HINT}")


@task
def campaign_users(users):
    users = _count(users, "users")
    n = _numbers()
    if users == n["users humans"]:
        return (f"{users:,} users: browsers, really. One person on a phone and a laptop counts twice (unless a "
                "User-ID joins them); "
                f"one browser that visits three times counts once (and makes {n['sessions humans']:,} sessions in all).")
    if users == n["sessions humans"]:
        raise NotYet("that is the number of sessions (visits). A user is one browser, one client_id: "
                     "count distinct client_id.")
    if users == n["users with bots"]:
        raise NotYet("the bots are still in: add AND is_bot = 0. Each bot visit arrives without a cookie, "
                     "so each one looks like a new user.")
    if users in (n["page views humans"], n["events humans"], n["page views with bots"], n["events with bots"]):
        raise NotYet("that counts rows (events or page views). A user is one browser: count distinct client_id.")
    if users == n["sessions with bots"]:
        raise NotYet("that counts sessions, bots included. Count distinct client_id, with is_bot = 0.")
    raise NotYet(f"{users:,} is not the number of users. Hint: COUNT(DISTINCT client_id) for rows WHERE "
                 "campaign = 'autumn_sale' AND is_bot = 0.")


@task
def campaign_conversion_rate(percent):
    percent = _number(percent, "the conversion rate")
    n = _numbers()
    truth = 100 * n["converting sessions humans"] / n["sessions humans"]
    if abs(percent - truth) < 0.06:
        return (f"{truth:.2f}%: {n['converting sessions humans']:,} of {n['sessions humans']:,} sessions ended in a "
                "purchase. That is the session conversion rate.")
    if abs(100 * percent - truth) < 6:
        raise NotYet(f"{percent} looks like a fraction. Give a percentage: multiply by 100.")
    candidates = [
        (100 * n["converting sessions with bots"] / n["sessions with bots"],
         "the bots are still in the denominator: they never buy, so they pull the rate down. Add is_bot = 0."),
        (100 * n["converting users humans"] / n["users humans"],
         "that is purchases per user, not per session. The session conversion rate divides by sessions."),
        (100 * n["purchases humans"] / n["page views humans"],
         "that divides by page views. Divide the sessions with a purchase by all sessions."),
        (100 * n["purchases humans"] / n["events humans"],
         "that divides by all rows (events). Divide the sessions with a purchase by all sessions."),
        (100 * n["converting users with bots"] / n["users with bots"],
         "that is per user, and bots included. Use sessions, with is_bot = 0."),
        (100 * n["purchases with bots"] / n["page views with bots"],
         "that divides by page views, bots included. Use sessions, with is_bot = 0."),
    ]
    for value, hint in candidates:
        if abs(percent - value) < 0.06:
            raise NotYet(hint)
    raise NotYet("divide the sessions that had a purchase (COUNT(DISTINCT CASE WHEN event = 'purchase' "
                 "THEN session_id END)) by all sessions of the campaign, bots left out, and multiply by 100.")


@task
def best_channel(source_medium):
    answer = as_text(source_medium, "source_medium").lower().replace(" ", "")
    rates = _channel_rates()
    best = max(rates, key=lambda k: rates[k][2])
    names = {name.replace(" ", ""): name for name in rates}
    chosen = names.get(answer) or next((n for k, n in names.items() if answer and answer in k.split("/")
                                        and sum(answer in j.split("/") for j in names) == 1), None)
    if chosen is None:
        raise NotYet("write one of the campaign's source / medium pairs as text in quotes; "
                     f"they are: {', '.join(sorted(rates))}.")
    if chosen == best:
        sessions, converting, rate = rates[best]
        return (f"{best}: {rate:.1f}% of its {sessions:,} sessions bought. Not the most sessions, nor the most "
                "purchases, but the best rate.")
    most_sessions = max(rates, key=lambda k: rates[k][0])
    most_purchases = max(rates, key=lambda k: rates[k][1])
    with_bots = _channel_rates(bots=True)
    if chosen == most_purchases:
        raise NotYet(f"{chosen} brings the most purchases, but the question is about the rate: purchases per session.")
    if chosen == most_sessions:
        raise NotYet(f"{chosen} brings the most sessions, not the best conversion rate.")
    if chosen == max(with_bots, key=lambda k: with_bots[k][2]):
        raise NotYet("with the bots left in, maybe. Leave them out (is_bot = 0) and compare again.")
    raise NotYet(f"{chosen} converts {rates[chosen][2]:.1f}% of its sessions; another source / medium does better. "
                 "Compare sessions with a purchase ÷ sessions, per source and medium.")


@task
def ab_decision(p_value, decision):
    p_value = _number(p_value, "p_value", example="0.04")
    letter = as_choice(decision, "abc", "decision")
    truth = two_proportion_test(*_ab_numbers())
    if not 0 <= p_value <= 1:
        raise NotYet("a p-value is a probability: between 0 and 1.")
    if abs(p_value - truth.p_value) > 0.003:  # 0.12 for 0.1177 passes; other counts differ more
        for numbers, hint in [
            (_ab_numbers(exposed=False), "that test counts every browser, also those that never opened /autumn-sale "
                                         "and so never saw a headline. Count only the users with a page_view of "
                                         "/autumn-sale."),
            (_ab_numbers(bots=True), "the bots are still in. They are in both variants and never buy: leave them out."),
            (_ab_numbers(bots=True, exposed=False), "that counts every browser, bots included. Leave the bots out "
                                                    "and count only the users who saw /autumn-sale."),
            (_ab_numbers(unit="session_id"), "that test counts sessions. An A/B test assigns users (browsers): "
                                             "count distinct client_id per variant, and the users who bought."),
            (_ab_numbers(bots=True, unit="session_id"), "that test counts sessions, bots included. Count users "
                                                        "(distinct client_id), with is_bot = 0."),
        ]:
            if abs(p_value - two_proportion_test(*numbers).p_value) <= 0.003:
                raise NotYet(hint)
        raise NotYet("that is not the p-value of these numbers. Pass conversions and users of A, then of B, to "
                     "check.two_proportion_test(...) and read its p_value.")
    if letter == "a":
        raise NotYet(f"that is calling the test before it is significant. p = {truth.p_value:.2f} is above 0.05: "
                     f"a lift of {truth.lift:+.1f}% happens easily by chance with this many users.")
    if letter == "c":
        raise NotYet("nothing shows that A is better either. The difference is not significant in any direction.")
    needed = sample_size_per_variant(truth.rate_a, 0.10)
    weeks = needed / (truth.users_a / 14) / 7
    return (f"p = {truth.p_value:.2f}: no winner yet. To see a 10% lift reliably, the test needs about "
            f"{needed:,} users per variant; it has {truth.users_a:,} and {truth.users_b:,}: about {weeks:.0f} weeks "
            "at this traffic. Test a bolder change, or a step more users reach (such as add to cart).")
