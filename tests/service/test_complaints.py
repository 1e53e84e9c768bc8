"""Complaints by 五清楚一报告 (CS-4, CS-5) through the API and the pages: the facts each kind
needs, the report at once (major → department head; product quality → QC manager, CS manager,
general office), the visit after bodily harm, the reply and its promised time as a deadline
that breaches and escalates, and closing only with the reply and the handling record."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from zhiban.core.models import Deadline, Notification, OutboxMessage
from zhiban.core.services import deadlines_check
from zhiban.duty.models import LogEntry
from zhiban.service.models import Case, Complaint, Customer, Department, FollowUp

from ..clock import ago, ahead

C = "/service/kefu"
PRODUCT = {
    "kind": "product",
    "complained_of": "纯牛奶 250ml",
    "reason": "喝了以后肚子疼",
    "symptom": "牛奶结块、有酸味",
    "bought_where": "吴中区永辉超市",
    "bought_how": "超市购买",
    "batch_number": "B20261101",
    "production_date": "2026-11-01",
}
SERVICE = {
    "kind": "service",
    "complained_of": "送奶员",
    "reason": "送奶员态度恶劣",
    "service_fault": "attitude",
    "staff": "工号 0231",
}


def _intake(api, complaint: dict, phone="13912345678", **contact):
    body = {
        "phone": phone,
        "name": "王女士",
        "channel": "hotline",
        "category": "complaint",
        "content": "客户来电投诉",
        "complaint": complaint,
        **contact,
    }
    return api.post(f"{C}/contacts", body)


def _complaint(cs, complaint=None, login="agent1", **contact) -> dict:
    answer = _intake(cs.as_(login), complaint or SERVICE, **contact)
    assert answer.status_code == 201, answer.content
    found = cs.as_(login).get(f"{C}/complaints?q={answer.json()['case_number']}")
    assert found.status_code == 200, found.content
    (row,) = found.json()["items"]
    return row


def _reply(api, row, **data):
    body = {
        "version": row["version"],
        "reply": "已向客户道歉并说明处理方案",
        "handling": "已通知配送站",
    }
    return api.post(f"{C}/complaints/{row['id']}/reply", body | data)


def _close(api, row):
    case = api.get(f"{C}/cases/{row['case_id']}").json()
    return api.post(f"{C}/cases/{row['case_id']}/close", {"version": case["version"]})


def _departments(cs, *, quality=True, office=True):
    if quality:
        Department.objects.create(
            centre=cs.kefu,
            name="质检部",
            function="quality",
            head=cs.people["fixer"],
            email="qc@example.com",
        )
    if office:
        Department.objects.create(
            centre=cs.kefu,
            name="总经办",
            function="general_office",
            head=cs.people["manager"],
            email="office@example.com",
        )


# --- 问清楚: the facts of each kind (CS-5) ------------------------------------------------------


def test_product_complaint_without_its_facts_refused_naming_each_field__CS_5(cs):
    facts = {k: v for k, v in PRODUCT.items() if k not in ("batch_number", "production_date")}
    answer = _intake(cs.as_("agent1"), facts | {"symptom": ""})
    assert answer.status_code == 422, answer.content
    body = answer.json()
    assert body["rule"] == "CS-5"
    for name in ("symptom", "batch_number", "production_date"):
        assert "CS-5" in " ".join(body["fields"][f"complaint.{name}"]), name
    assert "complaint.bought_where" not in body["fields"]
    assert not Case.objects.exists()
    assert not Customer.objects.exists()
    assert not Complaint.objects.exists()


def test_service_complaint_about_attitude_without_staff_refused__CS_5(cs):
    answer = _intake(cs.as_("agent1"), SERVICE | {"staff": ""})
    assert answer.status_code == 422, answer.content
    assert answer.json()["rule"] == "CS-5"
    assert list(answer.json()["fields"]) == ["complaint.staff"]
    assert not Case.objects.exists()


def test_service_complaint_without_its_fault_refused__CS_5(cs):
    answer = _intake(cs.as_("agent1"), SERVICE | {"service_fault": "", "staff": ""})
    assert answer.status_code == 422, answer.content
    assert answer.json()["rule"] == "CS-5"
    assert "CS-5" in answer.json()["fields"]["complaint.service_fault"][0]
    assert "complaint.staff" not in answer.json()["fields"]  # only attitude needs the staff


def test_complaint_without_object_and_reason_refused__CS_5(cs):
    answer = _intake(cs.as_("agent1"), {"kind": "other"})
    assert answer.status_code == 422, answer.content
    fields = answer.json()["fields"]
    assert answer.json()["rule"] == "CS-5"
    assert {"complaint.complained_of", "complaint.reason"} <= set(fields)
    assert not Complaint.objects.exists()


def test_complaint_of_no_kind_refused__CS_5(cs):
    answer = _intake(cs.as_("agent1"), {"complained_of": "门店", "reason": "不满意"})
    assert answer.status_code == 422, answer.content
    assert "CS-5" in answer.json()["fields"]["complaint.kind"][0]


def test_production_date_ahead_of_today_refused__CS_5(cs):
    answer = _intake(cs.as_("agent1"), PRODUCT | {"production_date": "2026-11-29"})
    assert answer.status_code == 422, answer.content
    assert answer.json()["rule"] == "CS-5"
    assert list(answer.json()["fields"]) == ["complaint.production_date"]
    assert not Complaint.objects.exists()


def test_service_complaint_keeps_no_product_facts__CS_5(cs):
    row = _complaint(cs, SERVICE | {"batch_number": "X1", "symptom": "坏了"})
    assert row["kind"] == "service"
    assert row["staff"] == "工号 0231"
    assert row["batch_number"] == "" and row["symptom"] == ""


# --- 一报告: the report at once (CS-4, CS-5) ----------------------------------------------------


def test_major_complaint_notifies_the_department_head_at_once__CS_4(cs):
    row = _complaint(cs, SERVICE | {"major": True})
    head = Notification.objects.filter(recipient=cs.people["head"])
    assert head.count() == 1
    assert head.get().level == "urgent"
    assert row["case_number"] in head.get().title
    assert not Notification.objects.filter(
        recipient__in=[cs.people["agent1"], cs.people["agent2"]]
    ).exists()
    log = LogEntry.objects.filter(centre=cs.kefu, verb="complaint.report").get()
    assert "Head" in log.text


def test_an_ordinary_service_complaint_tells_nobody_at_once__CS_4(cs):
    _complaint(cs, SERVICE)
    assert not Notification.objects.exists()
    assert not LogEntry.objects.filter(verb="complaint.report").exists()
    assert LogEntry.objects.filter(centre=cs.kefu, verb="complaint.open").count() == 1


def test_product_complaint_notifies_qc_manager_supervisor_and_general_office__CS_5(cs):
    _departments(cs)
    supervisor = cs.people["supervisor"]
    supervisor.email = "tang@example.com"
    supervisor.save(update_fields=["email"])
    _complaint(cs, PRODUCT)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"fixer", "supervisor", "manager"}  # QC head, CS manager, general office
    assert set(Notification.objects.values_list("level", flat=True)) == {"warning"}
    mailed = set(OutboxMessage.objects.filter(channel="email").values_list("target", flat=True))
    assert mailed == {"qc@example.com", "office@example.com", "tang@example.com"}
    assert not Notification.objects.filter(recipient=cs.people["head"]).exists()  # not major


def test_product_complaint_without_quality_department_tells_the_supervisor__CS_5(cs):
    _departments(cs, quality=False)
    _complaint(cs, PRODUCT)
    missing = Notification.objects.filter(
        recipient=cs.people["supervisor"], title__contains="CS-5", body__contains="质检"
    )
    assert missing.exists()
    assert Notification.objects.filter(recipient=cs.people["manager"]).exists()
    assert OutboxMessage.objects.filter(target="office@example.com").exists()


def test_bodily_harm_starts_the_visit_with_its_deadline__CS_5(cs):
    row = _complaint(cs, PRODUCT | {"bodily_harm": True})
    visits = cs.as_("agent1").get(f"{C}/follow-ups?kind=injury_visit").json()["items"]
    assert len(visits) == 1
    visit = visits[0]
    assert visit["case_id"] == row["case_id"]
    assert visit["owner_id"] == cs.people["agent1"].pk
    due = timezone.now() + timedelta(hours=24)
    assert abs((Deadline.objects.get(pk=visit["deadline"]["id"]).due_at - due).total_seconds()) < 60
    assert visit["deadline"]["state"] == "open"


def test_no_bodily_harm_no_visit__CS_5(cs):
    _complaint(cs, PRODUCT)
    assert not FollowUp.objects.exists()


# --- 答复清楚 / 记录清楚 and closing (CS-4) ----------------------------------------------------


def test_close_refused_without_reply_and_handling__CS_4(cs):
    row = _complaint(cs)
    api = cs.as_("agent1")
    answer = _close(api, row)
    assert answer.status_code == 409, answer.content
    assert answer.json()["rule"] == "CS-4"
    assert "答复" in answer.json()["message"] and "处理记录" in answer.json()["message"]
    assert answer.json()["message"].count("CS-4") == 1  # named once, in Chinese brackets
    assert Case.objects.get(pk=row["case_id"]).state == "open"


def test_unsolved_reply_without_next_reply_time_refused__CS_4(cs):
    row = _complaint(cs)
    answer = _reply(cs.as_("agent1"), row)
    assert answer.status_code == 422, answer.content
    assert answer.json()["rule"] == "CS-4"
    assert "CS-4" in answer.json()["fields"]["next_reply_at"][0]
    complaint = Complaint.objects.get(pk=row["id"])
    assert complaint.reply == "" and complaint.version == row["version"]


def test_next_reply_time_in_the_past_refused__CS_4(cs):
    row = _complaint(cs)
    answer = _reply(cs.as_("agent1"), row, next_reply_at=ago(hours=1))
    assert answer.status_code == 422, answer.content
    assert answer.json()["rule"] == "CS-4"
    assert list(answer.json()["fields"]) == ["next_reply_at"]
    assert not Deadline.objects.filter(name__contains="CS-4").exists()
    assert Complaint.objects.get(pk=row["id"]).reply == ""


def test_reply_without_the_handling_record_refused__CS_4(cs):
    row = _complaint(cs)
    answer = _reply(cs.as_("agent1"), row, handling="", solved=True)
    assert answer.status_code == 422, answer.content
    assert answer.json()["rule"] == "CS-4"
    assert list(answer.json()["fields"]) == ["handling"]


def test_reply_without_version_refused__DESIGN_1(cs):
    row = _complaint(cs)
    answer = cs.as_("agent1").post(
        f"{C}/complaints/{row['id']}/reply", {"reply": "好", "handling": "好", "solved": True}
    )
    assert answer.status_code == 422
    assert answer.json()["rule"] == "DESIGN-1"
    assert Complaint.objects.get(pk=row["id"]).solved is False


def test_stale_version_refused_and_nothing_changes(cs):
    row = _complaint(cs)
    api = cs.as_("agent1")
    assert _reply(api, row, next_reply_at=ahead(hours=4)).status_code == 200
    stale = _reply(api, row, solved=True)
    assert stale.status_code == 409
    assert Complaint.objects.get(pk=row["id"]).solved is False


def test_another_agent_may_not_reply_to_the_owners_complaint__CS_6(cs):
    row = _complaint(cs)
    answer = _reply(cs.as_("agent2"), row, solved=True)
    assert answer.status_code == 403, answer.content
    assert answer.json()["rule"] == "CS-6"
    assert _reply(cs.as_("supervisor"), row, solved=True).status_code == 200


def test_solved_complaint_closes__CS_4(cs):
    row = _complaint(cs)
    api = cs.as_("agent1")
    replied = _reply(api, row, solved=True)
    assert replied.status_code == 200, replied.content
    assert replied.json()["solved"] is True and replied.json()["replied_at"]
    closed = _close(api, row)
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"
    late = _reply(api, replied.json(), solved=True)
    assert late.status_code == 409
    assert late.json()["rule"] == "CS-4"


def test_unjustified_complaint_answered_and_closes__CS_4(cs):
    row = _complaint(cs)
    api = cs.as_("agent1")
    replied = _reply(
        api,
        row,
        reply="已礼貌解释产品符合标准",
        handling="核实后属无理投诉",
        unjustified=True,
    )
    assert replied.status_code == 200, replied.content
    assert replied.json()["unjustified"] is True
    assert replied.json()["solved"] is False
    assert replied.json()["next_reply_at"] is None
    assert _close(api, row).status_code == 200
    listed = api.get(f"{C}/complaints?unjustified=true&state=closed").json()["items"]
    assert [c["id"] for c in listed] == [row["id"]]
    assert LogEntry.objects.filter(verb="complaint.reply_unjustified").count() == 1


def test_unsolved_reply_then_close_refused_until_solved__CS_4(cs):
    row = _complaint(cs)
    api = cs.as_("agent1")
    replied = _reply(api, row, next_reply_at=ahead(hours=4))
    assert replied.status_code == 200
    answer = _close(api, row)
    assert answer.status_code == 409
    assert answer.json()["rule"] == "CS-4"
    assert "未解决" in answer.json()["message"]
    assert Case.objects.get(pk=row["case_id"]).state == "open"


def test_promised_reply_becomes_the_owners_deadline_that_breaches_and_escalates__CS_4(cs):
    row = _complaint(cs)
    replied = _reply(cs.as_("agent1"), row, next_reply_at=ahead(hours=2)).json()
    clock = replied["reply_deadline"]
    assert clock["state"] == "open"
    deadline = Deadline.objects.get(pk=clock["id"])
    assert deadline.name == "答复客户 (CS-4)"
    assert deadline.assignee == cs.people["agent1"]
    deadlines_check(now=timezone.now() + timedelta(hours=2, minutes=5))
    deadline.refresh_from_db()
    assert deadline.state == "breached"
    assert Notification.objects.filter(recipient=cs.people["agent1"], level="urgent").exists()
    assert Notification.objects.filter(recipient=cs.people["lead"], level="urgent").exists()
    assert not Notification.objects.filter(recipient=cs.people["head"]).exists()
    overdue = cs.as_("agent1").get(f"{C}/complaints?breached=true").json()["items"]
    assert overdue == []  # the clock has not moved; the job was run with a later time
    deadlines_check(now=timezone.now() + timedelta(hours=3, minutes=10))
    deadline.refresh_from_db()
    assert deadline.escalation_level == 2
    assert Notification.objects.filter(recipient=cs.people["head"], level="urgent").exists()
    assert Notification.objects.filter(recipient=cs.people["manager"], level="urgent").exists()


def test_a_later_reply_meets_the_promise_and_sets_the_next__CS_4(cs):
    row = _complaint(cs)
    api = cs.as_("agent1")
    first = _reply(api, row, next_reply_at=ahead(hours=2)).json()
    second = _reply(api, first, next_reply_at=ahead(days=1)).json()
    assert Deadline.objects.get(pk=first["reply_deadline"]["id"]).state == "met"
    assert second["reply_deadline"]["id"] != first["reply_deadline"]["id"]
    assert second["reply_deadline"]["state"] == "open"
    solved = _reply(api, second, solved=True).json()
    assert Deadline.objects.get(pk=second["reply_deadline"]["id"]).state == "met"
    assert solved["next_reply_at"] is None
    assert not Deadline.objects.filter(name="答复客户 (CS-4)", state="open").exists()


def test_breached_filter_lists_overdue_promises__CS_4(cs, fixed_clock):
    row = _complaint(cs)
    other = _complaint(cs, SERVICE, phone="13800000001")
    api = cs.as_("agent1")
    _reply(api, row, next_reply_at=ahead(hours=1))
    _reply(api, other, next_reply_at=ahead(days=2))
    fixed_clock.shift(timedelta(hours=2))
    overdue = api.get(f"{C}/complaints?breached=true").json()["items"]
    assert [c["id"] for c in overdue] == [row["id"]]
    assert overdue[0]["reply_overdue"] is True
    on_time = api.get(f"{C}/complaints?breached=false").json()["items"]
    assert [c["id"] for c in on_time] == [other["id"]]


# --- lists, export and scope (ORG-3) -----------------------------------------------------------


def test_complaint_list_filters_by_kind_and_major_and_exports(cs):
    _departments(cs)
    product = _complaint(cs, PRODUCT | {"major": True})
    _complaint(cs, SERVICE, phone="13800000001")
    api = cs.as_("agent1")
    assert [c["id"] for c in api.get(f"{C}/complaints?kind=product").json()["items"]] == [
        product["id"]
    ]
    assert [c["id"] for c in api.get(f"{C}/complaints?major=true").json()["items"]] == [
        product["id"]
    ]
    assert api.get(f"{C}/complaints?state=closed").json()["items"] == []
    sheet = api.get(f"{C}/complaints.xlsx?kind=product")
    assert sheet.status_code == 200
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")


def test_another_centres_complaint_is_not_found__ORG_3(cs):
    row = _complaint(cs)
    other = cs.as_("agent_b")
    assert other.get(f"{C}/complaints/{row['id']}").status_code == 404
    assert other.get(f"{C}/complaints").status_code == 404
    assert other.get(f"/service/kefu2/complaints/{row['id']}").status_code == 404
    refused = other.post(
        f"/service/kefu2/complaints/{row['id']}/reply",
        {"version": row["version"], "reply": "x", "handling": "y", "solved": True},
    )
    assert refused.status_code == 404
    assert Complaint.objects.get(pk=row["id"]).solved is False


# --- the pages ---------------------------------------------------------------------------------


@pytest.fixture
def web(cs):
    from django.test import Client

    def login(name):
        client = Client()
        client.force_login(cs.people[name], backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


def test_complaint_page_shows_facts_and_reply_form_in_chinese(cs, web):
    row = _complaint(cs, PRODUCT | {"major": True})
    page = web("agent1").get(f"/c/kefu/service/complaints/{row['id']}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="complaint-facts"' in html and "B20261101" in html
    assert 'data-testid="complaint-reply-form"' in html
    assert "答复清楚" in html
    listing = web("agent1").get("/c/kefu/service/complaints/?kind=product")
    assert listing.status_code == 200 and row["case_number"] in listing.content.decode()
    sheet = web("agent1").get("/c/kefu/service/complaints/?export=xlsx")
    assert sheet.status_code == 200


def test_reply_on_the_page_without_next_reply_time_comes_back_with_the_message__CS_4(cs, web):
    row = _complaint(cs)
    client = web("agent1")
    url = f"/c/kefu/service/complaints/{row['id']}/reply/"
    data = {"version": row["version"], "reply": "稍后回复", "handling": "正在核实"}
    refused = client.post(url, data)
    assert refused.status_code == 422
    assert "CS-4" in refused.content.decode()
    swapped = client.post(url, data, headers={"HX-Request": "true"})
    assert swapped.status_code == 422
    assert 'data-testid="complaint-reply-form"' in swapped.content.decode()
    assert "<html" not in swapped.content.decode()
    done = client.post(url, data | {"solved": "on"}, headers={"HX-Request": "true"})
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    assert Complaint.objects.get(pk=row["id"]).solved is True


def test_another_centres_complaint_page_is_not_found__ORG_3(cs, web):
    row = _complaint(cs)
    assert web("agent_b").get(f"/c/kefu/service/complaints/{row['id']}/").status_code == 404
    assert web("agent_b").get(f"/c/kefu2/service/complaints/{row['id']}/").status_code == 404


def test_intake_walks_the_agent_through_listen_and_ask__CS_5(cs, web):
    client = web("agent1")
    part = client.get("/c/kefu/service/intake/part/?category=complaint")
    assert part.status_code == 200
    html = part.content.decode()
    assert "听清楚" in html and "问清楚" in html
    assert 'data-testid="ask-product"' in html and 'data-testid="ask-service"' in html
    assert 'name="complaint-batch_number"' in html
    refused = client.post(
        "/c/kefu/service/intake/",
        {
            "phone": "13912345678",
            "name": "王女士",
            "channel": "hotline",
            "category": "complaint",
            "content": "牛奶有问题",
            "complaint-kind": "product",
            "complaint-complained_of": "纯牛奶",
            "complaint-reason": "变质",
        },
    )
    assert refused.status_code == 422
    html = refused.content.decode()
    assert 'data-field="batch_number"' in html and "CS-5" in html
    assert not Case.objects.exists()


def test_case_page_shows_the_complaint_with_its_reply_form__CS_4(cs, web):
    row = _complaint(cs, PRODUCT | {"bodily_harm": True})
    page = web("agent1").get(f"/c/kefu/service/cases/{row['case_id']}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'id="complaint-{row["id"]}"' in html
    assert 'data-testid="complaint-reply-form"' in html
    assert 'data-testid="follow-ups"' in html  # the visit after bodily harm (CS-5)
    other = web("agent2").get(f"/c/kefu/service/cases/{row['case_id']}/").content.decode()
    assert 'data-testid="complaint-reply-form"' not in other  # not agent2's case (CS-6)


def test_complaint_page_reads_in_english(cs, web):
    from zhiban.org.models import Person

    row = _complaint(cs)
    _reply(cs.as_("agent1"), row, next_reply_at=ahead(hours=3))
    Person.objects.filter(pk=cs.people["agent1"].pk).update(language="en")
    html = web("agent1").get(f"/c/kefu/service/complaints/{row['id']}/").content.decode()
    assert "Reply clearly, record clearly" in html
    assert "Next reply promised to the customer" in html
    assert 'data-testid="complaint-clock"' in html


def test_a_reply_shows_on_the_complaint_page_from_the_centres_record__CS_4(cs, web):
    """The reply's audit event belongs to the hotline centre, so the complaint page (its
    timeline is read by centre) shows what was replied and done."""
    row = _complaint(cs)
    assert _reply(cs.as_("agent1"), row, solved=True).status_code == 200
    html = web("agent1").get(f"/c/kefu/service/complaints/{row['id']}/").content.decode()
    reply = html.split('data-testid="complaint-reply"')[1].split("</div>\n    </div>")[0]
    assert "已向客户道歉并说明处理方案" in reply and "已通知配送站" in reply
    assert 'data-testid="no-reply"' not in html
