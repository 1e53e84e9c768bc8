"""Backup and restore (issue 16): `zhiban backup` copies a running Zhiban — database, uploaded
files, audit key, checkpoints, manifest — and `zhiban restore` brings it back into an empty
installation where `zhiban audit verify` passes (ORG-4). Through the `zhiban` command in fresh
installations, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ..fresh import ZHIBAN, fresh_env, stop, zhiban


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def shell(env, code: str) -> str:
    return ok(zhiban(env, "shell", "-v", "0", "-c", code)).strip()


def the_backup(env, to: Path) -> Path:
    ok(zhiban(env, "backup", "--to", str(to)))
    (folder,) = [p for p in to.iterdir() if p.name.startswith("zhiban-backup-")]
    return folder


CHAIN = (
    "import json; from zhiban.core.models import AuditEvent; "
    "print(json.dumps(list(AuditEvent.objects.order_by('seq').values_list('seq', 'hash'))))"
)
TABLES = (
    "from django.db import connection; "
    "print(len(connection.introspection.table_names(connection.cursor())))"
)


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory):
    """One backup of the demo, with a photo among the uploaded files and a checkpoint noted."""
    with fresh_env(start="demo") as env:
        photo = Path(env["ZHIBAN_DATA"]) / "media" / "photos" / "site-1.jpg"
        photo.parent.mkdir(parents=True, exist_ok=True)
        photo.write_bytes(b"\xff\xd8\xff\xe0 a photo")
        ok(zhiban(env, "audit", "checkpoint"))
        folder = the_backup(env, tmp_path_factory.mktemp("backups"))
        assert shell(env, BACKUP_EVENTS) == str([("backup.make", "cli", "system:cli")])
        yield folder


BACKUP_EVENTS = (
    "from zhiban.core.models import AuditEvent; print(list(AuditEvent.objects.filter("
    "verb__startswith='backup.').values_list('verb', 'source', 'actor_label')))"
)


def test_backup_and_restore_round_trip_verifies__issue_16__ORG_4(demo_backup):
    manifest = json.loads((demo_backup / "manifest.json").read_text())
    assert manifest["version"] and manifest["engine"] in {"sqlite", "postgresql"}
    assert manifest["created_at"].endswith("+00:00")
    assert "0001_initial" in manifest["migrations"]["core"]
    assert manifest["audit_head"]["seq"] > 0 and len(manifest["audit_head"]["hash"]) == 64
    assert manifest["counts"]["core_auditevent"] == manifest["audit_head"]["seq"]
    assert {"audit_key", "audit-checkpoints.log", "manifest.json"} <= {
        p.name for p in demo_backup.iterdir()
    }
    with fresh_env() as env:
        out = ok(zhiban(env, "restore", str(demo_backup), "--yes"))
        assert "rows in the manifest" not in out  # no table differs from the manifest
        verified = ok(zhiban(env, "audit", "verify", "--language", "en"))
        assert "audit chain OK" in verified and "1 checkpoints match" in verified
        counts = json.loads(
            shell(
                env,
                "import json; from django.db import connection; c = connection.cursor(); "
                f"names = {sorted(manifest['counts'])!r}; "
                "print(json.dumps({n: c.execute(f'SELECT COUNT(*) FROM {n}').fetchone()[0] "
                "for n in names}))",
            )
        )
        # the restore itself is one more event of the chain
        assert counts == {
            **manifest["counts"],
            "core_auditevent": manifest["counts"]["core_auditevent"] + 1,
        }
        photo = Path(env["ZHIBAN_DATA"]) / "media" / "photos" / "site-1.jpg"
        assert photo.read_bytes() == b"\xff\xd8\xff\xe0 a photo"
        # the demo logins work with the restored data (the passwords came along)
        assert shell(env, "from zhiban.org.models import Person; print(Person.objects.count())")
        # the restore recorded as the command line's; the backup's own event came after
        # the copy, so it is not in it (ORG-4)
        assert shell(env, BACKUP_EVENTS) == str([("backup.restore", "cli", "system:cli")])


WRITER = """
import itertools, pathlib
from zhiban.org.models import Person
from zhiban.org import services
person = Person.objects.get(username='admin')
stop, written = pathlib.Path({stop!r}), pathlib.Path({written!r})
for i in itertools.count():
    if stop.exists():
        break
    services.api_token_create(actor=person, source='cli', name=f'writer-{{i}}')
    written.write_text(str(i + 1))
"""


def test_backup_while_writing_restores_a_consistent_prefix__issue_16__ORG_4(tmp_path):
    stop_file, written = tmp_path / "stop", tmp_path / "written"
    with fresh_env(start="demo") as env:
        code = WRITER.format(stop=str(stop_file), written=str(written))
        writer = subprocess.Popen(
            [*ZHIBAN, "shell", "-v", "0", "-c", code],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while not written.exists() and time.monotonic() < deadline:
                assert writer.poll() is None, writer.stdout.read().decode()
                time.sleep(0.1)
            folder = the_backup(env, tmp_path / "backups")
            stop_file.touch()
            writer.wait(timeout=60)
            assert writer.returncode == 0, writer.stdout.read().decode()
        finally:
            if writer.poll() is None:
                stop(writer)
        source_chain = json.loads(shell(env, CHAIN))
    manifest = json.loads((folder / "manifest.json").read_text())
    with fresh_env() as env:
        ok(zhiban(env, "restore", str(folder), "--yes"))
        assert "audit chain OK" in ok(zhiban(env, "audit", "verify", "--language", "en"))
        restored_chain = json.loads(shell(env, CHAIN))[:-1]  # the last: the restore itself
        names = json.loads(
            shell(
                env,
                "import json; from zhiban.org.models import ApiToken; print(json.dumps(list("
                "ApiToken.objects.filter(name__startswith='writer-').values_list('name', flat=True))))",
            )
        )
    # the copy is one moment of the running Zhiban: a prefix of its chain, every token written
    # up to that moment and none after, each with its audit event
    assert restored_chain == source_chain[: len(restored_chain)]
    assert restored_chain[-1] == [manifest["audit_head"]["seq"], manifest["audit_head"]["hash"]]
    written_then = sorted(int(name.split("-")[1]) for name in names)
    assert written_then == list(range(len(written_then))) and written_then
    assert len(source_chain) > len(restored_chain)  # the writer went on after the snapshot


@pytest.mark.parametrize("change", ["newer version", "unknown migration"])
def test_restore_refuses_a_backup_from_a_newer_zhiban__issue_16(demo_backup, tmp_path, change):
    folder = tmp_path / demo_backup.name
    shutil.copytree(demo_backup, folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    if change == "newer version":
        manifest["version"] = "99.0.0"
    else:
        manifest["migrations"]["core"].append("9999_from_the_future")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with fresh_env() as env:
        done = zhiban(env, "restore", str(folder), "--yes", "--language", "en")
        assert done.returncode != 0
        assert ("newer" if change == "newer version" else "9999_from_the_future") in done.stderr
        assert shell(env, TABLES) == "0"  # nothing written
        assert not list(Path(env["ZHIBAN_DATA"]).glob("*.before-restore-*"))


def test_restore_refuses_a_database_that_is_not_empty__issue_16(demo_backup):
    with fresh_env(start="migrated") as env:
        key = (Path(env["ZHIBAN_DATA"]) / "audit_key").read_text()
        done = zhiban(env, "restore", str(demo_backup), "--yes", "--language", "en")
        assert done.returncode != 0 and "not empty" in done.stderr
        assert (Path(env["ZHIBAN_DATA"]) / "audit_key").read_text() == key
        assert "audit chain OK" in ok(zhiban(env, "audit", "verify", "--language", "en"))
