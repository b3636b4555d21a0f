"""Module "working-with-it": what a learner sees from the brief checker, the criteria runner, the estimate lab and the demo."""

import datetime
from pathlib import Path

import pytest

from martech.client import fetch
from martech.problems import Problem
from martech.servers import demo_server
from martech.modules import working_with_it as wit
from martech.modules.working_with_it import checks
from martech.modules.working_with_it.brief import files, main

ROOT = Path(__file__).resolve().parents[1]
GOOD = wit.example_brief("trail-page")


@pytest.fixture(scope="module")
def landing():
    with demo_server("landing") as server:
        yield server


# ── The brief checker ────────────────────────────────────────────────────────────


def test_the_vague_request_lists_what_it_lacks_in_plain_words():
    report = wit.check_brief(wit.example_brief("vague-request"))
    assert not report.passed
    text = repr(report)
    for field in ("success_measure", "audience", "scope_out", "privacy", "owners", "acceptance_criteria"):
        assert f"{field}: missing" in text
    assert "'ASAP' is not a date" in text and "'TBD' cannot be compared" in text
    assert "Traceback" not in text


def test_a_complete_brief_passes_and_says_so():
    report = wit.check_brief(GOOD, "trail-page.md")
    assert report.passed, report.problems
    assert repr(report).startswith("✔ trail-page.md has everything IT needs")


def test_a_misspelt_field_gets_a_suggestion():
    report = wit.check_brief(GOOD.replace("audience:", "audiance:"))
    assert any("did you mean 'audience'?" in p for p in report.problems)


@pytest.mark.parametrize("change, hint", [
    (("success_measure: 300 trail-shoe orders", "success_measure: lots of trail-shoe orders"), "give a number to reach"),
    (("deadline: 2027-02-26", "deadline: end of February"), "is not a date"),
    (("  legal_basis: consent (newsletter sign-up)\n", ""), "add legal_basis"),
    (("it: Omar Haddad (web team lead)", "it: Lena Fischer (campaign manager)"), "the same person"),
    (("budget: 4000 EUR", "budget: we will see"), "give an amount or a range"),
    (("  - Given the campaign page, When a visitor opens", "  - The page works when a visitor opens"), "write it as Given"),
    (("scope_out:\n  - A new template or a new design\n  - Changes to checkout or payment\n  - Paid social ads (the agency books them)\n",
      "scope_out: []\n"), "the list is empty"),
])
def test_each_missing_decision_is_named(change, hint):
    assert change[0] in GOOD
    report = wit.check_brief(GOOD.replace(*change))
    assert not report.passed and any(hint in p for p in report.problems), report.problems


def test_the_template_placeholders_and_a_wrong_no_to_personal_data_do_not_pass():
    filled = GOOD.replace("  personal_data: yes", "  personal_data: no").replace(
        "  - page views and purchases in web analytics (no names)", "  - email address and order history")
    filled = filled.replace("  - Given the campaign page, When it is shared in a chat, Then the preview shows the "
                            "trail-shoe title and image", "  - Given ..., When ..., Then ...")
    problems = wit.check_brief(filled).problems
    assert any("personal_data says no, but data lists 'email" in p for p in problems), problems
    assert any("still the template's '...'" in p for p in problems), problems


@pytest.mark.parametrize("odd", [None, 42, "", "just some words", "---\n: : :\n---\n", "---\n- a\n- b\n---\n", "\x00"])
def test_anything_at_all_gets_a_plain_answer(odd):
    report = wit.check_brief(odd)
    assert not report.passed and report.problems
    assert all("Traceback" not in p and len(p) < 400 for p in report.problems)


def test_the_empty_template_does_not_pass_but_says_what_to_fill_in():
    report = wit.check_brief(wit.template())
    assert not report.passed and any(p.startswith("title: empty") for p in report.problems)


def test_the_command_line_checks_files_and_sets_its_exit_status(tmp_path, capsys):
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(wit.example_brief("vague-request"), encoding="utf-8")
    assert main([str(good)]) == 0
    assert "✔ good.md" in capsys.readouterr().out
    assert main([str(good), str(bad)]) == 1
    assert "✘ bad.md: 12 thing(s)" in capsys.readouterr().out
    assert main([str(tmp_path / "missing.md")]) == 2
    assert "Could not read the brief" in capsys.readouterr().err
    assert main([]) == 2
    assert main(["--template"]) == 0 and "acceptance_criteria:" in capsys.readouterr().out
    assert main(["--help"]) == 0
    assert main(["--no-such-option"]) == 2


# ── Acceptance criteria that run ─────────────────────────────────────────────────


def test_criteria_pass_and_one_catches_the_hand_edited_page(landing):
    report = wit.run_criteria("""
    Scenario: Spring sale
      Given the landing page
      When a visitor opens /spring-sale
      Then the status is 200
      And the button "Shop running shoes" goes to "/shop/running"
    Scenario: Hand-edited trail page
      Given the landing page
      When a visitor opens /hand-edited/trail-shoes
      Then the heading says "trail shoes"
      And the picture's alt text says "teal"
    """, landing)
    assert [o.status for o in report.outcomes] == ["passed", "failed"]
    assert "'A coral running shoe" in report.failed[0].message
    assert repr(report).endswith("1 passed, 1 failed, 0 undefined")


def test_an_unknown_step_lists_the_known_ones(landing):
    report = wit.run_criteria("Scenario: x\nGiven the page\nWhen a visitor opens /\nThen it looks nice", landing)
    assert report.undefined and "Then the status is 200" in report.undefined[0].message


@pytest.mark.parametrize("text, hint", [
    ("Scenario: x\nMaybe the page", "starts with 'maybe'"),
    ("And the page", "no Given, When or Then comes before it"),
    ("", "No steps found"),
    (None, "are text"),
])
def test_badly_written_criteria_are_explained(text, hint, landing):
    with pytest.raises(Problem, match=hint):
        wit.run_criteria(text, landing)


@pytest.mark.parametrize("text, hint", [
    ('Given the landing page, When a visitor opens /spring-sale, Then the status is 200', "a line each"),
    ("Scenario: x\nGiven the landing page\nWhen a visitor opens /spring-sale", "no Then step, so it checks nothing"),
])
def test_criteria_that_would_check_nothing_are_refused(text, hint, landing):
    with pytest.raises(Problem, match=hint):
        wit.run_criteria(text, landing)


def test_criteria_only_run_against_this_computer():
    with pytest.raises(Problem, match="only ever run against this computer"):
        wit.run_criteria("When a visitor opens /", "https://example.com")


def test_a_then_before_any_when_fails_plainly(landing):
    report = wit.run_criteria("Then the status is 200", landing)
    assert "a When step must open one first" in report.failed[0].message


# ── The estimate lab ─────────────────────────────────────────────────────────────


def test_the_lab_gives_the_same_numbers_every_run_and_the_naive_date_is_usually_missed():
    must, everything = wit.estimate_lab("must"), wit.estimate_lab("all")
    assert must.likely_total == 26 and must.chance_by(26) < 20
    assert must.days_for(80) == wit.estimate_lab("must").days_for(80) == pytest.approx(32.7, abs=0.3)
    assert everything.days_for(80) > must.days_for(80) + 10  # cutting scope moves the date a lot
    assert must.buffer(80) > 5


@pytest.mark.parametrize("tasks, hint", [
    ([("A", 5, 3, 8)], "Did you swap two of them"),
    ([("A", -1, 3, 8)], "0 or more"),
    ([("A", 1, 2)], "Write each task as"),
    ([], "is empty"),
    ("tasks", "Give a list of tasks"),
])
def test_bad_estimates_are_refused_in_plain_words(tasks, hint):
    with pytest.raises(Problem, match=hint):
        wit.Estimate(tasks)


@pytest.mark.parametrize("call", [lambda: wit.estimate_lab("some"), lambda: wit.estimate_lab(runs=5),
                                  lambda: wit.estimate_lab().days_for(100), lambda: wit.estimate_lab().chance_by("x"),
                                  lambda: wit.working_day("tomorrow", 3), lambda: wit.working_day("2026-10-05", 10**6)])
def test_lab_functions_answer_bad_input_with_a_sentence(call):
    with pytest.raises(Problem):
        call()


def test_working_days_count_the_start_and_skip_weekends():
    assert wit.working_day("2026-10-05", 1) == datetime.date(2026, 10, 5)
    assert wit.working_day("2026-10-05", 6) == datetime.date(2026, 10, 12)
    assert wit.working_day("2026-10-05", 33) == datetime.date(2026, 11, 18)


def test_the_chart_has_the_lines_the_lesson_describes():
    figure = wit.estimate_lab("must").figure(deadline=35)
    labels = " ".join(t.get_text() for t in figure.axes[0].texts)
    assert "naive sum" in labels and "80%" in labels and "deadline" in labels


# ── The exercise's checks ────────────────────────────────────────────────────────


def test_the_loyalty_brief_must_decide_the_app_and_beat_black_friday():
    brief = GOOD.replace("title: A spring landing page for trail shoes", "title: Loyalty points for Black Friday")
    assert "mobile app" in checks.loyalty_brief(brief).message
    with_app = brief.replace("  - A new template or a new design", "  - A mobile app")
    assert "not before Black Friday" in checks.loyalty_brief(with_app).message
    assert checks.loyalty_brief(with_app.replace("deadline: 2027-02-26", "deadline: 2026-11-18")).passed


def test_a_criterion_that_fails_everywhere_is_not_a_catch():
    verdict = checks.criteria_catch_the_bug("""
    Scenario: A
      Given the landing page
      When a visitor opens /spring-sale
      Then the status is 200
    Scenario: B
      Given the landing page
      When a visitor opens /template?product=trail-shoes
      Then the status is 200
    Scenario: C
      Given the landing page
      When a visitor opens /hand-edited/trail-shoes
      Then the page shows "unicorns"
    """)
    assert not verdict.passed and "would also fail on the correct trail page" in verdict.message


@pytest.mark.parametrize("date, hint", [
    ("2026-11-09", "only a 10% chance"), ("2026-11-17", "under 80%"), ("2026-11-20", "more than asked"),
    ("2026-12-09", "the 80% date with every task"), ("2026-11-21", "weekend"), ("18/11/2026", "year-month-day"),
])
def test_launch_date_hints_name_the_likely_mistake(date, hint):
    verdict = checks.launch_date(date)
    assert not verdict.passed and hint in verdict.message, verdict.message


def test_launch_date_given_as_days_says_how_to_make_it_a_date():
    verdict = checks.launch_date(33)
    assert not verdict.passed and "number of working days" in verdict.message and "working_day" in verdict.message


def test_launch_date_accepts_a_date_object():
    assert checks.launch_date(datetime.date(2026, 11, 18)).passed


# ── The demo server ──────────────────────────────────────────────────────────────


def test_the_demo_checks_a_pasted_brief_and_serves_every_tool():
    with demo_server("briefs", runs=2000) as site:
        page = fetch(site.url + "/check", method="POST", body="brief=title%3A+x",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert page.status == 200 and "thing(s) to fix" in page.text and "goal: missing" in page.text
        assert "A spring landing page for trail shoes" in fetch(site.url + "/check?example=trail-page").text
        long = fetch(site.url + "/check", method="POST", body="brief=" + "a" * 30_000)
        assert long.status == 413 and "one page" in long.text
        estimate = fetch(site.url + "/estimate?scope=must")
        assert estimate.status == 200 and "simulated 2,000 times" in estimate.text and "<svg" in estimate.text
        assert fetch(site.url + "/estimate?scope=everything").status == 400
        claims_page = fetch(site.url + "/claims").text
        assert all(claim["claim"] in claims_page.replace("&#39;", "'") for claim in wit.claims())
        assert "controller" in fetch(site.url + "/responsibilities").text


def test_every_claim_names_a_module_of_the_course_with_its_title():
    from martech.anatomy import module_slugs, read_front_matter

    slugs = module_slugs(ROOT)
    for claim in wit.claims():
        assert claim["module"] in slugs, claim
        meta, _ = read_front_matter(ROOT / "docs" / claim["module"] / "index.md")
        assert meta["title"] == claim["module_title"], claim


def test_the_lesson_quotes_the_numbers_the_lab_computes():
    lesson = (ROOT / "docs" / "working-with-it" / "index.md").read_text(encoding="utf-8")
    must = wit.estimate_lab("must")
    assert f"add up to {must.likely_total:g} most likely days" in lesson
    assert f"about {round(must.days_for(80))} working days" in lesson
    day = wit.working_day("2026-10-05", 33)
    assert f"{day:%A} {day.day} {day:%B}" in lesson
