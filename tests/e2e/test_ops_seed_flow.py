"""The seed's daily flow of a monitoring centre and its operation team (监控中心与操作队日常工作流程),
walked through the Chinese web pages on phones (390 × 844), each person in a browser of their
own:

1. 张伟 (zhangwei, chief operator 正值 of 苏吴监控中心) takes down the dispatcher's pre-order,
   with its read-back: the task ticket (任务票) is numbered (OPS-1);
2. he phones 吴中操作队 and records 赵刚's read-back: the order is "team notified" (OPS-2);
3. 孙丽 (sunli, of the team) fills the operation ticket for the order; she is not offered the
   review of her own ticket, 周杰 (zhoujie, the same team) reviews it (OPS-3);
4. 赵刚 (zhaogang, the team's chief) records the formal order and the order to operate on the
   ticket (OPS-4, OPS-6);
5. on 孙丽's phone the execute page asks for the call to the centre and offers no tick before it;
   赵刚 phones the centre and 张伟 records the call and consents (OPS-4);
6. 孙丽 ticks the steps one by one on the phone, each with operator and guardian, until the
   ticket is completed and the order done (OPS-6);
7. the centre's duty log shows the pre-order, the formal order, the ticket's filling, review,
   order and call to the centre, every step and the completion, written by the system
   (DUTY-7).

Every page of the flow is checked for sideways scrolling at 390 px. Screenshots of each stage
go to ZHIBAN_E2E_SHOTS when it names a folder.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from .helpers import login, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SHANGHAI = ZoneInfo("Asia/Shanghai")
CENTRE = "/c/suwu"

DISPATCHER = "地调 王调度"
STEPS = [
    "拉开吴东线752开关",
    "检查吴东线752开关确已拉开",
    "拉开吴东线7523线路闸刀",
    "检查吴东线7523线路闸刀确已拉开",
    "拉开吴东线7521母线闸刀",
    "检查吴东线7521母线闸刀确已拉开",
    "在吴东线752开关与7523闸刀间验明确无电压",
    "合上吴东线75230接地闸刀",
]


def fits(page: Page, stage: str) -> None:
    """The page does not scroll sideways on the phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{stage}: the page is {width} px wide on a phone"


def stage(page: Page, name: str) -> None:
    fits(page, name)
    shot(page, f"ops-{name}")


def numbered(page: Page) -> list[bool]:
    """Which items of the execute page's list take a number (a CSS counter of the list)."""
    return page.locator("[data-testid=steps] > li").evaluate_all(
        "items => items.map(li => { const b = getComputedStyle(li, '::before');"
        " return b.content !== 'none' && b.counterIncrement !== 'none'; })"
    )


def now_local() -> str:
    return datetime.now(SHANGHAI).strftime("%Y-%m-%dT%H:%M")


def phone(new_context, username: str) -> Page:
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, username)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    return page


def save(page: Page) -> None:
    button = page.locator("[data-testid=save]")
    button.scroll_into_view_if_needed()
    button.click()


def test_seed_flow_from_pre_order_to_duty_log_on_phones__OPS_1_OPS_2_OPS_3_OPS_4_OPS_6_DUTY_7(
    new_context,
):
    task = f"110kV苏吴变吴东线752开关由运行转检修（{secrets.token_hex(2)}）"
    centre = phone(new_context, "zhangwei")

    # 1. OPS-1: the chief operator takes down the pre-order and reads it back
    centre.goto(f"{CENTRE}/ops/")
    expect(centre.locator("[data-testid=order-board]")).to_be_visible()
    stage(centre, "01-board")
    centre.locator("[data-testid=new-order]").click()
    form = centre.locator("[data-testid=record-form]")
    form.locator("[name=dispatcher]").fill(DISPATCHER)
    form.locator("[name=received_at]").fill(now_local())
    form.locator("[name=task]").fill(task)
    form.locator("[name=task_kind]").select_option("line_maintenance")
    form.locator("[name=site]").select_option(label="苏吴变")
    form.locator("[name=equipment]").select_option(label="苏吴变 · 吴东线开关 752")
    form.locator("[name=read_back]").fill("吴东线752开关由运行转检修，已复诵")
    form.locator("[name=team]").select_option(label="吴中操作队")
    stage(centre, "02-pre-order-form")
    save(centre)
    expect(centre.locator("[data-testid=order-state]")).to_have_text("预令已接")
    heading = centre.locator(".page-title").inner_text()
    order_number = re.search(r"RW-\d{4}-\d+", heading).group(0)
    order_url = centre.url
    stage(centre, "03-pre-order-received")

    # 2. OPS-2: the centre phones the team on duty, who read the task back
    centre.locator("[data-testid=act-notify]").click()
    form = centre.locator("[data-testid=act-form]")
    form.locator("[name=person]").select_option(label="赵刚")
    form.locator("[name=read_back]").fill("赵刚复诵正确")
    stage(centre, "04-notify-team-form")
    save(centre)
    expect(centre.locator("[data-testid=order-state]")).to_have_text("已通知操作队")
    stage(centre, "05-team-notified")

    # 3. OPS-3: a team member fills the ticket of the order, another one reviews it
    filler = phone(new_context, "sunli")
    filler.goto(order_url)
    filler.locator("[data-testid=order-new-ticket]").click()
    form = filler.locator("[data-testid=record-form]")
    expect(form.locator("[name=team] option:checked")).to_have_text("吴中操作队")
    form.locator("[name=task]").fill(task)
    form.locator("[name=equipment]").select_option(label="苏吴变 · 吴东线开关 752")
    form.locator("[name=steps]").fill("\n".join(STEPS))
    form.locator("[name=operator]").select_option(label="孙丽")
    form.locator("[name=guardian]").select_option(label="赵刚")
    form.locator("[name=in_charge]").select_option(label="赵刚")
    stage(filler, "06-ticket-form")
    save(filler)
    expect(filler.locator("[data-testid=ticket-state]")).to_have_text("待审核")
    ticket_url = filler.url
    ticket_number = filler.locator(".page-title").inner_text().strip()
    assert re.fullmatch(r"SUWU-\d{4}-\d+", ticket_number), ticket_number
    expect(filler.locator("[data-testid=step]")).to_have_count(len(STEPS))
    expect(filler.locator("[data-testid=act-review]")).to_have_count(0)
    expect(filler.locator("[data-testid=acts]")).to_contain_text("OPS-3")
    stage(filler, "07-ticket-draft")

    reviewer = phone(new_context, "zhoujie")
    reviewer.goto(ticket_url)
    reviewer.locator("[data-testid=act-review]").click()
    expect(reviewer.locator("[data-testid=ticket-state]")).to_have_text("已审核")
    stage(reviewer, "08-ticket-reviewed")

    # 4. OPS-4: the formal order reaches the station; the team's chief receives it and records
    #    the order to operate on the ticket (OPS-6: who gave it, who received it, when)
    chief = phone(new_context, "zhaogang")
    chief.goto(order_url)
    chief.locator("[data-testid=act-formal]").click()
    form = chief.locator("[data-testid=act-form]")
    expect(form.locator("[name=received_by] option:checked")).to_have_text("赵刚")
    stage(chief, "09-formal-order-form")
    save(chief)
    expect(chief.locator("[data-testid=order-state]")).to_have_text("已正式发令")
    stage(chief, "10-formal-order")
    chief.goto(ticket_url)
    chief.locator("[data-testid=act-order]").click()
    form = chief.locator("[data-testid=act-form]")
    expect(form.locator("[name=issuer]")).to_have_value(DISPATCHER)
    save(chief)
    expect(chief.locator("[data-testid=ticket-state]")).to_have_text("已发令")
    stage(chief, "11-ticket-ordered")

    # 5. OPS-4: no step before the centre is told
    execute_url = ticket_url + "execute/"
    filler.goto(execute_url)
    expect(filler.locator("[data-testid=needs-centre]")).to_be_visible()
    expect(filler.locator("[data-testid=tick]")).to_have_count(0)
    stage(filler, "12-execute-waits-for-the-centre")

    centre.goto(ticket_url)
    centre.locator("[data-testid=act-notify_centre]").click()
    form = centre.locator("[data-testid=act-form]")
    form.locator("[name=caller]").fill("吴中操作队 赵刚")
    stage(centre, "13-centre-notified-form")
    save(centre)
    expect(centre.locator("[data-testid=centre-notified]")).not_to_have_text("—")
    stage(centre, "14-centre-notified")

    # 6. OPS-6: the steps ticked one by one on the phone, with operator and guardian
    filler.goto(execute_url)
    expect(filler.locator("[data-testid=needs-centre]")).to_have_count(0)
    for n, text in enumerate(STEPS, start=1):
        current = filler.locator(".zb-step-current")
        expect(current).to_contain_text(text)
        expect(filler.locator("[data-testid=operator] option:checked")).to_have_text("孙丽")
        expect(filler.locator("[data-testid=guardian] option:checked")).to_have_text("赵刚")
        tick = filler.locator("[data-testid=tick]")
        expect(tick).to_have_count(1)
        expect(tick).to_have_text(re.compile(rf"第 {n} 步完成"))
        box = tick.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        # the tick form under the current step takes no number: the steps keep theirs
        assert numbered(filler) == [True] * n + [False] + [True] * (len(STEPS) - n)
        if n in (1, 4):
            stage(filler, f"15-execute-step-{n}")
        tick.click()
        expect(filler.locator("[data-testid=progress]")).to_have_text(f"{n}/{len(STEPS)}")
        done = filler.locator("[data-testid=step]").nth(n - 1)
        expect(done).to_have_attribute("data-state", "done")
        expect(done).to_contain_text("孙丽 / 赵刚")
    expect(filler.locator("[data-testid=ticket-state]")).to_have_text("已执行")
    expect(filler.locator("[data-testid=tick]")).to_have_count(0)
    stage(filler, "16-execute-completed")

    centre.goto(order_url)
    expect(centre.locator("[data-testid=order-state]")).to_have_text("已完成")
    expect(centre.locator("[data-testid=order-tickets]")).to_contain_text(ticket_number)
    stage(centre, "17-order-done")

    # 7. DUTY-7: the centre's duty log shows what the order and the ticket wrote, each found by
    # its number (the log's first page also holds what other browser tests wrote meanwhile)
    centre.goto(f"{CENTRE}/duty/log/?q={order_number}")
    log = centre.locator("[data-testid=log]")
    expect(log).to_contain_text(f"接{DISPATCHER}预发令：{task}（任务票 {order_number}）")
    expect(log).to_contain_text(f"{order_number} 已通知吴中操作队（赵刚 复诵）")
    expect(log).to_contain_text(f"{order_number} 正式发令，受令人 赵刚")
    stage(centre, "18-duty-log-of-the-order")

    centre.locator("[data-testid=filters] [name=q]").fill(ticket_number)
    centre.locator("[data-testid=filters] button[type=submit]").click()
    for n, text in enumerate(STEPS, start=1):
        expect(log).to_contain_text(
            f"{ticket_number} 第 {n} 步：{text}（操作人 孙丽，监护人 赵刚）"
        )
    expect(log).to_contain_text(f"{ticket_number} 执行完毕：{task}")
    # every stage of the ticket before its steps, too (DUTY-7, OPS-4)
    expect(log).to_contain_text(f"{ticket_number} 已填票：{task}")
    expect(log).to_contain_text(f"{ticket_number} 已审核（填票人 孙丽）")
    expect(log).to_contain_text(f"{ticket_number} 已发令：")
    expect(log).to_contain_text(f"吴中操作队 赵刚 操作 {ticket_number} 前汇报监控中心")
    # filled, reviewed, ordered, the centre told, each step, completed
    expect(centre.locator("[data-testid=log-entry]")).to_have_count(4 + len(STEPS) + 1)
    stage(centre, "19-duty-log-of-the-ticket")
