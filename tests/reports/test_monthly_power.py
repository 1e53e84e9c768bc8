"""The power centre's monthly operation report (RPT-1): November 2026 at 阿尔法监控中心
(Asia/Shanghai) built through the apps' services and API — tickets assessed (OPS-14), a
breaker trip (INC-5), an alarm flood (INC-3), operator-hours signed in on the roster, a
counter driven to its limit (CNT-2), defects of every grade and age (DEF-1), an incident —
then every number of the report checked against the records it counts, recounted here in
Python from the rows.

The month: 14 operator-hours (chief_a 08:00–16:00, deputy_a 10:00–16:00 on 11-10); 12 alarms
in one 10-minute window on 11-10 (a flood: more than 10), a breaker trip on 11-12, an alarm at
23:59 on 11-30 (November's) and one at 00:00:30 on 12-01 (December's)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zhiban.alarms import selectors as alarm_selectors
from zhiban.alarms.models import AccidentRecord, Alarm, AlarmState, Incident
from zhiban.alarms.services import alarm_source_create
from zhiban.core.actors import CLI, Source
from zhiban.core.figures import by_key
from zhiban.core.permissions import Role
from zhiban.duty import services as duty
from zhiban.ops import selectors as ops_selectors
from zhiban.ops.models import DispatchOrder, OperationTicket, TicketState
from zhiban.org import services as org
from zhiban.reports.monthly import power
from zhiban.upkeep import services as upkeep
from zhiban.upkeep.models import CounterMonth, Defect, OperationCounter
from zhiban.upkeep.models.defects import OPEN_DEFECT_STATES
from zhiban.upkeep.selectors import figures as upkeep_figures

from ..conftest import make_person
from ..ops.conftest import Flow, grid  # noqa: F401 (fixture)
from ..ops.finished import centre_done, done, terminated, voided

SHANGHAI = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 1, tzinfo=SHANGHAI)
END = datetime(2026, 12, 1, tzinfo=SHANGHAI)
FLOOD = [f"保护装置异常{i:02d}" for i in range(12)]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass
class November:
    flow: Flow
    clock: object
    api: object
    gateway: object
    serial: int = 0

    def send(self, when: str, *events) -> None:
        """The gateway posts (signal, class, action, at[, equipment]) events of 一号变."""
        self.clock.move_to(at(when))
        batch = []
        for signal, klass, action, moment, *equipment in events:
            self.serial += 1
            batch.append(
                {
                    "source": "alpha-scada",
                    "id": f"ev-{self.serial:05d}",
                    "at": at(moment).isoformat(),
                    "site": "S1",
                    "equipment": equipment[0] if equipment else "",
                    "signal": signal,
                    "class": klass,
                    "action": action,
                }
            )
        r = self.api(self.gateway).post("/events", batch)
        assert r.status_code == 200 and r.json()["accepted"] == len(batch), r.content


def _report_defect(api, person, site, equipment, grade: str) -> dict:
    body = {
        "site": site.pk,
        "equipment": equipment.pk,
        "kind": "local",
        "grade": grade,
        "phenomenon": f"{grade} 缺陷",
    }
    r = api(person).post("/centres/alpha/upkeep/defects", body)
    assert r.status_code == 201, r.content
    return r.json()


def _defect_act(api, person, defect: dict, action: str, **body) -> dict:
    url = f"/centres/alpha/upkeep/defects/{defect['id']}/{action}"
    r = api(person).post(url, {"version": defect["version"], **body})
    assert r.status_code == 200, r.content
    return r.json()


@pytest.fixture
def november(fixed_clock, world, grid, api) -> November:  # noqa: F811
    """The month described at the top, the clock left at 2026-12-01 10:00 in Shanghai."""
    alpha, people = world.alpha, world.people
    station = world.sites["station"]
    flow = Flow(world, grid, api)
    with time_machine.travel(at("2026-11-09 12:00"), tick=False) as clock:
        month = November(flow, clock, api, make_person(alpha, "gw_a", Role.GATEWAY))
        alarm_source_create(
            actor=CLI,
            source=Source.CLI,
            centre=alpha,
            data={"code": "alpha-scada", "name": "阿尔法SCADA", "kind": "scada", "active": True},
        )
        team = world.team
        org.team_update(
            actor=CLI,
            source=Source.CLI,
            team_id=team.pk,
            version=team.version,
            changes={"name": team.name, "kind": team.kind, "sites": [station.pk], "active": True},
        )
        upkeep.counter_open(
            actor=people["leader_a"],
            source=Source.WEB,
            centre=alpha,
            data={"equipment": grid.capacitor.pk, "kind": "switching", "limit": 3},
        )
        upkeep.counter_open(
            actor=people["leader_a"],
            source=Source.WEB,
            centre=alpha,
            data={"equipment": grid.transformer.pk, "kind": "tap", "limit": 10},
        )
        early = duty.shift_pattern_create(
            actor=CLI,
            source=Source.CLI,
            centre=alpha,
            data={"name": "早班", "starts": "08:00", "ends": "16:00", "active": True},
        )
        places = {
            login: duty.roster_assign(
                actor=CLI,
                source=Source.CLI,
                centre=alpha,
                data={
                    "pattern": early.pk,
                    "day": "2026-11-10",
                    "person": people[login].pk,
                    "post": "值班",
                },
            )
            for login in ("chief_a", "deputy_a")
        }
        for when, login in (("2026-11-10 08:00", "chief_a"), ("2026-11-10 10:00", "deputy_a")):
            clock.move_to(at(when))
            place = places[login]
            r = api(people[login]).post(
                f"/centres/alpha/roster/{place.pk}/sign-in", {"version": place.version}
            )
            assert r.status_code == 200, r.content

        # INC-3: 12 new alarms within 10:00–10:10 on 11-10, 40 s apart: one flood window
        flood_at = at("2026-11-10 10:00:30")
        month.send(
            "2026-11-10 10:10",
            *(
                (
                    signal,
                    "abnormal",
                    "raise",
                    f"{flood_at + timedelta(seconds=40 * i):%Y-%m-%d %H:%M:%S}",
                )
                for i, signal in enumerate(FLOOD)
            ),
        )
        # INC-5: a breaker trip: an accident record drafted, the breaker's trip counter + 1
        month.send(
            "2026-11-12 09:00", ("开关事故跳闸", "accident", "raise", "2026-11-12 09:00", "751")
        )
        month.send(
            "2026-11-12 09:30", ("开关事故跳闸", "accident", "clear", "2026-11-12 09:30", "751")
        )

        # CNT-2: the capacitor switched three times: at its limit of 3; the tap changer 9 of 10
        clock.move_to(at("2026-11-15 09:00"))
        for k in range(3):
            upkeep.counter_add(
                actor=CLI,
                source=Source.CLI,
                equipment=grid.capacitor,
                kind="switching",
                at=at("2026-11-15 09:00") + timedelta(minutes=k),
            )
        for k in range(9):
            upkeep.counter_add(
                actor=CLI,
                source=Source.CLI,
                equipment=grid.transformer,
                kind="tap",
                at=at("2026-11-15 10:00") + timedelta(minutes=k),
            )

        # DEF-1: a general defect of 11-21 (open 9 days at the month's end)
        clock.move_to(at("2026-11-21 09:00"))
        _report_defect(api, people["field_a"], station, grid.transformer, "general")

        clock.move_to(at("2026-11-25 09:00"))
        r = api(people["chief_a"]).post(
            "/centres/alpha/incidents",
            {
                "kind": "comm_loss",
                "site": station.pk,
                "title": "一号变通信中断",
                "opened_at": at("2026-11-25 09:00").isoformat(),
            },
        )
        assert r.status_code == 201, r.content

        # OPS-14 on 11-27: completed and qualified, voided (not qualified), terminated (not
        # assessed), the centre's own completed and qualified; an order received
        clock.move_to(at("2026-11-27 09:00"))
        flow.order()
        flow.ok("head_a", done(flow), "assess", qualified=True)
        flow.ok("head_a", voided(flow), "assess", qualified=False)
        terminated(flow)
        flow.ok("head_a", centre_done(flow), "assess", qualified=True)

        # DEF-1 on 11-27: a critical defect (overdue after 24 h) open; a serious one eliminated
        # and verified the same day
        _report_defect(api, people["field_a"], station, grid.breaker, "critical")
        serious = _report_defect(api, people["field_a"], station, grid.breaker, "serious")
        serious = _defect_act(
            api, people["leader_a"], serious, "classify", grade="serious", kind="local"
        )
        serious = _defect_act(
            api, people["leader_a"], serious, "assign", assignee=people["field_a"].pk
        )
        serious = _defect_act(api, people["field_a"], serious, "eliminate", elimination="更换")
        _defect_act(api, people["chief_a"], serious, "verify")

        # the month's bounds are in Shanghai: 23:59 is November's, 00:00:30 December's
        month.send(
            "2026-12-01 00:01",
            ("月末告知", "info", "raise", "2026-11-30 23:59"),
            ("月初告知", "info", "raise", "2026-12-01 00:00:30"),
        )
        clock.move_to(at("2026-12-01 10:00"))
        yield month


def figures(sections, key: str) -> dict:
    (section,) = (s for s in sections if s.key == key)
    return {k: f.value for k, f in by_key(section.figures).items()}


def table(sections, key: str):
    return next(t for s in sections for t in s.tables if t.key == key)


def test_tickets_and_the_qualified_rate_count_the_months_tickets__RPT_1(november):
    got = figures(power.build(november.flow.w.alpha, START, END), "tickets")
    tickets = OperationTicket.objects.filter(created_at__gte=START, created_at__lt=END)
    assessed = [t for t in tickets if t.qualified is not None]
    assert got["tickets"] == len(tickets) == 4
    assert got["tickets_executed"] == sum(t.state == TicketState.COMPLETED for t in tickets) == 2
    assert got["tickets_voided"] == got["tickets_terminated"] == 1
    assert (got["tickets_assessed"], got["tickets_qualified"]) == (len(assessed), 2) == (3, 2)
    assert got["qualified_rate"] == round(100 * 2 / 3, 1) == 66.7
    assert got["orders_received"] == DispatchOrder.objects.count() == 1
    assert got["tickets_interrupted"] == 0
    # the same counts as the OPS-14 statistics of the month, per team
    rows = table(power.build(november.flow.w.alpha, START, END), "tickets_per_team").rows
    stats = ops_selectors.ticket_statistics(
        user=november.flow.p["head_a"], centre=november.flow.w.alpha, month=date(2026, 11, 1)
    )
    assert [r[1:] for r in rows] == [
        [
            s.tickets,
            s.completed,
            s.voided,
            s.terminated,
            s.assessed,
            s.qualified,
            s.qualified_rate_display,
        ]
        for s in stats
    ]
    assert rows[-1][-1] == "66.7%"


def test_alarms_per_operator_hour_and_flood_share_count_the_months_alarms__RPT_1(november):
    alpha = november.flow.w.alpha
    got = figures(power.build(alpha, START, END), "alarms")
    announced = [
        a
        for a in Alarm.objects.filter(centre=alpha, first_at__gte=START, first_at__lt=END)
        if a.state != AlarmState.SUPPRESSED
    ]
    assert got["alarms"] == len(announced) == 12 + 1 + 1
    assert got["operator_hours"] == 14.0  # 8 h + 6 h signed in
    assert got["alarms_per_operator_hour"] == round(14 / 14, 2)
    windows = Counter(int((a.first_at - START).total_seconds() // 600) for a in announced)
    in_flood = sum(1 for n in windows.values() if n > 10)
    assert in_flood == 1
    assert got["flood_share"] == round(100 * in_flood / (30 * 24 * 6), 2) == 0.02
    per_day = dict(table(power.build(alpha, START, END), "alarms_per_day").rows)
    assert len(per_day) == 30
    assert (per_day["2026-11-10"], per_day["2026-11-12"], per_day["2026-11-30"]) == (12, 1, 1)
    assert sum(per_day.values()) == len(announced)


def test_trips_and_incidents_count_the_records__RPT_1(november):
    alpha = november.flow.w.alpha
    sections = power.build(alpha, START, END)
    trips = AccidentRecord.objects.filter(centre=alpha, occurred_at__gte=START, occurred_at__lt=END)
    assert figures(sections, "trips")["trips"] == trips.count() == 1
    # the breaker's trip counter counted it in November (CNT-1)
    trip_months = CounterMonth.objects.filter(counter__kind="trip", month=date(2026, 11, 1))
    assert figures(sections, "trips")["operations_trip"] == sum(m.counted for m in trip_months) == 1
    assert table(sections, "trips_per_station").rows == [["一号变", 1]]
    assert figures(sections, "incidents")["incidents"] == Incident.objects.count() == 1


def test_counters_against_their_limits__RPT_1(november):
    alpha = november.flow.w.alpha
    sections = power.build(alpha, START, END)
    got = figures(sections, "counters")
    full = OperationCounter.objects.filter(full_at__gte=START, full_at__lt=END)
    assert got["counters_reached_limit"] == full.count() == 1
    assert (got["operations_switching"], got["operations_tap"]) == (3, 9)
    nearest = table(sections, "counters_nearest")
    # the capacitor at 3 of 3 first, then the tap changer at 9 of 10 (near: ≥ 90 %)
    assert [row[2:] for row in nearest.rows[:2]] == [
        [str(OperationCounter.objects.get(kind="switching").get_kind_display()), 3, 3, "100%"],
        [str(OperationCounter.objects.get(kind="tap").get_kind_display()), 9, 10, "90%"],
    ]
    assert upkeep_figures.counters_at_limits(centre=alpha) == {"full": 1, "near": 1}
    # a shift holds no whole month: no month-end operations for it (CNT-3)
    shift = by_key(
        upkeep_figures.period_figures(
            centre=alpha, start=at("2026-11-15 08:00"), end=at("2026-11-15 16:00")
        )
    )
    assert shift["operations_switching"].value is None
    assert shift["counters_reached_limit"].value == 1


def test_defects_by_grade_and_age_count_the_open_defects_at_the_months_end__RPT_1(november):
    alpha = november.flow.w.alpha
    sections = power.build(alpha, START, END)
    got = figures(sections, "defects")
    defects = list(Defect.objects.filter(centre=alpha))
    reported = [d for d in defects if START <= d.reported_at < END]
    still_open = [d for d in defects if d.state in OPEN_DEFECT_STATES]  # nothing after 12-01
    assert got["defects_reported"] == len(reported)
    for grade in ("critical", "serious", "general"):
        assert got[f"defects_reported_{grade}"] == sum(d.grade == grade for d in reported)
        assert got[f"defects_open_{grade}"] == sum(d.grade == grade for d in still_open)
    assert got["defects_eliminated"] == 1 and got["defects_in_time"] == 100.0
    assert got["defects_open"] == len(still_open)
    assert got["defects_overdue"] == sum(d.due_at < END for d in still_open)
    # by age at the month's end: the buckets of AGE_BUCKETS, recounted from reported_at
    limits = [1, 7, 30, 90]
    rows = {row[0]: row for row in table(sections, "defects_by_age").rows}
    for grade, label in (
        (g, str(Defect(grade=g).get_grade_display())) for g in ("critical", "serious", "general")
    ):
        ages = [0] * 5
        for d in still_open:
            if d.grade == grade:
                days = (END - d.reported_at).total_seconds() / 86400
                ages[next((i for i, n in enumerate(limits) if days < n), 4)] += 1
        overdue = sum(d.grade == grade and d.due_at < END for d in still_open)
        assert rows[label][1:] == [*ages, sum(ages), overdue], label
    # the general defect of 11-21 is 9.6 days old: 7–30 days; the critical one of 11-27: 1–7
    assert rows[str(Defect(grade="general").get_grade_display())][3] == 1
    assert rows[str(Defect(grade="critical").get_grade_display())][2] == 1


def test_figures_of_an_eight_hour_shift_are_a_handful_of_queries__RPT_1(
    november, django_assert_max_num_queries
):
    """Helper A's shift report reads the same period figures for a shift: each app's answer
    is a few aggregate queries whatever the records."""
    alpha = november.flow.w.alpha
    start, end = at("2026-11-10 08:00"), at("2026-11-10 16:00")
    with django_assert_max_num_queries(2):
        ops = by_key(ops_selectors.period_figures(centre=alpha, start=start, end=end))
    with django_assert_max_num_queries(6):
        alarms = by_key(alarm_selectors.period_figures(centre=alpha, start=start, end=end))
    with django_assert_max_num_queries(3):
        upkeep_figures.period_figures(centre=alpha, start=start, end=end)
    assert ops["tickets"].value == 0
    assert alarms["alarms"].value == 12
    assert alarms["operator_hours"].value == 14.0
    # one of the shift's 48 windows in flood
    assert alarms["flood_share"].value == round(100 / 48, 2)


def test_every_section_has_figures_tables_and_charts_with_unique_ids__RPT_1(november):
    sections = power.build(november.flow.w.alpha, START, END)
    assert [s.key for s in sections] == [
        "tickets",
        "counters",
        "trips",
        "defects",
        "incidents",
        "patrols",
        "alarms",
    ]
    ids = [c["id"] for s in sections for c in s.charts]
    assert len(ids) == len(set(ids)) and all(s.charts and s.tables for s in sections)
    assert all(c["id"].startswith(s.key) for s in sections for c in s.charts)
    assert figures(sections, "patrols")["patrol_completion"] is None  # no rounds planned


def test_the_report_over_the_api_and_the_page_shows_the_same_numbers__RPT_1(november, web):
    """GET /api/centres/alpha/reports/monthly/2026-11 as the department head: the numbers
    checked above, each with the month before (October: before the centre, no comparison)."""
    r = november.api(november.flow.p["head_a"]).get("/centres/alpha/reports/monthly/2026-11")
    assert r.status_code == 200, r.content
    sections = {s["key"]: s for s in r.json()["sections"]}
    for key in ("tickets", "counters", "trips", "defects", "incidents", "patrols", "alarms"):
        assert key in sections, key
    shown = {
        (key, f["key"]): (f["value"], f["previous"])
        for key, s in sections.items()
        for f in s["figures"]
    }
    assert shown["tickets", "qualified_rate"] == (66.7, None)
    assert shown["tickets", "tickets_assessed"] == (3, None)
    assert shown["trips", "trips"] == (1, None)
    assert shown["alarms", "alarms"] == (14, None)
    assert shown["alarms", "alarms_per_operator_hour"] == (1.0, None)
    assert shown["alarms", "flood_share"] == (0.02, None)
    assert shown["counters", "counters_reached_limit"] == (1, None)
    assert (
        shown["defects", "defects_overdue"][0]
        == Defect.objects.filter(state__in=OPEN_DEFECT_STATES, due_at__lt=END).count()
    )
    tables = {t["key"]: t for t in sections["defects"]["tables"]}
    assert [row[0] for row in tables["defects_by_age"]["rows"]] == [
        str(Defect(grade=g).get_grade_display()) for g in ("critical", "serious", "general")
    ]
    # the page draws every section's charts and shows the rate in the reader's words
    html = web(november.flow.p["head_a"]).get("/c/alpha/reports/monthly/2026-11/").content.decode()
    for chart in ("tickets-per-team", "counters-nearest", "defects-by-age", "alarms-per-day"):
        assert chart in html, chart
    assert "合格率" in html and "66.7%" in html
