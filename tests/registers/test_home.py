"""The registers' home and the console's registers panel: each register of the centre's kind
with what awaits approval; pending approvals, visitors in the room and footage overwritten
soon on the console (REG-1, REG-2, REG-9)."""

from __future__ import annotations

from .conftest import footage_body


def test_home_lists_the_registers_with_what_awaits_approval__REG_2(reg):
    reg.as_("monitor").post("/centres/room/registers/footage", footage_body(reg))
    page = reg.web("monitor").get("/c/room/registers/").content.decode()
    for key in ("visitor", "footage", "screen_use"):
        assert f'data-testid="register-{key}"' in page
    assert page.count('data-testid="waiting"') == 1


def test_console_shows_pending_approvals_and_visitors_in_the_room__REG_1(reg):
    reg.as_("monitor").post("/centres/room/registers/footage", footage_body(reg))
    visitor = (
        reg.as_("leader")
        .post(
            "/centres/room/registers/visitors",
            {"name": "赵敏", "organisation": "派出所", "reason": "查看录像", "escort": "徐辉"},
        )
        .json()
    )
    reg.as_("head").post(
        f"/centres/room/registers/visitors/{visitor['id']}/approve", {"version": 1}
    )
    reg.as_("leader").post(
        f"/centres/room/registers/visitors/{visitor['id']}/arrive", {"version": 2}
    )
    console = reg.web("head").get("/c/room/").content.decode()
    assert 'data-testid="console-registers"' in console
    assert console.count('data-testid="waiting-entry"') == 1
    assert console.count('data-testid="in-room"') == 1
