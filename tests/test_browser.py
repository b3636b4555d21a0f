"""Which Chromium runs what: martech.browser picks it, so that no module or test chooses its own."""

import shutil

from martech.browser import chromium_path


def test_headless_pages_take_the_headless_shell_and_profiles_the_full_browser(monkeypatch):
    """The shell lacks the browser's settings (blocking third-party cookies, notification
    permissions) that the cookies and apps demos show through launch_profile, but renders pages
    the same, at half the CPU."""
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


def test_launch_takes_the_shell_and_a_profile_with_settings_the_full_chromium(monkeypatch, tmp_path):
    from types import SimpleNamespace

    from martech import browser

    monkeypatch.delenv("MARTECH_CHROMIUM", raising=False)
    monkeypatch.setattr(shutil, "which", {"chromium": "/full", "chromium-headless-shell": "/shell"}.get)
    started = []

    def record(*_, executable_path, **__):
        started.append(executable_path)
        return SimpleNamespace(on=lambda *_: None)

    playwright = SimpleNamespace(chromium=SimpleNamespace(launch=record, launch_persistent_context=record))
    browser.launch(playwright)
    browser.launch(playwright, headless=False)
    browser.launch_profile(playwright, {"profile": {"cookie_controls_mode": 1}})
    assert started == ["/shell", "/full", "/full"]
