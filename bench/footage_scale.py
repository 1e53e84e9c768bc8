"""Footage access (调阅录像, REG-2) at a provincial video centre's volume: the request list
a monitor opens, against a raw-query floor measured in the same run.

Generated straight into the tables (NOT through ``registers.services``: the services are the
door for people's writes, one audited request at a time; here the point is the size of the
tables): a provincial centre (``prov``) with ``--branches`` (2,000) branches and two cameras
each, ``--per-day`` (300) footage requests a day for a year (≈ 110,000; a quarter pending or
refused, the rest approved with one to three accesses), and a second centre (``other``) with
half as many, so the list's centre filter has something to leave out. Rows go in by raw
``executemany`` in batches of 5,000 (one transaction each).

Measured through django.test.Client as the centre's monitor, ``--requests`` (200) each after
warm-up, p50 and p95 in ms:

- ``GET /api/centres/prov/registers/footage?limit=50`` — the newest page (with its count);
- the same with ``state=pending``;
- the list page ``GET /c/prov/registers/footage/``;
- floor: the raw SELECT of the same 50 rows (``WHERE centre_id = ? ORDER BY created_at DESC,
  id DESC LIMIT 50``), and Django's own statements replayed raw (the database's share).

The target (issue 13): list p95 under 100 ms. Plans of the floor and of Django's slowest
statement go into the JSON. Prints one JSON line and a one-line summary.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import _setup
from _setup import report
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org
from zhiban.org.models import Equipment, Person, Site
from zhiban.registers.models import FootageAccess, FootageRequest

parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--branches", type=int, default=2000)
parser.add_argument("--per-day", type=int, default=300)
parser.add_argument("--days", type=int, default=365)
parser.add_argument("--requests", type=int, default=200)
args = parser.parse_args()

SQLITE = connection.vendor == "sqlite"
BATCH = 5000
rnd = random.Random(13)
REASONS = ["顾客财物遗失", "商户纠纷", "车辆剐蹭理赔", "公安协查", "设备故障核查", "客户投诉核实"]
UNITS = ["派出所", "营业网点", "保险公司", "运维部", "保卫部", "客服部"]


def say(text: str) -> None:
    print(f"  … {text}", file=sys.stderr, flush=True)


def pct(seconds: list[float]) -> dict:
    ms = sorted(s * 1000 for s in seconds)
    return {
        "p50": round(statistics.median(ms), 2),
        "p95": round(ms[max(0, math.ceil(0.95 * len(ms)) - 1)], 2),
    }


def stored(at: datetime):
    """A time as the backend takes it in a raw insert (SQLite: Django's UTC text)."""
    return str(at.astimezone(UTC).replace(tzinfo=None)) if SQLITE else at


def insert(model, names: list[str], rows: list[tuple]) -> None:
    table = model._meta.db_table
    cols = ", ".join(model._meta.get_field(n).column for n in names)
    marks = ", ".join(["%s"] * len(names))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def centre(code: str, name: str):
    return _setup.centre(code, name, "security")


def cameras(place, branches: int) -> list[int]:
    sites = Site.objects.bulk_create(
        Site(centre=place, code=f"B{n:05d}", name=f"第{n}网点", kind="branch")
        for n in range(branches)
    )
    Equipment.objects.bulk_create(
        Equipment(centre=place, site=s, kind="camera", name=f"{s.code}-{k}号枪机")
        for s in sites
        for k in (1, 2)
    )
    return list(Equipment.objects.filter(centre=place).values_list("pk", "site_id").order_by("pk"))


def fill(place, per_day: int, person) -> int:
    """A year of requests of one centre, and the accesses of the approved ones."""
    pairs = cameras(place, args.branches)
    now = timezone.now()
    names = [
        "centre_id", "recorded_by_id", "decided_by_id", "decided_at", "decision_note",
        "requester_name", "requester_unit", "reason", "site_id", "camera_id", "span_from",
        "span_until", "window_from", "window_until", "state", "version", "created_at",
        "updated_at",
    ]  # fmt: skip
    total = per_day * args.days
    rows: list[tuple] = []
    made = 0
    for n in range(total):
        at = now - timedelta(days=args.days) + timedelta(seconds=n * 86400 / per_day)
        camera, site = pairs[rnd.randrange(len(pairs))]
        state = rnd.choices(["approved", "pending", "refused"], [75, 15, 10])[0]
        decided = state != "pending"
        span = at - timedelta(hours=rnd.randint(2, 72))
        rows.append(
            (
                place.pk, person.pk, person.pk if decided else None,
                stored(at + timedelta(minutes=30)) if decided else None, "",
                f"申请人{n % 997}", rnd.choice(UNITS), rnd.choice(REASONS), site, camera,
                stored(span), stored(span + timedelta(hours=1)), stored(at),
                stored(at + timedelta(days=1)), state, 2 if decided else 1, stored(at),
                stored(at),
            )
        )  # fmt: skip
        if len(rows) == BATCH or n == total - 1:
            insert(FootageRequest, names, rows)
            made += len(rows)
            rows = []
    approved = FootageRequest.objects.filter(centre=place, state="approved").values_list(
        "pk", "window_from"
    )
    accesses: list[tuple] = []
    for pk, start in approved.iterator(chunk_size=BATCH):
        for k in range(rnd.randint(1, 3)):
            moment = stored(start + timedelta(minutes=40 + 10 * k))
            accesses.append(
                (pk, rnd.choice(["view", "copy", "download"]), moment, person.pk, "", moment)
            )
        if len(accesses) >= BATCH:
            insert(
                FootageAccess, ["request_id", "kind", "at", "by_id", "note", "created_at"], accesses
            )
            accesses = []
    if accesses:
        insert(FootageAccess, ["request_id", "kind", "at", "by_id", "note", "created_at"], accesses)
    return made


def timed(fn, n: int) -> list[float]:
    for _ in range(5):
        fn()
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


class Recorder:
    def __init__(self):
        self.calls: list = []

    def __call__(self, execute, sql, params, many, context):
        self.calls.append((sql, params))
        return execute(sql, params, many, context)


def raw(sql: str, params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def explain(sql: str, params) -> list[str]:
    prefix = "EXPLAIN QUERY PLAN " if SQLITE else "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return [str(row[-1] if SQLITE else row[0]) for row in cursor.fetchall()]


def measure(client: Client, url: str, floor: tuple[str, list]) -> dict:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code)
    rec = Recorder()
    with connection.execute_wrapper(rec):
        client.get(url)
    selects = [(s, p) for s, p in rec.calls if s.lstrip().upper().startswith("SELECT")]
    page = pct(timed(lambda: client.get(url), args.requests))
    db = pct(timed(lambda: [raw(s, p) for s, p in selects], args.requests))
    low = pct(timed(lambda: raw(*floor), args.requests))
    slowest = max(selects, key=lambda sp: min(timed(lambda: raw(*sp), 5)))
    return {
        "url": url,
        "page": page,
        "django_sql": db,
        "floor": low,
        "statements": len(rec.calls),
        "ratio_p95": round(page["p95"] / low["p95"], 1) if low["p95"] else None,
        "plan_floor": explain(*floor),
        "plan_slowest": {"sql": slowest[0][:300], "plan": explain(*slowest)},
    }


def main() -> None:
    started = time.perf_counter()
    prov, other = centre("prov", "省分行视频监控中心"), centre("other", "市分行视频监控中心")
    people = {}
    for login, place in (("monitor", prov), ("monitor_b", other)):
        people[login] = org.person_create(
            actor=CLI,
            source=Source.CLI,
            centre=place,
            data={
                "username": login,
                "name": login,
                "password": "Bench#pass-2026",
                "role": Role.GUARD,
                "team": "",
                "post": "",
                "phone": "",
                "employee_no": "",
                "email": "",
                "language": "zh-hans",
                "is_active": True,
            },
        )
    say(f"generating {args.per_day * args.days:,} requests at prov, half as many at other")
    t0 = time.perf_counter()
    made = fill(prov, args.per_day, people["monitor"])
    made_other = fill(other, max(1, args.per_day // 2), people["monitor_b"])
    generate_s = round(time.perf_counter() - t0, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(
        Person.objects.get(username="monitor"), backend="django.contrib.auth.backends.ModelBackend"
    )
    newest = (
        "SELECT * FROM registers_footagerequest WHERE centre_id = %s "
        "ORDER BY created_at DESC, id DESC LIMIT 50",
        [prov.pk],
    )
    pending = (
        "SELECT * FROM registers_footagerequest WHERE centre_id = %s AND state = %s "
        "ORDER BY created_at DESC, id DESC LIMIT 50",
        [prov.pk, "pending"],
    )
    base = "/api/centres/prov/registers/footage"
    results = {
        "api_newest": measure(client, f"{base}?limit=50", newest),
        "api_pending": measure(client, f"{base}?limit=50&state=pending", pending),
        "page_newest": measure(client, "/c/prov/registers/footage/", newest),
    }
    accesses = FootageAccess.objects.count()
    report(
        "footage_scale",
        {
            "sizes": {"branches": args.branches, "per_day": args.per_day, "days": args.days},
            "generated": {
                "requests_prov": made,
                "requests_other": made_other,
                "accesses": accesses,
            },
            "generate_s": generate_s,
            "cores": os.cpu_count(),
            "load_average_1min": round(os.getloadavg()[0], 2),
            "results": results,
            "total_s": round(time.perf_counter() - started, 1),
        },
    )
    parts = "; ".join(
        f"{k} p50 {v['page']['p50']} / p95 {v['page']['p95']} ms (floor {v['floor']['p95']}, "
        f"SQL {v['django_sql']['p95']})"
        for k, v in results.items()
    )
    worst = max(v["page"]["p95"] for v in results.values())
    met = "met" if worst < 100 else "MISSED"
    print(
        f"footage_scale ({connection.vendor}, {made + made_other:,} requests, {accesses:,} "
        f"accesses, 1-minute load {os.getloadavg()[0]:.1f}): {parts}; target p95 < 100 ms: {met}"
    )


if __name__ == "__main__":
    main()
