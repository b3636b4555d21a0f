"""Opens, clicks and one-click unsubscribe: the ESP's tracking host, and the programs that call it.

The newsletter's links point at links.<company>.example, which the sandbox's DNS sends to
127.0.0.1. Whoever fetches them (Apple's privacy proxy, a reader's mail app, a mailbox
provider unsubscribing a reader) makes a real HTTP request to the demo server, which counts it
as an ESP would. A real provider sends these requests over HTTPS to port 443; on this computer
they go over plain HTTP to the demo's own port.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from martech.client import fetch
from martech.modules.email_systems import zone

PROXY = "privacy-proxy (Apple Mail Privacy Protection, as the sandbox plays it)"
WEBMAIL = "webmail-image-proxy (loads images when the reader opens the message)"
BROWSER = "reader's browser"
PROVIDER = "mailbox provider (one-click unsubscribe, RFC 8058)"
PIXEL = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
         b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sources = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources += [value for name, value in attrs if name == "src" and value]


def image_sources(html: str) -> list[str]:
    parser = _Images()
    parser.feed(html)
    return parser.sources


def local_fetch(box, url: str, method: str = "GET", agent: str = BROWSER, body: bytes = b"", headers=None):
    """Fetch a sandbox https:// address: its host is looked up in the sandbox's DNS, and the
    request goes to the demo server's port (plain HTTP, on this computer)."""
    parts = urlsplit(url)
    addresses = [a.address for a in zone.query(box.dns_port, parts.hostname or "", "A")]
    if "127.0.0.1" not in addresses:
        return None
    target = f"http://{parts.hostname}:{box.http_port}{parts.path}" + (f"?{parts.query}" if parts.query else "")
    return fetch(target, method, {"User-Agent": agent, **(headers or {})}, body, resolve={parts.hostname: "127.0.0.1"},
                 timeout=5)


def privacy_prefetch(box, received) -> None:
    """Apple's proxy loads a message's remote content as it arrives, read or not."""
    for source in image_sources(received.part("html")):
        local_fetch(box, source, agent=PROXY)


# ── What the ESP's tracking host answers (called by the demo's HTTP handler) ──────────────────


def record_open(box, code: str, agent: str) -> bool:
    with box.lock:
        if code not in box.tokens:
            return False
        box.opens.append({"token": code, "agent": agent})
    return True


def click_target(box, code: str, number: str, agent: str) -> str | None:
    with box.lock:
        known = box.tokens.get(code)
        if known is None or not number.isdigit():
            return None
        destinations = box.config["companies"][known["company"]]["destinations"]
        if int(number) >= len(destinations):
            return None
        box.clicks.append({"token": code, "agent": agent, "link": int(number)})
    return destinations[int(number)]


def unsubscribe(box, code: str, how: str) -> dict | None:
    with box.lock:
        known = box.tokens.get(code)
        if known is None:
            return None
        box.unsubscribed.setdefault(known["company"], {})[known["address"]] = how
    return known


def is_one_click(body: bytes, content_type: str) -> bool:
    """The POST body RFC 8058 section 3.1 defines, as a form (urlencoded or multipart)."""
    text = body.decode("utf-8", "replace")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return parse_qs(text).get("List-Unsubscribe") == ["One-Click"]
    if content_type.startswith("multipart/form-data"):
        return bool(re.search(r'name="List-Unsubscribe"\r?\n\r?\nOne-Click', text))
    return False


# ── The readers and the provider ─────────────────────────────────────────────────────────────


def newest_newsletter(box, mailbox: str, company: str | None = None):
    with box.lock:
        found = [m for m in box.messages if m.mailbox == mailbox and m.verdict != "rejected" and m.header("List-Id")
                 and (company is None or box.config["companies"][company]["list"] in m.header("List-Id"))]
    return found[-1] if found else None


def read(box, mailbox: str) -> str:
    message = newest_newsletter(box, mailbox)
    if message is None:
        return f"{mailbox} has no newsletter to open."
    app = box.config["mailboxes"][mailbox]
    with box.lock:
        box.reads.append({"mailbox": mailbox, "number": message.number})
    if app["privacy_protection"]:
        return (f"{mailbox} opens message {message.number} in Apple Mail. Its images came through Apple's proxy "
                "when the message arrived, so this open sends the ESP nothing new.")
    sources = image_sources(message.part("html"))
    for source in sources:
        local_fetch(box, source, agent=WEBMAIL)
    return f"{mailbox} opens message {message.number}: the mail app loads its {len(sources)} image(s), the pixel among them."


def click(box, mailbox: str, link: int = 0):
    message = newest_newsletter(box, mailbox)
    if message is None:
        return None
    links = re.findall(r'href="(https://[^"]+/c/[^"]+)"', message.part("html"))
    if not 0 <= link < len(links):
        return None
    return local_fetch(box, links[link], agent=BROWSER)


@dataclass
class Unsubscribing:
    """What a mailbox provider does with one message's unsubscribe headers, step by step."""

    number: int
    steps: list[str] = field(default_factory=list)
    response: object = None
    done: bool = False

    def __repr__(self) -> str:
        mark = "✔ unsubscribed in one click" if self.done else "✘ not unsubscribed"
        lines = [f"Message {self.number}: {mark}", *[f"  • {s}" for s in self.steps]]
        if self.response is not None and getattr(self.response, "status", None):
            lines.append(f"  The request:  {self.response.request_text.splitlines()[0]}  (body: List-Unsubscribe=One-Click)")
            location = self.response.header("Location")
            lines.append(f"  The answer:   {self.response.status} {self.response.reason}"
                         + (f", Location: {location}" if location else ""))
        return "\n".join(lines)


def one_click(box, message) -> Unsubscribing:
    from martech.modules.email_systems.receiver import one_click_problems

    report = Unsubscribing(message.number)
    problems = one_click_problems(message.message, message.results["dkim"], message.covered)
    links = re.findall(r"<(https://[^>]+)>", message.header("List-Unsubscribe") or "")
    if problems:
        report.steps += [p[0].upper() + p[1:] + "." for p in problems]
    if not links:
        report.steps.append("With no https:// address there is nothing to POST to: the reader must use a link in the body.")
        return report
    report.steps.append(f"The provider sends POST {links[0]} with no cookies and no login, as RFC 8058 says.")
    response = local_fetch(box, links[0], "POST", PROVIDER, b"List-Unsubscribe=One-Click",
                           {"Content-Type": "application/x-www-form-urlencoded"})
    report.response = response
    status = getattr(response, "status", None)
    if status in (301, 302, 303, 307, 308):
        report.steps.append("The server answered with a redirect, here to a login page. RFC 8058 forbids that: "
                            "the POST alone must unsubscribe, with no login, because nobody is there to log in.")
    elif status is not None and 200 <= status < 300 and not problems:
        report.done = True
        report.steps.append("The server answered 2xx: the reader is off the list, and the ESP will not mail them again.")
    elif status is not None and 200 <= status < 300:
        report.steps.append("The server took the POST, but without the headers above a provider never sends it.")
    else:
        report.steps.append(f"The server answered {status}: the reader is still on the list.")
    return report


@dataclass
class Stats:
    company: str
    delivered: int
    counted_opens: int
    proxy_only: int
    real_opens: int
    clicks: int

    def __repr__(self) -> str:
        share = lambda n: f"{n} of {self.delivered} ({n / self.delivered:.0%})" if self.delivered else f"{n}"
        return "\n".join([
            f"The {self.company} newsletter, delivered to {self.delivered} inbox{'es' if self.delivered != 1 else ''}:",
            f"  opens the ESP counts (pixel loaded):    {share(self.counted_opens)}",
            f"    of which only Apple's privacy proxy:  {self.proxy_only}",
            f"  readers who really opened it:          {share(self.real_opens)}",
            f"  readers who clicked a link:            {share(self.clicks)}"])


def stats(box, deliveries) -> Stats:
    """What the ESP counted for these deliveries (a campaign), beside what the readers really did."""
    filed = [d.received for d in deliveries if d.received is not None and d.received.verdict == "inbox"]
    codes = {m.number: re.findall(r"/o/([0-9a-f]{12})\.gif", m.part("html")) for m in filed}
    ours = {code for found in codes.values() for code in found}
    with box.lock:
        agents: dict[str, set[str]] = {}
        for hit in box.opens:
            if hit["token"] in ours:
                agents.setdefault(hit["token"], set()).add(hit["agent"])
        clicked = {hit["token"] for hit in box.clicks if hit["token"] in ours}
        real = {r["number"] for r in box.reads if r["number"] in codes}
    names = {box.config["companies"][box.config["cases"][d.case]["company"]]["name"] for d in deliveries}
    return Stats(" and ".join(sorted(names)), len(filed), len(agents),
                 sum(a == {PROXY} for a in agents.values()), len(real), len(clicked))
