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


# ── The hints in the learner's language (i18n/<lang>/hints.yml) ──

@pytest.fixture
def language(monkeypatch):
    """No language chosen, none in the environment; the choice undone afterwards (xdist runs a
    worker's tests in one process, so a language left chosen would leak into the next test)."""
    from martech import checks

    for name in ("MARTECH_LANGUAGE", "MARTECH_HINTS_DIR", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    checks.use_language(None)
    yield checks
    checks.use_language(None)


def test_use_language_gives_the_hints_in_finnish(language):
    from martech.modules.how_the_web_works import status_codes, url_parts

    language.use_language("fi")
    assert repr(url_parts("https://shop.example", "/spring-sale", "x")) == \
        "✘ Ei vielä: isäntä on pelkkä nimi: jätä pois https:// ja kaikki kauttaviivat."
    # The learner's own answer is shown as they typed it, inside the Finnish sentence.
    assert url_parts("shop.exampel", "/spring-sale", "x").message == \
        "'shop.exampel' ei ole isäntä. Katso, mitä https://:n ja kaksoispisteen välissä on."
    assert repr(status_codes(301, 302, 404, 500)).startswith("✔ Oikein: 301 pysyvään muuttoon")
    assert repr(url_parts(..., "/spring-sale", "x")).startswith("✘ Ei vielä: korvaa ... omalla vastauksellasi")


def test_the_language_can_come_from_the_environment(language, monkeypatch):
    from martech.modules.how_the_web_works import status_codes

    monkeypatch.setenv("MARTECH_LANGUAGE", "th")
    assert repr(status_codes(302, 301, 404, 500)).startswith("✘ ยังไม่ถูก: คุณสลับ 301 กับ 302 กัน")
    monkeypatch.delenv("MARTECH_LANGUAGE")
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")                     # the system's language
    assert status_codes(302, 301, 404, 500).message.startswith("vaihdoit 301:n ja 302:n keskenään.")
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")                   # LC_ALL comes before LANG
    assert repr(status_codes(302, 301, 404, 500)).startswith("✘ 还没对：你把 301 和 302 弄反了。")
    language.use_language("en")                                   # and the learner's choice before both
    assert repr(status_codes(302, 301, 404, 500)).startswith("✘ Not yet: you swapped 301 and 302.")


def test_english_is_the_default_and_a_language_without_hints_is_english(language, monkeypatch):
    from martech.modules.how_the_web_works import status_codes

    english = "✘ Not yet: not_found: a page that does not exist answers 404 Not Found."
    assert repr(status_codes(301, 302, 400, 500)) == english
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert repr(status_codes(301, 302, 400, 500)) == english
    monkeypatch.setenv("MARTECH_LANGUAGE", "de")                  # no German hints: English, silently
    assert repr(status_codes(301, 302, 400, 500)) == english


def test_a_language_there_are_no_hints_in_is_refused_in_plain_words(language):
    from martech.modules.how_the_web_works import status_codes
    from martech.problems import Problem

    for wrong in ["xx", 5, "de"]:
        with pytest.raises(Problem) as refused:
            language.use_language(wrong)
        assert str(refused.value) == (f"There are no hints in {wrong!r}. The languages there are: ar, en, fi, th, zh. "
                                      'For example: use_language("fi").')
    assert repr(status_codes(302, 301, 404, 500)).startswith("✘ Not yet: ")  # nothing changed


def test_hints_can_come_from_json_files(language, monkeypatch, tmp_path):
    """For a Python without PyYAML (Pyodide in the browser): MARTECH_HINTS_DIR/<lang>.json."""
    from martech.modules.how_the_web_works import status_codes

    (tmp_path / "fi.json").write_text('{"✘ Not yet: {message}": "✘ Ei vielä: {message}"}', encoding="utf-8")
    monkeypatch.setenv("MARTECH_HINTS_DIR", str(tmp_path))
    language.use_language("fi")
    # What the JSON file lacks stays English.
    assert repr(status_codes(302, 301, 404, 500)).startswith("✘ Ei vielä: you swapped 301 and 302.")
