"""Every Chromium the course starts comes from here: demos, checks, tests and benchmarks.

Prefers a Chromium already on the machine (Debian's ``chromium``, or MARTECH_CHROMIUM), and
falls back to Playwright's own download where that exists.

    launch(playwright)                       a browser; new contexts are Incognito-like
    launch_profile(playwright, preferences)  one persistent profile with Chrome preferences
    context_options("phone")                 viewport and touch for new_context()
    throttle(page, "mobile", cpu=4)          a phone-like network and CPU, through DevTools
    BrowserThread()                          a sync browser that works inside Jupyter
    async with async_chromium() as browser:  the same, for helpers a notebook awaits

Each works with Playwright's sync API and its async API (``await`` the result there).

    python -m martech.browser --check        says which browser will be used
"""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import inspect
import json
import os
import queue
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from martech.inbrowser import on_a_computer
from martech.problems import Problem

# What the in-browser exercises say if a learner calls a part of this file there (martech.inbrowser).
OPENS_A_BROWSER = "This task opens a real browser (Chromium)"

# No background traffic: the course's pages and demos must work with no network at all.
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

# Multi-site demos give servers on 127.0.0.1 names of their own (shop.example, adtech.example...).
EXAMPLE_HOSTS = "--host-resolver-rules=MAP *.example 127.0.0.1"

DEVICES = {
    "phone": {"width": 375, "height": 667, "mobile": True},
    "tablet": {"width": 768, "height": 1024, "mobile": True},
    "desktop": {"width": 1280, "height": 800, "mobile": False},
}

# Round-trip time in ms, download and upload in kbit/s. "mobile" is Lighthouse's mobile
# profile (its "Slow 4G": 150 ms, 1.6 Mbit/s down, 750 kbit/s up); the 3G rows are DevTools' presets.
NETWORKS = {
    "mobile": {"latency": 150, "down": 1638.4, "up": 750},
    "fast-3g": {"latency": 562.5, "down": 1474.56, "up": 675},
    "slow-3g": {"latency": 2000, "down": 400, "up": 400},
    "none": None,
}


class BrowserUnavailable(Problem):
    """Chromium could not start; the message says what to do."""


class BadDevice(Problem, ValueError):
    """A device, network or CPU setting that does not exist."""


def chromium_path(shell: bool = False) -> str | None:
    """A Chromium on this machine, or None to let Playwright use its own.

    shell: prefer Chromium's headless shell (Debian's chromium-headless-shell), which Playwright
    itself runs for headless pages. It is the same engine (Blink, V8, the network stack) without
    the browser around it, and uses about half the CPU; but it lacks what the browser layer adds:
    Chrome's settings, such as blocking third-party cookies, and notification permissions (the
    cookies and apps demos showed neither in it). So launch() takes the shell, launch_profile()
    the full Chromium.
    """
    names = ["chromium", "chromium-browser", "google-chrome"]
    for candidate in [os.environ.get("MARTECH_CHROMIUM")] + ["chromium-headless-shell"] * shell + names:
        if candidate and (found := shutil.which(candidate) or (Path(candidate).is_file() and candidate)):
            return str(found)
    return None


def _switches(extra_args, headless: bool) -> list[str]:
    return [a for a in ARGS if headless or a != "--headless"] + list(extra_args)


def launch(playwright, extra_args: list[str] = (), headless: bool = True, **options):
    """Start Chromium through a Playwright instance; returns a Browser.

    extra_args: more Chromium switches, e.g. [EXAMPLE_HOSTS] so that names ending in .example
    lead to 127.0.0.1. headless=False opens a window (needs a screen). Headless, it is the
    headless shell where there is one (see chromium_path).
    """
    on_a_computer(OPENS_A_BROWSER)
    return playwright.chromium.launch(
        executable_path=chromium_path(shell=headless), args=_switches(extra_args, headless),
        headless=headless, **options)


def launch_profile(playwright, preferences: dict | None = None, extra_args: list[str] = (),
                   headless: bool = True, **context_options):
    """Start the full Chromium with a new profile of its own; returns its BrowserContext.

    preferences: Chrome's Preferences file, e.g. {"profile": {"cookie_controls_mode": 1}} for
    Settings › Third-party cookies › Block. Playwright's ordinary contexts cannot carry these.
    The profile folder is removed when the context closes.
    """
    on_a_computer(OPENS_A_BROWSER)
    folder = Path(tempfile.mkdtemp(prefix="martech-profile-"))
    atexit.register(shutil.rmtree, folder, True)
    (folder / "Default").mkdir()
    (folder / "Default" / "Preferences").write_text(json.dumps(preferences or {}))
    started = playwright.chromium.launch_persistent_context(
        str(folder), executable_path=chromium_path(), args=_switches(extra_args, headless), headless=headless,
        **context_options)

    def forget(*_):
        shutil.rmtree(folder, ignore_errors=True)

    if inspect.isawaitable(started):
        async def opened():
            context = await started
            context.on("close", forget)
            return context

        return opened()
    started.on("close", forget)
    return started


def context_options(device: str | dict = "desktop", javascript: bool = True) -> dict:
    """Keyword arguments for ``browser.new_context()`` that make it look like ``device``.

    device: "phone" (375 px), "tablet" (768 px), "desktop" (1280 px), or a dict such as
    {"width": 500, "height": 700, "mobile": True}.
    """
    size = device_size(device)
    return {"viewport": {"width": size["width"], "height": size["height"]}, "is_mobile": size["mobile"],
            "has_touch": size["mobile"], "device_scale_factor": 1, "java_script_enabled": javascript}


def device_size(device: str | dict) -> dict:
    """{"width", "height", "mobile"} for a device name or dict; ValueError in plain words otherwise."""
    if isinstance(device, str):
        if device not in DEVICES:
            raise BadDevice(f"device must be one of {', '.join(DEVICES)}, or a dict with width and height")
        return DEVICES[device]
    try:
        size = {"width": int(device["width"]), "height": int(device.get("height", 700)),
                "mobile": bool(device.get("mobile", True))}
    except (TypeError, KeyError, ValueError, AttributeError):
        raise BadDevice("device must be one of phone, tablet, desktop, or a dict such as "
                         "{'width': 500, 'height': 700}") from None
    if not (200 <= size["width"] <= 4000 and 200 <= size["height"] <= 4000):
        raise BadDevice("a device's width and height must each be 200 to 4000 pixels")
    return size


def throttle(page, network: str | dict | None = "mobile", cpu: float = 1):
    """Slow ``page`` down like a phone: its network (a NETWORKS name or a dict) and its CPU (4 = four times slower).

    Goes through the DevTools protocol, as DevTools' own throttling does; returns the CDP session.
    """
    if isinstance(network, str):
        if network not in NETWORKS:
            raise BadDevice(f"network must be one of {', '.join(NETWORKS)}, or a dict with latency, down and up")
        network = NETWORKS[network]
    if not 1 <= cpu <= 20:
        raise BadDevice("cpu is how many times slower than this computer: 1 to 20")

    def steps(session):
        yield session.send("Network.enable")
        if network:
            yield session.send("Network.emulateNetworkConditions", {
                "offline": False, "latency": network["latency"],
                "downloadThroughput": network["down"] * 1000 / 8, "uploadThroughput": network["up"] * 1000 / 8})
        yield session.send("Emulation.setCPUThrottlingRate", {"rate": cpu})

    session = page.context.new_cdp_session(page)
    if inspect.isawaitable(session):
        async def run():
            opened = await session
            for step in steps(opened):
                await step
            return opened

        return run()
    for _ in steps(session):
        pass
    return session


@contextlib.asynccontextmanager
async def async_chromium(extra_args: list[str] = (), **options):
    """Chromium from Playwright's async API, stopped on the way out (for ``await``-ed helpers)."""
    on_a_computer(OPENS_A_BROWSER)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        try:
            chromium = await launch(playwright, extra_args, **options)
        except Exception as error:
            raise unavailable(error) from None
        try:
            yield chromium
        finally:
            await chromium.close()


class BrowserThread:
    """One Chromium in a thread of its own; ``run(job)`` calls ``job(state)`` there and returns its result.

    Jupyter runs cells inside an event loop, where Playwright's sync API refuses to work, so a
    notebook helper sends every browser call through this thread. ``setup(browser)`` makes the
    state handed to each job (default: the Browser itself); a state with ``close()`` is closed first.
    The browser starts on first use and again after ``close()``.
    """

    def __init__(self, setup=None, extra_args: list[str] = ()):
        on_a_computer(OPENS_A_BROWSER)
        self._setup = setup or (lambda browser: browser)
        self._extra_args = list(extra_args)
        self._jobs: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        atexit.register(self.close)

    def run(self, job, timeout: float = 90):
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="martech-chromium", daemon=True)
                self._thread.start()
            done: concurrent.futures.Future = concurrent.futures.Future()
            self._jobs.put((job, done))
        return done.result(timeout)

    def close(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                return
            done: concurrent.futures.Future = concurrent.futures.Future()
            self._jobs.put((None, done))
        try:
            done.result(15)
        except Exception:
            pass
        self._thread.join(timeout=15)

    def _loop(self) -> None:
        playwright = browser = state = None
        while True:
            job, done = self._jobs.get()
            if job is None:
                closers = (state is not browser and getattr(state, "close", None),
                           browser and browser.close, playwright and playwright.stop)
                for step in closers:
                    try:
                        step and step()
                    except Exception:
                        pass
                done.set_result(None)
                return
            try:
                if state is None:
                    try:
                        from playwright.sync_api import sync_playwright

                        playwright = sync_playwright().start()
                        browser = launch(playwright, self._extra_args)
                    except Exception as error:
                        if playwright:
                            playwright.stop()
                        playwright = None
                        raise unavailable(error) from None
                    state = self._setup(browser)
                done.set_result(job(state))
            except BaseException as error:  # handed to the caller, never lost in this thread
                done.set_exception(error)


def unavailable(error: Exception) -> BrowserUnavailable:
    """The plain-words version of "Chromium would not start"."""
    first = (str(error).splitlines() or [""])[0][:200]
    return BrowserUnavailable(f"Chromium could not start ({type(error).__name__}: {first}). "
                              "In the course folder, run `make browser`, then restart the kernel.")


def _check(shell: bool = False) -> int:
    """0 when there is a Chromium to use; with shell, only when the headless shell is there too."""
    path = chromium_path()
    if path:
        print(f"Chromium: {path}")
        found = chromium_path(shell=True)
        if found != path or os.environ.get("MARTECH_CHROMIUM"):
            print(f"Its headless shell, for headless pages: {found}")
            return 0
        print("No headless shell: headless pages run in the full Chromium, at twice the CPU.", file=sys.stderr)
        return 1 if shell else 0
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        own = playwright.chromium.executable_path
    if own and Path(own).exists():
        print(f"Browser for the tests: Playwright's Chromium at {own}")
        return 0
    print("No Chromium found: installing one.", file=sys.stderr)
    return 1


if __name__ == "__main__" and sys.argv[1:2] == ["--check"]:
    sys.exit(_check(shell="--shell" in sys.argv))
