"""Exercises in the reader's browser (martech.inbrowser, docs/assets/try-in-browser.js): the same
learner's copy and the same checks, run by Pyodide, with nothing fetched from another host."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from martech import anatomy, inbrowser
from martech.build import learner_copy, solution_copy
from martech.problems import Problem
from sitepages import goto_settled

HERE = Path(__file__).parent


def in_browser_exercises(root):
    notebooks = {slug: nbformat.read(anatomy.paths(root, slug)["exercise notebook"], as_version=4)
                 for slug in anatomy.module_slugs(root)}
    return {slug: nb for slug, nb in notebooks.items() if inbrowser.in_browser(nb)}


def code_cells(notebook):
    return [c for c in notebook.cells if c.cell_type == "code" and c.source.strip()]


# --- run_cell, on this computer: what the page shows under a cell ---------------------------

def test_a_cell_shows_what_it_prints_then_its_last_value():
    namespace = {}
    assert inbrowser.run_cell("print('hello')\nx = 2\nx * 21", namespace) == ("hello\n42\n", True)
    assert inbrowser.run_cell("x", namespace) == ("2\n", True)  # the cells share their names
    assert inbrowser.run_cell("y = 1", namespace) == ("", True)


def test_a_slip_is_one_plain_line_never_a_traceback():
    text, ran = inbrowser.run_cell("host = 'shop.example\n", {})
    assert not ran and text.startswith("✘ Python could not read line 1") and "Traceback" not in text
    text, ran = inbrowser.run_cell("check.url_parts(host)", {})
    assert (text, ran) == ("✘ NameError: name 'check' is not defined. If it is text, put it in quotes (\"check\"); "
                           "if a cell above makes it, run that cell first.\n", False)
    text, ran = inbrowser.run_cell("if True:\nprint('x')", {})
    assert text.startswith("✘ Python could not read line 2: expected an indented block") and "spaces" in text
    text, ran = inbrowser.run_cell("print('before')\n1 / 0", {})
    assert (text, ran) == ("before\n✘ ZeroDivisionError: division by zero.\n", False)


def test_a_problem_is_its_sentence():
    def refuse():
        raise Problem("There is no demo called 'shop'.")

    assert inbrowser.run_cell("refuse()", {"refuse": refuse}) == ("✘ There is no demo called 'shop'.\n", False)


# --- the exercises, in Pyodide itself (Node.js runs the same WebAssembly as the page) ----------

# What a learner may call in the page that needs a computer: each must say so.
CALLS = ["from martech.servers import demo_server\ndemo_server('web')",
         "from martech.client import fetch\nfetch('http://127.0.0.1:8000/')",
         "from martech import browser\nbrowser.BrowserThread()",
         "from martech.modules import how_the_web_works as check\ncheck.localhost_address('127.0.0.1')"]
# A reader whose browser speaks Finnish (try-in-browser.js sets MARTECH_LANGUAGE from it).
FINNISH = ["import os\nos.environ['MARTECH_LANGUAGE'] = 'fi'",
           "from martech.modules import how_the_web_works as check\n"
           "check.url_parts('https://shop.example', '/spring-sale', 'utm_source=newsletter')"]


@pytest.fixture(scope="module")
def in_pyodide(root, tmp_path_factory):
    """Every cell these tests ask about, run in one Pyodide under Node.js (the same WebAssembly as
    the page), each notebook in a namespace of its own, as the page runs them: {job: [(text, ran)]}."""
    node = shutil.which("node")
    assert node, "Node.js is missing: make test installs it with npm (for Pyodide)."
    folder = tmp_path_factory.mktemp("pyodide")
    assert inbrowser.ship(root, folder) == []
    jobs = [{"name": "calls", "cells": CALLS}]
    for slug, notebook in in_browser_exercises(root).items():
        cells = code_cells(notebook)
        jobs.append({"name": f"{slug} solved", "cells": [solution_copy(c.source) for c in cells]})
        jobs.append({"name": f"{slug} learner", "cells": [learner_copy(c.source) for c in cells]})
    jobs.append({"name": "finnish", "cells": FINNISH})  # last: it changes the language for the rest
    done = subprocess.run([node, str(HERE / "pyodide_cells.mjs"), str(folder)], input=json.dumps(jobs),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    results = {job["name"]: [tuple(r) for r in job["results"]] for job in json.loads(done.stdout)}
    results["folder"] = folder
    return results


def test_every_step_offered_in_the_browser_runs_there_and_the_others_say_why_not(root, in_pyodide):
    """Solved, each step not tagged "needs-computer" is Correct in Pyodide, and each tagged one
    is not (so no tag hides a step that could run); the learner's copy runs with no error."""
    exercises = in_browser_exercises(root)
    assert {"how-the-web-works", "cookies-and-tracking", "web-analytics", "templates-and-databases",
            "how-apps-work", "ad-management"} <= set(exercises)
    wrong = []
    for slug, notebook in exercises.items():
        cells = code_cells(notebook)
        for number, (cell, (text, ran), (learner_text, learner_ran)) in enumerate(
                zip(cells, in_pyodide[f"{slug} solved"], in_pyodide[f"{slug} learner"])):
            offered = not inbrowser.needs_computer(cell)
            passed = ran and "✘" not in text
            if offered and not passed:
                wrong.append(f"{slug}, code cell {number}: solved, it gives in the browser: {text.strip()[:300]}")
            if not offered and passed:
                wrong.append(f"{slug}, code cell {number} is tagged {inbrowser.TAG}, but it runs in the browser: "
                             f"{text.strip()[:200]}")
            if offered and not learner_ran:
                wrong.append(f"{slug}, code cell {number}: the learner's copy fails: {learner_text.strip()[:300]}")
            if offered and anatomy.solution_regions(cell.source) and "Not yet" not in learner_text:
                wrong.append(f"{slug}, code cell {number}: the learner's copy does not say Not yet: {learner_text[:200]}")
    assert not wrong, "\n".join(wrong)


def test_a_part_that_needs_a_computer_says_so_in_the_browser(in_pyodide):
    for call, (text, ran) in zip(CALLS, in_pyodide["calls"]):
        assert "which a web page cannot do. Run this task on your computer or on JupyterHub" in text, (call, text)
        assert "Traceback" not in text


def test_the_hints_speak_the_readers_language_in_the_browser_too(in_pyodide):
    assert in_pyodide["finnish"][1] == ("✘ Ei vielä: isäntä on pelkkä nimi: jätä pois https:// ja kaikki "
                                        "kauttaviivat.\n", True)


def test_the_button_says_how_much_it_downloads(in_pyodide):
    plain, compressed = (inbrowser.download_size(in_pyodide["folder"], gzip) for gzip in (False, True))
    assert (round(plain / 1e6), round(compressed / 1e6)) == (inbrowser.DOWNLOAD_MB, inbrowser.COMPRESSED_MB), (
        f"Python in the browser now downloads {plain / 1e6:.1f} MB ({compressed / 1e6:.1f} MB gzip-compressed): "
        "set DOWNLOAD_MB and COMPRESSED_MB in martech/inbrowser.py")


# --- the exercise pages ------------------------------------------------------------------------

def test_only_exercises_that_run_in_the_browser_offer_to(root, built_site):
    exercises = in_browser_exercises(root)
    for slug in anatomy.module_slugs(root):
        page = (built_site / slug / "exercise" / "index.html").read_text(encoding="utf-8")
        offers = "Try it in your browser" in page
        assert offers == (slug in exercises), f"{slug}: the button is {'there' if offers else 'missing'}"
        if slug in exercises:
            tagged = sum(inbrowser.needs_computer(c) for c in code_cells(exercises[slug]))
            assert page.count("On your computer</p>") == tagged, slug
        lesson = (built_site / slug / "index.html").read_text(encoding="utf-8")
        assert "try-in-browser" not in lesson and "pyodide" not in lesson, f"{slug}: the lesson loads Python"


def test_an_exercise_runs_in_the_page_with_the_network_cut(browser, site_url):
    """From its button: a wrong answer, then a right one, read from the page; every request
    goes to the site itself (the tests' Chromium reaches nothing else)."""
    context = browser.new_context()
    page = context.new_page()
    elsewhere, errors, asked = [], [], []
    page.on("request", lambda r: r.url.startswith(site_url) or elsewhere.append(r.url))
    page.on("request", lambda r: asked.append(r.url))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        goto_settled(page, site_url + "how-the-web-works/exercise/")
        status = page.locator(".try-status")
        assert "about 14 MB the first time, 7 MB where the site's host compresses it" in status.text_content()
        assert not [url for url in asked if "/pyodide/" in url], "Python loaded before the button was pressed"
        page.get_by_role("button", name="Try it in your browser").click()
        page.wait_for_function("!document.querySelector('.try-status').textContent.startsWith('Loading')",
                               timeout=60_000)
        assert status.text_content().startswith("Python is ready"), status.text_content()
        assert page.get_by_role("button", name="Try it in your browser").is_hidden()
        assert page.evaluate("document.activeElement.matches('.try-code')")  # the first editor
        cells = page.locator(".try-cell")
        assert page.locator(".try-cell[data-needs-computer] textarea").count() == 0
        cells.nth(0).get_by_role("button", name="Run").click()  # the first cell loads the checks
        task = cells.nth(1)
        code = task.get_by_label("Your code for this step")
        assert "host = ..." in code.input_value()  # the learner's copy: no solution
        code.fill('host = "https://shop.example"\npath = "/spring-sale"\nquery = "utm_source=newsletter"\n'
                  "check.url_parts(host, path, query)")
        task.get_by_role("button", name="Run").click()
        assert re.match(r"✘ Not yet: the host is the name alone", task.locator(".try-output").text_content())
        code.fill(code.input_value().replace("https://", ""))
        code.press("Shift+Enter")  # Jupyter's key, which the exercise's first lines name
        assert task.locator(".try-output").text_content().startswith("✔ Correct: host shop.example")
        assert not elsewhere and not errors, (elsewhere, errors)
        # What the button added (editors, Run buttons, answers) passes axe as the rest of the page does.
        from axe_playwright_python.sync_playwright import Axe

        page.evaluate(Axe().axe_script)
        violations = page.evaluate("axe.run({include: [['.try-in-browser'], ['.try-cell']]}, "
                                   "{resultTypes: ['violations']}).then(r => r.violations)")
        assert not [(v["id"], v["nodes"][0]["target"]) for v in violations if v["impact"] in ("serious", "critical")]
    finally:
        context.close()
