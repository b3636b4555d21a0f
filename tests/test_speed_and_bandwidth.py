"""Module speed-and-bandwidth: what the demos claim, checked against the real servers and a real Chromium.

The browser tests share one batch of loads (module fixture), so that Chromium loads each page once."""

import gzip
import io
import re
import time

import brotli
import pytest

from martech.client import fetch
from martech.modules import speed_and_bandwidth as lab
from martech.modules.speed_and_bandwidth import budget, compression, pictures, versions
from martech.problems import Problem
from martech.servers import demo_server


@pytest.fixture(scope="module")
def site():
    with demo_server("campaign-page") as running:
        yield running


@pytest.fixture(scope="module")
def quick():
    with demo_server("campaign-page", vendor_delay=0) as running:
        yield running


@pytest.fixture(scope="module")
def loads(quick):
    """srcset on a phone and a laptop, the phone scrolled to the end; width/height with pictures that arrive late.

    Today's page and the fast one are measured by the demo notebook, whose yes-or-no outputs nbval compares."""
    fast = lab.address(lab.FAST, quick)
    # Pictures 2 s late: the text must have been painted before they come, or nothing can move.
    # (At 1 s a busy machine sometimes painted the page only once they were there: CLS 0.)
    late = lambda dimensions: lab.address(dict(lab.FAST, dimensions=dimensions), quick, image_delay=2)
    pages = {"phone": fast, "laptop": (fast, {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1}),
             "no size": late(False), "size": late(True)}
    measured = lab.measure_many(pages, click=False, scroll=["phone"])
    yield {load.label: load for load in measured}
    lab.close_browser()


# ── Text compression ────────────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("path", ["/campaign?compression=br", "/campaign.css", "/app.js"])
def test_brotli_is_smaller_than_gzip_and_both_decode_to_the_same_text(site, path):
    answers = {offer: fetch(site.url + path, headers={"Accept-Encoding": offer}) for offer in ("identity", "gzip", "br")}
    plain, zipped, brotlied = answers["identity"], answers["gzip"], answers["br"]
    assert plain.header("Content-Encoding") is None
    assert zipped.header("Content-Encoding") == "gzip" and brotlied.header("Content-Encoding") == "br"
    assert all(a.header("Vary") == "Accept-Encoding" for a in answers.values())
    assert gzip.decompress(zipped.body) == plain.body == brotli.decompress(brotlied.body)
    assert len(brotlied.body) < len(zipped.body) < len(plain.body) / 2
    assert int(brotlied.header("Content-Length")) == len(brotlied.body)


def test_the_server_negotiates_as_rfc_9110_says(site):
    css = site.url + "/campaign.css"
    assert fetch(css, headers={"Accept-Encoding": "gzip, deflate, br, zstd"}).header("Content-Encoding") == "br"
    assert fetch(css, headers={"Accept-Encoding": "br;q=0.2, gzip;q=0.8"}).header("Content-Encoding") == "gzip"
    assert fetch(css, headers={"Accept-Encoding": "br;q=0, gzip;q=0"}).header("Content-Encoding") is None
    refused = fetch(css, headers={"Accept-Encoding": "identity;q=0, *;q=0"})
    assert refused.status == 406 and refused.header("Vary") == "Accept-Encoding"
    # A version that asks for no compression sends the text as it is, whatever the browser offers.
    plain = fetch(css + "?compression=none", headers={"Accept-Encoding": "br, gzip"})
    assert plain.header("Content-Encoding") is None and plain.header("Vary") == "Accept-Encoding"


@pytest.mark.parametrize("header, offered, expected", [
    (None, ("br", "gzip"), "identity"), ("", ("br", "gzip"), "identity"), ("*", ("br", "gzip"), "br"),
    ("gzip, *;q=0", ("br", "gzip"), "gzip"), ("identity;q=0", ("br", "gzip"), None),
    ("gzip;q=abc, br", ("br", "gzip"), "br"), ("GZIP", ("br", "gzip"), "gzip"), ("br", (), "identity"),
    ("identity;q=0.5, br;q=0.4", ("br",), "identity"), ("br;q=2", ("br",), "identity")])
def test_negotiate(header, offered, expected):
    assert compression.negotiate(header, offered) == expected


# ── Pictures ────────────────────────────────────────────────────────────────────────────────────

def test_each_format_and_width_is_a_real_picture_and_newer_formats_are_smaller():
    from PIL import Image

    for width in pictures.WIDTHS:
        sizes = {}
        for kind in pictures.FORMATS:
            data = pictures.encoded("hero", width, kind)
            picture = Image.open(io.BytesIO(data))
            assert picture.format == pictures.FORMATS[kind][0] and picture.size == (width, width * 9 // 16)
            sizes[kind] = len(data)
        assert sizes["avif"] < sizes["webp"] < sizes["jpeg"], sizes
    assert len(pictures.encoded("hero", 1600, "jpeg")) > 150_000, "the photo has no texture: it would not cost what a photo costs"


def test_the_server_sends_each_picture_with_its_type(site):
    answer = fetch(site.url + "/images/hero-800.avif")
    assert answer.status == 200 and answer.header("Content-Type") == "image/avif"
    assert answer.body == pictures.encoded("hero", 800, "avif")
    assert fetch(site.url + "/images/hero-801.avif").status == 404
    assert fetch(site.url + "/images/hero-800.avif?delay=99").status == 404


def test_side_by_side_is_a_png_that_says_the_bytes():
    sheet = lab.side_by_side([("jpeg", 400), ("avif", 400, 30)])
    assert sheet.png.startswith(b"\x89PNG") and "AVIF 400 px, q30" in repr(sheet)
    with pytest.raises(Problem, match="pair such as"):
        lab.side_by_side(["avif"])


# ── In Chromium ─────────────────────────────────────────────────────────────────────────────────

def test_the_phone_downloads_the_small_srcset_file_and_the_laptop_the_large(loads):
    assert loads["phone"].requested("/images/hero-") == ["hero-800.avif"]
    assert loads["laptop"].requested("/images/hero-") == ["hero-1600.avif"]


def test_the_lazy_gallery_waits_for_the_scroll(loads):
    phone = loads["phone"]
    assert not phone.requested("/images/lake-") and not phone.requested("/images/camp-")
    assert sorted(phone.after_scroll) == ["camp-800.avif", "lake-800.avif"]


def test_pictures_without_width_and_height_move_the_page_and_with_them_nothing_moves(loads):
    assert loads["no size"].cls > 0.1
    # Not == 0: on a busy machine the browser can record a shift of a few ten-thousandths (a
    # pixel of a line box), which no reader sees; Google calls anything under 0.1 good.
    assert loads["size"].cls < 0.01


def _today_as_measured():
    """A load with the shape of today's page as Chromium measured it (times in seconds after the first request)."""
    from martech.modules.speed_and_bandwidth.lab import Load, Resource

    files = [Resource("http://127.0.0.1:1/campaign", "HTML", 117_000, 0.0, 0.8),
             Resource("http://127.0.0.1:1/campaign.css", "CSS", 4_100, 0.3, 0.5),
             Resource("http://127.0.0.1:2/heattrack.js", "JS", 1_000, 0.3, 1.6),
             Resource("http://127.0.0.1:1/images/lake-800.jpg", "images", 44_000, 0.8, 1.4),
             Resource("http://127.0.0.1:2/fonts/alpenglow-sans.woff2", "fonts", 21_000, 1.7, 3.0),
             Resource("http://127.0.0.1:1/images/hero-1600.jpg", "images", 248_000, 1.8, 3.3)]
    shifts = [{"time": 3100, "value": 0.14, "moved": ["main", "header"]}]
    return Load("today", "http://127.0.0.1:1/campaign", 1.7, 3.0, 3.3, "hero", 0.14, shifts, 280, files)


def test_the_budget_says_what_each_problem_costs():
    report = budget.judge(_today_as_measured(), lab.TODAY)
    assert not report.passed and set(report.missed) == {"LCP", "CLS", "headline", "weight"}
    said = " ".join(report.problems)
    for cause in ("vendor's tag arrived and ran, at 1.6 s", "font arrived, at 3.0 s", "asked for it only at 1.8 s",
                  "hero alone is 248 kB", "banner pushed the whole page down", "uncompressed",
                  "gallery far below the fold"):
        assert cause in said, cause
    assert "✘ LCP" in repr(report) and "limit 1.5 s" in repr(report)


# ── Versions, the tag vendor, and the checks' words ─────────────────────────────────────────────

def test_bad_versions_are_refused_in_plain_words(site):
    answer = fetch(site.url + "/campaign?hero_format=gif")
    assert answer.status == 400 and "hero_format must be one of" in answer.text
    assert fetch(site.url + "/campaign?colour=blue").status == 400
    assert fetch(site.url + "/campaign?image_delay=-1").status == 400
    with pytest.raises(versions.BadChoice, match="dimensions is True"):
        versions.read_choices({"dimensions": "maybe"})
    assert versions.read_choices({"hero_width": "800", "dimensions": "yes"})["hero_width"] == 800


def test_the_vendor_is_slow_only_for_its_tags_and_fonts():
    with demo_server("tag-vendor", delay=0.4) as vendor:
        started = time.perf_counter()
        assert fetch(vendor.url + "/").status == 200
        assert time.perf_counter() - started < 0.3
        font = fetch(vendor.url + "/fonts/alpenglow-sans.woff2")
        assert time.perf_counter() - started >= 0.4
        assert font.body.startswith(b"wOF2") and font.header("Access-Control-Allow-Origin") == "*"
        assert len(font.body) < lab.full_font_path().stat().st_size / 10


def test_budget_check_answers_without_a_browser_when_it_can():
    assert "still today's page" in lab.meet_the_budget(dict(lab.TODAY)).message
    assert "blurry" in lab.meet_the_budget(dict(lab.TODAY, hero_width=400)).message
    assert "laptop" in lab.meet_the_budget(dict(lab.TODAY, hero_width=800)).message
    assert "lacks" in lab.meet_the_budget({"hero_format": "avif"}).message
    assert "replace the ..." in lab.meet_the_budget(dict(lab.TODAY, tag=...)).message


def test_the_compression_check_points_at_the_header(site):
    css = site.url + "/campaign.css"
    plain = fetch(css, headers={"Accept-Encoding": "identity"})
    verdict = lab.compressed_styles(plain, plain, plain)
    assert not verdict.passed and 'Accept-Encoding": "gzip"' in verdict.message
    right = lab.compressed_styles(plain, fetch(css, headers={"Accept-Encoding": "gzip"}),
                                  fetch(css, headers={"Accept-Encoding": "br"}))
    assert right.passed and "Vary" in right.message


def test_choice_hints():
    assert "750 device pixels" in lab.phone_picture(400).message
    assert lab.phone_picture("800").passed
    assert "click handler" in lab.heatmap_tag("a").message


def test_the_tag_verdict_reads_when_the_page_painted_against_when_the_tag_arrived():
    from martech.modules.speed_and_bandwidth.lab import Load, Resource

    def load(label, fcp, tag_arrived, inp=None, cls=0.0):
        page = "http://127.0.0.1:1/campaign"
        files = [Resource(page, "HTML", 7_000, 0.0, 0.1),
                 Resource("http://127.0.0.1:2/heattrack.js", "JS", 900, 0.05, tag_arrived)] if tag_arrived else \
                [Resource(page, "HTML", 7_000, 0.0, 0.1)]
        return Load(label, page, fcp, fcp, fcp, "", cls, [], inp, files)

    # A busy computer makes the async page paint late, but still before the tag arrived: no.
    table = lab.tag_verdicts([load("no tag", 0.3, None, 16), load("blocking", 1.45, 1.3, 264),
                              load("async", 1.1, 1.3, 256), load("late banner", 0.3, None, None, 0.14)], without="no tag")
    # Each row ends with: holds up first paint, moves the page, slows each tap.
    answers = [line.split()[-3:] for line in str(table).splitlines()[1:]]
    assert answers == [["no", "no", "no"], ["yes", "no", "yes"], ["no", "no", "yes"], ["no", "yes", "-"]]


def test_the_notebook_helpers_refuse_odd_input_in_plain_words(site):
    for call, words in [(lambda: lab.measure(None), "address of a page on this computer"),
                        (lambda: lab.measure(site.url + "/", device="phone"), "dict like lab.PHONE"),
                        (lambda: lab.measure(site.url + "/", throttled="yes"), "True or False"),
                        (lambda: lab.measure("http://127.0.0.1:9/campaign"), "Nothing answered"),
                        (lambda: lab.measure_many({1: site.url}), "dict of {label: address}"),
                        (lambda: lab.download_times(site.url + "/compression", ["/app.js"]), "dict of {label: [addresses]}"),
                        (lambda: lab.judge("today", lab.TODAY), "measurements"),
                        (lambda: lab.readout(None, None), "measurements"),
                        (lambda: lab.negotiate(5), "Accept-Encoding header as text")]:
        with pytest.raises(Problem, match=re.escape(words)):
            call()


def test_the_budget_check_does_not_claim_the_tag_costs_taps_when_there_is_none(monkeypatch):
    passing = budget.judge(_fast_as_measured(), dict(lab.FAST, tag="none"))
    assert passing.passed
    monkeypatch.setattr(budget, "check_budget", lambda values: passing)
    assert "Without the heatmap tag" in lab.meet_the_budget(dict(lab.FAST, tag="none")).message
    monkeypatch.setattr(budget, "check_budget", lambda values: budget.judge(_fast_as_measured(), lab.FAST))
    assert "still costs every tap" in lab.meet_the_budget(dict(lab.FAST)).message


def _fast_as_measured():
    from martech.modules.speed_and_bandwidth.lab import Load, Resource

    files = [Resource("http://127.0.0.1:1/campaign", "HTML", 7_700, 0.0, 0.3),
             Resource("http://127.0.0.1:1/images/hero-800.avif", "images", 13_000, 0.3, 0.5)]
    return Load("fast", "http://127.0.0.1:1/campaign", 0.7, 0.7, 0.8, "hero", 0.0, [], None, files)
