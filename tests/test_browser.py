"""Which Chromium runs what: martech.browser picks it, so that no module or test chooses its own."""

import shutil

from martech.browser import chromium_path


def test_the_site_tests_take_the_headless_shell_and_the_demos_the_full_browser(monkeypatch):
    """The shell lacks the browser's settings (blocking third-party cookies, notification
    permissions) that the cookies and apps demos show, but renders the course's pages the same."""
    monkeypatch.delenv("MARTECH_CHROMIUM", raising=False)
    on_disk = {"chromium": "/usr/bin/chromium", "chromium-headless-shell": "/usr/bin/chromium-headless-shell"}
    monkeypatch.setattr(shutil, "which", on_disk.get)
    assert chromium_path() == "/usr/bin/chromium"
    assert chromium_path(shell=True) == "/usr/bin/chromium-headless-shell"
    del on_disk["chromium-headless-shell"]
    assert chromium_path(shell=True) == "/usr/bin/chromium", "no shell: the full browser, not none"
    monkeypatch.setenv("MARTECH_CHROMIUM", "/usr/bin/chromium")
    on_disk["chromium-headless-shell"] = "/usr/bin/chromium-headless-shell"
    assert chromium_path(shell=True) == "/usr/bin/chromium", "a Chromium chosen by name is used for all"
