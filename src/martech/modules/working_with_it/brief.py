"""The brief checker: a one-page brief, written as front-matter Markdown (or plain YAML), checked by a schema.

    report = check_brief(text)          # or check_brief_file("my-brief.md")
    report                              # ✔ or ✘ with one plain sentence per missing piece

The schema is served/brief.schema.json (JSON Schema, additionalProperties: false, so a misspelt field
is found); the checks after it are the ones a schema cannot express (a number in the measure of
success, consent when personal data is used, a real date, two different owners).
From the command line: ``python -m martech.modules.working_with_it.brief my-brief.md``.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from martech.problems import Problem
from martech.served import Served

files = Served(__file__)
SCHEMA = json.loads(files.text("brief.schema.json"))
FIELDS = SCHEMA["properties"]
# Words that say "I have not decided yet": IT cannot estimate them.
VAGUE = re.compile(r"\b(asap|tbd|tbc|to be (?:decided|defined|confirmed)|as soon as possible|whatever|"
                   r"etc\.?|somehow|\?\?+)\b", re.I)
MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
# Dates say when a number is counted, not which number: "by 1 December" is no target.
DATES = re.compile(rf"\b\d{{4}}-\d\d-\d\d\b|\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+(?:and|to|-)\s+\d{{1,2}}(?:st|nd|rd|th)?)?"
                   rf"\s+{MONTHS}\b(?:,?\s+\d{{4}}\b)?|\b{MONTHS}(?:\s+\d{{1,2}}\b)?(?:,?\s+\d{{4}}\b)?|\bq[1-4]\b", re.I)
GIVEN_WHEN_THEN = re.compile(r"^\s*given\b.+\bwhen\b.+\bthen\b", re.I | re.S)
# Data about a person who can be identified is personal data (GDPR Article 4(1)): the obvious kinds.
PERSONAL = re.compile(r"\b(e-?mail|(customer|first|last|full) names?|(postal|home) address(es)?|phone numbers?|ip address(es)?|"
                      r"customer accounts?|order history|purchase history|dates? of birth|points balances?)\b", re.I)


@dataclass
class BriefReport:
    """What the checker found: ``passed``, and one plain sentence per problem."""

    problems: list[str] = field(default_factory=list)
    brief: dict = field(default_factory=dict)
    source: str = "the brief"

    @property
    def passed(self) -> bool:
        return not self.problems

    def __bool__(self) -> bool:
        return self.passed

    def __repr__(self) -> str:
        if self.passed:
            return (f"✔ {self.source} has everything IT needs to estimate it: goal and measure, audience, scope in "
                    "and out, systems and data, privacy, deadline and reason, owners, budget, acceptance criteria.")
        lines = [f"✘ {self.source}: {len(self.problems)} thing(s) to fix before IT can estimate it:"]
        return "\n".join(lines + [f"  {n}. {p}" for n, p in enumerate(self.problems, 1)])


def read_brief(text: str) -> tuple[dict, str]:
    """(fields, free text) of a brief: front matter between --- lines, or a whole YAML file."""
    if not isinstance(text, str):
        raise Problem(f"A brief is text (the contents of a .md or .yaml file); this is a {type(text).__name__}.")
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    match = re.match(r"\s*---\n(.*?)\n---\s*(?:\n|$)", text, re.S)
    head, body = (match.group(1), text[match.end():]) if match else (text, "")
    try:
        fields = yaml.safe_load(head) if head.strip() else {}
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" near line {where.line + 1 + (1 if match else 0)}" if where else ""
        raise Problem(f"The brief's fields could not be read{line}: check that each line is `name: value` and "
                      "that list items start with '- ' under their name.") from None
    if fields is None:
        fields = {}
    if not isinstance(fields, dict):
        raise Problem("The brief should be a list of fields, one `name: value` a line, between two --- lines.")
    return fields, body


def check_brief(text, source: str = "the brief") -> BriefReport:
    """Check a brief written as text; answers with a BriefReport, never a traceback."""
    try:
        fields, _ = read_brief(text)
    except Problem as problem:
        return BriefReport([str(problem)], {}, source)
    return BriefReport(schema_problems(fields) + sense_problems(fields), fields, source)


def check_brief_file(path) -> BriefReport:
    try:
        file = Path(path)
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise Problem(f"Could not read the brief {str(path)!r}: it is not a plain text file. Save it as plain text "
                      "(UTF-8), for example from a text editor, not a word processor.") from None
    except (OSError, TypeError, ValueError) as error:
        raise Problem(f"Could not read the brief {str(path)!r}: {getattr(error, 'strerror', None) or error}.") from None
    return check_brief(text, source=file.name)


def _plain_value(value):
    """Dates as YAML reads them become text, so the schema sees what the marketer typed."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10]
    if isinstance(value, dict):
        return {str(k): _plain_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    return value


def schema_problems(fields: dict) -> list[str]:
    import jsonschema

    fields = _plain_value(fields)
    found = []
    validator = jsonschema.Draft202012Validator(SCHEMA)
    order = list(FIELDS)
    place = lambda e: order.index(str(e.path[0])) if e.path and str(e.path[0]) in order else -1
    for error in sorted(validator.iter_errors(fields), key=lambda e: (place(e), list(map(str, e.path)))):
        found.append(_say(error))
    return list(dict.fromkeys(found))


def _say(error) -> str:
    """One jsonschema error as a sentence a marketer can act on."""
    path = [str(p) for p in error.path]
    name = path[0] if path else None
    what = FIELDS.get(name, {}).get("description", "") if name else ""
    if error.validator == "required":
        missing = re.search(r"'([^']+)' is a required property", error.message).group(1)
        if name == "privacy":
            return "privacy: say whether the work uses personal data, with `personal_data: yes` or `personal_data: no`."
        if name == "owners":
            return f"owners: name the {'IT' if missing == 'it' else 'marketing'} owner too (`{missing}: a name`)."
        return f"{missing}: missing. Add {FIELDS[missing]['description']}."
    if error.validator == "additionalProperties":
        unknown = re.findall(r"'([^']+)'", error.message)
        known = list((FIELDS if not name else FIELDS[name].get("properties", {})).keys())
        hints = []
        for word in unknown:
            close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
            hints.append(f"'{word}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        where = f"{name}: " if name else ""
        return (f"{where}the checker does not know {', '.join(hints)}. "
                f"The fields it knows: {', '.join(known)}.")
    field_name = " ".join(f"item {int(p) + 1}" if p.isdigit() else p for p in path)
    if error.instance is None:
        return f"{field_name}: empty. Write {what or 'a value'}."
    if error.validator == "type":
        if error.validator_value == "array":
            return f"{field_name}: write it as a list, one item a line starting with '- '. It needs {what}."
        if error.validator == "type" and error.validator_value == "boolean":
            return f"{field_name}: answer yes or no."
        if error.validator_value == "object":
            return f"{field_name}: write it as named lines under it, indented. It needs {what}."
        return f"{field_name}: write it as text. It needs {what or 'a value'}."
    if error.validator == "minItems":
        if error.validator_value > 1:
            return f"{field_name}: needs at least {error.validator_value} items; it has {len(error.instance)}."
        return f"{field_name}: the list is empty. It needs {what}."
    if error.validator == "minLength":
        return f"{field_name}: too short to mean much. It needs {what or 'a few words'}."
    if error.validator == "maxLength":
        return f"{field_name}: too long for a title ({len(error.instance)} characters, at most {error.validator_value})."
    return f"{field_name or 'the brief'}: {error.message[:160]}"


def sense_problems(fields: dict) -> list[str]:
    """What a schema cannot say: is it measurable, dated, consented, owned by two people?"""
    found = []
    for name, value in fields.items():
        texts = value if isinstance(value, list) else [value]
        for text in texts:
            if isinstance(text, str) and VAGUE.search(text) and name not in ("acceptance_criteria", "deadline", "budget"):
                found.append(f"{name}: '{VAGUE.search(text).group(0)}' is not a decision IT can estimate. "
                             "Write what you mean, or ask IT what they need to decide it.")
                break
    measure = fields.get("success_measure")
    if isinstance(measure, str) and not re.search(r"\d", DATES.sub(" ", measure)):
        found.append("success_measure: give a number to reach (such as 15% or 2,000 sign-ups), so that everyone "
                     "knows afterwards whether it worked.")
    deadline = fields.get("deadline")
    if deadline is not None and not isinstance(deadline, (datetime.date, datetime.datetime)):
        text = str(deadline)
        try:
            datetime.date.fromisoformat(text.strip())
        except ValueError:
            found.append(f"deadline: '{text[:40]}' is not a date. Write it as year-month-day, such as 2026-11-20.")
    privacy = fields.get("privacy")
    if isinstance(privacy, dict) and privacy.get("personal_data") is True:
        for key, why in (("legal_basis", "the legal basis (such as consent, or a contract with the customer)"),
                         ("consent", "how and where people agree (such as the newsletter sign-up's tick box)"),
                         ("retention", "how long the data is kept (such as: points expire after 12 months)")):
            if not privacy.get(key):
                found.append(f"privacy: the work uses personal data, so add {key}: {why}. Ask your privacy or "
                             "legal team.")
    if isinstance(privacy, dict) and privacy.get("personal_data") is False:
        listed = [str(v) for v in (fields.get("data") or []) if isinstance(v, str)]
        personal = next((PERSONAL.search(v) for v in listed if PERSONAL.search(v) and "no name" not in v.lower()), None)
        if personal:
            found.append(f"privacy: personal_data says no, but data lists '{personal.group(0)}'. Anything about a person "
                         "who can be identified is personal data (GDPR Article 4(1)): say yes, and add legal_basis, "
                         "consent and retention.")
    owners = fields.get("owners")
    if isinstance(owners, dict) and isinstance(owners.get("marketing"), str) and isinstance(owners.get("it"), str):
        if owners["marketing"].strip().lower() == owners["it"].strip().lower():
            found.append("owners: the marketing owner and the IT owner are the same person. Name one on each side, "
                         "so that each side has someone who can decide.")
    budget = fields.get("budget")
    if isinstance(budget, str) and not re.search(r"\d", budget):
        found.append(f"budget: give an amount or a range (such as 10000 to 15000 EUR). '{budget[:40]}' cannot be "
                     "compared with an estimate.")
    for number, criterion in enumerate(fields.get("acceptance_criteria") or [], 1):
        if isinstance(criterion, str) and re.search(r"\.\.\.|…", criterion):
            found.append(f"acceptance_criteria item {number}: still the template's '...'. Write the real situation, "
                         "action and result, such as: Given a customer with 100 points, When they open their account "
                         "page, Then it shows 100 points.")
        elif isinstance(criterion, str) and not GIVEN_WHEN_THEN.search(criterion):
            found.append(f"acceptance_criteria item {number}: write it as Given (the situation), When (what "
                         f"someone does), Then (what they see), such as: Given a customer with 100 points, When "
                         f"they open their account page, Then it shows 100 points. It says: '{criterion[:60]}'.")
    return found


def template() -> str:
    """An empty brief to fill in (``--template`` on the command line)."""
    return files.text("briefs/template.md")


def main(argv: list[str] | None = None) -> int:
    """``martech brief FILE ...``: check each brief; 0 when all pass, 1 when one needs work, 2 when unreadable."""
    import argparse

    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(
        prog="martech brief", description="Check that a one-page brief has everything IT needs to estimate it.",
        epilog="Start from the template: martech brief --template > my-brief.md")
    parser.add_argument("files", nargs="*", metavar="FILE", help="a brief written as Markdown with front matter, or YAML")
    parser.add_argument("--template", action="store_true", help="print an empty brief to fill in, and stop")
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or an option argparse does not know
        return int(stop.code or 0)
    if args.template:
        print(template(), end="")
        return 0
    if not args.files:
        print("Name the brief to check, such as: martech brief my-brief.md "
              "(or start one with: martech brief --template > my-brief.md)", file=sys.stderr)
        return 2
    status = 0
    for name in args.files:
        try:
            report = check_brief_file(name)
        except Problem as problem:
            print(f"✘ {problem}", file=sys.stderr)
            status = 2
            continue
        print(report)
        status = max(status, 0 if report.passed else 1)
    return status


if __name__ == "__main__":
    sys.exit(main())
