"""Exercise checks: right answers pass, and any input at all gets a friendly verdict."""

import inspect

import pytest

from martech import modules
from martech.checks import Verdict

# Every @task of every module, whichever file of the module defines it.
CHECKS = []
for module in modules.load_all():
    short = module.__name__.rsplit(".", 1)[1]
    CHECKS += [(f"{short}.{name}", fn) for name, fn in vars(module).items()
               if getattr(fn, "is_task", False) and fn.__module__.startswith(module.__name__)]

ODD_INPUTS = [None, "", "   ", 0, -1, 3.5, float("nan"), True, [], {}, ["404"], b"404", object(),
              "💥" * 500, "404; DROP TABLE", "\x00", 10**100, ...]


def test_there_are_checks_to_test():
    assert len(CHECKS) >= 5


@pytest.mark.parametrize("name, check", CHECKS, ids=[n for n, _ in CHECKS])
def test_any_input_gets_a_friendly_not_yet(name, check):
    arity = len(inspect.signature(check).parameters)
    wrong = []
    for odd in ODD_INPUTS:
        shown = repr(odd)[:30]
        try:
            verdict = check(*[odd] * arity)
        except Exception as error:  # what a learner would see as a traceback
            wrong.append(f"{shown}: {type(error).__name__}: {error}")
            continue
        if not isinstance(verdict, Verdict):
            wrong.append(f"{shown}: gave {verdict!r}, not a verdict")
        elif verdict.passed or not repr(verdict).startswith("✘ Not yet: ") or len(verdict.message) <= 10:
            wrong.append(f"{shown}: {verdict!r}")
        elif "Traceback" in verdict.message:
            wrong.append(f"{shown}: a traceback in {verdict.message!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name, check", CHECKS, ids=[n for n, _ in CHECKS])
def test_wrong_number_of_answers_is_explained(name, check):
    verdict = check()
    assert not verdict.passed and "could not read" in verdict.message


def test_placeholder_asks_for_an_answer():
    from martech.modules.how_the_web_works import url_parts

    assert "replace the ..." in url_parts(..., "/spring-sale", "x").message


@pytest.mark.parametrize("answers, hint", [
    (("https://shop.example", "/spring-sale", "utm_source=newsletter"), "leave out https://"),
    (("shop.example:8443", "/spring-sale", "utm_source=newsletter"), "8443 is the port"),
    (("shop.example", "/spring-sale?utm_source=newsletter", "utm_source=newsletter"), "stops where the query"),
    (("shop.example", "/spring-sale", "utm_source=newsletter#sizes"), "fragment"),
])
def test_url_parts_points_at_the_mistake(answers, hint):
    from martech.modules.how_the_web_works import url_parts

    verdict = url_parts(*answers)
    assert not verdict.passed and hint in verdict.message


def test_status_codes_spot_a_swap_and_accept_text_numbers():
    from martech.modules.how_the_web_works import status_codes

    assert "swapped" in status_codes(302, 301, 404, 500).message
    assert status_codes("301", "302", "404", "500").passed
    assert "410 Gone" in status_codes(301, 302, 410, 500).message


def test_newsletter_redirect_checks_against_the_real_server():
    from martech.modules.how_the_web_works import newsletter_redirect

    assert newsletter_redirect(302, "/spring-sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring").passed
    assert "copy the query" in newsletter_redirect(302, "/spring-sale").message
    assert "following the redirect" in newsletter_redirect(200, "/spring-sale").message


def test_waiting_time_catches_units():
    from martech.modules.how_the_web_works import waiting_time

    assert waiting_time(6).passed and waiting_time("6.0").passed
    assert "milliseconds" in waiting_time(6000).message
