"""Logging in, and the interface language: Chinese by default even for an English browser; the
language switch sticks (cookie, and the person's saved choice)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .helpers import login, logout

pytestmark = pytest.mark.e2e


def test_login_and_console_are_chinese_for_an_english_browser(page):
    """An en-US browser still gets the Chinese UI; a wrong password is refused with a message;
    the right one lands on the person's centre console."""
    assert page.evaluate("navigator.language") == "en-US"
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("[data-testid=login]")).to_have_text("登录")
    expect(page.locator("label[for=id_username]")).to_have_text("登录名")
    expect(page.locator("label[for=id_password]")).to_have_text("密码")

    login(page, "zhangwei", "not-the-password", expect_ok=False)
    expect(page).to_have_url(re.compile(r"/login/"))
    expect(page.locator(".alert-danger")).to_be_visible()
    expect(page.locator(".alert-danger")).to_contain_text("密码")
    expect(page.locator("#id_username")).to_have_value("zhangwei")

    login(page, "zhangwei")
    expect(page).to_have_url(re.compile(r"/c/suwu/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("[data-testid=console]")).to_be_visible()
    expect(page.locator(".page-title")).to_have_text("苏吴监控中心")
    expect(page.locator("[data-testid=nav]")).to_contain_text("工作台")
    expect(page.locator("[data-testid=nav]")).to_contain_text("组织机构")
    expect(page.locator("[data-testid=console-deadlines]")).to_contain_text("期限")
    expect(page.locator("[data-testid=user-menu]")).to_contain_text("张")


def test_language_switch_sticks_across_reload_and_new_login(page, new_context):
    """The switch to English survives a reload, and logging in again in a new browser (no
    cookies): the choice is stored on the person."""
    # liuyang is used by no other test: his saved language changes here.
    login(page, "liuyang")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    switch = page.locator("[data-testid=language-switch] button[value=en]")
    expect(switch).to_be_visible()
    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/c/suwu/$"))  # back on the same page
    expect(page.locator("[data-testid=nav]")).to_contain_text("Console")
    expect(page.locator("[data-testid=nav]")).to_contain_text("Organisation")
    # the switch now offers the way back to Chinese
    expect(page.locator("[data-testid=language-switch] button[value=zh-hans]")).to_be_visible()

    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-testid=nav]")).to_contain_text("Console")

    logout(page)

    other = new_context().new_page()  # a new browser: no session, no language cookie
    other.goto("/login/")
    expect(other.locator("html")).to_have_attribute("lang", "zh-Hans")
    login(other, "liuyang")
    expect(other).to_have_url(re.compile(r"/c/suwu/$"))
    expect(other.locator("html")).to_have_attribute("lang", "en")
    expect(other.locator("[data-testid=nav]")).to_contain_text("Console")
    expect(other.locator("[data-testid=console]")).to_contain_text("Deadlines that need you")
