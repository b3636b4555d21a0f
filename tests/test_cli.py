"""`martech` on the command line, as a learner types it."""

import subprocess
import sys

from martech.client import fetch
from martech.servers import demo_server

MARTECH = [sys.executable, "-m", "martech.cli"]


def run(*args):
    return subprocess.run([*MARTECH, *args], capture_output=True, text=True, timeout=60)


def test_list_names_every_demo():
    result = run("list")
    assert result.returncode == 0
    for name in ("web", "slow", "https"):
        assert f"\n{name} " in "\n" + result.stdout


def test_unknown_demo_is_a_sentence():
    result = run("serve", "shoes")
    assert result.returncode == 2
    assert "There is no demo called 'shoes'" in result.stderr and "Traceback" not in result.stderr


def test_busy_port_is_a_sentence():
    with demo_server("web") as other:
        result = run("serve", "web", "--port", str(other.port))
    assert result.returncode == 2
    assert f"Port {other.port} is already in use" in result.stderr and "Traceback" not in result.stderr


def plain(result, *words):
    """Refused with exit status 2, in one plain sentence that contains ``words``."""
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "usage:" not in result.stderr and "invalid" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_bad_option_values_are_explained():
    plain(run("serve", "web", "--port", "eighty"), "The port must be 0 (any free port) or a whole number from 1024")
    plain(run("serve", "web", "--port", "80"), "1024 to 65535", "you gave 80")
    plain(run("serve", "slow", "--port", "0", "--delay", "soon"), "delay setting", "a number of seconds from 0 to 30", "'soon'")
    plain(run("serve", "slow", "--port", "0", "--rate", "0"), "rate setting", "a whole number of bytes per second from 1,000 to 1,000,000,000")
    plain(run("serve", "slow", "--port", "0", "--delay", "-5"), "delay setting")


def test_an_unknown_site_engine_is_a_sentence():
    """`make site ENGINE=...` hands the name to martech build-site and serve-site."""
    plain(run("build-site", "--engine", "hugo"), "There is no site engine called 'hugo'", "mkdocs, zensical")
    plain(run("serve-site", "--engine", "Zensical"), "There is no site engine called 'Zensical'")
    plain(run("serve-site", "--port", "eighty"), "The port must be a whole number")


def test_an_option_of_another_demo_names_this_demos_options():
    plain(run("serve", "web", "--db", "x"), "The 'web' demo has no option --db", "martech serve web --help")
    plain(run("serve", "email-sandbox", "--db", "x"), "Its options: --port, --dns-port, --smtp-port")


def test_a_two_word_option_takes_a_hyphen_or_an_underscore():
    """The notebook's keyword is dns_port; a command line usually writes --dns-port."""
    for spelling in ("--dns-port", "--dns_port"):
        plain(run("serve", "email-sandbox", "--port", "0", spelling, "25"), "dns_port setting", "1024", "you gave '25'")


def test_a_bad_database_file_is_refused_before_serving(tmp_path):
    (tmp_path / "notes.txt").write_text("my notes, not a database")
    plain(run("serve", "analytics", "--port", "0", "--db", str(tmp_path / "no" / "such" / "x.sqlite")), "folder")
    plain(run("serve", "analytics", "--port", "0", "--db", str(tmp_path / "notes.txt")), "not a SQLite database")
    assert (tmp_path / "notes.txt").read_text() == "my notes, not a database"


def test_serve_help_points_at_each_demos_own_options():
    helped = run("serve", "--help")
    assert helped.returncode == 0 and "martech serve NAME --help" in helped.stdout


def test_serve_runs_a_server_the_browser_can_reach():
    server = subprocess.Popen([*MARTECH, "serve", "slow", "--port", "0", "--delay", "0"],
                              stdout=subprocess.PIPE, text=True)
    try:
        first_line = server.stdout.readline()
        assert first_line.startswith('Serving the "slow" demo at http://127.0.0.1:')
        url = first_line.split(" at ")[1].strip()
        assert fetch(url + "file?kb=1").status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_workspace_copies_notebooks_without_solutions_and_keeps_your_work(root, tmp_path):
    import shutil

    for name in ("mkdocs.yml", "docs", "notebooks", "exercises"):
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    first = subprocess.run([*MARTECH, "workspace"], cwd=tmp_path, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    exercise = tmp_path / "my-work" / "how-the-web-works-exercise.ipynb"
    assert (tmp_path / "my-work" / "how-the-web-works.ipynb").exists()
    assert "BEGIN SOLUTION" not in exercise.read_text() and "check.url_parts" in exercise.read_text()
    exercise.write_text(exercise.read_text().replace("host = ...", "host = 'my answer'"))
    again = subprocess.run([*MARTECH, "workspace"], cwd=tmp_path, capture_output=True, text=True)
    assert "kept your own copies of: " in again.stdout and "how-the-web-works-exercise.ipynb" in again.stdout
    assert "host = 'my answer'" in exercise.read_text()


def test_demo_options_are_listed_and_may_come_first():
    helped = run("serve", "slow", "--help")
    assert helped.returncode == 0 and "--delay" in helped.stdout and "--rate" in helped.stdout
    server = subprocess.Popen([*MARTECH, "serve", "--port", "0", "--delay", "0", "slow"], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout.readline().startswith('Serving the "slow" demo at http://127.0.0.1:')
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_make_lab_starts_jupyterlab_even_as_root(root):
    """IT staff in a container are often root, where JupyterLab refuses to start unless told."""
    import os

    planned = subprocess.run(["make", "-n", "lab"], cwd=root, capture_output=True, text=True, timeout=60)
    line = next(l for l in planned.stdout.splitlines() if "jupyter lab" in l)
    assert ("--allow-root" in line) == (os.geteuid() == 0), line


def test_brief_checker_runs_from_the_command_line(tmp_path):
    template = run("brief", "--template")
    assert template.returncode == 0 and "title:" in template.stdout
    plain(run("brief", str(tmp_path / "no-such-brief.md")), "Could not read the brief")
