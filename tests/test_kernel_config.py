"""A notebook run prints no alarming kernel warning, and the course never overwrites a learner's config."""

import json
import subprocess
import sys

import nbformat

from martech import kernel_config


def test_a_notebook_run_prints_no_tcp_warning(tmp_path):
    kernel_config.install()  # what `make install` and `martech workspace` do
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nbformat.write(notebook, tmp_path / "n.ipynb")
    run = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                          str(tmp_path / "n.ipynb")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "without encryption" not in run.stderr


def test_an_existing_config_is_left_as_it_is(tmp_path):
    assert kernel_config.install(tmp_path) == tmp_path / "etc" / "ipython" / "ipython_kernel_config.json"
    written = json.loads((tmp_path / "etc" / "ipython" / "ipython_kernel_config.json").read_text())
    assert written["IPKernelApp"]["log_level"] == "ERROR"
    mine = tmp_path / "etc" / "ipython" / "ipython_kernel_config.json"
    mine.write_text('{"IPKernelApp": {"log_level": "DEBUG"}}')
    assert kernel_config.install(tmp_path) is None
    assert "DEBUG" in mine.read_text()
