"""A whole handover (交接班) in the Chinese interface, two people in two browsers: the outgoing
chief prepares it from the console, records the shared-item checks and signs; the incoming
chief signs in, acknowledges, marks one carried-over item unclear and is refused until the
outgoing side clarifies it (上不清下不接, DUTY-4); the outgoing chief may sign out only after the
incoming side has taken over (DUTY-5).

The server runs on the real clock, so the test opens its own centre with two shift patterns
placed around "now" in Asia/Shanghai (shift A on now, shift B starting in about 45 minutes)
instead of using the demo roster.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from .helpers import login, shot

pytestmark = pytest.mark.e2e

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "Zhiban#2026x"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")

# what the outgoing side leaves to the incoming side
UPS = "3号UPS电池告警，待厂家更换电池"
DOOR = "2号门禁读卡器失灵，已报修"
KEYS = "钥匙（值班室、高压室）"
RADIO = "对讲机"
RADIO_NOTE = "2号对讲机电池鼓包，已停用"
UNCLEAR_NOTE = "厂家预计何时到场？备用电池是否已接入？"
CLARIFICATION = "厂家明天上午9点到场；备用电池已接入，运行正常。"


@dataclass
class DutyCentre:
    code: str
    admin: str  # admin's API token (set-up and state checks only)
    out_chief: str  # usernames
    out_deputy: str
    in_chief: str
    in_deputy: str
    names: dict  # username -> Chinese name
    shift_a: str  # pattern names
    shift_b: str


@pytest.fixture
def duty_centre(zhiban_server) -> DutyCentre:
    """A power centre of its own: shift A on now, shift B in about 45 minutes, a crew of a
    chief (正值) and a deputy (副值) on each, two handover check items and one carried-over
    item opened by admin."""
    admin = zhiban_server.token("admin")

    def api(method, path, body=None):
        return zhiban_server.api(method, path, admin, body)

    suffix = secrets.token_hex(3)
    code = f"e2e-duty-{suffix}"
    api(
        "POST",
        "/centres",
        {
            "code": code,
            "name": f"交接班测试监控中心{suffix}",
            "kind": "power",
            "time_zone": "Asia/Shanghai",
        },
    )
    crew = {
        f"e2e{suffix}oc": ("钱建国", "chief_operator", "正值"),
        f"e2e{suffix}od": ("吴晓燕", "deputy_operator", "副值"),
        f"e2e{suffix}ic": ("郑海涛", "chief_operator", "正值"),
        f"e2e{suffix}id": ("冯丽娟", "deputy_operator", "副值"),
    }
    ids = {}
    for username, (name, role, post) in crew.items():
        person = api(
            "POST",
            f"/centres/{code}/people",
            {"username": username, "name": name, "password": PASSWORD, "role": role, "post": post},
        )
        ids[username] = person["id"]
    out_chief, out_deputy, in_chief, in_deputy = crew

    # A: from an hour ago to 45 minutes from now; B: the two hours after A. A shift's day is
    # the date it starts on (a pattern ending "earlier" than it starts ends the next day).
    now = datetime.now(SHANGHAI).replace(second=0, microsecond=0)
    a_starts, a_ends = now - timedelta(minutes=60), now + timedelta(minutes=45)
    b_starts, b_ends = a_ends, a_ends + timedelta(hours=2)
    shift_a, shift_b = "甲班", "乙班"  # the centre is new: no other patterns
    a = api(
        "POST",
        f"/centres/{code}/shift-patterns",
        {"name": shift_a, "starts": f"{a_starts:%H:%M}", "ends": f"{a_ends:%H:%M}"},
    )
    b = api(
        "POST",
        f"/centres/{code}/shift-patterns",
        {"name": shift_b, "starts": f"{b_starts:%H:%M}", "ends": f"{b_ends:%H:%M}"},
    )
    for pattern, day, people in (
        (a, a_starts.date(), (out_chief, out_deputy)),
        (b, b_starts.date(), (in_chief, in_deputy)),
    ):
        for username in people:
            entry = api(
                "POST",
                f"/centres/{code}/roster",
                {
                    "pattern": pattern["id"],
                    "day": day.isoformat(),
                    "person": ids[username],
                    "post": crew[username][2],
                },
            )
            assert entry["shift"]["pattern"] == pattern["name"]
    for order, name in enumerate([KEYS, RADIO]):
        api("POST", f"/centres/{code}/check-items", {"name": name, "order": order})
    api("POST", f"/centres/{code}/carried-items", {"text": UPS, "continued_by": "接班正值"})
    now_answer = api("GET", f"/centres/{code}/duty/now")
    assert now_answer["current"]["pattern"] == shift_a, now_answer
    assert now_answer["next"]["pattern"] == shift_b, now_answer
    return DutyCentre(
        code=code,
        admin=admin,
        out_chief=out_chief,
        out_deputy=out_deputy,
        in_chief=in_chief,
        in_deputy=in_deputy,
        names={u: n for u, (n, _role, _post) in crew.items()},
        shift_a=shift_a,
        shift_b=shift_b,
    )


# --- helpers -----------------------------------------------------------------------------------


def expect_chinese_page(page: Page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")


def assert_chinese(text: str, *, naming: tuple[str, ...] = ()) -> None:
    """Text for people in Chinese: some Chinese besides the names it quotes, no Latin words."""
    rest = text
    for thing in naming:
        assert thing in text, f"{thing!r} not named in {text!r}"
        rest = rest.replace(thing, "")
    assert CJK.search(rest), f"not in Chinese: {text!r}"
    assert not LATIN_WORD.search(rest), f"not (only) in Chinese: {text!r}"


def assert_chinese_message(text: str, *, rule: str, naming: tuple[str, ...] = ()) -> None:
    """A refusal for people: in Chinese, naming the rule and the things it is about."""
    assert f"({rule})" in text or f"（{rule}）" in text, f"{rule} not named in {text!r}"
    assert_chinese(text.replace(rule, ""), naming=naming)


def submit(page: Page, button) -> None:
    """Click a button of a (non-htmx) form and wait for the page that answers it."""
    with page.expect_navigation():
        button.click()


def error_alert(page: Page):
    return page.locator(".page-body .alert-danger")


def item(page: Page, text: str):
    return page.locator("[data-testid=item]").filter(has_text=text)


def check_row(page: Page, name: str):
    return page.locator("[data-testid=checks] .list-group-item").filter(has_text=name)


def record_check(page: Page, name: str, state: str, note: str = "") -> None:
    row = check_row(page, name)
    row.locator("select[name=state]").select_option(state)
    row.locator("input[name=note]").fill(note)
    submit(page, row.locator("[data-testid=check-save]"))
    expect(check_row(page, name).locator("select[name=state]")).to_have_value(state)
    expect(error_alert(page)).to_have_count(0)


def roster_entry(centre: DutyCentre, server, username: str) -> dict:
    answer = server.api("GET", f"/centres/{centre.code}/roster?limit=500", centre.admin)
    name = centre.names[username]
    (entry,) = [e for e in answer["items"] if e["person_name"] == name]
    return entry


def handover_state(centre: DutyCentre, server, url: str) -> dict:
    pk = re.search(r"/handovers/(\d+)/", url).group(1)
    return server.api("GET", f"/centres/{centre.code}/handovers/{pk}", centre.admin)


# --- the test ----------------------------------------------------------------------------------


def test_full_handover_in_chinese__DUTY_4(new_context, zhiban_server, duty_centre):
    """DUTY-3: the handover lists the carried-over items and the shared-item checks (an
    abnormal one becomes an item the outgoing side signs for) and cannot be signed before
    every check is recorded. DUTY-4 (上不清下不接): an item marked unclear blocks the takeover,
    naming the item, until the outgoing side clarifies it and the incoming side acknowledges
    it. DUTY-5: the outgoing chief may sign out only after the incoming side has signed."""
    c, server = duty_centre, zhiban_server
    console = f"/c/{c.code}/"

    # --- the outgoing chief: sign in, a carried-over item of his own, prepare ------------------
    out = new_context(viewport=DESKTOP).new_page()
    login(out, c.out_chief, PASSWORD)
    out.goto(console)
    expect_chinese_page(out)
    shift_panel = out.locator("[data-testid=duty-shift]")
    expect(shift_panel).to_contain_text(c.shift_a)
    expect(shift_panel).to_contain_text(c.names[c.out_chief])
    assert_chinese(shift_panel.locator("[data-testid=sign-in]").inner_text(), naming=(c.shift_a,))
    submit(out, shift_panel.locator("[data-testid=sign-in]"))
    expect(error_alert(out)).to_have_count(0)
    expect(out.locator("[data-testid=duty-shift] [data-testid=sign-out]")).to_be_visible()
    assert roster_entry(c, server, c.out_chief)["signed_in_at"]

    out.goto(f"/c/{c.code}/duty/carried/new/")
    out.locator("#id_text").fill(DOOR)
    out.locator("#id_continued_by").fill(c.names[c.in_deputy])
    submit(out, out.locator("[data-testid=save]"))
    expect(out).to_have_url(re.compile(r"/duty/carried/\d+/$"))
    expect(out.locator("body")).to_contain_text(DOOR)

    out.goto(console)
    assert_chinese(out.locator("[data-testid=prepare-handover]").inner_text())
    submit(out, out.locator("[data-testid=prepare-handover]"))
    expect(out).to_have_url(re.compile(rf"/c/{c.code}/duty/handovers/\d+/$"))
    handover_url = out.url
    expect_chinese_page(out)
    expect(out.locator(".page-title")).to_contain_text(c.shift_a)
    expect(out.locator(".page-title")).to_contain_text(c.shift_b)
    expect(out.locator("[data-testid=outgoing-side]")).to_contain_text(c.names[c.out_chief])
    expect(out.locator("[data-testid=outgoing-side]")).to_contain_text(c.names[c.out_deputy])
    expect(out.locator("[data-testid=incoming-side]")).to_contain_text(c.names[c.in_chief])
    expect(out.locator("[data-testid=item]")).to_have_count(2)  # the two carried-over items
    expect(item(out, UPS)).to_be_visible()
    expect(item(out, DOOR)).to_contain_text(c.names[c.in_deputy])  # who continues it
    expect(out.locator("[data-testid=checks] .list-group-item")).to_have_count(2)
    assert_chinese(out.locator("[data-testid=handover-state]").inner_text())
    assert handover_state(c, server, handover_url)["state"] == "preparing"
    shot(out, "1-prepared")

    # --- checks: signing with one check missing is refused (DUTY-3) --------------------------
    record_check(out, KEYS, "normal")
    assert_chinese(out.locator("[data-testid=offer]").inner_text())
    submit(out, out.locator("[data-testid=offer]"))
    expect(error_alert(out)).to_be_visible()
    assert_chinese_message(error_alert(out).inner_text(), rule="DUTY-3", naming=(RADIO,))
    assert handover_state(c, server, handover_url)["state"] == "preparing"
    record_check(out, RADIO, "abnormal", RADIO_NOTE)
    expect(check_row(out, RADIO)).to_contain_text(RADIO_NOTE)

    notes = out.locator("[data-testid=notes]")
    notes.locator("#id_work_done").fill("完成监控中心屏幕、UPS、主机巡视；处理越溪变告警2条。")
    notes.locator("#id_notes").fill("注意3号UPS电池告警。")
    submit(out, notes.locator("button"))
    expect(out.locator("[data-testid=notes] #id_notes")).to_have_value("注意3号UPS电池告警。")
    shot(out, "2-checked")

    submit(out, out.locator("[data-testid=offer]"))
    expect(error_alert(out)).to_have_count(0)
    expect(out.locator("[data-testid=offer]")).to_have_count(0)
    expect(out.locator("[data-testid=checks] select")).to_have_count(0)  # no more changes
    expect(out.locator("[data-testid=outgoing-side]")).to_contain_text(c.names[c.out_chief])
    # the abnormal check is now an item the incoming side must acknowledge (DUTY-4)
    expect(out.locator("[data-testid=item]")).to_have_count(3)
    expect(item(out, RADIO_NOTE)).to_be_visible()
    assert_chinese(out.locator("[data-testid=handover-state]").inner_text())
    assert handover_state(c, server, handover_url)["state"] == "offered"

    # --- too early to sign out: the incoming side has not signed yet (DUTY-5) ------------------
    out.goto(console)
    submit(out, out.locator("[data-testid=duty-shift] [data-testid=sign-out]"))
    expect(error_alert(out)).to_be_visible()
    assert_chinese_message(error_alert(out).inner_text(), rule="DUTY-5")
    expect(out.locator("[data-testid=duty-shift] [data-testid=sign-out]")).to_be_visible()
    assert roster_entry(c, server, c.out_chief)["signed_out_at"] is None

    # --- the incoming chief: sign in, open the handover, acknowledge, one unclear -------------
    inc = new_context(viewport=DESKTOP).new_page()
    login(inc, c.in_chief, PASSWORD)
    inc.goto(console)
    expect_chinese_page(inc)
    shift_panel = inc.locator("[data-testid=duty-shift]")
    expect(shift_panel).to_contain_text(c.shift_b)  # the next shift, with his name
    expect(shift_panel).to_contain_text(c.names[c.in_chief])
    submit(inc, shift_panel.locator("[data-testid=sign-in]"))
    expect(error_alert(inc)).to_have_count(0)
    expect(inc.locator("[data-testid=duty-shift] [data-testid=sign-in]")).to_have_count(0)
    entry = roster_entry(c, server, c.in_chief)
    assert entry["signed_in_at"] and not entry["late"]  # 45 minutes early is on time (DUTY-2)

    inc.locator("[data-testid=duty-handover] [data-testid=open-handover]").click()
    expect(inc).to_have_url(handover_url)
    expect_chinese_page(inc)
    expect(inc.locator("[data-testid=item]")).to_have_count(3)
    expect(inc.locator("body")).to_contain_text("注意3号UPS电池告警。")  # the notes
    expect(inc.locator("[data-testid=offer]")).to_have_count(0)

    for text in (DOOR, RADIO_NOTE):
        submit(inc, item(inc, text).locator("[data-testid=acknowledge]"))
        expect(item(inc, text)).to_have_attribute("data-state", "acknowledged")
        expect(item(inc, text)).to_contain_text(c.names[c.in_chief])
    ups = item(inc, UPS)
    ups.locator("[data-testid=unclear-note]").fill(UNCLEAR_NOTE)
    submit(inc, ups.locator("[data-testid=mark-unclear]"))
    expect(item(inc, UPS)).to_have_attribute("data-state", "unclear")
    expect(item(inc, UPS)).to_contain_text(UNCLEAR_NOTE)
    expect(item(inc, UPS).locator("[data-testid=acknowledge]")).to_have_count(0)

    # --- taking over is refused while the item is unclear (DUTY-4) ----------------------------
    assert_chinese(inc.locator("[data-testid=accept]").inner_text())
    submit(inc, inc.locator("[data-testid=accept]"))
    expect(error_alert(inc)).to_be_visible()
    assert_chinese_message(error_alert(inc).inner_text(), rule="DUTY-4", naming=(UPS,))
    assert handover_state(c, server, handover_url)["state"] == "offered"
    shot(inc, "3-refused-unclear")

    # --- the outgoing chief clarifies ---------------------------------------------------------
    out.goto(handover_url)
    ups = item(out, UPS)
    expect(ups).to_have_attribute("data-state", "unclear")
    expect(ups).to_contain_text(UNCLEAR_NOTE)
    ups.locator("[data-testid=clarification]").fill(CLARIFICATION)
    submit(out, ups.locator("[data-testid=clarify]"))
    expect(error_alert(out)).to_have_count(0)
    expect(item(out, UPS)).to_have_attribute("data-state", "pending")
    expect(item(out, UPS)).to_contain_text(CLARIFICATION)
    shot(out, "4-clarified")

    # --- the incoming chief acknowledges and takes over ---------------------------------------
    inc.goto(handover_url)
    expect(item(inc, UPS)).to_contain_text(CLARIFICATION)
    submit(inc, item(inc, UPS).locator("[data-testid=acknowledge]"))
    expect(item(inc, UPS)).to_have_attribute("data-state", "acknowledged")
    expect(inc.locator("[data-testid=item][data-state=acknowledged]")).to_have_count(3)
    submit(inc, inc.locator("[data-testid=accept]"))
    expect(error_alert(inc)).to_have_count(0)
    expect(inc.locator("[data-testid=accept]")).to_have_count(0)
    badge = inc.locator("[data-testid=handover-state]")
    expect(badge).to_have_class(re.compile(r"\bbg-green\b"))
    taken_over = badge.inner_text().strip()
    # 已接班 or the like: Chinese only, about taking over (接)
    assert re.fullmatch(r"[\u3400-\u9fff]+", taken_over) and "接" in taken_over, taken_over
    expect(inc.locator("[data-testid=incoming-side]")).to_contain_text(c.names[c.in_chief])
    answer = handover_state(c, server, handover_url)
    assert answer["state"] == "accepted"
    assert answer["incoming_signed_at"] and answer["outgoing_signed_at"]  # both signed (DUTY-5)
    shot(inc, "5-taken-over")
    inc.set_viewport_size(PHONE)
    shot(inc, "6-taken-over-390px")

    # --- now the outgoing chief may sign out (DUTY-5) -----------------------------------------
    out.goto(console)
    submit(out, out.locator("[data-testid=duty-shift] [data-testid=sign-out]"))
    expect(error_alert(out)).to_have_count(0)
    expect(out.locator("[data-testid=duty-shift] [data-testid=sign-out]")).to_have_count(0)
    expect(out.locator("[data-testid=duty-handover]")).to_contain_text(taken_over)
    assert roster_entry(c, server, c.out_chief)["signed_out_at"]
    out.goto(handover_url)
    expect(out.locator("[data-testid=handover-state]")).to_have_text(taken_over)
    shot(out, "7-signed-out")
