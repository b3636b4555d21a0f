"""The site checks a reader would notice, again on Zensical's build of the same sources.

Material for MkDocs ends on 2027-05-05 and Zensical, its successor, builds the same mkdocs.yml.
What an engine changes is the theme: templates, scripts, styles and search. The lesson text is
the same Markdown in both, so here every test of that kind runs against Zensical's build, on one
page of each kind (every page that is not a module's, and the first module's lesson, demo and
exercise), while test_site*.py check every page under Material.
"""

import pytest

import test_site
from martech import anatomy
from sitepages import site_pages
from test_site import (  # noqa: F401 (pytest collects what is imported here, with this module's fixtures)
    page,
    test_copy_buttons_do_not_cover_code_on_a_phone,
    test_dark_mode_toggle_works,
    test_demo_page_shows_real_transcripts_and_charts,
    test_every_page_loads_cleanly_and_fits_a_phone,
    test_glossary_tooltip_on_first_use_of_each_term_only,
    test_lesson_shows_its_front_matter,
    test_quiz_gives_feedback_for_wrong_and_right_answers,
    test_quiz_works_by_keyboard,
    test_search_finds_the_module,
    test_search_index_loads_only_when_search_opens,
)
from test_site_accessibility import test_no_serious_accessibility_problem_on_any_page  # noqa: F401
from test_site_accessibility_dark import test_no_serious_accessibility_problem_in_dark_mode  # noqa: F401
from test_site_progress import test_progress_stays_in_this_browser_across_a_reload  # noqa: F401


@pytest.fixture(scope="session")
def site_url(zensical_url):
    return zensical_url


@pytest.fixture
def pages_to_check(zensical_site):
    slugs = anatomy.module_slugs(anatomy.project_root())
    first = slugs[0]
    return [path for path in site_pages(zensical_site)
            if path.strip("/").split("/")[0] not in slugs or path.strip("/").split("/")[0] == first]


@pytest.fixture
def audit(pages_to_check):
    return lambda scheme: pages_to_check


@pytest.fixture
def code_pages():
    """None: axe reads every code block here, as these are already one page of each kind."""
    return None


# The lesson, demo and exercise templates are the same for every module: the first module's stand
# for all (test_site.py checks every module under Material).
FIRST = anatomy.module_slugs(anatomy.project_root())[0]


def test_exercise_page_hides_solutions_and_offers_the_learner_copy_on_zensical(site_url, page):
    test_site.test_exercise_page_hides_solutions_and_offers_the_learner_copy(site_url, page, FIRST)


def test_diagrams_stay_readable_on_a_phone_on_zensical(site_url, page):
    test_site.test_diagrams_stay_readable_on_a_phone(site_url, page, FIRST)
