"""Real web servers on 127.0.0.1 for the demos, the exercises and the command line.

A demo is a request handler class registered with ``@demo("name")``. Each course module
registers its own demos in its own folder (``martech/modules/<module>/demos.py``); this file
only knows how to run them.

    with demo_server("web") as site:
        fetch(site.url + "/spring-sale")
"""

from __future__ import annotations

import atexit
import errno
import html
import http.server
import os
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from martech.inbrowser import on_a_computer
from martech.problems import Problem, shown
from martech.served import SHARED, Served

HOST = "127.0.0.1"

DEMOS: dict[str, type["DemoHandler"]] = {}


def demo(name: str):
    """Register a handler class as the demo called ``name``."""

    def register(cls):
        cls.demo_name = name
        DEMOS[name] = cls
        return cls

    return register


def all_demos() -> dict[str, type["DemoHandler"]]:
    """Every demo of every course module, by name."""
    from martech import modules

    modules.load_all()  # importing a module runs its @demo decorators
    return dict(sorted(DEMOS.items()))


@dataclass
class Reply:
    """What a demo answers: a status code, headers and a body."""

    status: int = 200
    body: bytes | str = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def page(title: str, body_html: str, status: int = 200, **headers: str) -> Reply:
    """A small, complete, accessible HTML page (martech/templates/page.html) around ``body_html``."""
    from markupsafe import Markup

    document = _shared.render("page.html", title=title, body=Markup(body_html))
    return Reply(status, document, headers={k.replace("_", "-"): v for k, v in headers.items()})


_shared = Served(SHARED)


class DemoHandler(http.server.BaseHTTPRequestHandler):
    """Base of every demo: answers GET and HEAD through ``respond``.

    The standard library already answers a malformed request line with 400, an over-long
    header line or too many headers with 431, and an unknown method with 501.
    """

    protocol_version = "HTTP/1.1"
    # Without this, an unreadable request line is answered HTTP/0.9 style: a bare body
    # with no status line. With it, the client gets "HTTP/1.0 400 Bad Request".
    default_request_version = "HTTP/1.0"
    # A client that stops sending half way through a request is dropped after this.
    timeout = 5
    max_body_bytes = 64 * 1024
    description = ""
    settings: dict[str, "Setting"] = {}

    def respond(self, path: str, query: dict[str, list[str]]) -> Reply:
        raise NotImplementedError

    @classmethod
    def start_companions(cls, server) -> list[str]:
        """Start what runs beside this demo's HTTP server (a DNS or an SMTP server, say), before it
        takes requests. Register each one's stop with ``server.on_close``; return one line per
        companion for ``martech serve`` to print, such as "SMTP server: 127.0.0.1:2525". The
        settings are attributes of ``cls``. Most demos have none."""
        return []

    # Same wording as the stdlib's own server header, without the Python version, so
    # that what a learner sees does not change with their Python.
    def version_string(self) -> str:
        return "martech-demo"

    def log_message(self, format: str, *args) -> None:
        if getattr(self.server, "log_requests", False):
            print(f"{self.address_string()} - {format % args}", flush=True)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_POST(self) -> None:
        length = self.headers.get("Content-Length", "0")
        if not length.isdigit():
            self.send_error(400, "Content-Length must be a number")
            return
        if int(length) > self.max_body_bytes:
            self.send_error(413, f"Request bodies are limited to {self.max_body_bytes} bytes")
            self.close_connection = True
            return
        self.request_body = self.rfile.read(int(length))
        self._answer(send_body=True)

    def _method_not_allowed(self) -> None:
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD, POST")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _method_not_allowed

    def _answer(self, send_body: bool) -> None:
        url = urlsplit(self.path)
        try:
            reply = self.respond(url.path, parse_qs(url.query))
        except Exception as error:  # a bug in a demo must not kill the server
            reply = page("Server error", f"<p>{html.escape(repr(error))}</p>", status=500)
        self.send_reply(reply, send_body)

    def send_reply(self, reply: Reply, send_body: bool = True) -> None:
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        self.send_response(reply.status)
        if body or reply.status not in (204, 304):
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and reply.status not in (204, 304):
            self.write_body(body)

    def write_body(self, body: bytes) -> None:
        self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # On Windows SO_REUSEADDR lets two servers share a port, which would hide "port busy".
    allow_reuse_address = os.name != "nt"
    log_requests = False
    tls_context: ssl.SSLContext | None = None

    def on_close(self, callback) -> None:
        """Run ``callback`` when the server closes (e.g. to stop a helper server it started)."""
        self.__dict__.setdefault("_on_close", []).append(callback)

    def server_close(self) -> None:
        super().server_close()
        for callback in self.__dict__.get("_on_close", []):
            callback()

    def get_request(self):
        sock, address = super().get_request()
        if self.tls_context:
            # The handshake happens in the request's own thread, so a client that
            # refuses our certificate cannot stall the server.
            sock = self.tls_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address) -> None:
        # Browsers that reject the demo certificate, or hang up early, are normal here.
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, ssl.SSLError, TimeoutError, socket.timeout)):
            return
        super().handle_error(request, client_address)


class PortBusy(Problem):
    pass


class UnknownDemo(Problem):
    pass


class BadSetting(Problem):
    pass


# Below 1024 a port needs administrator rights on most systems; 0 lets the system choose.
PORTS = "0 (any free port) or a whole number from 1024 to 65535, such as 8000"


@dataclass(frozen=True)
class Setting:
    """One setting of a demo: ``martech serve NAME --key value`` and ``demo_server(NAME, key=value)`` alike.

    kind: int, float or str; low/high: the range of a number, in ``unit`` ("seconds"); check: a
    function that returns what is wrong with a value, in words, or None. Every value is checked
    before the server starts.
    """

    kind: type
    default: object
    help: str
    low: float | None = None
    high: float | None = None
    unit: str = ""
    check: Callable[[object], str | None] | None = None

    def describe(self) -> str:
        if self.kind in (int, float):
            number = "a whole number" if self.kind is int else "a number"
            plain = lambda x: f"{int(x):,}" if float(x).is_integer() else f"{x:g}"
            return f"{number}{' of ' + self.unit if self.unit else ''} from {plain(self.low)} to {plain(self.high)}"
        return "text"

    def read(self, demo: str, key: str, raw) -> object:
        """``raw`` as this setting's kind, or BadSetting saying what to give instead."""
        refuse = lambda why: BadSetting(f"The {demo!r} demo's {key} setting {why}; you gave {shown(raw)}.")
        if isinstance(raw, bool) or raw is None or (self.kind is str and not isinstance(raw, str)):
            raise refuse(f"must be {self.describe()}")
        try:
            value = self.kind(raw.strip() if isinstance(raw, str) else raw)
            if self.kind is int and isinstance(raw, float) and raw != int(raw):
                raise ValueError
        except (TypeError, ValueError, OverflowError):
            raise refuse(f"must be {self.describe()}") from None
        if self.kind in (int, float) and not (self.low <= value <= self.high):  # NaN fails both
            raise refuse(f"must be {self.describe()}")
        problem = self.check and self.check(value)
        if problem:
            raise refuse(problem)
        return value


def check_port(port) -> int:
    if isinstance(port, bool) or not isinstance(port, int) or not (port == 0 or 1024 <= port <= 65535):
        raise BadSetting(f"The port must be {PORTS}; you gave {shown(port)}.")
    return port


class RunningDemo:
    """A demo server running in a background thread. Use it with ``with``, or call ``stop()``."""

    def __init__(self, name: str, port: int = 0, log_requests: bool = False, **settings):
        on_a_computer("This task starts a real web server on your computer")
        demos = all_demos()
        if name not in demos:
            raise UnknownDemo(
                f"There is no demo called {name!r}. The demos are: {', '.join(demos)}."
            )
        handler = demos[name]
        unknown = set(settings) - set(handler.settings)
        if unknown:
            known = ", ".join(handler.settings) or "none"
            raise BadSetting(f"The {name!r} demo has no setting {', '.join(sorted(unknown))} (its settings: {known}).")
        check_port(port)
        values = {key: setting.read(name, key, settings.get(key, setting.default))
                  for key, setting in handler.settings.items()}
        handler = type(handler.__name__, (handler,), values)
        try:
            self._server = _Server((HOST, port), handler)
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)) or port and error.errno == errno.EACCES:
                raise PortBusy(
                    f"Port {port} is already in use (perhaps another demo is still running). "
                    f"Stop the other program, or choose another port, e.g. --port {port + 1}."
                ) from None
            raise
        self._server.log_requests = log_requests
        self.name = name
        self.settings = values
        self.scheme = "http"
        if getattr(handler, "tls", False):
            from martech.tls import server_context

            self._server.tls_context = server_context()
            self.scheme = "https"
        self.port = self._server.server_address[1]
        self.url = f"{self.scheme}://{HOST}:{self.port}"
        try:
            self.companions = handler.start_companions(self._server)
        except BaseException:
            self._server.server_close()  # stops whichever companions had started
            raise
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        _running.add(self)

    @property
    def server(self) -> http.server.ThreadingHTTPServer:
        """The running server object; handlers see it as ``self.server``."""
        return self._server

    def stop(self) -> None:
        if self in _running:
            _running.discard(self)
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=2)

    def __enter__(self) -> "RunningDemo":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self in _running else "stopped"
        return f"<demo server {self.name!r} {state} at {self.url}/>"


_running: set[RunningDemo] = set()


@atexit.register
def _stop_all() -> None:
    for server in list(_running):
        server.stop()


def demo_server(name: str, port: int = 0, **settings) -> RunningDemo:
    """Start the demo called ``name`` on 127.0.0.1 (a free port unless ``port`` is given)."""
    return RunningDemo(name, port, **settings)


def serve_until_interrupted(name: str, port: int, **settings) -> None:
    """Run a demo in the foreground until Ctrl+C (the command line's ``martech serve``)."""
    with RunningDemo(name, port, log_requests=True, **settings) as running:
        print(f'Serving the "{name}" demo at {running.url}/')
        for line in running.companions:
            print(f"  {line}")
        print("Open that address in your browser. Press Ctrl+C to stop.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            print("\nStopped.")
