"""ACC-2: a new station's four-remote point table imported into its commissioning sheet — every
row checked first (duplicate address, unknown station, missing type …: a row-by-row report and
nothing written, through the API and the page), a good table replaces the sheet's points, only
while the sheet is being prepared; the accepted points as the IEC 104 bridge's point file,
loaded by the bridge's own reader; other centres answer 404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from zhiban.core.actors import Source
from zhiban.core.models import AuditEvent
from zhiban.upkeep import point_table, services
from zhiban.upkeep.models import AcceptancePoint, SheetState
from zhiban_iec104 import points as bridge

from ..alarms.test_alarm_console import zh
from .point_tables import GOOD, import_path, post_table, sheet_of, xlsx

PAGE = "/c/alpha/upkeep/acceptance/{pk}/import/"


@pytest.fixture
def sheet(world):
    return sheet_of(world)


def bad_rows():
    """Row 3 repeats row 2's address, row 4 names a station nobody has, row 5 has no type."""
    return [
        GOOD[0],
        ["S1", "110kV苏吴线752", "开关事故跳闸", "遥信", 1, "事故", None, None, ""],
        ["XX9", "1号主变", "本体轻瓦斯告警", "遥信", 3, "异常", None, None, ""],
        ["S1", "1号主变", "主变油温高告警", "", 4, "异常", None, None, ""],
    ]


def test_bad_table_answers_422_row_by_row_and_writes_nothing__ACC_2(world, api, sheet):
    audit_before = AuditEvent.objects.count()
    r = post_table(api(world.people["chief_a"]).client, sheet, xlsx(bad_rows()))
    assert r.status_code == 422, r.content
    body = r.json()
    assert body["rule"] == "ACC-2" and body["code"] == "import_invalid"
    assert [(p["row"], p["column"]) for p in body["rows"]] == [
        (3, "信息体地址"),
        (4, "厂站"),
        (5, "类型"),
    ]
    assert all("ACC-2" in p["message"] for p in body["rows"]), body["rows"]
    twice = zh("Address %(address)s appears twice: rows %(first)s and %(row)s (ACC-2).")
    assert body["rows"][0]["message"] == twice % {"address": 1, "first": 2, "row": 3}
    assert "XX9" in body["rows"][1]["message"]
    assert not AcceptancePoint.objects.filter(sheet=sheet).exists()
    sheet.refresh_from_db()
    assert sheet.version == 1 and AuditEvent.objects.count() == audit_before


def test_bad_table_on_the_page_lists_every_problem_and_writes_nothing__ACC_2(world, web, sheet):
    client = web(world.people["chief_a"])
    page = client.get(PAGE.format(pk=sheet.pk))
    assert page.status_code == 200 and b'data-testid="import-form"' in page.content
    r = client.post(PAGE.format(pk=sheet.pk), {"file": xlsx(bad_rows()), "version": sheet.version})
    assert r.status_code == 422
    html = r.content.decode()
    assert html.count('data-testid="problem"') == 3
    for row in (3, 4, 5):
        assert f'data-row="{row}"' in html
    assert "ACC-2" in html
    assert not AcceptancePoint.objects.filter(sheet=sheet).exists()


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["S1", "", "信号", "遥信", "x12", "", None, None, ""], "信息体地址", "x12"),
        (["S1", "", "信号", "遥信", 1.5, "", None, None, ""], "信息体地址", "1.5"),
        (["S1", "", "信号", "遥信", 2**24, "", None, None, ""], "信息体地址", "16777215"),
        (["S1", "", "信号", "遥信", None, "", None, None, ""], "信息体地址", "missing"),
        (["S1", "", "信号", "遥测", 7, "", 12, 10, "kV"], "下限", "12"),
        (["S1", "", "信号", "遥测", 7, "", "low", 10, "kV"], "下限", "low"),
        (["S1", "", "", "遥信", 7, "", None, None, ""], "信号名称", "signal"),
        (["S1", "", "信号", "遥信", 7, "重要", None, None, ""], "分类", "重要"),
        (["S1", "", "信号", "遥X", 7, "", None, None, ""], "类型", "遥X"),
    ],
)
def test_each_bad_cell_is_reported_with_its_column__ACC_2(world, sheet, row, column, words):
    with translation.override("en"):
        rows, problems = point_table.read(xlsx([row]), world.alpha)
    assert rows == []
    assert [(p["row"], p["column"]) for p in problems] == [(2, column)]
    assert words in problems[0]["message"] and "ACC-2" in problems[0]["message"]


def test_not_a_workbook_or_no_file_names_the_file__ACC_2(world, api, sheet):
    client = api(world.people["chief_a"]).client
    r = post_table(client, sheet, SimpleUploadedFile("points.xlsx", b"not a workbook"))
    assert r.status_code == 422
    assert r.json()["rows"][0]["row"] == 0 and "file" in r.json()["fields"]
    r = client.post(import_path(sheet), {"version": sheet.version})
    assert r.status_code == 422 and r.json()["rows"][0]["row"] == 0
    missing = post_table(client, sheet, xlsx(GOOD, header=["厂站", "信号名称"]))
    assert {p["column"] for p in missing.json()["rows"]} == {"类型", "信息体地址"}
    assert not AcceptancePoint.objects.filter(sheet=sheet).exists()


def test_good_table_replaces_the_points_in_order_and_is_audited__ACC_2(world, api, sheet):
    client = api(world.people["chief_a"]).client
    r = post_table(client, sheet, xlsx(GOOD))
    assert r.status_code == 200, r.content
    assert r.json() == {"sheet_id": sheet.pk, "version": 2, "points": 6}
    stored = list(AcceptancePoint.objects.filter(sheet=sheet).order_by("seq"))
    assert [p.address for p in stored] == [1, 2, 0x4001, 16386, 24577, 25001]
    assert [p.remote_type for p in stored] == ["yx", "yx", "yc", "yc", "yk", "yt"]
    assert {p.site_id for p in stored} == {world.sites["station"].pk}  # code, name, the sheet's
    bus = stored[2]
    assert (bus.low, bus.high, bus.unit, bus.klass) == (9.3, 10.7, "kV", "limit")
    assert stored[0].klass == "accident" and stored[0].bay == "110kV苏吴线751"
    event = AuditEvent.objects.filter(verb="point_table.import").get()
    assert event.after["points"] == 6 and event.actor_id == world.people["chief_a"].pk
    again = post_table(client, sheet, xlsx(GOOD[:2]), version=2)
    assert again.status_code == 200 and again.json()["points"] == 2
    assert AcceptancePoint.objects.filter(sheet=sheet).count() == 2
    stale = post_table(client, sheet, xlsx(GOOD), version=2)
    assert stale.status_code == 409 and AcceptancePoint.objects.filter(sheet=sheet).count() == 2
    unversioned = client.post(import_path(sheet), {"file": xlsx(GOOD)})
    assert unversioned.status_code == 422 and unversioned.json()["rule"] == "DESIGN-1"
    assert "version" in unversioned.json()["fields"]


def test_good_table_on_the_page_shows_the_points__ACC_2(world, web, sheet):
    client = web(world.people["leader_a"])
    r = client.post(PAGE.format(pk=sheet.pk), {"file": xlsx(GOOD), "version": sheet.version})
    assert r.status_code == 302
    page = client.get(r.url).content.decode()
    assert page.count('data-testid="point"') == 6 and "主变油温" in page


@pytest.mark.parametrize("state", [SheetState.CHECKING, SheetState.CLOSED])
def test_import_refused_once_the_sheet_is_no_longer_prepared__ACC_2(world, api, web, state):
    sheet = sheet_of(world, state=state)
    r = post_table(api(world.people["chief_a"]).client, sheet, xlsx(GOOD))
    assert r.status_code == 409 and r.json()["rule"] == "ACC-2"
    assert "ACC-2" in r.json()["message"]
    assert not AcceptancePoint.objects.filter(sheet=sheet).exists()
    page = web(world.people["chief_a"]).get(PAGE.format(pk=sheet.pk)).content.decode()
    assert 'data-testid="import-closed"' in page and 'data-testid="import-form"' not in page


def test_who_may_import_and_other_centres_answer_404__ACC_2(world, api, web, sheet):
    assert post_table(api(world.people["field_a"]).client, sheet, xlsx(GOOD)).status_code == 403
    stranger = api(world.people["admin_b"]).client
    assert post_table(stranger, sheet, xlsx(GOOD)).status_code == 404
    assert post_table(stranger, sheet, xlsx(GOOD), code="beta").status_code == 404
    csv_path = f"/api/centres/alpha/upkeep/acceptance/sheets/{sheet.pk}/iec104-points.csv"
    assert stranger.get(csv_path).status_code == 404
    browser = web(world.people["admin_b"])
    assert browser.get(PAGE.format(pk=sheet.pk)).status_code == 404
    assert browser.get(f"/c/beta/upkeep/acceptance/{sheet.pk}/import/").status_code == 404
    assert browser.get(f"/c/beta/upkeep/acceptance/{sheet.pk}/iec104-points.csv").status_code == 404
    assert not AcceptancePoint.objects.filter(sheet=sheet).exists()


def tick_all(sheet, *, except_addresses=()):
    AcceptancePoint.objects.filter(sheet=sheet).exclude(address__in=except_addresses).update(
        centre_result="ok", team_result="ok"
    )
    AcceptancePoint.objects.filter(sheet=sheet, address__in=except_addresses).update(
        centre_result="ok", team_result="fail"
    )


def test_accepted_points_load_in_the_iec104_bridge__ACC_2(world, api, web, sheet, tmp_path):
    services.points_import(
        actor=world.people["chief_a"],
        source=Source.WEB,
        sheet_id=sheet.pk,
        version=1,
        file=xlsx(GOOD),
    )
    tick_all(sheet, except_addresses=[2])  # 本体重瓦斯动作: the team found it wrong
    r = api(world.people["field_a"]).get(
        f"/centres/alpha/upkeep/acceptance/sheets/{sheet.pk}/iec104-points.csv"
    )
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert r["X-Zhiban-Left-Out"] == "2"  # the remote control and the adjustment
    path = tmp_path / "points.csv"
    path.write_bytes(r.content)
    table = bridge.load(path)
    assert sorted(table) == [1, 0x4001, 16386]
    trip = table[1]
    assert (trip.kind, trip.site, trip.equipment, trip.signal, trip.klass, trip.raise_on) == (
        "single",
        "S1",
        "110kV苏吴线751",
        "开关事故跳闸",
        "accident",
        "on",
    )
    bus = table[0x4001]
    assert (bus.kind, bus.high, bus.low, bus.klass) == ("measured", 10.7, 9.3, "limit")
    assert table[16386].high == 85 and table[16386].low is None
    page = web(world.people["chief_a"]).get(
        f"/c/alpha/upkeep/acceptance/{sheet.pk}/iec104-points.csv"
    )
    assert page.status_code == 200 and page.content == r.content


def test_the_template_reads_back_as_a_good_table__ACC_2(world, web, sheet):
    r = web(world.people["chief_a"]).get("/c/alpha/upkeep/acceptance/point-table-template.xlsx")
    assert r.status_code == 200
    rows, problems = point_table.read(SimpleUploadedFile("t.xlsx", r.content), world.alpha)
    assert problems == [] and [row.remote_type for row in rows] == ["yx", "yc", "yk"]


def test_english_headers_and_other_columns_are_read__ACC_2(world, sheet):
    """A sequence number first and a remark last (a real table's columns) are passed over."""
    header = ["No.", "Station", "Bay", "Signal (信号)", "Type", "IOA", "Class", "Low", "High"]
    table = xlsx([[1, *GOOD[0][:8], "备注"], [2, *GOOD[2][:8]]], header=[*header, "Remark"])
    rows, problems = point_table.read(table, world.alpha, site=world.sites["station"])
    assert problems == [] and [r.address for r in rows] == [1, 0x4001]
