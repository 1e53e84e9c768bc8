"""What the walk through the operators' pages at 1366 px and 390 px, in Chinese and English,
found cut or broken (issue 11, "Done means"): each check fails on the page as it was."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .helpers import login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1366, "height": 900}


def _cut(page: Page, selector: str) -> list[str]:
    """The texts of the elements matching ``selector`` that are wider than their box."""
    return page.evaluate(
        "s => Array.from(document.querySelectorAll(s))"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)",
        selector,
    )


def _english(page: Page) -> None:
    """Switch to English (the person's saved choice: still English when an earlier test did)."""
    switch = page.locator("[data-testid=language-switch] button[value=en]")
    if switch.count():
        switch.click()
    expect(page.locator("[data-testid=language-switch] button[value=zh-hans]")).to_be_attached()


STATES = "[data-testid=ops-work] [data-testid$=-state]"


def test_console_order_and_ticket_states_are_whole_on_a_phone(new_context):
    """The console's orders & tickets panel: the state badge (已通知操作队) kept its width
    beside a long task instead of being cut on its left."""
    page = new_context(viewport=PHONE).new_page()
    login(page, "zhangwei")
    page.goto("/c/suwu/")
    expect(page.locator(STATES).first).to_be_visible()
    assert page.locator(STATES).count() >= 3
    assert _cut(page, STATES) == []


def test_console_order_states_are_whole_in_english_on_a_desk(new_context):
    """In English the state reads “Pre-order received (预令已接)”: whole at 1366 px too."""
    page = new_context(viewport=DESK).new_page()
    login(page, "huangming")  # his saved language changes here: no other test logs him in
    _english(page)
    page.goto("/c/suwu/")
    expect(page.locator(STATES).first).to_be_visible()
    assert _cut(page, STATES) == []


def test_console_alarm_classes_are_whole_in_english_on_a_phone(new_context):
    """The unacknowledged alarms beside a long equipment name: “Limit violation”, “Abnormal”
    keep their width (a badge never shrinks in a flex row; it read “mit violatio”)."""
    page = new_context(viewport=PHONE).new_page()
    login(page, "huangming")  # his saved language changes here: no other test logs him in
    _english(page)
    page.goto("/c/suwu/")
    badges = "[data-testid=console-alarms] .badge"
    expect(page.locator(badges).first).to_be_visible()
    assert _cut(page, badges) == []


def test_roster_names_keep_one_line_on_a_phone(new_context):
    """The roster on a phone: a name beside its post and × stays on one line (张伟, not 张 /
    伟 one character a line)."""
    page = new_context(viewport=PHONE).new_page()
    login(page, "zhangwei")
    page.goto("/c/suwu/duty/roster/")
    names = page.get_by_test_id("roster-person")
    expect(names.first).to_be_visible()
    lines = names.evaluate_all(
        "els => els.map(e => Math.round(e.getBoundingClientRect().height"
        " / parseFloat(getComputedStyle(e).lineHeight)))"
    )
    assert lines and set(lines) == {1}, lines


def test_a_chooser_lines_up_with_the_filters_beside_it(new_context):
    """The log's author chooser (a search box for a long list of people) keeps its label and
    list level with the category filter beside it: the box sits beside its label, not above."""
    page = new_context(viewport=DESK).new_page()
    login(page, "zhangwei")
    page.goto("/c/suwu/duty/log/")
    box = page.locator("[data-testid=filters] input[type=search]").first
    expect(box).to_be_visible()
    box.fill("张")  # it still narrows the list
    author = page.get_by_test_id("filters").locator("#id_author")
    expect(author.locator("option:not([hidden])", has_text="刘洋")).to_have_count(0)
    filters = page.get_by_test_id("filters")
    top = {
        name: (
            filters.locator(f"label[for=id_{name}]").bounding_box()["y"],
            filters.locator(f"#id_{name}").bounding_box()["y"],
        )
        for name in ("category", "author")
    }
    assert abs(top["category"][0] - top["author"][0]) <= 1, top
    assert abs(top["category"][1] - top["author"][1]) <= 1, top


def test_a_records_state_beside_the_page_buttons_is_not_shaped_as_a_button(new_context):
    """The ticket's state (待审核, solid blue) stood as tall as 打印 and 编辑 beside it and read
    as one more button: the page's actions keep a badge its own height."""
    page = new_context(viewport=DESK).new_page()
    login(page, "zhangwei")
    page.goto("/c/suwu/ops/tickets/")
    page.get_by_role("link", name="SUWU-2026-00004").click()
    state = page.get_by_test_id("page-actions").get_by_test_id("ticket-state")
    button = page.get_by_test_id("print")
    expect(state).to_be_visible()
    assert state.bounding_box()["height"] < 0.8 * button.bounding_box()["height"]
