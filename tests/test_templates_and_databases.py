"""Module "templates-and-databases": what a learner sees in the shop demo, its helpers and its checks."""

import re

import pytest

from martech.client import fetch
from martech.modules import templates_and_databases as td
from martech.problems import Problem
from martech.servers import demo_server


@pytest.fixture(scope="module")
def shop():
    with demo_server("shop") as server:
        yield server


def test_one_row_changes_every_page_that_shows_it():
    with demo_server("shop") as server:
        db = td.database(server)
        assert "£89.00" in fetch(server.url + "/").text
        db.execute("UPDATE products SET price = 69 WHERE slug = 'trail-runner'")
        db.commit()
        assert "£69.00" in fetch(server.url + "/").text
        assert "£69.00" in fetch(server.url + "/products/trail-runner").text
        db.close()


def test_a_template_change_reaches_every_product_page():
    with demo_server("shop") as server:
        source = td.files.text("product.html").replace("<h2>Reviews</h2>", "<p>Free delivery</p><h2>Reviews</h2>")
        td.use_template(server, "product.html", source)
        for slug in ("trail-runner", "rain-shell", "day-pack"):
            assert "Free delivery" in fetch(f"{server.url}/products/{slug}").text


def test_helpers_answer_bad_input_in_words(shop):
    with pytest.raises(Problem, match="needs the shop demo"):
        td.database("shop")
    with pytest.raises(Problem, match="templates are"):
        td.use_template(shop, "nope.html", "x")
    with pytest.raises(Problem, match="Jinja cannot read"):
        td.use_template(shop, "product.html", "{% for %}")
    with pytest.raises(Problem, match="rows should be"):
        td.index_speed(rows="many")
    with pytest.raises(Problem, match="words to search for"):
        td.search(shop, None)
    for bad in (None, "", "SELEC nonsense", "SELECT 1; SELECT 2"):
        with pytest.raises(Problem):
            td.run_sql(bad)


def test_the_catalogue_refuses_writes_from_the_playground():
    with pytest.raises(Problem, match="readonly|read-only|attempt to write"):
        td.run_sql("DELETE FROM products")


def test_escaping_on_shows_the_hostile_review_as_text(shop):
    page = fetch(shop.url + "/products/trail-runner").text
    assert "&lt;script&gt;" in page and "<script>new Image" not in page
    assert "Content-Security-Policy" not in str(fetch(shop.url + "/").headers)


def test_escaping_off_pastes_the_script_in_and_csp_is_sent_when_asked():
    with demo_server("shop", escaping="off", csp="on") as server:
        answer = fetch(server.url + "/products/trail-runner")
        assert "<script>new Image" in answer.text
        assert answer.header("Content-Security-Policy") == td.CSP


def test_session_cookie_is_httponly_and_basket_is_not(shop):
    cookies = [v for k, v in fetch(shop.url + "/products/trail-runner").headers if k == "Set-Cookie"]
    assert any(c.startswith("session=") and "HttpOnly" in c for c in cookies)
    assert any(c.startswith("basket=") and "HttpOnly" not in c for c in cookies)


def test_sql_injection_works_only_on_the_concatenated_search(shop):
    attack = "x' UNION SELECT name, email, 0 FROM customers --"
    with demo_server("shop", search="concatenated") as glued:
        leaked = td.search(glued, attack)
        assert ["Ana Silva", "ana@example.com", "0"] in leaked.rows
        hidden = td.search(glued, "' OR 1=1 --")
        assert any(row[0] == "Summit Boot" for row in hidden.rows)
        dropped = td.search(glued, "x'; DROP TABLE products; --")
        assert "one statement" in dropped.error
        assert td.search(glued, "run").rows == [["Trail Runner", "89.0", "12"]]
    assert td.search(shop, attack).rows == []
    assert "LIKE ?" in td.search(shop, attack).sql


def test_the_index_turns_a_scan_into_a_search():
    report = td.index_speed(rows=5_000, repeat=3)
    assert report.plan_without.startswith("SCAN big_orders")
    assert report.plan_with.startswith("SEARCH big_orders USING INDEX")
    assert "times faster" in repr(report)


def test_a_public_greeting_is_handed_to_the_next_visitor_by_the_cdn():
    with demo_server("shop", welcome_cache="public, max-age=60") as origin, \
            demo_server("cdn", origin=origin.port) as cdn:
        fetch(cdn.url + "/welcome", headers={"Cookie": "name=Ana"})
        ben = fetch(cdn.url + "/welcome", headers={"Cookie": "name=Ben"})
        assert "Hello, Ana!" in ben.text and ben.header("X-Cache") == "HIT"


def test_the_shared_page_with_a_personal_fragment_is_cached_once():
    with demo_server("shop") as origin, demo_server("cdn", origin=origin.port) as cdn:
        td.reset_load(origin)
        for name in ("Ana", "Ben", "Chloe"):
            fetch(cdn.url + "/welcome-shared", headers={"Cookie": f"name={name}"})
            me = fetch(cdn.url + "/me", headers={"Cookie": f"name={name}"})
            assert me.text == f'{{"name": "{name}"}}' and me.header("X-Cache") == "MISS"
        assert td.origin_load(origin).startswith("4 request(s)")


def test_headless_json_and_the_page_share_their_rows(shop):
    import json

    data = json.loads(fetch(shop.url + "/api/products/rain-shell").text)
    page = fetch(shop.url + "/products/rain-shell").text
    assert data["name"] == "Rain Shell" and "Rain Shell" in page
    assert fetch(shop.url + "/api/products/summit-boot").status == 404, "unpublished products stay hidden"


@pytest.mark.parametrize("sql, hint", [
    ("SELECT COUNT(*) FROM reviews", "number of reviews, not of customers"),
    ("SELECT customer_id FROM reviews", "one number"),
])
def test_reviewers_explains_counting_rows(sql, hint):
    assert hint in td.reviewers(sql).message


@pytest.mark.parametrize("sql, hint", [
    ("SELECT products.name, COUNT(*) FROM reviews, products GROUP BY products.id ORDER BY 2 DESC", "no condition"),
    ("SELECT products.name, COUNT(*) FROM reviews JOIN products ON products.id = reviews.product_id "
     "GROUP BY products.id ORDER BY 2", "not first"),
])
def test_most_reviewed_explains_the_missing_join_condition(sql, hint):
    assert hint in td.most_reviewed(sql).message


@pytest.mark.parametrize("sql, hint", [
    ("SELECT COUNT(*) FROM orders JOIN products ON products.id = orders.product_id WHERE category = 'shoes'",
     "counts orders"),
    ("SELECT COUNT(DISTINCT customer_id) FROM orders, products WHERE category = 'shoes'", "Without ON"),
    ("SELECT COUNT(*) FROM orders, products WHERE category = 'shoes'", "no condition"),
    ("DROP TABLE orders", "SELECT"),
])
def test_shoe_buyers_explains_the_usual_mistakes(sql, hint):
    assert hint in td.shoe_buyers(sql).message


def test_change_requests_explain_each_wrong_kind():
    right = {"A": "content", "B": "template", "C": "data model", "D": "content", "E": "template", "F": "data model"}
    assert td.change_requests(right).passed
    assert td.change_requests({k.lower(): v.upper() for k, v in right.items()}).passed
    verdict = td.change_requests({**right, "E": "content"})
    assert not verdict.passed and "E is template" in verdict.message
    assert "replace each ..." in td.change_requests({**right, "A": ...}).message
    assert "still need" in td.change_requests({"A": "content"}).message


def test_safe_template_is_checked_in_chromium():
    unsafe = td.safe_template(td.UNSAFE_TEMPLATE)
    assert not unsafe.passed and "/evil/collect" in unsafe.message and "title" in unsafe.message
    assert td.safe_template(td.UNSAFE_TEMPLATE.replace(" | safe", "")).passed
    wrapped = "{% autoescape false %}" + td.UNSAFE_TEMPLATE.replace(" | safe", "") + "{% endautoescape %}"
    assert not td.safe_template(wrapped).passed
    gone = td.safe_template(td.UNSAFE_TEMPLATE.replace("{{ review.body | safe }}", ""))
    assert not gone.passed and "reviews are gone" in gone.message
    assert "Jinja cannot read" in td.safe_template("{{ review.body }}{% for review in %}").message


def test_the_lesson_starts_every_demo_it_names():
    lesson = open("docs/templates-and-databases/index.md", encoding="utf-8").read()
    for command in re.findall(r"`(martech serve [^`]+)`", lesson):
        name = command.split()[2]
        assert name == "shop", command


def test_a_browser_keeps_a_public_greeting_for_the_next_sign_in(browser):
    # The session's one Chromium (conftest.py): a second sync Playwright in the same worker fails.
    with demo_server("shop", welcome_cache="public, max-age=60") as server:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(server.url + "/login?name=Ana")
            assert page.inner_text("h1") == "Hello, Ana!"
            page.goto(server.url + "/login?name=Ben")
            assert page.inner_text("h1") == "Hello, Ana!", "the lesson's try-it says the cached copy greets Ana"
            page.goto(server.url + "/welcome-shared")
            page.wait_for_function("document.querySelector('h1').textContent === 'Hello, Ben!'")
        finally:
            context.close()
