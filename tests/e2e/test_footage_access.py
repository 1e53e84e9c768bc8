"""Footage access (调阅录像, REG-2) in a real browser, on the demo's 星湖广场监控室 (xinghu): the
monitor 朱文 files a request for last night's footage of a camera on a phone; recording a
viewing before the approval is refused naming REG-2 and nothing is recorded; the department
head 胡岩 approves it, named with the time; then 朱文's viewing is recorded against it and shows
on the request with who and when. No page is wider than the phone."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .helpers import login, logout, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
CENTRE = "/c/xinghu/registers"
SHANGHAI = ZoneInfo("Asia/Shanghai")
REQUESTER = "韩梅梅"  # no other test or demo entry names her


def local(delta: timedelta) -> str:
    """Now plus ``delta`` in Shanghai, as a datetime-local input takes it."""
    return (datetime.now(SHANGHAI) + delta).strftime("%Y-%m-%dT%H:%M")


def test_a_request_filed_refused_access_before_approval_approved_then_viewed__REG_2(page):
    page.set_viewport_size(PHONE)
    login(page, "zhuwen")
    page.goto(f"{CENTRE}/footage/")
    page.locator("[data-testid=new]").click()
    expect(page).to_have_url(re.compile(r"/registers/footage/new/$"))
    page.locator("#id_requester_name").fill(REQUESTER)
    page.locator("#id_requester_unit").fill("星湖派出所")
    page.locator("#id_reason").fill("二层商场顾客钱包遗失，需查看店门口录像")
    page.locator("#id_site").select_option(label="二层商场")
    page.locator("#id_camera").select_option(label="2F-01枪机 C2F01")
    page.locator("#id_span_from").fill(local(timedelta(hours=-14)))
    page.locator("#id_span_until").fill(local(timedelta(hours=-13)))
    page.locator("#id_window_from").fill(local(timedelta(minutes=-5)))
    page.locator("#id_window_until").fill(local(timedelta(days=1)))
    page.locator("[data-testid=save]").click()
    expect(page).to_have_url(re.compile(r"/registers/footage/\d+/$"))
    request_url = page.url
    expect(page.locator("[data-testid=state]")).to_have_text("待审批")
    expect(page.locator("[data-testid=retention]")).to_contain_text("录像覆盖时间")

    # a viewing before the department leader approved: refused naming REG-2, nothing recorded
    page.locator("#id_kind").select_option(label="查看")
    page.locator("[data-testid=record-access]").click()
    form = page.locator("[data-testid=access-form]")
    expect(form).to_contain_text("该申请为“待审批”")
    expect(form).to_contain_text("REG-2")
    expect(page.locator("[data-testid=access]")).to_have_count(0)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    shot(page, "footage-refused-before-approval")
    logout(page)

    # the department head approves it; the decision names him
    login(page, "huyan")
    page.goto(request_url)
    page.locator("#id_approve_decision_note").fill("同意调阅，仅限查看")
    page.locator("[data-testid=approve]").click()
    expect(page.locator("[data-testid=state]")).to_have_text("已批准")
    expect(page.locator("[data-testid=fields]")).to_contain_text("胡岩")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("批准调阅录像申请")
    logout(page)

    # now the viewing is recorded against the approved request, with who and when
    login(page, "zhuwen")
    page.goto(request_url)
    page.locator("#id_kind").select_option(label="查看")
    page.locator("#id_note").fill("与民警一同查看")
    page.locator("[data-testid=record-access]").click()
    access = page.locator("[data-testid=access]")
    expect(access).to_have_count(1)
    expect(access).to_contain_text("查看")
    expect(access).to_contain_text("朱文")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("查看了录像")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    shot(page, "footage-viewed")
