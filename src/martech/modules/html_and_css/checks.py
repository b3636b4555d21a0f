"""The exercise checks of module "html-and-css": each returns a sentence, or raises NotYet with a hint."""

from __future__ import annotations

import re

from martech.browser import BrowserUnavailable
from martech.checks import NotYet, as_text, task
from martech.modules.html_and_css.browser_tools import _in_browser
from martech.modules.html_and_css.rules import (DESCRIPTION_LENGTH, MEASURE_JS, MINIMUM_CONTRAST, TITLE_LENGTH,
                                                VAGUE_TITLES, Finding, _hex, _luminance, contrast_ratio, judge,
                                                measure)


@task
def search_snippet(title, description):
    title = " ".join(as_text(title, "title").split())
    description = " ".join(as_text(description, "description").split())
    if not title:
        raise NotYet("the title is empty: write the text for the <title>, in quotes.")
    if title.lower() in VAGUE_TITLES:
        raise NotYet(f"\"{title}\" is too vague: Google's guidance asks for a descriptive title, not \"Home\". "
                     "Say what the page offers.")
    if title.startswith("<") or description.startswith("<"):
        raise NotYet("write just the text, without the tags: the CMS puts it inside <title> and the meta tag.")
    low, high = TITLE_LENGTH
    if len(title) < low:
        raise NotYet(f"the title has {len(title)} characters: too short to say what the page offers. Aim for {low} to {high}.")
    if len(title) > high:
        raise NotYet(f"the title has {len(title)} characters. Search results cut titles to fit the screen, so keep "
                     f"it to about {high}: the offer first, the shop's name last.")
    words = re.findall(r"[a-z]{4,}", title.lower())
    repeated = sorted({w for w in words if words.count(w) >= 3})
    if repeated:
        raise NotYet(f"the title repeats \"{repeated[0]}\": that reads as keyword stuffing, which Google's guidance "
                     "warns against. Say it once.")
    if not re.search(r"sale|%|off|spring", title, re.I):
        raise NotYet("the title should say what the page offers: the spring sale, 20% off running shoes.")
    low, high = DESCRIPTION_LENGTH
    if len(description) < low:
        raise NotYet(f"the description has {len(description)} characters: a sentence or two ({low} to {high} "
                     "characters) that sums up the page and gives a reason to click.")
    if len(description) > high:
        raise NotYet(f"the description has {len(description)} characters: search results cut long ones, so keep it "
                     f"to about {high}.")
    if description.lower() == title.lower():
        raise NotYet("the description repeats the title: use it for what the title has no room for (the end date, "
                     "free returns…).")
    return (f"title {len(title)} characters, description {len(description)} characters: both fit. Search engines "
            "may still rewrite them (Google builds snippets mostly from the page's own text), but these are good "
            "suggestions.")


COLOUR_TEXT = re.compile(r"[#a-zA-Z0-9(),.%\s/+-]{1,60}")


@task
def text_colour(colour):
    colour = as_text(colour, "colour")
    if not colour or not COLOUR_TEXT.fullmatch(colour):
        raise NotYet("write a CSS colour in quotes, such as \"#b3261e\", \"darkred\" or \"rgb(179, 38, 30)\".")
    if re.search(r"\bvar\(|^(inherit|initial|unset|revert|revert-layer|currentcolor)$", colour, re.I):
        raise NotYet(f"{colour!r} borrows a colour from elsewhere on the page. Write the colour itself, such as \"#b3261e\".")

    def run(tab):
        if not tab.evaluate("c => CSS.supports('color', c)", colour):
            return None
        tab.eval_on_selector("#offer", "(el, c) => el.style.color = c", colour)
        return tab.evaluate(MEASURE_JS)["text"][0]["color"]

    sample = '<!doctype html><p id="offer" style="background:#ffffff">20% off until 31 March</p>'
    try:
        measured = _in_browser(sample, "phone", run, javascript=False)
    except BrowserUnavailable as error:
        raise NotYet(str(error)) from None
    if measured is None:
        raise NotYet(f"Chromium does not know the colour {colour!r}. Try a hex code such as \"#b3261e\".")
    r, g, b, a = measured
    shown = tuple(c * a + 255 * (1 - a) for c in (r, g, b))
    ratio = contrast_ratio(shown, (255, 255, 255))
    if ratio < MINIMUM_CONTRAST:
        hint = "a darker shade" if _luminance(shown) > 0.18 else "a darker, more solid colour"
        see_through = (" It is fully transparent: invisible." if a == 0 else
                       " It is partly transparent, which makes it lighter still." if a < 1 else "")
        raise NotYet(f"{colour} shows as {_hex(shown)}: {ratio:.2f}:1 on white, below {MINIMUM_CONTRAST}:1.{see_through} "
                     f"Try {hint}, e.g. darken it until the ratio passes.")
    return f"{colour} on white is {ratio:.2f}:1, above the {MINIMUM_CONTRAST}:1 that WCAG asks for normal text."


@task
def landing_page(page):
    document = as_text(page, "page")
    if len(document) > 200_000:
        raise NotYet("the page is over 200,000 characters: start again from the page in the exercise.")
    if not re.search(r"<\s*(html|head|body|h1|div|p|img)\b", document, re.I):
        raise NotYet("that does not look like a web page: it has no HTML tags. Start from the page in the cell above.")
    try:
        measured = measure(document)
    except BrowserUnavailable as error:
        raise NotYet(str(error)) from None
    except Exception as error:  # Playwright's errors: a page that navigates away, or never finishes loading
        if "navigat" in str(error) or "context was destroyed" in str(error):
            raise NotYet("the page sent the browser to another address while the check measured it (a "
                         "<meta http-equiv=\"refresh\"> tag?). Remove that, then run the cell again.") from None
        raise NotYet(f"Chromium could not measure the page ({str(error).splitlines()[0][:160]}). "
                     "Start again from the page in the exercise if this goes on.") from None
    findings = judge(measured, document)
    kept = []
    if "spring sale" not in measured["h1"].lower():
        kept.append("its main heading <h1>Spring sale: 20% off running shoes</h1>")
    if measured["imageCount"] < 2:
        kept.append("its two pictures (the hero image and the shoe)")
    if "/shop/running" not in measured["linkTargets"]:
        kept.append("its button to /shop/running")
    if kept:
        findings.insert(0, Finding("still the campaign page", False, [
            f"the page lost {', '.join(kept)}. Fix what is wrong; keep what the campaign needs."]))
    failing = [f for f in findings if not f.passed]
    if failing:
        lines = [f"{len(failing)} of {len(findings)} checks still fail (measured in Chromium at 375 px). "
                 "Edit the page above, then run the cell again."]
        for finding in findings:
            lines.append(f"{'✓' if finding.passed else '✗'} {finding.rule}")
            lines += [f"    - {p}" for p in finding.problems]
            lines += [f"    (note: {n})" for n in finding.notes]
        raise NotYet("\n".join(lines))
    notes = [n for f in findings for n in f.notes]
    return ("all six checks pass in Chromium at 375 px: the page fits a phone, every image has alt text, the "
            "headings keep their order, every link says where it leads, the title and description fit search "
            "results, and all text reaches 4.5:1. This is a page IT can publish."
            + "".join(f" (Note: {n})" for n in notes))
