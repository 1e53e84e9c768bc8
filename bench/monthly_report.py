"""The monthly operation report (RPT-1) of a power centre with a year of data, assembled by
``reports.monthly.build`` (the month, the month before and the same month last year), beside
a floor measured in the same run: the same counts as hand-written aggregate SQL.

Generated (straight into the tables with ``bulk_create`` — NOT through the services, the door
of people's writes, one audited record at a time): the centre, its operation team, 20
substations with a breaker, a capacitor and a main transformer each, four operators, through
the org services; then for every day of the year before now: 2,000 alarms (a tenth of the days
with a burst of 30 within ten minutes: a flood), 30 dispatch orders and 30 operation tickets
(nine in ten completed, most assessed, a few qualified no), 10 defects of the three grades
(the older ones verified), 2 trips with their accident records, an incident, three 8-hour
shifts of two operators signed in, and 24 patrol rounds (one in twenty missed); 60 counters
with their limits and their months' operations.

Measured (``--runs`` after one warm-up, p50/p95 in s): ``build(centre, month)`` of the last
whole month; the floor is the same figures of the three periods as raw aggregate SQL
(``_floor``), with the rows it brings back (one grouped row per flood window, day, class,
grade …). Target: build < 5 s. Run small for a quick check:
``python bench/monthly_report.py --days 60 --alarms-per-day 200 --runs 3``.
Prints one JSON line and a one-line summary.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
import zlib
from datetime import UTC, datetime, timedelta
from datetime import time as dtime

import _setup  # noqa: F401  (configures Django and migrates, before the models are imported)
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhiban.alarms.models import AccidentRecord, Alarm, AlarmSource, Incident
from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.duty.models import RosterEntry, Shift, ShiftPattern
from zhiban.ops.models import DispatchOrder, OperationTicket
from zhiban.org import services as org
from zhiban.org.models import Equipment, Site
from zhiban.patrols.models import PatrolPlan, PatrolRound
from zhiban.reports import monthly
from zhiban.upkeep.models import CounterMonth, Defect, OperationCounter

CODE = "bench"
BATCH = 5_000
KLASSES = ["info"] * 5 + ["change"] * 3 + ["limit", "abnormal"]
PRIORITY = {"accident": 1, "abnormal": 2, "limit": 3, "change": 4, "info": 5}
GRADE_HOURS = {"critical": 24, "serious": 24 * 7, "general": 24 * 90}


def _world():
    centre = _setup.centre(CODE)
    team = org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"name": "基准操作队", "kind": "operation", "phone": "", "active": True},
    )
    for i in range(1, 21):
        site = org.site_create(
            actor=CLI,
            source=Source.CLI,
            centre=centre,
            data={"code": f"S{i:03d}", "name": f"{i}号变", "kind": "substation", "active": True},
        )
        for kind, name, number in (
            ("breaker", "出线开关", f"7{i:02d}"),
            ("capacitor", "1号电容器", f"C{i}"),
            ("main_transformer", "1号主变", f"#{i}"),
        ):
            org.equipment_create(
                actor=CLI,
                source=Source.CLI,
                centre=centre,
                data={
                    "site": site.pk,
                    "kind": kind,
                    "name": name,
                    "dispatch_number": number,
                    "active": True,
                },
            )
    people = [
        org.person_create(
            actor=CLI,
            source=Source.CLI,
            centre=centre,
            data={
                "username": f"op{i:02d}",
                "name": f"值班员{i:02d}",
                "password": "Bench#pass-2026",
                "role": Role.CHIEF_OPERATOR,
                "team": "",
                "post": "",
                "phone": "",
                "employee_no": "",
                "email": "",
                "language": "zh-hans",
                "is_active": True,
            },
        )
        for i in range(1, 5)
    ]
    return centre, team, people


class Filler:
    """Rows for one model, written ``BATCH`` at a time."""

    def __init__(self, model):
        self.model, self.rows, self.count = model, [], 0

    def add(self, **fields) -> None:
        self.rows.append(self.model(**fields))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self.model.objects.bulk_create(self.rows, batch_size=BATCH)
        self.count += len(self.rows)
        self.rows.clear()


def _year(centre, team, people, args, now) -> dict:
    """A year of records up to ``now``, day by day (see the module's docstring)."""
    tz = centre.tz
    sites = list(Site.objects.filter(centre=centre).order_by("pk"))
    equipment = list(Equipment.objects.filter(centre=centre).order_by("pk"))
    breakers = [e for e in equipment if e.kind == "breaker"]
    source = AlarmSource.objects.create(
        centre=centre, code="bench-scada", name="基准SCADA", kind="scada", active=True
    )
    patterns = [
        ShiftPattern.objects.create(
            centre=centre, name=name, starts=dtime(h), ends=dtime((h + 8) % 24)
        )
        for name, h in (("早班", 8), ("中班", 16), ("夜班", 0))
    ]
    plan = PatrolPlan.objects.create(
        centre=centre, name="监控画面巡视", kind="interval", interval_minutes=60
    )
    chief = people[0]
    fill = {
        m: Filler(m)
        for m in (
            Alarm,
            DispatchOrder,
            OperationTicket,
            Defect,
            AccidentRecord,
            Incident,
            PatrolRound,
        )
    }
    first_day = (timezone.localtime(now, tz) - timedelta(days=args.days)).date()
    for d in range(args.days):
        day = first_day + timedelta(days=d)
        midnight = datetime(day.year, day.month, day.day, tzinfo=tz)
        # alarms through the day, a tenth of the days with a burst (a flood window)
        burst = d % 10 == 0
        for i in range(args.alarms_per_day):
            h = zlib.crc32(f"{d}-{i}".encode())
            if burst and i < 30:
                first = midnight + timedelta(hours=14, seconds=15 * i)
            else:
                first = midnight + timedelta(seconds=(i * 86400) // args.alarms_per_day + h % 30)
            klass = KLASSES[h % len(KLASSES)]
            site = sites[h % len(sites)]
            fill[Alarm].add(
                centre=centre,
                source=source,
                key=f"{site.code}|sig{h % 500}|{d}-{i}",
                site=site,
                signal=f"信号{h % 500}",
                klass=klass,
                priority=PRIORITY[klass],
                state="suppressed" if h % 97 == 0 else "closed",
                active=False,
                count=1 + h % 3,
                first_at=first,
                last_at=first + timedelta(minutes=1),
                cleared_at=first + timedelta(minutes=1),
                acked_at=first + timedelta(seconds=30) if klass != "info" else None,
            )
        # orders and tickets, 30 a day
        for i in range(args.tickets_per_day):
            h = zlib.crc32(f"t{d}-{i}".encode())
            at = midnight + timedelta(minutes=(i * 1440) // args.tickets_per_day)
            state = "completed" if h % 10 < 9 else ("voided", "terminated")[(h >> 8) % 2]
            fill[DispatchOrder].add(
                centre=centre,
                number=f"DD{d:03d}{i:03d}",
                dispatcher="地调",
                task="开关由运行转检修",
                task_kind="line_maintenance",
                site=sites[h % len(sites)],
                received_at=at,
                received_by=chief,
                read_back="已复诵",
                team=team,
                state="done",
            )
            fill[OperationTicket].add(
                centre=centre,
                created_at=at,
                number=f"CZ{d:03d}{i:03d}",
                executor="team",
                team=team,
                site=sites[h % len(sites)],
                task_kind="line_maintenance",
                task="开关由运行转检修",
                state=state,
                filled_by=chief,
                started_at=at + timedelta(minutes=20) if state != "voided" else None,
                ended_at=at + timedelta(minutes=50) if state != "voided" else None,
                interruption="timeout" if state == "terminated" and h % 4 == 0 else "",
                qualified=None if h % 5 == 0 else h % 13 != 0,
            )
        # defects, 10 a day; verified after 3 days unless still young or 1 in 7
        for i in range(args.defects_per_day):
            h = zlib.crc32(f"q{d}-{i}".encode())
            grade = "critical" if h % 10 == 0 else "serious" if h % 10 < 4 else "general"
            at = midnight + timedelta(minutes=37 * i + h % 30)
            done = at + timedelta(days=3) if h % 7 else None
            done = done if done and done < now else None
            e = equipment[h % len(equipment)]
            fill[Defect].add(
                centre=centre,
                number=f"QX{d:03d}{i:03d}",
                site_id=e.site_id,
                equipment=e,
                kind="local",
                grade=grade,
                phenomenon="缺陷现象",
                owner="team",
                team=team,
                origin="manual",
                state="closed" if done else "assigned",
                due_at=at + timedelta(hours=GRADE_HOURS[grade]),
                reported_at=at,
                eliminated_at=done,
                verified_at=done,
                closed_at=done,
            )
        # two trips, an incident, patrol rounds every hour (one in twenty missed)
        for i in range(2):
            b = breakers[(d + i) % len(breakers)]
            fill[AccidentRecord].add(
                centre=centre,
                site_id=b.site_id,
                equipment=b,
                occurred_at=midnight + timedelta(hours=3 + 9 * i),
                breakers=b.double_name,
            )
        fill[Incident].add(
            centre=centre,
            site=sites[d % len(sites)],
            kind="comm_loss",
            title="通信中断",
            opened_at=midnight + timedelta(hours=11),
            opened_by=chief,
            state="closed",
        )
        for hour in range(24):
            start = midnight + timedelta(hours=hour)
            missed = (d * 24 + hour) % 20 == 0
            fill[PatrolRound].add(
                centre=centre,
                plan=plan,
                window_start=start,
                window_end=start + timedelta(minutes=30),
                state="missed" if missed else "done",
                ended_at=None if missed else start + timedelta(minutes=20),
            )
    for f in fill.values():
        f.flush()
    # the roster: three 8-hour shifts a day, two operators signed in on each
    shifts = Shift.objects.bulk_create(
        [
            Shift(
                centre=centre,
                pattern=p,
                day=first_day + timedelta(days=d),
                starts_at=datetime.combine(first_day + timedelta(days=d), p.starts, tz),
                ends_at=datetime.combine(first_day + timedelta(days=d), p.starts, tz)
                + timedelta(hours=8),
            )
            for d in range(args.days)
            for p in patterns
        ],
        batch_size=BATCH,
    )
    RosterEntry.objects.bulk_create(
        [
            RosterEntry(
                shift=s,
                person=people[(k + i) % len(people)],
                post=("正值", "副值")[i],
                signed_in_at=s.starts_at,
                signed_out_at=s.ends_at,
            )
            for k, s in enumerate(shifts)
            for i in range(2)
        ],
        batch_size=BATCH,
    )
    # 60 counters with their limits; 12 months of operations each
    counters = OperationCounter.objects.bulk_create(
        [
            OperationCounter(
                equipment=e,
                kind={"breaker": "trip", "capacitor": "switching", "main_transformer": "tap"}[
                    e.kind
                ],
                count=(k * 7) % 40,
                limit=36,
            )
            for k, e in enumerate(equipment)
        ]
    )
    months = sorted({(first_day + timedelta(days=d)).replace(day=1) for d in range(args.days)})
    CounterMonth.objects.bulk_create(
        [
            CounterMonth(counter=c, month=m, counted=(c.pk + m.month) % 9)
            for c in counters
            for m in months
        ]
    )
    return {f.model.__name__: f.count for f in fill.values()} | {"roster": 2 * len(shifts)}


def _floor_queries(vendor: str) -> list[tuple[str, str]]:
    """The report's counts as hand-written SQL, one period per run (params: centre, start,
    end). The flood windows and days are grouped in the database as the selectors do."""
    if vendor == "postgresql":
        window = "FLOOR((EXTRACT(EPOCH FROM first_at) - %(s)s) / 600)"
        day = "(first_at AT TIME ZONE 'Asia/Shanghai')::date"
    else:
        window = "((CAST(strftime('%%s', first_at) AS INTEGER) - %(s)s) / 600)"
        day = "date(first_at, '+8 hours')"
    period = "centre_id = %(c)s AND {0} >= %(start)s AND {0} < %(end)s"
    announced = period.format("first_at") + " AND state <> 'suppressed'"
    return [
        ("orders", "SELECT COUNT(*) FROM ops_dispatchorder WHERE " + period.format("received_at")),
        (
            "tickets",
            "SELECT COUNT(*), SUM(CASE WHEN state='voided' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN state='terminated' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN interruption <> '' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN qualified IS NOT NULL THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN qualified THEN 1 ELSE 0 END) FROM ops_operationticket WHERE "
            + period.format("created_at"),
        ),
        (
            "tickets_executed",
            "SELECT COUNT(*) FROM ops_operationticket WHERE state='completed' AND "
            + period.format("ended_at"),
        ),
        (
            "tickets_per_team",
            "SELECT team_id, COUNT(*), SUM(CASE WHEN qualified THEN 1 ELSE 0 END)"
            " FROM ops_operationticket WHERE " + period.format("created_at") + " GROUP BY team_id",
        ),
        (
            "alarms",
            "SELECT SUM(CASE WHEN state <> 'suppressed' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN state = 'suppressed' THEN 1 ELSE 0 END) FROM alarms_alarm WHERE "
            + period.format("first_at"),
        ),
        (
            "flood_windows",
            f"SELECT {window} AS w, COUNT(*) FROM alarms_alarm WHERE {announced} GROUP BY w",
        ),
        (
            "alarms_per_day",
            f"SELECT {day} AS d, COUNT(*) FROM alarms_alarm WHERE {announced} GROUP BY d",
        ),
        (
            "alarms_per_class",
            f"SELECT klass, COUNT(*) FROM alarms_alarm WHERE {announced} GROUP BY klass",
        ),
        (
            "operator_hours",
            "SELECT r.signed_in_at, r.signed_out_at, s.starts_at, s.ends_at FROM duty_rosterentry r"
            " JOIN duty_shift s ON s.id = r.shift_id WHERE s.centre_id = %(c)s"
            " AND s.starts_at < %(end)s AND s.ends_at > %(start)s",
        ),
        (
            "trips",
            "SELECT COUNT(*) FROM alarms_accidentrecord WHERE " + period.format("occurred_at"),
        ),
        (
            "trips_per_station",
            "SELECT site_id, COUNT(*) FROM alarms_accidentrecord WHERE "
            + period.format("occurred_at")
            + " GROUP BY site_id",
        ),
        (
            "incidents",
            "SELECT kind, COUNT(*) FROM alarms_incident WHERE "
            + period.format("opened_at")
            + " GROUP BY kind",
        ),
        (
            "defects",
            "SELECT grade, SUM(CASE WHEN reported_at >= %(start)s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN eliminated_at >= %(start)s AND eliminated_at < %(end)s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN verified_at IS NULL OR verified_at >= %(end)s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN (verified_at IS NULL OR verified_at >= %(end)s) AND due_at < %(end)s"
            " THEN 1 ELSE 0 END)"
            " FROM upkeep_defect WHERE centre_id = %(c)s AND reported_at < %(end)s"
            " AND (reported_at >= %(start)s OR verified_at IS NULL OR verified_at >= %(start)s)"
            " GROUP BY grade",
        ),
        (
            "counters",
            "SELECT c.kind, SUM(COALESCE(m.entered, m.counted)) FROM upkeep_countermonth m"
            " JOIN upkeep_operationcounter c ON c.id = m.counter_id"
            " JOIN org_equipment e ON e.id = c.equipment_id"
            " WHERE e.centre_id = %(c)s AND m.month >= %(sd)s AND m.month < %(ed)s GROUP BY c.kind",
        ),
        (
            "counters_nearest",
            'SELECT c.id, c.count * 100 / c."limit" AS p FROM upkeep_operationcounter c'
            " JOIN org_equipment e ON e.id = c.equipment_id WHERE e.centre_id = %(c)s"
            ' AND c."limit" > 0 ORDER BY p DESC LIMIT 10',
        ),
        (
            "rounds",
            "SELECT plan_id, COUNT(*), SUM(CASE WHEN state='done' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN state='missed' THEN 1 ELSE 0 END) FROM patrols_patrolround WHERE "
            + period.format("window_start")
            + " GROUP BY plan_id",
        ),
    ]


def _periods(centre, month) -> list[tuple[datetime, datetime]]:
    return [
        (monthly.month_start(centre, m), monthly.month_start(centre, monthly.shift_month(m, 1)))
        for m in (month, monthly.shift_month(month, -1), monthly.shift_month(month, -12))
    ]


def _floor(centre, periods, queries) -> int:
    rows = 0
    with connection.cursor() as c:
        for start, end in periods:
            params = {
                "c": centre.pk,
                "start": start,
                "end": end,
                "s": int(start.timestamp()),
                "sd": start.date(),
                "ed": end.date(),
            }
            for _name, sql in queries:
                c.execute(sql, params)
                rows += len(c.fetchall())
    return rows


def _slowest(captured, shown: int = 5) -> list[dict]:
    """The build's slowest queries (the first run's), to see where the time goes."""
    rows = sorted(captured, key=lambda q: -float(q["time"]))[:shown]
    return [{"s": float(q["time"]), "sql": q["sql"][:160]} for q in rows]


def _s(samples) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {"p50": round(statistics.median(ordered), 3), "p95": round(p95, 3)}


def _measure(fn, runs: int) -> dict:
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return _s(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--alarms-per-day", type=int, default=2_000)
    parser.add_argument("--tickets-per-day", type=int, default=30)
    parser.add_argument("--defects-per-day", type=int, default=10)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    now = timezone.now()
    load_start = os.getloadavg()[0]
    t0 = time.perf_counter()
    created = OperationTicket._meta.get_field("created_at")
    created.auto_now_add = False  # the tickets keep the day they were filled on (OPS-14)
    with transaction.atomic():
        centre, team, people = _world()
        counts = _year(centre, team, people, args, now)
    created.auto_now_add = True
    month = monthly.last_full_month(centre)
    org.centre_settings_update(
        actor=CLI,
        source=Source.CLI,
        centre_id=centre.pk,
        version=centre.version,
        changes={"report.since": f"{monthly.shift_month(month, -12):%Y-%m}"},
        reason="bench",
    )
    centre.refresh_from_db()
    with connection.cursor() as c:
        c.execute("ANALYZE")
    generated = round(time.perf_counter() - t0, 1)

    with CaptureQueriesContext(connection) as captured:
        report = monthly.build(centre, month)
    queries = [q["sql"] for q in captured.captured_queries]
    floor_sql = _floor_queries(connection.vendor)
    periods = _periods(centre, month)
    figures = {
        f"{s.key}.{c.figure.key}": [c.figure.value, c.previous, c.last_year]
        for s in report.sections
        for c in s.compared
        if s.key in ("tickets", "alarms", "defects", "trips")
    }
    build = _measure(lambda: monthly.build(centre, month), args.runs)
    floor = _measure(lambda: _floor(centre, periods, floor_sql), args.runs)
    results = {
        "generated": counts,
        "generated_s": generated,
        "month": f"{month:%Y-%m}",
        "queries": len(queries),
        "slowest_queries": _slowest(captured.captured_queries),
        "floor_queries": 3 * len(floor_sql),
        "floor_rows": _floor(centre, periods, floor_sql),
        "runs": args.runs,
        "build_s": build,
        "floor_s": floor,
        "ratio_p50": round(build["p50"] / floor["p50"], 2) if floor["p50"] else None,
        "target_s": 5,
        "figures": figures,
        "load_1min": {"start": round(load_start, 2), "end": round(os.getloadavg()[0], 2)},
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    _setup.report("monthly_report", results)
    print(
        f"monthly_report ({connection.vendor}): {counts['Alarm']:,} alarms,"
        f" {counts['OperationTicket']:,} tickets, {counts['Defect']:,} defects over {args.days}"
        f" days; build({month:%Y-%m}) p50 {build['p50']} s / p95 {build['p95']} s in"
        f" {results['queries']} queries; floor p50 {floor['p50']} s / p95 {floor['p95']} s"
        f" ({results['floor_queries']} queries) — ×{results['ratio_p50']} (target build < 5 s);"
        f" load {results['load_1min']['start']}→{results['load_1min']['end']}"
    )


if __name__ == "__main__":
    main()
