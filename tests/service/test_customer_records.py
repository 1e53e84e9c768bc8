"""The monthly customer records from the shops (CS-10): an .xlsx imported whole or not at all
with a row-by-row report, late after the due day (the 25th), shops missing this month, and the
regional manager's spot checks."""

from __future__ import annotations

import io
from datetime import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from zhiban.core.models import AuditEvent
from zhiban.service.models import Customer, CustomerImport, SpotCheck

from ..clock import SHANGHAI

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASE = "/api/service/kefu/customer-imports"
HEADER = ("姓名", "手机", "地址", "区域", "客户类型", "会员")
GOOD = [
    ("王丽", "138 1234 5678", "苏州市吴中区长桥街道 1 号", "吴中区", "零售", "是"),
    ("李强", "0512-65520110", "苏州市姑苏区人民路 2 号", "姑苏区", "团购", "否"),
    ("张敏", "13912345678", "", "", "", ""),
]


def workbook(rows, header=HEADER, name="records.xlsx") -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def upload(cs, file, *, login="supervisor", month="2026-11", shop="吴中万达店"):
    client = cs.as_(login).client
    return client.post(BASE, {"file": file, "month": month, "shop": shop})


def customers(cs) -> int:
    return Customer.objects.filter(centre=cs.kefu).count()


def imported(cs, rows=GOOD, **kw) -> dict:
    r = upload(cs, workbook(rows), **kw)
    assert r.status_code == 201, r.content
    return r.json()


# --- the import ---------------------------------------------------------------------------------


def test_import_with_a_bad_phone_on_row_3_refused_and_nothing_written__CS_10(cs):
    rows = [GOOD[0], ("李强", "0512-6552", "", "", "", ""), GOOD[2]]

    r = upload(cs, workbook(rows))

    assert r.status_code == 422, r.content
    body = r.json()
    assert body["rule"] == "CS-10" and body["code"] == "import_invalid"
    assert [(p["row"], p["column"]) for p in body["rows"]] == [(3, "手机")]
    assert "CS-1" in body["rows"][0]["message"] and "0512-6552" in body["rows"][0]["message"]
    assert customers(cs) == 0 and CustomerImport.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="customer_import.create").exists()


def test_every_bad_row_is_listed_by_row_and_column__CS_10(cs):
    rows = [
        ("", "13812345600", "", "", "", ""),  # row 2: no name
        ("周杰", "", "", "", "", ""),  # row 3: no phone
        ("吴芳", "13812345679", "", "", "批发", ""),  # row 4: no such type
        ("郑华", "13812345670", "", "", "", "也许"),  # row 5: member neither yes nor no
        ("名" * 61, "13812345671", "", "", "", ""),  # row 6: too long a name
        GOOD[0],  # row 7: good
    ]

    body = upload(cs, workbook(rows)).json()

    assert [(p["row"], p["column"]) for p in body["rows"]] == [
        (2, "姓名"),
        (3, "手机"),
        (4, "客户类型"),
        (5, "会员"),
        (6, "姓名"),
    ]
    assert all("CS-10" in p["message"] for p in body["rows"]), body["rows"]
    assert customers(cs) == 0


def test_duplicate_phones_in_the_file_refused__CS_10(cs):
    rows = [GOOD[0], GOOD[1], ("王丽丽", "13812345678", "", "", "", "")]  # GOOD[0]'s number

    body = upload(cs, workbook(rows)).json()

    assert body["rule"] == "CS-10"
    assert [(p["row"], p["column"]) for p in body["rows"]] == [(4, "手机")]
    assert "row 2" in body["rows"][0]["message"] or "第 2 行" in body["rows"][0]["message"]
    assert customers(cs) == 0 and CustomerImport.objects.count() == 0


def test_a_missing_required_column_refused__CS_10(cs):
    body = upload(cs, workbook([("王丽", "苏州")], header=("姓名", "地址"))).json()
    assert body["rule"] == "CS-10" and body["rows"][0]["row"] == 1
    assert body["rows"][0]["column"] == "手机" and customers(cs) == 0


def test_good_import_creates_then_updates_customers_and_is_late_after_the_25th__CS_10(
    cs, fixed_clock
):
    fixed_clock.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI))
    first = imported(cs)
    assert (first["rows"], first["created"], first["updated"], first["late"]) == (3, 3, 0, False)
    wang = Customer.objects.get(centre=cs.kefu, phone="13812345678")
    assert (wang.name, wang.customer_type, wang.is_member, wang.shop) == (
        "王丽",
        "retail",
        True,
        "吴中万达店",
    )
    assert Customer.objects.get(phone="051265520110").phone_kind == "landline"

    fixed_clock.move_to(datetime(2026, 11, 28, 10, 0, tzinfo=SHANGHAI))
    rows = [
        ("王丽", "13812345678", "苏州市吴中区新地址 9 号", "", "经销商", ""),  # moved, now a dealer
        GOOD[1],  # unchanged
        ("赵云", "13700001111", "", "相城区", "", "否"),  # new
    ]
    second = imported(cs, rows)

    assert (second["rows"], second["created"], second["updated"], second["late"]) == (3, 1, 1, True)
    wang.refresh_from_db()
    assert (wang.address, wang.region, wang.customer_type, wang.is_member, wang.version) == (
        "苏州市吴中区新地址 9 号",
        "吴中区",  # an empty cell keeps what is stored
        "dealer",
        True,
        2,
    )
    assert customers(cs) == 4
    detail = cs.as_("manager").get(f"/service/kefu/customer-imports/{second['id']}").json()
    assert detail["late"] is True and detail["sample_size"] == 3
    event = AuditEvent.objects.get(verb="customer_import.create", object_id=str(second["id"]))
    assert event.after["created"] == 1 and event.after["updated"] == 1
    [change] = event.after["changed_customers"]  # what the import changed, kept in the chain
    assert change["customer"] == wang.pk and change["customer_type"] == ["retail", "dealer"]
    assert change["address"] == ["苏州市吴中区长桥街道 1 号", "苏州市吴中区新地址 9 号"]


def test_english_headers_and_values_accepted__CS_10(cs):
    header = ("Name", "Phone", "Address", "Region", "Type", "Member")
    rows = [("Li Na", "+86 139 0000 1111", "", "Wuzhong", "business", "yes")]
    r = upload(cs, workbook(rows, header=header))
    assert r.status_code == 201, r.content
    li = Customer.objects.get(phone="13900001111")
    assert (li.name, li.customer_type, li.is_member, li.region) == (
        "Li Na",
        "business",
        True,
        "Wuzhong",
    )


def test_a_file_that_is_not_an_xlsx_workbook_refused__CS_10(cs):
    csv = upload(cs, SimpleUploadedFile("records.csv", "姓名,手机\n王丽,13812345678\n".encode()))
    garbage = upload(cs, SimpleUploadedFile("records.xlsx", b"not a workbook"))
    for r in (csv, garbage):
        assert r.status_code == 422, r.content
        assert r.json()["rule"] == "CS-10" and "file" in r.json()["fields"], r.content
    assert customers(cs) == 0 and CustomerImport.objects.count() == 0


def test_a_month_to_come_refused__CS_10(cs):
    r = upload(cs, workbook(GOOD), month="2026-12")
    assert r.status_code == 422 and r.json()["rule"] == "CS-10", r.content
    assert "month" in r.json()["fields"] and customers(cs) == 0


def test_a_month_before_the_centres_window_refused__ORG_4(cs):
    r = upload(cs, workbook(GOOD), month="2010-01")
    assert r.status_code == 422 and r.json()["rule"] == "ORG-4", r.content
    assert "month" in r.json()["fields"] and customers(cs) == 0


def test_an_upload_without_its_parts_names_each_field__CS_10(cs):
    r = cs.as_("supervisor").client.post(BASE, {})
    assert r.status_code == 422 and set(r.json()["fields"]) == {"file", "month", "shop"}, r.content
    assert CustomerImport.objects.count() == 0


def test_an_agent_may_not_import__CS_10(cs):
    r = upload(cs, workbook(GOOD), login="agent1")
    assert r.status_code == 403 and customers(cs) == 0


def test_the_template_imports_as_it_is__CS_10(cs):
    r = cs.as_("supervisor").client.get(f"{BASE}/template.xlsx")
    assert r.status_code == 200 and r["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in sheet[1]] == list(HEADER)
    page = cs.as_("supervisor").client.get("/c/kefu/service/records/template.xlsx")
    assert page.status_code == 200 and page.content[:2] == b"PK"
    done = upload(cs, SimpleUploadedFile("template.xlsx", r.content, content_type=XLSX))
    assert done.status_code == 201 and done.json()["created"] == 1, done.content


# --- due by the 25th: missing and late shops --------------------------------------------------------


def test_a_shop_of_last_month_without_records_is_missing_and_late_after_the_25th__CS_10(cs):
    imported(cs, month="2026-10", shop="吴中万达店")
    imported(cs, [GOOD[2]], month="2026-10", shop="园区印象城店")
    imported(cs, [GOOD[0]], month="2026-11", shop="吴中万达店")

    month = cs.as_("agent1").get("/service/kefu/customer-records?month=2026-11").json()

    assert (month["due"], month["past_due"]) == ("2026-11-25", True)
    assert [(i["shop"], i["late"]) for i in month["imports"]] == [("吴中万达店", True)]
    assert month["missing"] == [{"shop": "园区印象城店", "late": True}]
    page = cs.as_("agent1").client.get("/c/kefu/service/records/?month=2026-11").content.decode()
    assert 'data-testid="missing-late"' in page and "园区印象城店" in page
    october = cs.as_("agent1").get("/service/kefu/customer-records?month=2026-10").json()
    assert {i["shop"] for i in october["imports"]} == {"吴中万达店", "园区印象城店"}


def test_a_missing_shop_is_not_late_before_the_due_day__CS_10(cs, fixed_clock):
    fixed_clock.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI))
    imported(cs, month="2026-10", shop="园区印象城店")  # October's, given late in November
    month = cs.as_("agent1").get("/service/kefu/customer-records").json()
    assert (month["month"], month["past_due"]) == ("2026-11-01", False)
    assert month["missing"] == [{"shop": "园区印象城店", "late": False}]


# --- the pages ------------------------------------------------------------------------------------


def test_import_page_lists_the_bad_rows_and_writes_nothing__CS_10(cs):
    client = cs.as_("supervisor").client
    url = "/c/kefu/service/records/import/"
    assert client.get(url).status_code == 200
    rows = [GOOD[0], ("李强", "12345", "", "", "", ""), GOOD[2]]
    data = {"month": "2026-11", "shop": "吴中万达店", "file": workbook(rows)}

    r = client.post(url, data)

    assert r.status_code == 422
    html = r.content.decode()
    assert 'data-testid="problem" data-row="3"' in html and "CS-1" in html
    assert customers(cs) == 0
    good = client.post(url, {"month": "2026-11", "shop": "吴中万达店", "file": workbook(GOOD)})
    batch = CustomerImport.objects.get()
    assert good.status_code == 302 and good["Location"].endswith(f"/imports/{batch.pk}/")
    assert customers(cs) == 3


# --- spot checks -----------------------------------------------------------------------------------


def _check(cs, batch, customer_id, login="manager", **values):
    body = {"customer": customer_id, "correct": True, "note": "", **values}
    return cs.as_(login).post(f"/service/kefu/customer-imports/{batch['id']}/spot-checks", body)


def test_spot_check_by_an_agent_refused__CS_10(cs):
    batch = imported(cs)
    r = _check(cs, batch, batch["sample"][0]["id"], login="agent1")
    assert r.status_code == 403 and SpotCheck.objects.count() == 0


def test_spot_check_by_the_manager_recorded_and_a_second_refused__CS_10(cs):
    batch = imported(cs)
    customer = batch["sample"][0]["id"]

    first = _check(cs, batch, customer, correct=False, note="地址缺门牌号")
    second = _check(cs, batch, customer)

    assert first.status_code == 201, first.content
    assert (first.json()["correct"], first.json()["note"]) == (False, "地址缺门牌号")
    assert second.status_code == 409 and second.json()["rule"] == "CS-10", second.content
    assert SpotCheck.objects.count() == 1
    detail = cs.as_("manager").get(f"/service/kefu/customer-imports/{batch['id']}").json()
    assert detail["spot_checks"] == 1 and detail["checked_percent"] == 33.3
    assert customer not in {c["id"] for c in detail["sample"]}  # checked: off the sample


def test_spot_check_of_another_customer_or_without_a_note_refused__CS_10(cs):
    batch = imported(cs)
    other = imported(cs, [("赵云", "13700001111", "", "", "", "")], shop="园区印象城店")
    outsider = other["sample"][0]["id"]
    r = _check(cs, batch, outsider)
    assert r.status_code == 422 and r.json()["rule"] == "CS-10", r.content
    assert "customer" in r.json()["fields"]
    no_note = _check(cs, batch, batch["sample"][0]["id"], correct=False)
    assert no_note.status_code == 422 and "note" in no_note.json()["fields"], no_note.content
    assert no_note.json()["rule"] == "CS-10" and SpotCheck.objects.count() == 0


def test_spot_check_page_records_and_shows_the_share__CS_10(cs):
    batch = imported(cs)
    client = cs.as_("manager").client
    url = f"/c/kefu/service/imports/{batch['id']}/"
    page = client.get(url).content.decode()
    customer = batch["sample"][0]["id"]
    assert f'data-testid="check-form-{customer}"' in page

    r = client.post(f"{url}check/", {"customer": customer, "correct": "true", "next": url})

    assert r.status_code == 302 and r["Location"] == url
    page = client.get(url).content.decode()
    assert 'data-testid="check"' in page and "33.3 %" in page
    again = client.post(f"{url}check/", {"customer": customer, "correct": "true"})
    assert again.status_code == 409 and "CS-10" in again.content.decode()
    agent = cs.as_("agent1").client.post(f"{url}check/", {"customer": customer, "correct": "true"})
    assert agent.status_code == 403 and SpotCheck.objects.count() == 1
    outsider = client.post(f"{url}check/", {"customer": 999999, "correct": "true"})
    assert outsider.status_code == 422 and "CS-10" in outsider.content.decode()
    found = client.get(f"{url}?q=0512").content.decode()
    assert "李强" in found and "王丽" not in found.split('data-testid="find"')[1]


def test_another_centres_import_is_404__ORG_3(cs):
    batch = imported(cs)
    other = cs.as_("supervisor_b")
    for path in (
        f"/service/kefu/customer-imports/{batch['id']}",
        f"/service/kefu2/customer-imports/{batch['id']}",
        f"/service/kefu2/customer-imports/{batch['id']}/customers",
    ):
        assert other.get(path).status_code == 404, path
    check = other.post(
        f"/service/kefu2/customer-imports/{batch['id']}/spot-checks",
        {"customer": batch["sample"][0]["id"], "correct": True},
    )
    assert check.status_code == 404 and SpotCheck.objects.count() == 0
    assert other.client.get(f"/c/kefu2/service/imports/{batch['id']}/").status_code == 404
    assert other.client.get(f"/c/kefu/service/imports/{batch['id']}/").status_code == 404
    assert other.get("/service/kefu2/customer-records").json()["imports"] == []
    upload_there = other.client.post(BASE, {"file": workbook(GOOD), "month": "2026-11"})
    assert upload_there.status_code == 404 and CustomerImport.objects.count() == 1
