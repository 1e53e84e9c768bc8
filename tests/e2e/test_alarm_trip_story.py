"""The alarm story in a real browser: a breaker trip sent by the monitoring system appears
live on the centre's open console, is acknowledged there, becomes an incident, and its accident
record is completed (INC-1, INC-2, INC-4, INC-5)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .helpers import login, shot

pytestmark = pytest.mark.e2e

SIGNAL = "开关偷跳"  # a spurious trip: accident class on a breaker, so it drafts a record


def _send_trip(zhiban_server) -> None:
    event = {
        "source": "suwu-scada",
        "id": f"e2e-{uuid.uuid4().hex}",
        "at": datetime.now(UTC).isoformat(),
        "site": "YX110",
        "equipment": "752",
        "signal": SIGNAL,
        "class": "accident",
        "value": "分",
        "text": "越溪变 吴东线开关 752 偷跳",
    }
    gateway = zhiban_server.token("gw-suwu-scada", ["suwu-scada"])
    answer = zhiban_server.api("POST", "/events", gateway, [event])
    assert answer["accepted"] == 1, answer


def test_a_simulated_trip_appears_live_is_acknowledged_and_recorded__INC_1_INC_2_INC_5(
    new_context, zhiban_server
):
    page = new_context().new_page()
    login(page, "chenjing")
    page.goto("/c/suwu/alarms/")
    expect(page.get_by_test_id("alarm-console")).to_be_visible()
    page.get_by_test_id("key-legend").click()  # a person has interacted: sound may play

    _send_trip(zhiban_server)  # the console is not reloaded: the row arrives over the socket
    row = page.get_by_test_id("alarm-row").filter(has_text=SIGNAL)
    expect(row).to_be_visible()
    expect(row).to_have_attribute("data-klass", "accident")
    expect(page.get_by_test_id("accident-cue")).to_be_visible()
    shot(page, "alarms-trip-live")

    row.get_by_test_id("ack").click()  # INC-2: acknowledged by chenjing
    expect(row.get_by_test_id("ack")).to_have_count(0)
    expect(row).to_contain_text("陈静")

    row.get_by_test_id("alarm-link").click()
    expect(page.get_by_test_id("occurrences")).to_contain_text("分")
    page.get_by_test_id("open-incident").click()  # INC-4: the incident groups the alarm
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("incident-alarms")).to_contain_text(SIGNAL)
    expect(page.get_by_test_id("playbook")).to_be_visible()
    shot(page, "alarms-trip-incident")

    page.get_by_test_id("accident-link").first.click()
    form = page.get_by_test_id("accident-form")  # INC-5: the draft is prefilled
    expect(form.locator("[name=breakers]")).to_have_value("吴东线开关 752")
    page.get_by_test_id("complete").click()  # refused: the centre has not filled it in yet
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_contain_text("INC-5")

    form = page.get_by_test_id("accident-form")
    form.locator("[name=kind]").select_option("transient_line")
    form.locator("[name=description]").fill("雷击造成吴东线开关 752 跳闸，重合成功")
    form.locator("[name=protection]").fill("距离I段保护动作，重合闸动作")
    form.locator("[name=cause]").fill("雷击")
    form.locator("[name=voltage_level]").select_option("110kV")
    form.locator("[name=dispatcher]").fill("地调 王工")
    form.locator("[name=dispatcher_at]").fill(
        datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M")
    )
    form.locator("[name=superiors]").fill("运维部 李军")
    form.locator("[name=operator]").select_option(label="陈静")
    form.locator("[name=superiors_at]").fill(
        datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M")
    )
    page.get_by_test_id("save").click()
    page.get_by_test_id("complete").click()
    expect(page.get_by_test_id("accident-state")).to_contain_text("已完成")
    expect(page.get_by_test_id("accident-form")).to_have_count(0)  # read-only now
    shot(page, "alarms-trip-accident-record")
