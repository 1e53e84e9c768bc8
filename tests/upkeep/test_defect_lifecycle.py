"""DEF-1 … DEF-3, DUTY-8 through the API: the lifecycle in its order, close refused before
verification, a grade not lowered by a temporary measure, handling only by the owner side,
overdue escalation, the duty log's other line, 404 across centres, 409 on a stale version and
422 per field on bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from zhiban.core.models import Deadline, DeadlineState, Notification
from zhiban.core.services import deadlines_check
from zhiban.duty.models import LogCategory, LogEntry
from zhiban.upkeep.models import AcceptancePoint, AcceptanceSheet, Defect, OperationCounter

BASE = "/centres/alpha/upkeep/defects"


def report(api, person, upkeep, **data):
    body = {
        "site": upkeep.sites["station"].pk,
        "equipment": upkeep.equipment["capacitor"].pk,
        "kind": "local",
        "grade": "serious",
        "phenomenon": "电容器渗油",
        **data,
    }
    r = api(person).post(BASE, body)
    assert r.status_code == 201, r.content
    return r.json()


def act(api, person, defect, action, expect=200, **body):
    r = api(person).post(f"{BASE}/{defect['id']}/{action}", {"version": defect["version"], **body})
    assert r.status_code == expect, r.content
    return r.json()


@pytest.fixture
def people(upkeep):
    return upkeep.world.people


def test_lifecycle_in_order_reported_to_closed__DEF_1(api, upkeep, people):
    d = report(api, people["field_a"], upkeep)
    assert (d["state"], d["owner"], d["routing_reason"]) == ("reported", "team", "local_team")
    assert "DEF-2" in d["routing_text"]  # why it went there, in words
    d = act(api, people["leader_a"], d, "classify", grade="serious", kind="local")
    assert d["state"] == "classified"
    d = act(api, people["leader_a"], d, "assign", assignee=people["field_a"].pk)
    assert (d["state"], d["assignee_id"]) == ("assigned", people["field_a"].pk)
    d = act(api, people["field_a"], d, "eliminate", elimination="更换密封垫")
    assert d["state"] == "eliminated"
    deadline = Deadline.objects.get(object_id=str(d["id"]), content_type__model="defect")
    assert deadline.state == DeadlineState.MET  # elimination meets the deadline
    d = act(api, people["chief_a"], d, "verify")
    assert d["state"] == "verified"
    d = act(api, people["chief_a"], d, "close")
    assert d["state"] == "closed"
    verbs = [
        e["verb"]
        for e in api(people["admin_a"]).get("/centres/alpha/audit?limit=100").json()["items"]
    ]
    for verb in ("defect.report", "defect.classify", "defect.assign", "defect.eliminate"):
        assert verb in verbs


def test_out_of_order_action_refused__DEF_1(api, upkeep, people):
    d = report(api, people["field_a"], upkeep)
    r = api(people["field_a"]).post(
        f"{BASE}/{d['id']}/eliminate", {"version": d["version"], "elimination": "x"}
    )
    assert r.status_code == 409  # a refusal, not bad input
    assert r.json()["code"] == "transition_refused"


def test_close_refused_before_verification__DEF_1(api, upkeep, people):
    d = report(api, people["field_a"], upkeep)
    d = act(api, people["leader_a"], d, "classify", grade="serious", kind="local")
    d = act(api, people["leader_a"], d, "assign", assignee=people["field_a"].pk)
    d = act(api, people["field_a"], d, "eliminate", elimination="处理完毕")
    r = api(people["chief_a"]).post(f"{BASE}/{d['id']}/close", {"version": d["version"]})
    assert r.status_code == 409
    body = r.json()
    assert body["rule"] == "DEF-1" and "DEF-1" in body["message"]
    assert Defect.objects.get(pk=d["id"]).state == "eliminated"


def test_verified_by_someone_other_than_the_eliminator__DEF_1(api, upkeep, people):
    d = report(api, people["field_a"], upkeep)
    d = act(api, people["leader_a"], d, "classify", grade="serious", kind="local")
    d = act(api, people["leader_a"], d, "assign", assignee=people["field_a"].pk)
    d = act(api, people["field_a"], d, "eliminate", elimination="处理完毕")
    r = api(people["field_a"]).post(f"{BASE}/{d['id']}/verify", {"version": d["version"]})
    assert r.status_code == 409 and r.json()["rule"] == "DEF-1"
    d = act(api, people["chief_a"], d, "reject", reason="仍有渗油")
    assert (d["state"], d["eliminated_by_id"]) == ("assigned", None)
    assert Deadline.objects.filter(object_id=str(d["id"]), state=DeadlineState.OPEN).exists()


def test_grade_not_lowered_by_a_temporary_measure__DEF_1(api, upkeep, people):
    d = report(api, people["field_a"], upkeep, grade="critical")
    d = act(api, people["field_a"], d, "measure", temporary_measure="退出运行，加强监视")
    assert d["grade"] == "critical"
    r = api(people["leader_a"]).post(
        f"{BASE}/{d['id']}/classify", {"version": d["version"], "grade": "general", "kind": "local"}
    )
    assert r.status_code == 409
    assert r.json()["code"] == "grade_not_lowered" and "DEF-1" in r.json()["message"]
    assert Defect.objects.get(pk=d["id"]).grade == "critical"
    # raising it stays allowed; without a measure the classification may correct it
    d2 = report(api, people["field_a"], upkeep, grade="critical")
    d2 = act(api, people["leader_a"], d2, "classify", grade="general", kind="local")
    assert d2["grade"] == "general"
    assert d2["due_at"] > d["due_at"]  # the deadline moved with the grade


def test_classify_with_another_kind_reroutes__DEF_2(api, upkeep, people):
    d = report(api, people["field_a"], upkeep)
    d = act(api, people["leader_a"], d, "classify", grade="serious", kind="four_remote")
    assert (d["owner"], d["team_id"], d["routing_reason"]) == ("centre", None, "monitoring_system")


def test_handling_only_by_the_owner_side__DEF_2(api, upkeep, people):
    team_defect = report(api, people["field_a"], upkeep)
    r = api(people["chief_a"]).post(
        f"{BASE}/{team_defect['id']}/classify",
        {"version": team_defect["version"], "grade": "serious", "kind": "local"},
    )
    assert r.status_code == 409 and r.json()["rule"] == "DEF-2"
    # the department head may
    act(api, people["head_a"], team_defect, "classify", grade="serious", kind="local")
    centre_defect = report(api, people["chief_a"], upkeep, kind="channel")
    r = api(people["field_a"]).post(
        f"{BASE}/{centre_defect['id']}/classify",
        {"version": centre_defect["version"], "grade": "serious", "kind": "channel"},
    )
    assert r.status_code == 409 and r.json()["rule"] == "DEF-2"
    c = act(api, people["chief_a"], centre_defect, "classify", grade="serious", kind="channel")
    # assigned only to the owner side: a team member is not one of the centre's people
    r = api(people["chief_a"]).post(
        f"{BASE}/{c['id']}/assign", {"version": c["version"], "assignee": people["field_a"].pk}
    )
    assert r.status_code == 422 and "assignee" in r.json()["fields"]
    act(api, people["chief_a"], c, "assign", assignee=people["deputy_a"].pk)


def test_overdue_escalates_to_team_leader_and_centre__DEF_3(api, upkeep, people):
    d = report(api, people["field_a"], upkeep, grade="critical")
    deadline = Deadline.objects.get(object_id=str(d["id"]), content_type__model="defect")
    assert deadline.assignee == people["leader_a"]
    due = deadline.due_at
    deadlines_check(now=due + timedelta(minutes=1))
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.BREACHED
    told = set(
        Notification.objects.filter(title__contains=d["number"]).values_list(
            "recipient__username", flat=True
        )
    )
    assert {"leader_a", "chief_a"} <= told  # the team leader and the centre
    deadlines_check(now=due + timedelta(days=2))
    told = set(
        Notification.objects.filter(title__contains=d["number"]).values_list(
            "recipient__username", flat=True
        )
    )
    assert "head_a" in told  # then the department head
    r = api(people["chief_a"]).get(f"{BASE}?overdue=true")
    assert r.status_code == 200


def test_affecting_monitoring_writes_the_duty_log_other_column__DUTY_8(api, upkeep, people):
    d = report(api, people["chief_a"], upkeep, kind="channel", affects_monitoring=True)
    line = LogEntry.objects.get(centre=upkeep.world.alpha, verb="defect.report")
    assert line.category == LogCategory.OTHER
    assert d["number"] in line.text
    report(api, people["chief_a"], upkeep)
    assert LogEntry.objects.filter(verb="defect.report").count() == 1


def test_other_centre_answers_404__ORG_3(api, upkeep, people):
    d = report(api, people["field_a"], upkeep)
    guard = people["guard_b"]
    assert api(guard).get(f"{BASE}/{d['id']}").status_code == 404
    assert api(guard).get(BASE).status_code == 404
    r = api(people["admin_b"]).post(f"/centres/beta/upkeep/defects/{d['id']}/close", {"version": 1})
    assert r.status_code in (403, 404)


def test_stale_version_answers_409__DEF_1(api, upkeep, people):
    d = report(api, people["field_a"], upkeep)
    act(api, people["leader_a"], d, "classify", grade="serious", kind="local")
    r = api(people["leader_a"]).post(
        f"{BASE}/{d['id']}/classify",
        {"version": d["version"], "grade": "critical", "kind": "local"},
    )
    assert r.status_code == 409 and r.json()["code"] == "conflict"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"site": 999999}, "site"),
        ({"grade": "trivial"}, "grade"),
        ({"kind": "weather"}, "kind"),
        ({"phenomenon": ""}, "phenomenon"),
        ({"phenomenon": "x" * 1001}, "phenomenon"),
        ({"origin": "rumour"}, "origin"),
        ({"origin": "counter", "origin_id": "999999"}, "origin_id"),
    ],
)
def test_bad_input_422_per_field__DEF_1(api, upkeep, people, body, field):
    payload = {
        "site": upkeep.sites["station"].pk,
        "kind": "local",
        "grade": "serious",
        "phenomenon": "渗油",
        **body,
    }
    r = api(people["field_a"]).post(BASE, payload)
    assert r.status_code == 422, r.content
    assert any(field in name for name in r.json()["fields"]), r.json()


def test_action_bad_input_and_missing_version_422__DESIGN_1(api, upkeep, people):
    d = report(api, people["field_a"], upkeep)
    r = api(people["leader_a"]).post(
        f"{BASE}/{d['id']}/classify", {"grade": "serious", "kind": "local"}
    )
    assert r.status_code == 422 and "version" in r.json()["fields"]
    r = api(people["leader_a"]).post(
        f"{BASE}/{d['id']}/classify", {"version": d["version"], "grade": "x", "kind": "local"}
    )
    assert r.status_code == 422 and "grade" in r.json()["fields"]


def test_counter_and_acceptance_point_note_their_defect__CNT_2_ACC_3(api, upkeep, people):
    counter = OperationCounter.objects.create(
        equipment=upkeep.equipment["capacitor"], kind="switching", count=10, limit=10
    )
    d = report(
        api,
        people["field_a"],
        upkeep,
        kind="counter_full",
        origin="counter",
        origin_id=str(counter.pk),
    )
    counter.refresh_from_db()
    assert counter.defect_id == d["id"]
    assert d["routing_reason"] == "counter_full"
    sheet = AcceptanceSheet.objects.create(  # a bare sheet: only the link is tested here
        centre=upkeep.world.alpha,
        number="YS-2026-0001",
        kind="commissioning",
        title="一号变投运验收",
        site=upkeep.sites["station"],
    )
    point = AcceptancePoint.objects.create(sheet=sheet, seq=1, name="1号主变油温")
    d = report(
        api,
        people["chief_a"],
        upkeep,
        kind="four_remote",
        origin="acceptance",
        origin_id=str(point.pk),
    )
    point.refresh_from_db()
    assert point.defect_id == d["id"]
