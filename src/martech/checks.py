"""Instant, friendly feedback for exercises.

A check is a function marked with ``@task``. It returns a sentence when the answer is right
and raises ``NotYet("hint")`` when it is not. Whatever the learner passes in, the result is
a ``Verdict`` that prints as "✔ Correct: …" or "✘ Not yet: …", never a traceback.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from martech.problems import Problem, shown  # noqa: F401  (shown: for the modules' checks too)

PLACEHOLDER_HINT = "replace the ... with your answer, then run the cell again."
# A verdict is read at a glance: a pasted novel is not echoed back in full.
LONGEST_MESSAGE = 600


class NotYet(Problem):
    """Raised by a check with a hint for the learner (outside a @task too: shown without a traceback)."""


@dataclass
class Verdict:
    task: str
    passed: bool
    message: str

    def __repr__(self) -> str:
        mark = "✔ Correct" if self.passed else "✘ Not yet"
        return f"{mark}: {self.message}"

    def __bool__(self) -> bool:
        return self.passed


def task(check):
    """Turn a check function into one that always answers with a Verdict."""

    @functools.wraps(check)
    def run(*answers, **named_answers) -> Verdict:
        if any(a is Ellipsis for a in (*answers, *named_answers.values())):
            return Verdict(check.__name__, False, PLACEHOLDER_HINT)
        try:
            return Verdict(check.__name__, True, _short(check(*answers, **named_answers)))
        except NotYet as hint:
            return Verdict(check.__name__, False, _short(str(hint)))
        except TypeError as error:
            return Verdict(check.__name__, False, _short(f"this check could not read what it was given ({error})."))
        except Exception as error:  # the learner must never see a traceback from a check
            return Verdict(
                check.__name__,
                False,
                _short(f"something in the answer made the check stumble ({type(error).__name__}: {error}). ")
                + "Look at its spelling and type, then try again.",
            )

    run.is_task = True
    return run


def _short(message: str) -> str:
    return message if len(message) <= LONGEST_MESSAGE else message[:LONGEST_MESSAGE - 1] + "…"


def as_whole_number(answer, what: str = "the answer") -> int:
    """The answer as an int, accepting "404" and 404.0; a friendly NotYet otherwise."""
    if isinstance(answer, bool):
        raise NotYet(f"{what} should be a number such as 404, not {answer}.")
    if isinstance(answer, int):
        return answer
    if isinstance(answer, float) and answer.is_integer():
        return int(answer)
    if isinstance(answer, str) and answer.strip().isdigit():
        return int(answer.strip())
    raise NotYet(f"{what} should be a whole number such as 404; you gave {shown(answer)}.")


def as_text(answer, what: str = "the answer") -> str:
    """The answer as trimmed text; a friendly NotYet for anything that is not text."""
    if not isinstance(answer, str):
        raise NotYet(f"{what} should be text in quotes, such as \"example\"; you gave {shown(answer)}.")
    return answer.strip()


def as_choice(answer, choices: str, what: str = "the answer") -> str:
    """One letter out of ``choices`` (e.g. "abcd"), in either case."""
    letter = as_text(answer, what).lower().strip("() .")
    if len(letter) != 1 or letter not in choices:
        options = ", ".join(f'"{c}"' for c in choices)
        raise NotYet(f"{what} should be one letter: {options}; you gave {shown(answer)}.")
    return letter


def expect_choice(answer, right: str, wrong: dict[str, str], what: str = "choice") -> str:
    """A multiple-choice answer: the right letter, or NotYet with the hint for the wrong one."""
    letter = as_choice(answer, "".join(sorted([right, *wrong])), what)
    if letter in wrong:
        raise NotYet(wrong[letter])
    return letter
