"""Operation tickets through the API: numbering and one task (OPS-6, OPS-15), filler and
reviewer (OPS-3), the order to operate and the call to the centre (OPS-4), locks (OPS-5),
step-by-step execution (OPS-6), void and terminate (OPS-7), anomalies (OPS-8), assessment
(OPS-14), concurrency (409) and the duty log (DUTY-7)."""

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.duty.models import LogEntry
from zhiban.ops.models import OperationTicket
from zhiban.org import services as org

from .conftest import AT, BASE, STEPS


def test_ticket_numbers_are_gap_free_per_centre_and_year_in_the_configured_format__OPS_6(flow):
    first, second = flow.ticket(), flow.ticket()
    assert (first["number"], second["number"]) == ("ALPHA-2026-00001", "ALPHA-2026-00002")
    admin = flow.as_("admin_a")
    r = admin.patch(
        "/centres/alpha/settings",
        {
            "version": admin.get("/centres/alpha").json()["version"],
            "values": {"ops.ticket_prefix": "SW", "ops.ticket_digits": 4},
        },
    )
    assert r.status_code == 200, r.content
    bad = admin.patch(
        "/centres/alpha/settings",
        {"version": r.json()["version"], "values": {"ops.ticket_prefix": "S W/"}},
    )
    assert bad.status_code == 422 and "ops.ticket_prefix" in bad.json()["fields"]
    assert flow.ticket()["number"] == "SW-2026-0003"


def test_ticket_holds_one_task_and_its_ordered_steps__OPS_15(flow):
    ticket = flow.ticket()
    assert [s["text"] for s in ticket["steps"]] == STEPS
    assert [s["seq"] for s in ticket["steps"]] == [1, 2, 3]
    assert ticket["equipment"][0]["double_name"] == "苏越线开关 751"
    r = flow.as_("field_a").post(
        f"{BASE}/tickets",
        {
            "executor": "team",
            "team": flow.w.team.pk,
            "site": flow.w.sites["station"].pk,
            "task": "",
            "steps": "",
        },
    )
    assert r.status_code == 422 and {"task", "steps"} <= set(r.json()["fields"])


def test_ticket_starts_from_a_typical_ticket_of_its_station__OPS_6(flow):
    typical = flow.as_("leader_a").post(
        f"{BASE}/typical-tickets",
        {
            "site": flow.w.sites["station"].pk,
            "name": "751转检修",
            "task": "苏越线751开关由运行转检修",
            "task_kind": "line_maintenance",
            "steps": "\n".join(STEPS),
        },
    )
    assert typical.status_code == 201, typical.content
    ticket = flow.ticket(task="", steps="", typical=typical.json()["id"])
    assert ticket["task"] == "苏越线751开关由运行转检修" and len(ticket["steps"]) == 3
    r = flow.as_("field_a").post(
        f"{BASE}/tickets",
        {
            "executor": "team",
            "team": flow.w.team.pk,
            "site": flow.g.other_station.pk,
            "typical": typical.json()["id"],
        },
    )
    assert r.status_code == 422 and "typical" in r.json()["fields"]


def test_filler_may_not_review_the_same_ticket__OPS_3(flow):
    ticket = flow.ticket(by="field_a")
    r = flow.act("field_a", ticket, "review")
    assert r.status_code == 409 and r.json()["rule"] == "OPS-3"
    assert r.json()["code"] == "same_person"
    assert flow.review(ticket, by="field2_a")["reviewed_by_id"] == flow.p["field2_a"].pk


def test_centre_ticket_filled_by_an_operator_and_reviewed_by_the_chief__OPS_3(flow):
    body = {
        "executor": "centre",
        "site": flow.w.sites["station"].pk,
        "task": "遥控合上113开关（合环）",
        "task_kind": "loop",
        "steps": "遥控合上113开关\n检查113开关确已合上",
    }
    r = flow.as_("field_a").post(f"{BASE}/tickets", body)
    assert r.status_code == 403 and r.json()["rule"] == "OPS-3"
    ticket = flow.as_("deputy_a").post(f"{BASE}/tickets", body).json()
    r = flow.act("leader_a", ticket, "review")
    assert r.status_code == 403 and r.json()["rule"] == "OPS-3"
    assert flow.review(ticket, by="chief_a")["state"] == "reviewed"


def test_team_ticket_is_filled_by_its_own_team__OPS_3(flow, world):
    from ..conftest import make_person

    other = org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"name": "二队", "kind": "operation", "active": True},
    )
    stranger = make_person(world.alpha, "field_other", "field_operator", other)
    r = flow.api(stranger).post(
        f"{BASE}/tickets",
        {
            "executor": "team",
            "team": world.team.pk,
            "site": world.sites["station"].pk,
            "task": "x",
            "steps": "y",
        },
    )
    assert r.status_code == 403 and r.json()["rule"] == "OPS-3"


def test_first_step_needs_the_centre_told__OPS_4(flow):
    ticket = flow.give_order(flow.review(flow.ticket()))
    r = flow.tick(ticket, 1)
    assert r.status_code == 409 and r.json()["rule"] == "OPS-4"
    assert r.json()["code"] == "centre_not_notified"
    ticket = flow.notify_centre(ticket)
    assert ticket["centre_notified_at"] is not None
    assert flow.tick(ticket, 1).status_code == 200


@pytest.mark.parametrize(
    "kind,equipment",
    [
        ("capacitor_maintenance", "capacitor"),
        ("transformer_maintenance", "transformer"),
        ("capacitor_cold_bus", "capacitor"),
    ],
)
def test_centre_consents_to_capacitor_or_transformer_work_only_after_the_lock__OPS_5(
    flow, kind, equipment
):
    target = getattr(flow.g, equipment)
    ticket = flow.give_order(flow.review(flow.ticket(task_kind=kind, equipment=[target.pk])))
    r = flow.act("leader_a", ticket, "notify-centre", at=AT, caller="一队")
    assert r.status_code == 409 and r.json()["rule"] == "OPS-5"
    assert target.name in r.json()["message"]
    assert (
        flow.as_("field_a")
        .post(f"{BASE}/locks", {"equipment": target.pk, "reason": "检修"})
        .status_code
        == 403
    )  # the centre locks, not the team
    lock = flow.as_("chief_a").post(f"{BASE}/locks", {"equipment": target.pk, "reason": "检修"})
    assert lock.status_code == 201, lock.content
    assert flow.notify_centre(ticket)["centre_notified_at"]


def test_capacitor_self_stop_is_done_by_the_team__OPS_5(flow):
    r = flow.as_("deputy_a").post(
        f"{BASE}/tickets",
        {
            "executor": "centre",
            "site": flow.w.sites["station"].pk,
            "task": "1号电容器自停",
            "task_kind": "capacitor_self_stop",
            "equipment": [flow.g.capacitor.pk],
            "steps": "x",
        },
    )
    assert r.status_code == 422 and "OPS-5" in r.json()["fields"]["executor"][0]


def test_steps_are_ticked_in_order_with_time_operator_and_guardian__OPS_6(flow):
    ticket = flow.ready()
    r = flow.tick(ticket, 2)
    assert r.status_code == 409 and r.json()["rule"] == "OPS-6"
    assert r.json()["code"] == "out_of_order"
    ticket = flow.tick(ticket, 1).json()
    assert ticket["state"] == "executing" and ticket["started_at"]
    step = ticket["steps"][0]
    assert step["state"] == "done" and step["done_at"]
    assert (step["done_by_id"], step["guardian_id"]) == (
        flow.p["field_a"].pk,
        flow.p["leader_a"].pk,
    )
    r = flow.tick(ticket, 1)
    assert r.status_code == 409 and r.json()["rule"] == "OPS-6"
    r = flow.tick(ticket, 2, guardian="field_a")
    assert r.status_code == 422 and "OPS-6" in r.json()["fields"]["guardian"][0]
    assert r.json()["rule"] == "OPS-6"
    for seq in (2, 3):
        ticket = flow.tick(ticket, seq).json()
    assert ticket["state"] == "completed" and ticket["ended_at"]


def test_each_step_writes_its_duty_log_entry__DUTY_7(flow):
    ticket = flow.ready()
    flow.tick(ticket, 1)
    entry = LogEntry.objects.filter(text__contains="拉开苏越线751开关").get()
    assert entry.category == "operation" and entry.author_id == flow.p["field_a"].pk
    assert ticket["number"] in entry.text


def _log_of(flow, ticket) -> list[dict]:
    """The duty log's entries about a ticket, newest first, as the chief operator reads it."""
    r = flow.as_("chief_a").get(f"{BASE}/log?limit=100")
    assert r.status_code == 200, r.content
    return [e for e in r.json()["items"] if ticket["number"] in e["text"]]


@pytest.mark.parametrize(
    "stage, by",
    [
        ("fill", "field_a"),
        ("review", "leader_a"),
        ("order", "leader_a"),
        ("notify_centre", "leader_a"),
        ("void", "field_a"),
    ],
)
def test_every_stage_of_a_ticket_writes_its_duty_log_entry__DUTY_7_OPS_4(flow, stage, by):
    """Filling, reviewing, the order, the team's call to the centre (OPS-4) and voiding each
    add an entry by whoever did it, like every step and the end (DUTY-7)."""
    ticket, before = None, []
    if stage != "fill":
        ticket = flow.ticket()
        for earlier in {
            "order": [flow.review],
            "notify_centre": [flow.review, flow.give_order],
        }.get(stage, []):
            ticket = earlier(ticket)
        before = _log_of(flow, ticket)
    ticket = {
        "fill": lambda _: flow.ticket(by=by),
        "review": flow.review,
        "order": flow.give_order,
        "notify_centre": flow.notify_centre,
        "void": lambda t: flow.ok(by, t, "void", reason="调度取消"),
    }[stage](ticket)
    after = _log_of(flow, ticket)
    assert len(after) == len(before) + 1, after
    new = next(e for e in after if e["id"] not in {b["id"] for b in before})
    assert new["category"] == "operation" and new["author_id"] == flow.p[by].pk


def test_step_texts_are_frozen_once_execution_starts__OPS_15(flow):
    ticket = flow.ticket()
    r = flow.as_("field_a").patch(
        f"{BASE}/tickets/{ticket['id']}",
        {"version": ticket["version"], "steps": "拉开苏越线751开关\n检查苏越线751开关确已拉开"},
    )
    assert r.status_code == 200 and len(r.json()["steps"]) == 2
    ticket = flow.tick(flow.ready(), 1).json()
    r = flow.as_("field_a").patch(
        f"{BASE}/tickets/{ticket['id']}", {"version": ticket["version"], "steps": "别的步骤"}
    )
    assert r.status_code == 409 and r.json()["rule"] == "OPS-7"
    assert OperationTicket.objects.get(pk=ticket["id"]).steps.first().text == STEPS[0]


def test_void_needs_a_reason_and_is_only_before_execution__OPS_7(flow):
    ticket = flow.review(flow.ticket())
    r = flow.act("field_a", ticket, "void", reason="")
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    voided = flow.ok("field_a", ticket, "void", reason="调度取消操作")
    assert voided["state"] == "voided" and voided["end_reason"] == "调度取消操作"
    running = flow.tick(flow.ready(), 1).json()
    r = flow.act("field_a", running, "void", reason="x")
    assert r.status_code == 409 and r.json()["rule"] == "OPS-7"


def test_terminate_during_execution_marks_the_rest_not_executed__OPS_7(flow):
    ticket = flow.tick(flow.ready(), 1).json()
    ended = flow.ok("leader_a", ticket, "terminate", reason="调度令终止")
    assert ended["state"] == "terminated"
    assert [s["state"] for s in ended["steps"]] == ["done", "not_done", "not_done"]
    assert OperationTicket.objects.count() == 1


def test_remote_refusal_opens_the_field_ticket_with_the_remaining_steps__OPS_7(flow):
    body = {
        "executor": "centre",
        "team": flow.w.team.pk,
        "site": flow.w.sites["station"].pk,
        "task": "苏越线751开关由运行转检修",
        "task_kind": "line_maintenance",
        "steps": "\n".join(STEPS),
    }
    ticket = flow.as_("deputy_a").post(f"{BASE}/tickets", body).json()
    ticket = flow.give_order(flow.review(ticket, by="chief_a"), by="chief_a")
    ticket = flow.tick(ticket, 1, by="deputy_a", operator="deputy_a", guardian="chief_a").json()
    ended = flow.ok("chief_a", ticket, "terminate", reason="751开关遥控拒动", remote_refused=True)
    follow = OperationTicket.objects.get(continues_id=ended["id"])
    assert follow.executor == "team" and follow.team_id == flow.w.team.pk
    assert follow.state == "draft"
    assert [s.text for s in follow.steps.all()] == STEPS[1:]


def test_anomaly_is_kept_on_the_ticket_and_in_the_duty_log__OPS_8(flow):
    ticket = flow.tick(flow.ready(), 1).json()
    r = flow.as_("field_a").post(
        f"{BASE}/tickets/{ticket['id']}/notes", {"text": "751开关分闸后A相指示灯不亮"}
    )
    assert r.status_code == 201, r.content
    assert LogEntry.objects.filter(category="anomaly", text__contains="A相指示灯").exists()


def test_only_a_finished_ticket_is_assessed__OPS_14(flow):
    ticket = flow.ticket()
    r = flow.act("head_a", ticket, "assess", qualified=True)
    assert r.status_code == 409 and r.json()["rule"] == "OPS-14"
    done = flow.ok("leader_a", ticket, "void", reason="重开")
    assessed = flow.ok("head_a", done, "assess", qualified=False)
    assert assessed["qualified"] is False


def test_two_operators_ticking_the_same_step_one_wins_the_other_gets_409(flow):
    ticket = flow.ready()
    first = flow.tick(ticket, 1, by="field_a")
    second = flow.tick(ticket, 1, by="field2_a", operator="field2_a")
    assert first.status_code == 200 and second.status_code == 409
    assert second.json()["code"] == "conflict"
    assert (
        OperationTicket.objects.get(pk=ticket["id"]).steps.get(seq=1).done_by_id
        == flow.p["field_a"].pk
    )


def test_reviewing_and_voiding_at_once_one_wins_the_other_gets_409(flow):
    ticket = flow.ticket()
    voided = flow.act("field_a", ticket, "void", reason="重开")
    reviewed = flow.act("leader_a", ticket, "review")
    assert voided.status_code == 200 and reviewed.status_code == 409
    assert reviewed.json()["code"] == "conflict"


def test_single_operation_recorded_by_whoever_did_it__OPS_12(flow):
    r = flow.as_("deputy_a").post(
        f"{BASE}/single-operations",
        {"equipment": flow.g.breaker.pk, "action": "遥控拉开", "at": AT},
    )
    assert r.status_code == 201, r.content
    assert r.json()["by_id"] == flow.p["deputy_a"].pk
    assert LogEntry.objects.filter(text__contains="苏越线开关 751 遥控拉开").exists()


def test_tickets_of_another_centre_are_not_found__ORG_3(flow):
    ticket = flow.ticket()
    assert flow.as_("admin_b").get(f"{BASE}/tickets/{ticket['id']}").status_code == 404
    r = flow.as_("admin_b").post(
        f"{BASE}/tickets/{ticket['id']}/review", {"version": ticket["version"]}
    )
    assert r.status_code == 404
