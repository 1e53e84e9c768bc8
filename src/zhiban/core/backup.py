"""Backup and restore (issue 16): ``zhiban backup`` copies a running Zhiban consistently,
``zhiban restore`` brings such a copy back into a new, empty installation.

A backup is a folder ``zhiban-backup-YYYYmmdd-HHMMSS/`` holding

- ``database.sqlite3`` (SQLite's online backup API: one step, so a consistent snapshot while
  writers go on, WAL mode lets them) or ``database.dump`` (``pg_dump -Fc`` on PostgreSQL, run
  on a snapshot exported by a REPEATABLE READ transaction, which also reads the manifest's
  figures: they describe exactly the rows dumped);
- ``media/`` (uploaded files, copied after the database, so every file a row names is there);
- ``audit_key``, ``secret_key`` (when they are kept files, not environment variables) and
  ``audit-checkpoints.log`` (copied *before* the database: every checkpoint in it lies at or
  below the head in the copy, so ``zhiban audit verify`` passes after a restore);
- ``manifest.json``: version, engine, created_at (UTC), the migrations applied per app, the
  audit head (seq, hash) and the row count of every table.

It is written under ``.partial-…`` and renamed at the end: a half-made backup is never taken
for one. Job files (``DATA_DIR/jobs``: uploads being imported, exports to download) are
short-lived and not kept; the job queue is not either.

``restore`` refuses a backup of a newer Zhiban, or one with a migration this code lacks, and
refuses any database that is not empty. *Empty* means: no tables at all — a new SQLite file
(or none) or a newly created PostgreSQL database. A migrated database is refused even without
rows, since the copy brings its own schema. An audit key, secret key or checkpoint file
already in the data folder was made by this empty installation and signs nothing; it is kept
aside as ``<name>.before-restore-<time>``, never overwritten. An audit key given in the
environment (``ZHIBAN_AUDIT_KEY``) that differs from the backup's is refused: the chain would
not verify. After loading, ``migrate`` brings an older backup forward.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import zhiban
from zhiban.core import audit
from zhiban.core.actors import CLI, SCHEDULER, Source

MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.dump"
CHECKPOINTS_FILE = "audit-checkpoints.log"
KEY_FILES = {"audit_key": "ZHIBAN_AUDIT_KEY", "secret_key": "ZHIBAN_SECRET_KEY"}
FORMAT = 1  # the manifest's own layout
NAME = re.compile(r"zhiban-backup-\d{8}-\d{6}")  # a finished backup's folder

log = logging.getLogger(__name__)


def version() -> str:
    """This code's version (``zhiban.__version__``), not the installed package's metadata,
    which names the version last installed."""
    return zhiban.__version__


def _version_key(text: str) -> tuple[int, ...]:
    """Versions in order: the release numbers (0.2 is 0.2.0), and a development release
    (``0.2.0.dev1``) before the release it leads to."""
    public = text.split("+")[0]
    release = [int(part) for part in re.findall(r"\d+", public.split("dev")[0])[:4]]
    dev = re.search(r"dev(\d*)", public)
    return (*release, *[0] * (4 - len(release)), 0 if dev else 1, int(dev[1] or 0) if dev else 0)


def _now() -> datetime:
    return datetime.now(UTC)


def _tables() -> list[str]:
    """Every table of Zhiban's models, and the migration ledger."""
    names = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    return sorted(names | {"django_migrations"})


@dataclass
class Figures:
    """What a database holds, read from one consistent view of it."""

    migrations: dict[str, list[str]] = field(default_factory=dict)
    head: dict = field(default_factory=lambda: {"seq": 0, "hash": ""})
    counts: dict[str, int] = field(default_factory=dict)


def _figures(cursor, existing: set[str], quote) -> Figures:
    figures = Figures()
    if "django_migrations" in existing:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            figures.migrations.setdefault(app, []).append(name)
    if "core_audithead" in existing:
        cursor.execute("SELECT seq, hash FROM core_audithead WHERE id = 1")
        row = cursor.fetchone()
        if row:
            figures.head = {"seq": int(row[0]), "hash": row[1]}
    for table in _tables():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - model tables
            figures.counts[table] = int(cursor.fetchone()[0])
    return figures


def _sqlite_figures(path: Path) -> Figures:
    with closing(sqlite3.connect(path)) as db:
        cursor = db.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        existing = {row[0] for row in cursor.fetchall()}
        return _figures(cursor, existing, lambda name: f'"{name}"')


def _pg_url() -> str:
    return settings.DATABASE_URL


def _pg_tables(cursor) -> set[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {row[0] for row in cursor.fetchall()}


# --- making a backup --------------------------------------------------------------------


def make(to_dir: str | Path | None = None, progress=None, *, actor=CLI, source=Source.CLI) -> Path:
    """Write a backup folder under ``to_dir`` (``ZHIBAN_BACKUP_DIR``) and return its path.
    ``progress(step_name)`` is called as each part is done (database, files, manifest);
    ``actor`` and ``source`` name who made it in the audit trail (the nightly job: scheduler)."""
    note = progress or (lambda step: None)
    root = Path(to_dir or settings.ZHIBAN_BACKUP_DIR)
    root.mkdir(parents=True, exist_ok=True)
    created = _now()
    name = f"zhiban-backup-{created:%Y%m%d-%H%M%S}"
    if (root / name).exists():
        raise CommandError(_("a backup named %(name)s exists already") % {"name": name})
    partial = Path(tempfile.mkdtemp(prefix=f".partial-{name}-", dir=root))
    try:
        # the checkpoints before the database: each one is then at or below the copy's head
        checkpoints = Path(settings.ZHIBAN_AUDIT_CHECKPOINTS)
        if checkpoints.exists():
            shutil.copy2(checkpoints, partial / CHECKPOINTS_FILE)
        kept = []
        for filename, variable in KEY_FILES.items():
            key_file = Path(settings.DATA_DIR) / filename
            if not os.environ.get(variable, "").strip() and key_file.exists():
                shutil.copy2(key_file, partial / filename)
                kept.append(filename)
        note("keys")
        if connection.vendor == "sqlite":
            database = partial / SQLITE_FILE
            _sqlite_copy(Path(settings.DATABASES["default"]["NAME"]), database)
            figures = _sqlite_figures(database)
        else:
            database = partial / PG_FILE
            figures = _pg_dump(database)
        note("database")
        media = Path(settings.MEDIA_ROOT)
        if media.is_dir():
            shutil.copytree(media, partial / "media", symlinks=False)
        note("media")
        manifest = {
            "format": FORMAT,
            "version": version(),
            "engine": connection.vendor,
            "created_at": created.isoformat(),
            "database": database.name,
            "files": kept + ([CHECKPOINTS_FILE] if checkpoints.exists() else []),
            "migrations": figures.migrations,
            "audit_head": figures.head,
            "counts": figures.counts,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        final = root / name
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    with transaction.atomic():
        audit.record(
            actor=actor,
            source=source,
            verb="backup.make",
            object_type="core.backup",
            object_id=name,
            object_repr=name,
            after={
                "backup_folder": name,
                "backup_audit_head": figures.head["seq"],
                "backup_rows": sum(figures.counts.values()),
                "backup_counts": figures.counts,
            },
        )
    note("manifest")
    return final


def _sqlite_copy(source: Path, target: Path) -> None:
    """The whole database in one step of the online backup API: one read transaction, so
    one consistent state, while writers carry on (WAL). The copy is one self-contained file
    (rollback journal, not WAL)."""
    with (
        closing(sqlite3.connect(source, timeout=20)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")


def _pg_dump(target: Path) -> Figures:
    import psycopg

    with psycopg.connect(_pg_url()) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction(), conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            figures = _figures(cursor, _pg_tables(cursor), lambda name: f'"{name}"')
            done = subprocess.run(
                ["pg_dump", "-Fc", f"--snapshot={snapshot}", "-f", str(target), "-d", _pg_url()],
                capture_output=True,
                text=True,
            )
            if done.returncode:
                raise CommandError(_("pg_dump failed: %(error)s") % {"error": done.stderr.strip()})
    return figures


# --- the nightly backup and its retention --------------------------------------------------


def _finished(root: Path) -> list[Path]:
    """The finished backup folders under ``root``, newest first (their names sort by time)."""
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and NAME.fullmatch(p.name)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def prune(root: str | Path, keep: int) -> list[Path]:
    """Remove the oldest ``zhiban-backup-*`` folders under ``root`` beyond the newest ``keep``
    and return them. Nothing else there is touched: no other file or folder, and no
    ``.partial-…`` of a backup being made."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    removed = _finished(Path(root))[keep:]
    for folder in removed:
        shutil.rmtree(folder)
    return removed


def newest(root: str | Path) -> tuple[Path, datetime] | None:
    """The newest backup under ``root`` whose manifest reads, and when it was made (UTC)."""
    for folder in _finished(Path(root)):
        try:
            created = datetime.fromisoformat(read_manifest(folder)["created_at"])
        except (CommandError, KeyError, TypeError, ValueError):
            continue
        return folder, created
    return None


def nightly_due(now: datetime | None = None) -> bool:
    """Nightly backups are on and this is their hour in the default centre time zone."""
    local = (now or _now()).astimezone(ZoneInfo(settings.DEFAULT_CENTRE_TIME_ZONE))
    return settings.ZHIBAN_BACKUP_KEEP > 0 and local.hour == settings.ZHIBAN_BACKUP_HOUR


def nightly() -> Path | None:
    """The nightly backup into ``ZHIBAN_BACKUP_DIR``, then keep the newest
    ``ZHIBAN_BACKUP_KEEP`` there (0: none is made). A failure is logged and is urgent news
    for the platform administrators; ``zhiban doctor`` warns of the backup's age."""
    keep = settings.ZHIBAN_BACKUP_KEEP
    if keep < 1:
        return None
    root = Path(settings.ZHIBAN_BACKUP_DIR)
    try:
        made = make(root, actor=SCHEDULER, source=Source.JOB)
    except Exception as error:
        log.exception("the nightly backup into %s failed", root)
        _failure_told(root, error)
        return None
    for folder in prune(root, keep):
        log.info("nightly backup: removed %s (keeping %s)", folder.name, keep)
    return made


@transaction.atomic
def _failure_told(root: Path, error: Exception) -> None:
    """Every active platform administrator is notified, in the bell and by e-mail."""
    from django.contrib.auth import get_user_model

    from .models import Level
    from .notify import Message, notify

    notify(
        actor=SCHEDULER,
        source=Source.JOB,
        people=get_user_model().objects.filter(is_superuser=True, is_active=True),
        centre=None,
        title=Message(gettext_lazy("The nightly backup failed")),
        body=Message(
            gettext_lazy(
                "The nightly backup into %(folder)s failed: %(error)s. Make one with "
                "`zhiban backup` once the cause is mended; the job log has the details."
            ),
            {"folder": root, "error": f"{type(error).__name__}: {error}"},
        ),
        level=Level.URGENT,
        chat=False,
    )


# --- reading and restoring ---------------------------------------------------------------


def read_manifest(from_dir: str | Path) -> dict:
    path = Path(from_dir) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["version"], manifest["migrations"], manifest["counts"]  # noqa: B018
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(
            _("%(path)s is not a Zhiban backup: %(error)s") % {"path": path, "error": error}
        ) from error
    return manifest


def _refusals(manifest: dict) -> None:
    """A backup this code cannot bring back, refused before anything is written."""
    if _version_key(manifest["version"]) > _version_key(version()):
        raise CommandError(
            _(
                "this backup was made by Zhiban %(theirs)s, newer than this Zhiban %(ours)s: "
                "restore it with Zhiban %(theirs)s or later"
            )
            % {"theirs": manifest["version"], "ours": version()}
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in sorted(manifest["migrations"].items())
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise CommandError(
            _(
                "this backup has migrations this Zhiban does not know (%(names)s): restore it "
                "with the Zhiban that made it"
            )
            % {"names": ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")}
        )
    engine = manifest.get("engine")
    if engine != connection.vendor:
        raise CommandError(
            _("this backup is of a %(theirs)s database, this Zhiban runs on %(ours)s")
            % {"theirs": engine, "ours": connection.vendor}
        )


def _existing_tables() -> list[str]:
    if connection.vendor == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        if not path.exists():
            return []
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _key_refusals(from_dir: Path) -> None:
    given = os.environ.get("ZHIBAN_AUDIT_KEY", "").strip()
    kept = from_dir / "audit_key"
    if given and kept.exists() and kept.read_text().strip() != given:
        raise CommandError(
            _(
                "the audit key in ZHIBAN_AUDIT_KEY differs from the backup's: its audit trail "
                "would not verify. Unset ZHIBAN_AUDIT_KEY or set it to the backup's key"
            )
        )


def _put_back(source: Path, target: Path, stamp: str) -> None:
    """``source`` into ``target``; a different file there is kept aside, never overwritten."""
    if target.exists():
        if target.read_bytes() == source.read_bytes():
            return
        target.rename(target.with_name(f"{target.name}.before-restore-{stamp}"))
    shutil.copy2(source, target)


@dataclass
class Restored:
    manifest: dict
    counts: dict[str, int]
    differences: dict[str, tuple[int, int]]


def restore(from_dir: str | Path, progress=None) -> Restored:
    """Bring the backup in ``from_dir`` into this installation's empty database and data
    folder (see the module's text for what is refused)."""
    note = progress or (lambda step: None)
    from_dir = Path(from_dir)
    manifest = read_manifest(from_dir)
    _refusals(manifest)
    _key_refusals(from_dir)
    database = from_dir / manifest.get("database", "")
    if not database.is_file():
        raise CommandError(_("the backup's database file %(path)s is missing") % {"path": database})
    tables = _existing_tables()
    if tables:
        raise CommandError(
            _(
                "the database is not empty (%(count)s tables, e.g. %(example)s): restore only "
                "into a new, empty database — a new SQLite data folder or a newly created "
                "PostgreSQL database, before `zhiban migrate` or `zhiban serve` ran"
            )
            % {"count": len(tables), "example": tables[0]}
        )
    connections.close_all()
    if connection.vendor == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        with (
            closing(sqlite3.connect(database)) as src,
            closing(sqlite3.connect(target, timeout=20)) as dst,
        ):
            src.backup(dst)
    else:
        done = subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                "--single-transaction",
                "-d",
                _pg_url(),
                str(database),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise CommandError(_("pg_restore failed: %(error)s") % {"error": done.stderr.strip()})
    note("database")
    stamp = f"{_now():%Y%m%d-%H%M%S}"
    data = Path(settings.DATA_DIR)
    for filename in KEY_FILES:
        if (from_dir / filename).exists():
            _put_back(from_dir / filename, data / filename, stamp)
    if (from_dir / CHECKPOINTS_FILE).exists():
        _put_back(from_dir / CHECKPOINTS_FILE, Path(settings.ZHIBAN_AUDIT_CHECKPOINTS), stamp)
    if (from_dir / "media").is_dir():
        shutil.copytree(from_dir / "media", Path(settings.MEDIA_ROOT), dirs_exist_ok=True)
    note("files")
    if (from_dir / "audit_key").exists():  # this process signs with the restored key from now
        settings.ZHIBAN_AUDIT_KEY = (from_dir / "audit_key").read_text().strip()
    with connection.cursor() as cursor:
        counts = _figures(
            cursor, set(connection.introspection.table_names(cursor)), connection.ops.quote_name
        ).counts
    call_command("migrate", verbosity=0, interactive=False)
    note("migrate")
    differences = {
        table: (manifest["counts"].get(table, 0), counts.get(table, 0))
        for table in sorted(set(manifest["counts"]) | set(counts))
        if manifest["counts"].get(table, 0) != counts.get(table, 0)
    }
    with transaction.atomic():
        audit.record(
            actor=CLI,
            source=Source.CLI,
            verb="backup.restore",
            object_type="core.backup",
            object_id=from_dir.name,
            object_repr=from_dir.name,
            after={
                "backup_folder": from_dir.name,
                "backup_version": manifest["version"],
                "backup_audit_head": manifest.get("audit_head", {}).get("seq"),
                "backup_rows": sum(counts.values()),
            },
        )
    return Restored(manifest, counts, differences)
