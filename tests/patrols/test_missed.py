"""Missed rounds (PAT-3): a round not done by its window's end is missed in one pass for all
plans, the shift leaders are told, the completion shows it per plan, person and shift; the
handover and the console list missed and unfinished rounds (DUTY-3)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhiban.core.actors import SCHEDULER, Source
from zhiban.core.models import Notification
from zhiban.duty import handover_sources
from zhiban.duty.models import ItemKind
from zhiban.patrols import services
from zhiban.patrols.models import PatrolRound

from ..clock import FIXED


def test_a_round_not_done_in_its_window_is_missed_and_the_leader_told__PAT_3(patrol, api):
    with time_machine.travel(FIXED + timedelta(minutes=31), tick=False):
        marked = services.rounds_mark_missed(actor=SCHEDULER, source=Source.JOB)
    assert marked >= 1
    assert PatrolRound.objects.get(pk=patrol.round.pk).state == "missed"
    note = Notification.objects.get(recipient=patrol.leader)
    assert "PAT-3" in note.title and "一层巡楼" in note.body
    assert not Notification.objects.filter(recipient=patrol.world.people["guard_b"]).exists()
    again = services.rounds_mark_missed(
        actor=SCHEDULER, source=Source.JOB, now=FIXED + timedelta(minutes=31)
    )
    assert again == 0
    figures = api(patrol.leader).get("/centres/beta/patrols/completion").json()
    per_plan = {row["label"]: row for row in figures["plan"]}
    assert per_plan["一层巡楼"]["missed"] == 1 and per_plan["一层巡楼"]["percent"] == 0


def test_missed_detection_is_two_queries_for_all_plans__PAT_3(patrol):
    """However many plans and centres: one select of the late rounds, one update."""
    late = FIXED + timedelta(hours=6)  # both floor rounds and the station round have ended
    with CaptureQueriesContext(connection) as queries:
        marked = services.rounds_mark_missed(actor=SCHEDULER, source=Source.JOB, now=late)
    assert marked == 3
    touching = [q["sql"] for q in queries if 'patrols_patrolround"' in q["sql"].split("WHERE")[0]]
    assert len(touching) == 2, touching
    assert {r.centre.code for r in PatrolRound.objects.filter(state="missed")} == {"alpha", "beta"}


def test_a_done_round_counts_for_its_walker_and_shift__PAT_3(patrol, api):
    guard = api(patrol.world.people["guard_b"])
    base = f"/centres/beta/patrols/rounds/{patrol.round.pk}"
    version = guard.post(f"{base}/start", {"version": patrol.round.version}).json()["version"]
    for point in (patrol.points["hydrants"], patrol.points["shutters"]):
        body = {"version": version, "checkpoint": point.pk, "result": "normal", "counts": {"1": 2}}
        version = guard.post(f"{base}/check", body).json()["version"]
    assert guard.post(f"{base}/end", {"version": version}).status_code == 200
    figures = guard.get("/centres/beta/patrols/completion?since=2026-11-28&until=2026-11-28").json()
    per_person = {row["label"]: row for row in figures["person"]}
    assert per_person["Guard_B"]["done"] == 1
    page = __import__("django.test", fromlist=["Client"]).Client()
    page.force_login(patrol.leader, backend="django.contrib.auth.backends.ModelBackend")
    r = page.get("/c/beta/patrols/completion/?since=2026-11-28&until=2026-11-28")
    assert r.status_code == 200 and "Guard_B" in r.content.decode()
    bad = page.get("/c/beta/patrols/completion/?since=9999-12-31&until=0001-01-01")
    assert bad.status_code == 200


def test_rounds_in_progress_and_missed_join_the_handover_without_blocking__DUTY_3(patrol, api):
    guard = api(patrol.world.people["guard_b"])
    guard.post(
        f"/centres/beta/patrols/rounds/{patrol.round.pk}/start", {"version": patrol.round.version}
    )
    things = [t for t in handover_sources.gather(patrol.world.beta) if t.kind == ItemKind.PATROL]
    assert [t.ref.pk for t in things] == [patrol.round.pk]
    assert not any(t.blocks for t in things)


def test_the_console_shows_due_walking_and_missed_rounds__PAT_3(patrol, web):
    client = web(patrol.world.people["guard_b"])
    r = client.get("/c/beta/")
    assert r.status_code == 200
    page = r.content.decode()
    assert 'data-testid="console-patrols"' in page and "一层巡楼" in page
