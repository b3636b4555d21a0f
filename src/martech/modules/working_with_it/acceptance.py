"""Acceptance criteria that run: Given/When/Then scenarios, checked against a real demo server.

    criteria = '''
    Scenario: The spring sale page is live
      Given the landing page
      When a visitor opens /spring-sale
      Then the status is 200
      And the title contains "running shoes"
    '''
    run_criteria(criteria, landing)      # landing = demo_server("landing"), or its address

The same idea as Gherkin with pytest-bdd or Cucumber, kept small: each step is matched against a
short list of sentences (STEPS), and each sentence is one real check of the page the server sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from martech.client import fetch
from martech.problems import Problem

KEYWORDS = ("given", "when", "then", "and", "but")
LONGEST_CRITERIA = 20_000


@dataclass
class Scenario:
    name: str
    steps: list[tuple[str, str]] = field(default_factory=list)  # (given/when/then, the rest of the line)


@dataclass
class Outcome:
    scenario: str
    status: str  # "passed", "failed" or "undefined"
    step: str = ""
    message: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class CriteriaReport:
    outcomes: list[Outcome]

    @property
    def passed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "passed"]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def undefined(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "undefined"]

    def __repr__(self) -> str:
        marks = {"passed": "✔ PASSED   ", "failed": "✘ FAILED   ", "undefined": "? UNDEFINED"}
        lines = []
        for outcome in self.outcomes:
            lines.append(f"{marks[outcome.status]} {outcome.scenario}")
            if not outcome.passed:
                lines += [f"      at: {outcome.step}", f"      {outcome.message}"]
        lines.append(f"{len(self.passed)} passed, {len(self.failed)} failed, {len(self.undefined)} undefined")
        return "\n".join(lines)


def parse_criteria(text) -> list[Scenario]:
    """The scenarios in ``text``: 'Scenario:' lines, each followed by Given/When/Then/And/But steps."""
    if not isinstance(text, str):
        raise Problem(f"Acceptance criteria are text, in quotes; this is a {type(text).__name__}.")
    if len(text) > LONGEST_CRITERIA:
        raise Problem(f"These criteria are {len(text):,} characters long; keep them under {LONGEST_CRITERIA:,}.")
    scenarios: list[Scenario] = []
    last = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line.lower().startswith("feature:"):
            continue
        if line.lower().startswith("scenario:"):
            scenarios.append(Scenario(line.split(":", 1)[1].strip() or f"Scenario {len(scenarios) + 1}"))
            last = None
            continue
        word, _, rest = line.partition(" ")
        word = word.lower()
        if word not in KEYWORDS:
            raise Problem(f"Line {number} starts with {word!r}: every step starts with Given, When, Then, And or But, "
                          f"and every scenario with 'Scenario: a name'. The line says: {line[:80]!r}")
        if re.search(r",\s*(when|then)\b", rest, re.I):
            raise Problem(f"Line {number} puts several steps on one line. Give Given, When and Then a line each, "
                          f"under 'Scenario: a name'. The line says: {line[:80]!r}")
        if word in ("and", "but"):
            if last is None:
                raise Problem(f"Line {number} starts with {word.title()}, but no Given, When or Then comes before it.")
            word = last
        if not scenarios:
            scenarios.append(Scenario("Scenario 1"))
        scenarios[-1].steps.append((word, rest.strip()))
        last = word
    if not scenarios or not any(s.steps for s in scenarios):
        raise Problem("No steps found. Write at least one scenario: 'Scenario: a name', then lines starting with "
                      "Given, When and Then.")
    unchecked = next((s for s in scenarios if not any(kind == "then" for kind, _ in s.steps)), None)
    if unchecked:
        raise Problem(f"The scenario {unchecked.name!r} has no Then step, so it checks nothing. Add a line such as: "
                      "Then the status is 200.")
    return scenarios


class _Page(HTMLParser):
    """What a criterion can look at: title, main heading, links, share preview, pictures, visible text."""

    def __init__(self):
        super().__init__()
        self.title = self.h1 = ""
        self.links: list[list[str]] = []  # [text, href]
        self.meta: dict[str, str] = {}
        self.alts: list[str] = []
        self.text: list[str] = []
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag in ("title", "h1", "a", "script", "style"):
            self._in.append(tag)
        if tag == "a":
            self.links.append(["", attrs.get("href", "")])
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[(attrs.get("property") or attrs.get("name")).lower()] = attrs.get("content", "")
        if tag == "img":
            self.alts.append(attrs.get("alt", ""))

    def handle_endtag(self, tag):
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data):
        if "script" in self._in or "style" in self._in:
            return
        if "title" in self._in:
            self.title += data
            return
        if "h1" in self._in:
            self.h1 += data
        if "a" in self._in and self.links:
            self.links[-1][0] += data
        self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())

    @property
    def preview(self) -> str:
        return " | ".join(self.meta.get(k, "") for k in ("og:title", "og:description", "og:image", "og:image:alt"))


def _said(text: str) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= 90 else text[:89] + "…")


class _Run:
    def __init__(self, base: str):
        self.base, self.response, self.page = base, None, None

    def need_page(self):
        if self.response is None:
            raise AssertionError("there is no page to look at yet: a When step must open one first")
        return self.page

    def open(self, path, method="GET", body=""):
        path = path.strip().strip('"').strip("'")
        if not path.startswith("/") or path.startswith("//") or len(path) > 2000:
            raise AssertionError(f"{path[:60]!r} is not a page of this server: start it with a slash, such as /spring-sale")
        self.response = fetch(self.base + path, method=method, body=body,
                              headers={"Content-Type": "application/x-www-form-urlencoded"} if body else None)
        if self.response.status is None:
            raise AssertionError(f"the server did not answer: {self.response.reason}")
        self.page = _Page()
        if "html" in (self.response.header("Content-Type") or ""):
            self.page.feed(self.response.text)

    def contains(self, what: str, where: str, wanted: str, negate=False):
        found = wanted.lower() in where.lower()
        if found == negate:
            expect = "not to contain" if negate else "to contain"
            raise AssertionError(f"expected {what} {expect} {wanted!r}, but it is {_said(where)}")


def _q(name):  # a quoted value in a step
    return rf"[\"“'](?P<{name}>[^\"”']+)[\"”']"


# Each step a learner may write: (keyword, pattern, what it does). The patterns are case-insensitive.
STEPS = [
    ("given", r"(the|a) .+", lambda run, m: None),
    ("when", r"(a|the) (visitor|customer|browser|subscriber|tag) (opens|visits|requests|sends) (?P<path>\S+)",
     lambda run, m: run.open(m["path"])),
    ("when", rf"(a|the) (visitor|customer|browser|tag) posts {_q('body')} to (?P<path>\S+)",
     lambda run, m: run.open(m["path"], "POST", m["body"])),
    ("then", r"the status is (?P<code>\d{3})",
     lambda run, m: _status(run, int(m["code"]))),
    ("then", rf"the title (contains|says|mentions) {_q('text')}",
     lambda run, m: run.contains("the title", run.need_page().title, m["text"])),
    ("then", rf"the title does not (contain|say|mention) {_q('text')}",
     lambda run, m: run.contains("the title", run.need_page().title, m["text"], negate=True)),
    ("then", rf"the (main )?heading (contains|says|mentions) {_q('text')}",
     lambda run, m: run.contains("the main heading (h1)", run.need_page().h1, m["text"])),
    ("then", rf"the page (contains|says|shows|mentions) {_q('text')}",
     lambda run, m: run.contains("the page", run.need_page().visible, m["text"])),
    ("then", rf"the page does not (contain|say|show|mention) {_q('text')}",
     lambda run, m: run.contains("the page", run.need_page().visible, m["text"], negate=True)),
    ("then", rf"the (share|link) preview (contains|shows|says|mentions) {_q('text')}",
     lambda run, m: run.contains("the share preview (og:title, og:description, og:image, og:image:alt)",
                                 run.need_page().preview, m["text"])),
    ("then", rf"the (first )?(picture|image)('s| has a)? (description|alt text) (contains|says|mentions) {_q('text')}",
     lambda run, m: run.contains("the first picture's alt text", (run.need_page().alts or [""])[0], m["text"])),
    ("then", rf"the (button|link) {_q('label')} (goes|links|leads|points) to {_q('href')}",
     lambda run, m: _link(run, m["label"], m["href"])),
    ("then", rf"the header {_q('name')} (contains|is|says) {_q('text')}",
     lambda run, m: run.need_page() and run.contains(f"the {m['name']} header", run.response.header(m["name"]) or "(no such header)", m["text"])),
]
_COMPILED = [(kind, re.compile(pattern + r"\s*\.?$", re.I), act) for kind, pattern, act in STEPS]

KNOWN_STEPS = """Given the landing page   (any 'Given the ...' or 'Given a ...' sets the scene)
When a visitor opens /spring-sale
When the tag posts "event=add_to_cart&page=/x&client_id=1" to /collect
Then the status is 200
Then the title contains "running shoes"        (also: does not contain)
Then the heading says "trail shoes"
Then the page shows "Free returns"             (also: does not show)
Then the share preview shows "trail"
Then the picture's alt text says "teal"
Then the button "Shop trail shoes" goes to "/shop/trail"
Then the header "Content-Type" contains "text/html\""""


def _status(run, code):
    run.need_page()
    if run.response.status != code:
        raise AssertionError(f"expected status {code}, but the server answered {run.response.status} {run.response.reason}")


def _link(run, label, href):
    links = [(" ".join(text.split()), target) for text, target in run.need_page().links]
    matching = [target for text, target in links if label.lower() in text.lower()]
    if not matching:
        raise AssertionError(f"the page has no link or button with the words {label!r}")
    if not any(target == href for target in matching):
        raise AssertionError(f"expected {label!r} to go to {href!r}, but it goes to {matching[0]!r}")


def run_criteria(text, server) -> CriteriaReport:
    """Run each scenario of ``text`` against ``server`` (a running demo, or an address such as http://127.0.0.1:8000)."""
    base = getattr(server, "url", server)
    if not isinstance(base, str) or not re.fullmatch(r"https?://(127\.0\.0\.1|localhost)(:\d+)?", base.rstrip("/")):
        raise Problem("Give the demo server to test, such as run_criteria(criteria, landing) after "
                      "landing = demo_server(\"landing\"). The criteria only ever run against this computer.")
    outcomes = []
    for scenario in parse_criteria(text):
        run = _Run(base.rstrip("/"))
        outcome = Outcome(scenario.name, "passed")
        for kind, words in scenario.steps:
            step = f"{kind.title()} {words}"
            action = None
            for step_kind, pattern, act in _COMPILED:
                match = pattern.match(words) if step_kind == kind else None
                if match:
                    action = (match, act)
                    break
            if action is None:
                outcome = Outcome(scenario.name, "undefined", step,
                                  f"no step matches these words. Steps you can write:\n        "
                                  + KNOWN_STEPS.replace("\n", "\n        "))
                break
            match, act = action
            try:
                act(run, match)
            except AssertionError as failure:
                outcome = Outcome(scenario.name, "failed", step, str(failure))
                break
        outcomes.append(outcome)
    return CriteriaReport(outcomes)
