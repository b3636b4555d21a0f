"""Every module has every part; a module that lacks one fails, naming the module and the part."""

import shutil
import textwrap

import pytest

from martech import anatomy
from martech.build import build_pages, glossary_entries, learner_copy


def test_the_course_has_modules(slugs):
    assert "how-the-web-works" in slugs


def test_every_module_is_complete(root, slugs):
    problems = [p for slug in slugs for p in anatomy.problems(root, slug)]
    assert not problems, "\n".join(problems)


@pytest.fixture
def broken_course(tmp_path, root):
    """A copy of the course with one extra module that lacks several parts."""
    for name in ("mkdocs.yml", "docs", "notebooks", "exercises"):
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, tmp_path / name)
    (tmp_path / "src" / "martech").mkdir(parents=True)
    config = (tmp_path / "mkdocs.yml").read_text()
    (tmp_path / "mkdocs.yml").write_text(config.replace("  - key-points.md", "  - broken-module/index.md\n  - key-points.md"))
    lesson = tmp_path / "docs" / "broken-module" / "index.md"
    lesson.parent.mkdir()
    lesson.write_text(textwrap.dedent("""\
        ---
        title: Broken module
        description: A module that forgets several of its parts, to prove the checks fail.
        minutes: {reading: 5, demo: 5, exercise: 5}
        prerequisites: [None]
        key_points: [One key point here., Another key point., A third key point.]
        quiz:
          - question: Which option is right?
            options:
              - {answer: This one, correct: true, why: Because it is the right one.}
              - {answer: That one, correct: true, why: Two right answers is a mistake.}
        colour: blue
        ---

        # A heading at the wrong level

        !!! scenario "A scenario"
            Some text.

        !!! danger "A block type outside the set"
            Text.

        #### Skipped a level
        """))
    return tmp_path


def test_a_broken_module_is_reported_in_plain_words(broken_course):
    problems = "\n".join(anatomy.problems(broken_course, "broken-module"))
    for expected in [
        "broken-module: the demo notebook is missing (notebooks/broken-module.ipynb)",
        "broken-module: the exercise notebook is missing (exercises/broken-module.ipynb)",
        "broken-module: the package file is missing (src/martech/modules/broken_module/__init__.py)",
        "broken-module: the demo servers file is missing (src/martech/modules/broken_module/demos.py)",
        "broken-module: the exercise checks file is missing (src/martech/modules/broken_module/checks.py)",
        "broken-module: lesson page: front matter: 'objectives' is a required property",
        "broken-module: lesson page: front matter: Additional properties are not allowed ('colour' was unexpected)",
        "broken-module: lesson page: quiz question 1 needs exactly one option with correct: true (it has 2)",
        "broken-module: lesson page: unknown block type 'danger'",
        "broken-module: lesson page: needs exactly one 'Questions to ask IT' block (!!! ask-it); it has 0",
        "broken-module: lesson page: has an H1 ('# A heading at the wrong level')",
        "broken-module: lesson page: heading 'Skipped a level' skips a level (h1 then h4)",
        "broken-module: lesson page: has no diagram",
    ]:
        assert expected in problems


def test_the_page_build_fails_on_a_broken_module(broken_course):
    assert any(p.startswith("broken-module:") for p in build_pages(broken_course))


def test_solution_markers_must_pair_up():
    with pytest.raises(ValueError, match="never closed"):
        anatomy.solution_regions("### BEGIN SOLUTION\nx = 1\n")
    with pytest.raises(ValueError, match="second ### BEGIN SOLUTION"):
        anatomy.solution_regions("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n")
    with pytest.raises(ValueError, match="without ### BEGIN SOLUTION"):
        anatomy.solution_regions("### END SOLUTION\n")


def test_learner_copy_keeps_the_starting_line_and_drops_the_solution():
    cell = "answer = ...\n### BEGIN SOLUTION\nanswer = 404\n### END SOLUTION\ncheck.task(answer)"
    assert learner_copy(cell) == "answer = ...\ncheck.task(answer)"


def test_glossary_has_entries_and_no_duplicates(root):
    terms = [term for term, _ in glossary_entries(root / "docs" / "glossary.md")]
    assert len(terms) >= 10 and len(terms) == len(set(terms))


def test_stale_outputs_fail_and_say_how_to_refresh_them(root, tmp_path):
    """A notebook whose stored output no longer matches a fresh run fails nbval, with the fix."""
    import subprocess
    import sys

    import nbformat

    # A one-cell stand-in for the module's notebook, its stored output out of date: nbval, our
    # sanitizer and the hint are what is tested, not the notebook's own cells.
    notebook = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                                 "language": "python"}})
    cell = nbformat.v4.new_code_cell('print("scheme:  ", "https", "host:", "shop.example")')
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="scheme:   https host: old-shop.example\n")]
    notebook.cells = [cell]
    (tmp_path / "notebooks").mkdir()
    nbformat.write(notebook, tmp_path / "notebooks" / "how-the-web-works.ipynb")
    shutil.copy(root / "conftest.py", tmp_path / "conftest.py")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "notebooks",
         "--nbval-sanitize-with", str(root / "tests" / "sanitize.cfg"), "-o", "addopts=", "-o", "testpaths="],
        cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "1 failed" in result.stdout
    assert "make outputs MODULE=how-the-web-works" in result.stdout


def test_the_site_as_a_whole_is_complete(root):
    problems = anatomy.site_problems(root)
    assert not problems, "\n".join(problems)


@pytest.fixture
def course_copy(tmp_path, root):
    for name in ("mkdocs.yml", "docs", "notebooks", "exercises", "src"):
        source = root / name
        (shutil.copytree if source.is_dir() else shutil.copy)(
            source, tmp_path / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if source.is_dir() else {}))
    return tmp_path


def _edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _drop_sources(course):
    lesson = course / "docs" / "caching" / "index.md"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("## Sources", "## Further reading"), encoding="utf-8")


def _quiz_all_first(course):
    """Every right answer moved to the first place."""
    import yaml

    lesson = course / "docs" / "caching" / "index.md"
    meta, body = anatomy.read_front_matter(lesson)
    for question in meta["quiz"]:
        question["options"].sort(key=lambda o: not o["correct"])
    lesson.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body, encoding="utf-8")


MUTATIONS = {
    "lesson left out of the nav": (
        lambda c: _edit(c / "mkdocs.yml", "  - caching/index.md\n", ""),
        "caching: docs/caching/index.md is a lesson, but mkdocs.yml's nav does not list it"),
    "no Sources section": (_drop_sources, "caching: lesson page: has no '## Sources' section"),
    "demo never named in the lesson": (
        lambda c: _edit(c / "docs" / "caching" / "index.md", "martech serve cdn", "martech serve", count=-1),
        "caching: lesson page: never tells the learner how to start the 'cdn' demo"),
    "glossary TODO stub": (
        lambda c: (c / "docs" / "glossary.md").open("a").write("\nTODO caching term\n:   TODO: a definition.\n"),
        "docs/glossary.md still has a TODO entry"),
    "right answers all in one place": (_quiz_all_first, "caching: lesson page: quiz: the right answer is option 1 in"),
    "TODO left in a notebook": (
        lambda c: _edit(c / "notebooks" / "caching.ipynb", '"# Demo:', '"# TODO Demo:'),
        "caching: the demo notebook still has 1 cell(s) with TODO to fill in (first: cell 1, which says '# TODO Demo:"),
}


@pytest.mark.parametrize("mutation", MUTATIONS)
def test_a_contributor_mistake_fails_the_checks_naming_module_and_part(course_copy, mutation):
    change, expected = MUTATIONS[mutation]
    assert not [p for p in anatomy.problems(course_copy, "caching") + anatomy.site_problems(course_copy)
                if p.startswith("caching")], "the copy is not clean before the change"
    change(course_copy)
    found = "\n".join(anatomy.site_problems(course_copy)
                      + [p for slug in anatomy.module_slugs(course_copy) for p in anatomy.problems(course_copy, slug)])
    assert expected in found, found
    assert any(p.startswith(("caching", "docs/glossary")) for p in build_pages(course_copy))
