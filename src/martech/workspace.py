"""``martech workspace``: a folder of your own to run the notebooks and do the exercises in.

It copies each demo notebook and the learner's copy of each exercise (no solutions) into
``my-work/``. A file that is already there is never overwritten: your work is kept.

On a JupyterHub or a BinderHub the same happens at ``<server>/martech/workspace?open=<notebook>``
(``&course=<folder>`` when the course is in a folder of the learner's home, as nbgitpuller puts
it): a Jupyter server extension, enabled by binder/postBuild, that makes the folder and opens the
notebook there in JupyterLab. The links to it come from martech.hub.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path
from html import escape
from urllib.parse import quote

from martech import anatomy
from martech.problems import Problem

NOTEBOOK_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.ipynb")
PAGE_NOT_THERE = ('<!doctype html><html lang="en"><meta charset="utf-8"><title>Notebook not found</title>'
                  '<h1>Notebook not found</h1><p>{sentence}</p></html>')


class NotInTheCourse(Problem):
    """The hub was asked for a course folder or a notebook that is not there."""


def make_workspace(root: Path, folder: str = "my-work") -> tuple[Path, list[str], list[str]]:
    """Return (the folder, files added, files kept as they were)."""
    import nbformat

    from martech.build import learner_notebook

    target = root / folder
    target.mkdir(exist_ok=True)
    added, kept = [], []
    for slug in anatomy.module_slugs(root):
        parts = anatomy.paths(root, slug)
        for source, name in ((parts["demo notebook"], f"{slug}.ipynb"), (parts["exercise notebook"], f"{slug}-exercise.ipynb")):
            destination = target / name
            if not source.exists():
                continue
            if destination.exists():
                kept.append(name)
                continue
            if source == parts["exercise notebook"]:
                nbformat.write(learner_notebook(nbformat.read(source, as_version=4)), destination)
            else:
                shutil.copyfile(source, destination)
            added.append(name)
    return target, added, kept


def open_in_workspace(server_root: Path, course: str, notebook: str) -> str:
    """Make the workspace of the course in ``server_root/course`` (the server's own folder when
    ``course`` is empty); return the notebook's path in it, relative to ``server_root``."""
    # nbgitpuller puts a course in $NBGITPULLER_PARENTPATH/<folder> when IT sets that variable.
    parent = os.environ.get("NBGITPULLER_PARENTPATH", "") if course else ""
    relative = Path(parent, course)
    if relative.is_absolute() or ".." in relative.parts:
        raise NotInTheCourse(f"{course!r} is not a folder name: open the link from the course's page again.")
    root = server_root / relative
    if not (root / "mkdocs.yml").is_file():
        raise NotInTheCourse(f"There is no course in the folder {relative.as_posix() or 'of your server'!r}: "
                             "open the link from the course's page again, so that the hub can fetch it.")
    if not NOTEBOOK_NAME.fullmatch(notebook):
        raise NotInTheCourse(f"{notebook!r} is not a notebook of the course: open the link from the course's page again.")
    folder, added, kept = make_workspace(root)
    if notebook not in added + kept:
        raise NotInTheCourse(f"The course has no notebook called {notebook!r}: "
                             "open the link from the course's page again.")
    return (folder / notebook).relative_to(server_root).as_posix()


def _jupyter_server_extension_points():
    return [{"module": "martech.workspace"}]


def _load_jupyter_server_extension(server_app) -> None:
    from jupyter_server.base.handlers import JupyterHandler
    from jupyter_server.utils import url_path_join
    from tornado import web

    class Workspace(JupyterHandler):
        @web.authenticated
        def get(self):
            try:
                path = open_in_workspace(Path(os.path.expanduser(server_app.root_dir)),
                                         self.get_argument("course", ""), self.get_argument("open", ""))
            except NotInTheCourse as problem:
                self.set_status(404)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(PAGE_NOT_THERE.format(sentence=escape(str(problem))))
                return
            self.redirect(url_path_join(self.base_url, "lab", "tree", quote(path)))

    route = url_path_join(server_app.web_app.settings["base_url"], "martech", "workspace")
    server_app.web_app.add_handlers(".*$", [(route, Workspace)])
