"""The contributor's path: scaffold a module, fill its TODOs, and every check passes;
take away any part, and the checks say which."""

import os
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from martech import anatomy
from martech.build import build_pages
from martech.scaffold import ScaffoldRefused, new_module

# A slug no real module takes (email-systems, the old example, is a module now).
SLUG, TITLE = "sample-module", "Why the sample module exists"


@pytest.fixture
def course(tmp_path, root):
    for name in ("mkdocs.yml", "docs", "notebooks", "exercises", "overrides", "src", "tests"):
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy)(
            source, tmp_path / name,
            **({"ignore": shutil.ignore_patterns("__pycache__", "pyodide")} if source.is_dir() else {}))
    (tmp_path / "in-browser").symlink_to(root / "in-browser")  # npm's Pyodide, which the build ships
    return tmp_path


def in_copy(course):
    """An environment in which `import martech` finds the copy's package, new module included."""
    return {**os.environ, "PYTHONPATH": str(course / "src")}


def fill_todos(course):
    """What a contributor minimally does: write real text where each TODO stands."""
    served = anatomy.package_folder(course, SLUG) / "served" / "index.html"
    for path in [*anatomy.paths(course, SLUG).values(), served, course / "docs" / SLUG / "diagram.svg",
                 course / "docs" / "glossary.md"]:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"TODO:? ?", "", text), encoding="utf-8")


def run_notebooks(course):
    env_before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(course / "src")
    try:
        for part in ("demo notebook", "exercise notebook"):
            path = anatomy.paths(course, SLUG)[part]
            notebook = nbformat.read(path, as_version=4)
            NotebookClient(notebook, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(course)}}).execute()
            nbformat.write(notebook, path)
    finally:
        if env_before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = env_before


def test_scaffold_then_minimal_filling_passes_every_check(course):
    written = new_module(course, SLUG, TITLE)
    assert course / "mkdocs.yml" in written
    assert f"  - {SLUG}/index.md\n  - key-points.md" in (course / "mkdocs.yml").read_text()
    assert SLUG in anatomy.module_slugs(course)
    assert (course / "docs" / "glossary.md").read_text().endswith(
        f"TODO {SLUG} term\n:   TODO: a one-line definition in plain words.\n\n</div>\n"), "the stub belongs inside the glossary's block"

    # As generated, the checks list what to fill in, in plain words.
    todo = "\n".join(anatomy.problems(course, SLUG))
    assert f"{SLUG}: the lesson page still has" in todo and "TODO to fill in" in todo
    assert f"run `make outputs MODULE={SLUG}`" in todo

    fill_todos(course)
    run_notebooks(course)
    assert anatomy.problems(course, SLUG) == []
    assert build_pages(course) == []
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(course / "site")],
                           cwd=course, capture_output=True, text=True, env=in_copy(course))
    assert built.returncode == 0, built.stderr[-3000:]
    assert (course / "site" / SLUG / "index.html").exists()
    assert (course / "site" / SLUG / "exercise" / "index.html").exists()
    nbval = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-sanitize-with", "tests/sanitize.cfg", f"notebooks/{SLUG}.ipynb", f"exercises/{SLUG}.ipynb",
         "-o", "addopts=", "-o", "testpaths="],
        cwd=course, capture_output=True, text=True, env=in_copy(course))
    assert nbval.returncode == 0, nbval.stdout[-3000:]

    # Take away any one part and the checks name it.
    for part, path in anatomy.paths(course, SLUG).items():
        kept = path.read_bytes()
        path.unlink()
        assert f"{SLUG}: the {part} is missing" in "\n".join(anatomy.problems(course, SLUG))
        path.write_bytes(kept)
    assert anatomy.problems(course, SLUG) == []


@pytest.mark.parametrize("slug", ["Email Systems", "email_systems", "-email", "email-", "", "e--mail", "../docs"])
def test_bad_slug_is_refused_and_nothing_changes(course, slug):
    before = sorted(p.relative_to(course) for p in course.rglob("*"))
    config = (course / "mkdocs.yml").read_text()
    with pytest.raises(ScaffoldRefused, match="not a usable slug"):
        new_module(course, slug, TITLE)
    assert sorted(p.relative_to(course) for p in course.rglob("*")) == before
    assert (course / "mkdocs.yml").read_text() == config


def test_running_it_twice_is_refused_and_nothing_changes(course):
    new_module(course, SLUG, TITLE)
    config = (course / "mkdocs.yml").read_text()
    glossary = (course / "docs" / "glossary.md").read_text()
    with pytest.raises(ScaffoldRefused, match=f"already has docs/{SLUG}/index.md"):
        new_module(course, SLUG, TITLE)
    assert (course / "mkdocs.yml").read_text() == config
    assert (course / "docs" / "glossary.md").read_text() == glossary


def test_command_line_says_why_it_refuses(root):
    result = subprocess.run([sys.executable, "-m", "martech.cli", "new-module", "Bad Slug", TITLE],
                            cwd=root, capture_output=True, text=True)
    assert result.returncode == 2 and "not a usable slug" in result.stderr and "Traceback" not in result.stderr
