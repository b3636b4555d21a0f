"""Instant, friendly feedback for exercises.

A check is a function marked with ``@task``. It returns a sentence when the answer is right
and raises ``NotYet("hint")`` when it is not. Whatever the learner passes in, the result is
a ``Verdict`` that prints as "✔ Correct: …" or "✘ Not yet: …", never a traceback.

Every sentence a check says goes through ``say("English text with {named} values", named=...)``,
which gives it in the learner's language (``use_language``) where ``i18n/<lang>/hints.yml``
translates it, and in English otherwise.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path

from martech.problems import Problem, shown  # noqa: F401  (shown: for the modules' checks too)

# Beside each language's terms.yml, so that a translator works in one folder. The package is
# installed editable, so the course's i18n/ is two folders above this file; a copy installed
# anywhere else finds none and speaks English.
I18N = Path(__file__).resolve().parents[2] / "i18n"
# Where the system's language is read, in the order POSIX gives them precedence.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
_chosen: str | None = None  # use_language's choice; None: the environment's
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
        # The whole line is one template, so that a language can use its own colon (zh: "：").
        if self.passed:
            return say("✔ Correct: {message}", message=self.message)
        return say("✘ Not yet: {message}", message=self.message)

    def __bool__(self) -> bool:
        return self.passed


def task(check):
    """Turn a check function into one that always answers with a Verdict."""

    @functools.wraps(check)
    def run(*answers, **named_answers) -> Verdict:
        if any(a is Ellipsis for a in (*answers, *named_answers.values())):
            return Verdict(check.__name__, False, say("replace the ... with your answer, then run the cell again."))
        try:
            return Verdict(check.__name__, True, _short(check(*answers, **named_answers)))
        except Problem as hint:  # NotYet, or a part of the course refusing in plain words (NeedsComputer)
            return Verdict(check.__name__, False, _short(str(hint)))
        except TypeError as error:
            return Verdict(check.__name__, False, _short(say("this check could not read what it was given ({error}).",
                                                             error=error)))
        except Exception as error:  # the learner must never see a traceback from a check
            return Verdict(check.__name__, False, _stumbled(error))

    run.is_task = True
    return run


def _short(message: str) -> str:
    return message if len(message) <= LONGEST_MESSAGE else message[:LONGEST_MESSAGE - 1] + "…"


def _stumbled(error: Exception) -> str:
    # The advice at the end must survive a long error, in every language: shorten the error's text.
    def said(text: str) -> str:
        return say("something in the answer made the check stumble ({kind}: {error}). "
                   "Look at its spelling and type, then try again.", kind=type(error).__name__, error=text)

    text = str(error)
    excess = len(said(text)) - LONGEST_MESSAGE
    if excess > 0:
        text = text[:max(0, len(text) - excess - 1)] + "…"
    return said(text)


def say(english: str, **values) -> str:
    """``english`` in the learner's language, formatted with ``values`` (str.format: {host!r}, {total:g}).

    The English text is the key, as in gettext, so that the checks read as English. ``values``, such
    as the learner's own answer, are never translated. No translation: the English."""
    translated = _catalog(language(), os.environ.get("MARTECH_HINTS_DIR") or "").get(english)
    if translated:
        try:
            return translated.format(**values)
        except (KeyError, IndexError, ValueError):  # a catalog out of step with the checks: English, not a traceback
            pass
    return english.format(**values)


def use_language(lang: str | None) -> None:
    """Give the hints in ``lang`` ("fi", "zh", "en"...) from now on; None: as the environment says (``language``)."""
    global _chosen
    code = _code(lang) if isinstance(lang, str) else None
    if lang is not None and code not in languages():
        raise Problem(say("There are no hints in {given}. The languages there are: {languages}. "
                          "For example: use_language(\"fi\").", given=shown(lang), languages=", ".join(languages())))
    _chosen = code


def language() -> str:
    """The hints' language: use_language's choice, else MARTECH_LANGUAGE, else the system's (LC_ALL,
    LC_MESSAGES, LANG: fi_FI.UTF-8 is "fi"), else English. A language with no hints is English."""
    wanted = _chosen or next((os.environ[name] for name in ("MARTECH_LANGUAGE", *LOCALE_VARIABLES)
                              if os.environ.get(name)), "en")
    code = _code(wanted)
    return code if code in languages() else "en"


def languages() -> list[str]:
    """English, and each language with a catalog of hints."""
    return _available(os.environ.get("MARTECH_HINTS_DIR") or "")


def _code(name: str) -> str:
    """fi_FI.UTF-8, fi-FI and FI all say "fi"."""
    return name.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].strip().lower()


@functools.lru_cache(maxsize=None)
def _available(folder: str) -> list[str]:
    found = {path.stem for path in Path(folder).glob("*.json")} if folder else \
        {path.parent.name for path in I18N.glob("*/hints.yml")}
    return sorted(found | {"en"})


@functools.lru_cache(maxsize=None)
def _catalog(lang: str, folder: str) -> dict[str, str]:
    """{English template: translated template} for ``lang``, read once. ``folder``: MARTECH_HINTS_DIR,
    which holds <lang>.json instead, for a Python without PyYAML (Pyodide, in the browser)."""
    try:
        return read_catalog(Path(folder) / f"{lang}.json" if folder else I18N / lang / "hints.yml")
    except Exception:  # no catalog (English has none), or one that cannot be read: the hints stay English
        return {}


def read_catalog(path: Path) -> dict[str, str]:
    """A catalog of hints, hints.yml or <lang>.json: its entries of text for text."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        data = json.loads(text)
    else:
        import yaml  # here, so that a Python reading only JSON catalogs needs no PyYAML

        data = yaml.safe_load(text)
    return {key: value for key, value in data.items()
            if isinstance(key, str) and isinstance(value, str)} if isinstance(data, dict) else {}


def as_whole_number(answer, what: str | None = None) -> int:
    """The answer as an int, accepting "404" and 404.0; a friendly NotYet otherwise.

    ``what``: the answer's name in the hint, often the variable the learner fills in ("status")."""
    what = what or say("the answer")
    if isinstance(answer, bool):
        raise NotYet(say("{what} should be a number such as 404, not {answer}.", what=what, answer=answer))
    if isinstance(answer, int):
        return answer
    if isinstance(answer, float) and answer.is_integer():
        return int(answer)
    if isinstance(answer, str) and answer.strip().isdigit():
        return int(answer.strip())
    raise NotYet(say("{what} should be a whole number such as 404; you gave {answer}.", what=what, answer=shown(answer)))


def as_text(answer, what: str | None = None) -> str:
    """The answer as trimmed text; a friendly NotYet for anything that is not text."""
    what = what or say("the answer")
    if not isinstance(answer, str):
        raise NotYet(say("{what} should be text in quotes, such as \"example\"; you gave {answer}.",
                         what=what, answer=shown(answer)))
    return answer.strip()


def as_choice(answer, choices: str, what: str | None = None) -> str:
    """One letter out of ``choices`` (e.g. "abcd"), in either case."""
    what = what or say("the answer")
    letter = as_text(answer, what).lower().strip("() .")
    if len(letter) != 1 or letter not in choices:
        options = ", ".join(f'"{c}"' for c in choices)
        raise NotYet(say("{what} should be one letter: {options}; you gave {answer}.",
                         what=what, options=options, answer=shown(answer)))
    return letter


def expect_choice(answer, right: str, wrong: dict[str, str], what: str = "choice") -> str:
    """A multiple-choice answer: the right letter, or NotYet with the hint for the wrong one."""
    letter = as_choice(answer, "".join(sorted([right, *wrong])), what)
    if letter in wrong:
        raise NotYet(wrong[letter])
    return letter
