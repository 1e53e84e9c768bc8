"""Sites and equipment from .xlsx with a row-by-row report and nothing written on any bad
row (ORG-2); every list exports to .xlsx with its filters (RPT-2)."""

import io

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
