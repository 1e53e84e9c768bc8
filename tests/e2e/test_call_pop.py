"""The hotline caller's card (issue 12 item 9): while 林晓 has Zhiban open on her phone, the
telephone system rings her (``POST /api/service/calls``); the caller's card shows in the
corner without a reload, turns to "on the line" when she answers, and its 开始登记 opens the
intake with the number and the call filled in. The missed call of another number shows in the
morning queue with its 回拨 button, which takes it."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from .helpers import login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_the_answering_agent_sees_the_callers_card_and_starts_the_record(page, zhiban_server):
    page.set_viewport_size(PHONE)
    login(page, "linxiao")
    page.goto("/c/kefu/service/")
    expect(page.locator("body")).to_have_attribute("data-live-state", "open", timeout=15_000)
    page.evaluate("window.__e2e_same_page = true")
    token = zhiban_server.token("admin")  # the platform's: it may send for the hotline centre
    call_id, number = f"e2e-{uuid.uuid4().hex[:8]}", "13962118808"
    ring = {"event": "newCall", "callId": call_id, "from": number, "to": "4008200365"}
    zhiban_server.api(
        "POST", "/service/calls", token, {**ring, "direction": "in", "user": ["linxiao"]}
    )
    card = page.locator("[data-testid=call-pop]")
    expect(card).to_be_visible()
    expect(card).to_contain_text("139 6211 8808")
    expect(card).to_contain_text("振铃中")
    zhiban_server.api(
        "POST", "/service/calls", token, {"event": "answer", "callId": call_id, "user": "linxiao"}
    )
    expect(card).to_contain_text("通话中")
    assert page.locator("[data-testid=call-pop]").count() == 1  # the same card, replaced
    box = card.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("window.__e2e_same_page === true"), "the page was reloaded"
    card.locator("[data-testid=pop-intake]").click()
    expect(page).to_have_url(re.compile(rf"/c/kefu/service/intake/\?phone={number}&call=\d+"))


def test_a_missed_call_waits_in_the_morning_queue_and_is_taken_with_one_button(page, zhiban_server):
    token = zhiban_server.token("admin")
    call_id = f"e2e-{uuid.uuid4().hex[:8]}"
    zhiban_server.api(
        "POST",
        "/service/calls",
        token,
        {"event": "newCall", "callId": call_id, "from": "13962118809", "direction": "in"},
    )
    zhiban_server.api(
        "POST", "/service/calls", token, {"event": "hangup", "callId": call_id, "cause": "cancel"}
    )
    page.set_viewport_size(PHONE)
    login(page, "hemei")
    page.goto("/c/kefu/service/queue/")
    missed = page.locator("[data-testid=missed-call]").filter(has_text="139 6211 8809")
    expect(missed).to_be_visible()
    missed.locator("[data-testid=call-back]").click()
    expect(page).to_have_url(re.compile(r"/c/kefu/service/intake/\?phone=13962118809&call=\d+"))
    page.goto("/c/kefu/service/queue/")
    taken = page.locator("[data-testid=missed-call]").filter(has_text="139 6211 8809")
    expect(taken.locator("[data-testid=record-callback]")).to_be_visible()
