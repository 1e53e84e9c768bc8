"""Helpers of the browser tests: logging in and out through the pages, screenshots."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from playwright.sync_api import Page, expect

PASSWORD = "Zhiban#2026"  # every demo person's password (zhiban.org.demo)


def login(page: Page, username: str, password: str = PASSWORD, *, expect_ok: bool = True):
    """Log in through the login form; on success wait until the console (or `next`) is shown."""
    if "/login/" not in page.url:
        page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("[data-testid=login]").click()
    if expect_ok:
        expect(page).not_to_have_url(re.compile(r"/login/"))
        expect(page.locator("[data-testid=user-menu]")).to_be_visible()


@contextlib.contextmanager
def script_held(page: Page, pattern: str):
    """A slow phone: the page's script matching ``pattern`` arrives only when the block ends,
    so what the block does happens before that script (and those after it) ran."""
    held: list = []
    page.route(pattern, lambda route: held.append(route))
    try:
        yield
        for _ in range(300):
            if held:
                break
            page.wait_for_timeout(50)
        assert held, f"{pattern} was never asked for"
        held[0].continue_()
    finally:
        page.unroute(pattern)


def logout(page: Page):
    page.locator("[data-testid=user-menu]").click()
    page.locator("[data-testid=logout]").click()
    expect(page).to_have_url(re.compile(r"/login/"))


def shots_folder() -> Path | None:
    """Where screenshots for humans go (ZHIBAN_E2E_SHOTS), or None: then none are taken."""
    folder = os.environ.get("ZHIBAN_E2E_SHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def shot(page: Page, name: str) -> None:
    """A full-page screenshot for people to look at (only when ZHIBAN_E2E_SHOTS is set)."""
    folder = shots_folder()
    if folder is not None:
        page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays on top of the shot
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
