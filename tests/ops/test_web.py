"""The operations pages: the order board, the ticket page and its act pages, and step-by-step
execution on a phone — each refusal shown with its rule."""


def page(client, url, status=200) -> str:
    r = client.get(url)
    assert r.status_code == status, r.content[:500]
    return r.content.decode()


def test_order_board_shows_each_order_at_its_stage__OPS_2(flow, web):
    flow.order(task="吴东线752开关由运行转检修")
    flow.notify_team(flow.order())
    html = page(web(flow.p["chief_a"]), "/c/alpha/ops/")
    assert html.count('data-testid="order-card"') == 2
    received, notified = html.index("预令已接"), html.index("已通知操作队")
    assert received < html.index("吴东线752开关") < notified < html.index("苏越线751开关")


def test_pre_order_page_receives_an_order_and_refuses_per_field__OPS_1(flow, web):
    client = web(flow.p["chief_a"])
    assert "read_back" in page(client, "/c/alpha/ops/orders/new/")
    r = client.post(
        "/c/alpha/ops/orders/new/",
        {
            "dispatcher": "地调 王调度",
            "received_at": "2026-11-27T09:00",
            "task": "x",
            "site": flow.w.sites["station"].pk,
        },
    )
    assert r.status_code == 422 and 'data-field="read_back"' in r.content.decode()


def test_ticket_page_shows_equipment_by_double_name__OPS_15(flow, web):
    ticket = flow.ticket()
    html = page(web(flow.p["chief_a"]), f"/c/alpha/ops/tickets/{ticket['id']}/")
    assert "苏越线开关 751" in html and ticket["number"] in html


def test_filler_is_not_offered_the_review_and_a_forced_one_names_the_rule__OPS_3(flow, web):
    ticket = flow.ticket(by="field_a")
    client = web(flow.p["field_a"])
    html = page(client, f"/c/alpha/ops/tickets/{ticket['id']}/")
    assert 'data-testid="act-review"' not in html and "OPS-3" in html
    r = client.post(
        f"/c/alpha/ops/tickets/{ticket['id']}/act/review/", {"version": ticket["version"]}
    )
    assert r.status_code == 404  # the act is not offered to the filler
    reviewer = web(flow.p["field2_a"])
    assert 'data-testid="act-review"' in page(reviewer, f"/c/alpha/ops/tickets/{ticket['id']}/")
    r = reviewer.post(
        f"/c/alpha/ops/tickets/{ticket['id']}/act/review/",
        {"version": ticket["version"]},
        follow=True,
    )
    assert "已审核" in r.content.decode()


def test_consent_without_lock_is_refused_on_the_page_naming_the_rule__OPS_5(flow, web):
    ticket = flow.give_order(
        flow.review(flow.ticket(task_kind="capacitor_maintenance", equipment=[flow.g.capacitor.pk]))
    )
    client = web(flow.p["leader_a"])
    url = f"/c/alpha/ops/tickets/{ticket['id']}/act/notify_centre/"
    assert 'name="caller"' in page(client, url)
    r = client.post(url, {"version": ticket["version"], "at": "2026-11-27T09:00", "caller": "一队"})
    assert r.status_code == 409
    assert "OPS-5" in r.content.decode() and "1号电容器 C1" in r.content.decode()


def test_phone_execution_ticks_the_next_step_and_refuses_out_of_order__OPS_6(flow, web):
    ticket = flow.ready()
    client = web(flow.p["field_a"])
    url = f"/c/alpha/ops/tickets/{ticket['id']}/execute/"
    html = page(client, url)
    assert html.count('data-testid="tick"') == 1 and "第 1 步完成" in html
    body = {
        "version": ticket["version"],
        "operator": flow.p["field_a"].pk,
        "guardian": flow.p["leader_a"].pk,
    }
    r = client.post(url, {**body, "step": 2})
    assert r.status_code == 409 and "OPS-6" in r.content.decode()
    r = client.post(url, {**body, "step": 1})
    assert r.status_code == 302
    stale = client.post(url, {**body, "step": 2})  # the version read before the tick
    assert stale.status_code == 409 and 'data-testid="reload"' in stale.content.decode()
    html = page(client, url)
    assert "第 2 步完成" in html and 'data-state="done"' in html


def test_execution_page_asks_for_the_call_to_the_centre_first__OPS_4(flow, web):
    ticket = flow.give_order(flow.review(flow.ticket()))
    html = page(web(flow.p["field_a"]), f"/c/alpha/ops/tickets/{ticket['id']}/execute/")
    assert 'data-testid="needs-centre"' in html and 'data-testid="tick"' not in html
    assert 'data-testid="act-notify_centre"' in html


def test_lock_is_placed_and_released_from_the_pages__OPS_5(flow, web):
    client = web(flow.p["chief_a"])
    r = client.post(
        "/c/alpha/ops/locks/new/", {"equipment": flow.g.capacitor.pk, "reason": "电容器检修"}
    )
    assert r.status_code == 302
    html = page(client, r["Location"])
    assert 'data-testid="release-lock"' in html
    assert "1号电容器 C1" in page(client, "/c/alpha/ops/")


def test_operations_area_is_only_for_power_centres(flow, web):
    page(web(flow.p["admin_b"]), "/c/beta/ops/", status=200)  # the page exists…
    html = page(web(flow.p["admin_b"]), "/c/beta/")
    assert "/c/beta/ops/" not in html  # …but the navigation of a security room leaves it out


def test_pages_are_complete_in_english(flow, web):
    client = web(flow.p["chief_a"])
    client.post("/language/", {"language": "en"})
    flow.order()
    html = page(client, "/c/alpha/ops/")
    assert "Pre-order received" in html and "Tickets in progress" in html


def test_a_strange_station_in_the_address_is_ignored_not_a_500(flow, web):
    client = web(flow.p["field_a"])
    for site in ("²", "9" * 30, "-1"):
        assert client.get(f"/c/alpha/ops/tickets/new/?site={site}").status_code == 200


def test_act_buttons_carry_their_rule_as_help_not_in_the_label__OPS_4(flow, web):
    """Issue 11: "操作前告知监控中心" is the button; its rule (OPS-4) is its title and the act
    page's pretitle, never part of the label."""
    ticket = flow.give_order(flow.review(flow.ticket()))
    client = web(flow.p["leader_a"])
    html = page(client, f"/c/alpha/ops/tickets/{ticket['id']}/")
    assert (
        'data-testid="act-notify_centre" title="操作前告知监控中心（OPS-4）">操作前告知监控中心<'
        in html
    )
    html = page(client, f"/c/alpha/ops/tickets/{ticket['id']}/act/notify_centre/")
    assert 'data-testid="act-rule">OPS-4<' in html and ">操作前告知监控中心</button>" in html
