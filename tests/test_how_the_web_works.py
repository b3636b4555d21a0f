"""Module "how-the-web-works": what a learner sees in the exercise, the quiz and the client's redirects."""

import http.server
import json
import threading
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest

from martech import anatomy
from martech.client import fetch
from martech.modules.how_the_web_works import waiting_time
from martech.servers import demo_server

ROOT = Path(__file__).resolve().parents[1]


# ── Task 5 and quiz question 3 count the steps of a redirect chain, not files loaded side by side ──

def _task_5_text() -> str:
    cells = nbformat.read(ROOT / "exercises" / "how-the-web-works.ipynb", as_version=4).cells
    return next(c.source for c in cells if c.cell_type == "markdown" and c.source.startswith("## Task 5"))


def test_task_5_asks_about_a_chain_of_redirects():
    text = _task_5_text()
    assert "redirect" in text and "one after another" in text
    assert "files" not in text, "task 5 must not count files: browsers fetch files side by side"


def test_waiting_time_counts_every_step_of_the_chain():
    right = waiting_time(4 * 1.5)
    assert right.passed and "4 steps" in right.message
    assert "landing page" in waiting_time(3 * 1.5).message        # forgot the last step
    assert "at once" in waiting_time(1.5).message                 # as if the steps ran side by side
    assert "milliseconds" in waiting_time(6000).message


def test_quiz_question_3_counts_the_steps_of_a_redirect_chain():
    meta, _ = anatomy.read_front_matter(ROOT / "docs" / "how-the-web-works" / "index.md")
    question = meta["quiz"][2]
    assert "redirect" in question["question"] and "files" not in question["question"]
    right = next(o for o in question["options"] if o["correct"])
    assert "one after another" in right["answer"] + right["why"]


def test_the_lesson_ends_with_the_answer_to_its_scenario():
    _, body = anatomy.read_front_matter(ROOT / "docs" / "how-the-web-works" / "index.md")
    before_sources = body.split("## Sources")[0]
    blocks = [line for line in before_sources.splitlines() if line.startswith(("!!!", "???"))]
    assert blocks[-1].startswith('!!! answer "So, ')


# ── The client follows redirects as a browser does ──

class _Redirects(http.server.BaseHTTPRequestHandler):
    """/r/<code>[#fragment-in-location] redirects to /echo; /echo says which method and body arrived."""

    def log_message(self, *args):
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if self.path.startswith("/r/"):
            code, _, fragment = self.path[3:].partition("-")
            self.send_response(int(code))
            self.send_header("Location", "/echo" + (f"#{fragment}" if fragment else ""))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        answer = json.dumps({"method": self.command, "body": body,
                             "content_type": self.headers.get("Content-Type")}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = do_HEAD = _answer


@contextmanager
def _redirect_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirects)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


FORM = {"method": "POST", "body": "email=ana%40shop.example",
        "headers": {"Content-Type": "application/x-www-form-urlencoded"}, "follow_redirects": True}


@pytest.mark.parametrize("code", [301, 302, 303])
def test_a_form_sent_with_post_arrives_as_get_after_301_302_and_303(code):
    with _redirect_server() as url:
        response = fetch(f"{url}/r/{code}", **FORM)
    assert response.history[0].request_text.startswith(f"POST /r/{code} ")
    assert response.request_text.startswith("GET /echo HTTP/1.1")
    assert "Content-Length" not in response.request_text and "Content-Type" not in response.request_text
    assert json.loads(response.text) == {"method": "GET", "body": "", "content_type": None}


@pytest.mark.parametrize("code", [307, 308])
def test_a_form_sent_with_post_is_sent_again_with_post_after_307_and_308(code):
    with _redirect_server() as url:
        response = fetch(f"{url}/r/{code}", **FORM)
    assert response.request_text.startswith("POST /echo HTTP/1.1")
    assert json.loads(response.text) == {"method": "POST", "body": "email=ana%40shop.example",
                                         "content_type": "application/x-www-form-urlencoded"}


def test_the_demo_shops_301_turns_a_post_into_a_get():
    with demo_server("web") as site:
        response = fetch(site.url + "/old-campaign", method="POST", body="size=42", follow_redirects=True)
    assert [hop.status for hop in response.history] == [301]
    assert response.request_text.startswith("GET /spring-sale HTTP/1.1") and response.status == 200


def test_the_fragment_carries_over_to_the_redirect_target():
    with demo_server("web") as site:
        response = fetch(site.url + "/old-campaign#sizes", follow_redirects=True)
    assert response.url == site.url + "/spring-sale#sizes"
    assert response.request_text.startswith("GET /spring-sale HTTP/1.1"), "the fragment is still never sent"


def test_a_fragment_in_the_location_wins_over_the_old_one():
    with _redirect_server() as url:
        response = fetch(f"{url}/r/302-top#sizes", follow_redirects=True)
    assert response.url == f"{url}/echo#top"
