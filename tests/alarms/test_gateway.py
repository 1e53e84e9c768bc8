"""The gateway (INC-1), as real processes with their own demo data.

MQTT: a real `zhiban ingest mqtt` against the real Mosquitto. Published events become alarms;
what cannot be read becomes a dead letter and the stream goes on; kill -9 mid-stream loses
nothing and stores nothing twice; two gateways of one share group split the stream.
HTTP: `zhiban serve` answers many clients' single events in shared transactions, each request
its own answer, each event stored once; what the grouped path does not take, Django answers.
Property tests of the event format and of POST /api/events, and the platform administrators'
dead letters (API and page)."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import json
import random
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import paho.mqtt.client as paho
import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhiban.alarms import events, services
from zhiban.alarms.models import AlarmClass
from zhiban.core.actors import CLI, GATEWAY, Source
from zhiban.core.errors import Forbidden
from zhiban.core.permissions import Role
from zhiban.org import services as org

from ..broker import Broker
from ..conftest import make_person
from ..fresh import ZHIBAN, demo_token, fresh_env, live_server, zhiban

# two hours ago: a run's events (a second apart, at most 3,000) lie in the window (ORG-4) of
# the real servers, which cannot share a frozen clock
START = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


# --- a gateway process, a publisher and the stored outcome ---------------------------------------


def wait_until(check, wanted=True, timeout=90.0):
    """Polls ``check()`` until it gives ``wanted`` (CI machines are slow)."""
    deadline = time.monotonic() + timeout
    while (value := check()) != wanted:
        assert time.monotonic() < deadline, f"{value!r} after {timeout} s, not {wanted!r}"
        time.sleep(0.3)


def sqlite_path(env) -> Path:
    return Path(env["ZHIBAN_DATA"]) / "zhiban.sqlite3"


def read(env, sql: str, *params) -> list[tuple]:
    """Rows read from the fresh Zhiban's database (SQLite or PostgreSQL), without starting a
    process for each look while polling."""
    if env.get("DATABASE_URL"):
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            return conn.execute(sql, params).fetchall()
    with contextlib.closing(sqlite3.connect(f"file:{sqlite_path(env)}?mode=ro", uri=True)) as conn:
        return conn.execute(sql.replace("%s", "?"), params).fetchall()


class Gateway:
    """`zhiban ingest mqtt -v 2` (one line per batch) on a topic, as a real process."""

    def __init__(self, env, topic: str, client_id: str, name: str = "gateway", *, url: str):
        self.env, self.topic, self.client_id, self.url = env, topic, client_id, url
        self.log_path = Path(env["ZHIBAN_DATA"]) / f"{name}-{uuid.uuid4().hex[:6]}.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> Gateway:
        args = ["ingest", "mqtt", "--url", self.url, "--topic", self.topic]
        args += ["--client-id", self.client_id, "--session-expiry", "600", "--linger-ms", "20"]
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                [*ZHIBAN, *args, "-v", "2"], env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        wait_until(lambda: "subscribed to" in self.log() or self.process.poll() is not None)
        assert self.process.poll() is None, self.log()
        return self

    def log(self) -> str:
        return self.log_path.read_text()

    def batches(self) -> int:
        return len(re.findall(r"^batch: ", self.log(), re.M))

    def tally(self, status: str) -> int:
        """Events this gateway found accepted (stored) or duplicate, by its batch lines."""
        return sum(int(n) for n in re.findall(rf"^batch: .*?(\d+) {status}", self.log(), re.M))

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)

    def __enter__(self) -> Gateway:
        return self.start()

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)


class Link:
    """The network between a gateway and the broker, on a port of its own; ``hold`` loses
    whatever the gateway sends (its acknowledgements) until the connection ends."""

    def __init__(self, broker):
        self.broker = broker
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"mqtt://127.0.0.1:{self.server.getsockname()[1]}"
        self.hold = threading.Event()
        self.to_gateway = 0  # bytes the broker sent the gateway
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                gateway, _ = self.server.accept()
                broker = socket.create_connection((self.broker.host, self.broker.port))
                threading.Thread(target=self._relay, args=(gateway, broker, True)).start()
                threading.Thread(target=self._relay, args=(broker, gateway, False)).start()

    def _relay(self, source, target, from_gateway: bool) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if not (from_gateway and self.hold.is_set()):
                    target.sendall(data)
                if not from_gateway:
                    self.to_gateway += len(data)
        for end in (source, target):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.server.close()


@contextlib.contextmanager
def database_stalled(env):
    """Another session holds the events table: the gateway's writes wait until the block ends."""
    if env.get("DATABASE_URL"):
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            conn.execute("LOCK TABLE alarms_alarmevent IN EXCLUSIVE MODE")
            yield
            conn.rollback()
    else:
        with contextlib.closing(sqlite3.connect(sqlite_path(env), isolation_level=None)) as conn:
            conn.execute("BEGIN IMMEDIATE")
            yield
            conn.rollback()


def execute(env, *statements: str) -> None:
    """Runs statements on the fresh Zhiban's database, as its administrator would."""
    if env.get("DATABASE_URL"):
        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)
    else:
        with contextlib.closing(sqlite3.connect(sqlite_path(env), isolation_level=None)) as conn:
            for sql in statements:
                conn.execute(sql)


@contextlib.contextmanager
def database_refuses(env, signal: str):
    """The database itself refuses events of this signal (as a site's own trigger might)."""
    name = f"zb_refuse_{uuid.uuid4().hex[:8]}"
    if env.get("DATABASE_URL"):
        execute(
            env,
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.signal = '{signal}' THEN RAISE EXCEPTION 'refused by the database'; "
            "END IF; RETURN NEW; END $$",
            f"CREATE TRIGGER {name} BEFORE INSERT ON alarms_alarmevent FOR EACH ROW "
            f"EXECUTE FUNCTION {name}()",
        )
        drop = [f"DROP TRIGGER {name} ON alarms_alarmevent", f"DROP FUNCTION {name}()"]
    else:
        execute(
            env,
            f"CREATE TRIGGER {name} BEFORE INSERT ON alarms_alarmevent "
            f"WHEN NEW.signal = '{signal}' BEGIN SELECT RAISE(ABORT, 'refused by the database'); END",
        )
        drop = [f"DROP TRIGGER {name}"]
    try:
        yield
    finally:
        execute(env, *drop)


def forget_sessions(broker, *client_ids: str) -> None:
    """The broker drops the tests' persistent sessions (a clean start that expires at once)."""
    for client_id in client_ids:
        client = paho.Client(paho.CallbackAPIVersion.VERSION2, client_id, protocol=paho.MQTTv5)
        client.connect(broker.host, broker.port, clean_start=True)
        client.loop_start()
        client.disconnect()
        client.loop_stop()


@contextlib.contextmanager
def publisher(broker):
    client = paho.Client(paho.CallbackAPIVersion.VERSION2, protocol=paho.MQTTv5)
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        yield lambda topic, payload: client.publish(topic, payload, qos=1).wait_for_publish(30)
    finally:
        client.disconnect()
        client.loop_stop()


def event(run: str, n: int, *, signal: int = 0, action: str = "raise", **extra) -> dict:
    """The n-th event of a test run at 苏吴变 (SW110), breaker 752, class abnormal."""
    return {
        "source": "suwu-scada",
        "id": f"{run}-{n}",
        "at": (START + timedelta(seconds=n)).isoformat(),
        "site": "SW110",
        "equipment": "752",
        "signal": f"{run} 信号{signal}",
        "class": "abnormal",
        "action": action,
        **extra,
    }


def stored_events(env, run: str) -> int:
    sql = "SELECT count(*) FROM alarms_alarmevent WHERE event_id LIKE %s"
    [(count,)] = read(env, sql, f"{run}-%")
    return count


def alarms_of(env, run: str) -> list[tuple]:
    """(signal, count, state, breaker) of the run's alarms."""
    return read(
        env,
        "SELECT a.signal, a.count, a.state, e.dispatch_number FROM alarms_alarm a "
        "JOIN org_equipment e ON e.id = a.equipment_id WHERE a.signal LIKE %s ORDER BY a.signal",
        f"{run} %",
    )


@pytest.fixture(scope="module")
def demo_env():
    with fresh_env(start="demo") as env:
        yield env


@dataclasses.dataclass
class Stream:
    """A test's own event ids, MQTT topic and client ids (their sessions are dropped after) on
    the test run's own broker."""

    broker: Broker
    run: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex[:8])
    clients: list[str] = dataclasses.field(default_factory=list)

    @property
    def topic(self) -> str:
        return f"zhiban-test/{self.run}/events"

    def client_id(self, n: int = 0) -> str:
        self.clients.append(f"zhiban-test-{self.run}-{n}")
        return self.clients[-1]


@pytest.fixture
def stream(broker):
    s = Stream(broker)
    yield s
    forget_sessions(broker, *s.clients)


# --- the gateway ---------------------------------------------------------------------------------


def test_events_published_over_mqtt_become_alarms__INC_1(demo_env, stream):
    run, topic = stream.run, stream.topic
    with (
        Gateway(demo_env, topic, stream.client_id(), url=stream.broker.url) as gateway,
        publisher(stream.broker) as publish,
    ):
        publish(topic, json.dumps(event(run, 1, signal=1)))
        array = [
            event(run, 2, signal=1),
            event(run, 3, signal=2),
            event(run, 4, signal=1, action="clear"),
        ]
        publish(topic, json.dumps(array, ensure_ascii=False).encode())
        wait_until(lambda: stored_events(demo_env, run), 4)
        assert alarms_of(demo_env, run) == [
            (f"{run} 信号1", 2, "cleared_unacked", "752"),
            (f"{run} 信号2", 1, "unacked", "752"),
        ]
        assert gateway.stop() == 0  # SIGTERM: the batch in hand is finished, then exit 0
        assert gateway.log().rstrip().endswith("stopped")
        with Gateway(demo_env, topic, gateway.client_id, url=stream.broker.url) as again:
            publish(topic, json.dumps(event(run, 5, signal=2)))
            wait_until(lambda: again.tally("accepted"), 1)
            assert again.tally("duplicate") == 0  # everything stored before was acknowledged


def test_a_gateway_with_a_wrong_url_or_topic_does_not_start__INC_1(demo_env, broker):
    for args, said in [
        (["--url", "http://127.0.0.1:1883"], "not an mqtt:// or mqtts:// URL"),
        (["--url", broker.url, "--topic", "a/#/b"], "not a topic filter and share group: 'a/#/b'"),
    ]:
        r = zhiban(demo_env, "ingest", "mqtt", *args)
        assert r.returncode == 1 and said in r.stderr, r.stderr


def test_what_cannot_be_read_is_dead_lettered_and_the_stream_goes_on__INC_1(demo_env, stream):
    run, topic = stream.run, stream.topic
    wrong_types = {**event(run, 1), "source": 5, "at": "yesterday", "class": ["accident"]}
    huge = event(run, 2, text="字" * 300_000)  # about 900 KB
    garbage = [
        b"\xff" + random.Random(1).randbytes(200),
        b"not json {",
        b'"an event, they said"',
        json.dumps([event(run, 10 + i) for i in range(2000)]).encode(),
        json.dumps(wrong_types).encode(),
        json.dumps(huge, ensure_ascii=False).encode(),
    ]
    with (
        Gateway(demo_env, topic, stream.client_id(), url=stream.broker.url) as gateway,
        publisher(stream.broker) as publish,
    ):
        for payload in garbage:
            publish(topic, payload)
        publish(topic, json.dumps(event(run, 3)))
        wait_until(lambda: stored_events(demo_env, run), 1)
        letters = read(
            demo_env,
            "SELECT reason, payload FROM alarms_deadletter WHERE topic = %s AND channel = %s",
            topic,
            "mqtt",
        )
        assert gateway.process.poll() is None
    assert len(letters) == 6
    reasons = dict(letters)
    assert {
        "payload is not UTF-8",
        "payload is not JSON: Expecting value: line 1 column 1 (char 0)",
        "payload must be an event object or an array of events",
        "more than 1000 events in one payload",
    } < set(reasons)
    wrong = next(r for r in reasons if r.startswith("source: "))
    assert re.findall(r"(\w+): ", wrong) == ["source", "at", "class"]
    too_long = next(r for r in reasons if r.startswith("text: "))
    assert too_long == "text: 最多输入 300 个字符。"  # in the server's language, zh-Hans
    assert reasons[too_long].startswith('{"source": "suwu-scada"')
    assert 60 * 1024 < len(reasons[too_long].encode()) <= 64 * 1024  # cut at 64 KB
    assert all(len(payload.encode()) <= 64 * 1024 for payload in reasons.values())


def test_a_message_the_database_refuses_is_dead_lettered_and_the_stream_goes_on__INC_1(
    demo_env, stream
):
    run, topic = stream.run, stream.topic
    refused = event(run, 2, signal=9)
    with (
        database_refuses(demo_env, refused["signal"]),
        Gateway(demo_env, topic, stream.client_id(), url=stream.broker.url) as gateway,
        publisher(stream.broker) as publish,
    ):
        publish(topic, json.dumps(event(run, 1)))
        publish(topic, json.dumps([refused, event(run, 3)], ensure_ascii=False).encode())
        publish(topic, json.dumps(event(run, 4)))
        wait_until(lambda: stored_events(demo_env, run), 2)
        assert gateway.process.poll() is None
    [(reason, payload)] = read(
        demo_env, "SELECT reason, payload FROM alarms_deadletter WHERE topic = %s", topic
    )
    assert reason.startswith("could not be stored: ") and "refused by the database" in reason
    assert json.loads(payload) == [refused, event(run, 3)]  # kept whole, to be sent again


def test_kill_9_mid_stream_loses_nothing_and_stores_nothing_twice__INC_1(demo_env, stream):
    """Killed twice: once when stored batches were not yet acknowledged (their acknowledgements
    lost on the way), once holding messages it could not store yet (the database stalled)."""
    run, topic = stream.run, stream.topic
    sent_events = [
        event(run, n, signal=n % 20, action="clear" if n % 7 == 0 else "raise") for n in range(3000)
    ]
    messages = [
        json.dumps(sent_events[m : m + 10], ensure_ascii=False).encode() for m in range(0, 3000, 10)
    ]
    raises = sum(e["action"] == "raise" for e in sent_events)
    feed = iter(messages)
    link = Link(stream.broker)
    first = Gateway(demo_env, topic, stream.client_id(), "first", url=link.url).start()
    second = Gateway(demo_env, topic, first.client_id, "second", url=link.url)
    try:
        with publisher(stream.broker) as publish:

            def publish_until(done) -> None:
                for payload in feed:
                    publish(topic, payload)
                    time.sleep(0.01)
                    if done():
                        return
                raise AssertionError("the stream ended first")

            publish_until(lambda: first.tally("accepted") > 0)
            link.hold.set()  # the acknowledgements of the next batches are lost
            stored = first.batches()
            publish_until(lambda: first.batches() >= stored + 2)
            first.kill()
            link.hold.clear()
            for payload in itertools.islice(feed, 20):  # the broker keeps them meanwhile
                publish(topic, payload)
            second.start()
            # the broker sends the stored batches again: found already stored, no harm done
            wait_until(lambda: second.tally("duplicate") > 0)
            with database_stalled(demo_env):
                sent = link.to_gateway
                stalled = list(itertools.islice(feed, 20))
                for payload in stalled:
                    publish(topic, payload)
                wait_until(lambda: link.to_gateway - sent > sum(map(len, stalled)))
                second.kill()  # holding 20 messages it has not stored
            for payload in feed:
                publish(topic, payload)
        with Gateway(demo_env, topic, first.client_id, "third", url=stream.broker.url) as third:
            wait_until(lambda: stored_events(demo_env, run), 3000)
            assert third.stop() == 0
    finally:
        link.close()
        for gateway in (first, second):
            if gateway.process and gateway.process.poll() is None:
                gateway.kill()
    assert stored_events(demo_env, run) == 3000
    counts = [count for _, count, _, _ in alarms_of(demo_env, run)]
    assert len(counts) == 20 and sum(counts) == raises  # no occurrence counted twice


def test_two_gateways_of_one_group_split_the_stream__INC_1(demo_env, stream):
    run, topic = stream.run, stream.topic
    with (
        Gateway(demo_env, topic, stream.client_id(1), "one", url=stream.broker.url) as one,
        Gateway(demo_env, topic, stream.client_id(2), "two", url=stream.broker.url) as two,
        publisher(stream.broker) as publish,
    ):
        for m in range(200):
            batch = [event(run, n, signal=n % 10) for n in range(m * 5, m * 5 + 5)]
            publish(topic, json.dumps(batch, ensure_ascii=False).encode())
        wait_until(lambda: one.tally("accepted") + two.tally("accepted"), 1000)
        assert one.tally("accepted") > 0 and two.tally("accepted") > 0
    assert stored_events(demo_env, run) == 1000


# --- the event format and POST /api/events under random input --------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
texts = st.text(max_size=20) | st.text(st.sampled_from(["a", "字", "\x00", "\ud800"]), max_size=5)
good_events = st.fixed_dictionaries(  # they read well; some cannot be stored as they are
    {
        "source": st.just("alpha-scada"),
        "id": st.text(min_size=1, max_size=12),
        "at": st.datetimes(
            datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.timezones()
        ).map(datetime.isoformat),
        "site": st.just("S1"),
        "signal": texts.filter(str.strip),
        "class": st.sampled_from(AlarmClass.values),
    },
    optional={
        "equipment": st.just(""),
        "action": st.sampled_from(["raise", "clear"]),
        "value": texts | st.integers() | st.floats() | st.booleans(),
        "text": texts,
    },
)
spoilers = (  # wrong types, too long, times out of range
    json_values
    | st.text(min_size=95, max_size=310)
    | st.datetimes(timezones=st.timezones()).map(datetime.isoformat)
    | st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
)
fields = ["source", "id", "at", "site", "equipment", "signal", "class", "action", "value", "text"]
spoilt_events = st.tuples(
    good_events, st.dictionaries(st.sampled_from(fields), spoilers, min_size=1, max_size=2)
).map(lambda pair: {**pair[0], **pair[1]})
event_like = good_events | spoilt_events
payloads = (
    st.binary(max_size=300)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.lists(event_like | json_values, max_size=5).map(lambda v: json.dumps(v).encode())
    | event_like.map(lambda v: json.dumps(v).encode())
)


@settings(max_examples=400, deadline=None, database=None)
@given(payload=payloads)
def test_any_payload_gives_events_or_a_reason__INC_1(payload):
    decoded = events.decode(payload)
    if isinstance(decoded, str):
        assert decoded
        return
    for item in decoded:
        parsed = events.parse(item)
        assert isinstance(parsed, events.EventIn) or (isinstance(parsed, str) and parsed)
        if isinstance(parsed, events.EventIn):  # and it is storable
            assert "\x00" not in parsed.signal + parsed.text + parsed.value
            parsed.at.astimezone(UTC)


@pytest.fixture
def scada(world):
    return services.alarm_source_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"code": "alpha-scada", "name": "阿尔法监控系统", "kind": "scada", "active": True},
    )


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=st.lists(event_like | json_values, max_size=12))
def test_events_endpoint_answers_every_item_and_never_fails__INC_1(world, api, scada, items):
    r = api(world.people["admin_a"]).post("/events", items)
    assert r.status_code == 200, r.content
    body = r.json()
    assert [item["index"] for item in body["items"]] == list(range(len(items)))
    assert body["accepted"] + body["duplicate"] + body["rejected"] == len(items)
    for item in body["items"]:
        assert item["status"] in ("accepted", "duplicate", "rejected")
        assert (item["status"] == "rejected") == bool(item["reason"])


# --- POST /api/events on a real server: single events in shared transactions ----------------


def post(base: str, body: bytes, token: str | None, **headers) -> tuple[int, dict, dict]:
    """``POST /api/events``: the status, the headers (lower-case names) and the JSON."""
    headers = {"Content-Type": "application/json", **headers}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(f"{base}/api/events", body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, _lower(answer.headers), json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers), json.loads(error.read())


def _lower(headers) -> dict:
    return {name.lower(): value for name, value in headers.items()}


def post_events(base: str, body: bytes, token: str | None) -> tuple[int, dict]:
    status, _headers, answer = post(base, body, token)
    return status, answer


def ingest_audits(env) -> int:
    [(count,)] = read(env, "SELECT count(*) FROM core_auditevent WHERE verb = 'events.ingest'")
    return count


def gateway_token(env, sources=("suwu-scada",)) -> str:
    """A token of the demo's gateway account of suwu-scada (a member of 苏吴 only)."""
    return demo_token(env, "gw-suwu-scada", sources)


@pytest.fixture(scope="module")
def served(demo_env):
    """`zhiban serve` of the demo, and a token of the suwu-scada gateway naming its source."""
    with live_server(demo_env, "--no-worker") as base:
        yield base, gateway_token(demo_env)


def test_single_events_from_many_clients_are_answered_each_and_stored_once__INC_1(
    demo_env, served, stream
):
    """16 clients send one event per request, every event twice: each request is answered
    with its own item, each event is accepted once and a duplicate once, stored once, and the
    alarms count it once. The requests share transactions: fewer ingestions are audited than
    requests were made."""
    base, token = served
    run = stream.run
    sent = [event(run, n, signal=n % 5) for n in range(150)] * 2
    random.Random(run).shuffle(sent)
    audits = ingest_audits(demo_env)
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda e: post_events(base, json.dumps([e]).encode(), token), sent))
    statuses: dict[str, list[str]] = {}
    for item, (status, body) in zip(sent, answers, strict=True):
        assert status == 200, body
        [mine] = body["items"]
        assert (mine["index"], mine["id"], mine["reason"]) == (0, item["id"], "")
        assert body[mine["status"]] == 1
        statuses.setdefault(item["id"], []).append(mine["status"])
    assert {tuple(sorted(s)) for s in statuses.values()} == {("accepted", "duplicate")}
    assert stored_events(demo_env, run) == 150
    assert [(signal, count) for signal, count, _, _ in alarms_of(demo_env, run)] == [
        (f"{run} 信号{n}", 30) for n in range(5)
    ]
    assert ingest_audits(demo_env) - audits < len(sent)


def test_a_bad_event_is_rejected_in_its_own_answer_only__INC_1(demo_env, served, stream):
    base, token = served
    good, bad = (
        event(stream.run, 1),
        {**event(stream.run, 2), "at": START.replace(tzinfo=None).isoformat()},
    )
    with ThreadPoolExecutor(2) as pool:
        (s1, b1), (s2, b2) = pool.map(
            lambda e: post_events(base, json.dumps([e]).encode(), token), [good, bad]
        )
    assert (s1, b1["accepted"], s2, b2["rejected"]) == (200, 1, 200, 1)
    # in the token person's language (the demo gateway's, zh-Hans), not pydantic's English
    assert b2["items"][0]["reason"] == "at: 时间须带时区，例如 +08:00。"
    assert stored_events(demo_env, stream.run) == 1


def test_what_the_grouped_path_does_not_take_django_answers__INC_1(demo_env, served, stream):
    """No token, a wrong token, a revoked token (within a second), a body that is not an
    array of at most 1,000 events or is over the grouped path's size: Django's usual answers
    (a POST that neither a token nor a session vouches for is 401)."""
    base, token = served
    one = json.dumps([event(stream.run, 1)]).encode()
    assert post_events(base, one, None)[0] == 401
    assert post_events(base, one, "zb_not-a-token")[0] == 401
    assert post_events(base, json.dumps(event(stream.run, 1)).encode(), token)[0] == 422
    many = json.dumps([event(stream.run, n) for n in range(1001)]).encode()
    status, body = post_events(base, many, token)
    assert status == 422 and body["fields"], body
    status, body = post_events(base, b"[{not json", token)
    assert status == 422 and body["fields"]["body"], body
    status, body = post_events(base, b"[" * 100_000, token)  # nested past Python's recursion
    assert status == 422 and body["fields"]["body"], body
    # over the grouped path's 2 MiB: Django reads it whole and answers each item
    long = [{**event(stream.run, n), "text": "长" * 3000} for n in range(200)]
    status, body = post_events(base, json.dumps(long).encode(), token)
    assert (status, body["rejected"]) == (200, 200), body
    revoked = gateway_token(demo_env)
    assert post_events(base, one, revoked)[0] == 200
    code = (
        "from zhiban.org.models import ApiToken; from zhiban.org import services; "
        "t = ApiToken.objects.filter(name='tests').latest('pk'); "
        "services.api_token_revoke(actor=t.person, source='cli', token_id=t.pk)"
    )
    assert zhiban(demo_env, "shell", "-v", "0", "-c", code).returncode == 0
    time.sleep(1.2)  # a token is kept for a second
    status, body = post_events(base, one, revoked)
    assert (status, body["code"], body["rule"]) == (401, "unauthenticated", None)
    assert "令牌" in body["message"]  # in the server's default language, zh-Hans
    assert stored_events(demo_env, stream.run) == 1


SECURITY_HEADERS = {
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "x-frame-options",
    "content-security-policy",
}


def test_the_grouped_path_echoes_the_request_id_and_the_security_headers__INC_1(
    demo_env, served, stream
):
    """The client's X-Request-ID is answered and recorded in the audit of its events; one is
    made when none (or a strange one) is given; the answer carries the security headers that
    Django's answers carry."""
    base, token = served
    given = f"gw-{stream.run}-0001"
    status, headers, body = post(
        base, json.dumps([event(stream.run, 1)]).encode(), token, **{"X-Request-ID": given}
    )
    assert (status, body["accepted"], headers["x-request-id"]) == (200, 1, given)
    sql = "SELECT count(*) FROM core_auditevent WHERE verb = 'events.ingest' AND request_id = %s"
    assert read(demo_env, sql, given) == [(1,)]
    status, headers, _ = post(base, json.dumps([event(stream.run, 2)]).encode(), token)
    assert status == 200 and re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])
    assert set(headers) >= SECURITY_HEADERS
    status, django, _ = post(base, b"[]", None, **{"X-Request-ID": given})  # Django answers 401
    assert (status, django["x-request-id"]) == (401, given)
    assert {name: headers[name] for name in SECURITY_HEADERS} == {
        name: django[name] for name in SECURITY_HEADERS
    }
    status, headers, _ = post(
        base, json.dumps([event(stream.run, 3)]).encode(), token, **{"X-Request-ID": "a b"}
    )
    assert status == 200 and headers["x-request-id"] != "a b"


def test_json_under_another_content_type_is_415_on_every_path__INC_1(demo_env, served, stream):
    base, token = served
    one = json.dumps([event(stream.run, 1)]).encode()
    for kind in ("text/plain", "application/x-www-form-urlencoded"):
        status, _headers, body = post(base, one, token, **{"Content-Type": kind})
        assert (status, body["code"]) == (415, "unsupported_media_type"), body
    assert stored_events(demo_env, stream.run) == 0
    status, _headers, body = post(
        base, one, token, **{"Content-Type": "application/json; charset=utf-8"}
    )
    assert (status, body["accepted"]) == (200, 1)


def test_a_token_sends_only_the_sources_it_names__INC_1_ORG_3(demo_env, served, stream):
    """The suwu-scada gateway's token cannot send for suwu-online (same centre, same role);
    a token naming no source sends nothing; the item's reason names the rules."""
    base, token = served
    other = {**event(stream.run, 1), "source": "suwu-online"}
    status, body = post_events(base, json.dumps([other, event(stream.run, 2)]).encode(), token)
    assert (status, body["accepted"], body["rejected"]) == (200, 1, 1), body
    reason = body["items"][0]["reason"]
    assert "suwu-online" in reason and "INC-1" in reason and "ORG-3" in reason
    bare = gateway_token(demo_env, sources=())
    status, body = post_events(base, json.dumps([event(stream.run, 3)]).encode(), bare)
    assert (status, body["rejected"]) == (200, 1) and "ORG-3" in body["items"][0]["reason"]
    assert stored_events(demo_env, stream.run) == 1


def test_token_requests_over_the_rate_answer_429_json__INC_1(demo_env, stream):
    """ZHIBAN_API_TOKEN_RATE per token, on the grouped path and Django's alike: the sixth
    request of the day is 429 with Retry-After; another token still gets through."""
    env = {**demo_env, "ZHIBAN_API_TOKEN_RATE": "5/d"}
    token, other = gateway_token(demo_env), gateway_token(demo_env)
    with live_server(env, "--no-worker") as base:
        answers = [post(base, json.dumps([event(stream.run, n)]).encode(), token) for n in range(6)]
        assert [status for status, _, _ in answers] == [200] * 5 + [429]
        _status, headers, body = answers[-1]
        assert body["code"] == "throttled" and int(headers["retry-after"]) >= 1
        assert set(headers) >= SECURITY_HEADERS
        status, _headers, body = post(base, b"[", token)  # Django's path, the same count
        assert (status, body["code"]) == (429, "throttled")
        assert post(base, json.dumps([event(stream.run, 9)]).encode(), other)[0] == 200
    assert stored_events(demo_env, stream.run) == 6


def person_id(env, username: str) -> int:
    [(pk,)] = read(env, "SELECT id FROM org_person WHERE username = %s", username)
    return pk


def ingest_audits_of(env, run: str) -> list[tuple[str, int, dict]]:
    """(request id, person id, after) of the ``events.ingest`` audit events of a run's
    requests (their X-Request-ID starts with the run)."""
    rows = read(
        env,
        "SELECT request_id, actor_id, after FROM core_auditevent "
        "WHERE verb = 'events.ingest' AND request_id LIKE %s",
        f"{run}-%",
    )
    return [(rid, pk, json.loads(a) if isinstance(a, str) else a) for rid, pk, a in rows]


def sent_together(env, base: str, plug: tuple, requests: list[tuple]) -> list[tuple[int, dict]]:
    """Sends ``requests`` (token, events, request id) at once while ``plug``'s request (the
    same) waits for the stalled database, so that they all wait for the next transaction
    of the server's one process: each one's status and JSON."""

    def send(token, items, request_id):
        status, _headers, body = post(
            base, json.dumps(items).encode(), token, **{"X-Request-ID": request_id}
        )
        return status, body

    with ThreadPoolExecutor(len(requests) + 1) as pool:
        with database_stalled(env):
            first = pool.submit(send, *plug)
            time.sleep(1.5)  # its transaction runs, waiting for the database
            answers = [pool.submit(send, *request) for request in requests]
            time.sleep(1.5)  # they all wait for the next one
        assert first.result()[0] == 200, first.result()
        return [answer.result() for answer in answers]


@pytest.fixture
def online_token(demo_env):
    """A token of the demo's suwu-online gateway, naming that source, whose person reads
    English."""
    execute(demo_env, "UPDATE org_person SET language = 'en' WHERE username = 'gw-suwu-online'")
    yield demo_token(demo_env, "gw-suwu-online", ("suwu-online",))
    execute(
        demo_env, "UPDATE org_person SET language = 'zh-hans' WHERE username = 'gw-suwu-online'"
    )


def test_requests_of_several_tokens_share_a_transaction_each_in_its_own_name__INC_1_ORG_3(
    demo_env, served, stream, online_token
):
    """The requests of gateways with tokens of their own go into one transaction (ADR
    0009): each is answered with its own items; each token's sources decide its items
    (INC-1, ORG-3), its person's language the reasons; the audit trail says which gateway
    sent what (an event per person, both with the transaction's one request id), and each
    breaker trip's accident record is drafted in the name of the gateway that sent it
    (INC-5); a token that is not valid is Django's 401 alone."""
    base, scada = served
    run = stream.run
    naive = START.replace(tzinfo=None).isoformat()

    def online(n: int, **extra) -> dict:
        return {**event(run, n), "source": "suwu-online", **extra}

    trip = {"class": "accident"}  # on breaker 752

    answers = sent_together(
        demo_env,
        base,
        (scada, [event(run, 0)], f"{run}-plug"),
        [
            (scada, [event(run, 1, **trip)], f"{run}-s1"),
            (online_token, [online(2, **trip)], f"{run}-o1"),
            (scada, [online(3)], f"{run}-s2"),
            (online_token, [event(run, 4), online(5, at=naive)], f"{run}-o2"),
            ("zb_not-a-token", [event(run, 6)], f"{run}-x"),
        ],
    )
    (s1, b1), (o1, c1), (s2, b2), (o2, c2), (x, _body) = answers
    assert (s1, s2, o1, o2, x) == (200, 200, 200, 200, 401)
    assert [item["status"] for item in b1["items"] + c1["items"]] == ["accepted"] * 2
    assert [item["reason"] for item in b2["items"]] == [
        "此令牌不得发送告警源“suwu-online”的事件 (INC-1, ORG-3)"
    ]
    assert [(item["index"], item["reason"]) for item in c2["items"]] == [
        (0, "this token may not send events for source “suwu-scada” (INC-1, ORG-3)"),
        (1, "at: Give the time with its time zone, e.g. +08:00."),
    ]
    assert stored_events(demo_env, run) == 3  # 0, 1 and 2
    audits = [a for a in ingest_audits_of(demo_env, run) if a[0] != f"{run}-plug"]
    [shared] = {request_id for request_id, _, _ in audits}  # one transaction
    gateways = sorted(person_id(demo_env, f"gw-suwu-{name}") for name in ("scada", "online"))
    assert sorted((pk, after["events"]) for _, pk, after in audits) == [(pk, 1) for pk in gateways]
    sql = "SELECT actor_id FROM core_auditevent WHERE verb = 'accident.draft' AND request_id = %s"
    assert sorted(pk for (pk,) in read(demo_env, sql, shared)) == gateways


def test_in_a_shared_transaction_the_rate_is_each_tokens_own__INC_1(demo_env, stream):
    """ZHIBAN_API_TOKEN_RATE counts each token's requests in a transaction that holds the
    requests of several: the token with one request left gets one through and 429 for the
    others; the other token's requests in the same transaction all go through."""
    env = {**demo_env, "ZHIBAN_API_TOKEN_RATE": "5/d"}
    run = stream.run
    busy, fresh, plug = (
        gateway_token(demo_env),
        demo_token(demo_env, "gw-suwu-online", ("suwu-online",)),
        gateway_token(demo_env),
    )
    online = [{**event(run, n), "source": "suwu-online"} for n in (10, 11)]
    with live_server(env, "--no-worker") as base:
        for n in range(4):
            assert post(base, json.dumps([event(run, n)]).encode(), busy)[0] == 200
        answers = sent_together(
            env,
            base,
            (plug, [event(run, 4)], f"{run}-plug"),
            [(busy, [event(run, n)], f"{run}-b{n}") for n in (5, 6, 7)]
            + [(fresh, [e], f"{run}-f{i}") for i, e in enumerate(online)],
        )
    assert sorted(status for status, _ in answers[:3]) == [200, 429, 429]
    assert [status for status, _ in answers[3:]] == [200, 200]
    assert stored_events(demo_env, run) == 8  # 0 … 4, one of 5 … 7, 10 and 11
    audits = [a for a in ingest_audits_of(demo_env, run) if a[0] != f"{run}-plug"]
    assert len({request_id for request_id, _, _ in audits}) == 1, audits  # one transaction
    assert sorted((pk, after["events"]) for _, pk, after in audits) == sorted(
        [(person_id(demo_env, "gw-suwu-scada"), 1), (person_id(demo_env, "gw-suwu-online"), 2)]
    )


# --- dead letters for platform administrators ------------------------------------------------


def record(*letters) -> int:
    return services.dead_letters_record(
        actor=GATEWAY, source=Source.GATEWAY, channel="mqtt", letters=list(letters)
    )


@pytest.fixture
def root(world):
    person = make_person(world.alpha, "root", Role.ADMIN)
    return org.person_grant_platform_admin(actor=CLI, source=Source.CLI, person_id=person.pk)


def test_dead_letters_are_listed_for_platform_administrators__INC_1(world, api, web, root):
    record(services.Letter("zhiban/events/a", b"\xff\x00garbage", "payload is not UTF-8"))
    record(services.Letter("zhiban/events/b", "字" * 100_000, "text: too long"))
    r = api(root).get("/dead-letters?limit=1")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2 and body["more"] is True
    newest = body["items"][0]
    assert newest["topic"] == "zhiban/events/b" and newest["reason"] == "text: too long"
    assert len(newest["payload"].encode()) <= 64 * 1024 and newest["payload"].startswith("字字")
    oldest = api(root).get("/dead-letters?offset=1").json()["items"][0]
    assert oldest["payload"] == "\\xff\\x00garbage"
    page = web(root).get("/manage/dead-letters/").content.decode()
    assert "payload is not UTF-8" in page and "zhiban/events/b" in page
    assert "字" * 190 in page and "字" * 300 not in page  # the payload is cut short on the page


def test_dead_letters_are_not_for_centre_administrators__INC_1(world, api, web):
    record(services.Letter("zhiban/events/a", b"{", "payload is not JSON"))
    admin = world.people["admin_a"]
    assert api(admin).get("/dead-letters").status_code == 403
    assert web(admin).get("/manage/dead-letters/").status_code == 403
    with pytest.raises(Forbidden):
        services.dead_letters_record(actor=admin, source=Source.API, channel="mqtt", letters=[])


def test_a_redelivered_dead_letter_is_kept_once__INC_1(world, api, root):
    letter = services.Letter("zhiban/events/a", b"\x00", "payload is not JSON")
    assert record(letter) == 1
    assert record(dataclasses.replace(letter, redelivered=True)) == 0  # after a kill -9
    assert record(letter) == 1  # the same bytes sent again by the source are another message
    assert api(root).get("/dead-letters").json()["count"] == 2


def test_zhiban_serve_takes_mqtt_events_in_the_one_room_shape__INC_1(demo_env, stream):
    """`zhiban serve --mqtt URL` runs the gateway in the web process: in one room, without
    Redis, what arrives over MQTT is stored and pushed to the consoles of that process."""
    run, topic = stream.run, stream.topic
    client_id = f"zhiban-{socket.gethostname()}-serve"
    stream.clients.append(client_id)
    with (
        live_server(demo_env, "--mqtt", stream.broker.url, "--mqtt-topic", topic),
        publisher(stream.broker) as publish,
    ):
        log = Path(demo_env["ZHIBAN_DATA"]) / "serve.log"
        wait_until(lambda: f"subscribed to $share/zhiban/{topic}" in log.read_text())
        publish(topic, json.dumps(event(run, 1, signal=1)))
        wait_until(lambda: stored_events(demo_env, run), 1)
    assert [(signal, count, state) for signal, count, state, _ in alarms_of(demo_env, run)] == [
        (f"{run} 信号1", 1, "unacked")
    ]
