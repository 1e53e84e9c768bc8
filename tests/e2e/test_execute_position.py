"""Ticking steps on a phone keeps the place (OPS-6, issue 11): after each ticked step the
execute page comes back at the next step, so its button is on the screen — it used to come
back at the top, the next button far below, on a ticket of a dozen steps."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ..clock import ago
from .helpers import login, shots_folder

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
STEPS = [f"检查苏吴变10kV Ⅰ段母线第{n}号出线柜开关位置指示、带电显示装置正确" for n in range(1, 13)]


@pytest.fixture
def ordered_ticket(zhiban_server) -> dict:
    """A centre ticket of twelve steps at 苏吴变, filled by the deputy, reviewed and ordered
    by the chief operator (OPS-3, OPS-6): its steps may be ticked."""
    chief, deputy = zhiban_server.token("chenjing"), zhiban_server.token("wanglei")

    def api(token, method, path, body=None):
        return zhiban_server.api(method, f"/centres/suwu{path}", token, body)

    site = next(s for s in api(chief, "GET", "/sites?limit=100")["items"] if s["name"] == "苏吴变")
    ticket = api(
        deputy,
        "POST",
        "/tickets",
        {
            "executor": "centre",
            "site": site["id"],
            "task_kind": "line_maintenance",
            "task": "苏吴变10kV Ⅰ段母线出线柜位置核对",
            "steps": "\n".join(STEPS),
        },
    )
    ticket = api(chief, "POST", f"/tickets/{ticket['id']}/review", {"version": ticket["version"]})
    me = api(chief, "GET", "/people?q=chenjing")["items"][0]
    return api(
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


def test_after_each_tick_the_next_steps_button_is_on_the_phone_screen__OPS_6(
    new_context, ordered_ticket
):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, "wanglei")
    page.goto(f"/c/suwu/ops/tickets/{ordered_ticket['id']}/execute/")
    page.get_by_test_id("guardian").select_option(label="张伟")
    tick = page.get_by_test_id("tick")
    for n in range(1, len(STEPS) + 1):
        expect(tick).to_have_text(f"第 {n} 步完成")
        expect(tick).to_be_in_viewport()  # the operator reaches it without scrolling
        with page.expect_navigation():
            tick.click()
        expect(page.get_by_test_id("progress")).to_have_text(f"{n}/{len(STEPS)}")
        if n == 6 and shots_folder():  # what the phone shows, not the whole page (shot())
            page.screenshot(path=str(shots_folder() / "execute-after-step-6-390.png"))
    expect(page.get_by_test_id("ticket-state")).to_have_text("已执行")
    expect(tick).to_have_count(0)
