"""A patrol round on a phone (PAT-1, PAT-2) in a real browser, at the demo's 星湖广场监控室: the
administrator 高远 adds two checkpoints of 一层商场 and a round due now (API), the guard 马帅
opens it on a 390-px phone, starts it, confirms the first checkpoint by photographing its QR
code (a PNG drawn by segno, fed to the camera input before the page's scripts have loaded, as on a
slow phone, and decoded in the page by jsQR), records
it abnormal with a note and the hydrants counted, the second normal, and ends the round. A
photo of the other floor's code is refused naming PAT-2. No page is wider than the phone."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import segno
from playwright.sync_api import expect

from .helpers import login, script_held, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SHANGHAI = ZoneInfo("Asia/Shanghai")
PLAN = "一层商场夜间消防巡查"  # no demo plan has this name


def _qr_png(token: str) -> bytes:
    out = io.BytesIO()
    segno.make(token, error="m", micro=False).save(out, kind="png", scale=10, border=4)
    return out.getvalue()


def _hhmm(delta: timedelta) -> str:
    return (datetime.now(SHANGHAI) + delta).strftime("%H:%M")


def _checkpoint(server, token, site, name, items) -> dict:
    return server.api(
        "POST",
        "/centres/xinghu/patrols/checkpoints",
        token,
        {"site": site, "kind": "place", "name": name, "items": items},
    )


def test_a_guard_walks_a_round_on_a_phone_confirming_by_qr_code__PAT_2(page, zhiban_server):
    admin = zhiban_server.token("gaoyuan")
    sites = zhiban_server.api("GET", "/centres/xinghu/sites?limit=100", admin)["items"]
    floor = {s["code"]: s["id"] for s in sites}
    first = _checkpoint(zhiban_server, admin, floor["XH-1F"], "一层东侧消防通道", "消火栓 >= 2")
    second = _checkpoint(zhiban_server, admin, floor["XH-1F"], "一层卷帘门", "卷帘门下无杂物")
    elsewhere = _checkpoint(zhiban_server, admin, floor["XH-2F"], "二层西侧消防通道", "")
    zhiban_server.api(
        "POST",
        "/centres/xinghu/patrols/plans",
        admin,
        {
            "name": PLAN,
            "kind": "window",
            "window_starts": _hhmm(timedelta(minutes=-10)),
            "window_ends": _hhmm(timedelta(minutes=50)),
            "role": "guard",
            "checkpoints": [first["id"], second["id"]],
        },
    )
    assert zhiban_server.api("POST", "/centres/xinghu/patrols/generate", admin)["added"] >= 1

    page.set_viewport_size(PHONE)
    login(page, "mashuai")
    page.goto("/c/xinghu/patrols/")
    page.locator("[data-testid=open-rounds] [data-testid=round-row]", has_text=PLAN).click()
    expect(page).to_have_url(re.compile(r"/patrols/rounds/\d+/$"))
    # a slow phone: the scanner's scripts arrive after the guard has taken the photo
    with script_held(page, "**/vendor/jsqr/jsQR.js"):
        page.locator("[data-testid=start]").click()
        expect(page.locator("[data-testid=round-state]")).to_have_text("巡视中")
        # a photo of another floor's code: decoded in the page, refused naming PAT-2
        page.locator("[data-testid=qr-camera]").set_input_files(
            {"name": "code.png", "mimeType": "image/png", "buffer": _qr_png(elsewhere["token"])}
        )
    expect(page.locator("[data-testid=refusal]")).to_contain_text("PAT-2")
    expect(page.locator("[data-testid=refusal]")).to_contain_text("二层西侧消防通道")

    # the first checkpoint's code: confirmed
    page.locator("[data-testid=qr-camera]").set_input_files(
        {"name": "code.png", "mimeType": "image/png", "buffer": _qr_png(first["token"])}
    )
    card = page.locator(f"[data-testid=check][data-checkpoint='{first['id']}']")
    expect(card.locator("[data-testid=confirmed]")).to_be_visible()
    shot(page, "patrol-round-confirmed")

    # the confirmed checkpoint is the one open: abnormal, with a note and the hydrants counted
    expect(card).to_have_attribute("data-focus", "")
    card.locator("[data-testid=result-abnormal]").click()
    card.locator("[data-testid=count]").fill("2")
    card.locator("[data-testid=note-input]").fill("2号消火栓箱门损坏")
    card.locator("[data-testid=save-result]").click()
    card = page.locator(f"[data-testid=check][data-checkpoint='{first['id']}']")
    expect(card).to_have_attribute("data-result", "abnormal")
    expect(card.locator("[data-testid=note]")).to_have_text("2号消火栓箱门损坏")
    expect(page.locator("[data-testid=open-incident]")).to_be_visible()

    # the next checkpoint without a result opens by itself
    other = page.locator(f"[data-testid=check][data-checkpoint='{second['id']}']")
    expect(other).to_have_attribute("data-focus", "")
    other.locator("[data-testid=save-result]").click()
    expect(
        page.locator(f"[data-testid=check][data-checkpoint='{second['id']}']")
    ).to_have_attribute("data-result", "normal")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

    page.locator("[data-testid=end]").click()
    expect(page.locator("[data-testid=round-state]")).to_have_text("已完成")
    expect(page.locator("[data-testid=end]")).to_have_count(0)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    shot(page, "patrol-round-ended")
