"""The console on a phone (390 × 844): no sideways scrolling of the page, the side navigation
folds behind the navbar toggler, wide tables scroll inside their card. Also full-page
screenshots for people to look at, when ZHIBAN_E2E_SHOTS names a folder."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import login, shots_folder

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_console_is_usable_at_phone_width(new_context):
    page = new_context(viewport=PHONE).new_page()
    login(page, "zhangwei")
    expect(page.locator("[data-testid=console]")).to_be_visible()
    assert page_width(page) <= PHONE["width"] + 1, "the console scrolls sideways"

    menu = page.locator("#sidebar-menu")
    expect(menu).to_be_hidden()
    toggler = page.locator(".zb-sidebar .navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(menu).to_be_visible()
    expect(menu).to_have_class(re.compile(r"\bshow\b"))  # opened, not still sliding open
    organisation = menu.get_by_role("link", name="组织机构")
    expect(organisation).to_be_visible()
    assert page_width(page) <= PHONE["width"] + 1, "the open menu scrolls sideways"
    organisation.click()
    expect(page).to_have_url(re.compile(r"/c/suwu/org/$"))

    page.goto("/c/suwu/org/sites/")
    table = page.locator("[data-testid=rows]")
    expect(table).to_be_visible()
    assert page_width(page) <= PHONE["width"] + 1, "the sites list scrolls sideways"
    wrapper = page.locator("#rows .table-responsive")
    overflow = wrapper.evaluate("el => getComputedStyle(el).overflowX")
    assert overflow in ("auto", "scroll"), overflow
    inner, outer = wrapper.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert inner > outer, "the table fits: the test expects a wider table than a phone"
    box = page.locator(".card").filter(has=wrapper).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    # scrolling the table moves the table, not the page
    wrapper.evaluate("el => el.scrollLeft = 200")
    assert wrapper.evaluate("el => el.scrollLeft") > 0
    assert page.evaluate("window.scrollX") == 0


def test_screenshots_for_people(new_context):
    """Console and sites list at 390 and 1920 px, in Chinese and in English (only when
    ZHIBAN_E2E_SHOTS is set; otherwise nothing to do)."""
    folder = shots_folder()
    if folder is None:
        return
    # chenjing (a chief operator like zhangwei) is used by no other test: her saved language
    # changes here.
    for language in ("zh", "en"):
        for name, viewport in (("390", PHONE), ("1920", DESKTOP)):
            page = new_context(viewport=viewport).new_page()
            login(page, "chenjing")
            if language == "en" and page.locator("html").get_attribute("lang") != "en":
                page.locator("[data-testid=language-switch] button[value=en]").click()
                expect(page.locator("html")).to_have_attribute("lang", "en")
            expect(page.locator("[data-testid=clock] .zb-clock-time")).not_to_have_text("--:--:--")
            page.screenshot(path=folder / f"console-{language}-{name}.png", full_page=True)
            page.goto("/c/suwu/org/sites/")
            expect(page.locator("[data-testid=rows]")).to_be_visible()
            page.screenshot(path=folder / f"sites-{language}-{name}.png", full_page=True)
            page.context.close()
