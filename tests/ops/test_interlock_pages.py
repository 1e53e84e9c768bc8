"""The interlock's pages as people use them (WORK-3, DESIGN rule 8): the override's form says
what it lets go, the ticket's timeline names the override in words, and a refused tick keeps
the operator and guardian chosen."""

from __future__ import annotations

from .test_interlock import energising, page


def test_override_form_names_the_work_tickets_and_tags_it_lets_go__WORK_3(flow, work, web):
    held = work.permitted()
    ticket = energising(flow)
    html = page(web(flow.p["chief_a"]), f"/c/alpha/ops/tickets/{ticket['id']}/act/override/")
    assert html.count('data-testid="override-hold"') == 1
    assert held["number"] in html and "苏越线开关 751" in html and "已挂检修牌" in html
    assert f"/c/alpha/ops/work/{held['id']}/" in html


def test_timeline_names_the_override_in_words__WORK_3(flow, work, web):
    work.permitted()
    ticket = flow.ok("chief_a", energising(flow), "energise-override", reason="抢送电")
    html = page(web(flow.p["chief_a"]), f"/c/alpha/ops/tickets/{ticket['id']}/")
    assert "强制解锁的设备与工作票:" in html and "overridden:" not in html


def test_refused_tick_keeps_the_operator_and_guardian_chosen__WORK_3(flow, work, web):
    work.permitted()
    ticket = energising(flow)
    operator, guardian = flow.p["field_a"].pk, flow.p["leader_a"].pk
    r = web(flow.p["field_a"]).post(
        f"/c/alpha/ops/tickets/{ticket['id']}/execute/",
        {"version": ticket["version"], "step": 1, "operator": operator, "guardian": guardian},
    )
    html = r.content.decode()
    assert r.status_code == 409 and "WORK-3" in html
    guardian_select = html.split('id="tick-guardian"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{guardian}" selected>' in guardian_select


def test_override_on_the_ticket_gives_its_reason_as_a_reason__WORK_3(flow, work, web):
    held = work.permitted()
    ticket = flow.ok("chief_a", energising(flow), "energise-override", reason="抢送电")
    for shown in ("", "execute/"):
        html = page(web(flow.p["field_a"]), f"/c/alpha/ops/tickets/{ticket['id']}/{shown}")
        block = html.split('data-testid="override"', 1)[1].split('data-testid="override-reason"')
        assert held["number"] in block[0]
        assert block[1].split("</div>", 1)[0] == ">原因: 抢送电"
