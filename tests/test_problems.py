"""What a learner calls from a notebook answers in plain words: a sentence, never a traceback."""

import nbformat
from nbclient import NotebookClient

from martech.checks import shown, task


def run_cells(*sources):
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(notebook, timeout=60, kernel_name="python3", allow_errors=True).execute()
    return notebook.cells


def text_of(cell):
    return "".join(o.get("text", "") for o in cell.outputs) + "".join(
        str(o.get("data", {}).get("text/plain", "")) for o in cell.outputs)


def test_refusals_show_a_sentence_and_no_traceback_in_a_notebook():
    cells = run_cells(
        "from martech.servers import demo_server\ndemo_server('shoes')",
        "demo_server('slow', delay='soon')",
        "from martech.modules.web_analytics import two_proportion_test\ntwo_proportion_test(4000, 120, 4100, 150)",
        "from martech.modules.web_analytics import generate_traffic\nlog = generate_traffic(people=200, days=2)\n"
        "log.sql('DELETE FROM events')",
        "log.sql('SELECT COUNT(*) > 0 FROM events').value",
    )
    for cell in cells:
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.outputs
        assert "Traceback" not in text_of(cell)
    assert "✘ There is no demo called 'shoes'" in text_of(cells[0])
    assert "delay setting must be a number of seconds" in text_of(cells[1])
    assert "are two swapped?" in text_of(cells[2])
    assert "read-only" in text_of(cells[3])
    assert text_of(cells[4]).strip() == "1", "the DELETE must not have removed anything"


def test_a_huge_answer_is_not_echoed_back_in_full():
    @task
    def guess(answer):
        from martech.checks import NotYet

        raise NotYet(f"not {shown(answer)}")

    verdict = guess("x" * 100_000)
    assert len(repr(verdict)) < 700 and "…" in repr(verdict)
