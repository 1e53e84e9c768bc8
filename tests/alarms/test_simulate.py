"""`zhiban simulate`: realistic streams built from a centre's sources, sites and equipment, sent
through the gateway's one write; the same seed replayed stores nothing new (INC-1)."""

from __future__ import annotations

import io
import json
import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from zhiban.alarms import selectors, services
from zhiban.alarms import simulate as simulate_module
from zhiban.alarms.events import parse
from zhiban.alarms.models import AccidentRecord, Alarm, AlarmEvent, AlarmState
from zhiban.core.actors import CLI, GATEWAY, Source
from zhiban.org import services as org

from ..fresh import fresh_env, zhiban


def _equipment(centre, site, kind, name, number="", parent=None):
    return org.equipment_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={
            "site": site.pk,
            "parent": parent.pk if parent else "",
            "kind": kind,
            "name": name,
            "dispatch_number": number,
            "voltage_level": "",
            "model_number": "",
            "active": True,
        },
    )


@pytest.fixture
def plant(world):
    """Two substations at alpha with lines, breakers, buses, transformers and telecontrol,
    and alpha's monitoring system as the source of events."""
    stations = [world.sites["station"]]
    stations.append(
        org.site_create(
            actor=CLI,
            source=Source.CLI,
            centre=world.alpha,
            data={"code": "S2", "name": "二号变", "kind": "substation", "active": True},
        )
    )
    for site in stations:
        bus = _equipment(world.alpha, site, "bus", "10kV I段母线")
        _equipment(world.alpha, site, "bus", "110kV I段母线")
        for n, line_name in enumerate(("甲线", "乙线")):
            line = _equipment(world.alpha, site, "line", line_name)
            _equipment(world.alpha, site, "breaker", f"{line_name}开关", f"75{n + 1}", line)
        for n in (1, 2, 3):
            _equipment(world.alpha, site, "breaker", f"10kV {n}号线开关", f"11{n}", bus)
        capacitor = _equipment(world.alpha, site, "capacitor", "1号电容器", "C1", bus)
        _equipment(world.alpha, site, "breaker", "1号电容器开关", "131", capacitor)
        transformer = _equipment(world.alpha, site, "main_transformer", "1号主变", "#1")
        _equipment(world.alpha, site, "tap_changer", "1号主变分接头", "#1", transformer)
        _equipment(world.alpha, site, "rtu", "远动装置", "RTU1")
    services.alarm_source_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"code": "alpha-scada", "name": "阿尔法监控系统", "kind": "scada", "active": True},
    )
    return world


def simulate(*args) -> str:
    out = io.StringIO()
    call_command("simulate", "--centre", "alpha", *args, stdout=out)
    return out.getvalue()


def test_storm_trips_breakers_into_accident_alarms_and_a_flood__INC_3_INC_5(plant):
    """The storm's clears come up to about 24 minutes after its start: it started half an
    hour ago, so every event lies in the window (ORG-4); the flood is seen as it was
    8 minutes in."""
    start = timezone.now() - timedelta(minutes=30)
    summary = simulate("--scenario", "storm", "--seed", "7", "--start", start.isoformat())

    assert "rejected 0" in summary
    trips = Alarm.objects.filter(centre=plant.alpha, klass="accident", signal="开关事故跳闸")
    assert trips.exists()
    assert all(t.equipment.kind == "breaker" for t in trips)
    # a record for every trip, a breaker tripping again while its alarm is open too (INC-5)
    raises = AlarmEvent.objects.filter(
        alarm_key__in=trips.values("key"), action="raise", klass="accident"
    )
    assert AccidentRecord.objects.filter(alarm__in=trips).count() == raises.count()
    protections = Alarm.objects.filter(centre=plant.alpha, signal__in=["保护动作", "重合闸动作"])
    assert set(protections.values_list("klass", flat=True)) == {"abnormal"}
    window = Alarm.objects.filter(
        centre=plant.alpha, first_at__gte=start, first_at__lt=start + timedelta(minutes=10)
    )
    assert window.count() > 10
    with time_machine.travel(start + timedelta(minutes=8), tick=False):
        assert selectors.flood(plant.alpha).on


def test_the_same_seed_twice_stores_nothing_new__INC_1(plant):
    start = (timezone.now() - timedelta(minutes=20)).isoformat()
    first = simulate("--scenario", "storm", "--seed", "3", "--start", start)
    events, alarms = AlarmEvent.objects.count(), list(Alarm.objects.values("pk", "count"))
    records = AccidentRecord.objects.count()

    again = simulate("--scenario", "storm", "--seed", "3", "--start", start)

    sent = int(first.split("sent ")[1].split(",")[0])
    assert f"accepted {sent}, duplicate 0" in first
    assert f"sent {sent}, accepted 0, duplicate {sent}, rejected 0" in again
    assert AlarmEvent.objects.count() == events
    assert list(Alarm.objects.values("pk", "count")) == alarms
    assert AccidentRecord.objects.count() == records


def test_commloss_raises_the_telecontrol_loss_and_clears_it_on_recovery__INC_6(plant):
    start = timezone.now() - timedelta(hours=3)
    simulate("--scenario", "commloss", "--seed", "5", "--start", start.isoformat())

    loss = Alarm.objects.get(centre=plant.alpha, signal="远动通信中断")
    assert loss.klass == "abnormal" and loss.equipment.kind == "rtu"
    assert loss.state == AlarmState.CLEARED_UNACKED and loss.cleared_at > loss.first_at


def test_normal_day_and_bench_streams_are_deterministic_by_seed__INC_1_INC_11(plant):
    out = io.StringIO()
    two_days_ago = (timezone.now() - timedelta(days=2)).replace(second=0, microsecond=0)
    args = ["--centre", "alpha", "--start", two_days_ago.isoformat(), "--to", "-"]
    call_command("simulate", "--scenario", "normal", "--seed", "4", *args, stdout=out)
    day = [json.loads(line) for line in out.getvalue().splitlines()]
    out2 = io.StringIO()
    call_command("simulate", "--scenario", "normal", "--seed", "4", *args, stdout=out2)
    assert out2.getvalue() == out.getvalue()
    assert {"change", "limit", "info"} <= {e["class"] for e in day}
    assert {e["action"] for e in day} == {"raise", "clear"}

    bench = io.StringIO()
    call_command(
        "simulate", "--scenario", "bench", "--count", "500", "--signals", "50", *args, stdout=bench
    )
    lines = [json.loads(line) for line in bench.getvalue().splitlines()]
    assert len(lines) == 500
    assert len({(e["site"], e["equipment"], e["signal"]) for e in lines}) == 50

    summary = simulate("--scenario", "normal", "--seed", "4", "--start", args[3])
    assert f"accepted {len(day)}, duplicate 0, rejected 0" in summary


def test_concurrent_gateways_opening_the_same_alarms_lose_nothing__INC_1(transactional_db, plant):
    """Four gateways at once, each with its own stream over the same 300 signals: every event
    is stored once and counted in its alarm (on PostgreSQL batches that may open the same
    alarm take turns; without that, one of two fails on one-open-alarm-per-key)."""
    stations = simulate_module.plant_of("alpha")
    start = timezone.now() - timedelta(hours=1)
    streams = [
        list(
            simulate_module.stream(
                stations, simulate_module.Spec("bench", seed, start, count=600, signals=300)
            )
        )
        for seed in (1, 2, 3, 4)
    ]
    barrier, failures = threading.Barrier(len(streams)), []

    def gateway(events):
        try:
            barrier.wait()
            for n in range(0, len(events), 100):
                services.events_ingest(
                    actor=GATEWAY,
                    source=Source.GATEWAY,
                    items=[parse(e) for e in events[n : n + 100]],
                )
        except Exception as error:  # reported below, with the others
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=gateway, args=(s,)) for s in streams]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert AlarmEvent.objects.count() == 2400
    alarms = Alarm.objects.filter(centre=plant.alpha)
    assert alarms.count() == 300
    assert sum(alarms.values_list("count", flat=True)) == 2400


def test_a_centre_without_breakers_cannot_have_a_storm__INC_1(world):
    with pytest.raises(CommandError, match="no active alarm source"):
        simulate("--scenario", "storm")


def test_serve_with_several_workers_needs_redis__INC_1():
    with fresh_env() as env:
        env.pop("REDIS_URL", None)
        answer = zhiban(env, "serve", "--workers", "2", "--port", "1")
    assert answer.returncode != 0 and "REDIS_URL" in answer.stderr


def test_simulated_events_are_numbered_per_source_and_one_dropped_is_a_lost_event__INC_1(
    plant, api
):
    """`zhiban simulate` numbers each source's events from 1 (``seq``), so a broker that
    drops one shows as a "lost events" alarm naming its number."""
    start = timezone.now() - timedelta(hours=1)
    spec = simulate_module.Spec(scenario="storm", seed=5, start=start, count=40)
    events = list(simulate_module.stream(simulate_module.plant_of("alpha"), spec))
    assert [e["seq"] for e in events] == list(range(1, 41))  # one source: alpha-scada
    admin = api(plant.people["admin_a"])
    body = admin.post("/events", events[:20] + events[21:]).json()
    assert body["accepted"] == 39, body
    [lost] = [a for a in admin.get("/centres/alpha/alarms").json()["items"] if a["value"] == "1"]
    assert lost["signal"] == "丢失事件" and "alpha-scada" in lost["text"] and " 21 " in lost["text"]
