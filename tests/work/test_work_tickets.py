"""Work tickets through the API and the pages: received by the team (WORK-1), permit with the
safety measures done and the centre's maintenance tag (WORK-2), the tag shown everywhere and
the warning on operation tickets (WORK-3), work end only after the four-remote check or a
remote-control test (WORK-4, ACC-1), the final check with the centre (WORK-5), roles,
one open ticket per leader, one extension, interruptions (WORK-7), the duty log (DUTY-7) and
the handover (DUTY-3), concurrency (409), bad input (422) and scope (404)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhiban.core.actors import CLI, Source
from zhiban.core.models import Notification, PhoneContact
from zhiban.duty.handover_sources import gather
from zhiban.duty.models import LogEntry
from zhiban.org import services as org
from zhiban.work import selectors
from zhiban.work.models import MaintenanceTag, WorkTicket

from ..conftest import make_person
from .worktools import BASE, FOUR, MEASURES, iso


def page(client, url, status=200) -> str:
    r = client.get(url)
    assert r.status_code == status, r.content[:500]
    return r.content.decode()


# --- WORK-1: received by the operations team -------------------------------------------------


def test_work_received_via_centre__WORK_1(work, flow, world):
    r = work.as_("chief_a").post(f"{BASE}/work-tickets", work.body())
    assert r.status_code == 403 and r.json()["rule"] == "WORK-1"  # the team receives it
    other = org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"name": "二队", "kind": "operation", "active": True},
    )
    stranger = make_person(world.alpha, "field_other", "field_operator", other)
    r = work.api(stranger).post(f"{BASE}/work-tickets", work.body())
    assert r.status_code == 403 and r.json()["rule"] == "WORK-1"
    # an order needing a ticket in advance flows through the centre first
    order = flow.order()
    r = work.as_("field_a").post(f"{BASE}/work-tickets", work.body(order=order["id"]))
    assert r.status_code == 409 and r.json()["rule"] == "WORK-1"
    assert r.json()["code"] == "order_not_passed" and order["number"] in r.json()["message"]
    flow.notify_team(order)
    ticket = work.receive(order=order["id"])
    assert ticket["order_id"] == order["id"] and ticket["state"] == "received"
    assert ticket["received_by_id"] == work.p["field_a"].pk
    entry = LogEntry.objects.get(text__contains=ticket["number"])
    assert entry.category == "operation" and "王强" in entry.text


def test_work_ticket_holds_the_standard_fields_and_a_gap_free_number__WORK_1(work):
    first, second = work.receive(), work.receive(work_leader="赵六", kind="second")
    year = timezone.localdate().year
    assert first["number"] == f"ALPHA-G-{year}-00001"
    assert second["number"] == f"ALPHA-G-{year}-00002" and second["kind"] == "second"
    assert first["task"] == "苏越线751开关及线路检修" and first["location"]
    assert (first["work_leader"], first["issuer"], first["permitter_id"]) == (
        "王强",
        "陈工",
        work.p["leader_a"].pk,
    )
    assert first["crew_size"] == 3 and first["members"] == "李四、张三"
    assert [m["text"] for m in first["safety_measures"]] == MEASURES
    assert not any(m["done"] for m in first["safety_measures"])
    assert first["equipment"][0]["double_name"] == "苏越线开关 751"


def test_received_ticket_is_corrected_until_the_permit__WORK_1(work):
    ticket = work.receive()
    r = work.as_("field_a").patch(
        f"{BASE}/work-tickets/{ticket['id']}",
        {"version": ticket["version"], "location": "110kV苏越线751间隔及线路"},
    )
    assert r.status_code == 200 and r.json()["location"] == "110kV苏越线751间隔及线路"
    permitted = work.permitted(work_leader="赵六", equipment=[work.g.capacitor.pk])
    r = work.as_("field_a").patch(
        f"{BASE}/work-tickets/{permitted['id']}",
        {"version": permitted["version"], "task": "别的工作"},
    )
    assert r.status_code == 409 and r.json()["rule"] == "WORK-1"


# --- WORK-7: roles, one open ticket, one extension, interruptions ----------------------------


def test_issuer_leader_permitter_must_differ__WORK_7(work):
    r = work.as_("field_a").post(
        f"{BASE}/work-tickets", work.body(issuer="王强", work_leader="王 强")
    )
    assert r.status_code == 422 and "WORK-7" in r.json()["fields"]["work_leader"][0]
    assert r.json()["rule"] == "WORK-7"  # named in rule, not only inside the field's message
    r = work.as_("field_a").post(f"{BASE}/work-tickets", work.body(work_leader="Leader_A"))
    assert r.status_code == 422 and "WORK-7" in r.json()["fields"]["permitter"][0]
    assert r.json()["rule"] == "WORK-7"
    # at the permit, too: the permitter named then may not be the issuer
    ticket = work.measures_done(work.receive(issuer="Field_A", permitter=None))
    r = work.permit(ticket, permitter=work.p["field_a"].pk)
    assert r.status_code == 422 and r.json()["rule"] == "WORK-7"
    assert "permitter" in r.json()["fields"]
    assert work.permit(ticket).status_code == 200


def test_one_open_ticket_per_work_leader__WORK_7(work):
    first = work.receive()
    r = work.as_("field_a").post(f"{BASE}/work-tickets", work.body())
    assert r.status_code == 409 and r.json()["rule"] == "WORK-7"
    assert r.json()["code"] == "leader_has_open_ticket" and first["number"] in r.json()["message"]
    assert work.receive(work_leader="赵六")["state"] == "received"  # another leader may
    work.ok("field_a", first, "void", reason="检修计划取消")
    assert work.receive()["work_leader"] == "王强"  # the first is no longer open


def test_extension_only_once_and_before_expiry__WORK_7(work):
    ticket = work.permitted()
    planned_end = timezone.datetime.fromisoformat(ticket["planned_end"])
    r = work.act("leader_a", ticket, "extend", extended_to=ticket["planned_end"], reason="x")
    assert r.status_code == 422 and "extended_to" in r.json()["fields"]
    later = iso(planned_end + timedelta(hours=4))
    extended = work.ok("leader_a", ticket, "extend", extended_to=later, reason="线路消缺未完")
    assert extended["extended_to"] and extended["extension_reason"] == "线路消缺未完"
    r = work.act(
        "leader_a",
        extended,
        "extend",
        extended_to=iso(planned_end + timedelta(days=1)),
        reason="再延",
    )
    assert r.status_code == 409 and r.json()["code"] == "extended_once"
    assert r.json()["rule"] == "WORK-7"
    now = timezone.now()
    expired = work.permitted(
        work_leader="赵六",
        equipment=[work.g.capacitor.pk],
        planned_start=iso(now - timedelta(hours=10)),
        planned_end=iso(now - timedelta(minutes=5)),
    )
    r = work.act(
        "leader_a", expired, "extend", extended_to=iso(now + timedelta(hours=2)), reason="晚了"
    )
    assert r.status_code == 409 and r.json()["code"] == "expired"
    assert r.json()["rule"] == "WORK-7"


def test_interruptions_and_resumptions_are_recorded__WORK_7(work):
    ticket = work.permitted()
    paused = work.ok("leader_a", ticket, "interrupt", at=iso(timezone.now()), reason="雷雨暂停")
    assert paused["state"] == "interrupted"
    r = work.work_end(paused)
    assert r.status_code == 409  # no work end while interrupted
    resumed = work.ok("leader_a", paused, "resume", at=iso(timezone.now() + timedelta(minutes=1)))
    assert resumed["state"] == "permitted"
    (pause,) = resumed["interruptions"]
    assert pause["reason"] == "雷雨暂停" and pause["resumed_at"]
    assert LogEntry.objects.filter(text__contains="雷雨暂停").exists()


# --- WORK-2, WORK-3: permit, maintenance tag, tag shown everywhere ---------------------------


def test_permit_waits_for_every_safety_measure__WORK_2(work):
    ticket = work.receive()
    r = work.permit(ticket)
    assert r.status_code == 409 and r.json()["rule"] == "WORK-2"
    assert r.json()["code"] == "measures_not_done" and MEASURES[0] in r.json()["message"]
    ticket = work.ok("field_a", ticket, "measure-done", seq=1)
    assert ticket["safety_measures"][0]["done"] and ticket["safety_measures"][0]["done_at"]
    r = work.act("field_a", ticket, "measure-done", seq=1)
    assert r.status_code == 409 and r.json()["rule"] == "WORK-2"
    r = work.act("field_a", ticket, "measure-done", seq=9)
    assert r.status_code == 422 and "seq" in r.json()["fields"]
    ticket = work.measures_done(work.get(ticket))
    r = work.permit(ticket)
    assert r.status_code == 200, r.content
    permitted = r.json()
    assert permitted["state"] == "permitted" and permitted["permit_dispatcher"] == "地调 王调度"
    assert permitted["centre_told_at"]
    contacts = PhoneContact.objects.filter(object_id=str(ticket["id"]))
    assert contacts.count() == 2  # the dispatcher's permit and the call to the centre
    assert LogEntry.objects.filter(text__contains="开工").exists()
    # the centre is asked to place the tag
    assert Notification.objects.filter(
        recipient=work.p["chief_a"], title__contains=ticket["number"]
    ).exists()


def test_tag_placed_at_permit_and_shown__WORK_2_WORK_3(work, web):
    ticket = work.measures_done(work.receive())
    r = work.act("chief_a", ticket, "tag")
    assert r.status_code == 409 and r.json()["rule"] == "WORK-2"  # not before the permit
    ticket = work.permit(ticket).json()
    assert work.act("field_a", ticket, "tag").status_code == 403  # the centre places it
    tagged = work.ok("chief_a", ticket, "tag")
    assert tagged["equipment"][0]["tagged"] is True
    assert tagged["tags"][0]["equipment"]["double_name"] == "苏越线开关 751"
    assert work.act("chief_a", tagged, "tag").status_code == 409  # once
    tags = work.as_("field_a").get(f"{BASE}/maintenance-tags?active=true").json()
    assert [t["work_ticket_number"] for t in tags["items"]] == [ticket["number"]]
    # shown everywhere: the work ticket, the ops home, the forms' equipment choices
    client = web(work.p["field_a"])
    html = page(client, f"/c/alpha/ops/work/{ticket['id']}/")
    assert 'data-testid="tag-badge"' in html and 'data-testid="tags-in-place"' in html
    home = page(client, "/c/alpha/ops/")
    assert 'data-testid="tags-board"' in home and "苏越线开关 751" in home
    form = page(client, f"/c/alpha/ops/tickets/new/?site={work.w.sites['station'].pk}")
    assert "苏越线开关 751 【" in form and "1号电容器 C1 【" not in form
    # … and the organisation's equipment list and API (no import of ops in org: a mark)
    listed = page(client, "/c/alpha/org/equipment/?q=751")
    assert "苏越线开关 751" in listed and "检修" in listed
    marked = {
        e["double_name"]: e["marks"]
        for e in work.as_("field_a").get("/centres/alpha/equipment").json()["items"]
    }
    assert marked["苏越线开关 751"] == "检修" and marked["1号电容器 C1"] == ""
    # a second ticket cannot tag equipment that carries another ticket's tag
    second = work.measures_done(work.receive(work_leader="赵六"))
    second = work.permit(second).json()
    r = work.act("chief_a", second, "tag")
    assert r.status_code == 409 and ticket["number"] in r.json()["message"]
    assert MaintenanceTag.objects.filter(removed_at=None).count() == 1


def test_operation_ticket_on_tagged_equipment_warns__WORK_3(work, flow, web):
    tagged = work.permitted()
    op = flow.ticket()  # it warns, it does not refuse
    (warning,) = op["warnings"]
    assert warning["rule"] == "WORK-3" and warning["code"] == "maintenance_tag"
    assert warning["work_ticket_number"] == tagged["number"]
    assert warning["equipment_id"] == flow.g.breaker.pk and "苏越线开关 751" in warning["message"]
    capacitor = flow.ticket(
        equipment=[flow.g.capacitor.pk],
        task="1号电容器C1由运行转热备用",
        steps=["拉开1号电容器C1开关"],
    )
    assert capacitor["warnings"] == []
    assert flow.review(op)["warnings"]  # still warning as the ticket moves on
    html = page(web(flow.p["chief_a"]), f"/c/alpha/ops/tickets/{op['id']}/")
    assert 'data-testid="work-warning"' in html and tagged["number"] in html
    assert "WORK-3" in html and 'data-testid="tag-badge"' in html


# --- WORK-4, ACC-1: four-remote check before work end; the tag removed -----------------------


def test_work_end_refused_without_four_remote_check__WORK_4(work, web):
    ticket = work.permitted()
    r = work.work_end(ticket)
    assert r.status_code == 409 and r.json()["rule"] == "WORK-4"
    assert r.json()["code"] == "remote_check_missing"
    for kind in FOUR[:3]:
        assert work.check(ticket, kind).status_code == 201
    r = work.work_end(work.get(ticket))
    assert r.status_code == 409 and "遥调" in r.json()["message"]
    # a wrong point is shown and blocks until checked again correct
    r = work.check(ticket, "teleadjust", points=["1号主变档位"], result="failed", by="field_a")
    assert r.status_code == 201 and r.json()[0]["result"] == "failed"
    ticket = work.get(ticket)
    assert ticket["four_remote"]["failed"] == ["teleadjust:1号主变档位"]
    r = work.work_end(ticket)
    assert r.status_code == 409 and r.json()["code"] == "remote_check_failed"
    assert "1号主变档位" in r.json()["message"]
    html = page(web(work.p["field_a"]), f"/c/alpha/ops/work/{ticket['id']}/")
    assert 'data-testid="failed-points"' in html and "1号主变档位" in html
    # the page refuses the same way, naming the rule next to the form
    r = web(work.p["field_a"]).post(
        f"/c/alpha/ops/work/{ticket['id']}/act/work_end/",
        {"version": ticket["version"], "at": "2026-11-27T18:00"},
    )
    assert r.status_code == 409 and "WORK-4" in r.content.decode()
    work.check(ticket, "teleadjust", points=["1号主变档位"])
    ticket = work.get(ticket)
    assert ticket["four_remote"]["accepted"] is True
    ended = work.work_end(ticket).json()
    assert ended["state"] == "work_ended" and ended["work_ended_at"]
    assert LogEntry.objects.filter(text__contains="报竣工").exists()


def test_remote_control_test_allows_end__ACC_1(work):
    ticket = work.permitted()
    r = work.check(ticket, "control_test", points=["751开关遥控分合"], by="field_a")
    assert r.status_code == 201
    ticket = work.get(ticket)
    assert ticket["four_remote"] == {
        "accepted": True,
        "control_test": True,
        "missing": [],
        "failed": [],
    }
    assert work.work_end(ticket).json()["state"] == "work_ended"


def test_four_remote_checks_only_while_the_work_is_permitted__WORK_4(work):
    ticket = work.receive()
    r = work.check(ticket, "telesignal")
    assert r.status_code == 409 and r.json()["rule"] == "WORK-4"
    ended = work.work_ended(work_leader="赵六")
    assert work.check(ended, "telesignal").status_code == 409


def test_centre_removes_the_tag_after_work_end__WORK_4(work):
    ticket = work.permitted()
    assert work.act("deputy_a", ticket, "untag").status_code == 409  # not before work end
    ticket = work.work_end(work.four_remotes(ticket)).json()
    assert Notification.objects.filter(
        recipient=work.p["deputy_a"], title__contains=ticket["number"]
    ).exists()
    assert work.act("field_a", ticket, "untag").status_code == 403
    untagged = work.ok("deputy_a", ticket, "untag")
    assert untagged["equipment"][0]["tagged"] is False
    assert untagged["tags"][0]["removed_by_id"] == work.p["deputy_a"].pk
    assert work.act("deputy_a", untagged, "untag").status_code == 409


# --- WORK-5: final check with the centre; ticket end -----------------------------------------


def test_final_check_recorded__WORK_5(work):
    ticket = work.work_ended()
    r = work.end(ticket)
    assert r.status_code == 409 and r.json()["rule"] == "WORK-4"  # the tag is still in place
    assert r.json()["code"] == "tag_in_place"
    ticket = work.ok("chief_a", ticket, "untag")
    r = work.end(ticket)
    assert r.status_code == 409 and r.json()["rule"] == "WORK-5"
    assert r.json()["code"] == "final_check_missing"
    checked = work.final_check(ticket).json()
    assert checked["final_check_at"] and checked["final_check_with_id"] == work.p["chief_a"].pk
    contact = PhoneContact.objects.filter(object_id=str(ticket["id"])).latest("id")
    assert contact.party_person_id == work.p["chief_a"].pk and "无异常" in contact.content
    ended = work.end(checked).json()
    assert ended["state"] == "ended" and ended["ended_at"]
    assert work.receive()["work_leader"] == "王强"  # the leader is free again


def test_each_milestone_writes_its_duty_log_entry__DUTY_7(work):
    ticket = work.ok("chief_a", work.work_ended(), "untag")
    work.end(work.final_check(ticket).json())
    texts = list(
        LogEntry.objects.filter(text__contains=ticket["number"]).values_list("text", flat=True)
    )
    assert any("开工" in t for t in texts) and any("报竣工" in t for t in texts)
    assert len(texts) >= 8  # received, permit, tag, checks, work end, untag, final check, end


# --- DUTY-3, OPS-9: open work tickets on the handover and at the station ---------------------


def test_open_work_tickets_join_the_handover_and_name_the_station__DUTY_3(work, world):
    ticket = work.permitted()
    found = selectors.open_work_ticket(world.sites["station"])
    assert found is not None and found.number == ticket["number"]
    things = [t for t in gather(world.alpha) if t.ref == WorkTicket.objects.get(pk=ticket["id"])]
    assert len(things) == 1 and "苏越线开关 751" in things[0].detail
    work.ok("field_a", work.receive(work_leader="赵六"), "void", reason="取消")
    assert selectors.open_work_ticket(work.g.other_station) is None


# --- concurrency, bad input, scope ------------------------------------------------------------


def test_two_people_permitting_at_once_one_gets_409(work):
    ticket = work.measures_done(work.receive())
    first = work.permit(ticket, by="leader_a")
    second = work.permit(ticket, by="field_a")
    assert first.status_code == 200 and second.status_code == 409
    assert second.json()["code"] == "conflict"
    assert PhoneContact.objects.filter(object_id=str(ticket["id"])).count() == 2


def test_two_people_ending_the_work_at_once_one_gets_409(work):
    ticket = work.four_remotes(work.permitted())
    first, second = work.work_end(ticket, by="field_a"), work.work_end(ticket, by="leader_a")
    assert first.status_code == 200 and second.status_code == 409
    assert second.json()["code"] == "conflict"


@pytest.mark.parametrize(
    "change,field",
    [
        ({"task": ""}, "task"),
        ({"kind": "third"}, "kind"),
        ({"team": 10**6}, "team"),
        ({"site": "x"}, "site"),
        ({"equipment": []}, "equipment"),
        ({"planned_end": "2020-01-01T00:00:00+08:00"}, "planned_end"),
        ({"planned_start": "not a time"}, "planned_start"),
        ({"crew_size": 0}, "crew_size"),
        ({"safety_measures": "  \n "}, "safety_measures"),
        ({"safety_measures": "x" * 301}, "safety_measures"),
        ({"work_leader": "x" * 61}, "work_leader"),
        ({"permitter": 10**6}, "permitter"),
    ],
)
def test_bad_input_answers_422_per_field__WORK_1(work, change, field):
    r = work.as_("field_a").post(f"{BASE}/work-tickets", work.body(**change))
    assert r.status_code == 422, r.content
    assert field in r.json()["fields"]
    assert WorkTicket.objects.count() == 0


def test_bad_input_on_actions_answers_422__WORK_2_WORK_4(work, world):
    ticket = work.measures_done(work.receive())
    r = work.permit(ticket, permitter=work.p["chief_a"].pk)  # not a person of the team
    assert r.status_code == 422 and "permitter" in r.json()["fields"]
    r = work.permit(ticket, permitted_at="yesterday", centre_person=None)
    assert r.status_code == 422 and {"permitted_at", "centre_person"} <= set(r.json()["fields"])
    r = work.as_("leader_a").post(f"{BASE}/work-tickets/{ticket['id']}/permit", {"dispatcher": 1})
    assert r.status_code == 422 and "version" in r.json()["fields"]
    ticket = work.ok("chief_a", work.permit(ticket).json(), "tag")
    r = work.as_("chief_a").post(
        f"{BASE}/work-tickets/{ticket['id']}/remote-checks",
        {"kind": "telepathy", "points": [], "result": "ok", "at": "x"},
    )
    assert r.status_code == 422
    assert {"kind", "points", "at", "centre_checker"} <= set(r.json()["fields"])
    r = work.check(ticket, "telesignal", points=["x" * 201])
    assert r.status_code == 422


def test_work_tickets_of_another_centre_are_not_found__ORG_3(work):
    ticket = work.receive()
    outsider = work.as_("admin_b")
    assert outsider.get(f"{BASE}/work-tickets/{ticket['id']}").status_code == 404
    assert outsider.get(f"{BASE}/work-tickets").status_code == 404
    r = outsider.post(f"{BASE}/work-tickets/{ticket['id']}/void", {"version": 1, "reason": "x"})
    assert r.status_code == 404
    r = outsider.post("/centres/beta/work-tickets", work.body())
    assert r.status_code in (403, 422)  # not a team of that room; never created
    assert WorkTicket.objects.count() == 1


# --- the pages ---------------------------------------------------------------------------------


def test_work_ticket_pages_carry_it_from_receipt_to_permit__WORK_1_WORK_2(work, web):
    client = web(work.p["field_a"])
    html = page(client, "/c/alpha/ops/work/new/")
    assert 'name="safety_measures"' in html and 'name="work_leader"' in html
    body = work.body()
    body.update(
        planned_start=body["planned_start"][:16],
        planned_end=body["planned_end"][:16],
        issuer="王强",
    )
    r = client.post("/c/alpha/ops/work/new/", body)
    assert r.status_code == 422 and 'data-field="work_leader"' in r.content.decode()
    body["issuer"] = "陈工"
    r = client.post("/c/alpha/ops/work/new/", body)
    assert r.status_code == 302, r.content.decode()[:2000]
    url = r["Location"]
    ticket = WorkTicket.objects.get()
    html = page(client, url)
    assert html.count('data-testid="measure-done"') == 3 and ticket.number in html
    assert 'data-testid="act-permit"' in html
    r = client.post(
        f"/c/alpha/ops/work/{ticket.pk}/act/permit/",
        {
            "version": ticket.version,
            "permitted_at": "2026-11-27T09:00",
            "dispatcher": "地调 王调度",
            "permitter": work.p["leader_a"].pk,
            "centre_person": work.p["chief_a"].pk,
        },
    )
    assert r.status_code == 409 and "WORK-2" in r.content.decode()
    for seq in (1, 2, 3):
        version = WorkTicket.objects.get().version
        r = client.post(
            f"/c/alpha/ops/work/{ticket.pk}/act/measure/", {"version": version, "seq": seq}
        )
        assert r.status_code == 302
    assert 'data-done="0"' not in page(client, url)
    assert "王强" in page(client, "/c/alpha/ops/work/")
    assert 'data-testid="open-work"' in page(client, "/c/alpha/ops/")
    # the centre's chief is offered the tag, not the permit
    chief = web(work.p["chief_a"])
    work.permit(work.get({"id": ticket.pk}))
    html = page(chief, url)
    assert 'data-testid="act-tag"' in html and 'data-testid="act-permit"' not in html
    chief.post(
        f"/c/alpha/ops/work/{ticket.pk}/act/tag/", {"version": WorkTicket.objects.get().version}
    )
    assert MaintenanceTag.objects.filter(work_ticket=ticket, removed_at=None).exists()


def test_work_pages_are_complete_in_english(work, web):
    work.permitted()
    client = web(work.p["chief_a"])
    client.post("/language/", {"language": "en"})
    html = page(client, "/c/alpha/ops/")
    assert "Work tickets in progress" in html and "Maintenance tags" in html
