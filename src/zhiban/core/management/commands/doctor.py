"""``zhiban doctor``: say plainly what this machine has and lacks — database, migrations,
data folder, Redis, MQTT, the CJK fonts for PDFs, WeasyPrint, time zones, the newest backup
and its age, production settings, the job worker's heartbeat, the outbox's lag and what
``/readyz`` would answer (core/health.py).
Exit status 1 when something Zhiban cannot run without is missing."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import zoneinfo
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

from django.apps import apps
from django.conf import settings
from django.core.management import BaseCommand
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from zhiban.core import backup, health
from zhiban.core.broker_probe import probe

OK, WARN, FAIL, INFO = "ok", "warn", "FAIL", "--"
BACKUP_LATE = timedelta(hours=26)  # a nightly backup a day old and two hours to spare


class Command(BaseCommand):
    help = "Check the database, Redis, MQTT, fonts, time zones and backups; say what is missing."

    def handle(self, *args, **options):
        checks = [
            self.python,
            self.database,
            self.migrations,
            self.data_dir,
            self.redis,
            self.mqtt,
            self.fonts,
            self.weasyprint,
            self.time_zones,
            self.backups,
            self.production,
            self.worker,
            self.outbox,
            self.readiness,
        ]
        failed = False
        for check in checks:
            try:
                status, label, detail = check()
            except Exception as error:  # a check must never crash the doctor
                status, label, detail = FAIL, check.__name__, f"{type(error).__name__}: {error}"
            failed |= status == FAIL
            style = {
                OK: self.style.SUCCESS,
                WARN: self.style.WARNING,
                FAIL: self.style.ERROR,
                INFO: str,
            }[status]
            self.stdout.write(style(f"[{status:>4}] {label}: {detail}"))
        if failed:
            sys.exit(1)

    def python(self):
        version = ".".join(map(str, sys.version_info[:3]))
        return (OK if sys.version_info >= (3, 11) else FAIL), "python", version

    def database(self):
        engine = connection.vendor
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        where = settings.DATABASES["default"]["NAME"]
        if engine == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                mode = cursor.fetchone()[0]
            return OK, "database", f"SQLite ({mode}) at {where}"
        return OK, "database", f"PostgreSQL {connection.pg_version // 10000} database {where}"

    def migrations(self):
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return WARN, "migrations", f"{len(pending)} pending (zhiban serve applies them)"
        return OK, "migrations", "up to date"

    def data_dir(self):
        probe = settings.DATA_DIR / ".doctor"
        probe.write_text("ok")
        probe.unlink()
        return OK, "data folder", f"{settings.DATA_DIR} (writable)"

    @functools.cached_property
    def ready(self) -> dict[str, health.Check]:
        """The readiness checks, asked once for the lines that show them."""
        return {check.name: check for check in health.checks()}

    def redis(self):
        if not settings.REDIS_URL:
            return (
                INFO,
                "redis",
                "not configured: embedded mode (in-memory live channel, "
                "SQLite job queue); set REDIS_URL to scale out",
            )
        check = self.ready["redis"]
        return (OK if check.ok else FAIL), "redis", f"{settings.REDIS_URL} {check.detail}"

    def mqtt(self):
        """Reaches the broker, names it, and checks that it keeps every message for a gateway
        that is offline (ADR 0008: ``max_queued_messages``); a broker that drops them loses
        events silently."""
        if not settings.MQTT_URL:
            return INFO, "mqtt", "not configured (ZHIBAN_MQTT_URL, for alarm ingestion)"
        url = urlparse(settings.MQTT_URL)
        outcome = probe(url)
        where = f"{url.hostname}:{url.port or 1883}" + (
            f" ({outcome.version})" if outcome.version else ""
        )
        if outcome.kept < outcome.sent:
            return (
                WARN,
                "mqtt",
                f"{where} kept {outcome.kept} of {outcome.sent} messages for an offline "
                "gateway and dropped the rest: raise max_queued_messages (e.g. 1000000) and "
                "set max_queued_bytes and persistence true (ADR 0008, docs/broker.md)",
            )
        return (
            OK,
            "mqtt",
            f"{where} keeps messages for an offline gateway ({outcome.sent} of {outcome.sent})",
        )

    def fonts(self):
        if not shutil.which("fc-list"):
            return (
                WARN,
                "CJK fonts",
                "fontconfig missing; PDFs would show boxes for Chinese "
                "(Debian: apt-get install fonts-noto-cjk)",
            )
        families = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20
        ).stdout
        if "Noto Sans CJK" in families or "Noto Serif CJK" in families:
            return OK, "CJK fonts", "Noto CJK installed (PDFs embed Chinese glyphs)"
        return (
            WARN,
            "CJK fonts",
            "no Noto CJK font: PDFs would show boxes for Chinese "
            "(Debian: apt-get install fonts-noto-cjk)",
        )

    def weasyprint(self):
        try:
            import weasyprint
        except OSError as error:  # the Pango library is missing
            return (
                WARN,
                "PDF (WeasyPrint)",
                f"cannot load: {error} (Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)",
            )
        return OK, "PDF (WeasyPrint)", weasyprint.__version__

    def time_zones(self):
        Centre = apps.get_model("org", "Centre")  # by label, as core's models name it
        zoneinfo.ZoneInfo(settings.DEFAULT_CENTRE_TIME_ZONE)
        try:
            zones = set(Centre.objects.values_list("time_zone", flat=True))
        except DatabaseError:
            zones = set()  # not migrated yet
        bad = sorted(z for z in zones if z not in zoneinfo.available_timezones())
        if bad:
            return FAIL, "time zones", f"unknown to this machine: {', '.join(bad)}"
        shown = ", ".join(sorted(zones)) or settings.DEFAULT_CENTRE_TIME_ZONE
        return OK, "time zones", f"{shown} (stored in UTC, shown in each centre's zone)"

    def backups(self):
        """The newest backup with a readable manifest, and its age; a warning when nightly
        backups are on (ZHIBAN_BACKUP_KEEP) and it is missing or older than 26 hours."""
        root = Path(settings.ZHIBAN_BACKUP_DIR)
        keep = settings.ZHIBAN_BACKUP_KEEP
        nightly = (
            f"nightly at {settings.ZHIBAN_BACKUP_HOUR:02d}:00 {settings.DEFAULT_CENTRE_TIME_ZONE}, "
            f"keeping {keep}"
            if keep
            else "nightly backups off (ZHIBAN_BACKUP_KEEP=0)"
        )
        found = backup.newest(root)
        if found is None:
            return (WARN if keep else INFO), "backups", f"none in {root}; {nightly}"
        folder, created = found
        age = datetime.now(UTC) - created
        local = created.astimezone(zoneinfo.ZoneInfo(settings.DEFAULT_CENTRE_TIME_ZONE))
        detail = f"newest {folder} made {local:%Y-%m-%d %H:%M %Z}, {_age(age)} ago; {nightly}"
        if keep and age > BACKUP_LATE:
            return WARN, "backups", f"{detail}: the nightly backup is late (see the job log)"
        return OK, "backups", detail

    def production(self):
        notes = []
        if settings.DEBUG:
            notes.append("ZHIBAN_DEBUG is on")
        if not settings.HTTPS:
            notes.append("ZHIBAN_HTTPS is off (set it behind a TLS proxy)")
        if notes:
            return INFO, "production settings", "; ".join(notes)
        return OK, "production settings", "HTTPS, secure cookies and HSTS on"

    def worker(self):
        check = self.ready["worker"]
        return (OK if check.ok else WARN), "job worker", check.detail

    def outbox(self):
        check = self.ready["outbox"]
        return (OK if check.ok else WARN), "outbox", check.detail

    def readiness(self):
        """What ``/readyz`` answers a load balancer now (ADR 0018)."""
        checks = list(self.ready.values())
        failed = [c for c in checks if not c.ok]
        names = ", ".join(c.name for c in checks)
        if any(c.essential for c in failed):
            down = ", ".join(c.name for c in failed if c.essential)
            return FAIL, "readiness", f"/readyz answers 503 not ready: {down} failing"
        if failed:
            return (
                WARN,
                "readiness",
                f"/readyz answers 200 degraded: {', '.join(c.name for c in failed)} failing",
            )
        return OK, "readiness", f"/readyz answers 200 ready ({names})"


def _age(age: timedelta) -> str:
    minutes = max(int(age.total_seconds() // 60), 0)
    if minutes < 120:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} days"
