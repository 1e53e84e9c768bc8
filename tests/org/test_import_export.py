"""Sites and equipment from .xlsx with a row-by-row report and nothing written on any bad
row (ORG-2); every list exports to .xlsx with its filters (RPT-2)."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from zhiban.core.models import AuditEvent
from zhiban.core.permissions import Role
from zhiban.org.models import Equipment, Site

from ..conftest import make_person


def sheet(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("points.xlsx", out.getvalue())


SITES = [
    ["编码", "名称", "类型", "电压等级", "上级编码", "地址"],
    ["WZ", "吴中片区", "区域", "", "", ""],
    ["S10", "东吴变", "变电站", "110kV", "WZ", "吴中区"],
    ["S11", "石湖变", "substation", "35 kV", "WZ", ""],
]
EQUIPMENT = [
    ["站点编码", "名称", "调度号", "类型", "电压等级", "型号", "上级设备名称", "上级设备调度号"],
    ["S10", "东石线", "", "线路", "110kV", "", "", ""],
    ["S10", "东石线开关", "761", "开关", "110kV", "LW36", "东石线", ""],
    ["S10", "1号主变", "#1", "主变", "110kV", "", "", ""],
    ["S10", "1号主变有载调压分接头", "#1", "有载调压分接头", "", "", "1号主变", "#1"],
]


def upload(client, kind, rows):
    return client.client.post(f"/api/centres/alpha/import/{kind}", {"file": sheet(rows)})


def test_import_sites_then_equipment_and_again_unchanged__ORG_2(world, api):
    client = api(world.people["admin_a"])
    r = upload(client, "sites", SITES)
    assert r.status_code == 200, r.content
    assert r.json() == {"created": 3, "updated": 0, "unchanged": 0}
    assert Site.objects.get(code="S10").parent.code == "WZ"
    assert Site.objects.get(code="S11").voltage_level == "35kV"
    r = upload(client, "equipment", EQUIPMENT)
    assert r.json() == {"created": 4, "updated": 0, "unchanged": 0}
    tap = Equipment.objects.get(name="1号主变有载调压分接头")
    assert tap.kind == "tap_changer" and tap.parent.double_name == "1号主变 #1"
    again = upload(client, "equipment", EQUIPMENT)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 4}
    changed = [row[:] for row in EQUIPMENT]
    changed[2][5] = "LW36-126"
    assert upload(client, "equipment", changed).json()["updated"] == 1


def test_one_bad_row_writes_nothing_and_names_row_and_column__ORG_2(world, api):
    client = api(world.people["admin_a"])
    before = (Site.objects.count(), AuditEvent.objects.count())
    bad = SITES + [["S12", "", "变电站", "", "", ""], ["S13", "某变", "火箭", "", "NOPE", ""]]
    r = upload(client, "sites", bad)
    assert r.status_code == 422
    problems = {(p["row"], p["column"]) for p in r.json()["rows"]}
    assert {(5, "名称"), (6, "类型"), (6, "上级编码")} <= problems
    assert (Site.objects.count(), AuditEvent.objects.count()) == before


def test_a_file_that_is_not_a_sheet_is_refused__ORG_2(world, api):
    client = api(world.people["admin_a"])
    r = client.client.post(
        "/api/centres/alpha/import/sites", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}
    )
    assert r.status_code == 422 and r.json()["rows"][0]["row"] == 0
    r = client.client.post("/api/centres/alpha/import/sites", {"file": sheet([["名称"], ["A"]])})
    assert r.status_code == 422
    assert any("编码" in p["message"] for p in r.json()["rows"])


def test_import_page_lists_the_problems__ORG_2(world, web):
    client = web(world.people["admin_a"])
    page = client.get("/c/alpha/org/import/sites/")
    assert page.status_code == 200
    template = client.get("/c/alpha/org/import/sites/template.xlsx")
    headers = [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]]
    assert headers == SITES[0]
    r = client.post(
        "/c/alpha/org/import/sites/", {"file": sheet(SITES + [["S14", "", "", "", "", ""]])}
    )
    assert r.status_code == 422
    html = r.content.decode()
    assert 'data-testid="import-problems"' in html and "名称" in html
    assert not Site.objects.filter(code="S10").exists()
    ok = client.post("/c/alpha/org/import/sites/", {"file": sheet(SITES)})
    assert ok.status_code == 200 and 'data-testid="import-done"' in ok.content.decode()


def rows_of(response):
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[c.value for c in row] for row in workbook.active.iter_rows()]


def test_export_applies_the_filters__RPT_2(world, api, web):
    client = api(world.people["admin_a"])
    upload(client, "sites", SITES)
    r = client.get("/centres/alpha/sites.xlsx?kind=substation&q=变")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = rows_of(r)
    assert rows[0][:2] == ["编码", "名称"]
    assert sorted(row[0] for row in rows[1:]) == ["S1", "S10", "S11"]
    page = web(world.people["admin_a"]).get("/c/alpha/org/sites/?export=xlsx&q=东吴")
    assert [row[0] for row in rows_of(page)[1:]] == ["S10"]


@pytest.mark.parametrize(
    "path",
    [
        "teams",
        "sites",
        "equipment",
        "people",
        "memberships",
        "phone-contacts",
        "deadlines",
        "chat-robots",
    ],
)
def test_every_list_exports_to_xlsx__RPT_2(world, api, path):
    r = api(world.people["admin_a"]).get(f"/centres/alpha/{path}.xlsx")
    assert r.status_code == 200
    assert len(rows_of(r)) >= 1


def test_export_writes_a_formula_like_name_as_text__RPT_2(world, api, web):
    """A name a spreadsheet would run as a formula is written as text (OWASP CSV injection)."""
    formula = '=HYPERLINK("http://x","y")'
    make_person(world.alpha, "sly", Role.GUARD, name=formula)
    r = api(world.people["admin_a"]).get("/centres/alpha/people.xlsx")
    assert r.status_code == 200
    page = web(world.people["admin_a"]).get("/c/alpha/org/people/?export=xlsx")
    assert page.status_code == 200
    for response in (r, page):
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        cells = [
            c for row in workbook.active.iter_rows() for c in row if "HYPERLINK" in str(c.value)
        ]
        assert len(cells) == 1
        assert cells[0].data_type == "s"
        assert cells[0].value == "'" + formula


def _rezip(rows, change) -> bytes:
    """The workbook of ``rows`` with each part passed through change(name, body) (None drops)."""
    source = zipfile.ZipFile(io.BytesIO(sheet(rows).read()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            body = change(name, source.read(name))
            if body is not None:
                target.writestr(name, body)
    return out.getvalue()


def _no_sheets(name, body):
    if name.startswith("xl/worksheets/"):
        return None
    return (
        re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", body) if name == "xl/workbook.xml" else body
    )


def _entities(encoding):
    def change(name, body):
        if name != "xl/worksheets/sheet1.xml":
            return body
        prolog = f'<?xml version="1.0" encoding="{encoding}"?>'
        prolog += '<!DOCTYPE worksheet [<!ENTITY e "东吴变">]>'
        return (prolog + body.decode().replace("东吴变", "&e;")).encode(encoding)

    return change


def _half_sheet(name, body):
    return body[: len(body) // 2] if name == "xl/worksheets/sheet1.xml" else body


def _zip_of_text():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("notes.txt", "不是工作簿")
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (_zip_of_text, "不是 .xlsx 文件"),
        (lambda: _rezip(SITES, _no_sheets), "没有工作表"),
        (lambda: _rezip(SITES, _entities("utf-8")), "DOCTYPE"),
        (lambda: _rezip(SITES, _entities("utf-16")), "DOCTYPE"),
        (lambda: _rezip(SITES, _half_sheet), "不是 .xlsx 文件"),
    ],
    ids=["zip-not-xlsx", "no-sheets", "doctype", "doctype-utf16", "broken-sheet-xml"],
)
def test_a_malformed_or_hostile_workbook_is_refused_naming_the_file__ORG_2(
    world, api, web, make, said
):
    """Never a 500: the API answers 422 JSON naming the ``file`` field, the page a 422 report."""
    client = api(world.people["admin_a"])
    before = (Site.objects.count(), AuditEvent.objects.count())
    upload_file = SimpleUploadedFile("bad.xlsx", make())
    r = client.client.post("/api/centres/alpha/import/sites", {"file": upload_file})
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "import_invalid"
    assert said in body["fields"]["file"][0]
    assert body["rows"][0]["row"] == 0
    page = web(world.people["admin_a"]).post(
        "/c/alpha/org/import/sites/", {"file": SimpleUploadedFile("bad.xlsx", make())}
    )
    assert page.status_code == 422
    assert said in page.content.decode()
    assert (Site.objects.count(), AuditEvent.objects.count()) == before
