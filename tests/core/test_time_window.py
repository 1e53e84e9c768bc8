"""Every time given from outside lies in the centre's window (DESIGN rule 5; settings
``time.*``, rule ORG-4: the record says truly *when*), and a stored time outside it can still
be shown."""

from datetime import UTC, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from openpyxl import load_workbook

from zhiban.alarms.models import Alarm
from zhiban.core.models import NumberSequence
from zhiban.duty.models import LogEntry
from zhiban.ops.models import DispatchOrder

from ..alarms.test_alarm_console import event, gateway  # noqa: F401 (fixture)

NOW = datetime(2026, 11, 27, 15, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
END_OF_TIME = "9999-12-31T23:59:59Z"
LOG = "/centres/alpha/log"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def refusal(response, field):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid"
    message = " ".join(body["fields"][field])
    assert "ORG-4" in message, message
    return message


def test_log_entry_at_the_end_of_time_refused_naming_the_field__ORG_4(world, api, clock):
    client = api(world.people["chief_a"])
    for at in (END_OF_TIME, "2026-11-27T07:36:00Z", "2026-11-19T07:29:00Z"):
        r = client.post(LOG, {"category": "operation", "text": "远未来", "at": at})
        message = refusal(r, "at")
        assert "2026-11-20 15:30" in message and "2026-11-27 15:35" in message  # Shanghai
    assert not LogEntry.objects.exists()
    inside = client.post(LOG, {"category": "operation", "text": "刚才", "at": "2026-11-21T00:00Z"})
    assert inside.status_code == 201, inside.content


def test_log_entry_far_in_time_refused_on_the_page__ORG_4(world, web, clock):
    r = web(world.people["chief_a"]).post(
        "/c/alpha/duty/log/new/",
        {"category": "operation", "text": "远未来", "at": "9999-12-31T23:59"},
        follow=True,
    )
    assert r.status_code == 200
    assert "ORG-4" in r.content.decode()  # the message shown on the log page
    assert not LogEntry.objects.exists()


def test_datetimes_python_cannot_hold_are_422_not_500__ORG_4(world, api, clock):
    client = api(world.people["chief_a"])
    for at in ("10000-01-01T00:00:00Z", "0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59-08:00"):
        r = client.post(LOG, {"category": "operation", "text": "x", "at": at})
        assert r.status_code == 422, (at, r.content)
        assert "at" in r.json()["fields"]
    assert not LogEntry.objects.exists()


def test_the_window_is_a_setting_of_the_centre__ORG_4(world, api, clock):
    client = api(world.people["chief_a"])
    body = {"category": "operation", "text": "补记", "at": "2026-11-07T08:00:00Z"}
    refusal(client.post(LOG, body), "at")
    admin = api(world.people["admin_a"])
    version = admin.get("/centres/alpha").json()["version"]
    changed = admin.patch(
        "/centres/alpha/settings", {"version": version, "values": {"time.past_days": 30}}
    )
    assert changed.status_code == 200, changed.content
    assert client.post(LOG, body).status_code == 201


def test_pre_order_dated_2030_refused_and_no_number_taken__ORG_4(world, api, clock):
    client = api(world.people["chief_a"])
    body = {
        "dispatcher": "地调 王调度",
        "received_at": "2030-01-01T09:00:00+08:00",
        "task": "苏越线751开关由运行转检修",
        "site": world.sites["station"].pk,
        "read_back": "已复诵",
    }
    refusal(client.post("/centres/alpha/orders", body), "received_at")
    planned = {**body, "received_at": "2026-11-27T15:00:00+08:00", "planned_at": "2030-01-01"}
    refusal(client.post("/centres/alpha/orders", planned), "planned_at")
    assert not DispatchOrder.objects.exists()
    ok = client.post("/centres/alpha/orders", {**planned, "planned_at": "2026-12-01T09:00Z"})
    assert ok.status_code == 201, ok.content
    assert ok.json()["number"] == "RW-2026-0001"
    assert not NumberSequence.objects.filter(year=2030).exists()  # 2030 was never opened


def test_a_stored_time_outside_the_window_is_still_shown__ORG_4(world, web, clock):
    """A row written before the window existed (the append-only log keeps it for ever)."""
    far = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
    LogEntry.objects.create(centre=world.alpha, at=far, category="operation", text="远未来")
    client = web(world.people["chief_a"])
    for url in ("/c/alpha/", "/c/alpha/duty/", "/c/alpha/duty/log/"):
        r = client.get(url)
        assert r.status_code == 200, url
    page = client.get("/c/alpha/duty/log/").content.decode()
    assert "远未来" in page and "12-31 23:59" in page  # shown as stored (UTC)
    export = client.get("/api/centres/alpha/log.xlsx")
    assert export.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    assert any("9999-12-31" in str(c.value) for row in sheet.iter_rows() for c in row)
    assert client.get("/api/centres/alpha/log").status_code == 200


def test_gateway_event_outside_the_window_rejected_with_its_reason__ORG_4(gateway, clock):  # noqa: F811
    far, late, now = (
        event("母线失压", at=END_OF_TIME),
        event("母线失压", at="2026-11-01T00:00:00+08:00"),
        event("开关变位"),
    )
    body = gateway.post(far, late, now)
    assert [i["status"] for i in body["items"]] == ["rejected", "rejected", "accepted"]
    for item in body["items"][:2]:
        assert "ORG-4" in item["reason"] and "2026-11-27 15:35" in item["reason"], item
    assert list(Alarm.objects.values_list("signal", flat=True)) == ["开关变位"]


def test_the_template_patch_fails_loudly_if_django_moves_what_it_patches__ORG_4(monkeypatch):
    """ADR 0011: ``make_templates_safe`` (run at start-up) patches
    ``django.template.base.template_localtime``. A Django that renamed it, or that no longer
    converts through it, stops the start-up instead of failing pages with far times."""
    from django.template import base
    from django.utils import timezone

    from zhiban.core.timewindow import make_templates_safe

    make_templates_safe()  # as at start-up: patched once, proven, nothing raised

    def bypassing(value, context):  # a Django that converts without the patched name
        return str(timezone.template_localtime(value, use_tz=context.use_tz))

    monkeypatch.setattr(base, "render_value_in_context", bypassing)
    with pytest.raises(ImproperlyConfigured, match="0011-time-windows"):
        make_templates_safe()
    monkeypatch.delattr(base, "template_localtime")  # a Django that renamed it
    with pytest.raises(AttributeError):
        make_templates_safe()
