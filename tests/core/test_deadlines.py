"""Deadlines on any record: the periodic job warns before, records the breach and escalates
through notifications; met / met late / breached is recorded."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from zhiban.core import services, tasks
from zhiban.core.models import Notification

from ..clock import fixed_clock  # noqa: F401 (fixture)

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Three hours ago on the hour: the tests travel to T0 … T0 + 2 h and then carry on in real
# time with the same login, so T0 must lie within the session's 12 hours of today.
T0 = datetime.now(SHANGHAI).replace(minute=0, second=0, microsecond=0) - timedelta(hours=3)


def setup_deadline(world, api, due=T0 + timedelta(hours=1), assignee="leader_a"):
    client = api(world.people["chief_a"])
    contact = client.post(
        "/centres/alpha/phone-contacts",
        {
            "direction": "outgoing",
            "at": T0.isoformat(),
            "our_person": world.people["chief_a"].pk,
            "party_name": "一队",
            "subject": "请现场检查",
        },
    ).json()
    r = client.post(
        "/centres/alpha/deadlines",
        {
            "object_type": "core.phonecontact",
            "object_id": contact["id"],
            "name": "检查结果回报",
            "due_at": due.isoformat(),
            "assignee": world.people[assignee].pk,
        },
    )
    assert r.status_code == 201, r.content
    return client, r.json()


def titles(person):
    return list(Notification.objects.filter(recipient=person).values_list("title", flat=True))


def test_assignee_is_told_when_a_deadline_is_set(world, api):
    with time_machine.travel(T0, tick=False):
        setup_deadline(world, api)
    assert any("检查结果回报" in t for t in titles(world.people["leader_a"]))


def test_job_warns_then_records_breach_then_escalates(world, api):
    with time_machine.travel(T0, tick=False):
        client, deadline = setup_deadline(world, api)
    url = f"/centres/alpha/deadlines/{deadline['id']}"
    leader, chief, head = (world.people[k] for k in ("leader_a", "chief_a", "head_a"))

    with time_machine.travel(T0 + timedelta(minutes=20), tick=False):
        assert services.deadlines_check() == {}  # nothing due yet
    with time_machine.travel(T0 + timedelta(minutes=31), tick=False):
        assert services.deadlines_check() == {"warn": 1}  # 30 minutes before (centre setting)
        assert client.get(url).json()["warned_at"] is not None
    with time_machine.travel(T0 + timedelta(minutes=61), tick=False):
        assert services.deadlines_check() == {"breach": 1}
        body = client.get(url).json()
        assert body["state"] == "breached" and body["escalation_level"] == 1
    assert any("breached" in t or "超期" in t for t in titles(chief))
    assert any("breached" in t or "超期" in t for t in titles(leader))
    assert not any("escalated" in t or "升级" in t for t in titles(head))
    with time_machine.travel(T0 + timedelta(minutes=125), tick=False):
        assert services.deadlines_check() == {"escalate": 1}
        assert services.deadlines_check() == {}  # each step happens once
    assert Notification.objects.filter(recipient=head, level="urgent").exists()

    met = client.post(f"{url}/meet", {"version": client.get(url).json()["version"]})
    assert met.status_code == 200 and met.json()["state"] == "met_late"


def test_deadline_met_on_time(world, api):
    with time_machine.travel(T0, tick=False):
        client, deadline = setup_deadline(world, api)
        r = client.post(
            f"/centres/alpha/deadlines/{deadline['id']}/meet", {"version": deadline["version"]}
        )
    assert r.status_code == 200 and r.json()["state"] == "met" and r.json()["met_at"]
    with time_machine.travel(T0 + timedelta(hours=3), tick=False):
        assert services.deadlines_check() == {}


def test_warning_time_follows_the_centre_setting(world, api):
    admin = api(world.people["admin_a"])
    version = admin.get("/centres/alpha").json()["version"]
    admin.patch(
        "/centres/alpha/settings", {"version": version, "values": {"deadlines.warn_minutes": 5}}
    )
    with time_machine.travel(T0, tick=False):
        setup_deadline(world, api)
    with time_machine.travel(T0 + timedelta(minutes=50), tick=False):
        assert services.deadlines_check() == {}
    with time_machine.travel(T0 + timedelta(minutes=56), tick=False):
        assert services.deadlines_check() == {"warn": 1}


def test_a_met_or_cancelled_deadline_cannot_change_again(world, api):
    with time_machine.travel(T0, tick=False):
        client, deadline = setup_deadline(world, api)
    url = f"/centres/alpha/deadlines/{deadline['id']}"
    no_reason = client.post(f"{url}/cancel", {"version": 1, "reason": "  "})
    assert no_reason.status_code == 422 and "reason" in no_reason.json()["fields"]
    assert client.post(f"{url}/cancel", {"version": 1, "reason": "任务取消"}).status_code == 200
    again = client.post(f"{url}/meet", {"version": 2})
    assert again.status_code == 409 and again.json()["code"] == "transition_refused"


def test_deadline_on_an_unknown_or_foreign_record_is_refused(world, api):
    client = api(world.people["chief_a"])
    r = client.post(
        "/centres/alpha/deadlines",
        {"object_type": "org.nothing", "object_id": 1, "name": "x", "due_at": T0.isoformat()},
    )
    assert r.status_code == 422 and "object_type" in r.json()["fields"]
    r = client.post(
        "/centres/alpha/deadlines",
        {
            "object_type": "org.site",
            "object_id": world.sites["beta_floor"].pk,
            "name": "x",
            "due_at": T0.isoformat(),
        },
    )
    assert r.status_code == 404


def test_the_jobs_run_every_minute():
    for job in (tasks.deadlines_every_minute, tasks.outbox_every_minute):
        for minute in (0, 7, 59):
            assert job.task_class().validate_datetime(datetime(2026, 1, 1, 3, minute))


def test_deadline_pages_set_and_meet(world, web, fixed_clock):  # noqa: F811
    client = web(world.people["chief_a"])
    site = world.sites["station"]
    r = client.post(
        "/c/alpha/deadlines/set/",
        {
            "object_type": "org.site",
            "object_id": site.pk,
            "name": "缺陷消除",
            "due_at": "2026-11-30T10:00",
            "assignee": "",
            "next": f"/c/alpha/org/sites/{site.pk}/",
        },
    )
    assert r.status_code == 302
    html = client.get(r["Location"]).content.decode()
    assert "缺陷消除" in html and "2026-11-30 10:00" in html  # shown in the centre's zone
    listing = client.get("/c/alpha/deadlines/").content.decode()
    assert "缺陷消除" in listing
