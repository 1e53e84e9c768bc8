"""Open orders and tickets join the handover (DUTY-3); a switching operation the centre is
executing blocks it (DUTY-10)."""

from ..duty.test_handover import check_all, prepare
from .conftest import BASE, STEPS


def centre_ticket(flow) -> dict:
    body = {
        "executor": "centre",
        "site": flow.w.sites["station"].pk,
        "task": "遥控操作751开关",
        "task_kind": "line_maintenance",
        "steps": "\n".join(STEPS),
    }
    ticket = flow.as_("deputy_a").post(f"{BASE}/tickets", body).json()
    return flow.give_order(flow.review(ticket, by="chief_a"), by="chief_a")


def test_open_orders_and_tickets_are_on_the_handover__DUTY_3(flow, shifts, api):
    order = flow.order()
    ticket = flow.review(flow.ticket())
    h = prepare(api, shifts.out_chief)
    texts = {i["text"]: i["kind"] for i in h["items"]}
    assert texts[f"{order['number']} {order['task']}"] == "other"
    assert texts[f"{ticket['number']} {ticket['task']}"] == "ticket"


def test_ticket_the_centre_is_executing_blocks_the_handover__DUTY_10(flow, shifts, api):
    ticket = centre_ticket(flow)
    ticket = flow.tick(ticket, 1, by="deputy_a", operator="deputy_a", guardian="chief_a").json()
    out = api(shifts.out_chief)
    h = check_all(out, prepare(api, shifts.out_chief))
    r = out.post(f"{BASE}/handovers/{h['id']}/offer", {"version": h["version"]})
    assert r.status_code == 409 and r.json()["rule"] == "DUTY-10"
    assert ticket["number"] in r.json()["message"]


def test_team_ticket_in_execution_is_listed_but_does_not_block__DUTY_10(flow, shifts, api):
    ticket = flow.tick(flow.ready(), 1).json()
    out = api(shifts.out_chief)
    h = check_all(out, prepare(api, shifts.out_chief))
    assert any(ticket["number"] in i["text"] for i in h["items"])
    r = out.post(f"{BASE}/handovers/{h['id']}/offer", {"version": h["version"]})
    assert r.status_code == 200, r.content
