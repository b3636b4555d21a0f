"""One kind of error for a request that cannot be done as asked: said in plain words, never a traceback.

Raise ``Problem("what is wrong, and what to do")`` (or a subclass) wherever a learner's or a
contributor's input is refused. The command line prints the sentence and exits with status 2;
in a notebook, once martech is imported, IPython shows the sentence alone instead of a traceback.
"""

from __future__ import annotations

import sys


class Problem(Exception):
    """What the learner asked for cannot be done; str() says why and what to do instead."""


def shown(value, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for echoing what a learner gave back to them."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _show_plainly(shell, etype, value, tb, tb_offset=None):
    print(f"✘ {value}", file=sys.stderr)


def _register_with_ipython() -> None:
    if "IPython" not in sys.modules:
        return
    shell = sys.modules["IPython"].get_ipython()
    if shell is not None and getattr(shell, "custom_exceptions", ()) != (Problem,):
        shell.set_custom_exc((Problem,), _show_plainly)


_register_with_ipython()
