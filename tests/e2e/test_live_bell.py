"""The bell: a notification made elsewhere (here through the API by another person) reaches an
open console over the live socket, without reloading the page."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from .helpers import login

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
    zhiban_server.api("POST", "/centres/suwu/deadlines", token, {
        "object_type": "org.site", "object_id": site["id"], "name": name,
        "due_at": due.isoformat(), "assignee": wuqiang["id"]})

    page.wait_for_function(
        "before => Number(document.querySelector('[data-testid=unread]').textContent) > before",
        arg=before, timeout=15_000)
    expect(badge).to_be_visible()
    toast = page.locator("#toasts .toast").filter(has_text=name)
    expect(toast).to_be_visible()
    assert page.locator("#toasts .toast").count() > toasts_before
    assert page.evaluate("window.__e2e_same_page === true"), "the page was reloaded"
