"""The shift report and the daily log (RPT-1, RPT-3): frozen when the incoming shift takes the
handover over, its numbers those of the records of the shift, printed as PDF in Chinese and
exported as a workbook; another centre's report is 404, a bad day 422."""

from datetime import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from zhiban.duty.models import Handover, LogEntry
from zhiban.org.models import Centre
from zhiban.reports.models import ShiftReport

from ..duty.conftest import DAY, SHANGHAI, clock, shifts  # noqa: F401 (fixtures)
from ..pdf import has_cjk_font, page_sizes, pdf_pages

BASE = "/centres/alpha"


@pytest.fixture(autouse=True)
def entered(world):
    """Both centres were entered in Zhiban on 1 November 2026: their daily logs begin then
    (RPT-1)."""
    Centre.objects.filter(pk__in=[world.alpha.pk, world.beta.pk]).update(
        created_at=datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI)
    )


def write(api, person, category, text, at):
    r = api(person).post(f"{BASE}/log", {"category": category, "text": text, "at": at})
    assert r.status_code == 201, r.content
    return r.json()


def take_over(api, duty):
    """The outgoing 早班 prepares, checks and signs; the incoming 中班 signs in and signs."""
    out, inc = api(duty.out_chief), api(duty.in_chief)
    h = out.post(f"{BASE}/handovers", {}).json()
    for check in h["checks"]:
        h = out.post(
            f"{BASE}/handovers/{h['id']}/checks/{check['id']}",
            {"version": h["version"], "state": "normal", "note": ""},
        ).json()
    h = out.post(f"{BASE}/handovers/{h['id']}/offer", {"version": h["version"]}).json()
    place = duty.in_chief_place
    r = inc.post(f"{BASE}/roster/{place.pk}/sign-in", {"version": place.version})
    assert r.status_code == 200, r.content
    for item in inc.get(f"{BASE}/handovers/{h['id']}").json()["items"]:
        inc.post(f"{BASE}/handover-items/{item['id']}/acknowledge", {"version": item["version"]})
    h = inc.get(f"{BASE}/handovers/{h['id']}").json()
    r = inc.post(f"{BASE}/handovers/{h['id']}/accept", {"version": h["version"]})
    assert r.status_code == 200, r.content
    return r.json()


@pytest.fixture
def signed(world, shifts, api):  # noqa: F811
    """Entries of the 早班 (one of 中班's time, one of the day before: not in the report),
    then the handover taken over."""
    chief = shifts.out_chief
    write(api, chief, "operation", "10kV 甲线 911 开关由运行转检修", f"{DAY}T09:10:00+08:00")
    write(api, chief, "operation", "10kV 甲线 911 开关由检修转运行", f"{DAY}T11:40:00+08:00")
    write(api, chief, "anomaly", "2号主变油温高告警，已通知操作队", f"{DAY}T10:05:00+08:00")
    write(api, chief, "phone", "调度通知：今晚有雷雨", f"{DAY}T07:50:00+08:00")
    return take_over(api, shifts)


def _figures(data) -> dict:
    return {(s["app"], f["key"]): f["value"] for s in data["sections"] for f in s["figures"]}


def test_report_frozen_at_take_over_counts_the_shift__RPT_1(world, shifts, signed, api):  # noqa: F811
    """The report's numbers are the records of the shift [starts, ends): the 早班's log
    entries by category — not the entry written before it began — and the handover."""
    handover = Handover.objects.get(pk=signed["id"])
    shift = handover.outgoing_shift
    report = ShiftReport.objects.get(handover=handover)
    assert (report.starts_at, report.ends_at) == (shift.starts_at, shift.ends_at)
    in_shift = LogEntry.objects.filter(centre=world.alpha, at__gte=shift.starts_at)
    in_shift = in_shift.filter(at__lt=shift.ends_at)
    r = api(shifts.in_chief).get(f"{BASE}/reports/shift-reports/{report.pk}")
    assert r.status_code == 200, r.content
    data = r.json()
    figures = _figures(data)
    assert figures[("duty", "log_entries")] == in_shift.count() == 4  # 3 written + the take-over
    assert figures[("duty", "log_operation")] == in_shift.filter(category="operation").count()
    assert figures[("duty", "log_operation")] == 2
    assert figures[("duty", "log_anomaly")] == 1
    assert figures[("duty", "log_phone")] == 0  # 07:50 is the night shift's
    assert figures[("duty", "log_handover")] == 1
    assert figures[("duty", "handovers")] == 1
    assert [s["app"] for s in data["sections"]][0] == "duty"
    by_category = {c["category"]: [e["text"] for e in c["entries"]] for c in data["categories"]}
    assert by_category["operation"] == [
        "10kV 甲线 911 开关由运行转检修",
        "10kV 甲线 911 开关由检修转运行",
    ]
    assert by_category["phone"] == []
    assert data["outgoing_signed_by"] == str(shifts.out_chief)
    assert data["incoming_signed_by"] == str(shifts.in_chief)
    assert data["day"] == DAY and data["shift"] == str(shift)


def test_report_stays_as_signed__RPT_1(world, shifts, signed, api):  # noqa: F811
    """Frozen: an entry written later into the shift's hours does not change the report."""
    write(api, shifts.out_chief, "anomaly", "补记：1号站用变声音异常", f"{DAY}T12:00:00+08:00")
    report = ShiftReport.objects.get(handover_id=signed["id"])
    data = api(shifts.in_chief).get(f"{BASE}/reports/shift-reports/{report.pk}").json()
    assert _figures(data)[("duty", "log_anomaly")] == 1
    assert ShiftReport.objects.filter(handover_id=signed["id"]).count() == 1


def test_report_list_and_daily_log__RPT_1(world, shifts, signed, api):  # noqa: F811
    client = api(shifts.in_chief)
    listed = client.get(f"{BASE}/reports/shift-reports", data={"day": DAY})
    assert listed.status_code == 200, listed.content
    assert [r["handover_id"] for r in listed.json()["items"]] == [signed["id"]]
    daily = client.get(f"{BASE}/reports/daily/{DAY}")
    assert daily.status_code == 200, daily.content
    assert [r["handover_id"] for r in daily.json()["reports"]] == [signed["id"]]
    empty = client.get(f"{BASE}/reports/daily/2026-11-26").json()
    assert empty["reports"] == []


def test_report_pdf_prints_the_duty_book_in_chinese__RPT_3(world, shifts, signed, api):  # noqa: F811
    report = ShiftReport.objects.get(handover_id=signed["id"])
    client = api(shifts.in_chief)
    for path in (f"reports/shift-reports/{report.pk}/pdf", f"reports/daily/{DAY}/pdf"):
        r = client.get(f"{BASE}/{path}")
        assert r.status_code == 200, r.content
        assert r["Content-Type"] == "application/pdf"
        assert has_cjk_font(r.content)
        assert page_sizes(r.content)[0] == (210, 297)
        text = "\n".join(pdf_pages(r.content))
        for words in ("阿尔法监控中心", "运行记事", "10kV 甲线 911 开关由运行转检修", "接班正值"):
            assert words in text, (path, words)
    assert "日志" in "\n".join(pdf_pages(client.get(f"{BASE}/reports/daily/{DAY}/pdf").content))


def test_report_workbook_one_sheet_per_table__RPT_1(world, shifts, signed, api):  # noqa: F811
    report = ShiftReport.objects.get(handover_id=signed["id"])
    client = api(shifts.in_chief)
    for path in (f"reports/shift-reports/{report.pk}/xlsx", f"reports/daily/{DAY}/xlsx"):
        r = client.get(f"{BASE}/{path}")
        assert r.status_code == 200, r.content
        book = load_workbook(BytesIO(b"".join(r.streaming_content)))
        assert book.sheetnames == ["班次", "本班概况", "运行记事"]
        entries = [row[3] for row in book["运行记事"].iter_rows(min_row=2, values_only=True)]
        assert len(entries) == 4 and "2号主变油温高告警，已通知操作队" in entries
        figures = {
            row[2]: row[3] for row in book["本班概况"].iter_rows(min_row=2, values_only=True)
        }
        assert figures["操作"] == 2


def test_another_centres_report_is_404__RPT_1(world, shifts, signed, api):  # noqa: F811
    report = ShiftReport.objects.get(handover_id=signed["id"])
    guard = api(world.people["guard_b"])
    for path in ("", "/pdf", "/xlsx"):
        assert guard.get(f"{BASE}/reports/shift-reports/{report.pk}{path}").status_code == 404
        r = guard.get(f"/centres/beta/reports/shift-reports/{report.pk}{path}")
        assert r.status_code == 404
    assert guard.get(f"/centres/beta/reports/daily/{DAY}").json()["reports"] == []
    web = guard.client
    assert web.get(f"/c/alpha/reports/shift-reports/{report.pk}/").status_code == 404
    assert web.get(f"/c/beta/reports/shift-reports/{report.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("day", "says"),
    [
        ("2026-11-28", "2026-11-28"),  # tomorrow: has not come yet
        ("2026-10-31", "2026-11-01"),  # before the centre's first day of reports
        ("27-11", "2026-11-27"),  # not a day: the message shows one
    ],
)
def test_bad_day_is_422_on_the_field__RPT_1(world, shifts, api, day, says):  # noqa: F811
    client = api(shifts.in_chief)
    for path in (f"reports/daily/{day}", f"reports/daily/{day}/pdf", "reports/shift-reports"):
        data = {"day": day} if path.endswith("shift-reports") else None
        r = client.get(f"{BASE}/{path}", data=data)
        assert r.status_code == 422, (path, r.content)
        message = r.json()["fields"]["day"][0]
        assert says in message and "(RPT-1)" in message
        assert r.json()["rule"] == "RPT-1"


def test_pages_show_the_report_and_the_daily_log__RPT_1(world, shifts, signed, web):  # noqa: F811
    report = ShiftReport.objects.get(handover_id=signed["id"])
    client = web(shifts.in_chief)
    home = client.get("/c/alpha/reports/")
    assert home.status_code == 200
    assert f"/c/alpha/reports/shift-reports/{report.pk}/" in home.content.decode()
    page = client.get(f"/c/alpha/reports/shift-reports/{report.pk}/").content.decode()
    assert "10kV 甲线 911 开关由运行转检修" in page and "接班正值" in page
    daily = client.get(f"/c/alpha/reports/daily/{DAY}/")
    assert daily.status_code == 200 and "2号主变油温高告警" in daily.content.decode()
    listed = client.get("/c/alpha/reports/shift-reports/", {"day": DAY}).content.decode()
    assert f"/c/alpha/reports/shift-reports/{report.pk}/" in listed
    assert client.get("/c/alpha/reports/daily/2026-11-29/").status_code == 422
    for path in (f"shift-reports/{report.pk}/pdf/", f"daily/{DAY}/pdf/"):
        assert client.get(f"/c/alpha/reports/{path}")["Content-Type"] == "application/pdf"


def test_take_over_stands_when_its_report_fails_and_the_catch_up_makes_it__RPT_1(
    world,
    shifts,  # noqa: F811
    api,
    monkeypatch,
):
    """The handover (DUTY-4) never fails on its report: a figure that raises leaves the
    take-over accepted and no report; the catch-up job makes the report afterwards."""
    from zhiban.reports import figures, tasks

    def broken(**kwargs):
        raise RuntimeError("a figure that cannot be counted")

    with monkeypatch.context() as patched:
        patched.setitem(figures.SECTIONS, "duty", (figures.SECTIONS["duty"][0], broken))
        taken = take_over(api, shifts)
    assert taken["state"] == "accepted"
    handover = Handover.objects.get(pk=taken["id"])
    assert not ShiftReport.objects.filter(handover=handover).exists()
    tasks.shift_reports_catch_up_every_10_minutes.call_local()
    report = ShiftReport.objects.get(handover=handover)
    assert report.starts_at == handover.outgoing_shift.starts_at
