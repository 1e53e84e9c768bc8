"""The security room's monthly report (RPT-1, RPT-4): patrol rounds done, missed and late,
footage requests, visitors and screen uses, the desk registers and emergency plan runs, each
number checked against the records made through the apps' services on the fixed clock
(2026-11-28 10:00 Shanghai); the same numbers over the API."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from zhiban.core.actors import CLI, Source
from zhiban.core.figures import by_key
from zhiban.emergency import selectors as emergency
from zhiban.emergency import services as emergency_services
from zhiban.patrols import selectors as patrols
from zhiban.patrols import services as patrol_services
from zhiban.patrols.models import PatrolRound, RoundState
from zhiban.registers.selectors import figures as registers
from zhiban.registers.services import footage, screens, visitors
from zhiban.reports.monthly import security as security_report

from ..clock import FIXED, SHANGHAI
from ..patrols.conftest import checkpoint, plan
from ..registers.conftest import footage_body, local, reg  # noqa: F401 (fixture)

START = datetime(2026, 11, 1, tzinfo=SHANGHAI)
END = datetime(2026, 12, 1, tzinfo=SHANGHAI)
S = Source.CLI


def _walk(guard, rnd, results: list[str], *, start, end):
    rnd = patrol_services.round_start(
        actor=guard, source=S, round_id=rnd.pk, version=rnd.version, at=start
    )
    for row, result in zip(rnd.checks.order_by("pk"), results, strict=True):
        rnd = patrol_services.round_check(
            actor=guard,
            source=S,
            round_id=rnd.pk,
            version=rnd.version,
            data={"checkpoint": row.checkpoint_id, "result": result, "note": "门锁损坏"},
            at=start,
        )
    return patrol_services.round_end(
        actor=guard, source=S, round_id=rnd.pk, version=rnd.version, at=end
    )


@pytest.fixture
def room(fixed_clock, reg):  # noqa: F811
    """A daily floor round (09:30–10:30) from the 26th: the 26th's missed, the 27th's ended
    late with an abnormal result, the 28th's done in time; three footage requests (one
    approved and viewed, one refused, one waiting), two visitors (one received, one refused),
    a big-screen use, and three emergency runs of two plans (one closed)."""
    guard, head, centre, now = reg.people["monitor"], reg.people["head"], reg.room, timezone.now()
    points = [checkpoint(centre, reg.floor, "消防通道"), checkpoint(centre, reg.floor, "卷帘门")]
    plan(centre, "一层巡楼", points, kind="window", window_starts="09:30", window_ends="10:30")
    patrol_services.rounds_generate(
        actor=CLI, source=S, centre=centre, since=FIXED - timedelta(days=2, hours=12)
    )
    rounds = {r.window_start.day: r for r in PatrolRound.objects.filter(centre=centre)}
    day27 = rounds[27].window_start
    _walk(guard, rounds[27], ["normal", "abnormal"], start=day27, end=day27 + timedelta(hours=2))
    _walk(guard, rounds[28], ["normal", "normal"], start=now - timedelta(minutes=20), end=now)
    patrol_services.rounds_mark_missed(actor=CLI, source=S, centre=centre)

    asked = [
        footage.footage_request_create(actor=guard, source=S, centre=centre, data=footage_body(reg))
        for _n in range(2)
    ]
    footage.footage_request_create(
        actor=guard, source=S, centre=centre, data=footage_body(reg, requester_unit="保险公司")
    )
    yes = footage.footage_request_decide(
        actor=head, source=S, pk=asked[0].pk, version=asked[0].version, approve=True, data={}
    )
    footage.footage_request_decide(
        actor=head,
        source=S,
        pk=asked[1].pk,
        version=asked[1].version,
        approve=False,
        data={"decision_note": "手续不全"},
    )
    footage.footage_access_record(
        actor=guard, source=S, request_id=yes.pk, version=yes.version, data={"kind": "view"}
    )

    def visitor(name):
        return visitors.visitor_create(
            actor=guard,
            source=S,
            centre=centre,
            data={"name": name, "organisation": "维保公司", "reason": "检修", "escort": "王班长"},
        )

    came, refused = visitor("张工"), visitor("李工")
    came = visitors.visitor_decide(
        actor=head, source=S, pk=came.pk, version=came.version, approve=True, data={}
    )
    visitors.visitor_arrive(
        actor=guard, source=S, visitor_id=came.pk, version=came.version, data={}
    )
    visitors.visitor_decide(
        actor=head,
        source=S,
        pk=refused.pk,
        version=refused.version,
        approve=False,
        data={"decision_note": "未预约"},
    )
    screens.screen_use_create(
        actor=guard,
        source=S,
        centre=centre,
        data={
            "kind": "big_screen",
            "used_by": "总经理",
            "purpose": "季度会议",
            "starts_at": local(now + timedelta(hours=1)),
            "ends_at": local(now + timedelta(hours=2)),
        },
    )

    def emergency_plan(name, scenario):
        return emergency_services.plan_create(
            actor=CLI,
            source=S,
            centre=centre,
            data={"name": name, "scenario": scenario, "items": "确认位置 | 监控员", "active": True},
        )

    fire, theft = emergency_plan("火警处置", "fire"), emergency_plan("盗窃处置", "theft")

    def start(p, event):
        return emergency_services.run_start(
            actor=guard, source=S, centre=centre, data={"plan": p.pk, "event": event}
        )

    run = start(fire, "三层烟感报警")
    item = run.items.get()
    emergency_services.run_item_tick(
        actor=guard, source=S, run_id=run.pk, version=item.version, data={"item": item.pk}
    )
    run.refresh_from_db()
    emergency_services.run_close(actor=guard, source=S, run_id=run.pk, version=run.version)
    start(fire, "二层烟感报警")
    start(theft, "仓库失窃")
    return reg


def test_patrol_figures_count_the_rounds__RPT_1_PAT_3(room):
    rounds = PatrolRound.objects.filter(centre=room.room, window_start__gte=START)
    figures = by_key(patrols.period_figures(centre=room.room, start=START, end=END))
    assert figures["rounds_planned"].value == rounds.count() >= 3
    assert rounds.filter(state=RoundState.MISSED).count() == 1
    assert figures["rounds_done"].value == 2
    assert figures["rounds_missed"].value == 1
    assert figures["rounds_late"].value == 1  # the 27th's, ended at 11:30
    assert figures["patrol_completion"].value == 66.7  # 2 done of 3 done or missed
    assert figures["abnormal_results"].value == 1
    [by_plan] = patrols.rounds_by_plan(centre=room.room, start=START, end=END)
    assert (by_plan.plan, by_plan.done, by_plan.missed, by_plan.late) == ("一层巡楼", 2, 1, 1)
    october = by_key(
        patrols.period_figures(centre=room.room, start=START - timedelta(days=31), end=START)
    )
    assert october["rounds_planned"].value == 0 and october["patrol_completion"].value is None


def test_register_and_emergency_figures__RPT_1(room):
    figures = by_key(registers.period_figures(centre=room.room, start=START, end=END))
    assert {k: figures[k].value for k in figures if not k.startswith("items_")} == {
        "footage_requests": 3,
        "footage_approved": 1,
        "footage_refused": 1,
        "footage_accesses": 1,
        "visitors_registered": 2,
        "visitors_refused": 1,
        "visitors_arrived": 1,
        "big_screen_uses": 1,
        "remote_operations": 0,
        "phone_messages": 0,
        "repairs_reported": 0,
    }
    assert "wakeups_booked" not in figures  # a security room books no wake-up calls
    runs = by_key(emergency.period_figures(centre=room.room, start=START, end=END))
    assert (runs["runs_started"].value, runs["runs_closed"].value) == (3, 1)
    assert runs["runs_running"].value == 2
    by_plan = emergency.runs_by_plan(centre=room.room, start=START, end=END)
    assert [(p.plan, p.started, p.closed) for p in by_plan] == [
        ("火警处置", 2, 1),
        ("盗窃处置", 1, 0),
    ]


def test_security_month_sections_tables_and_charts__RPT_1_RPT_4(room):
    sections = security_report.build(room.room, START, END)
    assert [s.key for s in sections] == ["patrols", "footage", "visitors", "desk", "emergency"]
    shown = {f.key: f.value for s in sections for f in s.figures}
    assert shown["rounds_missed"] == 1 and shown["footage_refused"] == 1
    assert shown["visitors_arrived"] == 1 and shown["runs_started"] == 3
    tables = {t.key: t for s in sections for t in s.tables}
    assert tables["patrols-plans"].rows[0][:5] == ["一层巡楼", shown["rounds_planned"], 2, 1, 1]
    assert tables["footage-units"].rows == [["星湖派出所", 2, 1, 1], ["保险公司", 1, 0, 0]]
    assert tables["visitors-days"].rows == [[datetime(2026, 11, 28).date(), 1]]
    assert tables["emergency-plans"].rows[0][0] == "火警处置"
    ids = [c["id"] for s in sections for c in s.charts]
    assert len(ids) == len(set(ids)) == 4
    assert all(c["id"].startswith(s.key) for s in sections for c in s.charts)


def test_security_month_over_the_api__RPT_1(room):
    """The endpoint shows the builder's numbers, each beside the month before."""
    answer = room.as_("head").get("/centres/room/reports/monthly/2026-11")
    assert answer.status_code == 200, answer.content
    figures = {(s["key"], f["key"]): f for s in answer.json()["sections"] for f in s["figures"]}
    assert figures[("patrols", "rounds_missed")]["value"] == 1
    assert figures[("footage", "footage_requests")]["value"] == 3
    assert figures[("emergency", "runs_started")]["value"] == 3
    assert room.as_("monitor_b").get("/centres/room/reports/monthly/2026-11").status_code == 404


def test_security_month_page_and_workbook__RPT_1_RPT_3_RPT_4(room):
    """The page draws the sections' charts and shows their tables; the workbook has them."""
    web = room.web("head")
    page = web.get("/c/room/reports/monthly/2026-11/")
    assert page.status_code == 200
    html = page.content.decode()
    for chart in ["patrols-plans", "footage-units", "visitors-days", "emergency-plans"]:
        assert chart in html
    assert "一层巡楼" in html and "星湖派出所" in html and "漏巡" in html
    workbook = web.get("/c/room/reports/monthly/2026-11.xlsx")
    assert workbook.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(workbook.streaming_content)), read_only=True)
    cells = {
        str(v)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for v in row
    }
    assert {"一层巡楼", "星湖派出所", "火警处置"} <= cells
