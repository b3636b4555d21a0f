"""The exercise checks of module "speed-and-bandwidth": each returns a sentence, or raises NotYet with a hint."""

from __future__ import annotations

from martech.checks import NotYet, as_whole_number, expect_choice, task
from martech.client import Response
from martech.modules.speed_and_bandwidth import budget, versions
from martech.problems import Problem, shown

__all__ = ["TODAYS_PAGE", "compressed_styles", "heatmap_tag", "meet_the_budget", "phone_picture"]

TODAYS_PAGE = dict(versions.TODAY)   # the exercise starts from this: the slow page the agency delivered


@task
def phone_picture(width):
    width = as_whole_number(width, "the width")
    hints = {
        400: "the phone is 375 CSS pixels wide, but it has 2 device pixels for each: 750 device pixels. A 400-pixel "
             "file would be stretched and look blurry, so the browser takes the next one up.",
        375: "the srcset offers 400, 800 and 1600 pixels: the browser picks one of those.",
        750: "750 is the number of device pixels the picture needs, but the srcset has no 750w file: the browser takes "
             "the smallest one that is at least that wide.",
        1600: "1600 pixels is for a laptop's wide screen. The phone needs 750 device pixels, and 800 is the smallest "
              "file that has them.",
    }
    if width in hints:
        raise NotYet(hints[width])
    if width != 800:
        raise NotYet(f"{width} is not one of the files in the srcset (400w, 800w, 1600w). Multiply the width the "
                     "picture is shown at (sizes: 100vw, so 375 px) by the device pixels per CSS pixel (2).")
    return ("375 CSS pixels at 2 device pixels each need 750 pixels of picture, and 800w is the smallest file with "
            "that many. A laptop would take the 1600w file, from the same HTML.")


def _response(value, name: str) -> Response:
    if not isinstance(value, Response):
        raise NotYet(f"{name} should be what fetch(...) returned, such as fetch(site.url + \"/campaign.css\", "
                     "headers={\"Accept-Encoding\": \"br\"}); you gave " + shown(value) + ".")
    if value.status != 200:
        raise NotYet(f"{name} is an answer with status {value.status}: fetch the file /campaign.css from the running "
                     "campaign-page server.")
    if "/campaign.css" not in value.url:
        raise NotYet(f"{name} is for {value.url.split('/', 3)[-1]!r}: fetch /campaign.css, the same file all three times.")
    return value


@task
def compressed_styles(plain, gzipped, brotli):
    plain, gzipped, brotli = (_response(plain, "plain"), _response(gzipped, "gzipped"), _response(brotli, "brotli"))
    got = {name: (r.header("Content-Encoding") or "identity") for name, r in
           (("plain", plain), ("gzipped", gzipped), ("brotli", brotli))}
    wanted = {"plain": "identity", "gzipped": "gzip", "brotli": "br"}
    for name, coding in wanted.items():
        if got[name] != coding:
            asked = {"plain": "identity", "gzipped": "gzip", "brotli": "br"}[name]
            raise NotYet(f"{name} came back with Content-Encoding: {got[name]}. The server chooses from what the request "
                         f"offers in Accept-Encoding: send headers={{\"Accept-Encoding\": \"{asked}\"}} for it.")
    if not all(r.header("Vary") == "Accept-Encoding" for r in (plain, gzipped, brotli)):
        raise NotYet("one of the answers lacks Vary: Accept-Encoding. Fetch all three from the campaign-page demo.")
    sizes = [len(r.body) for r in (plain, gzipped, brotli)]
    return (f"the same styles travelled as {sizes[0]:,} bytes plain, {sizes[1]:,} with gzip and {sizes[2]:,} with "
            f"Brotli ({100 - sizes[2] * 100 // sizes[0]}% less). Vary: Accept-Encoding tells caches to keep one copy "
            "per coding.")


@task
def heatmap_tag(choice):
    expect_choice(choice, "b", {
        "a": "defer stops the tag from holding up the first paint, but its click handler still runs on every tap: "
             "INP stayed over 200 ms in every version that had the tag.",
        "c": "A blocking tag shows nothing at all until the vendor has answered: a second of blank screen on the "
             "phone, for data that a deferred tag collects just as well.",
        "d": "async and defer change when the tag's file is fetched and run, not what it does on each click.",
    })
    return ("defer (or async) removes the wait before the first paint, but the tag's 250 ms on every tap stays. "
            "Whether the heatmaps are worth slower taps is a business decision: make it with these numbers.")


@task
def meet_the_budget(choices):
    try:
        values = versions.read_choices(choices, require_all=True)
        if values == versions.TODAY:
            raise NotYet("choices is still today's page, which misses all four lines of the budget (the demo notebook "
                         "measured it). Change one value or several, then run the cell again.")
        budget.refuse_widths(values)
        report = budget.check_budget(values)   # builds that version and loads it in Chromium on the slow phone
    except NotYet:
        raise
    except Problem as problem:   # a value that does not exist, or no Chromium: said as it is
        raise NotYet(str(problem)) from None
    print(report)
    if not report.passed:
        count = len(report.problems)
        raise NotYet((f"{count} problems left, each listed above. The first: " if count > 1 else "")
                     + report.problems[0])
    saved = report.load.total_bytes
    tag = ("The heatmap tag still costs every tap 250 ms; that is a decision about the tag, not the page."
           if values["tag"] != "none" else
           "Without the heatmap tag, taps are quick too, but marketing loses its heatmaps: a business decision, "
           "as the demo notebook's tag table shows.")
    return (f"the page meets the budget on the throttled phone: LCP {report.load.lcp:.1f} s, CLS {report.load.cls:.2f}, "
            f"headline readable at {report.load.headline:.1f} s, {budget.lab.kb(saved)} before scrolling. " + tag)

