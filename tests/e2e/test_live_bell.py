"""The bell: a notification made elsewhere (here through the API by another person) reaches an
open console over the live socket, without reloading the page; its time is the centre's."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .helpers import login, script_held

pytestmark = pytest.mark.e2e


def test_bell_and_toast_update_without_reload(page, zhiban_server):
    login(page, "wuqiang")
    expect(page).to_have_url(re.compile(r"/c/suwu/$"))
    expect(page.locator("body")).to_have_attribute("data-live-state", "open", timeout=15_000)
    badge = page.locator("[data-testid=unread]")
    before = int(badge.text_content().strip() or 0)
    toasts_before = page.locator("#toasts .toast").count()
    page.evaluate("window.__e2e_same_page = true")

    token = zhiban_server.token("zhangwei")
    people = zhiban_server.api("GET", "/centres/suwu/people?q=wuqiang", token)["items"]
    wuqiang = next(p for p in people if p["username"] == "wuqiang")
    sites = zhiban_server.api("GET", "/centres/suwu/sites", token)["items"]
    site = next(s for s in sites if s["code"] == "DS35")
    due = datetime.now(UTC) + timedelta(hours=4)
    name = f"E2E 回报 {due:%H%M%S}"
    zhiban_server.api(
        "POST",
        "/centres/suwu/deadlines",
        token,
        {
            "object_type": "org.site",
            "object_id": site["id"],
            "name": name,
            "due_at": due.isoformat(),
            "assignee": wuqiang["id"],
        },
    )

    # The toast is waited for first: another test's notification may raise the badge sooner.
    toast = page.locator("#toasts .toast").filter(has_text=name)
    expect(toast).to_be_visible(timeout=15_000)
    expect(badge).to_be_visible()
    assert int(badge.text_content().strip()) > before
    assert page.locator("#toasts .toast").count() > toasts_before
    assert page.evaluate("window.__e2e_same_page === true"), "the page was reloaded"


def shown_minutes(text: str) -> int:
    """Minutes since midnight of a notification's own time: the last "YYYY-MM-DD HH:MM" in its
    text (the body names the due time first)."""
    found = re.findall(r"\d{4}-\d{2}-\d{2} (\d{2}):(\d{2})", text)
    assert found, f"no time in {text!r}"
    hour, minute = found[-1]
    return int(hour) * 60 + int(minute)


def minutes_apart(a: int, b: int) -> int:
    difference = abs(a - b)
    return min(difference, 24 * 60 - difference)


def test_bell_menu_and_notification_list_show_centre_time(page, zhiban_server):
    """DESIGN rule 5: a notification's time is the same in the console, the bell menu and the
    list of all notifications, and it is the centre's time (Asia/Shanghai), not UTC."""
    token = zhiban_server.token("zhangwei")
    people = zhiban_server.api("GET", "/centres/suwu/people?q=heping", token)["items"]
    heping = next(p for p in people if p["username"] == "heping")  # used by no other test
    sites = zhiban_server.api("GET", "/centres/suwu/sites", token)["items"]
    site = next(s for s in sites if s["code"] == "XK35")
    due = datetime.now(UTC) + timedelta(hours=6)
    name = f"E2E 时区 {due:%H%M%S}"
    zhiban_server.api(
        "POST",
        "/centres/suwu/deadlines",
        token,
        {
            "object_type": "org.site",
            "object_id": site["id"],
            "name": name,
            "due_at": due.isoformat(),
            "assignee": heping["id"],
        },
    )
    shanghai = datetime.now(ZoneInfo("Asia/Shanghai"))
    now = shanghai.hour * 60 + shanghai.minute

    login(page, "heping")
    expect(page).to_have_url(re.compile(r"/c/suwu/$"))
    on_console = page.locator("[data-testid=console-notifications] form").filter(has_text=name)
    expect(on_console).to_be_visible()
    console_time = shown_minutes(on_console.inner_text())
    assert minutes_apart(console_time, now) <= 2, on_console.inner_text()

    # the bell clicked while the page still loads (a slow phone): its menu fills all the same
    with script_held(page, "**/zhiban/zhiban.js"):
        page.reload(wait_until="commit")
        page.wait_for_function("() => window.tabler && window.tabler.Dropdown")  # its toggle
        page.locator("[data-testid=bell]").click()
    in_bell = page.locator("[data-testid=bell-menu] form").filter(has_text=name)
    expect(in_bell).to_be_visible()
    assert minutes_apart(shown_minutes(in_bell.inner_text()), now) <= 2, (
        f"bell menu shows {in_bell.inner_text()!r}; Shanghai time is {shanghai:%H:%M}"
    )

    page.goto("/notifications/")
    in_list = page.locator("[data-testid=notifications] form").filter(has_text=name)
    expect(in_list).to_be_visible()
    assert minutes_apart(shown_minutes(in_list.inner_text()), now) <= 2, (
        f"notification list shows {in_list.inner_text()!r}; Shanghai time is {shanghai:%H:%M}"
    )
