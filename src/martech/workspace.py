"""``martech workspace``: a folder of your own to run the notebooks and do the exercises in.

It copies each demo notebook and the learner's copy of each exercise (no solutions) into
``my-work/``. A file that is already there is never overwritten: your work is kept.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from martech import anatomy


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
