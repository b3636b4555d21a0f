"""Module "html-and-css": its demo server, its browser helpers and its exercise checks.

Demo: ``landing``, shop.example's spring campaign landing page in several versions:

    /responsive   the page as IT ships it: viewport meta tag, one stylesheet, media queries
    /fixed        the same content in a 2010-style fixed 960 px layout (no viewport meta tag)
    /plain        the same HTML with no stylesheet at all
    /broken       the exercise's page: too wide for a phone, missing alt text, skipped headings...
    /template?product=trail-shoes      the page made from the CMS template and one product's content
    /hand-edited/trail-shoes           a copy of the running-shoes page, edited by hand
    /preview?url=/responsive           the link preview card a messaging app builds from the tags

The notebooks import it as ``from martech.modules import html_and_css``, from the files beside this one:

    demos.py          the demo, the CMS content and template (PRODUCTS, TEMPLATE, render)
    browser_tools.py  screenshot, select, box, phone_view, screen_reader_view, head_tags, close_browser
    rules.py          the exercise's rules, measured in Chromium: audit, contrast_ratio, numbered
    checks.py         the exercise checks
    served/           the pages, stylesheets, scripts and content, as files

Every measurement is taken by a real Chromium, started on first use and reused until ``close_browser()``.
"""

from martech.modules.html_and_css.browser_tools import *  # noqa: F401,F403
from martech.modules.html_and_css.checks import *  # noqa: F401,F403
from martech.modules.html_and_css.demos import *  # noqa: F401,F403
from martech.modules.html_and_css.rules import *  # noqa: F401,F403
