"""A four-remote acceptance ticked by its two checkers with both screens open at once (ACC-2,
ACC-3): the centre's checker at a desktop, the team's checker on a 390-px phone in the new
station. Each tick shows on the other screen without a reload — the row, its result and what
each side still owes —, and a point found wrong by the team offers the centre's checker the
defect or the summary list. The people and the sheet are this test's own (made through the
API with the platform administrator's token), so no other browser test logs in as them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import PASSWORD, login, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 860}
SHEETS = "/centres/suwu/upkeep/acceptance/sheets"


def _find(zhiban_server, token, path, **match):
    items = zhiban_server.api("GET", f"/centres/suwu/{path}?limit=500", token)["items"]
    return next(i for i in items if all(i.get(k) == v for k, v in match.items()))


def _person(zhiban_server, token, login_name, name, role, team=None):
    return zhiban_server.api(
        "POST",
        "/centres/suwu/people",
        token,
        {
            "username": login_name,
            "name": name,
            "password": PASSWORD,
            "role": role,
            "team": team,
        },
    )


@pytest.fixture
def sheet(zhiban_server):
    token = zhiban_server.token("admin")
    team = _find(zhiban_server, token, "teams", name="吴中操作队")
    site = _find(zhiban_server, token, "sites", code="MD110")
    centre_checker = _person(zhiban_server, token, "acc_desk", "严文", "chief_operator")
    team_checker = _person(
        zhiban_server, token, "acc_phone", "韩雪", "field_operator", team=team["id"]
    )
    sheet = zhiban_server.api(
        "POST",
        SHEETS,
        token,
        {
            "kind": "commissioning",
            "title": "木渎变二期四遥验收",
            "site": site["id"],
            "team": team["id"],
        },
    )
    for i, (bay, name, kind) in enumerate(
        [
            ("2号主变", "702 开关位置", "yx"),
            ("2号主变", "油温", "yc"),
            ("2号主变", "702 遥控", "yk"),
        ],
        start=1,
    ):
        version = zhiban_server.api("GET", f"{SHEETS}/{sheet['id']}", token)["version"]
        zhiban_server.api(
            "POST",
            f"{SHEETS}/{sheet['id']}/points",
            token,
            {
                "version": version,
                "bay": bay,
                "name": name,
                "remote_type": kind,
                "address": 9000 + i,
            },
        )
    sheet = zhiban_server.api("GET", f"{SHEETS}/{sheet['id']}", token)
    sheet = zhiban_server.api(
        "POST",
        f"{SHEETS}/{sheet['id']}/checkers",
        token,
        {
            "version": sheet["version"],
            "centre_checker": centre_checker["id"],
            "team_checker": team_checker["id"],
        },
    )
    return zhiban_server.api(
        "POST", f"{SHEETS}/{sheet['id']}/open", token, {"version": sheet["version"]}
    )


def _row(page, seq):
    return page.locator(f"[data-testid=point][data-seq='{seq}']")


def test_two_checkers_tick_with_both_screens_live__ACC_2_ACC_3(browser, base_url, sheet):
    desk_context = browser.new_context(base_url=base_url, locale="en-US", viewport=DESK)
    phone_context = browser.new_context(
        base_url=base_url, locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True
    )
    try:
        desk, phone = desk_context.new_page(), phone_context.new_page()
        login(desk, "acc_desk")
        login(phone, "acc_phone")
        path = f"/c/suwu/upkeep/acceptance/{sheet['id']}/"
        for page in (desk, phone):
            page.goto(path)
            expect(page.locator("[data-testid=sheet-state]")).to_contain_text("验收中")
            expect(page.locator("body")).to_have_attribute("data-live-state", "open")
            page.evaluate("window.__notReloaded = true")
        assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        expect(phone.locator("[data-testid=tick-form]")).to_have_count(3)
        expect(desk.locator("[data-testid=tick-form]")).to_have_count(3)

        # the team's checker ticks on the phone: the desk sees the row and the count change
        _row(phone, 1).locator("[data-testid=tick-ok]").click()
        expect(_row(phone, 1)).to_have_attribute("data-team", "ok")
        expect(_row(desk, 1)).to_have_attribute("data-team", "ok")
        expect(desk.locator("[data-testid=team-owes]")).to_contain_text("2")

        # the centre's checker ticks at the desk: the phone sees it
        _row(desk, 1).locator("[data-testid=tick-ok]").click()
        expect(_row(phone, 1)).to_have_attribute("data-centre", "ok")
        expect(phone.locator("[data-testid=both-done]")).to_have_text("1/3")

        # the team finds the oil temperature wrong on site: the centre is offered the defect
        _row(phone, 2).locator("input[name=remark]").fill("现场 45℃，主站 0")
        _row(phone, 2).locator("[data-testid=tick-fail]").click()
        expect(_row(desk, 2)).to_have_attribute("data-team", "fail")
        expect(_row(desk, 2).locator("[data-testid=raise-defect]")).to_be_visible()
        expect(_row(phone, 2).locator("[data-testid=raise-defect]")).to_have_count(0)
        _row(desk, 2).locator("[data-testid=raise-defect]").click()
        expect(_row(desk, 2).locator("[data-testid=point-defect]")).to_be_visible()
        expect(_row(phone, 2).locator("[data-testid=point-defect]")).to_be_visible()

        for page in (desk, phone):
            assert page.evaluate("window.__notReloaded === true")  # updated in place
        assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        shot(phone, "acceptance-phone")
        shot(desk, "acceptance-desk")
    finally:
        desk_context.close()
        phone_context.close()
