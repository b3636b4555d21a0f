"""A small HTTP client that shows exactly what it sends and what comes back.

It writes the request by hand on a plain socket, so the text a learner sees is the text that
travelled, byte for byte. Failures come back as a readable message, never a traceback.

    fetch("http://127.0.0.1:8000/spring-sale")
"""

from __future__ import annotations

import socket
import ssl
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from martech.inbrowser import on_a_computer

USER_AGENT = "martech-notebook"
SHOW_BODY_CHARACTERS = 400


@dataclass
class Response:
    url: str
    request_text: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    time_to_first_byte: float
    elapsed: float
    history: list["Response"] = field(default_factory=list)

    def header(self, name: str, default: str | None = None) -> str | None:
        """The value of one header, whatever its capitalisation (None if absent)."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return default

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def status_line(self) -> str:
        return f"HTTP/1.1 {self.status} {self.reason}"

    def __repr__(self) -> str:
        lines = []
        for hop in self.history:
            lines.append(f"{hop.request_text.splitlines()[0]}  →  {hop.status} {hop.reason}, Location: {hop.header('Location')}")
        if self.history:
            lines += ["(the client followed the redirect)", ""]
        lines.append("── request: what the client sent " + "─" * 20)
        lines += self.request_text.rstrip("\r\n").split("\r\n")
        lines.append("")
        lines.append("── response: what the server sent back " + "─" * 14)
        lines.append(self.status_line())
        lines += [f"{k}: {v}" for k, v in self.headers]
        lines.append("")
        body = self.text
        if len(body) > SHOW_BODY_CHARACTERS:
            body = body[:SHOW_BODY_CHARACTERS] + f"\n… ({len(self.body)} bytes in all; see .text for the rest)"
        lines.append(body)
        return "\n".join(lines)


@dataclass
class FailedFetch:
    """What came back when no response did: the reason, in plain words."""

    url: str
    reason: str
    status: None = None

    def header(self, name: str, default: str | None = None) -> str | None:
        return default

    def __repr__(self) -> str:
        return f"No response from {self.url}\n{self.reason}"


def fetch(
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: str | bytes = b"",
    resolve: dict[str, str] | None = None,
    follow_redirects: bool = False,
    trust: str | Path | None = None,
    timeout: float = 10,
) -> Response | FailedFetch:
    """Send one HTTP request and return the response.

    resolve: map a host name to an address by hand, like a hosts file
             (``{"shop.example": "127.0.0.1"}``).
    follow_redirects: follow 301/302/303/307/308 as a browser does (up to 10 hops): a POST
             becomes a GET without its body after a 301, 302 or 303, and stays a POST after a
             307 or 308; the fragment (#...) carries over unless the Location names its own.
    trust:   a certificate file to trust for HTTPS, on top of the computer's usual ones.
    """
    on_a_computer("This task fetches a page from a real web server")
    history: list[Response] = []
    headers = dict(headers or {})
    for _ in range(11):
        response = _fetch_once(url, method, headers, body, resolve or {}, trust, timeout)
        if not isinstance(response, Response) or not follow_redirects:
            return response
        location = response.header("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            response.history = history
            return response
        history.append(response)
        url = redirect_target(url, location)
        method, body, headers = redirected_request(response.status, method, body, headers)
    return FailedFetch(url, "Too many redirects (more than 10): the pages probably redirect to each other in a loop.")


# Headers that describe a request's body: they go when the body goes (Fetch Standard).
BODY_HEADERS = {"content-encoding", "content-language", "content-location", "content-type"}


def redirect_target(url: str, location: str) -> str:
    """Where a browser goes next: Location read against the current address, keeping the
    current fragment when Location has none (RFC 9110 section 10.2.2)."""
    target = urljoin(url, location)
    fragment = urlsplit(url).fragment
    if "#" not in location and fragment:
        target = f"{target}#{fragment}"
    return target


def redirected_request(status: int, method: str, body, headers: dict[str, str]):
    """The method, body and headers of the next request, as browsers do it (Fetch Standard,
    HTTP-redirect fetch): POST after 301 or 302, and anything but GET or HEAD after 303, becomes
    GET with no body; 307 and 308 send the same method and body again."""
    method = method.upper()
    if (status in (301, 302) and method == "POST") or (status == 303 and method not in ("GET", "HEAD")):
        return "GET", b"", {k: v for k, v in headers.items() if k.lower() not in BODY_HEADERS}
    return method, body, headers


def _fetch_once(url, method, headers, body, resolve, trust, timeout) -> Response | FailedFetch:
    if not isinstance(url, str):
        return FailedFetch(repr(url), "The address must be text in quotes, such as \"http://127.0.0.1:8000/\".")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return FailedFetch(url, "That is not a web address this client can fetch: it must start with http:// or https:// and name a host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return FailedFetch(url, "The port after the colon must be a number from 0 to 65535.")
    host = parts.hostname
    address = resolve.get(host, host)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    # The fragment (#...) is never sent: it stays in the browser.
    body_bytes = body.encode() if isinstance(body, str) else body
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    # A header the caller gives replaces our default of the same name, whatever its case.
    given = {k.lower() for k in headers}
    lines = [f"{method.upper()} {target} HTTP/1.1", f"Host: {host_header}"]
    lines += [f"User-Agent: {USER_AGENT}"] if "user-agent" not in given else []
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body_bytes:
        lines.append(f"Content-Length: {len(body_bytes)}")
    lines.append("Connection: close")
    request_text = "\r\n".join(lines) + "\r\n\r\n"

    started = time.perf_counter()
    try:
        sock = socket.create_connection((address, port), timeout=timeout)
    except socket.gaierror:
        return FailedFetch(url, f"DNS could not find an address for the name {host!r}.")
    except ConnectionRefusedError:
        return FailedFetch(url, f"Nothing is listening at {address} port {port}. Is the demo server running, and is the port right?")
    except (TimeoutError, socket.timeout):
        return FailedFetch(url, f"{address} port {port} did not answer within {timeout} seconds.")
    except OSError as error:
        return FailedFetch(url, f"Could not connect to {address} port {port}: {error.strerror or error}.")
    try:
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=str(trust) if trust else None)
            if trust:
                context.load_default_certs()
            try:
                sock = context.wrap_socket(sock, server_hostname=host)
            except ssl.SSLCertVerificationError as error:
                return FailedFetch(
                    url,
                    f"The server's certificate could not be verified ({error.verify_message}). "
                    "A browser shows a security warning in this case.",
                )
            except ssl.SSLError as error:
                return FailedFetch(url, f"The secure (TLS) connection failed: {error.reason or error}.")
        sock.sendall(request_text.encode("latin-1") + body_bytes)
        chunks = []
        first_byte = None
        while True:
            chunk = sock.recv(65536)
            if first_byte is None:
                first_byte = time.perf_counter()
            if not chunk:
                break
            chunks.append(chunk)
    except (TimeoutError, socket.timeout):
        return FailedFetch(url, f"The server stopped answering for more than {timeout} seconds.")
    except UnicodeEncodeError:
        return FailedFetch(url, "Headers may only contain plain (Latin-1) characters.")
    except OSError as error:
        return FailedFetch(url, f"The connection broke: {error.strerror or error}.")
    finally:
        sock.close()
    finished = time.perf_counter()
    raw = b"".join(chunks)
    head, _, rest = raw.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    status_parts = head_lines[0].split(" ", 2)
    if len(status_parts) < 2 or not status_parts[1].isdigit():
        return FailedFetch(url, "The server's answer was not HTTP.")
    response_headers = []
    for line in head_lines[1:]:
        name, _, value = line.partition(":")
        response_headers.append((name.strip(), value.strip()))
    return Response(
        url=url,
        request_text=request_text,
        status=int(status_parts[1]),
        reason=status_parts[2] if len(status_parts) > 2 else "",
        headers=response_headers,
        body=rest,
        time_to_first_byte=(first_byte or finished) - started,
        elapsed=finished - started,
    )
