"""The exercise checks of module "ad-management": each returns a sentence, or raises NotYet with a hint."""

from __future__ import annotations

from martech.checks import NotYet, as_text, expect_choice, task

# The exercise's campaign: three reports of the same week (see the exercise notebook).
AD_SERVER, VERIFICATION_MEASURED, VERIFICATION_VIEWABLE, PUBLISHER_RENDERED = 200_000, 176_000, 110_000, 184_000
SPEND = 1_600.0


def _number(answer, what: str) -> float:
    if isinstance(answer, bool) or not isinstance(answer, (int, float)) or answer != answer:
        if isinstance(answer, str):
            try:
                return float(answer.replace(",", "").replace("$", "").strip())
            except ValueError:
                pass
        raise NotYet(f"{what} should be a number of dollars, such as 9.5; you gave {answer!r:.40}.")
    return float(answer)


@task
def biggest_gap(answer):
    """Which system counts at the earliest moment, and so the most?"""
    expect_choice(answer, "a", {
        "b": "The verification tag counts only once its script runs next to a rendered ad: later, so fewer.",
        "c": "The publisher's page counts when the creative has loaded: after the ad server answered.",
    })
    return ("Yes: the ad server counts first, when it sends the ad (real ones when the browser starts to load "
            "it), before the creative has finished loading and before anyone can see it. Every later system can "
            "only count fewer.")


@task
def gap_reasons(ad_server_to_page, page_to_viewable):
    """Two letters: the likeliest cause of each gap."""
    first = expect_choice(ad_server_to_page, "c", {
        "a": "Scrolling past happens after the ad rendered: it explains rendered-but-not-viewable, not this gap.",
        "b": "A different date range would shift every number, not only the ad server's.",
        "d": "Bots that render the ad are counted by the page too; this gap is ads that never rendered.",
    }, "the first gap")
    expect_choice(page_to_viewable, "a", {
        "b": "A different date range would shift every number alike.",
        "c": "An ad that never rendered is missing from the page's count too, so it is not in this gap.",
        "d": "Known robots are filtered before viewability is reported; most of this gap is people.",
    }, "the second gap")
    return ("Right: ads requested but never rendered (visitors who left, blocked or slow creatives) make the "
            "first gap; ads rendered but never 50% in view for one second (scrolled past, below the fold) the second.")


@task
def viewable_cpm(answer):
    """Cost per 1,000 viewable impressions: spend / viewable × 1,000."""
    value = _number(answer, "the vCPM")
    right = SPEND / VERIFICATION_VIEWABLE * 1000
    if abs(value - SPEND / AD_SERVER * 1000) < 0.02:
        raise NotYet("That is the CPM on the ad server's 200,000 impressions. Divide by the viewable ones instead.")
    if abs(value - SPEND / VERIFICATION_VIEWABLE) < 0.001:
        raise NotYet("Close: that is the cost of one viewable impression. Multiply by 1,000 for the CPM.")
    if abs(value - SPEND / VERIFICATION_MEASURED * 1000) < 0.02:
        raise NotYet("That divides by the measured impressions; only the viewable ones count here.")
    if abs(value - SPEND / PUBLISHER_RENDERED * 1000) < 0.02:
        raise NotYet("That divides by the ads that loaded (184,000); only the viewable ones count here.")
    if abs(value - VERIFICATION_VIEWABLE / SPEND) < 0.02:
        raise NotYet("That is upside down: viewable impressions per dollar. Divide the spend by the viewable "
                     "impressions, then multiply by 1,000.")
    if 0.02 < abs(value - right) <= 0.1:
        raise NotYet(f"Nearly: the exact value is {right:.4f}. Round it to cents, or give the calculation itself.")
    if abs(value - right) > 0.02:
        raise NotYet("Divide the spend ($1,600) by the viewable impressions (110,000), then multiply by 1,000.")
    return f"Yes: ${right:.2f} per 1,000 viewable impressions, against $8.00 per 1,000 served ones."


@task
def spoofed_request(answer):
    """Which bid request id comes from a seller that news.example's ads.txt does not list?"""
    if isinstance(answer, int) and not isinstance(answer, bool):
        answer = str(answer)
    text = as_text(answer, "the request id").lower().replace("req", "").strip(" -")
    if text == "5":
        raise NotYet("req-5 is resold, and that is allowed: its seller, exchange.example, 7788, is the RESELLER line "
                     "of news.example's ads.txt (sellers.json: Resell Media, an intermediary).")
    if text in ("1", "2", "4"):
        raise NotYet("That one is sold by exchange.example, pub-1001: the DIRECT line of news.example's ads.txt.")
    if text in ("pub-6666", "6666"):
        raise NotYet("pub-6666 is the seller account that ads.txt does not list. Give the id of the request it sent, "
                     "from req-1 to req-5.")
    if text != "3":
        raise NotYet('Give one id from the bid log, such as "req-1", whose seller is missing from ads.txt.')
    return ("Yes: req-3 says site news.example, but its seller is exchange.example, pub-6666, which ads.txt does not "
            "list. sellers.json says pub-6666 is Cheap Clicks Ltd: domain spoofing.")
