"""The organisation pages (ORG-2): lists with live filtering, detail with equipment and
timeline, edit and create forms with per-field messages, optimistic concurrency, role scoping
(ORG-3) and the .xlsx export."""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from .helpers import login

pytestmark = pytest.mark.e2e


def rows(page):
    return page.locator("[data-testid=rows] tbody tr")


def test_sites_list_filter_detail_edit_and_new_equipment_ORG_2(page):
    """admin: organisation → sites → live search → a substation with its equipment and
    timeline → edit the address → the new address and a new timeline entry; then a new
    equipment item; then a form with a required field left empty."""
    login(page, "admin")
    page.goto("/c/suwu/org/")
    page.locator("[data-testid=count-site]").click()
    expect(page).to_have_url(re.compile(r"/c/suwu/org/sites/$"))
    # the monitoring unit, six substations and 木渎变 being commissioned (ACC-2)
    expect(rows(page)).to_have_count(8)
    page.wait_for_load_state()  # htmx (a deferred script) listens from the load on

    # typing in the search box narrows the table without a page load (htmx)
    page.evaluate("window.__e2e_same_page = true")
    page.locator("[data-testid=filters] input[name=q]").press_sequentially("YX110")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("越溪变")
    expect(page).to_have_url(re.compile(r"[?&]q=YX110"))  # pushed into the URL
    assert page.evaluate("window.__e2e_same_page === true"), "the filter reloaded the page"

    # detail of the substation: fields, its equipment, its timeline
    rows(page).first.get_by_role("link", name="越溪变").click()
    expect(page).to_have_url(re.compile(r"/c/suwu/org/sites/\d+/$"))
    detail_url = page.url
    expect(page.locator(".page-title")).to_contain_text("越溪变")
    equipment = page.locator(".card").filter(
        has=page.locator(".card-title", has_text=re.compile(r"^设备$"))
    )
    expect(equipment.locator(".zb-related a").first).to_be_visible()
    expect(equipment.locator(".zb-related")).to_contain_text("1号主变")
    timeline = page.locator("[data-testid=timeline] .list-group-item")
    expect(timeline.first).to_be_visible()
    entries_before = timeline.count()

    # edit the address
    page.locator("[data-testid=edit]").click()
    expect(page).to_have_url(re.compile(r"/edit/$"))
    new_address = "苏州市吴中区越溪街道 E2E 路 1 号"
    page.locator("#id_address").fill(new_address)
    page.locator("[data-testid=save]").click()
    expect(page).to_have_url(detail_url)
    expect(page.locator("[data-testid=fields]")).to_contain_text(new_address)
    expect(timeline).to_have_count(entries_before + 1)
    expect(page.locator("[data-testid=timeline]")).to_contain_text(new_address)
    expect(page.locator("[data-testid=timeline]")).to_contain_text("周敏")  # admin's name

    # a new equipment item through the New form
    page.goto("/c/suwu/org/equipment/")
    page.locator("[data-testid=new]").click()
    expect(page).to_have_url(re.compile(r"/c/suwu/org/equipment/new/$"))
    page.locator("#id_site").select_option(label="越溪变")
    kinds = page.locator("#id_kind option:not([value=''])")
    page.locator("#id_kind").select_option(kinds.first.get_attribute("value"))
    page.locator("#id_name").fill("E2E 测试摄像机")
    page.locator("#id_dispatch_number").fill("E2E-CAM1")
    page.locator("[data-testid=save]").click()
    expect(page).to_have_url(re.compile(r"/c/suwu/org/equipment/\d+/$"))
    expect(page.locator(".page-title")).to_contain_text("E2E 测试摄像机")
    page.goto("/c/suwu/org/equipment/?q=E2E")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("E2E 测试摄像机")
    expect(rows(page).first).to_contain_text("越溪变")

    # a required field left empty: the message is next to the field, the form stays
    page.goto("/c/suwu/org/sites/new/")
    page.locator("#id_code").fill("E2E-EMPTY")
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.locator("[data-testid=save]").click()
    assert posted.value.status == 422
    expect(page).to_have_url(re.compile(r"/c/suwu/org/sites/new/$"))
    message = page.locator(".invalid-feedback[data-field=name]")
    expect(message.first).to_be_visible()
    expect(message.first).to_have_text(
        "此项必填。"
    )  # as the API says it (core.validation_messages)
    expect(page.locator("#id_name")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#id_code")).to_have_value("E2E-EMPTY")  # what was typed is kept
    expect(page.locator(".invalid-feedback[data-field=code]")).to_have_count(0)
    messages = message.all_inner_texts()
    page.goto("/c/suwu/org/sites/?q=E2E-EMPTY")
    expect(rows(page)).to_have_count(1)
    expect(rows(page).locator("td[colspan]")).to_have_count(1)  # "nothing here": not created
    # one message per problem (the same message must not be listed twice under the field)
    assert messages == ["此项必填。"], f"the name field shows {messages}"


def test_search_box_filters_chinese_text_from_an_input_method_ORG_2(page):
    """Chinese reaches the search box from an input method, handwriting or voice input, or a
    paste from the menu: text arrives as `input` events, often with no key release. The list
    must narrow all the same, without a page load."""
    login(page, "zhangwei")
    page.goto("/c/suwu/org/sites/")
    expect(rows(page)).to_have_count(8)
    page.evaluate("window.__e2e_same_page = true")
    page.locator("[data-testid=filters] input[name=q]").focus()
    page.keyboard.insert_text("越溪")  # what an input method commits: no keydown / keyup
    expect(rows(page)).to_have_count(1)
    expect(rows(page).first).to_contain_text("越溪变")
    assert page.evaluate("window.__e2e_same_page === true"), "the filter reloaded the page"


def test_edit_conflict_shows_reload_link_and_first_value(page):
    """Two tabs edit the same site: the second save is refused (someone else changed it) with
    a reload link; reloading shows the first person's value."""
    login(page, "admin")
    page.goto("/c/suwu/org/sites/?q=HJ35")
    rows(page).first.get_by_role("link", name="横泾变").click()
    page.locator("[data-testid=edit]").click()
    edit_url = page.url
    second = page.context.new_page()
    second.goto(edit_url)
    expect(second.locator("#id_address")).to_be_visible()

    page.locator("#id_address").fill("横泾街道 第一个标签页")
    page.locator("[data-testid=save]").click()
    expect(page.locator("[data-testid=fields]")).to_contain_text("横泾街道 第一个标签页")

    second.locator("#id_address").fill("横泾街道 第二个标签页")
    with second.expect_response(lambda r: r.request.method == "POST") as posted:
        second.locator("[data-testid=save]").click()
    assert posted.value.status == 409
    error = second.locator("[data-testid=form-error]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("已被他人修改")
    reload = second.locator("[data-testid=reload]")
    expect(reload).to_be_visible()
    reload.click()
    expect(second).to_have_url(edit_url)
    expect(second.locator("[data-testid=form-error]")).to_have_count(0)
    expect(second.locator("#id_address")).to_have_value("横泾街道 第一个标签页")


def test_field_operator_may_view_but_not_change_the_organisation_ORG_3(page):
    """sunli sees the sites but no New button, and the New page is a 403 naming ORG-3."""
    login(page, "sunli")
    page.goto("/c/suwu/org/sites/")
    expect(rows(page).first).to_be_visible()
    expect(page.locator("[data-testid=filters]")).to_be_visible()
    expect(page.locator("[data-testid=new]")).to_have_count(0)
    expect(page.locator("[data-testid=import]")).to_have_count(0)
    rows(page).first.locator("a").first.click()
    expect(page.locator("[data-testid=fields]")).to_be_visible()
    expect(page.locator("[data-testid=edit]")).to_have_count(0)

    answer = page.goto("/c/suwu/org/sites/new/")
    assert answer is not None and answer.status == 403
    expect(page.locator("[data-testid=error-message]")).to_contain_text("ORG-3")
    expect(page.locator("[data-testid=record-form]")).to_have_count(0)


def test_equipment_list_exports_xlsx(page, tmp_path):
    """Export .xlsx on the equipment list downloads a workbook with a header row and every
    item of the centre (more than one page of the list)."""
    login(page, "zhangwei")
    page.goto("/c/suwu/org/equipment/")
    expect(rows(page).first).to_be_visible()
    with page.expect_download() as download_info:
        page.locator("[data-testid=export]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    table = [row for row in sheet.iter_rows(values_only=True)]
    header, data = table[0], table[1:]
    assert all(isinstance(h, str) and h.strip() for h in header), header
    assert len(data) >= 100, len(data)
    assert any("主变" in str(cell) for row in data for cell in row if cell)


def test_choosing_a_site_offers_only_its_equipment_as_parent_ORG_2(page):
    """On the new-equipment form, the parent list follows the chosen site (double names repeat
    from station to station, so the list must not mix them)."""
    login(page, "admin")
    page.goto("/c/suwu/org/equipment/new/")
    page.select_option("#id_site", label="横泾变")
    options = page.locator("#id_parent option")
    expect(options.nth(1)).to_contain_text("横泾变 · ")
    labels = [t for t in options.all_inner_texts() if t.strip("-").strip()]
    assert labels and all(t.startswith("横泾变 · ") for t in labels)
