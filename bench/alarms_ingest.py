"""Alarm ingestion (issue 5, INC-1): Zhiban's gateway against the peer Alerta and against a
raw batched upsert, the live push to an open console, and the console's list with 2 million
alarms — each measured against its baseline in the same run, on the same stream.

Parts (``--part``, all by default):

- ``peer``: one event per request from 16 concurrent clients, 20,000 events over 2,000
  signals. Alerta (``alerta-server`` under gunicorn, its de-duplicating ``POST /alert``,
  PostgreSQL) against Zhiban's ``POST /api/events`` (``zhiban serve --workers 2``,
  PostgreSQL), each with 2 processes of as many threads as Zhiban's grouped path runs
  transactions at once (``http_gateway.THREADS``). Each client sends with its own gateway
  account's token, as the README tells each gateway to; the same stream with all 16 clients
  on one token (the best case for grouping by token) is reported beside it. Events/s,
  p50/p99, 5xx and lost events (sent but not stored: Zhiban's stored event rows; Alerta's
  alerts' duplicate counts + 1). Target: ≥ 10× Alerta with one token per client, no 5xx,
  nothing lost.
- ``floor``: 200,000 events over 2,000 signals (90 % repeats). The floor is a plain batched
  ``INSERT … ON CONFLICT DO UPDATE`` from Python into a one-table upsert keyed by signal
  (batches of 1,000 de-duplicated within the batch), on PostgreSQL (psycopg) and SQLite WAL
  (sqlite3). Zhiban takes the same stream as HTTP batches of 1,000 (4 concurrent clients,
  ``zhiban serve --workers 2``) and over MQTT (JSON arrays of 1,000 at QoS 1, two ``zhiban
  ingest mqtt`` processes in one shared subscription). Target: ≥ 0.25 of the floor. For
  scale, the same run also times Zhiban's own writes by raw SQL (``same_writes``: each
  event into its table, the alarms upserted into theirs, with their indexes).
- ``live``: an operator's console websocket (/ws/live/, logged in through /login/) while the
  gateway ingests 2,000 events/s over MQTT; every 100 ms a marker event of its own signal
  rides in the payload, and its latency is publish → the push naming its new alarm. Target:
  p99 < 1 s.
- ``list``: 2,000,000 alarms of 苏吴监控中心 (a few thousand open, the rest cleared) loaded
  straight into the table; ``GET /api/centres/suwu/alarms`` with its defaults (open alarms,
  most urgent first), with a class filter, and the cleared history, each against the raw SQL of
  the same query (same joins, order and limit). Target: p95 < 100 ms.

Every Zhiban is the demo (``zhiban demo``) in a fresh database: one is built per database
and copied for each measurement (PostgreSQL ``CREATE DATABASE … TEMPLATE``, SQLite a copy of
the data folder). Several web processes need Redis (``--redis``, channel layer and jobs).
Alerta is installed into its own venv under ``--cache`` on first use. Nothing here asserts
times: the script prints one JSON line and a summary line per part, with the ratios.
``--quick`` runs every part at a tenth of the size or less.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import itertools
import json
import math
import os
import random
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.company import login  # noqa: E402 (a person's session cookie, through /login/)

PARTS = ("peer", "floor", "live", "list")
# the streams' first event: yesterday, on the hour, so every event lies in the centre's window
# (ORG-4: back 7 days, ahead 5 minutes) whatever day the bench runs
START = (datetime.now(UTC) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--part", action="append", choices=PARTS, help="run this part (repeatable)")
parser.add_argument("--quick", action="store_true", help="small sizes, to try it out")
parser.add_argument(
    "--postgres",
    default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres"),
    help="a PostgreSQL server where databases zhiban_bench_* may be created",
)
parser.add_argument("--redis", default="redis://127.0.0.1:6379/6", help="Redis for the servers")
parser.add_argument(
    "--mqtt",
    default="",
    help="MQTT 5 broker (default: a Mosquitto of its own with the ADR 0008 settings)",
)
parser.add_argument("--ports", type=int, default=0, help="first port to use (0: free ports)")
parser.add_argument("--work", help="folder for data folders and logs (default: a temp folder)")
parser.add_argument(
    "--cache", default="/tmp/zhiban-bench", help="Alerta's venv lives here (/tmp/zhiban-bench)"
)
parser.add_argument("--keep", action="store_true", help="keep databases and data folders")
args = parser.parse_args()

SIZES = {
    # part: (full, quick)
    "peer_events": (20_000, 2_000),
    "peer_signals": (2_000, 200),
    "floor_events": (200_000, 20_000),
    "floor_signals": (2_000, 2_000),
    "live_seconds": (20, 5),
    "list_alarms": (2_000_000, 100_000),
    "list_requests": (300, 60),
}


def size(name: str) -> int:
    return SIZES[name][1 if args.quick else 0]


RUN = f"{os.getpid()}"
WORK = Path(args.work or tempfile.mkdtemp(prefix="zhiban-bench-alarms-"))
WORK.mkdir(parents=True, exist_ok=True)
ZHIBAN = [sys.executable, "-m", "zhiban.cli"]
_ports = itertools.count(args.ports) if args.ports else None


def port() -> int:
    if _ports is not None:
        return next(_ports)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def say(text: str) -> None:
    print(f"  … {text}", file=sys.stderr, flush=True)


def pct(seconds: list[float]) -> dict:
    """p50, p95, p99 and max in ms."""
    if not seconds:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    ms = sorted(s * 1000 for s in seconds)

    def at(q: float) -> float:
        return round(ms[max(0, math.ceil(q * len(ms)) - 1)], 2)

    return {"p50": round(statistics.median(ms), 2), "p95": at(0.95), "p99": at(0.99), "max": at(1)}


def ratio(a, b) -> float | None:
    return round(a / b, 2) if a and b else None


def wait_http(url: str, process: subprocess.Popen, log: Path, what: str) -> None:
    deadline = time.monotonic() + 120
    where = urlparse(url)
    while True:
        try:
            conn = http.client.HTTPConnection(where.hostname, where.port, timeout=3)
            conn.request("GET", where.path or "/")
            if conn.getresponse().status < 500:
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"alarms_ingest: {what} did not start:\n{log.read_text()[-3000:]}")
        time.sleep(0.3)


def settle(pid: int, quiet: float = 1.0) -> None:
    """Waits until the process's children (uvicorn's workers) have booted: their CPU time
    stays put for ``quiet`` seconds (at most 60 s)."""

    def cpu() -> int:
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:  # ppid
                    total += int(fields[11]) + int(fields[12])  # utime + stime
        return total

    deadline, last = time.monotonic() + 60, cpu()
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = cpu()
        if now - last <= 2:
            return
        last = now


# --- services this machine must run -------------------------------------------------------------


sys.path.insert(0, str(ROOT))
from tests.broker import MOSQUITTO, mosquitto  # noqa: E402 (the tests' own broker)
from tests.fresh import stop  # noqa: E402

_STACK = contextlib.ExitStack()  # the broker stops when the bench ends
atexit.register(_STACK.close)


def reachable(url: str, default_port: int) -> bool:
    where = urlparse(url)
    try:
        with socket.create_connection((where.hostname, where.port or default_port), timeout=2):
            return True
    except OSError:
        return False


HAVE_PG = reachable(args.postgres, 5432)
HAVE_REDIS = reachable(args.redis, 6379)
if not args.mqtt and Path(MOSQUITTO).exists():  # its own broker, set up as docs/broker.md says
    args.mqtt = _STACK.enter_context(mosquitto()).url
HAVE_MQTT = bool(args.mqtt) and reachable(args.mqtt, 1883)


def pg_url(database: str) -> str:
    return args.postgres.rsplit("/", 1)[0] + "/" + database


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(sql)


created_databases: list[str] = []


def create_database(name: str, template: str | None = None) -> str:
    pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    created_databases.append(name)
    return name


# --- a Zhiban: the demo in a database of its own ------------------------------------------------


PEER_CLIENTS = 16
# the demo's gateway account of suwu-scada and 15 more like it (gw-bench-02 …), each with a
# token naming that source: one account and token per client of the peer part
ACCOUNTS = """
import json
from zhiban.alarms.models import AlarmSource
from zhiban.org import services
from zhiban.org.demo import ACT, PASSWORD
from zhiban.org.models import Centre, Person, Role

centre = Centre.objects.get(code="suwu")
gateways = ["gw-suwu-scada"] + [f"gw-bench-{n:02d}" for n in range(2, CLIENTS + 1)]
for n, username in enumerate(gateways[1:], start=2):
    data = {"username": username, "name": f"压测接入{n:02d}", "phone": "", "email": "",
            "employee_no": f"GWB{n:03d}", "language": "zh-hans", "is_active": True,
            "password": PASSWORD, "role": Role.GATEWAY, "team": "", "post": "接入网关"}
    services.person_create(centre=centre, data=data, **ACT)


def token(username, sources):
    person = Person.objects.get(username=username)
    return services.api_token_create(actor=person, source="cli", name="bench", sources=sources)[1]


found = {"gateways": [token(u, ["suwu-scada"]) for u in gateways], "zhangwei": token("zhangwei", [])}
found["gateway"] = found["gateways"][0]
ids = {"centre": centre.pk, "scada": AlarmSource.objects.get(code="suwu-scada").pk,
       "zhangwei": Person.objects.get(username="zhangwei").pk}
print(json.dumps({"tokens": found, "ids": ids}))
"""


class Zhiban:
    """The demo organisation in a fresh database (``vendor``: sqlite or postgresql), with API
    tokens for 张伟 (正值) and for ``PEER_CLIENTS`` gateway accounts of suwu-scada (naming
    that source; ``gateway`` is the first). ``copy()`` gives a fresh copy."""

    def __init__(self, vendor: str, name: str, template: Zhiban | None = None):
        self.vendor, self.name = vendor, name
        self.data = WORK / f"zbd_bench_{name}"
        shutil.rmtree(self.data, ignore_errors=True)
        self.database = f"zhiban_bench_{name}_{RUN}" if vendor == "postgresql" else ""
        if template is None:
            self.data.mkdir(parents=True)
            if self.database:
                create_database(self.database)
        else:
            shutil.copytree(template.data, self.data)
            if self.database:
                create_database(self.database, template.database)
            self.tokens = template.tokens
            self.ids = template.ids
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
        env.update(
            ZHIBAN_DATA=str(self.data),
            DJANGO_SETTINGS_MODULE="zhiban.settings",
            ZHIBAN_REDIS_PREFIX=f"zb_bench_{RUN}_{name}",
            ZHIBAN_LOG_LEVEL="WARNING",
        )
        env.pop("DATABASE_URL", None)
        if self.database:
            env["DATABASE_URL"] = pg_url(self.database)
        if HAVE_REDIS:
            env["REDIS_URL"] = args.redis
        else:
            env.pop("REDIS_URL", None)
        self.env = env
        if template is None:
            self._fill()

    def run(self, *command: str, timeout: int = 600) -> str:
        done = subprocess.run(
            [*ZHIBAN, *command], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode:
            raise SystemExit(f"alarms_ingest: zhiban {command[0]} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def _fill(self) -> None:
        started = time.perf_counter()
        self.run("demo")
        code = f"CLIENTS = {PEER_CLIENTS}\n{ACCOUNTS}"
        found = json.loads(self.run("shell", "-v", "0", "-c", code).strip().splitlines()[-1])
        self.tokens, self.ids = found["tokens"], found["ids"]
        say(f"{self.vendor} demo ready in {time.perf_counter() - started:.0f} s")

    def copy(self, name: str) -> Zhiban:
        return Zhiban(self.vendor, name, template=self)

    def stream(self, *, scenario="bench", seed=1, count=None, signals=None) -> list[dict]:
        """``zhiban simulate --to -``: the events as JSON objects."""
        command = ["simulate", "--scenario", scenario, "--seed", str(seed)]
        command += ["--start", START.isoformat(), "--to", "-"]
        if count is not None:
            command += ["--count", str(count)]
        if signals is not None:
            command += ["--signals", str(signals)]
        return [json.loads(line) for line in self.run(*command).splitlines()]

    # raw access, for counts, the floor and bulk loading

    def connect(self):
        if self.vendor == "postgresql":
            import psycopg

            return psycopg.connect(pg_url(self.database), autocommit=True)
        conn = sqlite3.connect(self.data / "zhiban.sqlite3", isolation_level=None, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    def scalar(self, sql: str, params=()) -> object:
        conn = self.connect()
        try:
            return conn.execute(
                sql.replace("%s", "?") if self.vendor == "sqlite" else sql, params
            ).fetchone()[0]
        finally:
            conn.close()

    def stored_events(self, prefix: str) -> int:
        return int(
            self.scalar(
                "SELECT COUNT(*) FROM alarms_alarmevent WHERE source_id = %s AND event_id LIKE %s",
                (self.ids["scada"], prefix + "%"),
            )
        )

    @contextlib.contextmanager
    def serve(self, workers: int = 2):
        """``zhiban serve --workers N`` (with its job worker in the supervising process)."""
        if workers > 1 and not HAVE_REDIS:
            workers = 1
        p = port()
        log = self.data / f"serve-{p}.log"
        with open(log, "w") as out:
            process = subprocess.Popen(
                [*ZHIBAN, "serve", "--port", str(p), "--workers", str(workers)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{p}"
        try:
            wait_http(base + "/healthz", process, log, "zhiban serve")
            settle(process.pid)
            yield base
        finally:
            stop(process)

    @contextlib.contextmanager
    def gateways(self, topic: str, n: int = 2):
        """``n`` ``zhiban ingest mqtt`` processes in one share group, subscribed."""
        processes, logs = [], []
        group = f"bench{RUN}{self.name}"
        for index in range(n):
            log = self.data / f"ingest-{index}.log"
            with open(log, "w") as out:
                processes.append(
                    subprocess.Popen(
                        [*ZHIBAN, "ingest", "mqtt", "--url", args.mqtt, "--topic", topic]
                        + ["--group", group, "--index", str(index), "--session-expiry", "60"]
                        + ["--client-id", f"{group}-{index}"],
                        env=self.env,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                    )
                )
            logs.append(log)
        try:
            deadline = time.monotonic() + 90
            for process, log in zip(processes, logs, strict=True):
                while "subscribed to" not in log.read_text():
                    if process.poll() is not None or time.monotonic() > deadline:
                        raise SystemExit(f"alarms_ingest: zhiban ingest mqtt:\n{log.read_text()}")
                    time.sleep(0.2)
            yield processes
        finally:
            for process in processes:
                stop(process)

    def drop(self) -> None:
        if args.keep:
            return
        shutil.rmtree(self.data, ignore_errors=True)
        if self.database:
            pg_admin(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


# --- clients --------------------------------------------------------------------------------------


class Sender(threading.Thread):
    """One client on a keep-alive connection (reopened when the server closes it), taking
    requests from a shared iterator until it runs dry."""

    def __init__(self, base: str, path: str, bodies, lock, headers: dict):
        super().__init__(daemon=True)
        where = urlparse(base)
        self.host, self.port, self.path = where.hostname, where.port, path
        self.bodies, self.lock, self.headers = bodies, lock, headers
        self.times: list[float] = []
        self.statuses: dict[int, int] = {}
        self.answers: list[bytes] = []

    def run(self) -> None:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        while True:
            with self.lock:
                body = next(self.bodies, None)
            if body is None:
                break
            start = time.perf_counter()
            try:
                conn.request("POST", self.path, body=body, headers=self.headers)
                answer = conn.getresponse()
                content = answer.read()
                status = answer.status
                if answer.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                conn.close()
                status, content = 0, b""
            self.times.append(time.perf_counter() - start)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 200:
                self.answers.append(content)
        conn.close()


def send_all(base: str, path: str, bodies: list[bytes], clients: int, tokens=()) -> dict:
    """Every body POSTed once by ``clients`` concurrent senders, client ``n`` with bearer token
    ``tokens[n % len(tokens)]`` (none without tokens); rate, latency and statuses."""
    lock, source = threading.Lock(), iter(bodies)
    headers = [{"Content-Type": "application/json"} for _ in range(clients)]
    for n, client in enumerate(headers):
        if tokens:
            client["Authorization"] = f"Bearer {tokens[n % len(tokens)]}"
    senders = [Sender(base, path, source, lock, client) for client in headers]
    started = time.perf_counter()
    for s in senders:
        s.start()
    for s in senders:
        s.join()
    elapsed = time.perf_counter() - started
    statuses: dict[int, int] = {}
    for s in senders:
        for status, n in s.statuses.items():
            statuses[status] = statuses.get(status, 0) + n
    return {
        "elapsed_s": round(elapsed, 2),
        "requests": len(bodies),
        "requests_per_s": round(len(bodies) / elapsed, 1),
        "latency_ms": pct([t for s in senders for t in s.times]),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "http_5xx": sum(n for k, n in statuses.items() if k >= 500),
        "failed_connections": statuses.get(0, 0),
        "answers": [a for s in senders for a in s.answers],
    }


def tally(answers: list[bytes]) -> dict:
    found = {"accepted": 0, "duplicate": 0, "rejected": 0}
    for answer in answers:
        body = json.loads(answer)
        for key in found:
            found[key] += body[key]
    return found


class Publisher:
    """One MQTT 5 client publishing at QoS 1."""

    def __init__(self):
        import paho.mqtt.client as paho

        where = urlparse(args.mqtt)
        self.client = paho.Client(paho.CallbackAPIVersion.VERSION2, protocol=paho.MQTTv5)
        self.client.max_inflight_messages_set(50)
        self.client.connect(where.hostname, where.port or 1883)
        self.client.loop_start()

    def publish(self, topic: str, events: list[dict]):
        payload = json.dumps(events, ensure_ascii=False).encode()
        return self.client.publish(topic, payload, qos=1)

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


def chunks(items: list, n: int) -> list[list]:
    return [items[i : i + n] for i in range(0, len(items), n)]


# --- part peer: Alerta against Zhiban, one event per request -------------------------------------

SEVERITY = {"accident": "critical", "abnormal": "major", "limit": "minor", "change": "warning"}


def alerta_payload(event: dict) -> bytes:
    """The same event as an Alerta alert: resource = station and equipment, event = signal."""
    alert = {
        "resource": f"{event['site']}:{event['equipment']}",
        "event": event["signal"],
        "environment": "Production",
        "service": [event["source"]],
        "severity": SEVERITY.get(event["class"], "informational"),
        "value": event["value"],
        "text": event["text"],
        "origin": event["source"],
        "createTime": datetime.fromisoformat(event["at"]).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
        + "Z",
    }
    return json.dumps(alert, ensure_ascii=False).encode()


@contextlib.contextmanager
def alerta(workers: int, threads: int):
    """Alerta on a fresh PostgreSQL database, no authentication, under gunicorn with
    ``workers`` processes of ``threads`` threads each (gunicorn's gthread worker)."""
    venv = Path(args.cache) / "alerta-venv"
    gunicorn = venv / "bin" / "gunicorn"
    if not gunicorn.exists():
        say(f"installing alerta-server, gunicorn and psycopg2-binary into {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [venv / "bin" / "pip", "install", "-q", "alerta-server", "gunicorn", "psycopg2-binary"],
            check=True,
        )
    version = subprocess.run(
        [venv / "bin" / "python", "-c", "import alerta.version as v; print(v.__version__)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    database = create_database(f"zhiban_bench_alerta_{RUN}")
    p = port()
    log = WORK / "alerta.log"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        "DATABASE_URL": pg_url(database),
        "AUTH_REQUIRED": "False",
        "DEBUG": "False",
        "SECRET_KEY": "bench",
        "LOG_LEVEL": "ERROR",
    }
    # its schema first: two workers creating it at once fail to boot
    subprocess.run(
        [venv / "bin" / "python", "-c", "from alerta import create_app; create_app()"],
        env=env,
        check=True,
        cwd=WORK,
    )
    with open(log, "w") as out:
        process = subprocess.Popen(
            [gunicorn, "-w", str(workers), "--threads", str(threads)]
            + ["-b", f"127.0.0.1:{p}", "alerta:create_app()"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=WORK,
        )
    try:
        wait_http(f"http://127.0.0.1:{p}/alerts", process, log, "Alerta")
        yield f"http://127.0.0.1:{p}", database, version
    finally:
        stop(process)
        if not args.keep:
            pg_admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def part_peer(pg: Zhiban) -> dict:
    """Alerta, then Zhiban with one token per client (the fair figure) and with one token for
    all clients (the best case for grouping by token), each Zhiban on a fresh copy."""
    events = pg.stream(seed=11, count=size("peer_events"), signals=size("peer_signals"))
    distinct = len({e["id"] for e in events})
    clients, workers = PEER_CLIENTS, 2
    code = "from zhiban.alarms.http_gateway import THREADS; print(THREADS)"
    threads = int(pg.run("shell", "-v", "0", "-c", code).split()[-1])
    with alerta(workers, threads) as (base, database, version):
        say(f"Alerta {version}: {len(events)} alerts, {clients} clients")
        peer = send_all(base, "/alert", [alerta_payload(e) for e in events], clients)
        import psycopg

        with psycopg.connect(pg_url(database)) as conn:
            stored, alerts = conn.execute(
                "SELECT COALESCE(SUM(duplicate_count + 1), 0), COUNT(*) FROM alerts"
            ).fetchone()
    peer.pop("answers")
    peer.update(
        stored=int(stored), alerts=int(alerts), lost=distinct - int(stored), version=version
    )
    bodies = [json.dumps([e], ensure_ascii=False).encode() for e in events]

    def zhiban(name: str, tokens: list[str]) -> dict:
        zb = pg.copy(name)
        try:
            with zb.serve(workers=workers) as base:
                say(f"Zhiban: {len(events)} events, {clients} clients, {len(tokens)} token(s)")
                ours = send_all(base, "/api/events", bodies, clients, tokens)
            answers = tally(ours.pop("answers"))
            stored = zb.stored_events("sim-bench-11-")
        finally:
            zb.drop()
        ours.update(tokens=len(tokens), answers=answers, stored=stored, lost=distinct - stored)
        ours["ratio_events_per_s"] = ratio(ours["requests_per_s"], peer["requests_per_s"])
        ours["target_met"] = (
            (ours["ratio_events_per_s"] or 0) >= 10 and ours["http_5xx"] == 0 and not ours["lost"]
        )
        return ours

    fair = zhiban("peer", pg.tokens["gateways"][:clients])
    one = zhiban("peer1", [pg.tokens["gateway"]])
    return {
        "events": len(events),
        "signals": size("peer_signals"),
        "clients": clients,
        "processes_threads": {
            "zhiban": f"zhiban serve --workers {workers}: {workers} uvicorn processes, each an "
            f"event loop and {threads} transaction threads (http_gateway.THREADS); the job "
            "worker in the supervising process",
            "alerta": f"gunicorn -w {workers} --threads {threads}: {workers} processes of "
            f"{threads} threads (gthread)",
        },
        "alerta": peer,
        "zhiban": fair,
        "zhiban_one_token": one,
        "ratio_events_per_s": fair["ratio_events_per_s"],
        "ratio_one_token": one["ratio_events_per_s"],
        "target": {"ratio_at_least": 10, "tokens": "one per client", "met": fair["target_met"]},
    }


# --- part floor: a raw batched upsert against Zhiban's batches ----------------------------------

FLOOR_TABLE = """CREATE TABLE bench_floor (
    key varchar(300) PRIMARY KEY, klass varchar(10) NOT NULL, count integer NOT NULL,
    first_at {time} NOT NULL, last_at {time} NOT NULL, value varchar(60) NOT NULL,
    text varchar(300) NOT NULL)"""
FLOOR_UPSERT = (
    "INSERT INTO bench_floor (key, klass, count, first_at, last_at, value, text) VALUES {rows} "
    "ON CONFLICT (key) DO UPDATE SET count = bench_floor.count + excluded.count, "
    "last_at = excluded.last_at, klass = excluded.klass, value = excluded.value, "
    "text = excluded.text"
)


def floor(vendor: str, events: list[dict]) -> dict:
    """The raw floor: batches of 1,000 events, de-duplicated by key within the batch, one
    multi-row upsert and one commit per batch, from the parsed events (JSON objects)."""
    if vendor == "postgresql":
        import psycopg

        database = create_database(f"zhiban_bench_floor_{RUN}")
        conn = psycopg.connect(pg_url(database), autocommit=True)
        conn.execute(FLOOR_TABLE.format(time="timestamptz"))
        mark, stamp = "%s", lambda at: at  # psycopg adapts datetimes
    else:
        path = WORK / f"floor-{RUN}.sqlite3"
        path.unlink(missing_ok=True)
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(FLOOR_TABLE.format(time="datetime"))
        mark, stamp = "?", lambda at: at.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    one = "(" + ", ".join([mark] * 7) + ")"
    started = time.perf_counter()
    for batch in chunks(events, 1000):
        rows: dict[str, list] = {}
        for e in batch:
            key = f"{e['source']}|{e['site']}|{e['equipment']}|{e['signal']}"
            at = stamp(datetime.fromisoformat(e["at"]))
            row = rows.get(key)
            if row is None:
                rows[key] = [key, e["class"], 1, at, at, e["value"], e["text"]]
            else:
                row[2] += 1
                row[4], row[5], row[6] = at, e["value"], e["text"]
        conn.execute("BEGIN")
        conn.execute(
            FLOOR_UPSERT.format(rows=", ".join([one] * len(rows))),
            [v for row in rows.values() for v in row],
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    total = conn.execute("SELECT SUM(count) FROM bench_floor").fetchone()[0]
    conn.close()
    if vendor == "postgresql" and not args.keep:
        pg_admin(f'DROP DATABASE IF EXISTS "zhiban_bench_floor_{RUN}" WITH (FORCE)')
    assert total == len(events), (total, len(events))
    return {"elapsed_s": round(elapsed, 2), "events_per_s": round(len(events) / elapsed)}


EVENT_COLUMNS = (
    "source_id, event_id, received_at, occurred_at, alarm_key, action, klass, site_id, "
    "equipment_id, signal, value, text"
)
ALARM_UPSERT = (
    "INSERT INTO alarms_alarm (key, centre_id, source_id, site_id, equipment_id, signal, klass, "
    "priority, state, active, count, first_at, last_at, value, text, suppressed_reason, "
    "version, shelve_reason, created_at, updated_at) {rows} "
    "ON CONFLICT (key) WHERE NOT (state = 'cleared') DO UPDATE SET "
    "count = alarms_alarm.count + excluded.count, last_at = {latest}(alarms_alarm.last_at, "
    "excluded.last_at), klass = excluded.klass, priority = excluded.priority, "
    "value = excluded.value, text = excluded.text, updated_at = excluded.updated_at"
)
PRIORITY = {"accident": 1, "abnormal": 2, "limit": 3, "change": 4, "info": 5}


def same_writes(template: Zhiban, events: list[dict]) -> dict:
    """Zhiban's own writes of a batch by raw SQL, in a copy of its database: every event into
    its table (with its indexes, ``ON CONFLICT DO NOTHING``), the batch's alarms upserted in
    one statement (their table, their indexes), one transaction per batch of 1,000, from the
    parsed events. No validation, no lifecycle, no audit: what storing the events and the
    alarms costs by itself."""
    zb = template.copy("raw")
    conn = zb.connect()
    try:
        pg = zb.vendor == "postgresql"
        mark = "%s" if pg else "?"
        centre, source = zb.ids["centre"], zb.ids["scada"]
        sites = dict(conn.execute(f"SELECT code, id FROM org_site WHERE centre_id = {centre}"))
        equipment: dict[tuple, int] = {}
        for pk, site, name, number in conn.execute(
            "SELECT id, site_id, name, dispatch_number FROM org_equipment"
        ):
            for ref in {name, f"{name} {number}".strip(), number} - {""}:
                equipment[(site, ref)] = pk

        def at(text: str):
            value = datetime.fromisoformat(text)
            return value if pg else value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")

        def values(rows: list[tuple], types: tuple[str, ...]) -> tuple[str, list]:
            if pg:
                arrays = ", ".join(f"%s::{kind}[]" for kind in types)
                return f"SELECT * FROM unnest({arrays})", [list(c) for c in zip(*rows, strict=True)]
            one = "(" + ", ".join([mark] * len(types)) + ")"
            return f"VALUES {', '.join([one] * len(rows))}", [v for row in rows for v in row]

        started = time.perf_counter()
        for batch in chunks(events, 1000):
            now = at(datetime.now(UTC).isoformat())
            rows, alarms = [], {}
            for e in batch:
                site = sites[e["site"]]
                kit = equipment.get((site, e["equipment"])) if e["equipment"] else None
                key = f"{source}|{site}|{kit or ''}|{e['signal']}"
                when = at(e["at"])
                rows.append(
                    (
                        source,
                        e["id"],
                        now,
                        when,
                        key,
                        e["action"],
                        e["class"],
                        site,
                        kit,
                        e["signal"],
                        e["value"],
                        e["text"],
                    )
                )
                alarm = alarms.get(key)
                if alarm is None:
                    alarms[key] = [
                        key,
                        centre,
                        source,
                        site,
                        kit,
                        e["signal"],
                        e["class"],
                        PRIORITY[e["class"]],
                        "unacked",
                        True,
                        1,
                        when,
                        when,
                        e["value"],
                        e["text"],
                        "",
                        1,
                        "",
                        now,
                        now,
                    ]
                else:
                    alarm[10] += 1
                    alarm[12], alarm[13], alarm[14] = max(alarm[12], when), e["value"], e["text"]
            conn.execute("BEGIN")
            for part in chunks(rows, 1000 if pg else 500):
                sql, params = values(
                    part,
                    (
                        "bigint",
                        "text",
                        "timestamptz",
                        "timestamptz",
                        "text",
                        "text",
                        "text",
                        "bigint",
                        "bigint",
                        "text",
                        "text",
                        "text",
                    ),
                )
                conn.execute(
                    f"INSERT INTO alarms_alarmevent ({EVENT_COLUMNS}) {sql} "
                    "ON CONFLICT (source_id, event_id) DO NOTHING RETURNING id",
                    params,
                ).fetchall()
            for part in chunks(list(alarms.values()), 1000 if pg else 400):
                sql, params = values(
                    part,
                    (
                        "text",
                        "bigint",
                        "bigint",
                        "bigint",
                        "bigint",
                        "text",
                        "text",
                        "int",
                        "text",
                        "boolean",
                        "int",
                        "timestamptz",
                        "timestamptz",
                        "text",
                        "text",
                        "text",
                        "int",
                        "text",
                        "timestamptz",
                        "timestamptz",
                    ),
                )
                latest = "GREATEST" if pg else "MAX"
                conn.execute(ALARM_UPSERT.format(rows=sql, latest=latest), params)
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - started
    finally:
        conn.close()
        zb.drop()
    return {"elapsed_s": round(elapsed, 2), "events_per_s": round(len(events) / elapsed)}


def zhiban_http_batches(template: Zhiban, events: list[dict], clients: int = 4) -> dict:
    zb = template.copy("batches")
    try:
        bodies = [json.dumps(b, ensure_ascii=False).encode() for b in chunks(events, 1000)]
        with zb.serve(workers=2) as base:
            sent = send_all(base, "/api/events", bodies, clients, [zb.tokens["gateway"]])
        answers = tally(sent.pop("answers"))
        stored = zb.stored_events("sim-bench-")
    finally:
        zb.drop()
    return {
        "elapsed_s": sent["elapsed_s"],
        "events_per_s": round(len(events) / sent["elapsed_s"]),
        "batch_latency_ms": sent["latency_ms"],
        "clients": clients,
        "http_5xx": sent["http_5xx"],
        "answers": answers,
        "stored": stored,
        "lost": len(events) - stored,
    }


def zhiban_mqtt(template: Zhiban, events: list[dict], gateways: int = 2) -> dict:
    """Published as fast as the broker confirms (QoS 1); timed until every event is stored."""
    zb = template.copy("mqtt")
    topic = f"zhiban-bench/{RUN}/events"
    try:
        with zb.gateways(topic, gateways):
            publisher = Publisher()
            started = time.perf_counter()
            pending = [publisher.publish(topic, batch) for batch in chunks(events, 1000)]
            for info in pending:
                info.wait_for_publish(timeout=120)
            published = time.perf_counter() - started
            stored, deadline = 0, time.monotonic() + 600
            while stored < len(events) and time.monotonic() < deadline:
                time.sleep(0.05)
                stored = zb.stored_events("sim-bench-")
            elapsed = time.perf_counter() - started
            publisher.close()
    finally:
        zb.drop()
    return {
        "elapsed_s": round(elapsed, 2),
        "published_s": round(published, 2),
        "events_per_s": round(len(events) / elapsed),
        "gateways": gateways,
        "stored": stored,
        "lost": len(events) - stored,
    }


def part_floor(templates: dict[str, Zhiban]) -> dict:
    results = {}
    for vendor, template in templates.items():
        events = template.stream(seed=21, count=size("floor_events"), signals=size("floor_signals"))
        say(f"floor on {vendor}: {len(events)} events")
        base = floor(vendor, events)
        say(f"Zhiban's writes by raw SQL on {vendor}")
        raw = same_writes(template, events)
        say(f"Zhiban HTTP batches on {vendor}")
        over_http = zhiban_http_batches(template, events)
        over_mqtt = None
        if HAVE_MQTT:
            say(f"Zhiban MQTT on {vendor}")
            over_mqtt = zhiban_mqtt(template, events)
        results[vendor] = {
            "events": len(events),
            "signals": size("floor_signals"),
            "floor": base,
            "same_writes_raw": {
                **raw,
                "ratio_to_floor": ratio(raw["events_per_s"], base["events_per_s"]),
            },
            "http_batches": {
                **over_http,
                "ratio_to_floor": ratio(over_http["events_per_s"], base["events_per_s"]),
            },
            "mqtt": over_mqtt
            and {
                **over_mqtt,
                "ratio_to_floor": ratio(over_mqtt["events_per_s"], base["events_per_s"]),
            },
        }
    return results


# --- part live: publish → the alarm on an open console ------------------------------------------


def part_live(template: Zhiban) -> dict:
    """2,000 events/s published in tenths of a second, each tenth with a marker event on a
    signal of its own; its latency runs from the publish to the push that names its new alarm
    on 张伟's console. The background signals' alarms exist beforehand (warm-up), so each push
    names only the markers as new."""
    rate, seconds, tick = 2000, size("live_seconds"), 0.1
    background = template.stream(seed=31, count=rate * seconds + 2000, signals=2000)
    warm, steady = chunks(background[:2000], 1000), chunks(background[2000:], int(rate * tick))
    zb = template.copy("live")
    topic = f"zhiban-bench/{RUN}/live"
    try:
        with zb.serve(workers=2) as base, zb.gateways(topic, 2):
            publisher = Publisher()
            for batch in warm:
                publisher.publish(topic, batch).wait_for_publish(timeout=60)
            deadline = time.monotonic() + 120
            while zb.stored_events("sim-bench-31-") < 2000 and time.monotonic() < deadline:
                time.sleep(0.1)
            sent: dict[str, float] = {}

            def publish() -> None:
                begin = time.monotonic()
                for n, batch in enumerate(steady):
                    if (wait := begin + n * tick - time.monotonic()) > 0:
                        time.sleep(wait)
                    marker = dict(batch[-1], id=f"bench-marker-{RUN}-{n}", site=batch[0]["site"])
                    marker.update(equipment="", signal=f"标记{n:05d}", action="raise")
                    sent[marker["signal"]] = time.perf_counter()
                    publisher.publish(topic, [*batch, marker])

            with console(base, "zhangwei") as ws:
                started = time.perf_counter()
                thread = threading.Thread(target=publish, daemon=True)
                thread.start()
                seen = watch(ws, sent, thread)
                wall = time.perf_counter() - started
            stored = zb.stored_events("sim-bench-31-") - 2000
            publisher.close()
    finally:
        zb.drop()
    latency = pct(list(seen.values()))
    return {
        "database": template.vendor,
        "rate_target": rate,
        "seconds": seconds,
        "background_published": len(background) - 2000,
        "background_stored_by_the_end": stored,
        "markers": len(sent),
        "markers_seen": len(seen),
        "latency_ms": latency,
        "target": {
            "p99_ms_below": 1000,
            "met": len(seen) == len(sent) and latency["p99"] is not None and latency["p99"] < 1000,
        },
        "wall_s": round(wall, 1),
    }


@contextlib.contextmanager
def console(base: str, username: str):
    """A person's open console: the live websocket (/ws/live/) with their session."""
    from websockets.sync.client import connect

    headers = {"Cookie": login(urlparse(base).port, username), "Origin": base}
    with connect(base.replace("http://", "ws://") + "/ws/live/", additional_headers=headers) as ws:
        ws.recv(timeout=10)  # the unread count, sent on connect
        yield ws


def watch(ws, sent: dict[str, float], publisher: threading.Thread, grace: float = 5) -> dict:
    """Latency of each marker signal: the first push naming its alarm as new. Watches until
    the publisher is done and every marker is seen (or ``grace`` s have passed)."""
    seen: dict[str, float] = {}
    finish = None
    while finish is None or (time.monotonic() < finish and len(seen) < len(sent)):
        if finish is None and not publisher.is_alive():
            finish = time.monotonic() + grace
        try:
            message = json.loads(ws.recv(timeout=0.5))
        except TimeoutError:
            continue
        now = time.perf_counter()
        if message.get("kind") == "alarms":
            for alarm in message.get("new", []):
                signal = alarm.get("signal", "")
                if signal in sent and signal not in seen:
                    seen[signal] = now - sent[signal]
    return seen


# --- part list: the console's list with 2 million alarms -----------------------------------------

SHOWN = "a.state IN ('unacked', 'acked', 'cleared_unacked', 'shelved')"  # filters.SHOWN_STATES
URGENT_FIRST = "a.priority ASC, a.last_at DESC, a.id DESC"  # Alarm.Meta.ordering
LIST_QUERIES = {  # name: (query string, WHERE beyond the centre, ORDER BY)
    "default": ("", SHOWN, URGENT_FIRST),
    "class_filter": ("klass=accident", f"{SHOWN} AND a.klass = 'accident'", URGENT_FIRST),
    "cleared_history": ("state=cleared", "a.state = 'cleared'", "a.last_at DESC, a.id DESC"),
}
# the joins of selectors.alarm_list (select_related) and the page's LIMIT (200 + 1)
FLOOR_SQL = (
    "SELECT a.*, s.*, e.*, src.*, ab.id, ab.name, sb.id, sb.name FROM alarms_alarm a "
    "INNER JOIN org_site s ON s.id = a.site_id "
    "LEFT JOIN org_equipment e ON e.id = a.equipment_id "
    "INNER JOIN alarms_alarmsource src ON src.id = a.source_id "
    "LEFT JOIN org_person ab ON ab.id = a.acked_by_id "
    "LEFT JOIN org_person sb ON sb.id = a.shelved_by_id "
    "WHERE a.centre_id = {centre} AND {where} ORDER BY {order} LIMIT 201"
)
SIGNALS = {
    "accident": ["开关事故跳闸"],
    "abnormal": [
        "控制回路断线",
        "弹簧未储能",
        "直流系统接地",
        "主变油温高",
        "保护动作",
        "重合闸动作",
    ],
    "limit": ["母线电压越上限", "母线电压越下限", "负荷越限"],
    "change": ["开关变位"],
    "info": ["有载调压档位变化", "风冷启动", "遥控操作成功"],
}
CLASS_WEIGHTS = {"accident": 0.005, "abnormal": 0.2, "limit": 0.25, "change": 0.35, "info": 0.195}
PRIORITY = {"accident": 1, "abnormal": 2, "limit": 3, "change": 4, "info": 5}


ALARM_COLUMNS = (
    "version, created_at, updated_at, key, centre_id, source_id, site_id, equipment_id, "
    "signal, klass, priority, state, active, count, first_at, last_at, cleared_at, value, "
    "text, acked_at, acked_by_id, shelve_reason, suppressed_reason"
)
OPEN_STATES = ("unacked", "acked", "cleared_unacked", "acked")  # acknowledged ones are many


def alarm_rows(zb: Zhiban, total: int, open_count: int):
    """A year of the centre's alarms up to now on its breakers, buses and transformers, in
    ``ALARM_COLUMNS`` order: all cleared (and acknowledged) but the last ``open_count``, which
    are of the last three days, each on a key of its own (one open alarm per key)."""
    conn = zb.connect()
    equipment = conn.execute(
        "SELECT e.id, e.site_id FROM org_equipment e JOIN org_site s ON s.id = e.site_id "
        f"WHERE s.centre_id = {zb.ids['centre']} "
        "AND e.kind IN ('breaker', 'bus', 'main_transformer') ORDER BY e.id"
    ).fetchall()
    conn.close()
    rng = random.Random(5)
    classes, weights = list(CLASS_WEIGHTS), list(CLASS_WEIGHTS.values())
    now, year = datetime.now(UTC), 365 * 86400
    centre, source, person = zb.ids["centre"], zb.ids["scada"], zb.ids["zhangwei"]
    for n in range(total):
        klass = rng.choices(classes, weights)[0]
        equipment_id, site_id = equipment[n % len(equipment)]
        signal = rng.choice(SIGNALS[klass])
        key = f"{source}|{site_id}|{equipment_id}|{signal}"
        if n < total - open_count:
            first = now - timedelta(seconds=year * (1 - n / total) + 3600)
            state = "cleared"
        else:
            first = now - timedelta(seconds=rng.uniform(60, 3 * 86400))
            state, key = rng.choice(OPEN_STATES), f"{key}#{n}"
        last = first + timedelta(seconds=rng.uniform(0, 3600))
        active = state in ("unacked", "acked")
        acked = state in ("acked", "cleared")
        yield (
            *(1, first, last, key, centre, source, site_id, equipment_id),
            *(signal, klass, PRIORITY[klass], state, active, rng.randint(1, 20), first, last),
            *(None if active else last, "", signal, last if acked else None),
            *(person if acked else None, "", ""),
        )


def bulk_load(zb: Zhiban, total: int, open_count: int) -> float:
    started = time.perf_counter()
    rows = alarm_rows(zb, total, open_count)
    conn = zb.connect()
    if zb.vendor == "postgresql":
        with (
            conn.cursor() as cursor,
            cursor.copy(f"COPY alarms_alarm ({ALARM_COLUMNS}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        conn.execute("VACUUM ANALYZE alarms_alarm")
    else:

        def text(row):
            return tuple(
                v.replace(tzinfo=None).isoformat(" ") if isinstance(v, datetime) else v for v in row
            )

        marks = ", ".join("?" * len(ALARM_COLUMNS.split(",")))
        while True:
            chunk = [text(r) for r in itertools.islice(rows, 50_000)]
            if not chunk:
                break
            conn.execute("BEGIN")
            conn.executemany(f"INSERT INTO alarms_alarm ({ALARM_COLUMNS}) VALUES ({marks})", chunk)
            conn.execute("COMMIT")
        conn.execute("ANALYZE")
    conn.close()
    return time.perf_counter() - started


def part_list(template: Zhiban) -> dict:
    total, requests = size("list_alarms"), size("list_requests")
    open_count = min(3000, total // 100)
    zb = template.copy("list")
    try:
        say(f"loading {total:,} alarms into {zb.vendor}")
        load_s = bulk_load(zb, total, open_count)
        rows = int(zb.scalar("SELECT COUNT(*) FROM alarms_alarm"))
        results = {}
        conn = zb.connect()
        with zb.serve(workers=2) as base:
            where = urlparse(base)
            client = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
            headers = {"Authorization": f"Bearer {zb.tokens['zhangwei']}"}
            for name, (query, condition, order) in LIST_QUERIES.items():
                path = "/api/centres/suwu/alarms" + (f"?{query}" if query else "")
                sql = FLOOR_SQL.format(centre=zb.ids["centre"], where=condition, order=order)
                api, raw, items = [], [], 0
                for n in range(requests + 5):
                    start = time.perf_counter()
                    client.request("GET", path, headers=headers)
                    answer = client.getresponse()
                    body = answer.read()
                    middle = time.perf_counter()
                    found = conn.execute(sql).fetchall()
                    end = time.perf_counter()
                    assert answer.status == 200, (answer.status, body[:300])
                    if n >= 5:  # warm-up
                        api.append(middle - start)
                        raw.append(end - middle)
                    items = len(json.loads(body)["items"])
                a, f = pct(api), pct(raw)
                results[name] = {
                    "path": path,
                    "items": items,
                    "floor_rows": len(found),
                    "api_ms": a,
                    "floor_ms": f,
                    "ratio_p50": ratio(a["p50"], f["p50"]),
                    "ratio_p95": ratio(a["p95"], f["p95"]),
                    "target": {"p95_ms_below": 100, "met": a["p95"] < 100},
                }
            client.close()
        conn.close()
    finally:
        zb.drop()
    return {
        "database": zb.vendor,
        "alarms": rows,
        "open": open_count,
        "load_s": round(load_s, 1),
        "requests": requests,
        "queries": results,
    }


# --- the run --------------------------------------------------------------------------------------


def main() -> None:
    started = time.perf_counter()
    parts = args.part or list(PARTS)
    load_before = os.getloadavg()[0]
    vendors = ["postgresql", "sqlite"] if HAVE_PG else ["sqlite"]
    notes = []
    if not HAVE_PG:
        notes.append(f"no PostgreSQL at {args.postgres}: peer and PostgreSQL runs skipped")
    if not HAVE_REDIS:
        notes.append(f"no Redis at {args.redis}: one web process, live part skipped")
    if not HAVE_MQTT:
        notes.append(f"no MQTT broker at {args.mqtt}: MQTT runs skipped")
    if parts == ["peer"]:
        vendors = vendors[:1]  # PostgreSQL only
    templates = {v: Zhiban(v, f"{v[:2]}tpl") for v in vendors}
    results: dict = {}
    summary: list[str] = []
    try:
        if "peer" in parts and HAVE_PG:
            r = results["peer"] = part_peer(templates["postgresql"])
            z, one, a = r["zhiban"], r["zhiban_one_token"], r["alerta"]
            summary.append(
                f"peer (PostgreSQL, {r['events']} events / {r['signals']} signals, "
                f"{r['clients']} clients, one event per request, 2 processes × "
                f"{r['processes_threads']['alerta'].split(' of ')[1].split()[0]} threads each): "
                f"Zhiban, a token per client, {z['requests_per_s']}/s p50 "
                f"{z['latency_ms']['p50']} p99 {z['latency_ms']['p99']} ms, 5xx {z['http_5xx']}, "
                f"lost {z['lost']}; Alerta {a['requests_per_s']}/s p50 {a['latency_ms']['p50']} "
                f"p99 {a['latency_ms']['p99']} ms, 5xx {a['http_5xx']}, lost {a['lost']}; "
                f"×{r['ratio_events_per_s']} (target ≥ 10×: "
                f"{'met' if r['target']['met'] else 'MISSED'}); one token for all clients: "
                f"Zhiban {one['requests_per_s']}/s p50 {one['latency_ms']['p50']} p99 "
                f"{one['latency_ms']['p99']} ms, 5xx {one['http_5xx']}, lost {one['lost']}, "
                f"×{r['ratio_one_token']}"
            )
        if "floor" in parts:
            r = results["floor"] = part_floor(templates)
            for vendor, v in r.items():
                mqtt = v["mqtt"]
                summary.append(
                    f"batches ({vendor}, {v['events']} events / {v['signals']} signals): floor "
                    f"{v['floor']['events_per_s']}/s; HTTP {v['http_batches']['events_per_s']}/s "
                    f"×{v['http_batches']['ratio_to_floor']}"
                    + (f"; MQTT {mqtt['events_per_s']}/s ×{mqtt['ratio_to_floor']}" if mqtt else "")
                    + " of the floor (target ≥ 0.25); Zhiban's writes alone by raw SQL "
                    f"{v['same_writes_raw']['events_per_s']}/s "
                    f"×{v['same_writes_raw']['ratio_to_floor']}"
                )
        if "live" in parts and HAVE_REDIS and HAVE_MQTT:
            r = results["live"] = [part_live(t) for t in templates.values()]
            for v in r:
                summary.append(
                    f"live ({v['database']}, {v['rate_target']} events/s for "
                    f"{v['seconds']} s): publish → console p50 {v['latency_ms']['p50']} / p99 "
                    f"{v['latency_ms']['p99']} ms, {v['markers_seen']}/{v['markers']} markers "
                    f"(target p99 < 1 s: {'met' if v['target']['met'] else 'MISSED'})"
                )
        if "list" in parts:
            r = results["list"] = [part_list(t) for t in templates.values()]
            for v in r:
                q = v["queries"]
                summary.append(
                    f"list ({v['database']}, {v['alarms']:,} alarms): "
                    + "; ".join(
                        f"{name} p50 {x['api_ms']['p50']} / p95 {x['api_ms']['p95']} ms "
                        f"(floor {x['floor_ms']['p50']} / {x['floor_ms']['p95']})"
                        for name, x in q.items()
                    )
                    + f" (target p95 < 100 ms: {'met' if all(x['target']['met'] for x in q.values()) else 'MISSED'})"
                )
    finally:
        for template in templates.values():
            template.drop()
        if not args.keep and not args.work:
            shutil.rmtree(WORK, ignore_errors=True)
        if HAVE_REDIS:
            forget_redis_keys()
    print(
        json.dumps(
            {
                "bench": "alarms_ingest",
                "quick": args.quick,
                "parts": parts,
                **results,
                "notes": notes,
                "cores": os.cpu_count(),
                "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "total_s": round(time.perf_counter() - started, 1),
            },
            ensure_ascii=False,
        )
    )
    for line in summary:
        print(f"alarms_ingest: {line}")
    for note in notes:
        print(f"alarms_ingest: note: {note}")


def forget_redis_keys() -> None:
    """The run's keys (its prefix) go; other users of the Redis database are left alone."""
    import redis

    client = redis.Redis.from_url(args.redis)
    for key in client.scan_iter(match=f"*zb_bench_{RUN}_*", count=1000):
        client.delete(key)


main()
