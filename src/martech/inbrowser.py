"""Exercises that run in the reader's own browser: what runs there, and what the site ships for it.

An exercise notebook whose metadata says ``"martech": {"in_browser": true}`` gets a "Try it in
your browser" button on its page (martech.build). Pressed, docs/assets/try-in-browser.js loads
Pyodide (CPython compiled to WebAssembly, from in-browser/node_modules, copied into the site by
``ship``) and this package (``course.zip``), then runs the learner's copy of the notebook cell
by cell with ``run_cell``. Nothing is fetched from another host.

A cell tagged ``needs-computer`` needs what a web page cannot have (a real server, a real
browser to drive, your computer's own answers): its page says so above it and offers no Run
button. If a learner calls such a part anyway, ``on_a_computer`` says so in plain words.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

from martech.problems import Problem

IN_BROWSER = sys.platform == "emscripten"
TAG = "needs-computer"
# What Pyodide needs to start; the rest of its npm package (maps, types, consoles) is not shipped.
RUNTIME_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"]
RUNTIME = Path("in-browser", "node_modules", "pyodide")
# Where the site has them, beside the page scripts (docs/assets/try-in-browser.js: ./pyodide/).
SITE_FOLDER = Path("assets", "pyodide")
# Packages the modules' checks import, shipped as their Python files from this environment's own
# install (PyPI's wheels): each falls back to plain Python where its compiled part cannot load.
PURE_PACKAGES = ["jinja2", "markupsafe"]
# What the button says the reader downloads, the first time: the shipped files as they are, and
# gzip-compressed, as a host that compresses them sends them (download_size; tests/test_inbrowser.py
# keeps these in step). Python's own http.server, for one, sends them as they are.
DOWNLOAD_MB = 14
COMPRESSED_MB = 7


class NeedsComputer(Problem):
    """A part of the course that a web page cannot run was called in the browser."""


def on_a_computer(what: str) -> None:
    """Refuse, in plain words, to do ``what`` ("This task starts a real web server") in a browser."""
    if IN_BROWSER:
        raise NeedsComputer(f"{what}, which a web page cannot do. Run this task on your computer or on "
                            "JupyterHub: the exercise page says how.")


def in_browser(notebook) -> bool:
    """Whether an exercise notebook offers to run in the reader's browser."""
    return bool((notebook.get("metadata", {}).get("martech") or {}).get("in_browser"))


def needs_computer(cell) -> bool:
    return TAG in (cell.get("metadata", {}).get("tags") or [])


def run_cell(source: str, namespace: dict) -> tuple[str, bool]:
    """Run one cell as Jupyter would (what it prints, then the value of its last line); return
    (the text to show, whether it ran to the end). An error is one plain line, never a traceback."""
    out = io.StringIO()
    try:
        tree = ast.parse(source, "<cell>")
    except SyntaxError as error:
        stop = "" if error.msg.endswith((".", "?", "!")) else "."
        advice = ("Look at the spaces at the start of the lines: those of one block line up."
                  if isinstance(error, IndentationError) else "Look for a missing quote, bracket or comma.")
        return f"✘ Python could not read line {error.lineno}: {error.msg}{stop} {advice}\n", False
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            exec(compile(tree, "<cell>", "exec"), namespace)
            value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None
    except Problem as problem:
        return out.getvalue() + f"✘ {problem}\n", False
    except Exception as error:  # a learner's slip: the one line a traceback would end with
        # An unknown name is a cell above not run yet, or text without its quotes (choice = b).
        hint = (f" If it is text, put it in quotes (\"{error.name}\"); if a cell above makes it, run that cell first."
                if isinstance(error, NameError) else "")
        return out.getvalue() + f"✘ {type(error).__name__}: {error}.{hint}\n", False
    if value is not None:
        out.write(repr(value) + "\n")
    return out.getvalue(), True


def ship(root: Path, target: Path) -> list[str]:
    """Copy Pyodide and this package (course.zip) into ``target`` (docs/assets/pyodide/); return
    the problems found (the runtime missing: `make pages` installs it)."""
    runtime = root / RUNTIME
    missing = [name for name in RUNTIME_FILES if not (runtime / name).is_file()]
    if missing:
        return [f"the in-browser Python (npm's pyodide, in {RUNTIME}) is missing {', '.join(missing)}: "
                "run `make pages`, which installs it"]
    target.mkdir(parents=True, exist_ok=True)
    for name in RUNTIME_FILES:
        if not (target / name).exists() or (target / name).stat().st_size != (runtime / name).stat().st_size:
            shutil.copyfile(runtime / name, target / name)
    package = Path(__file__).parent
    with zipfile.ZipFile(target / "course.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        # The package's code, and the files its modules read (their data and served pages).
        for path in sorted(package.rglob("*")):
            relative = path.relative_to(package)
            if path.is_file() and "__pycache__" not in relative.parts and (
                    path.suffix == ".py" or relative.parts[0] == "modules"):
                archive.write(path, Path("martech", relative).as_posix())
        for name in PURE_PACKAGES:
            installed = Path(importlib.import_module(name).__file__).parent
            for path in sorted(installed.rglob("*.py")):
                archive.write(path, Path(name, path.relative_to(installed)).as_posix())
        for lang, catalog in _catalogs(root):
            archive.writestr(f"hints/{lang}.json", json.dumps(catalog, ensure_ascii=False))
    return []


def download_size(folder: Path, compressed: bool = True) -> int:
    """Bytes a reader's browser downloads to run an exercise: what ``ship`` wrote, gzip-compressed
    (``compressed``) or as it is."""
    import gzip

    files = [p for p in sorted(folder.iterdir()) if p.is_file()]
    return sum(len(gzip.compress(p.read_bytes(), 6)) if compressed else p.stat().st_size for p in files)


def _catalogs(root: Path):
    """Each language's exercise hints (i18n/<lang>/hints.yml), for a Python without PyYAML."""
    from martech.checks import read_catalog

    for path in sorted((root / "i18n").glob("*/hints.yml")):
        yield path.parent.name, read_catalog(path)
