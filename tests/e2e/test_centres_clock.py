"""The centre switcher, centre scoping of pages (ORG-3), and the centre clock (DESIGN rule 5:
times are shown in the centre's time zone)."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .helpers import login

pytestmark = pytest.mark.e2e


def test_centre_switcher_lists_the_persons_centres_ORG_3(page, new_context):
    """lijun (manager in two centres) switches from 苏吴 to 星湖, and may see them side by side
    (RPT-4); zhangwei sees only his centre, and another centre's console is a 404 for him (ORG-3: scope does not leak)."""
    login(page, "lijun")
    page.goto("/c/suwu/")
    switcher = page.locator("[data-testid=centre-switcher]")
    expect(switcher).to_contain_text("苏吴监控中心")
    switcher.locator("button").click()
    items = switcher.locator("a.dropdown-item[href^='/c/']")
    expect(items).to_have_count(2)
    expect(switcher.get_by_test_id("centres-side-by-side-link")).to_be_visible()  # RPT-4
    expect(items.filter(has_text="苏吴监控中心")).to_be_visible()
    expect(items.filter(has_text="星湖广场监控室")).to_be_visible()
    items.filter(has_text="星湖广场监控室").click()
    expect(page).to_have_url(re.compile(r"/c/xinghu/$"))
    expect(page.locator(".page-title")).to_have_text("星湖广场监控室")
    expect(switcher.locator("button")).to_contain_text("星湖广场监控室")

    other = new_context().new_page()
    login(other, "zhangwei")
    switcher = other.locator("[data-testid=centre-switcher]")
    switcher.locator("button").click()
    items = switcher.locator(".dropdown-item")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("苏吴监控中心")
    expect(items.first).to_be_visible()

    answer = other.goto("/c/xinghu/")
    assert answer is not None and answer.status == 404
    expect(other.locator("[data-testid=error-message]")).to_be_visible()
    expect(other.locator("body")).not_to_contain_text("星湖广场监控室")  # nothing leaks
    expect(other.locator("[data-testid=console]")).to_have_count(0)


def test_clock_shows_the_centres_time_zone_not_the_browsers(new_context):
    """A browser in New York still sees Asia/Shanghai time in the top bar clock."""
    page = new_context(timezone_id="America/New_York").new_page()
    login(page, "zhangwei")
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "America/New_York"
    clock = page.locator("[data-testid=clock]")
    expect(clock).to_have_attribute("data-tz", "Asia/Shanghai")
    shown = clock.locator(".zb-clock-time")
    expect(shown).to_have_text(re.compile(r"^\d{2}:\d{2}:\d{2}$"))
    text = shown.inner_text()
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    hour, minute = int(text[:2]), int(text[3:5])
    difference = abs((hour * 60 + minute) - (now.hour * 60 + now.minute))
    difference = min(difference, 24 * 60 - difference)  # around midnight
    assert difference <= 1, f"clock shows {text}, Shanghai time is {now:%H:%M:%S}"
    browser_clock = page.evaluate(
        "new Date().toLocaleTimeString('en-GB', {hour12: false})"
    )  # New York time
    assert browser_clock[:2] != text[:2], "the test needs the two zones to differ"
