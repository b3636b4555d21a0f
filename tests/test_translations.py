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
