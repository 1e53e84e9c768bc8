"""Follow-up tasks (CS-5 visit after bodily harm; the same list holds CS-3's apology calls)
through the API and the pages: open first by due, the "done" with its result meeting the
deadline, the deadline breaching when nobody goes, the case page's section, scope (ORG-3)."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from zhiban.core.models import Deadline, Notification
from zhiban.core.services import deadlines_check
from zhiban.duty.models import LogEntry
from zhiban.service.models import FollowUp

C = "/service/kefu"
HARM = {
    "kind": "product",
    "complained_of": "酸奶 100g",
    "reason": "孩子喝后呕吐",
    "symptom": "胀包",
    "bought_where": "便利店",
    "bought_how": "门店购买",
    "batch_number": "Y20261120",
    "production_date": "2026-11-20",
    "bodily_harm": True,
}


def _visit(cs, phone="13912345678", login="agent1") -> dict:
    answer = cs.as_(login).post(
        f"{C}/contacts",
        {
            "phone": phone,
            "name": "李先生",
            "channel": "phone",
            "category": "complaint",
            "content": "孩子喝酸奶后呕吐",
            "complaint": HARM,
        },
    )
    assert answer.status_code == 201, answer.content
    (row,) = [
        f
        for f in cs.as_(login).get(f"{C}/follow-ups").json()["items"]
        if f["case_id"] == answer.json()["case_id"]
    ]
    return row


def _web(cs, login) -> Client:
    client = Client()
    client.force_login(cs.people[login], backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_visit_done_with_its_result_meets_the_deadline__CS_5(cs):
    visit = _visit(cs)
    api = cs.as_("agent1")
    done = api.post(
        f"{C}/follow-ups/{visit['id']}/done",
        {"version": visit["version"], "result": "已上门探望，赔付两箱酸奶，客户满意"},
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["done_at"] and body["done_by_id"] == cs.people["agent1"].pk
    assert body["deadline"]["state"] == "met"
    assert LogEntry.objects.filter(centre=cs.kefu, verb="follow_up.done").count() == 1
    assert api.get(f"{C}/follow-ups?state=open").json()["items"] == []


def test_visit_done_without_a_result_refused__CS_5(cs):
    visit = _visit(cs)
    answer = cs.as_("agent1").post(
        f"{C}/follow-ups/{visit['id']}/done", {"version": visit["version"], "result": "  "}
    )
    assert answer.status_code == 422, answer.content
    assert answer.json()["rule"] == "CS-5"
    assert list(answer.json()["fields"]) == ["result"]
    assert FollowUp.objects.get(pk=visit["id"]).done_at is None


def test_visit_done_twice_refused__CS_5(cs):
    visit = _visit(cs)
    api = cs.as_("agent1")
    first = api.post(
        f"{C}/follow-ups/{visit['id']}/done", {"version": visit["version"], "result": "已探访"}
    ).json()
    again = api.post(
        f"{C}/follow-ups/{visit['id']}/done", {"version": first["version"], "result": "再次"}
    )
    assert again.status_code == 409
    assert again.json()["rule"] == "CS-5"
    assert FollowUp.objects.get(pk=visit["id"]).result == "已探访"


def test_visit_not_paid_breaches_and_escalates__CS_5(cs):
    visit = _visit(cs)
    deadline = Deadline.objects.get(pk=visit["deadline"]["id"])
    assert deadline.assignee == cs.people["agent1"]
    deadlines_check(now=timezone.now() + timedelta(hours=24, minutes=5))
    deadline.refresh_from_db()
    assert deadline.state == "breached"
    deadlines_check(now=timezone.now() + timedelta(hours=25, minutes=10))
    deadline.refresh_from_db()
    assert deadline.escalation_level == 2
    assert Notification.objects.filter(recipient=cs.people["head"], level="urgent").exists()
    late = cs.as_("agent1").get(f"{C}/follow-ups/{visit['id']}").json()
    assert late["deadline"]["state"] == "breached"


def test_open_follow_ups_come_first_by_due__CS_5(cs, fixed_clock):
    first = _visit(cs)
    fixed_clock.shift(timedelta(minutes=30))
    second = _visit(cs, phone="13800000001")
    api = cs.as_("agent1")
    api.post(
        f"{C}/follow-ups/{first['id']}/done", {"version": first["version"], "result": "已探访"}
    )
    third = _visit(cs, phone="13800000002")
    rows = api.get(f"{C}/follow-ups").json()["items"]
    assert [r["id"] for r in rows] == [second["id"], third["id"], first["id"]]
    mine = api.get(f"{C}/follow-ups?mine=true&state=open").json()["items"]
    assert [r["id"] for r in mine] == [second["id"], third["id"]]
    assert cs.as_("agent2").get(f"{C}/follow-ups?mine=true").json()["items"] == []
    sheet = api.get(f"{C}/follow-ups.xlsx")
    assert sheet.status_code == 200


def test_another_centres_follow_up_is_not_found__ORG_3(cs):
    visit = _visit(cs)
    other = cs.as_("agent_b")
    assert other.get(f"/service/kefu2/follow-ups/{visit['id']}").status_code == 404
    assert other.get(f"{C}/follow-ups/{visit['id']}").status_code == 404
    refused = other.post(
        f"/service/kefu2/follow-ups/{visit['id']}/done",
        {"version": visit["version"], "result": "x"},
    )
    assert refused.status_code == 404
    assert FollowUp.objects.get(pk=visit["id"]).done_at is None
    assert _web(cs, "agent_b").get(f"/c/kefu2/service/follow-ups/{visit['id']}/").status_code == 404


def test_follow_up_pages_list_show_and_mark_done__CS_5(cs):
    visit = _visit(cs)
    client = _web(cs, "agent1")
    listing = client.get("/c/kefu/service/follow-ups/?state=open")
    assert listing.status_code == 200
    assert visit["case_number"] in listing.content.decode()
    page = client.get(f"/c/kefu/service/follow-ups/{visit['id']}/")
    assert page.status_code == 200
    assert 'data-testid="follow-up-done-form"' in page.content.decode()
    assert "139 1234 5678" in page.content.decode()  # the number to call, as people read it
    url = f"/c/kefu/service/follow-ups/{visit['id']}/done/"
    refused = client.post(url, {"version": visit["version"], "result": ""})
    assert refused.status_code == 422
    assert "CS-5" in refused.content.decode()
    done = client.post(url, {"version": visit["version"], "result": "已上门"})
    assert done.status_code == 302
    assert FollowUp.objects.get(pk=visit["id"]).result == "已上门"
    complaint_id = cs.as_("agent1").get(f"{C}/complaints").json()["items"][0]["id"]
    section = client.get(f"/c/kefu/service/complaints/{complaint_id}/").content.decode()
    assert 'data-testid="follow-ups"' in section
