"""The demo servers: real, on 127.0.0.1, always cleaned up, and sturdy against bad requests."""

import socket
import time

import pytest

from martech.client import fetch
from martech.servers import HOST, PortBusy, UnknownDemo, all_demos, demo_server
from martech.tls import demo_certificate

DEMOS = sorted(all_demos())


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) == 0


def raw_exchange(port: int, data: bytes, tls: bool = False, wait: float = 3.0) -> bytes:
    """Send raw bytes; return whatever comes back before the server closes or `wait` passes."""
    sock = socket.create_connection((HOST, port), timeout=wait)
    if tls:
        import ssl

        context = ssl.create_default_context(cafile=str(demo_certificate()))
        sock = context.wrap_socket(sock, server_hostname="localhost")
    try:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (socket.timeout, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        sock.close()


@pytest.mark.parametrize("name", DEMOS)
def test_each_demo_answers_on_loopback_and_stops(name):
    with demo_server(name) as server:
        assert server.url.startswith(("http://127.0.0.1:", "https://127.0.0.1:"))
        response = fetch(server.url + "/", trust=demo_certificate())
        assert response.status == 200
        port = server.port
    assert not port_is_open(port), "the server kept listening after the with block"


BAD_REQUESTS = {
    "not-http": (b"THIS IS NOT HTTP\r\n\r\n", b" 400 "),
    "huge-header": (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70_000 + b"\r\n\r\n", b" 431 "),
    "huge-url": (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", b" 414 "),
    "unknown-method": (b"BREW /coffee HTTP/1.1\r\nHost: x\r\n\r\n", b" 501 "),
    "delete": (b"DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b" 405 "),
    "huge-body": (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n", b" 413 "),
    "bad-length": (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: many\r\n\r\n", b" 400 "),
    "unknown-path": (b"GET /no/such/page HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", b" 404 "),
}


@pytest.mark.parametrize("name", DEMOS)
def test_bad_requests_get_a_proper_error_and_the_server_carries_on(name):
    """One server takes every bad request in turn, and still serves its page after each."""
    wrong = []
    with demo_server(name, **({"delay": 0} if name == "slow" else {})) as server:
        tls = server.scheme == "https"
        for what, (bad_request, expected) in BAD_REQUESTS.items():
            started = time.perf_counter()
            answer = raw_exchange(server.port, bad_request, tls=tls)
            status = answer.split(b"\r\n")[0]
            if time.perf_counter() - started >= 1.0:
                wrong.append(f"{what}: the error (and the closed connection) took over a second")
            if not (status.startswith(b"HTTP/1.") and expected in status):
                wrong.append(f"{what}: wanted{expected.decode()}, got {answer[:200]!r}")
            if fetch(server.url + "/", trust=demo_certificate()).status != 200:
                wrong.append(f"{what}: the page was not served after it")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", DEMOS)
def test_a_request_cut_off_half_way_does_not_block_other_visitors(name):
    with demo_server(name) as server:
        sock = socket.create_connection((HOST, server.port))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # never finished
        response = fetch(server.url + "/", trust=demo_certificate(), timeout=3)
        assert response.status == 200, "one stalled client must not block the others"
        sock.close()


def test_stopped_even_when_the_code_inside_fails():
    with pytest.raises(ZeroDivisionError):
        with demo_server("web") as server:
            port = server.port
            1 / 0
    assert not port_is_open(port)


def test_stopped_after_a_kernel_interrupt():
    with pytest.raises(KeyboardInterrupt):
        with demo_server("web") as server:
            port = server.port
            raise KeyboardInterrupt
    assert not port_is_open(port)


def test_unknown_demo_names_the_real_ones():
    with pytest.raises(UnknownDemo, match="There is no demo called 'shoe-shop'. The demos are: .*web"):
        demo_server("shoe-shop")


def test_busy_port_says_what_to_do():
    with demo_server("web") as first:
        with pytest.raises(PortBusy, match=f"Port {first.port} is already in use.*--port {first.port + 1}"):
            demo_server("web", port=first.port)


def test_slow_demo_really_adds_latency_and_limits_bandwidth():
    with demo_server("slow", delay=0.3, rate=200_000) as server:
        small = fetch(server.url + "/file?kb=1")
        large = fetch(server.url + "/file?kb=200")
    assert 0.3 <= small.time_to_first_byte < 1.0
    assert large.elapsed >= 0.3 + 200_000 / 200_000 * 0.9, "200 KB at 200 KB/s must take about a second more"


def test_dynamic_page_escapes_what_the_visitor_typed():
    with demo_server("web") as server:
        page = fetch(server.url + "/hello?name=<script>alert(1)</script>").text
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def bad_values(setting):
    """Values a learner might type that the setting must refuse (from its own kind and range)."""
    values = [None, True, "", "abc", [1]] if setting.kind in (int, float) else [None, 3, ["x"]]
    if setting.kind in (int, float):
        values += [setting.low - 1, setting.high + 1, float("nan"), "1e999"]
    return values


@pytest.mark.parametrize("name", DEMOS)
def test_a_bad_setting_is_refused_before_the_server_starts(name):
    from martech.servers import BadSetting

    wrong = []
    for key, setting in all_demos()[name].settings.items():
        for value in bad_values(setting):
            try:
                demo_server(name, **{key: value}).stop()
                wrong.append(f"{key}={value!r} was taken")
                continue
            except BadSetting as refused:
                message = str(refused)
            if not (f"The {name!r} demo's {key} setting" in message and "you gave" in message and len(message) < 400):
                wrong.append(f"{key}={value!r}: {message}")
    assert not wrong, "\n".join(wrong)


def test_every_demo_setting_has_a_range_or_a_check():
    for name, handler in all_demos().items():
        for key, setting in handler.settings.items():
            assert setting.help and len(setting.help) > 10, f"{name} --{key} needs a plain-words help"
            if setting.kind in (int, float):
                assert setting.low is not None and setting.high is not None, f"{name} --{key} needs a range"
            else:
                assert setting.check is not None, f"{name} --{key}: text settings need a check"
            setting.read(name, key, setting.default)  # the default itself is valid


@pytest.mark.parametrize("port", [80, -1, 70000, "http", 8000.5, True])
def test_a_bad_port_is_refused(port):
    from martech.servers import BadSetting

    with pytest.raises(BadSetting, match="The port must be 0 .* or a whole number from 1024 to 65535"):
        demo_server("web", port=port)
