"""EMG-1: an alarm of a kind a plan names starts a run of that plan (a fire panel's alarm
starts the fire plan), unless one is running already; the run names its alarm. The alarms
app calls the registered hook after its commit (alarms/hooks.py)."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from zhiban.alarms import services as alarms
from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role

from ..conftest import make_person
from .conftest import BASE

SERIAL = itertools.count(1)


@pytest.fixture
def fire_panel(world, api):
    for code, kind in (("beta-fire", "fire"), ("beta-video", "video")):
        alarms.alarm_source_create(
            actor=CLI,
            source=Source.CLI,
            centre=world.beta,
            data={"code": code, "name": code, "kind": kind, "active": True},
        )
    client = api(make_person(world.beta, "gateway_b", Role.GATEWAY))

    def send(source: str, signal: str, klass: str = "accident"):
        event = {
            "source": source,
            "id": f"ev-{next(SERIAL):05d}",
            "at": timezone.localtime().isoformat(),
            "site": "F1",
            "signal": signal,
            "class": klass,
        }
        r = client.post("/events", [event])
        assert r.status_code == 200 and r.json()["accepted"] == 1, r.content

    return send


def _runs(api, person) -> list[dict]:
    return api(person).get(f"{BASE}/emergency-runs").json()["items"]


def test_a_fire_panel_alarm_starts_the_fire_plan_once__EMG_1(
    world, api, fire_plan, theft_plan, fire_panel, django_capture_on_commit_callbacks
):
    guard = world.people["guard_b"]
    with django_capture_on_commit_callbacks(execute=True):
        fire_panel("beta-video", "一层人员聚集")
    assert _runs(api, guard) == []  # no plan names video analytics
    with django_capture_on_commit_callbacks(execute=True):
        fire_panel("beta-fire", "一层3号烟感火警")
    [run] = _runs(api, guard)
    assert run["plan_id"] == fire_plan["id"]
    assert run["started_by_id"] is None
    assert run["alarm_id"] is not None
    assert "一层3号烟感火警" in run["event"]
    assert [i["text"] for i in run["items"]] == [i["text"] for i in fire_plan["items"]]
    with django_capture_on_commit_callbacks(execute=True):
        fire_panel("beta-fire", "二层5号烟感火警")
    assert len(_runs(api, guard)) == 1  # already running: not started again


def test_the_alarm_started_run_shows_on_the_console_and_in_the_handover__EMG_1(
    world, web, fire_plan, fire_panel, django_capture_on_commit_callbacks
):
    from zhiban.duty import handover_sources
    from zhiban.duty.models import ItemKind

    with django_capture_on_commit_callbacks(execute=True):
        fire_panel("beta-fire", "一层3号烟感火警")
    console = web(world.people["guard_b"]).get("/c/beta/").content.decode()
    assert 'data-testid="running-run"' in console
    assert "0/3" in console or "0 of 3" in console or "0 / 3" in console
    things = [t for t in handover_sources.gather(world.beta) if t.kind == ItemKind.EMERGENCY]
    assert len(things) == 1
    assert things[0].blocks is False
    assert fire_plan["name"] in things[0].text
