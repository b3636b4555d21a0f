"""The demo server of module "email-systems". Start it with ``martech serve email-sandbox``.

``email-sandbox`` runs three real servers on 127.0.0.1: a DNS server with the sandbox's records,
an SMTP server that plays a mailbox provider (it checks SPF, DKIM and DMARC), and this HTTP server.
The HTTP side is the provider's webmail (the inbox, each message and its verdict), a page to edit
the DNS records, and the ESP's tracking host (open pixel, click links, one-click unsubscribe).

What it serves is in served/, as files: edit the pages there, not here.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from martech.modules.email_systems import receiver, tracking, zone
from martech.modules.email_systems.lab import lint
from martech.modules.email_systems.sandbox import Sandbox
from martech.modules.email_systems.sender import send_case
from martech.problems import Problem
from martech.served import Served
from martech.servers import DemoHandler, PortBusy, Reply, Setting, demo, page

files = Served(__file__)
NO_STORE = {"Cache-Control": "no-store"}
# The inbox shows each message's HTML in a sandboxed frame: no scripts, images from here only.
MESSAGE_POLICY = {"Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
                  **NO_STORE}


def _port(value: int) -> str | None:
    return None if value == 0 or value >= 1024 else "must be 0 (any free port) or from 1024 to 65535"


@demo("email-sandbox")
class EmailSandboxHandler(DemoHandler):
    description = "a DNS server, an SMTP receiver that checks SPF, DKIM and DMARC, and its inbox (email-systems)"
    settings = {
        "dns_port": Setting(int, 0, "port of the sandbox's DNS server, UDP and TCP (0: any free port; else 1024 or more, as lower ports need the administrator)", 0, 65535,
                            check=_port),
        "smtp_port": Setting(int, 0, "port of the sandbox's SMTP server, the mailbox provider's MX (0: any free port; else 1024 or more)",
                             0, 65535, check=_port),
    }
    dns_port = 0
    smtp_port = 0

    @classmethod
    def start_companions(cls, server) -> list[str]:
        box = server.sandbox = Sandbox()
        box.http_port = server.server_address[1]
        for kind, start, wanted in (("DNS", lambda p: zone.start_dns(box.zone, p), cls.dns_port),
                                    ("SMTP", lambda p: receiver.start_smtp(box, p), cls.smtp_port)):
            try:
                port, stop = start(wanted)
            except OSError:
                raise PortBusy(f"Port {wanted} for the sandbox's {kind} server is already in use: choose another "
                               f"--{kind.lower()}_port, or 0 for any free port.") from None
            server.on_close(stop)
            setattr(box, f"{kind.lower()}_port", port)
        return [f"DNS server (UDP and TCP): 127.0.0.1:{box.dns_port}",
                f"SMTP server, the MX of inbox.example: 127.0.0.1:{box.smtp_port}"]

    @property
    def box(self) -> Sandbox:
        return self.server.sandbox

    def form(self) -> dict[str, str]:
        fields = parse_qs((getattr(self, "request_body", b"") or b"").decode("utf-8", "replace"))
        return {key: values[0] for key, values in fields.items()}

    def respond(self, path, query):
        post = self.command == "POST"
        if path == "/inbox.css":
            return Reply(body=files.bytes("pages/inbox.css"), content_type="text/css; charset=utf-8")
        if path == "/":
            return self.inbox(notice=(query.get("notice") or [""])[0][:200])
        if path == "/send" and post:
            return self.send(self.form().get("case", ""))
        if path == "/dns":
            return self.dns(self.form() if post else None)
        if path == "/stats":
            return Reply(body=files.render("pages/stats.html", title="What the ESP counted", box=self.box,
                                           stats=self.campaigns()),
                         headers=NO_STORE)
        found = re.fullmatch(r"/message/(\d{1,6})(\.eml)?", path)
        if found:
            return self.message(int(found.group(1)), raw=bool(found.group(2)))
        found = re.fullmatch(r"/o/([0-9a-f]{12})\.gif", path)
        if found and tracking.record_open(self.box, found.group(1), self.headers.get("User-Agent", "")[:120]):
            return Reply(body=tracking.PIXEL, content_type="image/gif", headers=NO_STORE)
        found = re.fullmatch(r"/c/([0-9a-f]{12})/(\d{1,2})", path)
        if found:
            target = tracking.click_target(self.box, found.group(1), found.group(2), self.headers.get("User-Agent", "")[:120])
            if target:
                return Reply(302, b"", headers={"Location": target, **NO_STORE})
        found = re.fullmatch(r"/unsubscribe/([0-9a-f]{12})", path)
        if found:
            return self.unsubscribe(found.group(1), post)
        if path == "/account/login":
            if post:   # the wrong way: a login wall, whatever the POST said
                return Reply(302, b"", headers={"Location": "/account/login?next=/preferences", **NO_STORE})
            return Reply(body=files.render("pages/login.html", title="Log in to manage your preferences"))
        return page("Page not found", '<p>There is no page at this address. The inbox is at <a href="/">/</a>.</p>',
                    status=404)

    def campaigns(self) -> list:
        """Every newsletter sent so far, company by company."""
        with self.box.lock:
            sent = list(self.box.deliveries)
        by_company = {}
        for delivery in sent:
            spec = self.box.config["cases"][delivery.case]
            if spec["template"] == "newsletter":
                by_company.setdefault(spec["company"], []).append(delivery)
        return [tracking.stats(self.box, deliveries) for _, deliveries in sorted(by_company.items())]

    def inbox(self, notice: str = "", status: int = 200) -> Reply:
        box = self.box
        with box.lock:
            messages, refusals = list(box.messages), list(box.refusals[-10:])
        return Reply(status, files.render("pages/inbox.html", title="The sandbox's inbox", messages=messages,
                                          refusals=refusals, cases=box.config["cases"], notice=notice, box=box),
                     headers=NO_STORE)

    def send(self, case: str) -> Reply:
        if case not in self.box.config["cases"]:
            return self.inbox("Choose one of the cases in the list, then press Send.", status=400)
        spec = self.box.config["cases"][case]
        delivery = send_case(self.box, case, spec, spec["to"])
        if delivery.received is not None:
            return Reply(303, b"", headers={"Location": f"/message/{delivery.received.number}"})
        return self.inbox(f"{case}: {delivery.code} {delivery.reply}")

    def message(self, number: int, raw: bool) -> Reply:
        found = self.box.message(number)
        if found is None:
            return page("No such message", f"<p>The sandbox has no message {number}. See <a href=\"/\">the inbox</a>.</p>",
                        status=404)
        if raw:
            return Reply(body=found.raw, content_type="text/plain; charset=utf-8", headers=NO_STORE)
        host_pattern = r"https://links\.(?:harbourbooks|fernleaf)\.example/"
        html = re.sub(host_pattern, "/", found.part("html"))   # as webmail proxies images and wraps links
        return Reply(body=files.render("pages/message.html", title=f"Message {number}: {found.verdict}", m=found,
                                       html=html, text=found.part("plain")), headers=MESSAGE_POLICY)

    def dns(self, submitted: dict | None) -> Reply:
        notes, problem, status = [], "", 200
        if submitted is not None:
            try:
                name = zone.check_editable(submitted.get("name", ""))
                value = zone.check_value(submitted.get("value", ""), "TXT")
                self.box.zone.replace(name, "TXT", [value])
                notes = [f"Published {name} TXT \"{value}\". The next message is judged by it.", *lint(name, value)]
            except Problem as refused:
                problem, status = str(refused), 400
        tables = {domain: self.box.zone.lines(domain) for domain in zone.OWN_DOMAINS}
        return Reply(status, files.render("pages/dns.html", title="The sandbox's DNS records", tables=tables,
                                          notes=notes, problem=problem, submitted=submitted or {}), headers=NO_STORE)

    def unsubscribe(self, code: str, post: bool) -> Reply:
        known = self.box.tokens.get(code)
        if known is None:
            return page("Unknown link", "<p>This unsubscribe link is not one the ESP sent.</p>", status=404)
        if not post:  # RFC 8058: a GET never unsubscribes, since link scanners fetch every link
            return Reply(body=files.render("pages/unsubscribe.html", title="Unsubscribe?", known=known, code=code,
                                           done=False), headers=NO_STORE)
        body = getattr(self, "request_body", b"")
        one_click = tracking.is_one_click(body, self.headers.get("Content-Type", ""))
        if not one_click and self.form().get("confirm") != "yes":
            return page("Nothing to do", "<p>Send List-Unsubscribe=One-Click, or press the button on the page.</p>",
                        status=400)
        tracking.unsubscribe(self.box, code, "one click, by the mailbox provider" if one_click else "on the web page")
        return Reply(body=files.render("pages/unsubscribe.html", title="You are unsubscribed", known=known, code=code,
                                       done=True), headers=NO_STORE)
