"""The case lifecycle (CS-2, CS-6): the morning queue and taking a case (the second of two
agents is told who took it), the first-response clock, ownership and transfers with their
reason, consultations answered and closed, service requests routed to a department whose
result must come back before the case closes, departments and their queues, the list, the
handover; other centres' cases answer 404 — through the API and the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from zhiban.core.actors import CLI, Source
from zhiban.core.models import AuditEvent, Deadline, Notification, OutboxMessage
from zhiban.core.permissions import Role
from zhiban.core.services import deadlines_check
from zhiban.duty.handover_sources import gather
from zhiban.duty.models import LogEntry
from zhiban.org import services as org
from zhiban.service.models import Case

from ..conftest import Api, make_person

S = "/service/kefu"


def _record(cs, login="agent1", **data):
    body = {
        "phone": "13800005123",
        "name": "王芳",
        "channel": "phone",
        "category": "service_request",
        "content": "冰箱里的奶箱漏了，请派人处理",
        **data,
    }
    r = cs.as_(login).post(f"{S}/contacts", body)
    assert r.status_code == 201, r.content
    return cs.as_(login).get(f"{S}/cases/{r.json()['case_id']}").json()


def _web_lead(cs, **data):
    person = make_person(cs.kefu, "webgw", Role.GATEWAY)
    _token, raw = org.api_token_create(actor=person, source=Source.CLI, name="网站留言")
    web = Api(Client(), headers={"Authorization": f"Bearer {raw}"})
    body = {
        "phone": "13911112222",
        "name": "网上客户",
        "channel": "web",
        "category": "consultation",
        "content": "想了解会员卡",
        **data,
    }
    r = web.post(f"{S}/contacts", body)
    assert r.status_code == 201, r.content
    return cs.as_("agent1").get(f"{S}/cases/{r.json()['case_id']}").json()


def _act(cs, login, case, action, **body):
    return cs.as_(login).post(
        f"{S}/cases/{case['id']}/{action}", {"version": case["version"], **body}
    )


@pytest.fixture
def departments(cs):
    supervisor = cs.as_("supervisor")
    team = supervisor.post(
        f"{S}/departments",
        {
            "name": "售后服务部",
            "function": "service",
            "team": cs.aftersales.pk,
            "head": cs.people["fixer"].pk,
        },
    )
    assert team.status_code == 201, team.content
    outside = supervisor.post(
        f"{S}/departments", {"name": "物流公司", "email": "dispatch@logistics.example"}
    )
    assert outside.status_code == 201, outside.content
    return {"team": team.json(), "outside": outside.json()}


# --- the queue and taking a case (CS-6) ------------------------------------------------------------


def test_two_agents_take_the_same_case_the_second_is_told_who__CS_6(cs):
    case = _web_lead(cs)
    first = _act(cs, "agent1", case, "take")
    assert first.status_code == 200, first.content
    assert first.json()["owner_id"] == cs.people["agent1"].pk
    second = _act(cs, "agent2", case, "take")  # the same version the queue showed
    assert second.status_code == 409
    body = second.json()
    assert body["rule"] == "CS-6" and body["code"] == "taken"
    assert "Agent1" in body["message"] and body["taken_by"] == "Agent1"
    assert Case.objects.get(pk=case["id"]).owner == cs.people["agent1"]


def test_taking_a_case_meets_its_first_response_clock__CS_6(cs):
    case = _web_lead(cs)
    deadline = Deadline.objects.get(object_id=str(case["id"]), name="首次响应 (CS-6)")
    taken = _act(cs, "agent2", case, "take").json()
    assert taken["clock"] == "met" and taken["first_response_at"] is not None
    deadline.refresh_from_db()
    assert deadline.state == "met"
    assert cs.as_("agent1").get(f"{S}/queue").json()["items"] == []
    assert LogEntry.objects.filter(verb="case.take").count() == 1


def test_an_overdue_first_response_breaches_and_joins_the_handover__CS_6(cs, fixed_clock):
    case = _web_lead(cs)
    fixed_clock.shift(timedelta(minutes=31))
    deadlines_check()
    deadline = Deadline.objects.get(object_id=str(case["id"]), name="首次响应 (CS-6)")
    assert deadline.state == "breached"
    things = gather(cs.kefu)
    assert any(case["number"] in t.text and "CS-6" in t.text for t in things)
    late = cs.as_("agent1").get(f"{S}/cases", data={"breached": "true"}).json()["items"]
    assert [c["number"] for c in late] == [case["number"]]
    taken = _act(cs, "agent1", case, "take").json()
    assert taken["clock"] == "late"
    deadline.refresh_from_db()
    assert deadline.state == "met_late"


def test_a_case_of_another_centre_cannot_be_taken__ORG_3(cs):
    case = _web_lead(cs)
    r = cs.as_("agent_b").post(
        f"/service/kefu2/cases/{case['id']}/take", {"version": case["version"]}
    )
    assert r.status_code == 404
    assert cs.as_("agent_b").get(f"{S}/cases/{case['id']}").status_code == 404
    assert cs.as_("agent_b").get(f"/service/kefu2/cases/{case['id']}").status_code == 404
    assert Case.objects.get(pk=case["id"]).owner is None


def test_a_change_needs_the_version_read__DESIGN_1(cs):
    case = _record(cs)
    r = cs.as_("agent1").post(f"{S}/cases/{case['id']}/answer", {"answer": "已答复"})
    assert r.status_code == 422
    assert r.json()["rule"] == "DESIGN-1"
    assert Case.objects.get(pk=case["id"]).state == "open"


# --- ownership and transfers (CS-6) ---------------------------------------------------------------


def test_only_the_owner_or_a_lead_works_a_case__CS_6(cs, departments):
    case = _record(cs)
    events = AuditEvent.objects.count()
    r = _act(cs, "agent2", case, "answer", answer="已答复")
    assert r.status_code == 403
    assert r.json()["rule"] == "CS-6"
    assert AuditEvent.objects.count() == events
    lead = _act(cs, "lead", case, "route", department=departments["team"]["id"], note="上门")
    assert lead.status_code == 200, lead.content


def test_a_transfer_without_reason_is_refused__CS_6(cs):
    case = _record(cs)
    r = _act(cs, "agent1", case, "transfer", to_person=cs.people["agent2"].pk, reason="  ")
    assert r.status_code == 422
    assert r.json()["rule"] == "CS-6"
    assert "reason" in r.json()["fields"]
    assert Case.objects.get(pk=case["id"]).owner == cs.people["agent1"]


def test_a_transfer_to_another_centres_agent_is_refused__CS_6(cs):
    case = _record(cs)
    for person in ("agent_b", "head"):  # kefu2's agent; kefu's department head takes no cases
        r = _act(cs, "agent1", case, "transfer", to_person=cs.people[person].pk, reason="下班")
        assert r.status_code == 422, r.content
        assert r.json()["rule"] == "CS-6"
        assert "CS-6" in r.json()["fields"]["to_person"][0]
    assert Case.objects.get(pk=case["id"]).owner == cs.people["agent1"]


def test_a_transfer_is_logged_and_the_new_owner_told__CS_6(cs):
    case = _record(cs)
    r = _act(cs, "agent1", case, "transfer", to_person=cs.people["agent2"].pk, reason="交班")
    assert r.status_code == 200, r.content
    assert r.json()["owner_id"] == cs.people["agent2"].pk
    event = AuditEvent.objects.get(verb="case.transfer")
    assert event.reason == "交班"
    log = LogEntry.objects.get(verb="case.transfer")
    assert "Agent1" in log.text and "Agent2" in log.text and "交班" in log.text
    note = Notification.objects.get(recipient=cs.people["agent2"])
    assert case["number"] in note.title
    # the old owner no longer works it
    again = cs.as_("agent1").get(f"{S}/cases/{case['id']}").json()
    assert _act(cs, "agent1", again, "answer", answer="x").status_code == 403


# --- consultations and service requests (CS-2) ------------------------------------------------------


def test_a_consultation_is_answered_and_closed__CS_2(cs):
    case = _record(cs, category="consultation", content="保质期多久")
    empty = _act(cs, "agent1", case, "answer", answer=" ")
    assert empty.status_code == 422 and empty.json()["rule"] == "CS-2"
    r = _act(cs, "agent1", case, "answer", answer="冷藏21天")
    assert r.status_code == 200, r.content
    closed = r.json()
    assert closed["state"] == "closed" and closed["answer"] == "冷藏21天"
    assert closed["closed_by_id"] == cs.people["agent1"].pk


def test_a_routed_case_does_not_close_without_its_result__CS_2(cs, departments):
    case = _record(cs)
    routed = _act(cs, "agent1", case, "route", department=departments["team"]["id"], note="上门")
    assert routed.status_code == 200, routed.content
    routed = routed.json()
    assert routed["state"] == "routed"
    for action in ("answer", "close"):
        r = _act(cs, "agent1", routed, action, answer="已处理")
        assert r.status_code == 409, r.content
        assert r.json()["rule"] == "CS-2"
    assert Case.objects.get(pk=case["id"]).state == "routed"


def test_the_team_reports_its_result_then_the_owner_closes__CS_2(cs, departments):
    case = _record(cs)
    routed = _act(cs, "agent1", case, "route", department=departments["team"]["id"], note="上门")
    routed = routed.json()
    fixer = cs.people["fixer"]
    assert Notification.objects.filter(recipient=fixer, title__contains=case["number"]).exists()
    # the agent does not report a team's result for it
    assert _act(cs, "agent1", routed, "result", result="已修好").status_code == 403
    empty = _act(cs, "fixer", routed, "result", result="")
    assert empty.status_code == 422 and empty.json()["rule"] == "CS-2"
    back = _act(cs, "fixer", routed, "result", result="已上门更换奶箱")
    assert back.status_code == 200, back.content
    back = back.json()
    assert back["state"] == "open" and back["result"] == "已上门更换奶箱"
    assert Notification.objects.filter(recipient=cs.people["agent1"]).exists()
    closed = _act(cs, "agent1", back, "close", answer="已告知客户处理结果")
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"


def test_an_outside_department_is_mailed_and_the_agent_records_its_result__CS_2(cs, departments):
    case = _record(cs)
    routed = _act(
        cs, "agent1", case, "route", department=departments["outside"]["id"], note="补送一箱"
    ).json()
    mail = OutboxMessage.objects.get(target="dispatch@logistics.example")
    assert case["number"] in mail.subject
    back = _act(cs, "agent1", routed, "result", result="物流已补送")
    assert back.status_code == 200, back.content


def test_each_department_sees_its_own_queue__CS_2(cs, departments):
    waiting = _record(cs)
    _act(cs, "agent1", waiting, "route", department=departments["team"]["id"], note="上门")
    other = _record(cs, phone="13911112222", name="李强")
    _act(cs, "agent1", other, "route", department=departments["outside"]["id"], note="补送")
    team_id = departments["team"]["id"]
    queue = cs.as_("fixer").get(f"{S}/departments/{team_id}/queue").json()["items"]
    assert [c["number"] for c in queue] == [waiting["number"]]
    page = cs.as_("fixer").client.get(f"/c/kefu/service/departments/{team_id}/queue/")
    assert page.status_code == 200
    assert waiting["number"] in page.content.decode()
    assert other["number"] not in page.content.decode()
    assert cs.as_("agent_b").get(f"/service/kefu2/departments/{team_id}/queue").status_code == 404


def test_routed_cases_without_result_join_the_handover__CS_2(cs, departments):
    case = _record(cs)
    _act(cs, "agent1", case, "route", department=departments["team"]["id"], note="上门")
    things = gather(cs.kefu)
    assert any(case["number"] in t.text and "CS-2" in t.text for t in things)


def test_departments_are_kept_by_the_supervisor__CS_2(cs):
    r = cs.as_("agent1").post(f"{S}/departments", {"name": "质检部", "function": "quality"})
    assert r.status_code == 403
    r = cs.as_("supervisor").post(
        f"{S}/departments",
        {"name": "销售内勤", "function": "sales_desk", "customer_types": ["retail", "dealer"]},
    )
    assert r.status_code == 201, r.content
    desk = r.json()
    assert desk["customer_types"] == ["retail", "dealer"]
    r = cs.as_("supervisor").patch(
        f"{S}/departments/{desk['id']}", {"version": desk["version"], "active": False}
    )
    assert r.status_code == 200 and r.json()["active"] is False
    team_b = org.team_create(
        actor=CLI, source=Source.CLI, centre=cs.kefu2, data={"name": "乙队", "kind": "service"}
    )
    foreign = cs.as_("supervisor").post(f"{S}/departments", {"name": "外队", "team": team_b.pk})
    assert foreign.status_code == 422


# --- the list, the pages ------------------------------------------------------------------------------


def test_the_case_list_filters_and_exports(cs):
    mine = _record(cs, category="consultation")
    _record(cs, login="agent2", phone="13911112222", name="李强", category="suggestion")
    agent1 = cs.as_("agent1")
    numbers = [c["number"] for c in agent1.get(f"{S}/cases", data={"mine": "true"}).json()["items"]]
    assert numbers == [mine["number"]]
    by_category = agent1.get(f"{S}/cases", data={"category": "suggestion"}).json()["items"]
    assert [c["customer"]["name"] for c in by_category] == ["李强"]
    export = agent1.get(f"{S}/cases.xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    page = agent1.client.get("/c/kefu/service/cases/", {"category": "consultation"})
    assert page.status_code == 200 and mine["number"] in page.content.decode()


def test_the_queue_page_takes_a_case_and_tells_the_second_agent_who__CS_6(cs):
    case = _web_lead(cs)
    queue = cs.as_("agent1").client.get("/c/kefu/service/queue/").content.decode()
    assert case["number"] in queue and 'data-testid="take"' in queue
    url = f"/c/kefu/service/cases/{case['id']}/take/"
    first = cs.as_("agent1").client.post(url, {"version": case["version"]})
    assert first.status_code == 302
    second_client = cs.as_("agent2").client
    second = second_client.post(
        url, {"version": case["version"], "next": "/c/kefu/service/queue/"}, follow=True
    )
    assert "Agent1" in second.content.decode() and "CS-6" in second.content.decode()
    assert Case.objects.get(pk=case["id"]).owner == cs.people["agent1"]


def test_the_case_page_offers_what_the_state_and_rights_allow(cs, departments):
    case = _record(cs)
    owner = cs.as_("agent1").client.get(f"/c/kefu/service/cases/{case['id']}/").content.decode()
    assert 'data-testid="act-route"' in owner and 'data-testid="act-transfer"' in owner
    other = cs.as_("agent2").client.get(f"/c/kefu/service/cases/{case['id']}/").content.decode()
    assert 'data-testid="act-route"' not in other
    missing = cs.as_("agent1").client.post(
        f"/c/kefu/service/cases/{case['id']}/transfer/",
        {"version": case["version"], "to_person": cs.people["agent2"].pk, "reason": ""},
    )
    assert missing.status_code == 422 and "CS-6" in missing.content.decode()
    foreign = cs.as_("agent_b").client.get(f"/c/kefu2/service/cases/{case['id']}/")
    assert foreign.status_code == 404


def test_the_service_home_shows_my_cases_and_the_queue(cs):
    mine = _record(cs)
    _web_lead(cs)
    page = cs.as_("agent1").client.get("/c/kefu/service/")
    assert page.status_code == 200
    text = page.content.decode()
    assert mine["number"] in text and 'data-testid="queue-count"' in text
