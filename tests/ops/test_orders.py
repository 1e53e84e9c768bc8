"""Dispatch orders through the API: pre-order (OPS-1), passing it to the team and its questions
(OPS-2), the formal order (OPS-4), and the duty log they write (DUTY-7)."""

from zhiban.core.models import PhoneContact
from zhiban.duty.models import LogEntry

from ..clock import ago, set_window
from .conftest import AT, BASE


def test_pre_order_records_dispatcher_time_task_read_back_and_task_ticket__OPS_1(flow):
    order = flow.order()
    assert order["state"] == "received"
    assert order["number"] == "RW-2026-0001"  # the task ticket (任务票) of the centre
    assert order["dispatcher"] == "地调 王调度" and order["read_back"]
    assert order["equipment"][0]["double_name"] == "苏越线开关 751"
    contact = PhoneContact.objects.get()
    assert contact.party_name == "地调 王调度" and contact.read_back_confirmed_at is not None
    assert LogEntry.objects.filter(category="operation", text__contains="RW-2026-0001").exists()


def test_only_the_chief_operator_receives_pre_orders__OPS_1(flow):
    body = {
        "dispatcher": "地调",
        "received_at": AT,
        "task": "x",
        "site": flow.w.sites["station"].pk,
        "read_back": "已复诵",
    }
    assert flow.as_("deputy_a").post(f"{BASE}/orders", body).status_code == 403
    assert flow.as_("admin_b").post(f"{BASE}/orders", body).status_code == 404


def test_pre_order_without_read_back_is_refused_per_field__OPS_1(flow):
    r = flow.as_("chief_a").post(
        f"{BASE}/orders",
        {
            "dispatcher": "地调",
            "received_at": AT,
            "task": "x",
            "site": flow.w.sites["station"].pk,
            "read_back": "",
        },
    )
    assert r.status_code == 422 and "read_back" in r.json()["fields"]


def test_equipment_must_be_at_the_order_station__OPS_15(flow):
    r = flow.as_("chief_a").post(
        f"{BASE}/orders",
        {
            "dispatcher": "地调",
            "received_at": AT,
            "task": "x",
            "read_back": "已复诵",
            "site": flow.g.other_station.pk,
            "equipment": [flow.g.breaker.pk],
        },
    )
    assert r.status_code == 422 and "equipment" in r.json()["fields"]


def test_team_notified_with_read_back_is_a_recorded_contact__OPS_2(flow):
    order = flow.notify_team(flow.order())
    assert order["state"] == "notified" and order["team_id"] == flow.w.team.pk
    call = PhoneContact.objects.get(party_person=flow.p["leader_a"])
    assert call.direction == "outgoing" and call.read_back == "一队复诵正确"
    assert call.regarding.pk == order["id"]


def test_doubt_goes_to_the_centre_before_the_dispatcher__OPS_2(flow):
    order = flow.notify_team(flow.order())
    ask = flow.as_("leader_a")
    url = f"{BASE}/orders/{order['id']}/questions"
    to_dispatcher = {
        "asked_to": "dispatcher",
        "question": "751是否带线路PT?",
        "answer": "不带",
        "at": AT,
    }
    r = ask.post(url, to_dispatcher)
    assert r.status_code == 409 and r.json()["rule"] == "OPS-2"
    first = ask.post(url, {**to_dispatcher, "asked_to": "centre", "answer": "中心请示调度"})
    assert first.status_code == 201, first.content
    second = ask.post(url, to_dispatcher)
    assert second.status_code == 201
    assert PhoneContact.objects.filter(object_id=str(order["id"])).count() == 4  # 1 + 1 + 2


def test_ticket_of_an_order_waits_for_the_formal_order__OPS_4(flow):
    order = flow.notify_team(flow.order())
    ticket = flow.review(flow.ticket(order=order["id"]))
    r = flow.act(
        "leader_a", ticket, "order", issuer="地调", receiver=flow.p["leader_a"].pk, ordered_at=AT
    )
    assert r.status_code == 409 and r.json()["rule"] == "OPS-4"
    order = flow.formal(order)
    assert order["state"] == "ordered" and order["formal_received_by_id"] == flow.p["leader_a"].pk
    assert flow.give_order(ticket)["state"] == "ordered"


def test_formal_order_only_after_the_team_was_notified__OPS_4(flow):
    order = flow.order()
    r = flow.as_("leader_a").post(
        f"{BASE}/orders/{order['id']}/formal",
        {"version": order["version"], "at": AT, "received_by": flow.p["leader_a"].pk},
    )
    assert r.status_code == 409 and r.json()["rule"] == "OPS-4"


def test_order_is_done_when_its_tickets_are_completed__OPS_7(flow):
    order = flow.formal(flow.notify_team(flow.order()))
    ticket = flow.ready(order=order["id"], steps=["拉开苏越线751开关"])
    assert flow.tick(ticket, 1).json()["state"] == "completed"
    assert flow.as_("chief_a").get(f"{BASE}/orders/{order['id']}").json()["state"] == "done"


def test_order_list_shows_each_stage_and_filters_by_it__OPS_2(flow):
    flow.order()
    flow.notify_team(flow.order(task="吴东线752开关由运行转检修"))
    rows = flow.as_("chief_a").get(f"{BASE}/orders?state=notified").json()["items"]
    assert [r["task"] for r in rows] == ["吴东线752开关由运行转检修"]


def test_orders_of_another_centre_are_not_found__ORG_3(flow):
    order = flow.order()
    assert flow.as_("admin_b").get(f"{BASE}/orders/{order['id']}").status_code == 404
    assert flow.as_("admin_b").get(f"/centres/beta/orders/{order['id']}").status_code == 404


def test_questions_and_calls_to_the_centre_are_timed_in_the_centres_window__ORG_4(flow):
    """The question (OPS-2) and the call to the centre (OPS-4) check their time against the
    centre's own window, narrowed or widened by its administrator, not the default one."""
    order = flow.notify_team(flow.order())
    ticket = flow.give_order(flow.review(flow.ticket()))
    ask = flow.as_("leader_a")
    question = f"{BASE}/orders/{order['id']}/questions"
    body = {"asked_to": "centre", "question": "751是否带线路PT?", "answer": "不带"}
    admin = flow.as_("admin_a")
    set_window(admin, past_days=1)
    for at in (ago(days=2), ago(days=20)):
        r = ask.post(question, {**body, "at": at})
        assert r.status_code == 422 and "ORG-4" in " ".join(r.json()["fields"]["at"]), r.content
        r = flow.act("leader_a", ticket, "notify-centre", at=at, caller="一队")
        assert r.status_code == 422 and "ORG-4" in " ".join(r.json()["fields"]["at"]), r.content
    assert ask.post(question, {**body, "at": ago(hours=2)}).status_code == 201
    set_window(admin, past_days=30)
    assert ask.post(question, {**body, "at": ago(days=20)}).status_code == 201
    r = flow.act("leader_a", ticket, "notify-centre", at=ago(days=20), caller="一队")
    assert r.status_code == 200, r.content
