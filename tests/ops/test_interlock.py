"""The interlock operation ticket ↔ maintenance tag ↔ work ticket (WORK-3, DESIGN rule 8): every
ticket knows its equipment however it was made (order, typical ticket, by hand; OPS-15); a step
towards service is refused while a work ticket holds the equipment or its tag is on, unless the
centre's chief operator records an override (audited, on the ticket, in the duty log). And a
team fills the ticket of an order only once the centre has phoned it (OPS-2)."""

from __future__ import annotations

from zhiban.core.models import AuditEvent
from zhiban.duty.models import LogEntry
from zhiban.ops.models import OperationTicket

from .conftest import BASE

# 苏越线751开关 back from maintenance to service, as the report's ticket took it.
TASK = "110kV苏越线751开关由检修转运行"
STEPS = ["拉开苏越线75130接地闸刀", "合上苏越线7511母线闸刀", "合上苏越线751开关"]


def energising(flow, **extra) -> dict:
    """A team ticket putting 苏越线751开关 back into service, ready for its first step."""
    return flow.ready(task=TASK, steps=STEPS, **extra)


def refused(r, number) -> dict:
    assert r.status_code == 409, r.content
    body = r.json()
    assert body["rule"] == "WORK-3" and body["code"] == "equipment_under_work"
    assert number in body["message"] and "苏越线开关 751" in body["message"]
    return body


def page(client, url, status=200) -> str:
    r = client.get(url)
    assert r.status_code == status, r.content[:500]
    return r.content.decode()


def test_ticket_knows_its_equipment_from_order_typical_ticket_or_step_texts__WORK_3(flow):
    """The report's ticket, made from an order and a typical ticket, carried no equipment."""
    site = flow.w.sites["station"].pk
    r = flow.as_("chief_a").post(
        f"{BASE}/typical-tickets",
        {"site": site, "name": "751开关检修转运行", "task": TASK, "steps": "\n".join(STEPS)},
    )
    assert r.status_code == 201, r.content
    typical = r.json()
    breaker = flow.g.breaker.pk
    # an order without equipment, its ticket from the typical ticket: named by double name
    order = flow.notify_team(flow.order(task=TASK, equipment=[]))
    ticket = flow.ticket(
        order=order["id"], typical=typical["id"], task="", steps=[""], equipment=[]
    )
    assert [e["id"] for e in ticket["equipment"]] == [breaker]
    # an order's equipment goes to its ticket even when the steps do not name it
    order = flow.notify_team(flow.order(equipment=[flow.g.capacitor.pk]))
    ticket = flow.ticket(
        order=order["id"], task="一号变直流系统检查", steps=["检查一号变直流系统正常"], equipment=[]
    )
    assert [e["id"] for e in ticket["equipment"]] == [flow.g.capacitor.pk]
    # by hand, nothing chosen: the steps name it; a changed step is matched again
    ticket = flow.ticket(equipment=[], task="一号变倒闸操作", steps=["检查一号变直流系统正常"])
    assert ticket["equipment"] == []
    r = flow.as_("field_a").patch(
        f"{BASE}/tickets/{ticket['id']}",
        {"version": ticket["version"], "steps": "合上苏越线751开关"},
    )
    assert r.status_code == 200, r.content
    assert [e["id"] for e in r.json()["equipment"]] == [breaker]


def test_step_towards_service_refused_until_work_ended_and_tag_removed__WORK_3(flow, work):
    held = work.permitted()  # 已许可, the 检修牌 on 苏越线开关 751
    ticket = energising(flow, equipment=[])
    body = refused(flow.tick(ticket, 1), held["number"])
    assert "检修牌" in body["message"]
    ticket = flow.as_("field_a").get(f"{BASE}/tickets/{ticket['id']}").json()
    assert ticket["state"] == "ordered" and ticket["started_at"] is None
    assert [s["state"] for s in ticket["steps"]] == ["pending"] * 3
    # taking equipment out of service is not held: the interlock guards the way back
    out = flow.ready()
    assert flow.tick(out, 1).status_code == 200
    # work ended (工作终结) but the tag still on: refused
    ended = work.work_end(work.four_remotes(held))
    assert ended.status_code == 200, ended.content
    refused(flow.tick(ticket, 1), held["number"])
    # the centre removes the tag: the steps go
    work.ok("chief_a", ended.json(), "untag")
    for seq in (1, 2, 3):
        r = flow.tick(ticket, seq)
        assert r.status_code == 200, r.content
        ticket = r.json()
    assert ticket["state"] == "completed"


# Real wordings of a ticket putting 苏越线751开关 back: its task, or its first step.
BACK = [
    ("110kV苏越线751开关由检修状态转为运行状态", "检查苏越线751开关确在分闸位置"),
    ("苏越线751开关由冷备用改为运行", "检查苏越线751开关确在分闸位置"),
    ("110kV苏越线恢复送电", "检查苏越线751开关确在分闸位置"),
    ("1号主变投运", "核对苏越线751开关位置"),
    ("苏越线751开关倒闸操作", "将苏越线751开关由热备用状态转为运行状态"),
    ("苏越线751开关倒闸操作", "遥控合上苏越线751开关"),
    ("苏越线751开关倒闸操作", "检查无误后对苏越线751开关充电"),
    ("苏越线751开关倒闸操作", "将苏越线751开关手车摇至工作位置"),
    ("苏越线751开关倒闸操作", "拆除苏越线751开关线路侧#1接地线"),
    ("苏越线751开关倒闸操作", "装上苏越线751开关控制电源熔丝"),
    ("苏越线751开关倒闸操作", "取下苏越线751开关操作把手上“禁止合闸，有人工作！”标示牌"),
]
# Steps this module does not read as out of service: refused too (fail closed).
UNCLEAR = ["投入苏越线751开关重合闸", "恢复苏越线751开关二次接线", "苏越线751开关"]
# Taking it out of service, as the stations word it: every step goes.
OUT = [
    "拉开苏越线751开关",
    "检查苏越线751开关确已拉开",
    "将苏越线751开关由热备用状态转为冷备用状态",
    "拉开苏越线7513线路闸刀、7511母线闸刀",
    "将苏越线751开关手车摇至试验位置",
    "在苏越线751开关与7513闸刀间验明确无电压后合上苏越线75130接地闸刀",
    "检查苏越线75130接地闸刀确已合上",
    "在苏越线751开关线路侧装设#1接地线",
    "取下苏越线751开关控制电源熔丝",
    "退出苏越线751开关重合闸",
    "在苏越线751开关操作把手上悬挂“禁止合闸，有人工作！”标示牌",
    "在苏越线751开关间隔设置围栏，悬挂“在此工作！”标示牌",
    "汇报调度操作完毕",
]


def test_every_wording_towards_service_is_refused_under_the_tag__WORK_3(flow, work):
    """The review's way past the interlock: 由检修状态转为运行状态, 恢复送电, 投运 … went on
    (200, ticket completed). Now each is refused, and so is a step it cannot read."""
    held = work.permitted()
    for task, step in BACK:
        ticket = flow.ready(task=task, steps=[step, "检查苏越线751开关确已合上"], equipment=[])
        body = refused(flow.tick(ticket, 1), held["number"])
        assert "向运行方向转换" in body["message"], (task, step)
    for step in UNCLEAR:
        ticket = flow.ready(task="苏越线751开关倒闸操作", steps=[step])
        body = refused(flow.tick(ticket, 1), held["number"])
        assert "不是明确使" in body["message"] and "检修牌" in body["message"], step


def test_every_wording_out_of_service_goes_under_the_tag__WORK_3(flow, work):
    work.permitted()
    for task in ("110kV苏越线751开关由运行状态转为检修状态", "苏越线751开关运行转检修"):
        ticket = flow.ready(task=task, steps=OUT)
        for seq, step in enumerate(OUT, 1):
            r = flow.tick(ticket, seq)
            assert r.status_code == 200, (step, r.content)
            ticket = r.json()
        assert ticket["state"] == "completed"


def test_ticket_without_recorded_equipment_is_still_held__WORK_3(flow, work, web):
    """A ticket made before its equipment was recorded (OPS-15) is held all the same, and the
    centre can override it on the page."""
    held = work.permitted()
    ticket = energising(flow)
    OperationTicket.objects.get(pk=ticket["id"]).equipment.clear()
    refused(flow.tick(ticket, 1), held["number"])
    chief = web(flow.p["chief_a"])
    assert 'data-testid="act-override"' in page(chief, f"/c/alpha/ops/tickets/{ticket['id']}/")
    ticket = flow.ok("chief_a", ticket, "energise-override", reason="抢送电")
    assert ticket["overrides"][0]["work_ticket_numbers"] == [held["number"]]
    assert flow.tick(ticket, 1).status_code == 200


def test_permitted_work_ticket_holds_the_step_before_its_tag_is_placed__WORK_3(flow, work):
    held = work.measures_done(work.receive())
    held = work.permit(held).json()  # permitted, the centre has not yet placed the tag
    ticket = energising(flow)
    body = refused(flow.tick(ticket, 1), held["number"])
    assert "已许可" in body["message"] and "检修牌（" not in body["message"]


def test_override_by_the_chief_operator_lets_the_step_go_audited_and_logged__WORK_3(
    flow, work, web
):
    held = work.permitted()
    ticket = energising(flow)
    url = f"{BASE}/tickets/{ticket['id']}/energise-override"
    reason = "调度令：线路抢送电，工作班已撤离现场"
    # the team whose operation it guards may not, nor the deputy (403); a reason is needed
    for login in ("leader_a", "field_a", "deputy_a"):
        r = flow.as_(login).post(url, {"version": ticket["version"], "reason": reason})
        assert r.status_code == 403, (login, r.content)
    r = flow.as_("chief_a").post(url, {"version": ticket["version"], "reason": ""})
    assert r.status_code == 422 and "reason" in r.json()["fields"]
    r = flow.as_("chief_a").post(url, {"version": ticket["version"] - 1, "reason": reason})
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    r = flow.as_("chief_a").post(url, {"version": ticket["version"], "reason": reason})
    assert r.status_code == 200, r.content
    ticket = r.json()
    (override,) = ticket["overrides"]
    assert override["reason"] == reason and override["work_ticket_numbers"] == [held["number"]]
    assert override["by_id"] == flow.p["chief_a"].pk
    event = AuditEvent.objects.get(verb="ticket.energise_override")
    assert event.reason == reason and held["number"] in str(event.after)
    log = LogEntry.objects.get(text__contains=reason)
    assert ticket["number"] in log.text and "WORK-3" in log.text
    assert flow.tick(ticket, 1).status_code == 200
    # shown on the ticket and on the execute page
    client = web(flow.p["field_a"])
    for shown in ("", "execute/"):
        html = page(client, f"/c/alpha/ops/tickets/{ticket['id']}/{shown}")
        assert 'data-testid="override"' in html and reason in html and held["number"] in html
    # the department head may override too, but here nothing is left to override
    ticket = flow.as_("chief_a").get(f"{BASE}/tickets/{ticket['id']}").json()
    r = flow.as_("head_a").post(url, {"version": ticket["version"], "reason": reason})
    assert r.status_code == 409 and r.json()["code"] == "nothing_to_override"


def test_override_covers_its_work_tickets_only__WORK_3(flow, work):
    first = work.permitted()
    ticket = energising(flow)
    ticket = flow.ok("chief_a", ticket, "energise-override", reason="抢送电")
    # a second work ticket on the same breaker, permitted after the override: held again
    second = work.permit(work.measures_done(work.receive(work_leader="赵六"))).json()
    refused(flow.tick(ticket, 1), second["number"])
    assert first["number"] != second["number"]


def test_execute_page_refuses_the_step_and_offers_the_override__WORK_3(flow, work, web):
    held = work.permitted()
    ticket = energising(flow)
    url = f"/c/alpha/ops/tickets/{ticket['id']}/execute/"
    body = {
        "version": ticket["version"],
        "step": 1,
        "operator": flow.p["field_a"].pk,
        "guardian": flow.p["leader_a"].pk,
    }
    r = web(flow.p["field_a"]).post(url, body)
    html = r.content.decode()
    assert r.status_code == 409 and "WORK-3" in html and held["number"] in html
    assert OperationTicket.objects.get(pk=ticket["id"]).steps.get(seq=1).state == "pending"
    assert 'data-testid="act-override"' not in html  # not the team's decision
    chief = web(flow.p["chief_a"])
    assert 'data-testid="act-override"' in page(chief, url)
    act = f"/c/alpha/ops/tickets/{ticket['id']}/act/override/"
    r = chief.post(act, {"version": ticket["version"], "reason": ""})
    assert r.status_code == 422
    r = chief.post(act, {"version": ticket["version"], "reason": "抢送电"})
    assert r.status_code == 302
    r = web(flow.p["field_a"]).post(url, {**body, "version": ticket["version"] + 1})
    assert r.status_code == 302
    assert OperationTicket.objects.get(pk=ticket["id"]).steps.get(seq=1).state == "done"


# --- OPS-2: the team fills the ticket of an order it was phoned about -----------------------


def test_team_cannot_fill_the_ticket_of_an_order_it_was_not_phoned_about__OPS_2(flow, web):
    order = flow.order()  # received (预令已接), the team not yet phoned
    body = {
        "executor": "team",
        "team": flow.w.team.pk,
        "order": order["id"],
        "site": flow.w.sites["station"].pk,
        "task": order["task"],
        "steps": "拉开苏越线751开关",
    }
    r = flow.as_("field_a").post(f"{BASE}/tickets", body)
    assert r.status_code == 409, r.content
    assert r.json()["rule"] == "OPS-2" and r.json()["code"] == "team_not_notified"
    assert order["number"] in r.json()["message"]
    assert not OperationTicket.objects.filter(order_id=order["id"]).exists()
    # nor by the page
    client = web(flow.p["field_a"])
    r = client.post("/c/alpha/ops/tickets/new/", {"task_kind": "line_maintenance", **body})
    assert r.status_code == 409 and "OPS-2" in r.content.decode()
    assert not OperationTicket.objects.filter(order_id=order["id"]).exists()
    # nor by moving a ticket of its own onto that order
    own = flow.ticket()
    r = flow.as_("field_a").patch(
        f"{BASE}/tickets/{own['id']}", {"version": own["version"], "order": order["id"]}
    )
    assert r.status_code == 409 and r.json()["rule"] == "OPS-2"
    # once the centre has phoned the team, it fills the ticket
    flow.notify_team(order)
    ticket = flow.ticket(order=order["id"])
    assert ticket["order_id"] == order["id"]
