"""Accident records (事故记录, INC-5): a breaker trip through ``POST /api/events`` opens a draft
prefilled with station, equipment, time, the operator on duty and the breaker, and counts on
the breaker's trip counter — once, however often the event is replayed; the centre completes
the record (refused naming every missing field), after which it is read-only; a trip seen
without an alarm is written by hand. Through the API and the pages."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from zhiban.alarms import services as alarms
from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.duty.models import RosterEntry
from zhiban.org import services as org

from ..conftest import make_person
from ..duty.conftest import DAY, NOW, pattern, place

BASE = "/centres/alpha/accidents"
TRIP_AT = NOW - timedelta(minutes=10)
TO_COMPLETE = {
    "kind",
    "description",
    "protection",
    "cause",
    "voltage_level",
    "dispatcher",
    "dispatcher_at",
    "superiors",
    "superiors_at",
}


def iso(dt) -> str:
    return timezone.localtime(dt).isoformat()


def trip(event_id: str = "scada-000123") -> dict:
    return {
        "source": "alpha-scada",
        "id": event_id,
        "at": iso(TRIP_AT),
        "site": "S1",
        "equipment": "751",
        "signal": "开关事故跳闸",
        "class": "accident",
        "value": "分",
    }


@pytest.fixture
def clock():
    """Shanghai, 2026-11-27 15:30, in the early shift (as the duty tests)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def plant(world, api, clock):
    """Alpha's SCADA and a gateway account, breaker 751 at 一号变, and chief_a signed in to
    the early shift (正值) when the breaker trips."""
    alarms.alarm_source_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"code": "alpha-scada", "name": "阿尔法监控系统", "kind": "scada", "active": True},
    )
    breaker = org.equipment_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={
            "site": world.sites["station"].pk,
            "kind": "breaker",
            "name": "苏吴线开关",
            "dispatch_number": "751",
            "voltage_level": "110kV",
            "active": True,
        },
    )
    entry = place(
        world.alpha,
        pattern(world.alpha, "早班", "08:00", "16:00"),
        DAY,
        world.people["chief_a"],
        "正值",
    )
    clock.move_to(NOW.replace(hour=7, minute=50))  # before the shift, so before the trip
    r = api(world.people["chief_a"]).post(
        f"/centres/alpha/roster/{entry.pk}/sign-in", {"version": 1}
    )
    assert r.status_code == 200, r.content
    clock.move_to(NOW)
    gateway = api(make_person(world.alpha, "gateway_a", Role.GATEWAY))
    return gateway, breaker


def records(api, person, query: str = "") -> list[dict]:
    r = api(person).get(f"{BASE}{query}")
    assert r.status_code == 200, r.content
    return r.json()["items"]


def test_a_trip_opens_one_prefilled_draft_and_counts_once__INC_5(world, api, plant):
    gateway, breaker = plant
    assert gateway.post("/events", [trip()]).json()["accepted"] == 1
    [record] = records(api, world.people["chief_a"])
    assert record["state"] == "draft"
    assert record["site_id"] == world.sites["station"].pk and record["equipment_id"] == breaker.pk
    assert datetime.fromisoformat(record["occurred_at"]) == TRIP_AT
    assert record["operator_id"] == world.people["chief_a"].pk  # signed in to the shift then
    assert record["breakers"] == "苏吴线开关 751" and record["voltage_level"] == "110kV"
    assert record["trips"] == 1 and record["alarm_id"]
    # replayed (a restarted gateway): stored once, no second record, not counted twice
    assert gateway.post("/events", [trip()]).json()["duplicate"] == 1
    [again] = records(api, world.people["chief_a"])
    assert again["id"] == record["id"] and again["trips"] == 1


def test_completing_names_every_missing_field_then_the_record_is_read_only__INC_5(
    world, api, plant
):
    gateway, _breaker = plant
    gateway.post("/events", [trip()])
    [record] = records(api, world.people["chief_a"])
    client = api(world.people["deputy_a"])
    url = f"{BASE}/{record['id']}"
    r = client.post(f"{url}/complete", {"version": record["version"]})
    assert r.status_code == 422 and r.json()["rule"] == "INC-5"
    assert set(r.json()["fields"]) == TO_COMPLETE - {"voltage_level"}  # prefilled
    late = client.patch(
        url, {"version": record["version"], "dispatcher_at": iso(TRIP_AT - timedelta(hours=1))}
    )
    assert late.status_code == 422 and "dispatcher_at" in late.json()["fields"]
    stale = client.patch(url, {"version": record["version"] + 1, "cause": "雷击"})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    r = client.patch(
        url,
        {
            "version": record["version"],
            "kind": "transient_line",
            "description": "苏吴线751开关跳闸，重合成功",
            "protection": "距离I段保护动作，重合闸动作成功",
            "cause": "雷击",
            "dispatcher": "地调 王调度",
            "dispatcher_at": iso(TRIP_AT + timedelta(minutes=3)),
        },
    )
    assert r.status_code == 200, r.content
    version = r.json()["version"]
    r = client.post(f"{url}/complete", {"version": version})
    assert r.status_code == 422 and set(r.json()["fields"]) == {"superiors", "superiors_at"}
    r = client.patch(
        url,
        {
            "version": version,
            "superiors": "运维部经理 李军",
            "superiors_at": iso(TRIP_AT + timedelta(minutes=8)),
        },
    )
    assert r.status_code == 200, r.content
    done = client.post(f"{url}/complete", {"version": r.json()["version"]})
    assert done.status_code == 200 and done.json()["state"] == "completed"
    after = client.patch(url, {"version": done.json()["version"], "cause": "鸟害"})
    assert after.status_code == 409 and after.json()["rule"] == "INC-5"
    assert client.post(f"{url}/complete", {"version": done.json()["version"]}).status_code == 409
    assert records(api, world.people["chief_a"], "?state=completed")[0]["cause"] == "雷击"
    assert records(api, world.people["chief_a"], "?state=draft") == []


def test_a_trip_seen_without_an_alarm_is_written_by_hand_and_counted__INC_5(world, api, plant):
    _gateway, breaker = plant
    client = api(world.people["chief_a"])
    body = {
        "site": world.sites["station"].pk,
        "equipment": breaker.pk,
        "occurred_at": iso(TRIP_AT),
    }
    r = client.post(BASE, body)
    assert r.status_code == 201, r.content
    assert r.json()["state"] == "draft" and r.json()["trips"] == 1
    assert r.json()["breakers"] == "苏吴线开关 751"  # the breaker's double name
    assert r.json()["operator_id"] == world.people["chief_a"].pk
    elsewhere = org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"code": "S2", "name": "二号变", "kind": "substation", "active": True},
    )
    r = client.post(BASE, {**body, "site": elsewhere.pk})
    assert r.status_code == 422 and "equipment" in r.json()["fields"]
    assert api(world.people["field_a"]).post(BASE, body).status_code == 403
    assert api(world.people["guard_b"]).get(BASE).status_code == 404


def test_an_incident_opened_from_the_trip_holds_its_accident_record__INC_4_INC_5(world, api, plant):
    gateway, _breaker = plant
    gateway.post("/events", [trip()])
    [record] = records(api, world.people["chief_a"])
    r = api(world.people["chief_a"]).post(
        "/centres/alpha/incidents", {"alarms": [record["alarm_id"]], "opened_at": iso(TRIP_AT)}
    )
    assert r.status_code == 201, r.content
    assert r.json()["kind"] == "emergency" and "开关事故跳闸" in r.json()["title"]
    assert records(api, world.people["chief_a"])[0]["incident_id"] == r.json()["id"]


def test_accident_record_pages_list_complete_and_lock__INC_5(world, api, web, plant):
    gateway, _breaker = plant
    gateway.post("/events", [trip()])
    [record] = records(api, world.people["chief_a"])
    client = web(world.people["chief_a"])
    listing = client.get("/c/alpha/alarms/accidents/?state=draft").content.decode()
    assert "苏吴线开关 751" in listing
    page = f"/c/alpha/alarms/accidents/{record['id']}/"
    html = client.get(page).content.decode()
    assert 'data-testid="trip-count"' in html and 'data-testid="accident-form"' in html
    r = client.post(f"{page}complete/", {"version": record["version"]}, follow=True)
    assert "(INC-5)" in r.content.decode()  # what is missing, as a message
    local = timezone.localtime(TRIP_AT + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    r = client.post(
        f"{page}edit/",
        {
            "version": record["version"],
            "kind": "bus",
            "breakers": "苏吴线开关 751",
            "description": "110kV母线故障，母差保护动作",
            "protection": "母差保护动作",
            "cause": "母线支柱绝缘子闪络",
            "voltage_level": "110kV",
            "dispatcher": "地调 王调度",
            "dispatcher_at": local,
            "superiors": "何平主任",
            "superiors_at": local,
            "operator": world.people["chief_a"].pk,
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    r = client.post(f"{page}complete/", {"version": record["version"] + 1})
    assert r.status_code == 302
    html = client.get(page).content.decode()
    assert 'data-testid="accident-form"' not in html and 'data-testid="complete"' not in html
    assert records(api, world.people["chief_a"])[0]["state"] == "completed"


# --- repeated trips (INC-5, CNT-1) and the operator on duty then (INC-5, DUTY-5) ------------------


def test_a_repeated_trip_while_the_alarm_is_open_drafts_another_record_and_counts__INC_5_CNT_1(
    world, api, web, plant
):
    """Issue 11 item 1: the breaker trips again while the first trip's accident alarm is open
    (not acknowledged, not cleared): a second draft for the new event, the counter at 2 — and
    a third trip in one batch with a fourth counts each."""
    gateway, _breaker = plant
    assert gateway.post("/events", [trip("scada-1")]).json()["accepted"] == 1
    again = {**trip("scada-2"), "at": iso(TRIP_AT + timedelta(minutes=2))}
    assert gateway.post("/events", [again]).json()["accepted"] == 1
    drafts = records(api, world.people["chief_a"])
    assert len(drafts) == 2 and {r["state"] for r in drafts} == {"draft"}
    assert len({r["alarm_id"] for r in drafts}) == 1  # one open alarm, counted twice
    assert sorted(datetime.fromisoformat(r["occurred_at"]) for r in drafts) == [
        TRIP_AT,
        TRIP_AT + timedelta(minutes=2),
    ]
    assert {r["trips"] for r in drafts} == {2}
    alarm = api(world.people["chief_a"]).get(f"/centres/alpha/alarms/{drafts[0]['alarm_id']}")
    assert alarm.json()["count"] == 2 and alarm.json()["state"] == "unacked"
    assert alarm.json()["accident_record_ids"] == [  # each trip's record, first trip first
        r["id"] for r in sorted(drafts, key=lambda r: r["occurred_at"])
    ]
    page = web(world.people["chief_a"]).get(f"/c/alpha/alarms/{drafts[0]['alarm_id']}/")
    assert page.content.decode().count('data-testid="accident-record"') == 2
    both = [{**trip(f"scada-{n}"), "at": iso(TRIP_AT + timedelta(minutes=n))} for n in (3, 4)]
    assert gateway.post("/events", both).json()["accepted"] == 2
    assert {r["trips"] for r in records(api, world.people["chief_a"])} == {4}


def test_the_draft_names_the_operator_on_duty_at_the_trip_not_one_signed_out__INC_5(
    world, api, plant, clock
):
    """Issue 11 item 4: chief_a (早班 正值) hands over to chief_in (中班 正值) at 15:36, before
    the early shift ends at 16:00, and signs out at 15:40. A trip at 15:45 names chief_in; a
    trip of 15:34 written by hand afterwards names chief_a, on duty then."""
    from ..duty.test_handover import acknowledge_all, check_all, get, offer, prepare, sign_in

    gateway, breaker = plant
    chief_in = make_person(world.alpha, "chief_in", "chief_operator", name="接班正值")
    middle = place(
        world.alpha, pattern(world.alpha, "中班", "16:00", "00:00"), DAY, chief_in, "正值"
    )
    sign_in(api, chief_in, middle)
    out, inc = api(world.people["chief_a"]), api(chief_in)
    h = offer(out, check_all(out, prepare(api, world.people["chief_a"])))
    clock.move_to(NOW + timedelta(minutes=6))
    acknowledge_all(inc, get(inc, h))
    r = inc.post(f"/centres/alpha/handovers/{h['id']}/accept", {"version": get(inc, h)["version"]})
    assert r.status_code == 200, r.content
    clock.move_to(NOW + timedelta(minutes=10))
    early = RosterEntry.objects.get(person=world.people["chief_a"])
    r = out.post(f"/centres/alpha/roster/{early.pk}/sign-out", {"version": early.version})
    assert r.status_code == 200, r.content
    clock.move_to(NOW + timedelta(minutes=20))
    later = {**trip("scada-9"), "at": iso(NOW + timedelta(minutes=15))}
    assert gateway.post("/events", [later]).json()["accepted"] == 1
    [drafted] = records(api, chief_in)
    assert drafted["operator_id"] == chief_in.pk
    body = {
        "site": world.sites["station"].pk,
        "equipment": breaker.pk,
        "occurred_at": iso(NOW + timedelta(minutes=4)),
    }
    r = inc.post(BASE, body)
    assert r.status_code == 201, r.content
    assert r.json()["operator_id"] == world.people["chief_a"].pk
