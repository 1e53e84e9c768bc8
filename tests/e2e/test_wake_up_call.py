"""A wake-up call (叫醒服务, REG-7) in a real browser on a phone, at the demo's 金鸡湖酒店房务中心
(fangwu): the clerk 谢燕 books a call for a room; a time already past is refused naming REG-7;
the call is not answered, the second call is due and is not answered either; a floor
attendant is sent and what they found is recorded; the timeline shows every step. No page is
wider than the phone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .helpers import login, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
CENTRE = "/c/fangwu/registers"
SHANGHAI = ZoneInfo("Asia/Shanghai")
ROOM = "2315"  # no demo entry names this room


def local(delta: timedelta) -> str:
    return (datetime.now(SHANGHAI) + delta).strftime("%Y-%m-%dT%H:%M")


def narrow(page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_booked_missed_twice_then_a_floor_attendant_sent__REG_7(page):
    page.set_viewport_size(PHONE)
    login(page, "xieyan")
    page.goto(f"{CENTRE}/wake-up-calls/")
    page.locator("[data-testid=new]").click()
    expect(page).to_have_url(re.compile(r"/registers/wake-up-calls/new/$"))
    page.locator("#id_room").fill(ROOM)
    page.locator("#id_wake_at").fill(local(timedelta(hours=-1)))
    page.locator("#id_guest_name").fill("周女士")
    page.locator("#id_requested_by").fill("客人来电")
    page.locator("[data-testid=save]").click()
    expect(page.locator("[data-testid=record-form]")).to_contain_text("REG-7")  # a time past
    narrow(page)
    page.locator("#id_wake_at").fill(local(timedelta(minutes=2)))
    page.locator("[data-testid=save]").click()
    expect(page).to_have_url(re.compile(r"/registers/wake-up-calls/\d+/$"))
    expect(page.locator("[data-testid=state]")).to_have_text("待叫醒")

    # the call is not answered: the second call is due
    page.locator("#id_attempt-result").select_option(label="无人接听")
    page.locator("[data-testid=do-attempt]").click()
    expect(page.locator("[data-testid=state]")).to_have_text("待再次叫醒")
    expect(page.locator("[data-testid=attempt]")).to_have_count(1)
    expect(page.locator("[data-testid=due]")).to_contain_text("下次叫醒")

    # the second call: line busy — a floor attendant is to be sent
    page.locator("#id_attempt-result").select_option(label="占线")
    page.locator("[data-testid=do-attempt]").click()
    expect(page.locator("[data-testid=state]")).to_have_text("待派服务员")
    expect(page.locator("[data-testid=attempt]")).to_have_count(2)
    expect(page.locator("[data-testid=due]")).to_contain_text("REG-7")
    narrow(page)
    shot(page, "wake-up-send-attendant")

    page.locator("#id_attendant-attendant").fill("楼层服务员 李阿姨")
    page.locator("#id_attendant-found").fill("敲门后客人应答，已起床，手机静音未听到")
    page.locator("[data-testid=do-attendant]").click()
    expect(page.locator("[data-testid=state]")).to_have_text("服务员已上门")
    expect(page.locator("[data-testid=fields]")).to_contain_text("李阿姨")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("派楼层服务员上门")
    narrow(page)
    shot(page, "wake-up-attendant-sent")
