"""The site checks a reader would notice, again on Zensical's build of the same sources.

Material for MkDocs ends on 2027-05-05 and Zensical, its successor, builds the same mkdocs.yml.
What an engine changes is the theme: templates, scripts, styles and search. The lesson text is
the same Markdown in both, so here every test of that kind runs against Zensical's build, on one
page of each kind (every page that is not a module's, and the first module's lesson, demo and
exercise), while test_site*.py check every page under Material. Its offline ZIP is checked
too: every file its pages link to, and opened from disk (search says there that it needs a server).
"""

import pytest

import test_site
import test_site_offline
from martech import anatomy, translations
from sitepages import open_search, site_pages
from test_site import (  # noqa: F401 (pytest collects what is imported here, with this module's fixtures)
    page,
    test_copy_buttons_do_not_cover_code_on_a_phone,
    test_dark_mode_toggle_works,
    test_demo_page_shows_real_transcripts_and_charts,
    test_glossary_term_shows_its_definition_when_pointed_at_or_tapped,
    test_glossary_tooltip_on_first_use_of_each_term_only,
    test_lesson_shows_its_front_matter,
    test_quiz_gives_feedback_for_wrong_and_right_answers,
    test_quiz_works_by_keyboard,
    test_search_finds_the_module,
    test_search_index_loads_only_when_search_opens,
    test_search_opens_from_the_keyboard,
)
from test_site_accessibility import pages_for_colours, test_no_serious_accessibility_problem_on_any_page  # noqa: F401
from test_site_accessibility_dark import test_no_serious_accessibility_problem_in_dark_mode  # noqa: F401
from test_inbrowser import test_an_exercise_runs_in_the_page_with_the_network_cut  # noqa: F401
from test_site_languages import (  # noqa: F401
    switcher_problems,
    test_an_arabic_page_fits_a_phone_before_its_scripts_run,
    test_search_finds_a_word_inside_a_sentence_without_spaces,
)
from test_site_progress import test_progress_stays_in_this_browser_across_a_reload  # noqa: F401


@pytest.fixture(scope="session")
def site_url(zensical_url):
    return zensical_url


@pytest.fixture
def pages_to_check(zensical_site):
    """One page of each kind; of the translations, Arabic's, which also read right to left (the
    words differ by language, the templates do not)."""
    root = anatomy.project_root()
    slugs = anatomy.module_slugs(root)
    first, others = slugs[0], set(translations.languages(root)) - {"ar"}
    return [path for path in site_pages(zensical_site)
            if path.strip("/").split("/")[0] not in [*slugs, *others] or path.strip("/").split("/")[0] == first]


@pytest.fixture
def audit(pages_to_check):
    return lambda scheme: pages_to_check


@pytest.fixture
def colour_pages(zensical_site, pages_to_check):
    """Of those, the pages that hold every kind of element: axe checks colours there."""
    return pages_for_colours(zensical_site, pages_to_check)


# The lesson, demo and exercise templates are the same for every module: the first module's stand
# for all (test_site.py checks every module under Material).
FIRST = anatomy.module_slugs(anatomy.project_root())[0]


def test_exercise_page_hides_solutions_and_offers_the_learner_copy_on_zensical(site_url, page):
    test_site.test_exercise_page_hides_solutions_and_offers_the_learner_copy(site_url, page, FIRST)


def test_diagrams_stay_readable_on_a_phone_on_zensical(site_url, page):
    test_site.test_diagrams_stay_readable_on_a_phone(site_url, page, FIRST)


@pytest.fixture(scope="module")
def offline_copy(zensical_site, tmp_path_factory):
    return test_site_offline.unzipped_from_start_here(zensical_site, tmp_path_factory.mktemp("offline-zensical"))


def test_offline_copy_holds_every_file_its_pages_link_to_on_zensical(zensical_site, offline_copy):
    test_site_offline.test_offline_copy_holds_every_file_its_pages_link_to(zensical_site, offline_copy)


def test_offline_copy_opened_from_disk_moves_between_pages_on_zensical(offline_copy, browser):
    """Zensical draws its search's status when search opens: there it says a server is needed,
    not "Reload the page to try again" (its own words, which a reload does not make true)."""
    def search_says(tab):
        open_search(tab)
        tab.keyboard.type("status code")
        return tab.locator("dialog [role=status]", has_text="served").text_content(timeout=5_000)

    test_site_offline.walk_from_disk(offline_copy, browser, search_says)


def test_the_switcher_links_each_page_to_its_translations_on_zensical(zensical_site):
    assert not switcher_problems(zensical_site), "\n".join(switcher_problems(zensical_site))
