"""Operators' pages in a real browser (issue 11): the permissions table reads horizontally and
stays inside a phone's width, and the alarm flood banner counts alarms as they arrive (INC-3)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from .helpers import login, shot

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("width", [1366, 390])
def test_permission_table_headers_read_horizontally__ORG_3(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "admin")
    page.goto("/manage/permissions/")
    headers = page.get_by_test_id("role-header")
    expect(headers.first).to_be_visible()
    cells = headers.evaluate_all(
        "cells => cells.map(c => [c.textContent.trim(), c.getBoundingClientRect().height,"
        " ...[c, ...c.querySelectorAll('*')].map(e => getComputedStyle(e))"
        "   .map(s => s.writingMode + ' ' + s.transform)])"
    )
    for label, height, *styles in cells:
        assert set(styles) == {"horizontal-tb none"}, f"{label}: {styles}"
        assert height < 100, f"{label} is {height}px tall: it stands on its end"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a {width}px screen"
    shot(page, f"permissions-{width}")


def _events(n: int) -> list[dict]:
    """``n`` new alarms: each of its own signal, so none folds into another (INC-2); from the
    video analytics, whose alarms start no emergency plan (an intrusion panel's would start
    the theft plan, EMG-1, that another browser test starts by hand on the same server)."""
    now, batch = datetime.now(UTC).isoformat(), uuid.uuid4().hex[:6]
    return [
        {
            "source": "xinghu-video",
            "id": f"e2e-flood-{uuid.uuid4().hex}",
            "at": now,
            "site": "XH-3F",
            "signal": f"E2E 防区 {batch}-{i} 入侵报警",
            "class": "abnormal",
            "text": "E2E 报警洪流",
        }
        for i in range(n)
    ]


def _banner_count(text: str) -> int:
    """The alarms the banner counts: in a flood they are more than the 10 minutes of the
    window, the other number of the text (whose order differs between the languages)."""
    return max(int(n) for n in re.findall(r"\d+", text))


def test_flood_banner_counts_alarms_as_they_arrive__INC_3(page, zhiban_server):
    """The security room's console is open; alarms come through the gateway: the flood
    banner appears and its count goes up without the page being reloaded."""
    login(page, "gaoyuan")
    page.goto("/c/xinghu/")
    expect(page.locator("body")).to_have_attribute("data-live-state", "open", timeout=15_000)
    page.evaluate("window.__e2e_same_page = true")
    gateway = zhiban_server.token("gw-xinghu-video", ["xinghu-video"])

    answer = zhiban_server.api("POST", "/events", gateway, _events(12))  # over the 10 of INC-3
    assert answer["accepted"] == 12, answer
    banner = page.get_by_test_id("banner-alarm-flood")
    expect(banner).to_be_visible()
    first = _banner_count(banner.inner_text())
    assert first >= 12

    answer = zhiban_server.api("POST", "/events", gateway, _events(3))
    assert answer["accepted"] == 3, answer
    expect(banner).to_contain_text(str(first + 3))
    assert page.evaluate("window.__e2e_same_page === true"), "the page was reloaded"
    shot(page, "flood-banner-live")
