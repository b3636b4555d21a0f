"""What a module's demos serve, kept as real files in the module's ``served/`` folder.

    files = Served(__file__)                 in martech/modules/<module>/demos.py
    files.text("style.css")                  a file as text (UTF-8)
    files.bytes("logo.svg")                  a file as bytes
    files.render("home.html", banner=text)   a Jinja2 template, values HTML-escaped

A web developer edits these with their own tools; Python only fills in the values.
Templates may ``{% extends "page.html" %}``, the course's shared page (martech/templates/).
"""

from __future__ import annotations

import functools
from pathlib import Path

SHARED = Path(__file__).parent / "templates"


class Served:
    def __init__(self, module_file: str | Path):
        """``module_file``: a module's ``__file__`` (its served/ folder is used), or a folder."""
        place = Path(module_file).resolve()
        self.folder = place if place.is_dir() else place.parent / "served"

    def path(self, name: str) -> Path:
        return self.folder / name

    def text(self, name: str) -> str:
        return self.path(name).read_text(encoding="utf-8")

    def bytes(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def render(self, name: str, **values) -> str:
        return self.environment.get_template(name).render(**values)

    def from_string(self, source: str, **values) -> str:
        """A template given as text (a learner's own, say), with this module's templates to extend."""
        return self.environment.from_string(source).render(**values)

    @functools.cached_property
    def environment(self):
        import jinja2

        return jinja2.Environment(
            loader=jinja2.FileSystemLoader([self.folder, SHARED]),
            autoescape=jinja2.select_autoescape(["html", "htm", "xml", "svg", "j2"]),
            keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
