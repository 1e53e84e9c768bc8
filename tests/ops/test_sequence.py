"""Sequence control (顺控) run by the centre: only for pure line-maintenance tasks (OPS-9); its
interruption stamps the executed steps, forwards the rest to the field team, who wait for the
dispatcher's consent, and refuses a new sequence command; the dispatcher's abort becomes an
incident (OPS-10); no "completed successfully" in time breaches its deadline (OPS-11)."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from zhiban.core import services as core_services
from zhiban.core.models import Deadline, Notification, PhoneContact
from zhiban.duty.models import LogEntry
from zhiban.ops.models import OperationTicket

from ..duty.test_handover import check_all, prepare
from .conftest import BASE, STEPS

INTERRUPTION = {
    "cause": "communication_lost",
    "reported_to": "地调 王调度",
    "device_state": "751开关在分位，7513闸刀在合位",
    "reason": "顺控执行中通信中断",
}


def sequence_ticket(flow, **extra) -> dict:
    """A sequence-control ticket of the centre, filled by the deputy, reviewed and ordered by
    the chief (OPS-3)."""
    body = {
        "executor": "centre",
        "team": flow.w.team.pk,
        "site": flow.w.sites["station"].pk,
        "task": "苏越线751开关由运行转检修",
        "task_kind": "line_maintenance",
        "equipment": [flow.g.breaker.pk],
        "steps": "\n".join(STEPS),
        "sequence_control": True,
        **extra,
    }
    r = flow.as_("deputy_a").post(f"{BASE}/tickets", body)
    assert r.status_code == 201, r.content
    return flow.give_order(flow.review(r.json(), by="chief_a"), by="chief_a")


def centre_tick(flow, ticket, step) -> dict:
    r = flow.tick(ticket, step, by="deputy_a", operator="deputy_a", guardian="chief_a")
    assert r.status_code == 200, r.content
    return r.json()


def interrupted(flow) -> tuple[dict, OperationTicket]:
    ticket = centre_tick(flow, sequence_ticket(flow), 1)
    ended = flow.ok("chief_a", ticket, "interrupt", **INTERRUPTION)
    return ended, OperationTicket.objects.get(continues_id=ended["id"])


def as_dict(flow, follow) -> dict:
    return flow.as_("chief_a").get(f"{BASE}/tickets/{follow.pk}").json()


def test_sequence_control_is_only_for_pure_line_maintenance_by_the_centre__OPS_9(flow):
    r = flow.as_("deputy_a").post(
        f"{BASE}/tickets",
        {
            "executor": "centre",
            "site": flow.w.sites["station"].pk,
            "task": "1号主变由运行转检修",
            "task_kind": "transformer_maintenance",
            "steps": "\n".join(STEPS),
            "sequence_control": True,
        },
    )
    assert r.status_code == 422 and "OPS-9" in r.json()["fields"]["sequence_control"][0]
    assert r.json()["rule"] == "OPS-9"  # named in rule, not only inside the field's message


def test_sequence_control_refused_while_the_station_has_a_work_ticket__OPS_9(flow, work):
    ordered = sequence_ticket(flow)  # filled and ordered while the station was free
    work.receive()
    r = flow.tick(ordered, 1, by="deputy_a", operator="deputy_a", guardian="chief_a")
    assert r.status_code == 409
    assert r.json()["rule"] == "OPS-9" and r.json()["code"] == "station_has_work_ticket"
    r = flow.as_("deputy_a").post(
        f"{BASE}/tickets",
        {
            "executor": "centre",
            "site": flow.w.sites["station"].pk,
            "task": "苏越线751开关由运行转检修",
            "task_kind": "line_maintenance",
            "steps": "\n".join(STEPS),
            "sequence_control": True,
        },
    )
    assert r.status_code == 409 and r.json()["rule"] == "OPS-9"
    assert flow.ticket()["state"] == "draft"  # the team's own ticket is fine


def test_interruption_stamps_executed_steps_and_forwards_the_rest_to_the_team__OPS_10(flow):
    ticket = centre_tick(flow, sequence_ticket(flow), 1)
    incomplete = flow.act("chief_a", ticket, "interrupt", cause="communication_lost")
    assert incomplete.status_code == 422
    assert {"reported_to", "device_state", "reason"} <= set(incomplete.json()["fields"])

    ended, follow = interrupted_from(flow, ticket)
    assert ended["state"] == "terminated" and ended["interruption"] == "communication_lost"
    assert [s["state"] for s in ended["steps"]] == ["stamped", "not_done", "not_done"]
    for named in ("地调 王调度", "751开关在分位", "通信中断"):
        assert named in ended["remarks"]
    assert follow.executor == "team" and follow.team_id == flow.w.team.pk
    assert follow.state == "draft" and not follow.sequence_control
    assert [s.text for s in follow.steps.all()] == STEPS[1:]  # from the first unexecuted step
    assert ended["number"] in follow.remarks
    assert PhoneContact.objects.filter(subject__contains=follow.number).exists()
    assert LogEntry.objects.filter(text__contains=follow.number, category="operation").exists()


def interrupted_from(flow, ticket) -> tuple[dict, OperationTicket]:
    ended = flow.ok("chief_a", ticket, "interrupt", **INTERRUPTION)
    return ended, OperationTicket.objects.get(continues_id=ended["id"])


def test_only_a_sequence_control_is_interrupted__OPS_10(flow):
    ticket = flow.tick(flow.ready(), 1).json()
    r = flow.act("leader_a", ticket, "interrupt", **INTERRUPTION)
    assert r.status_code == 409 and r.json()["rule"] == "OPS-10"


def test_field_ticket_cannot_start_before_the_dispatchers_consent__OPS_10(flow):
    _, follow = interrupted(flow)
    ticket = flow.notify_centre(flow.give_order(flow.review(as_dict(flow, follow))))
    r = flow.tick(ticket, 1)
    assert r.status_code == 409
    assert r.json()["rule"] == "OPS-10" and r.json()["code"] == "dispatcher_consent_missing"
    ticket = flow.ok(
        "chief_a", ticket, "consent", dispatcher="地调 王调度", at=timezone.now().isoformat()
    )
    assert ticket["dispatcher_consent"] == "地调 王调度"
    for step in (1, 2):
        r = flow.tick(ticket, step)
        assert r.status_code == 200, r.content
        ticket = r.json()
    assert ticket["state"] == "completed"


def test_consent_is_only_for_the_continuation_of_an_interruption__OPS_10(flow):
    ticket = flow.give_order(flow.review(flow.ticket()))
    r = flow.act(
        "chief_a", ticket, "consent", dispatcher="地调 王调度", at=timezone.now().isoformat()
    )
    assert r.status_code == 409 and r.json()["rule"] == "OPS-10"


def test_a_new_sequence_command_for_the_interrupted_task_is_refused__OPS_10(flow):
    interrupted(flow)
    r = flow.as_("deputy_a").post(
        f"{BASE}/tickets",
        {
            "executor": "centre",
            "site": flow.w.sites["station"].pk,
            "task": "苏越线751开关由运行转检修",
            "task_kind": "line_maintenance",
            "steps": "\n".join(STEPS[1:]),
            "sequence_control": True,
        },
    )
    assert r.status_code == 409
    assert r.json()["rule"] == "OPS-10" and r.json()["code"] == "sequence_after_interruption"


def test_dispatcher_abort_becomes_an_incident_that_blocks_the_handover__OPS_10(flow, shifts, api):
    _, follow = interrupted(flow)
    ticket = as_dict(flow, follow)
    r = flow.act("chief_a", ticket, "abort", dispatcher="地调 王调度", reason="")
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    voided = flow.ok("chief_a", ticket, "abort", dispatcher="地调 王调度", reason="现场无法继续")
    assert voided["state"] == "voided" and "现场无法继续" in voided["end_reason"]
    incidents = flow.as_("chief_a").get(f"{BASE}/incidents").json()["items"]
    assert len(incidents) == 1 and incidents[0]["state"] == "open"
    assert "苏越线751开关" in incidents[0]["title"]
    assert "地调 王调度" in incidents[0]["description"]

    out = api(shifts.out_chief)
    h = check_all(out, prepare(api, shifts.out_chief))
    r = out.post(f"{BASE}/handovers/{h['id']}/offer", {"version": h["version"]})
    assert r.status_code == 409 and r.json()["rule"] == "DUTY-10"
    assert incidents[0]["title"] in r.json()["message"]

    closed = flow.as_("chief_a").post(
        f"{BASE}/incidents/{incidents[0]['id']}/close",
        {"version": incidents[0]["version"], "note": "现场恢复送电"},
    )
    assert closed.status_code == 200 and closed.json()["state"] == "closed"


def test_no_completed_signal_in_time_breaches_the_sequence_deadline__OPS_11(flow):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        ticket = centre_tick(flow, sequence_ticket(flow), 1)
    watch = Deadline.objects.get(object_id=str(ticket["id"]))
    assert watch.due_at == start + timedelta(minutes=15)  # the centre's setting
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert core_services.deadlines_check() == {"breach": 1}
    alarmed = Notification.objects.filter(recipient=flow.p["chief_a"], title__contains="顺控")
    assert alarmed.exists()  # the centre is alarmed: report to the dispatcher, send the team
    with time_machine.travel(start + timedelta(minutes=17), tick=False):
        ended = flow.ok("chief_a", ticket, "interrupt", **{**INTERRUPTION, "cause": "timeout"})
    assert ended["interruption"] == "timeout"
    watch.refresh_from_db()
    assert watch.state == "met_late"


def test_completed_signal_meets_the_sequence_deadline__OPS_11(flow):
    ticket = sequence_ticket(flow)
    for step in (1, 2, 3):
        ticket = centre_tick(flow, ticket, step)
    assert ticket["state"] == "completed"
    assert Deadline.objects.get(object_id=str(ticket["id"])).state == "met"


def test_interrupt_and_consent_pages_name_the_rule__OPS_10(flow, web):
    ticket = centre_tick(flow, sequence_ticket(flow), 1)
    client = web(flow.p["chief_a"])
    url = f"/c/alpha/ops/tickets/{ticket['id']}/"
    assert "act/interrupt/" in client.get(url).content.decode()
    r = client.post(f"{url}act/interrupt/", {"version": ticket["version"], "cause": "timeout"})
    assert r.status_code == 422 and 'data-field="reported_to"' in r.content.decode()
    r = client.post(f"{url}act/interrupt/", {"version": ticket["version"], **INTERRUPTION})
    assert r.status_code == 302
    follow = OperationTicket.objects.get(continues_id=ticket["id"])
    html = client.get(f"/c/alpha/ops/tickets/{follow.pk}/").content.decode()
    assert 'data-testid="consent"' in html and "OPS-10" in html
    assert "act/abort/" in html
