"""Exercises from one source: the solved version passes every check, the learner's copy runs
without an error and answers "Not yet" to each task.

The solved version is the exercise notebook itself: its solution markers are comments."""

import nbformat
import pytest
from nbclient import NotebookClient

from martech import anatomy
from martech.build import learner_notebook


def run(notebook):
    NotebookClient(notebook, timeout=60, kernel_name="python3").execute()
    texts, errors = [], []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                errors.append(f"{output.ename}: {output.evalue}")
            texts.append(output.get("text") or output.get("data", {}).get("text/plain", ""))
    return texts, errors


def exercise(root, slug):
    return nbformat.read(anatomy.paths(root, slug)["exercise notebook"], as_version=4)


def task_count(notebook):
    return sum(len(anatomy.solution_regions(c.source)) for c in notebook.cells if c.cell_type == "code")


@pytest.fixture(params=anatomy.module_slugs(anatomy.project_root()))
def slug(request):
    return request.param


def test_solved_exercise_passes_every_check(root, slug):
    """The stored outputs say Correct to every task. nbval re-runs the same notebook and fails
    if a fresh run says otherwise, so there is no need to run it a second time here."""
    source = exercise(root, slug)
    texts = [o.get("text") or o.get("data", {}).get("text/plain", "")
             for cell in source.cells for o in cell.get("outputs", [])]
    errors = [o for cell in source.cells for o in cell.get("outputs", []) if o.output_type == "error"]
    assert not errors
    verdicts = [t for t in texts if t.startswith(("✔ Correct", "✘ Not yet"))]
    assert len(verdicts) == task_count(source) and all(v.startswith("✔ Correct") for v in verdicts), verdicts


def test_learner_copy_runs_and_says_not_yet_to_each_task(root, slug):
    source = exercise(root, slug)
    learner = learner_notebook(source)
    text = nbformat.writes(learner)
    assert "SOLUTION" not in text and "nbval" not in text
    texts, errors = run(learner)
    assert not errors, errors
    verdicts = [t for t in texts if t.startswith(("✔ Correct", "✘ Not yet"))]
    assert len(verdicts) == task_count(source) and all(v.startswith("✘ Not yet") for v in verdicts), verdicts
