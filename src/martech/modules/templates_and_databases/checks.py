"""The exercise checks of module "templates-and-databases": each returns a sentence, or raises NotYet with a hint."""

from __future__ import annotations

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from martech.checks import NotYet, as_text, shown, task
from martech.modules.templates_and_databases.catalogue import BadQuery, files, read_only_catalogue, query

# ── Tasks 1 to 3: questions answered with SQL on the catalogue ─────────────────────────────────


def _answer(sql, task_name: str):
    """The rows the learner's SQL returns on a fresh, read-only catalogue; NotYet in words otherwise."""
    if not isinstance(sql, str):
        raise NotYet(f"{task_name}: write your query as text in quotes, such as \"SELECT COUNT(*) FROM reviews\"; "
                     f"you gave {shown(sql)}.")
    sql = as_text(sql, task_name)
    if not sql:
        raise NotYet(f"{task_name}: write a query in quotes, such as \"SELECT COUNT(*) FROM reviews\".")
    if not sql.lstrip("( \n").lower().startswith(("select", "with")):
        raise NotYet(f"{task_name}: a question is asked with SELECT, such as \"SELECT COUNT(*) FROM reviews\"; "
                     f"you gave {shown(sql)}.")
    connection = read_only_catalogue()
    try:
        return query(connection, sql).rows
    except BadQuery as error:
        more = " check.tables() lists every table and its columns." if "no such" in str(error) else ""
        raise NotYet(f"{task_name}: {error}{more}") from None
    finally:
        connection.close()


def _single_number(rows, task_name: str):
    if len(rows) != 1 or len(rows[0]) != 1:
        raise NotYet(f"{task_name}: the question wants one number, so the query should return one row with one "
                     f"value, such as SELECT COUNT(...) FROM ...; yours returned {len(rows)} row(s).")
    value = rows[0][0]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise NotYet(f"{task_name}: the query returned {shown(value)}, not a number. Count with COUNT(...).")
    return value


@task
def reviewers(sql):
    """How many different customers have written a review?"""
    value = _single_number(_answer(sql, "reviewers"), "reviewers")
    if value == 8:
        raise NotYet("reviewers: 8 is the number of reviews, not of customers: Ana wrote three of them. "
                     "Count each customer once with COUNT(DISTINCT customer_id).")
    if value == 6:
        raise NotYet("reviewers: 6 is every customer in the shop. Count only those who appear in the reviews table.")
    if value != 5:
        raise NotYet(f"reviewers: your query says {value}. Count the distinct customer_id values in reviews.")
    return "5 customers wrote the 8 reviews. COUNT(DISTINCT ...) counts each customer once, however often they wrote."


@task
def most_reviewed(sql):
    """Which product has the most reviews? Return its name and its number of reviews."""
    rows = _answer(sql, "most_reviewed")
    if not rows:
        raise NotYet("most_reviewed: your query returned no row. Join reviews to products, GROUP BY the product, "
                     "and ORDER BY the count, biggest first.")
    first = [str(v) for v in rows[0]]
    numbers = [v for v in rows[0] if isinstance(v, int) and not isinstance(v, bool)]
    if 8 in numbers or 48 in numbers:
        raise NotYet("most_reviewed: a count of 8 for one product means every review was paired with every "
                     "product: the join has no condition. Add ON reviews.product_id = products.id.")
    if "Trail Runner" not in first:
        if any("Trail Runner" in [str(v) for v in row] for row in rows[1:]):
            raise NotYet("most_reviewed: Trail Runner is in your answer, but not first. Sort with "
                         "ORDER BY COUNT(*) DESC so that the biggest count comes first.")
        raise NotYet("most_reviewed: the first row should name the product, so join reviews to products "
                     "(ON reviews.product_id = products.id) and select products.name.")
    if 4 not in numbers:
        raise NotYet("most_reviewed: the name is right; add its number of reviews, COUNT(*), beside it.")
    return "Trail Runner, with 4 reviews. The join gives each review its product's name; GROUP BY counts per product."


@task
def shoe_buyers(sql):
    """How many different customers have ordered shoes (category 'shoes')?"""
    value = _single_number(_answer(sql, "shoe_buyers"), "shoe_buyers")
    if value == 6:
        raise NotYet("shoe_buyers: 6 is every customer who ordered anything, shoes or not. Join orders to products "
                     "ON orders.product_id = products.id and keep WHERE products.category = 'shoes'. (Without ON, "
                     "each order is paired with every shoe, so every buyer seems to have bought shoes.)")
    if value == 0:
        raise NotYet("shoe_buyers: your query found no one. The category is written 'shoes', in small letters, and "
                     "SQL compares text letter by letter. Check the ON condition too: orders.product_id = products.id.")
    if value == 30:
        raise NotYet("shoe_buyers: 30 rows means each of the 10 orders was paired with each of the 3 shoes: the join "
                     "has no condition. Add ON orders.product_id = products.id, then count distinct customers.")
    if value == 5:
        raise NotYet("shoe_buyers: 5 counts orders of shoes, not people: Ana and Emma each ordered shoes twice. "
                     "Count each customer once: COUNT(DISTINCT orders.customer_id).")
    if value != 3:
        raise NotYet(f"shoe_buyers: your query says {value}. Join orders to products, keep category = 'shoes', "
                     "and count distinct customers.")
    return "3 customers ordered shoes (in 5 orders). The join finds each order's category; DISTINCT counts people, not orders."


# ── Task 4: content, template or data model ───────────────────────────────────────────────────

REQUESTS = {
    "A": ("Change the spring sale headline on the home page.", "content"),
    "B": ("Show the reviews above the description on every product page.", "template"),
    "C": ("Add a material (leather, mesh...) to every product, so shoppers can filter by it.", "data model"),
    "D": ("Fix a typo in the Rain Shell's description.", "content"),
    "E": ("Paste a countdown timer's <script> into one product's description.", "template"),
    "F": ("Let each product come in several colours, each with its own stock.", "data model"),
}
KINDS = {"content": "content", "template": "template", "data model": "data model", "data": "data model",
         "datamodel": "data model", "data-model": "data model", "model": "data model"}
WHY = {
    "content": "it changes the words or values in one place, which an editor does in the CMS",
    "template": "it changes how every page of a kind is built, or puts code into pages, which a developer "
                "does once in the template, reviewed and tested",
    "data model": "it needs a new column or table, so the database, the CMS's forms and the templates all change",
}


@task
def change_requests(sorting):
    if not isinstance(sorting, dict):
        raise NotYet("change_requests: give a dict, such as {\"A\": \"content\", \"B\": \"template\", ...}, with one "
                     f"entry per request A to F; you gave {shown(sorting)}.")
    if any(kind is Ellipsis for kind in sorting.values()):
        raise NotYet("change_requests: replace each ... with \"content\", \"template\" or \"data model\", "
                     "then run the cell again.")
    given = {}
    for letter, kind in sorting.items():
        key = letter.strip().upper() if isinstance(letter, str) else letter
        if key not in REQUESTS:
            raise NotYet(f"change_requests: the requests are A to F; {shown(letter)} is not one of them.")
        if not isinstance(kind, str) or kind.strip().lower() not in KINDS:
            raise NotYet(f"change_requests: request {key} should be \"content\", \"template\" or \"data model\"; "
                         f"you gave {shown(kind)}.")
        given[key] = KINDS[kind.strip().lower()]
    missing = sorted(set(REQUESTS) - set(given))
    if missing:
        raise NotYet(f"change_requests: sort every request; {', '.join(missing)} still need a kind.")
    wrong = [f"{letter} is {kind}: {WHY[kind]}." for letter, (_, kind) in REQUESTS.items() if given[letter] != kind]
    if wrong:
        raise NotYet("change_requests: " + " ".join(wrong[:2]) + (" (and more)" if len(wrong) > 2 else ""))
    return ("A and D are content, B and E template changes, C and F data-model changes. "
            "Code goes into the template once, never into one product's text.")


# ── Task 5: a template that shows the hostile review as text, checked in Chromium ──────────────

PRODUCT = {"name": "Trail Runner", "price": 89.0, "stock": 12, "description": "A light running shoe."}
HOSTILE = [
    {"rating": 5, "author": "Chloe Martin",
     "body": 'Best shoes ever!<script>new Image().src = "/evil/collect?cookie=" + encodeURIComponent(document.cookie)'
             "</script>"},
    {"rating": 2, "author": "Ana Silva",
     "body": "<img src=\"/no-such-photo.jpg\" onerror=\"document.title = 'Hacked: ' + document.cookie\">"},
]
UNSAFE_TEMPLATE = """<h1>{{ product.name }}</h1>
{% for review in reviews %}
  <div class="review">{{ review.author }} wrote: {{ review.body | safe }}</div>
{% endfor %}"""


# Like the shop (and Flask for .html files): autoescape on, so only | safe or {% autoescape false %}
# lets HTML through. The sandbox keeps a learner's template from running away (range is capped).
_SANDBOX = SandboxedEnvironment(loader=files.environment.loader, autoescape=True, undefined=jinja2.StrictUndefined)


def _render(template: str) -> str:
    try:
        html = _SANDBOX.from_string(template).render(product=PRODUCT, reviews=HOSTILE)
    except jinja2.TemplateSyntaxError as error:
        raise NotYet(f"safe_template: Jinja cannot read the template: {error.message} (line {error.lineno}).") from None
    except jinja2.UndefinedError as error:
        raise NotYet(f"safe_template: {error.message}. The page has product (name, price, stock, description) "
                     "and reviews (each with rating, author, body).") from None
    except (jinja2.TemplateError, OverflowError, MemoryError) as error:
        raise NotYet(f"safe_template: Jinja could not fill in the template ({error}).") from None
    if len(html) > 200_000:
        raise NotYet("safe_template: the page came out longer than 200,000 characters. Show each review once.")
    return html


_BROWSER = None


def _browser():
    global _BROWSER
    if _BROWSER is None:
        from martech.browser import BrowserThread

        _BROWSER = BrowserThread()
    return _BROWSER


def in_chromium(html: str) -> dict:
    """Open ``html`` as https://shop.example/products/trail-runner in Chromium; say what its scripts did."""

    def job(browser):
        context = browser.new_context()
        context.add_cookies([{"name": "basket", "value": "2-items", "url": "https://shop.example/"}])
        page = context.new_page()
        sent = []

        def answer(route):
            url = route.request.url
            if url.startswith("https://shop.example/products/trail-runner"):
                route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
            else:
                if "/evil/" in url:
                    sent.append(url)
                route.fulfill(status=404, body="")

        try:
            page.route("**/*", answer)
            page.goto("https://shop.example/products/trail-runner", wait_until="load", timeout=15_000)
            page.wait_for_timeout(200)
            return {"title": page.title(), "sent": sent, "text": page.inner_text("body")}
        finally:
            context.close()

    return _browser().run(job)


@task
def safe_template(template):
    template = as_text(template, "safe_template")
    if "review" not in template or "{{" not in template:
        raise NotYet("safe_template: start from the template given in the cell and change only what lets the "
                     "review's HTML through; the page must still show each review with {{ ... }}.")
    html = _render(template)
    seen = in_chromium(html)
    if seen["sent"] or seen["title"].startswith("Hacked"):
        what = []
        if seen["sent"]:
            what.append("the <script> sent the visitor's cookies to /evil/collect")
        if seen["title"].startswith("Hacked"):
            what.append("the <img onerror> ran and changed the tab's title")
        raise NotYet("safe_template: in Chromium, " + " and ".join(what) + ". Something still marks the review as "
                     "safe HTML: remove | safe (or {% autoescape false %}) so that Jinja escapes it.")
    if "Best shoes ever!" not in seen["text"]:
        raise NotYet("safe_template: no script ran, but the reviews are gone from the page. Keep showing "
                     "{{ review.body }}: escaped, it is harmless text.")
    if "<script>" not in seen["text"]:
        return ("No script ran in Chromium, and the review is still shown. (Its tags are removed, not shown: "
                "fine too, as long as the template engine escapes what is left.)")
    return "No script ran in Chromium: the review shows as text, <script> and all. Escaping turned code into words."
