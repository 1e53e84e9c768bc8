"""Upgrades (issue 16): the data of the last tagged release, made by that release's own code
(tests/upgrade/fixtures, scripts/upgrade_fixture.sh), is restored by the current code, whose
`zhiban restore` runs the migrations forward; then every migration is applied, the release's
rows are all there, the audit chain verifies (ORG-4, DESIGN rule 3) and the current code
works on the data. On the suite's engine: SQLite, or PostgreSQL when DATABASE_URL is set.
How to upgrade, and the review rule for migrations that lock big tables: docs/upgrades.md."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from zhiban.core.backup import _version_key, version

from ..fresh import fresh_env, zhiban

FIXTURES = Path(__file__).parent / "fixtures"
# the last tagged release: the newest of the fixtures (tests/upgrade/fixtures/<tag>-<engine>)
RELEASE = max({p.name.rsplit("-", 1)[0] for p in FIXTURES.glob("v*-*")}, key=_version_key)
ENGINE = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
FIXTURE = FIXTURES / f"{RELEASE}-{ENGINE}"
# tables whose rows the migrations' own bookkeeping adds: the ledger of applied migrations,
# and the content type and four permissions Django makes for each new model
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}


def ok(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def shell(env, code: str) -> str:
    return ok(zhiban(env, "shell", "-v", "0", "-c", code)).strip()


def release_copy(into: Path) -> Path:
    """The release's backup folder copied under ``into``, its SQLite file unzipped."""
    folder = into / FIXTURE.name
    shutil.copytree(FIXTURE, folder)
    packed = folder / "database.sqlite3.gz"
    if packed.exists():
        with gzip.open(packed) as source, open(folder / "database.sqlite3", "wb") as target:
            shutil.copyfileobj(source, target)
        packed.unlink()
    return folder


FIGURES = """
import json
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
counts = {{}}
with connection.cursor() as cursor:
    existing = set(connection.introspection.table_names(cursor))
    for table in {tables!r}:
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {{connection.ops.quote_name(table)}}")
            counts[table] = cursor.fetchone()[0]
ledger = {{
    f"{{m.app}}.{{m.name}}": m.applied.isoformat() for m in MigrationRecorder.Migration.objects.all()
}}
disk = sorted(f"{{app}}.{{name}}" for app, name in MigrationLoader(None).disk_migrations)
print(json.dumps({{"counts": counts, "ledger": ledger, "disk": disk}}))
"""


@dataclass
class Upgraded:
    env: dict
    manifest: dict
    started: datetime  # when the restore began
    restored: str  # what `zhiban restore` said
    counts: dict  # rows per table of the release, read right after the restore
    ledger: dict  # "app.name" → when it was applied
    disk: list  # the current code's migrations, "app.name"


@pytest.fixture(scope="module")
def upgraded(tmp_path_factory):
    """The release's data restored by the current code into a fresh Zhiban of its own, and
    its figures read at once (before any test writes)."""
    folder = release_copy(tmp_path_factory.mktemp("release"))
    manifest = json.loads((folder / "manifest.json").read_text())
    with fresh_env() as env:
        started = datetime.now().astimezone()
        restored = ok(zhiban(env, "restore", str(folder), "--yes", "--language", "en"))
        figures = json.loads(shell(env, FIGURES.format(tables=sorted(manifest["counts"]))))
        yield Upgraded(env, manifest, started, restored, **figures)


def test_the_release_is_older_than_this_code__issue_16(upgraded):
    """The fixture is the tagged release's own data, and this code counts it as older."""
    assert upgraded.manifest["version"] == RELEASE.removeprefix("v")
    assert upgraded.manifest["engine"] == ENGINE
    assert _version_key(upgraded.manifest["version"]) < _version_key(version())
    assert f"backup of Zhiban {upgraded.manifest['version']} ({ENGINE})" in upgraded.restored


def test_every_migration_of_this_code_is_applied_to_the_release_data__issue_16(upgraded):
    """The restore ran the migrations the release lacked (computed from its manifest, so it
    holds whether there are none or many); the release's own stay as they were applied then."""
    released = {
        f"{app}.{name}" for app, names in upgraded.manifest["migrations"].items() for name in names
    }
    assert released <= set(upgraded.disk)  # no migration of a release is ever removed
    assert set(upgraded.disk) <= set(upgraded.ledger)
    made = datetime.fromisoformat(upgraded.manifest["created_at"])
    for name in released:
        assert datetime.fromisoformat(upgraded.ledger[name]) <= made, name
    for name in set(upgraded.disk) - released:
        assert datetime.fromisoformat(upgraded.ledger[name]) >= upgraded.started, name
    check = zhiban(upgraded.env, "migrate", "--check")
    assert check.returncode == 0, check.stdout + check.stderr


def test_the_release_rows_are_kept__issue_16(upgraded):
    """Every table of the release keeps its rows through the migrations: the restore adds
    its one audit event (ORG-4), a new model its content type and permissions, and nothing
    else changes. A migration that must delete or add rows says so here."""
    expected = upgraded.manifest["counts"]
    assert "rows in the manifest" not in upgraded.restored  # loaded as the manifest counts
    assert set(upgraded.counts) == set(expected)  # no table of the release is gone
    changed = {
        table: (expected[table], upgraded.counts[table])
        for table in expected
        if upgraded.counts[table] != expected[table] and table not in BOOKKEEPING
    }
    assert changed == {
        "core_auditevent": (expected["core_auditevent"], expected["core_auditevent"] + 1)
    }
    for table in BOOKKEEPING:
        assert upgraded.counts[table] >= expected[table], table


def test_the_audit_chain_verifies_across_the_upgrade__issue_16__ORG_4(upgraded):
    """The release's chain, its checkpoint and the events the current code appends after the
    upgrade verify as one chain (DESIGN rule 3: `zhiban audit verify` proves the chain)."""
    verified = ok(zhiban(upgraded.env, "audit", "verify", "--language", "en"))
    assert "audit chain OK" in verified and "1 checkpoints match" in verified


WALK = """
import json
from django.apps import apps
from django.test import Client
from django.urls import URLResolver, get_resolver
from zhiban.core.actors import Source
from zhiban.org import services
from zhiban.org.models import Centre, Person

# every row of every model loads with the current code's models
rows = {m._meta.label: len(m._base_manager.all()) for m in apps.get_models()}

def routes(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)

admin = Person.objects.get(username="admin")  # the demo's platform administrator
client = Client()
client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
codes = list(Centre.objects.values_list("code", flat=True))
statuses = {}
for route in routes(get_resolver()):
    if route.startswith("api/") or "<" in route.replace("<str:code>", ""):
        continue  # pages that need more than a centre
    for code in codes if "<str:code>" in route else [None]:
        url = "/" + route.replace("<str:code>", code or "")
        statuses[url] = client.get(url).status_code
# a write through the one door, on the upgraded data: an API token, then the API with it
token = services.api_token_create(actor=admin, source=Source.CLI, name="after the upgrade")[1]
api = Client().get(f"/api/centres/{codes[0]}/equipment?limit=5", HTTP_AUTHORIZATION=f"Bearer {token}")
print(json.dumps({"rows": rows, "statuses": statuses, "codes": codes, "api": api.status_code}))
"""


def test_this_code_works_on_the_release_data__issue_16(upgraded):
    """On the upgraded data: `zhiban doctor` passes, every row of every model loads, every
    page of every centre that a platform administrator opens answers without a server error
    (each centre's console and audit list: 200), and an audited write and the API work."""
    doctor = ok(zhiban(upgraded.env, "doctor"))
    assert "[  ok] migrations: up to date" in doctor
    walked = json.loads(shell(upgraded.env, WALK))
    assert walked["rows"]["duty.LogEntry"] == upgraded.counts["duty_logentry"]
    assert walked["rows"]["core.AuditEvent"] == upgraded.counts["core_auditevent"]
    errors = {url: status for url, status in walked["statuses"].items() if status >= 500}
    assert errors == {}
    for code in walked["codes"]:
        assert walked["statuses"][f"/c/{code}/"] == 200, code
        assert walked["statuses"][f"/c/{code}/audit/"] == 200, code
    assert walked["api"] == 200


def test_a_backup_of_a_later_version_is_refused__issue_16(tmp_path):
    """A development version comes before its release: this code (a .dev version or a
    release) refuses the backup of the release after it, before writing anything. (A far
    newer version and unknown migrations: tests/core/test_backup.py.)"""
    ours = version()
    dev = re.search(r"\.dev\d*$", ours)
    later = ours[: dev.start()] if dev else re.sub(r"\d+$", lambda m: str(int(m[0]) + 1), ours)
    assert _version_key(later) > _version_key(ours)
    folder = release_copy(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    (folder / "manifest.json").write_text(json.dumps({**manifest, "version": later}))
    with fresh_env() as env:
        done = zhiban(env, "restore", str(folder), "--yes", "--language", "en")
        assert done.returncode != 0
        assert f"made by Zhiban {later}, newer than this Zhiban {ours}" in done.stderr
        tables = (
            "from django.db import connection; print(len(connection.introspection.table_names()))"
        )
        assert shell(env, tables) == "0"  # nothing written
