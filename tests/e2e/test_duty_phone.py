"""The duty page on a 390-px phone: its title keeps the width of the screen instead of being
squeezed beside the page's buttons, and the page does not scroll sideways (issue 11 item 4)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_duty_page_title_is_not_squeezed_on_a_phone(new_context):
    page = new_context(viewport=PHONE).new_page()
    login(page, "zhangwei")
    page.goto("/c/suwu/duty/")
    title = page.locator(".page-title")
    expect(title).to_be_visible()
    assert title.bounding_box()["width"] > 200, title.bounding_box()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
