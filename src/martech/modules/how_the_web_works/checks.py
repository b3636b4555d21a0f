"""The exercise checks of module "how-the-web-works": each returns a sentence, or raises NotYet with a hint.

Each sentence goes through ``say``, which gives it in the learner's language (i18n/<lang>/hints.yml).
"""

from __future__ import annotations

import socket

from martech.checks import NotYet, as_text, as_whole_number, expect_choice, say, shown, task
from martech.checks import use_language  # noqa: F401  (the exercise's check.use_language("fi"))
from martech.client import fetch
from martech.inbrowser import on_a_computer
from martech.servers import demo_server


@task
def url_parts(host, path, query):
    host, path, query = as_text(host, "host"), as_text(path, "path"), as_text(query, "query")
    if "://" in host or "/" in host:
        raise NotYet(say("the host is the name alone: leave out https:// and any slash."))
    if host.endswith(":8443"):
        raise NotYet(say("8443 is the port, a separate part. The host is the name before the colon."))
    if host != "shop.example":
        raise NotYet(say("{host!r} is not the host. Look between https:// and the colon.", host=host))
    if "?" in path or "#" in path:
        raise NotYet(say("the path stops where the query (?) begins."))
    if not path.startswith("/"):
        raise NotYet(say("a path starts with a slash: /…"))
    if path != "/spring-sale":
        raise NotYet(say("{path!r} is not the path. Look after the port and before the question mark.", path=path))
    if "#" in query or "sizes" in query:
        raise NotYet(say("#sizes is the fragment, not part of the query. Browsers never send it to the server."))
    if query.lstrip("?") != "utm_source=newsletter":
        raise NotYet(say("{query!r} is not the query. Look after the question mark.", query=query))
    return say("host shop.example, path /spring-sale, query utm_source=newsletter. The fragment #sizes never leaves the browser.")


@task
def status_codes(moved_for_good, temporary_move, not_found, server_fault):
    codes = [as_whole_number(a, name) for a, name in [
        (moved_for_good, "moved_for_good"), (temporary_move, "temporary_move"),
        (not_found, "not_found"), (server_fault, "server_fault")]]
    moved_for_good, temporary_move, not_found, server_fault = codes
    if moved_for_good == 302 and temporary_move == 301:
        raise NotYet(say("you swapped 301 and 302. 301 means moved permanently; 302 means found elsewhere for now."))
    if moved_for_good not in (301, 308):
        raise NotYet(say("moved_for_good: a page that moved for good answers 301 Moved Permanently."))
    if temporary_move not in (302, 307):
        raise NotYet(say("temporary_move: a temporary move answers 302 Found (307 also works)."))
    if not_found == 410:
        raise NotYet(say("not_found: 410 Gone means removed on purpose and for good. For \"no such page\" use 404."))
    if not_found != 404:
        raise NotYet(say("not_found: a page that does not exist answers 404 Not Found."))
    if 400 <= server_fault < 500:
        raise NotYet(say("server_fault: 4xx codes blame the request. A fault on the server's side is 5xx."))
    if server_fault != 500:
        raise NotYet(say("server_fault: the general \"the server broke\" code is 500 Internal Server Error."))
    return say("301 for good, 302 for now, 404 for no such page, 500 when the server breaks.")


@task
def newsletter_redirect(status, location):
    with demo_server("web") as site:
        truth = fetch(site.url + "/go/newsletter")
    status = as_whole_number(status, "status")
    location = as_text(location, "location")
    if status == 200:
        raise NotYet(say("200 is where you end up after following the redirect. Fetch without following it "
                         "and read the first status code."))
    if status != truth.status:
        raise NotYet(say("the server did not answer {status}. Look at the status line of the response.", status=status))
    if location.startswith("http"):
        location = "/" + location.split("/", 3)[-1]
    if location == "/spring-sale":
        raise NotYet(say("the Location header has more than the path: copy the query (?utm_source=…) too."))
    if location != truth.header("Location"):
        raise NotYet(say("that is not what the Location header says. Copy its value exactly."))
    return say("{status} {reason} to {location}. The UTM tags tell analytics the visit came from the newsletter.",
               status=truth.status, reason=truth.reason, location=truth.header("Location"))


@task
def localhost_address(address):
    # In a browser, Python's answer is made up (Pyodide gave 172.29.1.0): only a computer can answer.
    on_a_computer("This task asks your computer itself for an address")
    truth = socket.gethostbyname("localhost")
    address = as_text(address, "address")
    if address.lower() == "localhost":
        raise NotYet(say("that is the name. Ask your computer for the number: socket.gethostbyname(\"localhost\")."))
    if address != truth:
        raise NotYet(say("{address!r} is not what your computer answered. Run socket.gethostbyname(\"localhost\").",
                         address=address))
    return say("localhost is {address}: this computer itself. No other computer is involved.", address=truth)


# Task 5: a newsletter link through three redirects (click tracker, http→https, /go/newsletter),
# then the landing page. Each step is a request and its response, and each waits for the one before.
CHAIN_STEPS = 4
SECONDS_PER_STEP = 1.5


@task
def waiting_time(seconds):
    try:
        seconds = float(seconds)
    except (TypeError, ValueError):
        raise NotYet(say("give a number of seconds, such as 2.5; you gave {answer}.", answer=shown(seconds))) from None
    total = CHAIN_STEPS * SECONDS_PER_STEP

    def near(value):
        return abs(seconds - value) < 0.05

    if abs(seconds - total) <= 0.5:
        return say("{steps} steps × {seconds} s = {total:g} s, one after another, however fast the connection. "
                   "Each redirect you remove saves a whole step: link straight to the final address.",
                   steps=CHAIN_STEPS, seconds=SECONDS_PER_STEP, total=total)
    if abs(seconds - total * 1000) <= 500:
        raise NotYet(say("the answer is in seconds, not milliseconds."))
    if near(SECONDS_PER_STEP):
        raise NotYet(say("that is one step, as if the browser could ask for all four addresses at once. It cannot: "
                         "each answer names the next address, so the steps come one after another."))
    if near((CHAIN_STEPS - 1) * SECONDS_PER_STEP):
        raise NotYet(say("that counts the three redirects. The landing page itself is one more request and response: "
                         "count it too."))
    if near(CHAIN_STEPS) or near(CHAIN_STEPS - 1):
        raise NotYet(say("that is how many steps there are. Multiply by the time each step takes."))
    raise NotYet(say("count the requests, from the click tracker to the landing page, and give each one "
                     "{seconds} s: each waits for the answer before it.", seconds=SECONDS_PER_STEP))


@task
def https_hides(choice):
    expect_choice(choice, "b", {
        "a": say("the site's name usually still shows: the browser looks it up in DNS and names it when the secure "
                 "connection starts."),
        "c": say("others on the network still see that you connected to that site's address, and when."),
        "d": say("your IP address is on every packet, encrypted or not: the network needs it to deliver the answer."),
    })
    return say("HTTPS encrypts the path, the query, the headers and the page. Who you talk to usually stays visible.")
