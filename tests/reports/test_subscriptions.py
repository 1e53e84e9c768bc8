"""Subscriptions and scheduled delivery (RPT-1): people subscribe an address or a chat robot
to the monthly report or the daily log through the API or the pages; the job puts one outbox
message per subscription and period with the report's link, once however often it runs; a
target that keeps failing is retried by the outbox, then recorded and reported."""

from __future__ import annotations

from datetime import datetime, timedelta

import time_machine
from django.core import mail

from zhiban.core import services as core
from zhiban.core.models import Notification, OutboxMessage
from zhiban.reports import tasks
from zhiban.reports.models import Delivery, Subscription

from ..clock import SHANGHAI

BASE = "/centres/alpha/reports/subscriptions"
DEC_1_MORNING = datetime(2026, 12, 1, 7, 0, tzinfo=SHANGHAI)


def subscribe(api, person, **body):
    return api(person).post(BASE, {"report": "monthly", "channel": "email", **body})


def test_subscribe_change_and_cancel_through_the_api__RPT_1(world, api):
    chief = world.people["chief_a"]
    made = subscribe(api, chief, target="duty@example.com")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["target"] == "duty@example.com" and body["created_by_id"] == chief.pk
    # per-field refusals
    bad = subscribe(api, chief, target="not an address")
    assert bad.status_code == 422 and "(RPT-1)" in bad.json()["fields"]["target"][0]
    robot = subscribe(api, chief, channel="wecom", target="duty@example.com")
    assert robot.status_code == 422 and "target" in robot.json()["fields"]
    unknown = subscribe(api, chief, channel="pigeon", target="x@example.com")
    assert unknown.status_code == 422 and "channel" in unknown.json()["fields"]
    twice = subscribe(api, chief, target="duty@example.com")
    assert twice.status_code == 422 and "target" in twice.json()["fields"]
    # only report.subscribe may, and only in scope
    assert subscribe(api, world.people["deputy_a"], target="d@example.com").status_code == 403
    assert subscribe(api, world.people["admin_b"], target="b@example.com").status_code == 404
    assert api(world.people["admin_b"]).get(f"{BASE}/{body['id']}").status_code == 404
    # a change names the version read
    changed = api(chief).patch(f"{BASE}/{body['id']}", {"version": 1, "report": "daily_log"})
    assert changed.status_code == 200 and changed.json()["report"] == "daily_log"
    stale = api(chief).patch(f"{BASE}/{body['id']}", {"version": 1, "active": False})
    assert stale.status_code == 409
    assert Subscription.objects.get().active is True
    cancelled = api(chief).post(f"{BASE}/{body['id']}/cancel", {"version": 2})
    assert cancelled.status_code == 204 and not Subscription.objects.exists()
    assert api(chief).get(BASE).json() == []


def test_subscribe_and_cancel_on_the_reports_home__RPT_1(world, web):
    client = web(world.people["chief_a"])
    home = client.get("/c/alpha/reports/").content.decode()
    assert 'data-testid="subscription-form"' in home
    bad = client.post(
        "/c/alpha/reports/subscriptions/new/",
        {"report": "daily_log", "channel": "feishu", "target": "ftp://x", "active": "on"},
    )
    assert bad.status_code == 422 and "机器人的 Webhook 地址" in bad.content.decode()
    done = client.post(
        "/c/alpha/reports/subscriptions/new/",
        {"report": "daily_log", "channel": "email", "target": "head@example.com", "active": "on"},
    )
    assert done.status_code == 302
    home = client.get("/c/alpha/reports/").content.decode()
    assert "head@example.com" in home
    subscription = Subscription.objects.get()
    stale = client.post(
        f"/c/alpha/reports/subscriptions/{subscription.pk}/",
        {"version": 7, "report": "monthly", "channel": "email", "target": "head@example.com"},
    )
    assert stale.status_code == 409
    gone = client.post(f"/c/alpha/reports/subscriptions/{subscription.pk}/cancel/", {"version": 1})
    assert gone.status_code == 302 and not Subscription.objects.exists()
    # who may not subscribe sees the list without the form
    page = web(world.people["field_a"]).get("/c/alpha/reports/").content.decode()
    assert 'data-testid="subscriptions"' in page and 'data-testid="subscription-form"' not in page


def test_delivery_sends_each_report_once_per_period_with_its_link__RPT_1(world, api, robot):
    chief = world.people["chief_a"]
    with time_machine.travel(DEC_1_MORNING - timedelta(hours=3), tick=False):
        subscribe(api, chief, target="head@example.com")
        subscribe(api, chief, report="daily_log", channel="wecom", target=f"{robot.url}/hook")
        # before 06:00 in the centre's zone nothing is due
        assert tasks.reports_deliver_hourly.call_local() == {"monthly": 0, "daily_log": 0}
    with time_machine.travel(DEC_1_MORNING, tick=False):
        assert tasks.reports_deliver_hourly.call_local() == {"monthly": 1, "daily_log": 1}
        assert tasks.reports_deliver_hourly.call_local() == {"monthly": 0, "daily_log": 0}
        messages = {m.channel: m for m in OutboxMessage.objects.filter(state="pending")}
        assert set(messages) == {"email", "wecom"} and OutboxMessage.objects.count() == 2
        assert "/c/alpha/reports/monthly/2026-11.pdf" in messages["email"].body
        assert messages["email"].target == "head@example.com"
        assert "/c/alpha/reports/daily/2026-11-30/pdf/" in messages["wecom"].body
        assert core.outbox_deliver_due() == {"deliver": 2}
    assert "/c/alpha/reports/monthly/2026-11.pdf" in mail.outbox[0].body
    robot.wait_for("/c/alpha/reports/daily/2026-11-30/pdf/")
    # the next morning: the next daily log, no second monthly report
    with time_machine.travel(DEC_1_MORNING + timedelta(days=1), tick=False):
        assert tasks.reports_deliver_hourly.call_local() == {"monthly": 0, "daily_log": 1}
    assert list(Delivery.objects.order_by("period").values_list("period", flat=True)) == [
        datetime(2026, 11, 1).date(),
        datetime(2026, 11, 30).date(),
        datetime(2026, 12, 1).date(),
    ]
    listed = api(chief).get(BASE).json()
    assert all(s["last_sent_at"] for s in listed)


def test_bouncing_robot_is_retried_then_recorded_and_reported__RPT_1(
    world, api, web, robot, settings
):
    settings.ZHIBAN_OUTBOX_MAX_ATTEMPTS = 2
    robot.status = 500
    chief = world.people["chief_a"]
    with time_machine.travel(DEC_1_MORNING, tick=False):
        made = subscribe(api, chief, channel="dingtalk", target=f"{robot.url}/robot/send")
        assert tasks.reports_deliver_hourly.call_local()["monthly"] == 1
        assert core.outbox_deliver_due() == {"fail": 1}  # retried by the outbox
        assert tasks.report_bounces_every_10_minutes.call_local() == 0
    with time_machine.travel(DEC_1_MORNING + timedelta(minutes=5), tick=False):
        assert core.outbox_deliver_due() == {"give_up": 1}
        assert tasks.report_bounces_every_10_minutes.call_local() == 1
        assert tasks.report_bounces_every_10_minutes.call_local() == 0  # reported once
    assert len(robot.received) == 2
    subscription = Subscription.objects.get(pk=made.json()["id"])
    assert subscription.last_failed_at is not None and "500" in subscription.last_error
    note = Notification.objects.get(recipient=chief, title__contains=subscription.target)
    assert "RPT-1" in note.title and note.link == "/c/alpha/reports/#subscriptions"
    shown = api(chief).get(f"{BASE}/{subscription.pk}").json()
    assert shown["last_failed_at"] and "500" in shown["last_error"]
    page = web(chief).get(f"/c/alpha/reports/subscriptions/{subscription.pk}/").content.decode()
    assert 'data-testid="subscription-error"' in page
    # the job running again does not send the same month twice
    with time_machine.travel(DEC_1_MORNING + timedelta(hours=1), tick=False):
        assert tasks.reports_deliver_hourly.call_local()["monthly"] == 0
    assert Delivery.objects.count() == 1
