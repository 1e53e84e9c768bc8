"""Shared set-up for benchmarks: a throw-away data folder (and, with DATABASE_URL, the given
PostgreSQL database migrated from scratch), Django configured, timing helpers."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("ZHIBAN_DATA", tempfile.mkdtemp(prefix="zhiban-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhiban.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)


def centre(code: str, name: str = "基准监控中心", kind: str = "power"):
    """A bench's centre (by default the power monitoring centre 基准监控中心), in the centre's
    zone Asia/Shanghai, through the org services."""
    from zhiban.core.actors import CLI, Source
    from zhiban.org import services as org

    return org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": code,
            "name": name,
            "kind": kind,
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )


def timed(fn, repeat: int = 5) -> float:
    """Best of ``repeat`` runs, in seconds (the least disturbed run)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def report(name: str, results: dict) -> None:
    from django.db import connection

    payload = {"bench": name, "database": connection.vendor, **results}
    print(json.dumps(payload, ensure_ascii=False))
