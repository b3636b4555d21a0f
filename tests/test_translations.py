"""Translations: every language has each required page, and none follows an older English page."""

import shutil

import pytest

from martech import translations

LANGUAGES = ["ar", "fi", "th", "zh"]


def test_the_course_has_its_four_translations(root):
    assert translations.languages(root) == LANGUAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_required_page_is_translated_from_todays_english(root, lang):
    problems = translations.problems(root, lang)
    assert not problems, "\n".join(problems)


@pytest.fixture
def course(tmp_path, root):
    """The English pages that are translated, and the translations."""
    shutil.copytree(root / "i18n", tmp_path / "i18n")
    for config in root.glob("mkdocs*.yml"):
        shutil.copy(config, tmp_path / config.name)
    for page in translations.REQUIRED:
        (tmp_path / "docs" / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / "docs" / page, tmp_path / "docs" / page)
    for checks in translations.HINTS:
        (tmp_path / checks).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / checks, tmp_path / checks)
    return tmp_path


def test_an_english_change_flags_each_translation_until_it_is_updated(course):
    lesson = course / "docs" / "how-the-web-works" / "index.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    stale = [problem for lang in LANGUAGES for problem in translations.problems(course, lang)]
    assert len(stale) == len(LANGUAGES)
    assert "fi: i18n/fi/docs/how-the-web-works/index.md follows an older docs/how-the-web-works/index.md" in stale[1]
    now = translations.fingerprint(lesson)
    assert f"set source_sha256: {now}" in stale[1] and "git log -p docs/how-the-web-works/index.md" in stale[1]

    # The translator updates the Finnish page and its fingerprint: Finnish is no longer listed.
    finnish = course / "i18n" / "fi" / "docs" / "how-the-web-works" / "index.md"
    text = finnish.read_text(encoding="utf-8")
    old = text.split("source_sha256:", 1)[1].split("\n", 1)[0].strip()
    finnish.write_text(text.replace(f"source_sha256: {old}", f"source_sha256: {now}", 1) + "\nYksi lause lisää.\n",
                       encoding="utf-8")
    assert translations.problems(course, "fi") == []
    assert len(translations.problems(course, "zh")) == 1


def test_a_missing_page_or_terms_list_is_named(course):
    (course / "i18n" / "th" / "docs" / "glossary" / "index.md").unlink()
    (course / "i18n" / "th" / "terms.yml").unlink()
    problems = "\n".join(translations.problems(course, "th"))
    assert "i18n/th/docs/glossary/index.md is missing: translate docs/glossary.md" in problems
    assert "i18n/th/terms.yml is missing" in problems


def test_an_interface_word_left_in_english_is_named(course):
    config = course / "mkdocs.ar.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    check_my_answer:", "    # check_my_answer:"),
                      encoding="utf-8")
    assert translations.problems(course, "ar") == [
        "ar: mkdocs.ar.yml gives no words of its own for check_my_answer (extra.ui), so they show in English"]


def test_the_hints_are_found_in_the_checks(root):
    templates, unreadable = translations.hint_templates(root)
    assert not unreadable
    assert templates["✘ Not yet: {message}"].startswith("src/martech/checks.py line ")
    assert "{host!r} is not the host. Look between https:// and the colon." in templates
    assert len(templates) >= 40, "module 1's checks and the shared ones say at least 40 sentences"


def test_a_missing_stale_or_misspelt_hint_is_named(course):
    catalog = course / "i18n" / "fi" / "hints.yml"
    text = catalog.read_text(encoding="utf-8")
    lines = text.splitlines()
    missing = next(line for line in lines if line.startswith('"the path stops where'))
    text = text.replace(missing + "\n", "")
    text = text.replace("{host!r} ei ole isäntä", "{isäntä!r} ei ole isäntä")
    catalog.write_text(text + '"a hint no check says": "vihje, jota mikään tarkistus ei sano"\n', encoding="utf-8")
    checks = course / "src" / "martech" / "modules" / "how_the_web_works" / "checks.py"
    source = checks.read_text(encoding="utf-8")
    checks.write_text(source.replace('return say("301 for good, 302 for now, 404 for no such page, 500 when the '
                                     'server breaks.")', "return say(RIGHT)"), encoding="utf-8")

    problems = translations.problems(course, "fi")
    where = "src/martech/modules/how_the_web_works/checks.py line "
    line = lambda text: source[:source.index(text)].count("\n") + 1  # noqa: E731
    said, host, path = line('return say("301 for good'), line("{host!r} is not the host"), line("the path stops where")
    assert len(problems) == 5, "\n".join(problems)
    assert problems[0].startswith(f"{where}{said}: say() must be given its English text written out")
    assert problems[1].startswith("fi: i18n/fi/hints.yml translates '{host!r} is not the host. Look between "
                                  f"https:// and the colon.' ({where}{host}) with the placeholders ['{{isäntä!r}}'], "
                                  "not ['{host!r}']: keep each {...} exactly as in English")
    assert problems[2] == f"fi: i18n/fi/hints.yml has no translation of 'the path stops where the query (?) begins.' ({where}{path})"
    # The sentence the changed say() no longer gives is stale, as is the entry nothing ever said.
    assert problems[3] == ("fi: i18n/fi/hints.yml has an entry no check says any more: '301 for good, 302 for now, "
                           "404 for no such page, 500 when the server breaks.': remove it")
    assert problems[4] == ("fi: i18n/fi/hints.yml has an entry no check says any more: 'a hint no check says': "
                           "remove it")
    assert translations.problems(course, "zh")[:1] == problems[:1]  # the code's own problem, in every language


def test_a_language_without_hints_is_told_to_translate_them(course):
    (course / "i18n" / "ar" / "hints.yml").unlink()
    assert translations.problems(course, "ar") == [
        "ar: i18n/ar/hints.yml is missing: the exercise hints in this language, each check's English "
        "sentence and its translation"]
