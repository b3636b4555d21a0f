"""What a course module is made of, defined once.

A module is one slug used everywhere:

    docs/<slug>/index.md        the lesson page (front matter + body)
    notebooks/<slug>.ipynb      the demo notebook, stored with its outputs
    exercises/<slug>.ipynb      the exercise, solutions between ### BEGIN/END SOLUTION
    src/martech/modules/<slug_with_underscores>/   its code, in one folder:
        __init__.py             what the notebooks import (from martech.modules import <module>)
        demos.py                its demo servers
        checks.py               its exercise checks
        served/                 what its demos serve (HTML, CSS, JS, templates, data) as real files

The order of the modules is the order of their lesson pages in mkdocs.yml's nav.
``problems()`` says, in plain words, what a module lacks; the tests and the page builder use it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

# Served files that are text, so that a TODO left in them is found.
TEXT_FILES = {".html", ".css", ".js", ".json", ".svg", ".txt", ".csv", ".sql", ".j2", ".xml", ".md"}

LESSON_SCHEMA = json.loads((Path(__file__).parent / "lesson.schema.json").read_text())

# The closed set of blocks a lesson may use (written "!!! type" or "??? type").
BLOCK_TYPES = {
    "scenario": "the marketing scenario the lesson follows",
    "answer": "the scenario's answer, after everything the lesson teaches",
    "ask-it": "Questions to ask IT, and what IT will ask you",
    "try-it": "step-by-step instructions to try something yourself",
    "note": "a side remark",
    "tip": "a useful shortcut",
    "warning": "a common mistake or risk",
}
REQUIRED_BLOCKS = {"scenario": "marketing scenario (!!! scenario)",
                   "answer": "answer to the scenario (!!! answer \"So, ...\"), at the end",
                   "ask-it": "'Questions to ask IT' block (!!! ask-it)"}

SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"


def project_root(start: Path | None = None) -> Path:
    """The folder holding mkdocs.yml, looking upwards from ``start`` (default: here)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "mkdocs.yml").exists():
            return folder
    raise FileNotFoundError("No mkdocs.yml here or above: run this from the course folder.")


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml, whose !!python/name tags only MkDocs can resolve."""


_IgnoreTags.add_multi_constructor("", lambda loader, suffix, node: None)


def site_config(root: Path) -> dict:
    return yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_IgnoreTags)


def module_slugs(root: Path) -> list[str]:
    """Slugs of the modules, in nav order: every nav entry of the form <slug>/index.md."""
    slugs = []

    def walk(entries):
        for entry in entries:
            target = next(iter(entry.values())) if isinstance(entry, dict) else entry
            if isinstance(target, list):
                walk(target)
            elif isinstance(target, str) and re.fullmatch(r"[a-z0-9-]+/index\.md", target):
                slugs.append(target.split("/")[0])

    walk(site_config(root).get("nav", []))
    return slugs


# A module's Python files stay short enough to read in one sitting; pages go in served/.
MAX_FILE_LINES = 600


def package_folder(root: Path, slug: str) -> Path:
    return root / "src" / "martech" / "modules" / slug.replace("-", "_")


def paths(root: Path, slug: str) -> dict[str, Path]:
    package = package_folder(root, slug)
    return {
        "lesson page": root / "docs" / slug / "index.md",
        "demo notebook": root / "notebooks" / f"{slug}.ipynb",
        "exercise notebook": root / "exercises" / f"{slug}.ipynb",
        "package file": package / "__init__.py",
        "demo servers file": package / "demos.py",
        "exercise checks file": package / "checks.py",
    }


def read_front_matter(path: Path) -> tuple[dict, str]:
    """(front matter, body) of a Markdown page; front matter is {} when there is none."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if not match:
        return {}, text
    return yaml.safe_load(match.group(1)) or {}, text[match.end():]


def problems(root: Path, slug: str) -> list[str]:
    """Everything the module ``slug`` lacks, each as one plain sentence naming module and part."""
    found = []
    for part, path in paths(root, slug).items():
        if not path.exists():
            found.append(f"{slug}: the {part} is missing ({path.relative_to(root)})")
    lesson = paths(root, slug)["lesson page"]
    package = package_folder(root, slug)
    extra_code = sorted(set(package.glob("*.py")) - set(paths(root, slug).values()))
    served = sorted(p for p in (package / "served").rglob("*") if p.is_file() and p.suffix in TEXT_FILES)
    todo_places = [*paths(root, slug).items()] + [(f"diagram {svg.name}", svg) for svg in sorted(lesson.parent.glob("*.svg"))]
    todo_places += [(f"file {p.name}", p) for p in extra_code] + [(f"served file {p.relative_to(package)}", p) for p in served]
    for part, path in todo_places:
        if path.exists():
            where = _todo_cells(path) if path.suffix == ".ipynb" else _todo_lines(path)
            if where:
                found.append(f"{slug}: the {part} still has {where[0]} with TODO to fill in (first: {where[1]})")
    for code in sorted(package.glob("*.py")):
        count = len(code.read_text(encoding="utf-8").splitlines())
        if count > MAX_FILE_LINES:
            found.append(f"{slug}: {code.relative_to(root)} has {count} lines, more than {MAX_FILE_LINES}: move the pages, "
                         "styles and scripts it serves into served/ as files, or split it by job")
    if lesson.exists():
        found += [f"{slug}: lesson page: {p}" for p in lesson_problems(lesson)]
        body = lesson.read_text(encoding="utf-8")
        for name in demo_names(root, slug):
            if f"martech serve {name}" not in body:
                found.append(f"{slug}: lesson page: never tells the learner how to start the '{name}' demo in their own "
                             f"browser: write `martech serve {name}` where the lesson uses it")
    for part in ("demo notebook", "exercise notebook"):
        path = paths(root, slug)[part]
        if path.exists():
            found += [f"{slug}: {part}: {p}" for p in notebook_problems(path, exercise=part.startswith("exercise"))]
    return found


def _todo_lines(path: Path) -> tuple[str, str] | None:
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "TODO" in line]
    return (f"{len(lines)} line(s)", f"line {lines[0]}") if lines else None


def _todo_cells(path: Path) -> tuple[str, str] | None:
    """Counted by cell, as JupyterLab shows a notebook, not by line of its JSON."""
    import nbformat

    try:
        cells = nbformat.read(path, as_version=4).cells
    except Exception:
        return _todo_lines(path)
    numbers = [n for n, cell in enumerate(cells, 1) if "TODO" in cell.source]
    if not numbers:
        return None
    first = next(line for line in cells[numbers[0] - 1].source.splitlines() if "TODO" in line).strip()
    return f"{len(numbers)} cell(s)", f"cell {numbers[0]}, which says {first[:70]!r}"


def demo_names(root: Path, slug: str) -> list[str]:
    """The demos a module's demos.py registers with @demo("name"), read from its source, not imported."""
    import ast

    source = paths(root, slug)["demo servers file"]
    if not source.exists():
        return []
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except SyntaxError:
        return []
    return [decorator.args[0].value for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
            for decorator in node.decorator_list
            if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", None) == "demo"
            and decorator.args and isinstance(decorator.args[0], ast.Constant)]


def site_problems(root: Path) -> list[str]:
    """What no single module owns: lesson folders the nav forgets, code with no lesson, the glossary."""
    from martech.build import glossary_tooltips

    found = []
    listed = set(module_slugs(root))
    for lesson in sorted((root / "docs").glob("*/index.md")):
        if lesson.parent.name not in listed:
            found.append(f"{lesson.parent.name}: docs/{lesson.parent.name}/index.md is a lesson, but mkdocs.yml's nav "
                         f"does not list it, so no check sees it: add '  - {lesson.parent.name}/index.md' to the nav")
    for package in sorted((root / "src" / "martech" / "modules").glob("*/__init__.py")):
        slug = package.parent.name.replace("_", "-")
        if slug not in listed:
            found.append(f"{slug}: src/martech/modules/{package.parent.name}/ has no lesson in mkdocs.yml's nav "
                         f"(docs/{slug}/index.md)")
    glossary = root / "docs" / "glossary.md"
    found += glossary_tooltips(glossary)[1] if glossary.exists() else ["docs/glossary.md is missing"]
    return found


def lesson_problems(path: Path) -> list[str]:
    import jsonschema

    try:
        meta, body = read_front_matter(path)
    except yaml.YAMLError as error:
        return [f"its front matter is not valid YAML ({error})"]
    found = []
    validator = jsonschema.Draft202012Validator(LESSON_SCHEMA)
    for error in sorted(validator.iter_errors(meta), key=lambda e: list(e.path)):
        where = " › ".join(str(p) for p in error.path) or "front matter"
        found.append(f"{where}: {_plain(error)}")
    for number, question in enumerate(meta.get("quiz") or [], 1):
        if isinstance(question, dict):
            right = [o for o in question.get("options") or [] if isinstance(o, dict) and o.get("correct") is True]
            if len(right) != 1:
                found.append(f"quiz question {number} needs exactly one option with correct: true (it has {len(right)})")

    found += quiz_problems(meta.get("quiz"))
    sources = re.search(r"^## Sources\s*$(.*?)(?=^## |\Z)", body, re.M | re.S)
    if not sources:
        found.append("has no '## Sources' section: link the primary source of each claim there")
    elif not re.search(r"\]\(https?://|<https?://", sources.group(1)):
        found.append("its '## Sources' section links no source (a [name](https://...) link per source)")

    blocks = re.findall(r"^\s*(?:!!!|\?\?\?\+?)\s+([\w-]+)", body, re.M)
    for kind in sorted(set(blocks) - set(BLOCK_TYPES)):
        found.append(f"unknown block type '{kind}' (allowed: {', '.join(BLOCK_TYPES)})")
    for kind, what in REQUIRED_BLOCKS.items():
        if blocks.count(kind) != 1:
            found.append(f"needs exactly one {what}; it has {blocks.count(kind)}")
    if blocks.count("answer") == 1 and blocks[-1] != "answer":
        found.append("the scenario's answer (!!! answer) must come after every other block: the lesson ends by "
                     "returning to its scenario")

    body_without_code = re.sub(r"^(```|~~~).*?^\1", "", body, flags=re.S | re.M)
    headings = re.findall(r"^(#{1,6})\s+(.+?)\s*$", body_without_code, re.M)
    level = 1
    for hashes, text in headings:
        if len(hashes) == 1:
            found.append(f"has an H1 ('# {text}'): the title comes from the front matter, so start at ##")
        elif len(hashes) > level + 1:
            found.append(f"heading '{text}' skips a level (h{level} then h{len(hashes)})")
        level = len(hashes)
    texts = [t.lower() for _, t in headings]
    for text in sorted({t for t in texts if texts.count(t) > 1}):
        found.append(f"heading '{text}' appears more than once")
    diagrams = re.findall(r"!\[([^\]]*)\]\(([^)]+\.svg)\)", body)
    if not diagrams:
        found.append("has no diagram (an SVG image: ![what it shows](name.svg))")
    for alt, source in diagrams:
        if len(alt.strip()) < 10:
            found.append(f"diagram {source} needs alt text that says what it shows")
        if not (path.parent / source).exists():
            found.append(f"diagram {source} does not exist next to the lesson page")
    return found


def quiz_problems(quiz) -> list[str]:
    """A quiz a learner can pass by pattern is no quiz: vary where the right answer sits, and its length."""
    questions = [q for q in quiz or [] if isinstance(q, dict) and isinstance(q.get("options"), list)]
    rights = []
    for question in questions:
        options = [o for o in question["options"] if isinstance(o, dict)]
        right = [n for n, o in enumerate(options) if o.get("correct") is True]
        if len(right) == 1:
            lengths = [len(str(o.get("answer", ""))) for o in options]
            rights.append((right[0], lengths[right[0]] == max(lengths) and lengths.count(max(lengths)) == 1))
    if len(rights) < 3:
        return []
    found = []
    for position in sorted({p for p, _ in rights}):
        count = sum(p == position for p, _ in rights)
        if count > (len(rights) + 1) // 2:
            found.append(f"quiz: the right answer is option {position + 1} in {count} of {len(rights)} questions; "
                         f"put it in different places so position gives nothing away")
    longest = sum(is_longest for _, is_longest in rights)
    if longest * 4 > len(rights) * 3:
        found.append(f"quiz: the right answer is the longest option in {longest} of {len(rights)} questions; "
                     "make the wrong options as full and plausible as the right one")
    return found


def _plain(error) -> str:
    """jsonschema's message, without quoting whole objects back at the reader."""
    size = len(error.instance) if isinstance(error.instance, (list, str)) else None
    if error.validator == "minItems":
        return f"needs at least {error.validator_value} items; it has {size}"
    if error.validator == "maxItems":
        return f"has {size} items; at most {error.validator_value} are allowed"
    if error.validator == "minLength":
        return f"is too short: at least {error.validator_value} characters"
    if error.validator == "maxLength":
        return f"is too long: {size} characters, at most {error.validator_value}"
    return error.message if len(error.message) < 200 else error.message[:200] + "…"


def solution_regions(source: str) -> list[tuple[int, int]]:
    """(begin, end) line numbers of each solution region; ValueError if markers are unbalanced."""
    regions, begin = [], None
    for number, line in enumerate(source.splitlines()):
        if line.strip() == SOLUTION_BEGIN:
            if begin is not None:
                raise ValueError(f"a second {SOLUTION_BEGIN} before {SOLUTION_END} (line {number + 1})")
            begin = number
        elif line.strip() == SOLUTION_END:
            if begin is None:
                raise ValueError(f"{SOLUTION_END} without {SOLUTION_BEGIN} (line {number + 1})")
            regions.append((begin, number))
            begin = None
    if begin is not None:
        raise ValueError(f"{SOLUTION_BEGIN} (line {begin + 1}) is never closed")
    return regions


def notebook_problems(path: Path, exercise: bool) -> list[str]:
    import nbformat

    try:
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
    except Exception as error:
        return [f"is not a valid notebook ({error})"]
    found = []
    cells = notebook.cells
    if not cells or cells[0].cell_type != "markdown" or not cells[0].source.startswith("# "):
        found.append("must start with a Markdown cell whose first line is its title: '# …'")
    regions = 0
    for number, cell in enumerate(cells, 1):
        if cell.cell_type != "code":
            continue
        try:
            regions += len(solution_regions(cell.source))
        except ValueError as error:
            found.append(f"cell {number}: {error}")
        if not exercise and cell.execution_count is None and cell.source.strip():
            found.append(f"cell {number} has no stored output: run `make outputs MODULE={path.stem}` and commit the notebook")
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                found.append(f"cell {number} stores an error ({output.ename}); fix it and re-run the notebook")
            if "image/png" in output.get("data", {}) and not cell.metadata.get("alt"):
                found.append(f"cell {number} shows an image but has no 'alt' text in its cell metadata")
    if exercise and regions == 0:
        found.append(f"has no solution region ({SOLUTION_BEGIN} … {SOLUTION_END})")
    return found
