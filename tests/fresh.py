"""A fresh Zhiban of its own for tests that run the `zhiban` command or a real server: a new
data folder, its own Redis prefix, and on a PostgreSQL run a new PostgreSQL database (dropped
afterwards).

``fresh_env(start="migrated")`` or ``start="demo"`` begins from a copy of a template made once
per test run (the first test that asks makes it, under a lock the other workers wait on): the
data folder copied, the database copied by PostgreSQL (``CREATE DATABASE … TEMPLATE``).
Migrating takes 20–40 s and the demo most of a minute more; a copy takes a second. The tests
of ``zhiban demo`` and ``migrate`` themselves start empty. The run's templates are removed
when it ends (``remove_templates``, called by tests/conftest.py)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ZHIBAN = [sys.executable, "-m", "zhiban.cli"]
RUN = "ZHIBAN_TEST_RUN"  # the run's id, set by tests/conftest.py before the workers start
# what each template runs, and on what: the demo on a copy of the migrated template
STARTS = {"migrated": ("", ("migrate", "-v", "0")), "demo": ("migrated", ("demo",))}


def _admin_url() -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"


def _sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(statement)


@contextlib.contextmanager
def fresh_env(*, start: str = "", **extra):
    data = Path(tempfile.mkdtemp(prefix="zhiban-fresh-"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(ZHIBAN_DATA=str(data), DJANGO_SETTINGS_MODULE="zhiban.settings")
    # its own Redis names: another test's job worker must not take this Zhiban's jobs
    env.update({"ZHIBAN_REDIS_PREFIX": f"zhiban-{data.name}", **extra})
    database = None
    if os.environ.get("DATABASE_URL"):
        database = f"zhiban_fresh_{uuid.uuid4().hex[:10]}"
        env["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database
    try:
        if start:
            _copy_template(start, data, database)
        elif database:
            _sql(f'CREATE DATABASE "{database}"')
        yield env
    finally:
        if database:
            _sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(data, ignore_errors=True)


def _templates() -> Path:
    root = Path(tempfile.gettempdir()) / f"zhiban-templates-{os.environ.get(RUN, os.getpid())}"
    root.mkdir(exist_ok=True)
    return root


@contextlib.contextmanager
def _locked(path: Path):
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _copy_template(start: str, data: Path, database: str | None) -> None:
    """The run's template for ``start`` into the new data folder (and database), made first
    if no test of the run has asked for it yet."""
    root = _templates()
    with _locked(root / f"{start}.lock"):
        made = root / f"{start}.json"
        if not made.exists():
            base, command = STARTS[start]
            with fresh_env(start=base) as env:
                done = zhiban(env, *command)
                assert done.returncode == 0, done.stdout + done.stderr
                template = {"data": str(root / start), "database": None}
                shutil.copytree(env["ZHIBAN_DATA"], template["data"])
                if database:  # the database kept under a name of the run's, as a template
                    name = re.sub(r"\W", "_", f"zhiban_template_{root.name}_{start}")[:63]
                    _sql(f'DROP DATABASE IF EXISTS "{name}"')
                    old = env["DATABASE_URL"].rsplit("/", 1)[1]
                    _sql(f'ALTER DATABASE "{old}" RENAME TO "{name}"')
                    _sql(f'CREATE DATABASE "{old}"')  # for fresh_env to drop
                    template["database"] = name
            made.write_text(json.dumps(template))
        template = json.loads(made.read_text())
        shutil.rmtree(data)
        shutil.copytree(template["data"], data)
        if database:
            _sql(f'CREATE DATABASE "{database}" TEMPLATE "{template["database"]}"')


def remove_templates() -> None:
    """The run's templates, folders and databases, removed at its end."""
    root = _templates()
    for made in root.glob("*.json"):
        name = json.loads(made.read_text())["database"]
        if name and os.environ.get("DATABASE_URL"):
            _sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    shutil.rmtree(root, ignore_errors=True)


def zhiban(env, *args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*ZHIBAN, *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(env, *serve_args):
    """`zhiban serve` on a free port of this machine (with its job worker unless told
    `--no-worker`), until the block ends."""
    import time
    import urllib.request

    port = free_port()
    log_path = Path(env["ZHIBAN_DATA"]) / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [*ZHIBAN, "serve", "--port", str(port), *serve_args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError as error:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "zhiban serve did not start:\n" + log_path.read_text()
                    ) from error
                time.sleep(0.3)
        yield base
    finally:
        stop(process)


def stop(process: subprocess.Popen, timeout: float = 20) -> None:
    """Ends a process started for a test: asked first, killed if it does not go."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def demo_token(env, login="admin", sources=()) -> str:
    """A personal API token for a demo person, made through the service (as the profile page
    would); a gateway's names the alarm sources it may send events for (INC-1, ORG-3)."""
    code = (
        "from zhiban.org.models import Person; from zhiban.org import services; "
        f"p = Person.objects.get(username='{login}'); "
        "print(services.api_token_create("
        f"actor=p, source='cli', name='tests', sources={list(sources)!r})[1])"
    )
    return zhiban(env, "shell", "-v", "0", "-c", code).stdout.strip()
