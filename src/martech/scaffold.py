"""``martech new-module SLUG "Title"``: every part of a new module, with TODOs to fill in.

It writes the parts listed in ``anatomy.paths`` (the module's code as a folder of its own, from
templates/new-module/package/) plus a diagram and a served page, adds a glossary stub and
registers the lesson in mkdocs.yml's nav. It checks everything first and changes nothing when
the slug is malformed or any part already exists. The anatomy check then lists each TODO left.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from martech import anatomy

TEMPLATES = Path(__file__).parent / "templates" / "new-module"
SLUG = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
NAV_ANCHOR = "  - key-points.md"


class ScaffoldRefused(Exception):
    pass


def new_module(root: Path, slug: str, title: str) -> list[Path]:
    """Create module ``slug``; return the files written. Raises ScaffoldRefused, changing nothing."""
    if not SLUG.fullmatch(slug or ""):
        raise ScaffoldRefused(
            f"{slug!r} is not a usable slug: use lower-case words joined by hyphens, such as 'search-advertising'."
        )
    if not 3 <= len(title.strip()) <= 60:
        raise ScaffoldRefused("The title must be 3 to 60 characters, e.g. \"Why customers still see the old banner\".")
    files = anatomy.paths(root, slug)
    existing = [str(path.relative_to(root)) for path in files.values() if path.exists()]
    if existing:
        raise ScaffoldRefused(f"Module {slug!r} already has {', '.join(existing)}: nothing was changed.")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    if f"{slug}/index.md" in config:
        raise ScaffoldRefused(f"mkdocs.yml already lists {slug}/index.md: nothing was changed.")
    if NAV_ANCHOR not in config.splitlines():
        raise ScaffoldRefused(f"mkdocs.yml has no line '{NAV_ANCHOR}' to add the module before: nothing was changed.")

    module = slug.replace("-", "_")
    values = {
        "slug": slug,
        "title": title.strip().replace('"', "'"),
        "module": module,
        "demo": slug,
        "handler": "".join(part.title() for part in slug.split("-")) + "Handler",
    }
    written = {
        files["lesson page"]: _fill("lesson.md", values),
        files["lesson page"].parent / "diagram.svg": _fill("diagram.svg", values),
        files["package file"]: _fill("package/__init__.py", values),
        files["demo servers file"]: _fill("package/demos.py", values),
        files["exercise checks file"]: _fill("package/checks.py", values),
        files["package file"].parent / "served" / "index.html": _fill("package/served/index.html", values),
        files["demo notebook"]: _fill("demo.ipynb", values),
        files["exercise notebook"]: _fill("exercise.ipynb", values),
    }
    for path, text in written.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    glossary = root / "docs" / "glossary.md"
    stub = f"TODO {slug} term\n:   TODO: a one-line definition in plain words.\n"
    text = glossary.read_text(encoding="utf-8").rstrip("\n") + "\n"
    # The terms sit inside the glossary's closing </div> (the block without tooltips), when it has one.
    closing = "\n</div>\n"
    text = text[:-len(closing)] + f"\n{stub}" + closing if text.endswith(closing) else text + f"\n{stub}"
    glossary.write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        config.replace(NAV_ANCHOR + "\n", f"  - {slug}/index.md\n{NAV_ANCHOR}\n", 1), encoding="utf-8"
    )
    return [*written, glossary, root / "mkdocs.yml"]


def _fill(template: str, values: dict[str, str]) -> str:
    return Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)
