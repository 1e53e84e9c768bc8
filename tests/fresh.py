"""A fresh Zhiban of its own for tests that run the `zhiban` command or a real server: a new
data folder, its own Redis prefix, and on a PostgreSQL run a new PostgreSQL database (dropped
afterwards)."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ZHIBAN = [sys.executable, "-m", "zhiban.cli"]


@contextlib.contextmanager
def fresh_env(**extra):
    data = Path(tempfile.mkdtemp(prefix="zhiban-fresh-"))
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(ZHIBAN_DATA=str(data), DJANGO_SETTINGS_MODULE="zhiban.settings")
    # its own Redis names: another test's job worker must not take this Zhiban's jobs
    env.update({"ZHIBAN_REDIS_PREFIX": f"zhiban-{data.name}", **extra})
    database = None
    if os.environ.get("DATABASE_URL"):
        import psycopg

        base = os.environ["DATABASE_URL"]
        database = f"zhiban_fresh_{uuid.uuid4().hex[:10]}"
        admin_url = base.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + database
    try:
        yield env
    finally:
        if database:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(data, ignore_errors=True)


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
