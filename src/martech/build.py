"""Write the pages the site generator needs and no one should type: ``martech build-pages``.

Runs before the site generator (``martech build-site``: MkDocs or Zensical): plain files in,
plain files out, so the pipeline does not depend on one engine's plugins. For each module it
writes, next to the lesson:

    demo.md, demo_files/          the demo notebook with its stored outputs
    exercise.md                   the exercise, each solution folded away
    <slug>.ipynb                  the demo notebook to download
    <slug>-exercise.ipynb         the learner's copy: solutions and outputs removed

and, for the whole site: docs/key-points.md, build/snippets/modules.md (the course map on
the home page), build/snippets/progress-modules.md and progress-record.md (on Your progress),
build/snippets/abbreviations.md (glossary tooltips on every page) and
docs/downloads/web-technology-for-marketers.zip (the course to run at home, linked from Start here)
and a stand-in for the offline copy beside it (martech.offline.write_stand_in).
Where mkdocs.yml names a JupyterHub or a BinderHub (martech.hub), the demo and exercise pages
link to it. The offline copy of the site is made after the site generator (martech.offline).

The course map, Your progress and the practise parts of each module carry data-progress-*
attributes that docs/assets/progress.js fills in from what the learner's own browser remembers.
"""

from __future__ import annotations

import copy
import html
import re
import shutil
import zipfile
from pathlib import Path

from martech import anatomy, hub, inbrowser, offline, translations

TEMPLATES = Path(__file__).parent / "templates"
# Notebook outputs would more than double the search index, which every page loads at start
# (home page budget: 120 KiB). The lessons link to these pages, and the lessons are searched.
SEARCH_EXCLUDE = "search:\n  exclude: true\n"
TEST_TAGS = {"nbval-ignore-output", "nbval-skip", "raises-exception", "nbval-check-output"}
ARCHIVE = hub.COURSE_FOLDER  # one name for the course's folder, downloaded or fetched by a hub
# What a learner needs to install the course and run every notebook, and the lessons' sources.
ARCHIVE_PARTS = ["README.md", "LICENSE", "pyproject.toml", "mkdocs.yml", "src", "notebooks", "exercises", "docs",
                 "overrides"]
# Written by this file (and listed in .gitignore): never part of the archive.
GENERATED = ["docs/*/demo.md", "docs/*/exercise.md", "docs/*/*.ipynb", "docs/*/demo_files/*", "docs/*/exercise_files/*",
             "docs/key-points.md", "docs/downloads/*", f"docs/{inbrowser.SITE_FOLDER.as_posix()}/*"]


def build_pages(root: Path | None = None) -> list[str]:
    """Write every generated file; return the problems found (empty when all is well)."""
    root = anatomy.project_root(root)
    problems: list[str] = []
    lessons = []
    online = hub.settings(root)
    problems += hub.settings_problems(online)
    for slug in anatomy.module_slugs(root):
        problems += anatomy.problems(root, slug)
        files = anatomy.paths(root, slug)
        if not files["lesson page"].exists():
            continue
        meta, _ = anatomy.read_front_matter(files["lesson page"])
        lessons.append((slug, meta))
        questions = len(meta.get("quiz") or [])
        folder = files["lesson page"].parent
        if files["demo notebook"].exists():
            write_notebook_page(files["demo notebook"], folder, "demo", meta.get("title", slug), questions, online)
            shutil.copyfile(files["demo notebook"], folder / f"{slug}.ipynb")
        if files["exercise notebook"].exists():
            try:
                write_exercise(files["exercise notebook"], folder, slug, meta.get("title", slug), questions, online)
            except ValueError as error:
                problems.append(f"{slug}: exercise notebook: {error}")
    snippets = root / "build" / "snippets"
    snippets.mkdir(parents=True, exist_ok=True)
    (snippets / "modules.md").write_text(course_path(lessons, lambda slug: f"{slug}/", translations.interface(root)), encoding="utf-8")
    site_name = anatomy.site_config(root).get("site_name") or "this course"
    modules, record = completion_page(lessons, site_name)
    (snippets / "progress-modules.md").write_text(modules, encoding="utf-8")
    (snippets / "progress-record.md").write_text(record, encoding="utf-8")
    (root / "docs" / "key-points.md").write_text(key_points_page(lessons), encoding="utf-8")
    problems += anatomy.site_problems(root)
    course_archive(root)
    offline.write_stand_in(root / "docs")
    write_tooltips(root / "docs" / "glossary.md", snippets)
    problems += inbrowser.ship(root, root / "docs" / inbrowser.SITE_FOLDER)
    for lang in translations.languages(root):
        translation_pages(root, lang, lessons)
    return problems


def translation_pages(root: Path, lang: str, lessons: list[tuple[str, dict]]) -> None:
    """What a translation's build reads besides its pages: the course's styles and scripts, its
    glossary tooltips, and a course path whose translated modules link to this language's lesson
    and the others to the English one, one folder up (build/snippets/<lang>/, mkdocs.<lang>.yml)."""
    docs = root / "i18n" / lang / "docs"
    shutil.rmtree(docs / "assets", ignore_errors=True)
    # Not the in-browser Python: only the English exercise pages run it.
    shutil.copytree(root / "docs" / "assets", docs / "assets", ignore=shutil.ignore_patterns(inbrowser.SITE_FOLDER.name))
    snippets = root / "build" / "snippets" / lang
    snippets.mkdir(parents=True, exist_ok=True)
    write_tooltips(docs / translations.translated_path("glossary.md"), snippets)
    local = {slug for slug, _ in lessons if (docs / slug / "index.md").exists()}
    here = [(slug, anatomy.read_front_matter(docs / slug / "index.md")[0] if slug in local else meta)
            for slug, meta in lessons]
    (snippets / "modules.md").write_text(course_path(here, lambda slug: f"{slug}/" if slug in local else f"../{slug}/",
                                                     translations.interface(root, lang)), encoding="utf-8")


def write_tooltips(glossary: Path, snippets: Path) -> None:
    """The glossary's tooltips as the snippet every page of that site appends (abbreviations.md)."""
    (snippets / "abbreviations.md").write_text(glossary_tooltips(glossary)[0] if glossary.exists() else "", encoding="utf-8")


def course_archive(root: Path) -> Path:
    """The course as one zip file, so that Start here works from the site alone (no repository page needed)."""
    from fnmatch import fnmatch

    target = root / "docs" / "downloads" / f"{ARCHIVE}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    files = []
    for part in ARCHIVE_PARTS:
        path = root / part
        files += [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            name = path.relative_to(root).as_posix()
            if "__pycache__" in name or ".ipynb_checkpoints" in name or any(fnmatch(name, g) for g in GENERATED):
                continue
            archive.write(path, f"{ARCHIVE}/{name}")
    return target


def _exporter():
    from nbconvert import MarkdownExporter

    return MarkdownExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="course")


def write_notebook_page(notebook_path: Path, folder: Path, name: str, lesson_title: str, questions: int = 0,
                        online: dict | None = None) -> Path:
    import nbformat

    notebook = nbformat.read(notebook_path, as_version=4)
    files_dir = f"{name}_files"
    shutil.rmtree(folder / files_dir, ignore_errors=True)
    body, resources = _exporter().from_notebook_node(
        notebook, resources={"output_files_dir": files_dir, "unique_key": name}
    )
    for filename, data in resources.get("outputs", {}).items():
        target = folder / filename
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    slug = folder.name
    header = (
        f"---\ndescription: The demo notebook of the module \"{lesson_title}\", with its outputs.\n{SEARCH_EXCLUDE}---\n\n"
        f"{_title(notebook)}\n\n"
        f'!!! tip "Run it yourself"\n'
        f"    This page shows the notebook as it ran. "
        f"[Download the notebook]({slug}.ipynb){{ download }}, open it in JupyterLab "
        f"([how?](../start-here.md)) and run it, or change it. "
        f"Back to the lesson: [{lesson_title}](index.md)."
        f"{hub.run_links_markdown(online, f'{slug}.ipynb') if online else ''}\n\n"
    )
    page = folder / f"{name}.md"
    page.write_text(header + _drop_title(body) + "\n\n" + progress_mark(slug, name, questions) + "\n", encoding="utf-8")
    return page


def solution_copy(source: str) -> str:
    """The cell as the author wrote it, marker lines removed."""
    return "\n".join(l for l in source.splitlines() if l.strip() not in (anatomy.SOLUTION_BEGIN, anatomy.SOLUTION_END))


def learner_copy(source: str) -> str:
    """The cell with every solution region (markers included) removed."""
    lines = source.splitlines()
    for begin, end in reversed(anatomy.solution_regions(source)):
        del lines[begin:end + 1]
    return "\n".join(lines)


def learner_notebook(notebook):
    """The learner's copy of an exercise: no solutions, no outputs, no test tags."""
    notebook = copy.deepcopy(notebook)
    for cell in notebook.cells:
        if cell.get("metadata", {}).get("tags"):
            cell.metadata.tags = [t for t in cell.metadata.tags if t not in TEST_TAGS]
            if not cell.metadata.tags:
                del cell.metadata["tags"]
        if cell.cell_type == "code":
            cell.source = learner_copy(cell.source)
            cell.outputs = []
            cell.execution_count = None
    return notebook


def write_exercise(source_path: Path, folder: Path, slug: str, lesson_title: str, questions: int = 0,
                   online: dict | None = None) -> None:
    import nbformat

    source = nbformat.read(source_path, as_version=4)
    learner = learner_notebook(source)
    nbformat.validate(learner)
    download = f"{slug}-exercise.ipynb"
    nbformat.write(learner, folder / download)

    parts = [
        f"---\ndescription: The exercise of the module \"{lesson_title}\", with instant feedback.\n{SEARCH_EXCLUDE}---\n",
        _title(source),
        f'!!! tip "Do it in JupyterLab"\n'
        f"    [Download the exercise]({download}){{ download }} and open it in JupyterLab "
        f"([how?](../start-here.md)). Each check answers at once: "
        f"\"✔ Correct\" or \"✘ Not yet\" with a hint. "
        f"Stuck? Each task below has a solution to unfold. Back to the lesson: [{lesson_title}](index.md)."
        + (hub.run_links_markdown(online, download) if online else ""),
    ]
    runs_here = inbrowser.in_browser(source)
    if runs_here:
        parts.append(try_in_browser(download))
    code_cells = 0
    for number, cell in enumerate(source.cells):
        if cell.cell_type == "markdown":
            parts.append(_drop_title(cell.source) if number == 0 else cell.source)
        elif cell.cell_type == "code" and cell.source.strip():
            on_a_computer = runs_here and inbrowser.needs_computer(cell)
            if on_a_computer:
                parts.append(ON_YOUR_COMPUTER + (hub.run_links_markdown(online, download).replace("\n", "\n    ")
                                                 if online else ""))
            parts.append(f"```python\n{learner_copy(cell.source)}\n```")
            if runs_here:
                # Where try-in-browser.js puts this cell's editor: the notebook's code cells in order.
                parts.append(f'<div class="try-cell" data-cell="{code_cells}"'
                             f'{" data-needs-computer" if on_a_computer else ""}></div>')
            code_cells += 1
            if anatomy.solution_regions(cell.source):
                solution = "\n".join("    " + line for line in solution_copy(cell.source).splitlines())
                parts.append(f'??? solution "Show a solution"\n    ```python\n{solution}\n    ```')
    parts.append(progress_mark(slug, "exercise", questions))
    (folder / "exercise.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


# Above a cell that a web page cannot run (martech.inbrowser.TAG), on a page that runs the others.
ON_YOUR_COMPUTER = ('!!! note "On your computer"\n'
                    "    This step needs your computer: a real web server, a real browser to drive, or your "
                    "computer's own answers, which a web page cannot reach. Run it in JupyterLab "
                    "([how?](../start-here.md)). Cannot install anything? Unfold its solution to see the "
                    "answer, or ask IT for the course on a team server ([For teams](../for-teams.md)).")


def try_in_browser(download: str) -> str:
    """The button that runs the exercise in this page (docs/assets/try-in-browser.js); the page's
    other scripts load on every page, this one only here, and Python only when pressed."""
    # ../: the page's address is a folder beside the notebook (exercise/), and no engine rewrites
    # a link in an HTML attribute.
    size = (f"about {inbrowser.DOWNLOAD_MB} MB the first time, {inbrowser.COMPRESSED_MB} MB where the site's host "
            "compresses it")
    return (f'<div class="try-in-browser" data-try="../{download}" data-size="{size}">\n'
            f'<p><button type="button" class="md-button md-button--primary">Try it in your browser</button></p>\n'
            f'<p class="try-status" role="status">No install: Python runs in this page, on your computer, and '
            f'nothing you type leaves it ({size}). '
            f'Steps marked "On your computer" need JupyterLab.</p>\n'
            # Imported from an inline script: the engines rebase a src= in the page's HTML unlike
            # each other (Zensical from the page's file, MkDocs from its address), never a script's text.
            f'</div>\n<script type="module">import(new URL("../../assets/try-in-browser.js", location.href));</script>')


def _title(notebook) -> str:
    first = notebook.cells[0].source.splitlines()[0] if notebook.cells else "# Notebook"
    return first if first.startswith("# ") else "# Notebook"


def _drop_title(markdown: str) -> str:
    """The first '# Title' line is written once, at the top of the page."""
    return re.sub(r"\A\s*# [^\n]*\n?", "", markdown, count=1)


def minutes(meta: dict) -> int:
    return sum((meta.get("minutes") or {}).values())


# Words a slug spells in lower case that a marketer reads in capitals.
ACRONYMS = {"api", "apis", "css", "dns", "html", "http", "it", "pwa", "seo", "url", "ux"}


def topic(slug: str) -> str:
    """The module's topic in words, from its slug: working-with-it -> Working with IT."""
    words = [w.upper() if w in ACRONYMS else w for w in slug.split("-")]
    return words[0][:1].upper() + words[0][1:] + "".join(" " + w for w in words[1:])


def _progress_summary(slug: str, meta: dict, fallback: str) -> str:
    """What progress.js fills in: the words stay until the browser remembers something."""
    return (f'<span data-progress-summary="{slug}" data-questions="{len(meta.get("quiz") or [])}">'
            f"{fallback}</span>")


def course_path(lessons: list[tuple[str, dict]], link, ui: dict) -> str:
    """The home page's course map: one card per module, in nav order, from its front matter;
    ``link`` gives each lesson's address from the home page; ``ui``: the interface words
    (translations.interface; mkdocs.yml extra.ui)."""
    e = html.escape
    word = lambda key, **values: e(ui[key].format(**values))
    cards = []
    for number, (slug, meta) in enumerate(lessons, 1):
        m = meta.get("minutes") or {}
        objectives = "".join(f"<li>{e(o)}</li>" for o in meta.get("objectives") or [])
        time = word("time", total=minutes(meta), reading=m.get("reading", 0), demo=m.get("demo", 0),
                    exercise=m.get("exercise", 0))
        cards.append(
            f'<li class="course-card" data-module="{slug}">\n'
            f'<p class="course-card-topic">{word("module_topic", number=number, topic=topic(slug))}</p>\n'
            f'<h3 class="course-card-title"><a href="{e(link(slug))}">{e(meta.get("title", slug))}</a></h3>\n'
            f'<p class="course-card-time">{time}</p>\n'
            f'<p class="course-card-goal">{word("able_to")}</p>\n<ul>{objectives}</ul>\n'
            f'<p class="course-card-progress">{word("your_progress")} '
            f'{_progress_summary(slug, meta, e(ui["script"]["not_started"]))}</p>\n'
            f"</li>")
    return '<ol class="course-map">\n' + "\n".join(cards) + "\n</ol>\n"


def progress_mark(slug: str, step: str, questions: int) -> str:
    """A demo or exercise page's own "mark as done" box (the lesson's is in overrides/partials).
    ``questions``: the lesson's quiz questions, so that the box can say when the module is complete."""
    label = "Mark the demo as done" if step == "demo" else "Mark this exercise as done"
    return (f'<div class="progress-mark" data-module="{slug}" data-questions="{questions}">\n'
            f'<p><label><input type="checkbox" data-progress-step="{step}" autocomplete="off"> {label}</label></p>\n'
            f'<p class="progress-message" role="status"></p>\n</div>')


def completion_page(lessons: list[tuple[str, dict]], site_name: str) -> tuple[str, str]:
    """Your progress (docs/progress.md): each module's state, and the record that appears when every one is done."""
    e = html.escape
    rows, record = [], []
    for slug, meta in lessons:
        title = e(meta.get("title", slug))
        # A Markdown link, not <a href>: both engines make it relative to the built page alike
        # (Zensical re-bases a link written in HTML as if it were Markdown; MkDocs leaves it as it is).
        link_text = e(re.sub(r"([\\`*_\[\]()!+])", r"\\\1", meta.get("title", slug)), quote=False)
        rows.append(f'<li data-module="{slug}" markdown="span">[{link_text}]({slug}/index.md) – '
                    f'{_progress_summary(slug, meta, "not started")}</li>')
        record.append(f'<li>{title} – <span data-progress-date="{slug}">…</span></li>')
    hours = round(sum(minutes(meta) for _, meta in lessons) / 60)
    # data-no-tooltips: a module's title here is its name, not the first use of a glossary term.
    return '<ol class="progress-modules" markdown data-no-tooltips>\n' + "\n".join(rows) + "\n</ol>\n", (
        f'<div class="course-record-area" data-progress-record="{len(lessons)}">\n'
        f'<p class="course-record-wait">Your record appears here when you have completed every module: '
        f'<span data-progress-count>0</span> of {len(lessons)} so far.</p>\n'
        f'<div class="course-record" hidden>\n'
        f'<p class="course-record-ask"><label for="record-name">Your name, as it should appear on the record '
        f'(kept in this browser only)</label><br>\n'
        f'<input type="text" id="record-name" autocomplete="name" maxlength="80" spellcheck="false"></p>\n'
        f'<section class="course-record-sheet" aria-labelledby="record-title">\n'
        f'<p class="course-record-course">{e(site_name)}</p>\n'
        f'<h3 id="record-title">Record of completion</h3>\n'
        f'<p class="course-record-name" data-record-name>Your name</p>\n'
        f'<p>completed every module of the course, about {hours} hours of lessons, demos and exercises, '
        f'on <strong data-progress-last>…</strong>:</p>\n'
        f'<ol>\n' + "\n".join(record) + "\n</ol>\n"
        f'<p class="course-record-note">A personal record: the learner kept it in their own browser and printed '
        f'it. No one has checked or issued it.</p>\n'
        f'</section>\n'
        f'<p class="course-record-print"><button type="button" class="md-button md-button--primary" '
        f'data-progress-action="print">Print the record</button></p>\n'
        f'</div>\n</div>\n'
    )


def key_points_page(lessons: list[tuple[str, dict]]) -> str:
    parts = [
        "---\ndescription: The key points of every module, on one page, to revise before a meeting with IT.\n---\n",
        "# Key points",
        "The key points of every module, on one page. Each list comes from its lesson.",
    ]
    for slug, meta in lessons:
        parts.append(f"## [{meta.get('title', slug)}]({slug}/index.md)")
        parts.append("\n".join(f"- {point}" for point in meta.get("key_points") or []))
    return "\n\n".join(parts) + "\n"


def glossary_entries(glossary: Path) -> list[tuple[str, str]]:
    """(term, definition) pairs from the glossary page's definition list."""
    text = glossary.read_text(encoding="utf-8")
    return re.findall(r"^([^\s:#-][^\n]*)\n:\s{1,4}(.+)$", text, re.M)


def glossary_tooltips(glossary: Path) -> tuple[str, list[str]]:
    entries = glossary_entries(glossary)
    problems = []
    if not entries:
        problems.append("docs/glossary.md has no entries ('Term' on one line, ':   definition' on the next)")
    terms = [term.strip() for term, _ in entries]
    for term, definition in entries:
        if "TODO" in term or "TODO" in definition:
            problems.append(f"docs/glossary.md still has a TODO entry: '{term.strip()}'")
    for term in sorted({t for t in terms if terms.count(t) > 1}):
        problems.append(f"docs/glossary.md defines '{term}' twice")
    lines = [f"*[{term.strip()}]: {definition.strip()}" for term, definition in entries]
    # One paragraph per term: Markdown takes one definition at a time off a paragraph and tests
    # what is left against every block rule again, so one paragraph of 184 lines cost 0.3 s per
    # page (most of the site's build time); apart, they cost nothing.
    return "\n\n".join(lines) + "\n", problems
