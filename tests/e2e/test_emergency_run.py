"""An emergency plan run (EMG-1, EMG-2) in a real browser on a phone, at the demo's
星湖广场监控室 (xinghu): the monitor 朱文 starts the theft plan for an event, ticks every item
on the phone, is refused the close naming EMG-2 while the theft report is missing, writes
the report (a wrong phone number refused beside its field), and closes the run. No page is
wider than the phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import login, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def narrow(page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_theft_plan_started_ticked_reported_and_closed_on_a_phone__EMG_1_EMG_2(page):
    page.set_viewport_size(PHONE)
    login(page, "zhuwen")
    page.goto("/c/xinghu/emergency/")
    narrow(page)
    page.locator("[data-testid=start-theft]").click()
    expect(page).to_have_url(re.compile(r"/emergency/runs/new/\?plan=\d+$"))
    page.locator("#id_event").fill("一层 108 号商铺收银台被盗")
    page.locator("[data-testid=save]").click()
    expect(page).to_have_url(re.compile(r"/emergency/runs/\d+/$"))
    expect(page.locator("[data-testid=run-state]")).to_have_text("进行中")
    narrow(page)

    items = page.locator("[data-testid=run-item]")
    count = items.count()
    assert count == 5
    for n in range(count):
        page.locator("[data-testid=tick]").first.click()
        expect(page.locator("[data-testid=run-item][data-state=ticked]")).to_have_count(n + 1)
    expect(page.locator("[data-testid=progress]")).to_have_text(f"{count}/{count}")
    narrow(page)

    page.locator("[data-testid=close]").click()
    expect(page.locator(".alert-danger:not(.zb-banner)")).to_contain_text("EMG-2")
    expect(page.locator("[data-testid=run-state]")).to_have_text("进行中")

    page.locator("#id_reporter_name").fill("王先生")
    page.locator("#id_reporter_phone").fill("12345")
    page.locator("#id_location").fill("一层 108 号商铺")
    page.locator("#id_address").fill("苏州工业园区星湖街 218 号")
    page.locator("#id_unit").fill("1F-108")
    page.locator("#id_injuries").fill("无人员受伤")
    page.locator("#id_property_damage").fill("收银台现金约 2000 元")
    page.locator("[data-testid=save-report]").click()
    expect(page.locator("[data-field=reporter_phone]")).to_contain_text("EMG-2")
    narrow(page)
    page.locator("#id_reporter_phone").fill("139 1234 5678")
    page.locator("[data-testid=save-report]").click()
    expect(page.locator("[data-testid=missing]")).to_have_count(0)

    page.locator("[data-testid=close]").click()
    expect(page.locator("[data-testid=run-state]")).to_have_text("已结束")
    expect(page.locator("[data-testid=tick]")).to_have_count(0)
    expect(page.locator("[data-testid=fields]")).to_contain_text("13912345678")
    narrow(page)
    shot(page, "emergency-run-closed")
