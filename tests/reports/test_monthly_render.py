"""The monthly operation report (RPT-1, RPT-3, RPT-4) through the web client and the API: its
figures are the records they count, each beside the month before and the same month last
year as ``build`` computes them; the page draws charts, the PDF prints the same figures in
Chinese on A4, the workbook holds a sheet of the figures and a sheet per table. A month ahead
or before the centre existed is 422 on ``month`` naming RPT-1; another centre's report 404."""

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhiban.core.actors import CLI, Source
from zhiban.duty import services as duty
from zhiban.org import services as org
from zhiban.org.models import Centre
from zhiban.reports import monthly
from zhiban.reports.monthly import render

from ..clock import SHANGHAI
from ..conftest import make_person
from ..pdf import has_cjk_font, page_sizes, pdf_pages

NOVEMBER, OCTOBER = "2026-11", "2026-10"


@pytest.fixture
def works(world, fixed_clock):
    """An engineering department (工程部: the duty section only) reporting since 2025-11,
    with three log entries in November, one in October and one on 1 December (not in
    November's); its administrator."""
    centre = org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": "works",
            "name": "工程部",
            "kind": "engineering",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )
    admin = make_person(centre, "admin_w", "admin")
    org.centre_settings_update(
        actor=admin,
        source=Source.CLI,
        centre_id=centre.pk,
        version=centre.version,
        changes={"report.since": "2025-11"},
    )
    for day, hour in ((3, 9), (15, 14), (27, 23), (-1, 10)):
        at = datetime(2026, 10 if day < 0 else 11, 31 if day < 0 else day, hour, tzinfo=SHANGHAI)
        duty.log_write(actor=CLI, source=Source.CLI, centre=centre, category="other", at=at)
    duty.log_write(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        category="other",
        at=datetime(2026, 11, 30, 16, 30, tzinfo=UTC),  # 1 December 00:30 in Shanghai
    )
    return Centre.objects.get(pk=centre.pk), admin


def figure(report: dict, key: str) -> dict:
    return next(f for s in report["sections"] for f in s["figures"] if f["key"] == key)


def test_report_counts_the_months_records_beside_the_month_before__RPT_1(works, api):
    centre, admin = works
    report = api(admin).get(f"/centres/works/reports/monthly/{NOVEMBER}").json()
    entries = figure(report, "log_entries")
    assert (entries["value"], entries["previous"], entries["last_year"]) == (3, 1, 0)
    assert (report["previous"], report["last_year"]) == (OCTOBER, "2025-11")
    october = api(admin).get(f"/centres/works/reports/monthly/{OCTOBER}").json()
    assert figure(october, "log_entries")["value"] == 1
    assert figure(october, "log_entries")["last_year"] is None  # before the centre (RPT-1)


def test_comparisons_are_what_build_computes_for_those_months__RPT_1(world, fixed_clock, api):
    admin = world.people["admin_a"]
    centre = Centre.objects.get(pk=world.alpha.pk)
    org.centre_settings_update(
        actor=admin,
        source=Source.CLI,
        centre_id=centre.pk,
        version=centre.version,
        changes={"report.since": "2025-01"},
    )
    centre.refresh_from_db()
    report = api(admin).get(f"/centres/alpha/reports/monthly/{NOVEMBER}").json()
    before = monthly.build(centre, date(2026, 10, 1))
    year_ago = monthly.build(centre, date(2025, 11, 1))
    assert report["sections"], "the power centre's builder gave no section"
    for section, earlier, older in zip(
        report["sections"], before.sections, year_ago.sections, strict=True
    ):
        assert section["key"] == earlier.key == older.key
        values = {f.key: f.value for f in earlier.figures}
        last_year = {f.key: f.value for f in older.figures}
        for f in section["figures"]:
            assert f["previous"] == values[f["key"]], f["key"]
            assert f["last_year"] == last_year[f["key"]], f["key"]


def test_page_shows_figures_charts_and_changes__RPT_1_RPT_4(works, web):
    centre, admin = works
    r = web(admin).get(f"/c/works/reports/monthly/{NOVEMBER}/")
    assert r.status_code == 200
    html = r.content.decode()
    row = html.split('data-testid="figure-log_entries"')[1].split("</tr>")[0]
    assert '<td class="text-end fw-bold" data-testid="value">3</td>' in row
    assert "▲ +2" in row  # 3 against October's 1
    assert 'data-testid="chart-duty-compared"' in html
    assert f"/c/works/reports/monthly/{NOVEMBER}.pdf" in html
    assert f"/c/works/reports/monthly/{NOVEMBER}.xlsx" in html
    latest = web(admin).get("/c/works/reports/monthly/")
    assert latest.status_code == 302
    assert latest["Location"].endswith(f"/c/works/reports/monthly/{OCTOBER}/")
    picked = web(admin).get("/c/works/reports/monthly/", {"month": "2026-02"})
    assert picked["Location"].endswith("/c/works/reports/monthly/2026-02/")
    unreadable = web(admin).get("/c/works/reports/monthly/", {"month": "2026/02"})
    assert unreadable.status_code == 422
    assert "RPT-1" in unreadable.content.decode()
    home = web(admin).get("/c/works/reports/").content.decode()
    assert f"/c/works/reports/monthly/{OCTOBER}/" in home
    assert f"/c/works/reports/monthly/{NOVEMBER}/" in home


def test_change_coloured_by_which_way_is_better__RPT_1():
    assert render.change(5, 3, "up") == render.Change("▲", "+2", "good")
    assert render.change(5, 3, "down") == render.Change("▲", "+2", "bad")
    assert render.change(90.0, 92.5, "up", "%") == render.Change("▼", "-2.5%", "bad")
    assert render.change(4, 4, "up") == render.Change("=", "", "same")
    assert render.change(4, None, "up") == render.Change("", "", "")


def test_pdf_prints_the_figures_in_chinese_on_a4__RPT_3(works, web, api):
    centre, admin = works
    for client, path in (
        (web(admin), f"/c/works/reports/monthly/{NOVEMBER}.pdf"),
        (api(admin).client, f"/api/centres/works/reports/monthly/{NOVEMBER}.pdf"),
    ):
        r = client.get(path)
        assert r.status_code == 200
        assert r["Content-Type"] == "application/pdf"
        data = r.content
        assert data.startswith(b"%PDF")
        assert has_cjk_font(data)
        assert set(page_sizes(data)) == {(210, 297)}
        text = "\n".join(pdf_pages(data))
        assert "工程部" in text
        assert "运行记事条数" in text or "Duty log entries" in text
        assert "2026-11" in text and "2026-10" in text


def test_workbook_holds_the_figures_and_a_sheet_per_table__RPT_1(works, web, api):
    centre, admin = works
    report = monthly.build(centre, date(2026, 11, 1))
    tables = [t for s in report.sections for t in s.tables]
    for client, path in (
        (web(admin), f"/c/works/reports/monthly/{NOVEMBER}.xlsx"),
        (api(admin).client, f"/api/centres/works/reports/monthly/{NOVEMBER}.xlsx"),
    ):
        r = client.get(path)
        assert r.status_code == 200
        book = load_workbook(BytesIO(b"".join(r.streaming_content)))
        assert len(book.sheetnames) == 1 + len(tables)
        rows = list(book.worksheets[0].iter_rows(values_only=True))
        assert rows[0][3:6] == (NOVEMBER, OCTOBER, "2025-11")
        compared = [c for s in report.sections for c in s.compared]
        assert len(rows) == 1 + len(compared)
        for row, c in zip(rows[1:], compared, strict=True):
            assert row[3:6] == (c.figure.value, c.previous, c.last_year), row
        entries = next(r for r in rows if r[1] in ("运行记事条数", "Duty log entries"))
        assert entries[3:6] == (3, 1, 0)
        for sheet, table in zip(book.worksheets[1:], tables, strict=True):
            cells = list(sheet.iter_rows(values_only=True))
            assert len(cells) == 1 + len(table.rows)


@pytest.mark.parametrize(
    ("month", "words"),
    [
        ("2026-12", "2026-12"),  # ahead of the frozen 28 November
        ("2025-10", "2025-11"),  # before the centre reports (report.since 2025-11)
        ("2026-13", "YYYY-MM"),
        ("2026-00", "YYYY-MM"),
    ],
)
def test_bad_month_is_refused_on_month__RPT_1(works, web, api, month, words):
    centre, admin = works
    r = api(admin).get(f"/centres/works/reports/monthly/{month}")
    assert r.status_code == 422
    body = r.json()
    assert body["rule"] == "RPT-1"
    assert "RPT-1" in body["fields"]["month"][0]
    page = web(admin).get(f"/c/works/reports/monthly/{month}/")
    assert page.status_code == 422
    assert 'data-field="month"' in page.content.decode()
    assert web(admin).get(f"/c/works/reports/monthly/{month}.pdf").status_code == 422


def test_current_month_is_allowed_and_a_malformed_one_is_422__RPT_1(works, api):
    centre, admin = works
    assert api(admin).get("/centres/works/reports/monthly/2026-11").status_code == 200
    r = api(admin).get("/centres/works/reports/monthly/2026-1")
    assert r.status_code == 422
    assert "month" in r.json()["fields"]


def test_another_centres_report_is_404__RPT_1(works, world, web, api):
    outsider = world.people["admin_b"]
    for suffix in ("", ".pdf", ".xlsx"):
        r = api(outsider).get(f"/centres/works/reports/monthly/{NOVEMBER}{suffix}")
        assert r.status_code == 404, suffix
    assert web(outsider).get(f"/c/works/reports/monthly/{NOVEMBER}/").status_code == 404
    assert web(outsider).get(f"/c/works/reports/monthly/{NOVEMBER}.xlsx").status_code == 404
