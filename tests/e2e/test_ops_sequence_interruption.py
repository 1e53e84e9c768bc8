"""A sequence-control interruption handed over to the field team, in the Chinese interface
(OPS-10): the centre's deputy runs the sequence control step by step, the communication fails,
the centre records the interruption (dispatcher reported to, device state, reason) and the
executed steps are stamped 已执行; the team's follow-up ticket starts at the first unexecuted
step, is refused until the centre records the dispatcher's consent, then the team finishes it
on a phone and the duty log shows it.

The ticket is set up through the API (filled by the deputy, reviewed and ordered by the chief,
OPS-3); everything about the interruption happens in the browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ..clock import ago
from .helpers import login, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
TASK = "35kV横胥线351开关由运行转检修（顺控）"
STEPS = [
    "拉开横胥线351开关",
    "检查横胥线351开关确已拉开",
    "拉开横胥线3513线路闸刀",
    "检查横胥线3513线路闸刀确已拉开",
    "合上横胥线35130接地闸刀",
]
DEVICE_STATE = "351开关分位，3513闸刀合位"


def find(items: list, **match) -> dict:
    return next(i for i in items if all(i[k] == v for k, v in match.items()))


@pytest.fixture
def sequence_ticket(zhiban_server) -> dict:
    chief, deputy = zhiban_server.token("zhangwei"), zhiban_server.token("wanglei")

    def api(token, method, path, body=None):
        return zhiban_server.api(method, f"/centres/suwu{path}", token, body)

    site = find(api(chief, "GET", "/sites?q=XK35")["items"], code="XK35")
    team = find(api(chief, "GET", "/teams?limit=100")["items"], name="吴中操作队")
    ticket = api(
        deputy,
        "POST",
        "/tickets",
        {
            "executor": "centre",
            "team": team["id"],
            "site": site["id"],
            "task_kind": "line_maintenance",
            "task": TASK,
            "steps": "\n".join(STEPS),
            "sequence_control": True,
        },
    )
    ticket = api(chief, "POST", f"/tickets/{ticket['id']}/review", {"version": ticket["version"]})
    me = api(chief, "GET", "/people?q=zhangwei")["items"][0]
    return api(
        chief,
        "POST",
        f"/tickets/{ticket['id']}/order",
        {
            "version": ticket["version"],
            "issuer": "地调 王调度",
            "receiver": me["id"],
            "ordered_at": ago(hours=1),  # in the real server's window (ORG-4)
        },
    )


def tick(page: Page, step: int, guardian: str) -> None:
    page.get_by_test_id("guardian").select_option(label=guardian)
    with page.expect_navigation():
        page.get_by_test_id("tick").click()
    expect(page.get_by_test_id("step").nth(step - 1)).to_have_attribute("data-state", "done")


def act(page: Page, key: str) -> None:
    with page.expect_navigation():
        page.get_by_test_id(f"act-{key}").first.click()


def save(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_test_id("save").click()


def test_sequence_control_interruption_is_handed_over_to_the_team__OPS_10(
    new_context, sequence_ticket: dict
):
    number = sequence_ticket["number"]
    deputy = new_context(viewport=DESKTOP).new_page()
    login(deputy, "wanglei")
    deputy.goto(f"/c/suwu/ops/tickets/{sequence_ticket['id']}/execute/")
    tick(deputy, 1, "张伟")
    tick(deputy, 2, "张伟")

    # the communication fails: the centre records the interruption
    act(deputy, "interrupt")
    deputy.locator("select[name=cause]").select_option("communication_lost")
    save(deputy)  # the rest missing: refused per field, nothing written
    expect(deputy.locator("[data-field=reported_to]")).to_be_visible()
    deputy.locator("input[name=reported_to]").fill("地调 王调度")
    deputy.locator("input[name=device_state]").fill(DEVICE_STATE)
    deputy.locator("input[name=reason]").fill("横胥变远动通道中断")
    save(deputy)
    expect(deputy.get_by_test_id("ticket-state")).to_have_text("终止操作")
    expect(deputy.get_by_test_id("interruption")).to_contain_text(DEVICE_STATE)
    states = deputy.get_by_test_id("step")
    for i, state in enumerate(["stamped", "stamped", "not_done", "not_done", "not_done"]):
        expect(states.nth(i)).to_have_attribute("data-state", state)
    expect(states.nth(0)).to_contain_text("已执行")
    shot(deputy, "sequence-interrupted")
    follow_link = deputy.get_by_test_id("follow-up")
    follow_number = follow_link.inner_text().strip()
    follow_url = follow_link.get_attribute("href")

    # the team on a phone: review, the order, the call to the centre — then wait for consent
    leader = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(leader, "zhaogang")
    leader.goto(follow_url)
    expect(leader.get_by_test_id("consent")).to_contain_text("OPS-10")
    expect(leader.get_by_test_id("step")).to_have_count(3)
    expect(leader.get_by_test_id("step").first).to_contain_text(STEPS[2])
    act(leader, "review")
    act(leader, "order")
    leader.locator("input[name=issuer]").fill("地调 王调度")
    save(leader)
    act(leader, "notify_centre")
    save(leader)
    leader.get_by_test_id("execute").click()
    expect(leader.get_by_test_id("needs-consent")).to_contain_text("OPS-10")
    expect(leader.get_by_test_id("tick")).to_have_count(0)
    shot(leader, "sequence-waits-for-consent")

    # the centre records the dispatcher's consent
    chief = new_context(viewport=DESKTOP).new_page()
    login(chief, "zhangwei")
    chief.goto(follow_url)
    act(chief, "consent")
    expect(chief.locator("input[name=dispatcher]")).to_have_value("地调 王调度")
    save(chief)
    expect(chief.get_by_test_id("consent")).to_contain_text("地调 王调度")

    # the team finishes on site, from the first unexecuted step
    leader.reload()
    for step in (1, 2, 3):
        tick(leader, step, "孙丽")
    expect(leader.get_by_test_id("ticket-state")).to_have_text("已执行")
    expect(leader.get_by_test_id("progress")).to_have_text("3/3")
    shot(leader, "sequence-finished-on-site")
    assert leader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    chief.goto("/c/suwu/duty/log/?q=" + follow_number)
    log = chief.get_by_test_id("log")
    expect(log).to_contain_text(re.compile(f"{follow_number}.*{STEPS[4]}"))
    chief.goto("/c/suwu/duty/log/?q=" + number)
    expect(log).to_contain_text(DEVICE_STATE)
