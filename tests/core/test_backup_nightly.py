"""The nightly backup (issue 16): ZHIBAN_BACKUP_KEEP backups kept in ZHIBAN_BACKUP_DIR, made
at ZHIBAN_BACKUP_HOUR in the default centre time zone, the oldest beyond KEEP removed and
nothing else; `zhiban doctor` tells the newest backup's age and warns when it is late."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from zhiban.core import backup, tasks
from zhiban.core.actors import SCHEDULER, Source
from zhiban.core.models import Notification, OutboxMessage
from zhiban.core.permissions import Role
from zhiban.org.models import Person

from ..conftest import make_person
from ..fresh import fresh_env, zhiban

SHANGHAI = ZoneInfo("Asia/Shanghai")


def a_backup(root: Path, created: datetime) -> Path:
    """A backup folder made by hand: its name and a manifest, as `backup.make` leaves them."""
    folder = root / f"zhiban-backup-{created.astimezone(UTC):%Y%m%d-%H%M%S}"
    folder.mkdir(parents=True)
    manifest = {"version": "1", "migrations": {}, "counts": {}, "created_at": created.isoformat()}
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))
    return folder


def test_prune_keeps_the_newest_and_touches_nothing_else__issue_16(tmp_path):
    start = datetime(2026, 11, 1, 2, tzinfo=UTC)
    made = [a_backup(tmp_path, start + timedelta(days=n)) for n in range(5)]
    partial = tmp_path / ".partial-zhiban-backup-20261106-020000-x1y2"  # one being made
    partial.mkdir()
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "zhiban-backup-before-upgrade").mkdir()  # copied aside by hand
    (tmp_path / "zhiban-backup-20261001-020000").write_text("a file, not a backup")

    removed = backup.prune(tmp_path, 2)

    assert sorted(removed) == made[:3]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            made[3].name,
            made[4].name,
            partial.name,
            "notes.txt",
            "zhiban-backup-before-upgrade",
            "zhiban-backup-20261001-020000",
        ]
    )
    assert backup.prune(tmp_path, 2) == []
    with pytest.raises(ValueError):
        backup.prune(tmp_path, 0)


@pytest.fixture
def nightly(settings, tmp_path, monkeypatch):
    """Nightly backups at 02:00 Shanghai into tmp_path; `make` stood in by a hand-made folder
    (the tests' database lives in memory: `backup.make` itself is tested in test_backup.py)."""
    settings.ZHIBAN_BACKUP_DIR = str(tmp_path)
    settings.ZHIBAN_BACKUP_HOUR = 2
    settings.DEFAULT_CENTRE_TIME_ZONE = "Asia/Shanghai"
    calls = []

    def make(to_dir, progress=None, *, actor, source):
        calls.append((Path(to_dir), actor, source))
        return a_backup(Path(to_dir), backup._now())

    monkeypatch.setattr(backup, "make", make)
    return calls


def test_nightly_task_keeps_two_of_three__issue_16(nightly, settings, tmp_path):
    settings.ZHIBAN_BACKUP_KEEP = 2
    night = datetime(2026, 11, 28, 2, 0, 3, tzinfo=SHANGHAI)
    for day in range(3):
        with time_machine.travel(night + timedelta(days=day), tick=False):
            assert tasks.backup_nightly.call_local()
        with time_machine.travel(night + timedelta(days=day, hours=1), tick=False):
            assert tasks.backup_nightly.call_local() is None  # 03:00: not its hour
    assert nightly == [(tmp_path, SCHEDULER, Source.JOB)] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "zhiban-backup-20261128-180003",
        "zhiban-backup-20261129-180003",
    ]


def test_nightly_task_off_writes_nothing__issue_16(nightly, settings, tmp_path):
    settings.ZHIBAN_BACKUP_KEEP = 0
    with time_machine.travel(datetime(2026, 11, 28, 2, tzinfo=SHANGHAI), tick=False):
        assert tasks.backup_nightly.call_local() is None
        assert backup.nightly() is None
    assert nightly == [] and list(tmp_path.iterdir()) == []


def test_a_failed_nightly_backup_is_logged_and_told_to_the_administrators__issue_16(
    world, settings, tmp_path, monkeypatch, caplog
):
    settings.ZHIBAN_BACKUP_KEEP = 2
    settings.ZHIBAN_BACKUP_DIR = str(tmp_path)
    old = a_backup(tmp_path, datetime(2026, 11, 1, tzinfo=UTC))
    admin = make_person(world.alpha, "root_a", Role.CHIEF_OPERATOR)
    admin.is_superuser, admin.email, admin.language = True, "root@example.com", "en"
    admin.save()
    admins = set(Person.objects.filter(is_superuser=True, is_active=True))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(backup, "make", broken)
    assert backup.nightly() is None
    assert "nightly backup" in caplog.text and "disk full" in caplog.text
    assert list(tmp_path.iterdir()) == [old]
    told = Notification.objects.filter(level="urgent")
    assert {n.recipient for n in told} == admins and len(told) == len(admins)
    note = told.get(recipient=admin)
    assert note.title == "The nightly backup failed"
    assert "OSError: disk full" in note.body and str(tmp_path) in note.body
    (mail,) = OutboxMessage.objects.filter(target="root@example.com")
    assert mail.subject == "The nightly backup failed"


def doctor() -> str:
    out = io.StringIO()
    call_command("doctor", stdout=out, no_color=True)
    return out.getvalue()


def backups_line(text: str) -> str:
    (line,) = [line for line in text.splitlines() if "] backups:" in line]
    return line


@pytest.mark.django_db
def test_doctor_tells_the_newest_backups_age_and_warns_when_late__issue_16(settings, tmp_path):
    settings.ZHIBAN_BACKUP_DIR = str(tmp_path)
    settings.ZHIBAN_BACKUP_KEEP = 0
    assert backups_line(doctor()).startswith("[  --] backups: none in")

    settings.ZHIBAN_BACKUP_KEEP = 7
    assert backups_line(doctor()).startswith("[warn] backups: none in")

    now = datetime.now(UTC)
    a_backup(tmp_path, now - timedelta(hours=30))
    broken = tmp_path / f"zhiban-backup-{now:%Y%m%d-%H%M%S}"  # newer, no manifest: not one
    broken.mkdir()
    line = backups_line(doctor())
    assert line.startswith("[warn] backups: newest") and "30 h ago" in line and "late" in line

    newest = a_backup(tmp_path, now - timedelta(hours=3))
    line = backups_line(doctor())
    assert line.startswith("[  ok] backups: newest") and newest.name in line
    assert "3 h ago" in line and "keeping 7" in line


def test_doctor_after_zhiban_backup__issue_16():
    """Through the `zhiban` command: no backup yet is a warning when nightly backups are on; a
    real `zhiban backup` is then the newest, a minute or less old."""
    with fresh_env(start="migrated", ZHIBAN_BACKUP_KEEP="3") as env:
        before = zhiban(env, "doctor")
        assert before.returncode == 0, before.stdout + before.stderr
        assert "[warn] backups: none in" in before.stdout
        made = zhiban(env, "backup")
        assert made.returncode == 0, made.stdout + made.stderr
        after = zhiban(env, "doctor")
        assert "[  ok] backups: newest" in after.stdout and "0 min ago" in after.stdout
        assert "keeping 3" in after.stdout
