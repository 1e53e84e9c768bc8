"""The customer-service desk in a real browser (issue 12), on the demo's 吴越客服中心 (kefu):

* a complaint call end to end in Chinese — 林晓 types a known customer's number digit by digit
  and the customers found appear while she types (htmx), she picks one, records a major
  complaint with the questions its kind asks (CS-1, CS-4, CS-5); the department head 周婷 finds
  it under her bell and opens it; closing before the reply is refused naming CS-4, so is a
  reply that leaves the complaint unsolved without a promised time; the reply recorded, the
  case closes;
* the return-visit call list on a phone (CS-7, CS-9): 林晓 reaches her call list from the
  service home, opens a lead's entry of the second follow-up, records a reached call with the
  survey's answers inside the call form (CS-8), and the entry leaves her open list; no page
  is wider than the phone.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from zhiban.service import resthours

from .helpers import login, shot

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
CENTRE = "/c/kefu/service"
# a customer of the demo (zhiban.service.demo.cases) no other browser test touches
CUSTOMER, NUMBER = "赵敏", "18912348765"
# the demo centre keeps the default rest hours (service.rest_hours, CS-7) in its own zone
REST_HOURS = resthours.parse("12:00-14:00,21:00-08:00")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def page_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_a_major_complaint_call_from_the_number_typed_to_the_closed_case__CS_1_CS_4_CS_5(
    page, new_context
):
    login(page, "linxiao")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.goto(f"{CENTRE}/")
    page.locator("[data-testid=intake-link]").click()
    expect(page).to_have_url(re.compile(r"/service/intake/$"))

    # 听清楚: the number typed digit by digit; the customers holding it show while typing
    phone = page.locator("[data-testid=phone]")
    expect(phone).to_be_focused()
    phone.press_sequentially(NUMBER[:3], delay=50)
    expect(page.locator("[data-testid=lookup-short]")).to_contain_text("至少")
    phone.press_sequentially(NUMBER[3:7], delay=50)
    match = page.locator("[data-testid=lookup] [data-testid=match]").filter(has_text=CUSTOMER)
    expect(match).to_be_visible()
    expect(match).to_contain_text("189 1234 8765")
    assert phone.input_value() == NUMBER[:7], "the suggestion came before the number was typed"
    match.click()
    expect(phone).to_have_value(NUMBER)
    expect(page.locator("[data-testid=customer-history]")).to_contain_text(CUSTOMER)
    expect(page.locator("[data-testid=new-customer]")).to_be_hidden()

    # the complaint's part comes with its category; service quality asks its own questions
    page.locator("[data-testid=category] label").filter(has_text="投诉").click()
    part = page.locator("[data-testid=intake-complaint]")
    expect(part).to_be_visible()
    part.get_by_label("服务质量").check()
    expect(part.locator("[data-testid=ask-service]")).to_be_visible()
    expect(part.locator("[data-testid=ask-product]")).to_be_hidden()
    part.get_by_label("投诉对象").fill("送奶员")
    part.get_by_label("原因").fill("连续三天早上九点后才送到，孩子上学前喝不上")
    part.get_by_label("服务问题").select_option(label="送货不及时")
    part.get_by_label("重大投诉").check()
    page.get_by_label("内容").fill("送奶连续三天迟到\n客户要求更换送奶员并说明原因")
    page.locator("[data-testid=save]").click()

    saved = page.locator("[data-testid=saved]")
    expect(saved).to_contain_text(CUSTOMER)
    expect(saved).to_contain_text("投诉")
    expect(phone).to_have_value("")  # ready for the next call
    number = page.locator("[data-testid=saved-case]").inner_text().strip()
    assert re.fullmatch(r"KF-\d{4}-\d{5}", number), number
    page.locator("[data-testid=saved-case]").click()
    case_url = page.url
    expect(page.locator("[data-testid=complaint-major]")).to_be_visible()
    expect(page.locator("[data-testid=complaint-facts]")).to_contain_text("送货不及时")

    # closing before the reply is refused, naming the rule; the case stays open
    page.locator("[data-testid=act-close] button").click()
    refusal = page.locator("[data-testid=act-close] [data-testid=form-error]")
    expect(refusal).to_contain_text("投诉尚不能办结")
    expect(refusal).to_contain_text("CS-4")
    expect(page.locator("[data-testid=case-state]")).to_have_attribute("data-state", "open")
    expect(page).to_have_url(case_url)  # a reload asks for the case, not the refused close

    # 一报告: the department head finds the major complaint under her bell and opens it
    head = new_context().new_page()
    login(head, "zhouting")
    expect(head.locator("[data-testid=unread]")).to_be_visible()
    head.locator("[data-testid=bell]").click()
    note = head.locator("[data-testid=bell-menu] form").filter(has_text=number)
    expect(note).to_contain_text("重大投诉")
    note.locator("button").click()
    expect(head).to_have_url(re.compile(r"/service/complaints/\d+/$"))
    expect(head.locator(".page-title")).to_contain_text(number)
    expect(head.locator("[data-testid=complaint-major]")).to_be_visible()
    expect(head.locator("[data-testid=no-reply]")).to_be_visible()
    head.close()

    # 答复清楚 · 记录清楚: unsolved without the promised time is refused (CS-4), then solved
    form = page.locator("[data-testid=complaint-reply-form]")
    form.get_by_label("答复客户", exact=True).fill("已向客户致歉，明天起由新送奶员七点前送达")
    form.get_by_label("处理记录", exact=True).fill("已通知物流配送中心更换送奶员")
    form.locator("[data-testid=complaint-reply-submit]").click()
    promised = page.locator("[data-testid=complaint-reply-form] [data-field=next_reply_at]")
    expect(promised).to_contain_text("CS-4")
    form = page.locator("[data-testid=complaint-reply-form]")
    expect(form.get_by_label("答复客户", exact=True)).to_have_value(re.compile("新送奶员"))
    expect(page.locator("[data-testid=complaint-solved]")).to_have_count(0)
    form.get_by_label("已解决").check()
    form.locator("[data-testid=complaint-reply-submit]").click()
    expect(page.locator("[data-testid=complaint-solved]")).to_be_visible()
    expect(page.locator("[data-testid=complaint-reply]")).to_contain_text("新送奶员")
    expect(page.locator("[data-testid=no-reply]")).to_have_count(0)

    page.locator("[data-testid=act-close] button").click()
    expect(page).to_have_url(case_url)
    expect(page.locator("[data-testid=case-state]")).to_have_attribute("data-state", "closed")
    expect(page.locator("[data-testid=act-close]")).to_have_count(0)
    expect(page.locator("[data-testid=complaint-reply-form]")).to_have_count(0)
    shot(page, "service-desk-complaint-closed")


def test_a_return_visit_recorded_on_a_phone_leaves_the_call_list__CS_7_CS_9(new_context):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    login(page, "linxiao")
    page.goto(f"{CENTRE}/")
    page.locator("[data-testid=call-list-link]").click()
    expect(page).to_have_url(re.compile(r"/service/call-list/$"))
    due = page.locator("[data-testid=due] [data-testid=entry]")
    expect(due.first).to_be_visible()
    before = int(page.locator("[data-testid=due-count]").inner_text())
    assert before == due.count()
    assert page_width(page) <= PHONE["width"]

    # a lead of the second follow-up (CS-9): its offer shows beside the call
    lead = due.filter(has_text="咨询线索二次跟进").first
    href = lead.get_attribute("href")
    name = lead.locator(".fw-bold").inner_text().strip()
    lead.click()
    expect(page).to_have_url(re.compile(re.escape(href) + "$"))
    expect(page.locator(".page-title")).to_contain_text(name)
    expect(page.locator("[data-testid=offer]")).to_contain_text("二次跟进优惠")
    assert page_width(page) <= PHONE["width"]

    # the customers' rest hours (CS-7): inside them the call waits for "call anyway"
    resting = resthours.inside(datetime.now(UTC), SHANGHAI, REST_HOURS)
    if resting:
        expect(page.locator("[data-testid=rest-warning]")).to_contain_text("CS-7")
        page.locator("[data-testid=call-anyway]").click()
        expect(page.locator("[data-testid=rest-confirmed]")).to_be_visible()
    else:
        expect(page.locator("[data-testid=rest-warning]")).to_have_count(0)
    expect(page.locator("[data-testid=tel]")).to_be_visible()

    # the survey's questions inside the call form (CS-8), answered with big buttons
    form = page.locator("[data-testid=call-form]")
    questions = form.locator("[data-testid=survey] [data-testid=survey-question]")
    expect(questions.first).to_be_visible()
    scored = questions.filter(has=page.locator("[data-testid=scores]"))
    scored.nth(0).locator("[data-testid=score-4]").click()
    scored.nth(0).locator("[data-testid=text]").fill("希望早上七点前送到")
    scored.nth(1).locator("[data-testid=score-5]").click()
    chosen = questions.filter(has=page.locator("[data-testid=choices]")).first
    chosen.locator("[data-testid=choice]").filter(has_text="朋友推荐").click()
    form.locator("[data-testid=note]").fill("客户考虑下周开始订低脂鲜奶")
    assert page_width(page) <= PHONE["width"]
    form.locator("[data-testid=result-reached]").click()

    # back on the call list: the entry is no longer open, not even to try again later
    expect(page).to_have_url(re.compile(r"/service/call-list/$"))
    expect(page.locator(".alert-success").filter(has_text=name)).to_be_visible()
    expect(page.locator("[data-testid=due-count]")).to_have_text(str(before - 1))
    expect(page.locator(f'[data-testid=due] a[href="{href}"]')).to_have_count(0)
    expect(page.locator(f'[data-testid=later] a[href="{href}"]')).to_have_count(0)
    assert page_width(page) <= PHONE["width"]
    shot(page, "service-desk-call-list-phone")

    # the entry's own page says what was recorded, and offers no second call
    page.goto(href)
    expect(page.locator("[data-testid=result]")).to_have_text("已回访")
    expect(page.locator("[data-testid=call-form]")).to_have_count(0)
    expect(page.locator("[data-testid=calls]")).to_contain_text("客户考虑下周开始订低脂鲜奶")
    if resting:
        expect(page.locator("[data-testid=in-rest-hours]")).to_be_visible()
    assert page_width(page) <= PHONE["width"]
