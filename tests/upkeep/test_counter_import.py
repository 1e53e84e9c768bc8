"""Month-end counts (CNT-1, CNT-3): the monitoring system's .xlsx imported with a row-by-row
report — any bad row, nothing written — a good one moving the counts; the month-end
statistics per station with their chart and .xlsx export. Through the API and the pages."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from zhiban.core.models import Notification
from zhiban.upkeep.models import CounterMonth, OperationCounter

BASE = "/centres/alpha/upkeep/counters"
HEADER = ["站点", "设备", "计数类型", "月份", "次数"]


def sheet(rows, header=HEADER) -> SimpleUploadedFile:
    workbook = Workbook()
    ws = workbook.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return SimpleUploadedFile(
        "counts.xlsx",
        data.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


GOOD = [
    ["一号变", "1号电容器 C1", "电容器投切", "2026-10", 40],
    ["S1", "C1", "switching", "2026-11", 12],
    ["一号变", "T1", "有载调压", "2026-11", 7],
    ["一号变", "苏吴线 751", "开关跳闸", "2026-09", 2],
]


def post(client, rows, **kw):
    return client.client.post(f"/api{BASE}/import", {"file": sheet(rows, **kw)})


def test_bad_rows_are_reported_and_nothing_is_written__CNT_3(upkeep, api, fixed_clock):
    bad = [
        *GOOD,
        ["三号变", "C1", "电容器投切", "2026-10", 1],  # unknown station
        ["一号变", "9号电容器", "电容器投切", "2026-10", 1],  # unknown equipment
        ["一号变", "C1", "合闸次数", "2026-10", 1],  # unknown counter
        ["一号变", "C1", "电容器投切", "2026-13", 1],  # bad month
        ["一号变", "C1", "电容器投切", "2026-08", -3],  # negative
        ["一号变", "C1", "电容器投切", "2026-07", "many"],  # no number
        ["一号变", "C1", "电容器投切", "2026-07", 2.5],  # no whole number
        ["一号变", "1号电容器 C1", "电容器投切", "2026-10", 41],  # duplicate of row 2
        ["一号变", "751", "有载调压", "2026-10", 1],  # a breaker has no tap counter
        ["一号变", "C1", "电容器投切", "2027-01", 1],  # not begun
    ]
    r = post(api(upkeep.world.people["chief_a"]), bad)
    assert r.status_code == 422, r.content
    rows = r.json()["rows"]
    assert [p["row"] for p in rows] == list(range(6, 16))
    assert [p["column"] for p in rows] == [
        "站点",
        "设备",
        "计数类型",
        "月份",
        "次数",
        "次数",
        "次数",
        "",
        "计数类型",
        "月份",
    ]
    assert "2" in rows[7]["message"]  # names the row it repeats
    assert not OperationCounter.objects.exists() and not CounterMonth.objects.exists()


def test_a_file_without_the_columns_or_no_workbook_is_refused__CNT_3(upkeep, api, fixed_clock):
    client = api(upkeep.world.people["chief_a"])
    r = post(client, GOOD, header=["站点", "设备", "月份", "次数"])
    assert r.status_code == 422 and r.json()["rows"][0]["column"] == "计数类型"
    r = client.client.post(
        f"/api{BASE}/import", {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}
    )
    assert r.status_code == 422 and "file" in r.json()["fields"]
    assert not OperationCounter.objects.exists()


def test_a_good_import_moves_the_counts__CNT_1(upkeep, api, fixed_clock):
    chief = api(upkeep.world.people["chief_a"])
    r = post(chief, GOOD)
    assert r.status_code == 200, r.content
    assert r.json() == {"rows": 4, "changed": 4, "opened": 3, "full": 0}
    counts = {(c["equipment_id"], c["kind"]): c["count"] for c in chief.get(BASE).json()["items"]}
    assert counts == {
        (upkeep.equipment["capacitor"].pk, "switching"): 52,
        (upkeep.equipment["tap"].pk, "tap"): 7,
        (upkeep.equipment["breaker"].pk, "trip"): 2,
    }
    # imported again with one figure changed: only that moves, by the difference
    again = [list(row) for row in GOOD]
    again[1][4] = 10
    assert post(chief, again).json()["changed"] == 1
    capacitor = OperationCounter.objects.get(equipment=upkeep.equipment["capacitor"])
    assert capacitor.count == 50


def test_an_import_reaching_a_limit_tells_the_team__CNT_2(upkeep, api, fixed_clock):
    r = api(upkeep.world.people["leader_a"]).post(
        BASE, {"equipment": upkeep.equipment["tap"].pk, "kind": "tap", "limit": 5}
    )
    assert r.status_code == 201
    assert post(api(upkeep.world.people["chief_a"]), GOOD).json()["full"] == 1
    assert Notification.objects.filter(recipient=upkeep.world.people["leader_a"]).exists()


def test_the_team_may_not_import__CNT_1(upkeep, api, fixed_clock):
    r = post(api(upkeep.world.people["leader_a"]), GOOD)
    assert r.status_code == 403
    assert post(api(upkeep.world.people["admin_b"]), GOOD).status_code == 404


def test_the_import_page_reports_each_row__CNT_3(upkeep, web, fixed_clock):
    client = web(upkeep.world.people["deputy_a"])
    url = "/c/alpha/upkeep/counters/import/"
    assert client.get(url).status_code == 200
    r = client.post(url, {"file": sheet([["一号变", "C1", "跳闸次数?", "2026-10", 1]])})
    assert r.status_code == 422
    assert 'data-testid="problem"' in r.content.decode()
    assert not CounterMonth.objects.exists()
    r = client.post(url, {"file": sheet(GOOD)})
    assert r.status_code == 200 and 'data-testid="import-done"' in r.content.decode()
    assert web(upkeep.world.people["leader_a"]).get(url).status_code == 403


def test_month_end_statistics_per_station_with_chart_and_export__CNT_3(
    upkeep, api, web, fixed_clock
):
    chief = api(upkeep.world.people["chief_a"])
    assert post(chief, GOOD).status_code == 200
    r = chief.get(f"{BASE}/statistics?start=2026-09&end=2026-11")
    assert r.status_code == 200, r.content
    stats = r.json()
    assert stats["months"] == ["2026-09", "2026-10", "2026-11"]
    [station] = stats["stations"]
    assert station["site"] == "一号变" and station["figures"] == [2, 40, 19]
    assert stats["total"] == 61
    only = chief.get(f"{BASE}/statistics?start=2026-09&end=2026-11&kind=tap").json()
    assert only["total"] == 7
    bad = chief.get(f"{BASE}/statistics?start=2026-11&end=2026-09")
    assert bad.status_code == 422 and "end" in bad.json()["fields"]
    # .xlsx through the API and the page: the same figures
    for response in (
        chief.get(f"{BASE}/statistics.xlsx?start=2026-09&end=2026-11"),
        web(upkeep.world.people["leader_a"]).get(
            "/c/alpha/upkeep/counters/statistics/?start=2026-09&end=2026-11&export=xlsx"
        ),
    ):
        assert response.status_code == 200
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        values = [list(r) for r in workbook.active.iter_rows(values_only=True)]
        assert values[1] == ["站点", "2026-09", "2026-10", "2026-11", "合计"] or values[1][1:4] == [
            "2026-09",
            "2026-10",
            "2026-11",
        ]
        assert values[2] == ["一号变", 2, 40, 19, 61]
    page = web(upkeep.world.people["chief_a"]).get(
        "/c/alpha/upkeep/counters/statistics/?start=2026-09&end=2026-11"
    )
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="chart-counter-months"' in html
    assert 'data-testid="stats-row"' in html
    assert (
        web(upkeep.world.people["admin_b"]).get("/c/alpha/upkeep/counters/statistics/").status_code
        == 404
    )


def test_the_template_reads_back_as_a_good_import__CNT_3(upkeep, web, fixed_clock):
    client = web(upkeep.world.people["chief_a"])
    r = client.get("/c/alpha/upkeep/counters/import/template/")
    assert r.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert [c for c in next(workbook.active.iter_rows(values_only=True))] == HEADER
