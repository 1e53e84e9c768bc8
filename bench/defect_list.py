"""The defect list (DEF-1) of a power centre with 500,000 defects — five years of them, the
old ones closed, a few thousand open in every state and grade, some overdue — each figure
against a floor measured in the same run.

Generated (straight into the table — NOT through ``upkeep.services``, the door of people's
writes, one audited report at a time): the centre, its team, 100 substations with their
equipment and a chief operator through the org services; the defects by raw ``executemany``
in batches.

Measured (``--requests`` after warm-up, p50/p95 in ms), for each filter the page offers —
the default (open defects, oldest first), ``grade=critical``, ``overdue=true``, a site, the
centre's own (``owner=centre``), ``state=closed&grade=serious`` and ``state=all``:

- the list page, GET /c/<code>/upkeep/defects/?… as the chief operator (django.test.Client);
- the API's first page, GET /api/centres/<code>/upkeep/defects?… (its capped count too);
- the floor: the SELECT of the same page (the FilterSet's own query, LIMIT 51) run raw.

Target: page and API p95 < 100 ms. Run small for a quick check:
``python bench/defect_list.py --defects 50000 --requests 20``.
Prints one JSON line and a one-line summary of ratios (lower is better; 1.0 = the floor).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
import zlib
from datetime import UTC, datetime, timedelta

import _setup  # noqa: F401  (configures Django and migrates, before the models are imported)
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org
from zhiban.org.models import Equipment, Site
from zhiban.upkeep.filters import DefectFilter
from zhiban.upkeep.models import Defect
from zhiban.upkeep.selectors.defects import defect_list

CODE = "bench"
BATCH = 20_000
YEARS = 5
HOURS = {"critical": 24, "serious": 24 * 7, "general": 24 * 90}
KINDS = ["local"] * 8 + ["channel", "four_remote"]
OPEN_STATES = ["reported", "classified", "assigned", "eliminated"]


def _world():
    centre = _setup.centre(CODE)
    team = org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"name": "基准操作队", "kind": "operation", "phone": "", "active": True},
    )
    sites = [
        org.site_create(
            actor=CLI,
            source=Source.CLI,
            centre=centre,
            data={"code": f"S{i:03d}", "name": f"{i}号变", "kind": "substation", "active": True},
        )
        for i in range(1, 101)
    ]
    for site in sites:
        for kind, name in (("capacitor", "1号电容器"), ("breaker", "1号开关"), ("rtu", "远动装置")):
            org.equipment_create(
                actor=CLI,
                source=Source.CLI,
                centre=centre,
                data={"site": site.pk, "kind": kind, "name": name, "active": True},
            )
    team.refresh_from_db()
    org.team_update(
        actor=CLI,
        source=Source.CLI,
        team_id=team.pk,
        version=team.version,
        changes={"sites": [s.pk for s in sites]},
    )
    chief = org.person_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={
            "username": "chief01",
            "name": "正值01",
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
    return centre, team, chief


def _defects(centre, team, n: int, now) -> dict:
    """``n`` defects over five years, in time order: those older than 60 days closed, the
    newer ones in every state (a third closed); a grade by the row's number."""
    equipment = list(
        Equipment.objects.filter(centre=centre).values_list("pk", "site_id").order_by("pk")
    )
    columns = (
        "version, created_at, updated_at, centre_id, number, site_id, equipment_id, kind, grade,"
        " phenomenon, affects_monitoring, owner, team_id, routing_reason, origin, origin_id,"
        " temporary_measure, elimination, state, due_at, reported_at, classified_at,"
        " assigned_at, eliminated_at, verified_at, closed_at"
    )
    sql = (
        f"INSERT INTO upkeep_defect ({columns}) VALUES ("
        + ", ".join(["%s"] * len(columns.split(",")))
        + ")"
    )
    span = timedelta(days=365 * YEARS)
    start = now - span
    rows, counts = [], {"open": 0, "overdue": 0}

    def flush():
        with connection.cursor() as c:
            c.executemany(sql, rows)
        rows.clear()

    for i in range(n):
        at = start + span * (i / n)
        h = zlib.crc32(str(i).encode())
        grade = "critical" if h % 10 == 0 else "serious" if h % 10 < 4 else "general"
        kind = KINDS[h % len(KINDS)]
        equipment_id, site_id = equipment[h % len(equipment)]
        centre_side = kind != "local"
        due = at + timedelta(hours=HOURS[grade])
        if now - at > timedelta(days=60) or h % 3 == 0:
            state = "closed"
        else:
            state = OPEN_STATES[h % 4]
            counts["open"] += 1
            counts["overdue"] += due <= now
        done = state == "closed"
        rows.append(
            (
                1,
                at,
                at,
                centre.pk,
                f"QX-{at.year}-{i + 1:06d}",
                site_id,
                equipment_id,
                kind,
                grade,
                f"缺陷现象 {i}",
                False,
                "centre" if centre_side else "team",
                None if centre_side else team.pk,
                "monitoring_system" if centre_side else "local_team",
                "manual",
                "",
                "",
                "已处理" if done else "",
                state,
                due,
                at,
                at if state != "reported" else None,
                at if done or state in ("assigned", "eliminated") else None,
                at if done or state == "eliminated" else None,
                at if done else None,
                at if done else None,
            )
        )
        if len(rows) >= BATCH:
            flush()
    flush()
    return counts


def _ms(samples) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {"p50": round(statistics.median(ordered) * 1000, 2), "p95": round(p95 * 1000, 2)}


def _measure(fn, requests: int) -> dict:
    for _ in range(max(3, requests // 10)):
        fn()
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return _ms(samples)


def _floor_sql(chief, centre, query: dict):
    """The SQL of the page's rows as the FilterSet builds it (the page's own LIMIT 51)."""
    filters = DefectFilter(query, queryset=defect_list(user=chief, centre=centre))
    assert filters.is_valid(), filters.errors
    return filters.qs[:51].query.sql_with_params()


def _raw(sql, params) -> int:
    with connection.cursor() as c:
        c.execute(sql, params)
        return len(c.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--defects", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    now = timezone.now()
    t0 = time.perf_counter()
    with transaction.atomic():
        centre, team, chief = _world()
        counts = _defects(centre, team, args.defects, now)
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("ANALYZE")
    else:
        with connection.cursor() as c:
            c.execute("ANALYZE upkeep_defect")
    generated = round(time.perf_counter() - t0, 1)
    site = Site.objects.filter(centre=centre).order_by("code").first()
    cases = {
        "default": {},
        "critical": {"grade": "critical"},
        "overdue": {"overdue": "true"},
        "site": {"site": str(site.pk)},
        "centre_owned": {"owner": "centre"},
        "closed_serious": {"state": "closed", "grade": "serious"},
        "all": {"state": "all"},
    }
    client = Client()
    client.force_login(chief, backend="django.contrib.auth.backends.ModelBackend")
    page_url = f"/c/{CODE}/upkeep/defects/"
    api_url = f"/api/centres/{CODE}/upkeep/defects"
    results = {}
    for name, query in cases.items():
        sql, params = _floor_sql(chief, centre, query)

        def page(query=query):
            r = client.get(page_url, query)
            assert r.status_code == 200, r.status_code

        def api(query=query):
            r = client.get(api_url, {**query, "limit": 50})
            assert r.status_code == 200, r.content[:300]

        floor = _measure(lambda sql=sql, params=params: _raw(sql, params), args.requests)
        results[name] = {
            "rows": _raw(sql, params),
            "page": _measure(page, args.requests),
            "api": _measure(api, args.requests),
            "floor": floor,
        }
    worst_page = max(r["page"]["p95"] for r in results.values())
    worst_api = max(r["api"]["p95"] for r in results.values())
    _setup.report(
        "defect_list",
        {
            "defects": Defect.objects.filter(centre=centre).count(),
            "open": counts["open"],
            "overdue": counts["overdue"],
            "generated_s": generated,
            "requests": args.requests,
            "cases": results,
            "worst_p95_ms": {"page": worst_page, "api": worst_api},
            "targets": {"page_p95_ms": 100, "api_p95_ms": 100},
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    )
    parts = ", ".join(
        f"{name} {r['page']['p95']}/{r['api']['p95']}/{r['floor']['p95']}"
        for name, r in results.items()
    )
    print(
        f"defect_list: {args.defects:,} defects ({counts['open']:,} open); p95 ms page/API/floor"
        f" — {parts}; worst page {worst_page} ms, API {worst_api} ms (target 100 ms)"
    )


if __name__ == "__main__":
    main()
