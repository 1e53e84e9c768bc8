"""A new station's four-remote point table imported into its commissioning sheet (issue 14
"Performance", ACC-2): how long ``upkeep.services.points_import`` takes for a 20,000-point
.xlsx and how much memory it needs, beside openpyxl's own read of the same file in the same
run.

Set-up (not measured): one power centre with a chief operator, twelve stations and a draft
commissioning sheet, made through the services; a ``--points`` (20,000) row point table
written to a temporary .xlsx with openpyxl's write-only mode, as the telecontrol team's table
looks: station (code, or name for every tenth row), bay, signal, type (遥信 60 %, 遥测 30 %,
遥控 7 %, 遥调 3 %), address (遥信 from 1, 遥测 from 0x4001 in hex, 遥控 from 0x6001,
遥调 from 0x7001), class, limits of the measurements, unit.

Measured, each the best of ``--repeat`` (3) rounds, the four taking turns in each round:

- ``openpyxl`` (the floor): the file read into memory, ``load_workbook(read_only=True,
  data_only=True)`` and every row of the first sheet through ``iter_rows(values_only=True)``,
  nothing kept;
- ``read``: ``upkeep.point_table.read`` — the same read with the file guard (no DOCTYPE or
  entities), the header, every cell checked, stations looked up, duplicate addresses, the
  good rows kept;
- ``import``: ``services.points_import`` — the read, then the sheet's points replaced in one
  transaction (delete, ``bulk_create`` in batches of 2,000), the version bumped, audited;
- ``refused``: the same table with its last row repeating the first row's address —
  ``points_import`` answering the 422 report and writing nothing;
- commissioning mode (``commissioning_readings``, what the gateway asks of every batch): a
  batch of 1,000 readings with no sheet being checked anywhere (one query), then with the
  20,000-point sheet being checked and none, or ten, of the readings its points (each naming
  its point's bay as the equipment);
- peaks of Python allocations (``tracemalloc``) of the floor, ``read`` and ``import``, each
  in a run of its own (its overhead is in no time above), and the growth of the process's
  peak resident memory (``ru_maxrss``) over the whole run.

Ratios are against the floor (1.0 = as fast or as small as openpyxl's read). SQLite in a
throw-away data folder; with DATABASE_URL (PostgreSQL) the database must be empty. Prints one
JSON line and a one-line summary.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--points", type=int, default=20_000, help="rows of the table (20,000)")
parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (3)")
args = parser.parse_args()

import _setup  # noqa: E402  (configures Django and migrates)
from _setup import report  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from zhiban.alarms.suppressions import Reading  # noqa: E402
from zhiban.core.actors import CLI, Source  # noqa: E402
from zhiban.core.errors import InvalidInput  # noqa: E402
from zhiban.org import services as org  # noqa: E402
from zhiban.upkeep import point_table, services  # noqa: E402
from zhiban.upkeep.models import (  # noqa: E402
    AcceptancePoint,
    AcceptanceSheet,
    SheetKind,
    SheetState,
)
from zhiban.upkeep.services.point_table import commissioning_readings  # noqa: E402

PLACES = [
    "苏吴",
    "新湖",
    "越溪",
    "横塘",
    "木渎",
    "胥口",
    "东山",
    "光福",
    "甪直",
    "车坊",
    "斜塘",
    "唯亭",
]
BAYS = ["{kv}kV{place}线{n}", "{n}号主变", "10kV {n}号电容器", "{kv}kV母线", "{n}号站用变"]
SIGNALS = {
    "遥信": ["开关事故跳闸", "开关分合", "弹簧未储能", "SF6气压低告警", "控制回路断线", "保护动作"],
    "遥测": ["电流", "有功功率", "无功功率", "母线电压", "主变油温", "频率"],
    "遥控": ["开关遥控", "闸刀遥控"],
    "遥调": ["分接头调节"],
}
FIRST = {"遥信": 1, "遥测": 0x4001, "遥控": 0x6001, "遥调": 0x7001}
HEADER = ["厂站", "间隔/装置", "信号名称", "类型", "信息体地址", "分类", "下限", "上限", "单位"]


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def build():
    centre = _setup.centre("bench", "苏吴监控中心")
    chief = org.person_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={
            "username": "chief",
            "name": "陈主值",
            "password": "Bench#pass-2026",
            "role": "chief_operator",
            "team": "",
            "post": "",
            "phone": "",
            "employee_no": "",
            "email": "",
            "language": "zh-hans",
            "is_active": True,
        },
    )
    sites = [
        org.site_create(
            actor=CLI,
            source=Source.CLI,
            centre=centre,
            data={
                "code": f"S{k:02d}",
                "name": f"110kV{place}变",
                "kind": "substation",
                "active": True,
            },
        )
        for k, place in enumerate(PLACES, start=1)
    ]
    sheet = AcceptanceSheet.objects.create(
        centre=centre,
        number="YS-2026-0001",
        kind=SheetKind.COMMISSIONING,
        title="110kV苏吴变四遥验收",
        site=sites[0],
        prepared_by=chief,
    )
    return centre, chief, sites, sheet


def table_rows(count: int, sites, rng: random.Random):
    """The table's rows, each address once (``next`` per type)."""
    following = dict(FIRST)
    for i in range(count):
        kind = rng.choices(["遥信", "遥测", "遥控", "遥调"], weights=[60, 30, 7, 3])[0]
        site = sites[i * len(sites) // count]
        station = site.name if i % 10 == 0 else site.code
        bay = rng.choice(BAYS).format(kv=rng.choice([10, 35, 110]), place=rng.choice(PLACES), n=i)
        address = following[kind]
        following[kind] += 1
        shown = f"0x{address:04X}" if kind == "遥测" else address
        if kind == "遥测":
            low, high = round(rng.uniform(0, 10), 1), round(rng.uniform(20, 500), 1)
            yield [station, bay, rng.choice(SIGNALS[kind]), kind, shown, "越限", low, high, "A"]
        else:
            klass = rng.choice(["事故", "异常", "变位", "告知"]) if kind == "遥信" else ""
            yield [station, bay, rng.choice(SIGNALS[kind]), kind, shown, klass, None, None, ""]


def write_table(path: str, rows) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("四遥信息表")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def openpyxl_read(path: str) -> int:
    """Every row of the file, read from memory as an upload is (nothing kept)."""
    with open(path, "rb") as handle:
        data = io.BytesIO(handle.read())
    workbook = load_workbook(data, read_only=True, data_only=True)
    count = 0
    for _row in workbook.worksheets[0].iter_rows(values_only=True):
        count += 1
    workbook.close()
    return count


def upload(path: str) -> SimpleUploadedFile:
    with open(path, "rb") as handle:
        return SimpleUploadedFile(os.path.basename(path), handle.read())


def best(fn, repeat: int) -> tuple[float, object]:
    seconds, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        seconds = min(seconds, time.perf_counter() - start)
    return seconds, result


def traced(fn) -> float:
    """The peak of Python allocations while ``fn`` runs, in MB."""
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


centre, chief, sites, sheet = build()
rng = random.Random(2026)
rows = list(table_rows(args.points, sites, rng))
folder = tempfile.mkdtemp(prefix="zhiban-points-")
good_path, bad_path = os.path.join(folder, "points.xlsx"), os.path.join(folder, "bad.xlsx")
write_table(good_path, rows)
write_table(bad_path, [*rows[:-1], [*rows[-1][:4], rows[0][4], *rows[-1][5:]]])
file_mb = os.path.getsize(good_path) / 2**20


def do_read():
    good, problems = point_table.read(upload(good_path), centre, site=sheet.site)
    assert not problems and len(good) == args.points, problems[:3]
    return good


def do_import():
    current = AcceptanceSheet.objects.get(pk=sheet.pk)
    done = services.points_import(
        actor=chief,
        source=Source.CLI,
        sheet_id=sheet.pk,
        version=current.version,
        file=upload(good_path),
    )
    assert done.points == args.points
    return done


def do_refused():
    current = AcceptanceSheet.objects.get(pk=sheet.pk)
    try:
        services.points_import(
            actor=chief,
            source=Source.CLI,
            sheet_id=sheet.pk,
            version=current.version,
            file=upload(bad_path),
        )
    except InvalidInput as refusal:
        assert len(refusal.rows) == 1 and refusal.rows[0]["row"] == args.points + 1
        return refusal
    raise AssertionError("the duplicate address was not found")


rss_before = maxrss_mb()
# the measurements take turns in each round, so that a busy moment of the machine falls on all
times: dict[str, float] = {}
for _round in range(args.repeat):
    for name, fn in (
        ("floor", lambda: openpyxl_read(good_path)),
        ("read", do_read),
        ("import", do_import),
        ("refused", do_refused),
    ):
        seconds, _result = best(fn, 1)
        times[name] = min(times.get(name, float("inf")), seconds)
floor_s, read_s, import_s, refused_s = (times[n] for n in ("floor", "read", "import", "refused"))
assert openpyxl_read(good_path) == args.points + 1
assert AcceptancePoint.objects.filter(sheet=sheet).count() == args.points
floor_peak = traced(lambda: openpyxl_read(good_path))
read_peak = traced(do_read)
import_peak = traced(do_import)
rss_after = maxrss_mb()


# commissioning mode: what one 1,000-event batch of the gateway pays to ask for held points
def mode_ms(matching: int) -> float:
    rng_ = random.Random(matching)
    known = list(AcceptancePoint.objects.filter(sheet=sheet).values_list("site_id", "name", "bay"))
    now = datetime.now(UTC)
    readings = []
    for i in range(1000):
        site_id, name, bay = rng_.choice(known)  # an event names its equipment, the bay
        if i < matching:
            readings.append(Reading(site_id, bay, name, "1", now))
        else:
            readings.append(Reading(site_id, "", f"其他信号{i}", "1", now))
    seconds = float("inf")
    for _ in range(args.repeat * 3):
        with transaction.atomic():
            start = time.perf_counter()
            commissioning_readings(readings, now)
            seconds = min(seconds, time.perf_counter() - start)
            transaction.set_rollback(True)
    return seconds * 1000


mode_none = mode_ms(0)  # no sheet being checked anywhere: one query
AcceptanceSheet.objects.filter(pk=sheet.pk).update(state=SheetState.CHECKING)
mode_idle, mode_ten = mode_ms(0), mode_ms(10)

results = {
    "points": args.points,
    "file_mb": round(file_mb, 2),
    "openpyxl_read_s": round(floor_s, 2),
    "read_s": round(read_s, 2),
    "import_s": round(import_s, 2),
    "refused_s": round(refused_s, 2),
    "import_points_per_s": round(args.points / import_s),
    "read_ratio": round(read_s / floor_s, 2),
    "import_ratio": round(import_s / floor_s, 2),
    "openpyxl_peak_mb": round(floor_peak, 1),
    "read_peak_mb": round(read_peak, 1),
    "import_peak_mb": round(import_peak, 1),
    "import_peak_ratio": round(import_peak / floor_peak, 2),
    "maxrss_growth_mb": round(rss_after - rss_before, 1),
    "mode_no_sheet_ms": round(mode_none, 2),
    "mode_checking_none_ms": round(mode_idle, 2),
    "mode_checking_ten_ms": round(mode_ten, 2),
    "maxrss_mb": round(rss_after, 1),
}
summary = (
    f"point_import: {args.points} points ({results['file_mb']} MB .xlsx) imported in "
    f"{results['import_s']} s (×{results['import_ratio']} openpyxl's own read of "
    f"{results['openpyxl_read_s']} s; checking alone ×{results['read_ratio']}, a refused table "
    f"{results['refused_s']} s), tracemalloc peak {results['import_peak_mb']} MB against "
    f"openpyxl's {results['openpyxl_peak_mb']} MB (×{results['import_peak_ratio']}), peak RSS "
    f"+{results['maxrss_growth_mb']} MB; commissioning mode per 1,000-event batch "
    f"{results['mode_no_sheet_ms']} ms with no sheet being checked, "
    f"{results['mode_checking_none_ms']} / {results['mode_checking_ten_ms']} ms with this one "
    f"(none / ten of its points)"
)
report("point_import", results)
print(summary)
