"""The company shape of DESIGN.md ("Runtime shapes", issue 16) on loopback, for
tests/test_company_shape.py and bench/company_shape.py.

PostgreSQL and Redis always, whatever the suite runs on: the company shape is them. A database
of its own (on the suite's PostgreSQL pass a copy of the run's demo template, tests/fresh.py;
otherwise a new one on 127.0.0.1 filled by ``zhiban demo``) and a Redis prefix of its own; a
Mosquitto of its own (tests/broker.py); two ``zhiban serve --no-worker`` on two ports, two
``zhiban ingest mqtt`` in one share group, one ``zhiban worker``.

The storm (``Company.storm``): events of suwu-scada at 苏吴 SW110 breaker 752 over MQTT and
over ``POST /api/events`` to both ports, each with an id of its own (a batch that got no
answer goes to the other port again, the same ids); probe events, each on a signal of its own
(a new alarm), timed from sending to the push naming their alarm on every open console (two
per web process, ``/ws/live/``, reconnecting when their process dies); people acknowledging
the probe alarms their consoles show and writing duty-log entries through the API,
round-robin over the ports. Mid-storm one process of each kind is killed (SIGKILL) and started
again; while the worker is down a person switches severe-weather mode on, whose chat message
only a worker sends. At the end the stations send their first message and batch again (as a
station that lost its link does) and a last probe goes out on each path. Everything sent,
answered and pushed is kept for the test to check and the bench to measure."""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import os
import queue
import re
import signal
import subprocess
import threading
import time
import traceback
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import paho.mqtt.client as paho
import psycopg

from .fresh import ZHIBAN, free_port, fresh_env, stop, zhiban
from .robot import Robot

POSTGRES = "postgres://postgres@127.0.0.1:5432"  # when the suite itself runs on SQLite
REDIS = "redis://127.0.0.1:6379/0"  # when the suite has no REDIS_URL (a prefix of its own)
PASSWORD = "Zhiban#2026"  # every demo person's password (zhiban.org.demo)
CENTRE, SOURCE, SITE, BREAKER = "suwu", "suwu-scada", "SW110", "752"
TOPIC = "zhiban/events/suwu"
CONSOLES = (("zhangwei", "liuyang"), ("chenjing", "wanglei"))  # open on web 0, on web 1
PEOPLE = ("zhangwei", "liuyang", "chenjing")  # acting through the API
SIGNALS = 20  # the storm's own signals at the breaker: 20 alarms, counted up
REFUSED, UNANSWERED = 0, -1  # statuses of a request that never reached a server / got no answer


# --- a Zhiban of its own on PostgreSQL and Redis ------------------------------------------------


def _admin(url: str, statement: str) -> None:
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(statement)


@contextlib.contextmanager
def company_env(postgres: str = POSTGRES, redis_url: str = ""):
    """The demo in a PostgreSQL database of its own with a Redis prefix of its own: the run's
    template copied on the suite's PostgreSQL pass (DATABASE_URL), else ``zhiban demo`` into
    a new database on ``postgres`` (about two minutes); dropped, and the Redis keys removed,
    at the end."""
    redis_url = redis_url or os.environ.get("REDIS_URL") or REDIS
    if os.environ.get("DATABASE_URL"):
        with fresh_env(start="demo", REDIS_URL=redis_url) as env:
            try:
                yield env
            finally:
                forget_redis(env)
        return
    server = postgres.rstrip("/")
    if server.count("/") > 2:  # a database named: the server's
        server = server.rsplit("/", 1)[0]
    url = f"{server}/zhiban_company_{uuid.uuid4().hex[:10]}"
    _admin(url, f'CREATE DATABASE "{url.rsplit("/", 1)[1]}"')
    try:
        with fresh_env(DATABASE_URL=url, REDIS_URL=redis_url) as env:
            try:
                done = zhiban(env, "demo", timeout=900)
                assert done.returncode == 0, done.stdout + done.stderr
                yield env
            finally:
                forget_redis(env)
    finally:
        _admin(url, f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def forget_redis(env) -> None:
    """The keys of this Zhiban's prefix (channel layer, cache; Huey's jobs under the prefix
    without its other characters than letters, digits and _); others' stay."""
    import redis

    prefix = env["ZHIBAN_REDIS_PREFIX"]
    client = redis.Redis.from_url(env["REDIS_URL"])
    for name in {prefix, re.sub(r"[^A-Za-z0-9_]", "", prefix)}:
        for key in client.scan_iter(match=f"*{name}*", count=1000):
            client.delete(key)
    client.close()


SETUP = """
import json
from zhiban.alarms.models import AlarmSource
from zhiban.core import services as core
from zhiban.org import services
from zhiban.org.models import Centre, Person

def token(login, sources=()):
    person = Person.objects.get(username=login)
    return services.api_token_create(actor=person, source="cli", name="company", sources=sources)[1]

centre = Centre.objects.get(code=CENTRE)
core.chat_robot_create(actor=Person.objects.get(username="admin"), source="cli", centre=centre,
    data={"name": "company", "channel": "wecom", "url": ROBOT, "secret": "",
          "min_level": "warning", "active": True})
print(json.dumps({
    "gateways": [token("gw-suwu-scada", [SOURCE]) for _ in range(GATEWAYS)],
    "people": {login: token(login) for login in PEOPLE},
    "source": AlarmSource.objects.get(code=SOURCE).pk,
}))
"""


# --- the processes ------------------------------------------------------------------------------


class Process:
    """A ``zhiban`` process of the shape: started (again), killed, stopped; its log."""

    def __init__(self, env, name: str, args: list[str], ready):
        self.env, self.name, self.args, self._ready = env, name, args, ready
        self.log_path = Path(env["ZHIBAN_DATA"]) / f"{name}.log"
        self.popen: subprocess.Popen | None = None
        self.since = 0  # where this start's lines begin in the log

    def start(self) -> Process:
        self.since = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "a") as log:
            self.popen = subprocess.Popen(
                [*ZHIBAN, *self.args], env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        return self

    def log(self) -> str:
        """What this start has written."""
        with open(self.log_path, errors="replace") as log:
            log.seek(self.since)
            return log.read()

    def wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while not self._ready(self):
            tail = self.log()[-3000:]
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited ({self.popen.returncode}):\n{tail}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not ready after {timeout} s:\n{tail}")
            time.sleep(0.2)

    def kill(self) -> None:
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            stop(self.popen)


def web_ready(port: int):
    return lambda process: call(port, "GET", "/healthz", timeout=5)[0] == 200


def said(text: str):
    return lambda process: text in process.log()


# --- talking to the web processes ---------------------------------------------------------------


def call(port: int, method: str, path: str, body=None, headers=None, timeout: float = 60):
    """One request on a connection of its own: (status, JSON or None). ``REFUSED``: it never
    reached a server; ``UNANSWERED``: no answer (the server may have done it)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    headers = dict(headers or {})
    if body is not None:
        body = json.dumps(body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
    except ConnectionRefusedError:
        return REFUSED, None
    except (OSError, http.client.HTTPException):
        return UNANSWERED, None
    finally:
        conn.close()
    try:
        return answer.status, json.loads(data)
    except ValueError:
        return answer.status, None


def login(port: int, username: str) -> str:
    """The session cookie of a person logged in through /login/ (as a browser does)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    cookies: dict[str, str] = {}

    def step(method, path, body=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        answer = conn.getresponse()
        text = answer.read().decode()
        for value in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            cookies.update({k: m.value for k, m in jar.items()})
        return answer.status, text

    _, page = step("GET", "/login/")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    status, _ = step("POST", "/login/", urlencode(form))
    conn.close()
    assert status == 302 and "sessionid" in cookies, f"{username} could not log in ({status})"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


# --- the storm's clients ------------------------------------------------------------------------


@dataclass
class Probe:
    """An event on a signal of its own: its alarm is new, and its push names it."""

    id: str
    signal: str
    channel: str  # mqtt, http
    sent: float  # monotonic
    closing: bool = False  # sent after the storm, every process up


class Probes:
    def __init__(self, run: str):
        self.run, self.by_signal, self.lock = run, {}, threading.Lock()
        self.numbers = itertools.count()

    def make(self, channel: str, *, closing: bool = False) -> dict:
        n = next(self.numbers)
        probe = Probe(
            f"{self.run}-p{n}",
            f"company {self.run} 探针{n:04d}",
            channel,
            time.monotonic(),
            closing,
        )
        with self.lock:
            self.by_signal[probe.signal] = probe
        return event(probe.id, probe.signal)

    def all(self) -> list[Probe]:
        with self.lock:
            return list(self.by_signal.values())


def event(event_id: str, signal: str) -> dict:
    return {
        "source": SOURCE,
        "id": event_id,
        "at": datetime.now(UTC).isoformat(),
        "site": SITE,
        "equipment": BREAKER,
        "signal": signal,
        "class": "abnormal",
        "action": "raise",
    }


def storm_event(run: str, event_id: str, n: int) -> dict:
    return event(event_id, f"company {run} 信号{n % SIGNALS}")


class Client(threading.Thread):
    """A thread of the storm whose failure is kept (``Company.errors``) for the test to show,
    instead of being printed and forgotten."""

    def __init__(self, company: Company, name: str):
        super().__init__(daemon=True, name=name)
        self.company = company

    def run(self) -> None:
        try:
            self.work()
        except Exception:
            self.company.errors.append(f"{self.name}: {traceback.format_exc()}")

    def work(self) -> None:
        raise NotImplementedError


def paced(begin: float, interval: float, stopping: threading.Event):
    """Tick numbers at ``begin + n * interval`` (late ticks at once) until ``stopping``."""
    for n in itertools.count():
        wait = begin + n * interval - time.monotonic()
        if stopping.wait(max(wait, 0)):
            return
        yield n


class Publisher(Client):
    """The MQTT side of the stations: every 0.1 s a JSON array of ``rate / 10`` events at
    QoS 1 to the broker, a probe among them every ``probe_every`` s."""

    def __init__(self, company: Company, rate: int, probe_every: float):
        super().__init__(company, "publisher")
        self.rate, self.probe_every = rate, probe_every
        self.ids: list[str] = []
        self.client = paho.Client(paho.CallbackAPIVersion.VERSION2, protocol=paho.MQTTv5)
        self.client.max_inflight_messages_set(100)
        self.client.connect(company.broker.host, company.broker.port)
        self.client.loop_start()
        self.sent: list[paho.MQTTMessageInfo] = []
        self.first: list[dict] = []  # the first message's events, sent again at the end

    def publish(self, events: list[dict]) -> None:
        self.first = self.first or events
        self.ids += [e["id"] for e in events]
        payload = json.dumps(events, ensure_ascii=False).encode()
        self.sent.append(self.client.publish(TOPIC, payload, qos=1))

    def work(self) -> None:
        c, per_tick, next_probe = self.company, self.rate / 10, 0.0
        numbers = itertools.count()
        for tick in paced(c.begin, 0.1, c.storm_over):
            count = int((tick + 1) * per_tick) - int(tick * per_tick)
            events = [
                storm_event(c.run, f"{c.run}-m{n}", n) for n in itertools.islice(numbers, count)
            ]
            if tick * 0.1 >= next_probe:
                events.append(c.probes.make("mqtt"))
                next_probe += self.probe_every
            self.publish(events)

    def close(self) -> None:
        for info in self.sent:
            info.wait_for_publish(timeout=60)
        self.client.disconnect()
        self.client.loop_stop()


class HttpGateway(Client):
    """A station gateway over ``POST /api/events`` with a token of its own: a batch of
    ``batch`` events every ``interval`` s, round-robin over the web processes. A batch that
    got no answer, or 503 (not stored), goes to the next process again, the same ids, until
    answered 200."""

    def __init__(self, company: Company, number: int, token: str, batch: int, interval: float):
        super().__init__(company, f"http-{number}")
        self.number, self.batch, self.interval = number, batch, interval
        self.headers = {"Authorization": f"Bearer {token}"}
        self.ports = itertools.cycle(company.ports[number % 2 :] + company.ports[: number % 2])
        self.ids: list[str] = []
        self.answers: dict[str, list[str]] = {}  # id → the statuses it was answered with
        self.resent: set[str] = set()  # ids sent again after a request that got no answer
        self.failures = 0  # requests refused or unanswered
        self.unavailable = 0  # requests answered 503: not stored, to be sent again
        self.unexpected: list[tuple[int, object]] = []  # other answers than 200 and 503
        self.first: list[dict] = []  # the first batch, sent again at the end
        self.probe_every = company.plan.probe_every if number == 0 else 0

    def send(self, events: list[dict]) -> None:
        """Until answered; the answer's items by id."""
        self.first = self.first or events
        self.ids += [e["id"] for e in events]
        for attempt in itertools.count():
            status, body = call(next(self.ports), "POST", "/api/events", events, self.headers)
            if status == 200:
                self.take(body)
                return
            if status in (REFUSED, UNANSWERED):
                self.failures += 1
            elif status == 503:  # "not stored, send them again" (INC-1)
                self.unavailable += 1
            else:
                self.unexpected.append((status, body))
            if status == UNANSWERED:
                self.resent |= {e["id"] for e in events}
            if self.company.finished.is_set():
                return
            time.sleep(min(0.05 * attempt, 0.5))

    def take(self, body: dict) -> None:
        for item in body["items"]:
            self.answers.setdefault(item["id"], []).append(item["status"])

    def work(self) -> None:
        c, numbers, next_probe = self.company, itertools.count(), 0.0
        for tick in paced(c.begin, self.interval, c.storm_over):
            batch = [
                storm_event(c.run, f"{c.run}-h{self.number}-{n}", n)
                for n in itertools.islice(numbers, self.batch)
            ]
            if self.probe_every and tick * self.interval >= next_probe:
                batch.append(c.probes.make("http"))
                next_probe += self.probe_every
            self.send(batch)


@dataclass
class Console:
    """A person's open console on one web process: the live websocket, opened again when it
    drops (its process killed), every push kept with its arrival time (monotonic)."""

    person: str
    port: int
    cookie: str = ""
    connected: list[list] = field(default_factory=list)  # [from, until or None]
    seen: dict[str, float] = field(default_factory=dict)  # probe signal → first push naming it
    changed: dict[int, float] = field(default_factory=dict)  # alarm id → first push changing it

    def connected_through(self, start: float, end: float) -> bool:
        return any(a <= start and (b is None or b >= end) for a, b in self.connected)

    def watch(self, company: Company) -> None:
        from websockets.exceptions import WebSocketException
        from websockets.sync.client import connect

        base = f"127.0.0.1:{self.port}"
        headers = {"Cookie": self.cookie, "Origin": f"http://{base}"}
        while not company.finished.is_set():
            try:
                ws = connect(
                    f"ws://{base}/ws/live/",
                    additional_headers=headers,
                    open_timeout=10,
                    ping_interval=None,
                )
            except (OSError, TimeoutError, WebSocketException):
                time.sleep(0.3)
                continue
            with ws:
                try:
                    ws.recv(timeout=30)  # the unread count: it is in its groups from now on
                    self.connected.append([time.monotonic(), None])
                    while not company.finished.is_set():
                        with contextlib.suppress(TimeoutError):
                            self.take(company, json.loads(ws.recv(timeout=0.5)))
                except (OSError, TimeoutError, WebSocketException):
                    pass
            if self.connected and self.connected[-1][1] is None:
                self.connected[-1][1] = time.monotonic()

    def take(self, company: Company, push: dict) -> None:
        now = time.monotonic()
        if push.get("kind") != "alarms":
            return
        for alarm in push["new"]:
            if alarm["signal"] in company.probes.by_signal:
                self.seen.setdefault(alarm["signal"], now)
                company.desk.shown(alarm["id"])
        new = {alarm["id"] for alarm in push["new"]}
        for alarm_id in push["changed"]:
            if alarm_id not in new:  # changed since it was new: acknowledged
                self.changed.setdefault(alarm_id, now)


class Desk:
    """Which person acknowledges which probe alarm: the first console to show it hands it on,
    by turns."""

    def __init__(self, people: int):
        self.todo = [queue.Queue() for _ in range(people)]
        self.given: set[int] = set()
        self.lock = threading.Lock()

    def shown(self, alarm_id: int) -> None:
        with self.lock:
            if alarm_id in self.given:
                return
            self.given.add(alarm_id)
        self.todo[len(self.given) % len(self.todo)].put(alarm_id)


@dataclass
class Action:
    """One action of a person and how it went: each attempt's (port, status, JSON)."""

    kind: str  # ack, log, weather
    what: str  # the alarm id, the log entry's text, the weather's reason
    started: float = field(default_factory=time.monotonic)
    attempts: list[tuple] = field(default_factory=list)

    @property
    def status(self) -> int:
        return self.attempts[-1][1]

    @property
    def answer(self) -> dict:
        return self.attempts[-1][2] or {}


class Person(Client):
    """A person acting through the API with a token of their own, round-robin over the web
    processes: acknowledges the probe alarms given them (INC-2), writes a duty-log entry every
    ``log_every`` s (DUTY-6), and once, when asked, switches severe-weather mode on (DUTY-9).
    An acknowledgement or the weather is tried again on the next process until answered (the
    state keeps a second one from being stored); a log entry only when it never reached a
    server, else it stays unanswered."""

    def __init__(self, company: Company, number: int, login: str, token: str):
        super().__init__(company, f"person-{login}")
        self.number, self.login = number, login
        self.headers = {"Authorization": f"Bearer {token}"}
        self.ports = itertools.cycle(company.ports[number % 2 :] + company.ports[: number % 2])
        self.actions: list[Action] = []
        self.weather_asked = threading.Event()
        self.weather_done = threading.Event()

    def act(self, kind: str, what: str, path: str, body=None, *, retry: bool) -> Action:
        action = Action(kind, what)
        self.actions.append(action)
        for attempt in itertools.count():
            port = next(self.ports)
            status, answer = call(port, "POST", f"/api/centres/{CENTRE}{path}", body, self.headers)
            action.attempts.append((port, status, answer))
            if status not in (REFUSED, UNANSWERED, 503) or status == UNANSWERED and not retry:
                return action
            if self.company.finished.is_set():
                return action
            time.sleep(min(0.05 * attempt, 0.5))

    def work(self) -> None:
        c = self.company
        numbers = itertools.count()
        next_log = c.begin + self.number * 0.3
        while not c.people_off.is_set():
            if self.weather_asked.is_set() and not self.weather_done.is_set():
                reason = f"公司形态 {c.run}：台风预警，值班人员到岗"
                body = {"kind": "typhoon", "reason": reason}
                self.act("weather", reason, "/weather", body, retry=True)
                self.weather_done.set()
            if time.monotonic() >= next_log and not c.storm_over.is_set():
                text = f"告警风暴 {c.run} {self.login} 第{next(numbers)}条：已确认探针告警"
                self.act("log", text, "/log", {"category": "anomaly", "text": text}, retry=False)
                next_log += c.plan.log_every
            with contextlib.suppress(queue.Empty):
                alarm_id = c.desk.todo[self.number].get(timeout=0.1)
                self.act("ack", str(alarm_id), f"/alarms/{alarm_id}/ack", retry=True)
        while not c.desk.todo[self.number].empty():  # what was shown before the end
            alarm_id = c.desk.todo[self.number].get()
            self.act("ack", str(alarm_id), f"/alarms/{alarm_id}/ack", retry=True)


# --- the shape and its storm --------------------------------------------------------------------


@dataclass
class Plan:
    """The storm's size and when each kind of process is killed (seconds into the storm,
    in turn: each kill waits until the one before is back)."""

    seconds: float = 40
    mqtt_rate: int = 60  # events/s
    http_gateways: int = 4
    http_batch: int = 5
    http_interval: float = 0.5  # s between one gateway's batches
    probe_every: float = 0.5  # s between probes on each channel
    log_every: float = 1.0  # s between one person's duty-log entries
    kills: tuple = (("web", 8), ("gateway", 16), ("worker", 24))
    down: float = 2.0  # s a killed process stays down
    tail: float = 3.0  # s the storm goes on at least after the last process is back


@dataclass
class Kill:
    """A process SIGKILLed mid-storm: when, and when it was started and ready again."""

    kind: str
    name: str
    at: float  # monotonic
    at_wall: datetime
    started: float = 0.0
    ready: float = 0.0


class Company:
    """The shape's processes on a Zhiban of its own (``company_env``) and a broker, until the
    block ends (stopped even when it fails)."""

    def __init__(self, env, broker, plan: Plan | None = None):
        self.env, self.broker, self.plan = env, broker, plan or Plan()
        self.run = uuid.uuid4().hex[:8]
        self.ports = [free_port(), free_port()]
        self.robot = Robot()
        self.webs = [
            Process(env, f"web{i}", ["serve", "--no-worker", "--port", str(p)], web_ready(p))
            for i, p in enumerate(self.ports)
        ]
        gateway = ["ingest", "mqtt", "--url", broker.url, "--topic", TOPIC, "-v", "2"]
        self.gateways = [
            Process(env, f"gateway{i}", gateway, said("subscribed to")) for i in range(2)
        ]
        self.worker = Process(env, "worker", ["worker"], said("Zhiban worker:"))
        self.processes = [*self.webs, *self.gateways, self.worker]
        self.probes = Probes(self.run)
        self.desk = Desk(len(PEOPLE))
        self.storm_over, self.people_off, self.finished = (threading.Event() for _ in range(3))
        self.kills: list[Kill] = []
        self.consoles: list[Console] = []
        self.threads: list[threading.Thread] = []
        self.begin = self.storm_end = self.finished_at = 0.0
        self.robot_before_worker = -1  # weather messages the robot had before the restart
        self.errors: list[str] = []  # the storm's threads that failed, with their tracebacks

    def __enter__(self) -> Company:
        try:
            self._start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _start(self) -> None:
        code = (
            f"CENTRE, SOURCE, PEOPLE = {CENTRE!r}, {SOURCE!r}, {PEOPLE!r}\n"
            f"GATEWAYS, ROBOT = {self.plan.http_gateways}, {self.robot.url + '/company'!r}\n"
            + SETUP
        )
        done = zhiban(self.env, "shell", "-v", "0", "-c", code)
        assert done.returncode == 0, done.stderr
        self.tokens = json.loads(done.stdout.strip().splitlines()[-1])
        for process in self.processes:
            process.start()
        for process in self.processes:
            process.wait_ready()
        for port, people in zip(self.ports, CONSOLES, strict=True):
            for person in people:
                self.consoles.append(Console(person, port, login(port, person)))
        for console in self.consoles:
            self._thread(console.watch, self)
        opened = self.wait(lambda: all(c.connected for c in self.consoles), 60)
        assert opened, f"consoles not open after 60 s: {self.errors}"

    def _thread(self, target, *args) -> threading.Thread:
        def guarded():
            try:
                target(*args)
            except Exception:
                self.errors.append(f"{target.__qualname__}: {traceback.format_exc()}")

        thread = threading.Thread(target=guarded, daemon=True)
        thread.start()
        self.threads.append(thread)
        return thread

    def __exit__(self, *exc) -> None:
        self.storm_over.set()
        self.people_off.set()
        self.finished.set()
        for process in self.processes:
            process.stop()
        self.robot.server.shutdown()

    @staticmethod
    def wait(check, timeout: float) -> bool:
        """Polls ``check()`` for up to ``timeout`` s; whether it came true."""
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)
        return True

    def storm(self) -> None:
        """The storm with its kills; once every process is back, the stations' replay and the
        closing probes; then waits (up to 120 s) until everything sent is stored and the chat
        robot has heard of the severe weather."""
        plan = self.plan
        self.begin = time.monotonic() + 0.5
        self.publisher = Publisher(self, plan.mqtt_rate, plan.probe_every)
        self.http = [
            HttpGateway(self, n, token, plan.http_batch, plan.http_interval)
            for n, token in enumerate(self.tokens["gateways"])
        ]
        self.people = [
            Person(self, n, login, self.tokens["people"][login]) for n, login in enumerate(PEOPLE)
        ]
        for thread in [self.publisher, *self.http, *self.people]:
            thread.start()
        try:
            self._kills()
            end = max(self.begin + plan.seconds, time.monotonic() + plan.tail)
            time.sleep(max(0, end - time.monotonic()))
        finally:
            self.storm_over.set()
            for thread in [self.publisher, *self.http]:
                thread.join(timeout=180)
            self.storm_end = time.monotonic()
        self.wait(lambda: all(c.connected[-1][1] is None for c in self.consoles), 60)
        self._closing()
        self.people_off.set()
        for person in self.people:
            person.join(timeout=180)
        self.publisher.close()
        self.wait(lambda: self.stored() >= len(self.sent_ids()), 120)
        self.wait(lambda: self.weather_messages() > 0, 90)  # the worker's outbox
        self.finished.set()
        self.finished_at = time.monotonic()
        for thread in self.threads:
            thread.join(timeout=10)

    def _kills(self) -> None:
        """One process of each kind SIGKILLed at its time, started again after ``down`` s,
        in turn; while the worker is down a person switches severe-weather mode on."""
        by_kind = {"web": self.webs[0], "gateway": self.gateways[0], "worker": self.worker}
        for kind, at in self.plan.kills:
            time.sleep(max(0, self.begin + at - time.monotonic()))
            process = by_kind[kind]
            kill = Kill(kind, process.name, time.monotonic(), datetime.now(UTC))
            process.kill()
            self.kills.append(kill)
            down_until = time.monotonic() + self.plan.down
            if kind == "worker":
                self.people[0].weather_asked.set()
                assert self.people[0].weather_done.wait(120), "severe weather not answered"
                self.robot_before_worker = self.weather_messages()
            time.sleep(max(0, down_until - time.monotonic()))
            kill.started = time.monotonic()
            process.start()
            process.wait_ready()
            kill.ready = time.monotonic()

    def _closing(self) -> None:
        """Every process up and every console open: the stations send their first message
        and batch again (as a station does that lost its link: "duplicate"), then a probe
        over MQTT and one over HTTP to each web process; waits (up to 60 s) until every
        console has shown the probes."""
        self.publisher.publish(self.publisher.first)
        for gateway in self.http:
            gateway.resent |= {e["id"] for e in gateway.first}
            gateway.send(gateway.first)
        self.publisher.publish([self.probes.make("mqtt", closing=True)])
        gateway = self.http[0]
        for port in self.ports:
            events = [self.probes.make("http", closing=True)]
            gateway.ids.append(events[0]["id"])
            status, body = call(port, "POST", "/api/events", events, gateway.headers)
            assert status == 200, (port, status, body)
            gateway.take(body)
        closing = [p.signal for p in self.probes.all() if p.closing]
        self.wait(lambda: all(s in c.seen for c in self.consoles for s in closing), 60)

    # --- what the database holds -----------------------------------------------------------

    def read(self, sql: str, *params) -> list[tuple]:
        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            return conn.execute(sql, params).fetchall()

    def sent_ids(self) -> set[str]:
        ids = set(self.publisher.ids)
        for gateway in self.http:
            ids |= set(gateway.ids)
        return ids

    def stored(self) -> int:
        [(count,)] = self.read(
            "SELECT count(*) FROM alarms_alarmevent WHERE source_id = %s AND event_id LIKE %s",
            self.tokens["source"],
            f"{self.run}-%",
        )
        return count

    def weather_messages(self) -> int:
        """The chat messages about this run's severe weather the robot received."""
        return sum(
            self.run in json.dumps(body, ensure_ascii=False) for _, body in self.robot.received
        )
