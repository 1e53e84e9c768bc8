"""The streamed .xlsx export of the duty log (RPT-2) with 1,000,000 entries, beside openpyxl's
write-only mode writing the same rows in the same run.

Generated (straight into the table by raw ``executemany``, not through ``duty.services``): a
power centre, 100 substations with their equipment and a chief operator through the org
services; ``--rows`` log entries, 1,000 a day, in Chinese, a fifth at a site and its equipment,
one in fifty correcting an earlier one.

Measured, each in a fresh child process (so every peak is its own), for the last ``--small``
entries (the ``since`` filter) and for all of them:

- stream: GET /c/<code>/duty/log/?export=xlsx as the chief operator (django.test.Client, the
  list's real filters, selector and ``duty.tables.LOG``), its chunks written to a file as a
  browser would — wall time, time to the first chunk, peak RSS (sampled every 20 ms) above the
  process's RSS before (after a warm-up request);
- openpyxl: the same queryset's rows, the same ``xlsx_value`` cells, written by openpyxl's
  write-only workbook (bold header, widths, frozen row: the export before issue 15) to a file;
- floor (at ``--small`` rows): the same rows and cells read and made, nothing written (the
  database's and the cells' share of both).

At ``--small`` rows both files are read back and compared cell by cell. Targets: stream time
within 1.5x openpyxl's, its peak not growing with the rows. Run small for a quick check:
``python bench/export_xlsx.py --rows 100000 --small 20000``.
Prints one JSON line and a one-line summary of ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import _setup  # noqa: F401  (configures Django and migrates, before the models are imported)
from django.db import connection, transaction
from django.utils import timezone

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org
from zhiban.org.models import Centre, Equipment, Person

CODE = "bench"
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
PER_DAY = 1000
BATCH = 20_000
WORDS = [
    "220kV 1号主变 油温 {n} ℃,已通知检修班复核",
    "遥控拉开 10kV 出线开关 {n} 号,位置正确",
    "调度令:{n} 号电容器退出运行,已执行",
    "巡视发现 {n} 号间隔 SF6 压力低告警,已上报缺陷",
    "=SUM(A1:A{n}) 来自表格粘贴的记录",
    "接地选线装置动作,{n} 号线路接地,已拉路查找",
]
CATEGORIES = ["operation", "anomaly", "notice", "phone", "patrol", "other"]


def _world():
    centre = _setup.centre(CODE)
    for i in range(1, 101):
        site = org.site_create(
            actor=CLI,
            source=Source.CLI,
            centre=centre,
            data={"code": f"S{i:03d}", "name": f"{i}号变", "kind": "substation", "active": True},
        )
        org.equipment_create(
            actor=CLI,
            source=Source.CLI,
            centre=centre,
            data={"site": site.pk, "kind": "breaker", "name": "1号开关", "active": True},
        )
    return org.person_create(
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


def _entries(centre, chief, n: int) -> None:
    equipment = list(Equipment.objects.filter(centre=centre).values_list("pk", "site_id"))
    columns = (
        "centre_id, at, recorded_at, author_id, author_label, category, text, verb, params,"
        " site_id, equipment_id, object_id, corrects_id"
    )
    sql = f"INSERT INTO duty_logentry ({columns}) VALUES ({', '.join(['%s'] * 13)})"
    start = timezone.now() - timedelta(days=n / PER_DAY)
    adapt = connection.ops.adapt_datetimefield_value
    first_id = None
    rows: list[tuple] = []
    for i in range(n):
        at = adapt(start + timedelta(seconds=i * 86400 // PER_DAY))
        equip, site = equipment[i % len(equipment)] if i % 5 == 0 else (None, None)
        corrects = first_id + i - 1 if first_id and i % 50 == 0 else None
        text = WORDS[i % len(WORDS)].format(n=i % 997)
        cat = CATEGORIES[i % len(CATEGORIES)]
        rows.append(
            (centre.pk, at, at, chief.pk, "正值01", cat, text, "", "{}", site, equip, "", corrects)
        )
        if len(rows) == BATCH or i == n - 1:
            with transaction.atomic(), connection.cursor() as c:
                c.executemany(sql, rows)
            rows.clear()
            if first_id is None:
                from zhiban.duty.models import LogEntry

                first_id = LogEntry.objects.order_by("pk").values_list("pk", flat=True).first()


def _rss_kb() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * PAGE_KB


class Peak(threading.Thread):
    """The process's highest RSS (kB), sampled every 20 ms while the export runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.kb = _rss_kb()
        self.running = True

    def run(self):
        while self.running:
            self.kb = max(self.kb, _rss_kb())
            time.sleep(0.02)


def child(mode: str, query: str, out: str) -> dict:
    """One measurement in this (fresh) process; RSS growth is the peak over the start."""
    from django.test import Client
    from django.utils import translation

    from zhiban.core.exports import xlsx_value
    from zhiban.duty import selectors, tables
    from zhiban.duty.filters import LogFilter

    centre = Centre.objects.get(code=CODE)
    chief = Person.objects.get(username="chief01")
    client = Client()
    client.force_login(chief)
    translation.activate("zh-hans")  # the chief operator's language and the centre's zone,
    timezone.activate(centre.tz)  # as the export's request has them
    rows_done = 0

    def rows():
        nonlocal rows_done
        request = type("R", (), {"user": chief, "centre": centre, "GET": {}})()
        params = dict(p.split("=") for p in query.split("&") if p)
        f = LogFilter(
            params or None, queryset=selectors.log_list(user=chief, centre=centre), request=request
        )
        qs = f.qs if f.is_bound and f.is_valid() else f.queryset
        for obj in qs.iterator(chunk_size=2000):
            rows_done += 1
            yield [xlsx_value(v) for v in tables.LOG.cells(obj)]

    client.get(f"/c/{CODE}/duty/log/?since=2999-01-01")  # warm-up: the views imported
    base = _rss_kb()
    peak = Peak()
    peak.start()
    started, cpu = time.perf_counter(), time.process_time()
    first = None
    if mode == "stream":
        response = client.get(f"/c/{CODE}/duty/log/?export=xlsx&{query}")
        assert response.status_code == 200 and response.streaming
        with open(out, "wb") as handle:
            for chunk in response.streaming_content:
                first = first or time.perf_counter() - started
                handle.write(chunk)
        response.close()
    elif mode == "openpyxl":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        book = Workbook(write_only=True)
        sheet = book.create_sheet(title="log")
        for i, column in enumerate(tables.LOG.columns):
            sheet.column_dimensions[get_column_letter(i + 1)].width = column.width
        sheet.freeze_panes = "A2"
        header = [WriteOnlyCell(sheet, value=label) for label in tables.LOG.headers()]
        for cell in header:
            cell.font = Font(bold=True)
        sheet.append(header)
        for row in rows():
            sheet.append(row)
        book.save(out)
    else:
        for _row in rows():
            pass
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak.running = False
    peak.join()
    return {
        "seconds": round(seconds, 2),
        "cpu_s": round(cpu, 2),  # this process's CPU time: steadier than wall on a busy machine
        "first_chunk_s": round(first, 3) if first is not None else None,
        "peak_growth_mb": round((peak.kb - base) / 1024, 1),
        "peak_rss_mb": round(peak.kb / 1024, 1),
        "bytes": os.path.getsize(out) if os.path.exists(out) else 0,
        "rows": rows_done,
    }


def _same(a: str, b: str) -> bool:
    from openpyxl import load_workbook

    one = load_workbook(a, read_only=True).active.iter_rows(values_only=True)
    two = load_workbook(b, read_only=True).active.iter_rows(values_only=True)
    return all(
        [v if v != "" else None for v in x] == [v if v != "" else None for v in y]
        for x, y in zip(one, two, strict=True)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--query", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.query, args.out)))
        return
    started = time.perf_counter()
    chief = _world()
    _entries(Centre.objects.get(code=CODE), chief, args.rows)
    generated = round(time.perf_counter() - started, 1)
    since = (timezone.localtime() - timedelta(days=args.small / PER_DAY - 1)).date()
    folder = Path(tempfile.mkdtemp(prefix="zhiban-export-"))
    results: dict = {"rows": args.rows, "generated_s": generated}
    for size, query in (("small", f"since={since}"), ("all", "")):
        for mode in ("floor", "openpyxl", "stream") if size == "small" else ("openpyxl", "stream"):
            out = folder / f"{size}-{mode}.xlsx"
            done = subprocess.run(
                [sys.executable, __file__, "--child", mode, "--query", query, "--out", str(out)],
                capture_output=True,
                text=True,
                check=True,
                env=os.environ,
            )
            results[f"{size}_{mode}"] = json.loads(done.stdout.strip().splitlines()[-1])
            print(size, mode, results[f"{size}_{mode}"], file=sys.stderr, flush=True)
        results[f"{size}_stream"]["rows"] = results[f"{size}_openpyxl"]["rows"]
        if size == "small":
            results["small_same_cells"] = _same(
                str(folder / "small-stream.xlsx"), str(folder / "small-openpyxl.xlsx")
            )
    _setup.report("export_xlsx", results)
    s, a = results["small_stream"], results["all_stream"]
    o = results["all_openpyxl"]
    print(
        f"{a['rows']} rows: stream {a['seconds']} s (first chunk {a['first_chunk_s']} s), "
        f"openpyxl {o['seconds']} s; {s['rows']} rows: floor {results['small_floor']['seconds']} s, "
        f"openpyxl {results['small_openpyxl']['seconds']} s, stream {s['seconds']} s — "
        f"time ratio {a['seconds'] / o['seconds']:.2f}x (target ≤ 1.5); "
        f"peak growth {s['rows']} rows {s['peak_growth_mb']} MB, {a['rows']} rows "
        f"{a['peak_growth_mb']} MB (openpyxl {results['small_openpyxl']['peak_growth_mb']} → "
        f"{o['peak_growth_mb']} MB); size ratio {a['bytes'] / o['bytes']:.2f}; "
        f"same cells at {s['rows']}: {results['small_same_cells']}"
    )


if __name__ == "__main__":
    main()
