"""Patrols at a provincial video centre: 2,000 branches and 500 self-service points, sampled per
shift (at least 20 branches and 5 self-service points, drawn by the rotation that covers every
checkpoint within a week, PAT-1), 3 shifts a day, a year of rounds; each figure against a floor
measured in the same run.

Generated (straight into the tables — NOT through ``patrols.services``, the door of people's
writes, one audited result at a time): the centre, its sites and checkpoints through the ORM's
bulk_create; the plans through the service (their forms); a year of rounds and their checkpoint
results by raw ``executemany`` in batches, with the same windows and the same rotation as
``rounds_generate`` (its own functions ``plan_windows`` and ``sample``). Past rounds are done
(one in 20 missed, one result in 50 abnormal); the last shift's rounds ended undone, so the
missed-round detection has work; the current shift's rounds are in progress.

Measured (``--requests`` after warm-up, p50/p95 in ms):

- the round page on a phone, GET /c/<code>/patrols/rounds/<id>/ of the branch round in
  progress (as its guard, through django.test.Client) — vs. the raw SELECTs of the same round,
  its results, checkpoints, sites, items and photos (the floor);
- missed-round detection for all plans of all centres, ``rounds_mark_missed`` (target < 1 s),
  rolled back after each run — vs. the raw SELECT of the late rounds and the raw UPDATE.

Run small for a quick check: ``python bench/patrol_scale.py --days 30 --requests 20``.
Prints one JSON line and a one-line summary of ratios (lower is better; 1.0 = the floor).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from datetime import UTC, datetime, timedelta

import _setup  # noqa: F401  (configures Django and migrates, before the models are imported)
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from zhiban.core.actors import CLI, SCHEDULER, Source
from zhiban.core.permissions import Role
from zhiban.duty.models import ShiftPattern
from zhiban.org import services as org
from zhiban.org.models import Site
from zhiban.patrols import services
from zhiban.patrols.models import CheckItem, Checkpoint, PatrolPlan, PatrolRound
from zhiban.patrols.services.schedule import plan_windows, sample

CODE = "prov"
BATCH = 20_000
SHIFTS = [("早班", "08:00", "16:00"), ("中班", "16:00", "00:00"), ("夜班", "00:00", "08:00")]


def _centre():
    centre = _setup.centre(CODE, "省分行视频监控中心", "security")
    for name, starts, ends in SHIFTS:
        ShiftPattern.objects.create(centre=centre, name=name, starts=starts, ends=ends)
    return centre


def _guard(centre):
    return org.person_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={
            "username": "guard01",
            "name": "监控员01",
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


def _checkpoints(centre, branches: int, points: int):
    sites = Site.objects.bulk_create(
        Site(centre=centre, code=f"B{i:04d}", name=f"网点{i:04d}", kind="branch")
        for i in range(1, branches + 1)
    )
    made = Checkpoint.objects.bulk_create(
        [Checkpoint(centre=centre, site=s, kind="site", name="网点监控") for s in sites]
        + [
            Checkpoint(centre=centre, site=sites[i % branches], kind="place", name=f"自助设备{i}")
            for i in range(points)
        ]
    )
    CheckItem.objects.bulk_create(
        CheckItem(checkpoint=c, seq=1, text="画面正常" if c.kind == "site" else "自助设备正常")
        for c in made
    )
    return made[:branches], made[branches:]


def _plan(centre, name, points, times):
    return services.plan_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={
            "name": name,
            "kind": "sampled",
            "times": times,
            "role": Role.GUARD,
            "checkpoints": [p.pk for p in points],
            "active": True,
        },
    )


def _rounds(centre, plans, days: int, now, guard) -> dict:
    """A year of rounds and results by raw inserts, as ``rounds_generate`` would draw them."""
    tz = centre.tz
    patterns = list(ShiftPattern.objects.filter(centre=centre).order_by("starts"))
    ids = {p.pk: sorted(p.checkpoints.values_list("pk", flat=True)) for p in plans}
    today = timezone.localtime(now, tz).date()
    rows, checks, n_rounds, n_checks = [], [], 0, 0
    next_id = (PatrolRound.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    at = connection.ops.adapt_datetimefield_value  # the column's format (SQLite: UTC text)
    stamp = at(datetime.now(UTC))
    cursor = connection.cursor()

    def flush():
        nonlocal rows, checks
        with transaction.atomic():
            cursor.executemany(
                "INSERT INTO patrols_patrolround (id, version, created_at, updated_at, centre_id,"
                " plan_id, shift, window_start, window_end, state, walker_id, started_at,"
                " ended_at, question, answer, answered_by_id, answered_at)"
                " VALUES (%s,1,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,'','',NULL,NULL)",
                rows,
            )
            cursor.executemany(
                "INSERT INTO patrols_roundcheck (round_id, checkpoint_id, result, note, counts,"
                " checked_at, checked_by_id, confirmed_at) VALUES (%s,%s,%s,%s,'{}',%s,%s,%s)",
                checks,
            )
        rows, checks = [], []

    for d in range(days, -1, -1):
        day = today - timedelta(days=d)
        for plan in plans:
            for w in plan_windows(plan, patterns, day, tz):
                if w.start > now:
                    continue
                chosen = sample(ids[plan.pk], plan.times, w.ordinal, 7 * len(patterns))
                rid = next_id
                next_id += 1
                if w.end > now:
                    state, who, started, ended = "in_progress", guard.pk, w.start, None
                elif w.end > now - timedelta(hours=8):
                    state, who, started, ended = "due", None, None, None  # ended undone
                elif rid % 20 == 0:
                    state, who, started, ended = "missed", None, None, None
                else:
                    state, who, started, ended = "done", guard.pk, w.start, w.end
                rows.append(
                    (rid, stamp, stamp, centre.pk, plan.pk, w.shift, at(w.start), at(w.end))
                    + (state, who, at(started), at(ended))
                )
                done = state in ("done", "in_progress")
                for i, cid in enumerate(chosen):
                    result = "pending"
                    if state == "done" or (state == "in_progress" and i < len(chosen) // 2):
                        result = "abnormal" if (rid + i) % 50 == 0 else "normal"
                    checked = started if done and result != "pending" else None
                    checks.append(
                        (rid, cid, result, "异常" if result == "abnormal" else "", at(checked))
                        + (who if checked else None, None)
                    )
                n_rounds += 1
                n_checks += len(chosen)
                if len(checks) >= BATCH:
                    flush()
    flush()
    return {"rounds": n_rounds, "results": n_checks}


def _ms(samples) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {"p50": round(statistics.median(ordered) * 1000, 2), "p95": round(p95 * 1000, 2)}


def _measure(fn, requests: int) -> dict:
    for _ in range(max(3, requests // 10)):
        fn()
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return _ms(samples)


def _round_floor(rid: int):
    """The raw reads the round page needs: the round with its plan, its results with their
    checkpoints and sites, the checkpoints' items and the photos."""
    with connection.cursor() as c:
        c.execute(
            "SELECT r.*, p.* FROM patrols_patrolround r JOIN patrols_patrolplan p"
            " ON p.id = r.plan_id WHERE r.id = %s",
            [rid],
        )
        c.fetchall()
        c.execute(
            "SELECT k.*, cp.*, s.* FROM patrols_roundcheck k"
            " JOIN patrols_checkpoint cp ON cp.id = k.checkpoint_id"
            " JOIN org_site s ON s.id = cp.site_id WHERE k.round_id = %s ORDER BY k.id",
            [rid],
        )
        rows = c.fetchall()
        c.execute(
            "SELECT i.* FROM patrols_checkitem i JOIN patrols_roundcheck k"
            " ON k.checkpoint_id = i.checkpoint_id WHERE k.round_id = %s",
            [rid],
        )
        c.fetchall()
        c.execute(
            "SELECT ph.* FROM patrols_roundphoto ph JOIN patrols_roundcheck k"
            " ON k.id = ph.check_row_id WHERE k.round_id = %s",
            [rid],
        )
        c.fetchall()
    return rows


class _Rollback(Exception):
    pass


def _missed(now) -> int:
    marked = 0
    try:
        with transaction.atomic():
            marked = services.rounds_mark_missed(actor=SCHEDULER, source=Source.JOB, now=now)
            raise _Rollback
    except _Rollback:
        pass
    return marked


def _missed_floor(now) -> int:
    try:
        with transaction.atomic(), connection.cursor() as c:
            c.execute(
                "SELECT id, centre_id FROM patrols_patrolround"
                " WHERE state IN ('due', 'in_progress') AND window_end <= %s",
                [connection.ops.adapt_datetimefield_value(now)],
            )
            ids = [r[0] for r in c.fetchall()]
            c.execute(
                "UPDATE patrols_patrolround SET state = 'missed', version = version + 1"
                f" WHERE id IN ({','.join(['%s'] * len(ids)) or 'NULL'})",
                ids,
            )
            raise _Rollback
    except _Rollback:
        pass
    return len(ids)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--branches", type=int, default=2000)
    parser.add_argument("--points", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()

    started = time.perf_counter()
    now = timezone.now()
    centre = _centre()
    guard = _guard(centre)
    branches, points = _checkpoints(centre, args.branches, args.points)
    plans = [
        _plan(centre, "网点视频抽查", branches, centre.setting("patrols.sampled_per_shift")),
        _plan(centre, "自助设备抽查", points, 5),
    ]
    plans = list(PatrolPlan.objects.filter(pk__in=[p.pk for p in plans]))
    sizes = _rounds(centre, plans, args.days, now, guard)
    generated_s = round(time.perf_counter() - started, 1)

    walking = PatrolRound.objects.filter(plan=plans[0], state="in_progress").latest("window_start")
    client = Client()
    client.force_login(guard, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/c/{CODE}/patrols/rounds/{walking.pk}/"
    assert client.get(url).status_code == 200
    page = _measure(lambda: client.get(url, HTTP_USER_AGENT="Mobile"), args.requests)
    floor = _measure(lambda: _round_floor(walking.pk), args.requests)

    late = _missed(now)
    assert late == _missed_floor(now), "the detection and its floor disagree"
    runs = max(5, args.requests // 20)
    missed = _measure(lambda: _missed(now), runs)
    missed_floor = _measure(lambda: _missed_floor(now), runs)

    results = {
        "branches": args.branches,
        "self_service_points": args.points,
        "days": args.days,
        **sizes,
        "round_checkpoints": walking.checks.count(),
        "generated_s": generated_s,
        "round_page_ms": page,
        "round_page_floor_ms": floor,
        "late_rounds": late,
        "missed_detection_ms": missed,
        "missed_detection_floor_ms": missed_floor,
        "targets": {"round_page_p95_ms": 100, "missed_detection_ms": 1000},
    }
    _setup.report("patrol_scale", results)
    print(
        f"patrol_scale: round page p95 {page['p95']} ms ({page['p95'] / floor['p95']:.1f}× floor,"
        f" target 100 ms), missed detection p95 {missed['p95']} ms"
        f" ({missed['p95'] / max(missed_floor['p95'], 0.01):.1f}× floor, target 1000 ms);"
        f" {sizes['rounds']} rounds, {sizes['results']} results"
    )


if __name__ == "__main__":
    main()
