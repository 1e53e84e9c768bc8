"""The interlock of operation ticket and maintenance tag in the browser (WORK-3, DESIGN rule 8):
the demo's 苏越线开关 751 carries the tag of a permitted work ticket; the centre's deputy 王磊
tries the first step of a ticket putting it back into service and is refused, the refusal naming
the work ticket; the chief operator 陈静, on her phone in English, sees the tag on the ticket
without the page scrolling sideways, reads on the override's form what it lets go, must give a
reason, and the override then shows on the ticket and its timeline in words; 王磊's step goes."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from ..clock import ago
from .helpers import login, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TASK = "110kV苏越线751开关由检修转运行"
STEPS = ["拉开苏越线75130接地闸刀", "合上苏越线7511母线闸刀", "合上苏越线751开关"]
REASON = "调度令：线路抢送电，工作班已撤离现场"


def find(items: list, **match) -> dict:
    return next(i for i in items if all(i[k] == v for k, v in match.items()))


@pytest.fixture
def held_ticket(zhiban_server) -> dict:
    """A centre ticket taking 苏越线751开关 from maintenance to service, ordered (OPS-3), with
    the number of the demo's work ticket holding the breaker."""
    chief, deputy = zhiban_server.token("chenjing"), zhiban_server.token("wanglei")

    def api(token, method, path, body=None):
        return zhiban_server.api(method, f"/centres/suwu{path}", token, body)

    site = find(api(chief, "GET", "/sites?limit=100")["items"], name="苏吴变")
    ticket = api(
        deputy,
        "POST",
        "/tickets",
        {
            "executor": "centre",
            "site": site["id"],
            "task_kind": "line_maintenance",
            "task": TASK,
            "steps": "\n".join(STEPS),
        },
    )
    ticket = api(chief, "POST", f"/tickets/{ticket['id']}/review", {"version": ticket["version"]})
    me = api(chief, "GET", "/people?q=chenjing")["items"][0]
    work = find(api(chief, "GET", "/work-tickets?limit=100")["items"], state="permitted")
    ordered = api(
        chief,
        "POST",
        f"/tickets/{ticket['id']}/order",
        {
            "version": ticket["version"],
            "issuer": "地调 王调度",
            "receiver": me["id"],
            "ordered_at": ago(minutes=10),
        },
    )
    return {**ordered, "work_number": work["number"]}


def fits(page: Page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1, f"{where}: the page is {width} px wide on a phone"


def tick_first(page: Page) -> None:
    page.get_by_test_id("guardian").select_option(label="张伟")
    with page.expect_navigation():
        page.get_by_test_id("tick").click()


def switch(page: Page, language: str) -> None:
    page.locator(f"[data-testid=language-switch] button[value={language}]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en" if language == "en" else "zh-Hans")


def test_refused_step_and_the_chief_operators_override_on_a_phone__WORK_3(
    new_context, held_ticket: dict
):
    ticket = f"/c/suwu/ops/tickets/{held_ticket['id']}/"
    deputy = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(deputy, "wanglei")
    deputy.goto(f"{ticket}execute/")
    tick_first(deputy)
    error = deputy.get_by_test_id("form-error")
    expect(error).to_contain_text("WORK-3")
    expect(error).to_contain_text(held_ticket["work_number"])
    expect(deputy.get_by_test_id("step").first).to_have_attribute("data-state", "pending")
    expect(deputy.get_by_test_id("act-override")).to_have_count(0)  # not the deputy's decision
    shot(deputy, "interlock-refused")

    chief = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(chief, "chenjing")  # her saved language goes back to Chinese at the end
    switch(chief, "en")
    try:
        chief.goto(ticket)
        expect(chief.get_by_test_id("tag-badge")).to_have_text("under maintenance (检修)")
        fits(chief, "the ticket with a tagged breaker")
        title = chief.locator(".page-title").bounding_box()
        assert title is not None and title["height"] < 40, "the ticket's number breaks"
        chief.goto(f"{ticket}execute/")
        with chief.expect_navigation():
            chief.get_by_test_id("act-override").click()
        expect(chief.get_by_test_id("override-hold")).to_contain_text("苏越线开关 751")
        expect(chief.get_by_test_id("override-hold")).to_contain_text("maintenance tag (检修牌)")
        fits(chief, "the override's form")
        with chief.expect_navigation():
            chief.get_by_test_id("save").click()  # no reason: refused next to the field
        expect(chief.locator("[data-field=reason]")).to_be_visible()
        chief.locator("[name=reason]").fill(REASON)
        with chief.expect_navigation():
            chief.get_by_test_id("save").click()
        expect(chief.get_by_test_id("override")).to_contain_text(REASON)
        expect(chief.get_by_test_id("timeline")).to_contain_text("interlock overridden for")
        fits(chief, "the overridden ticket")
        shot(chief, "interlock-overridden-en-390")
    finally:
        switch(chief, "zh-hans")

    deputy.goto(f"{ticket}execute/")
    tick_first(deputy)
    expect(deputy.get_by_test_id("step").first).to_have_attribute("data-state", "done")
