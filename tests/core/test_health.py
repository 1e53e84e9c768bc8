"""Health, readiness and metrics (issue 16, ADR 0018): ``/healthz`` says the process answers;
``/readyz`` names each check (database, Redis, broker, the job worker's heartbeat, the
outbox's lag) and answers 503 only when this process cannot serve; ``/metrics`` counts
requests by route and the gateways' events by outcome, and reads the open alarms, the outbox,
the job queue and the breached deadlines from the database."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from asgiref.sync import sync_to_async
from django.test import Client
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from prometheus_client.parser import text_string_to_metric_families

from zhiban.alarms.models import Alarm, AlarmState
from zhiban.core import health, notify, services
from zhiban.core.models import Channel, OutboxMessage

from ..alarms.test_alarm_console import Gateway, event
from ..fresh import fresh_env, live_server
from .test_deadlines import T0, setup_deadline
from .test_live import connect, session_cookie


@pytest.fixture(autouse=True)
def fresh_readiness(monkeypatch):
    """Every answer computed anew (a load balancer's answers are reused for 5 s)."""
    monkeypatch.setattr(health, "CACHED", 0.0)
    HUEY.get(health.HEARTBEAT)  # no heartbeat left from another test


def readyz(query: str = ""):
    r = Client().get(f"/readyz{query}")
    return r.status_code, r.json()


def samples(client: Client | None = None, **headers) -> dict[tuple[str, tuple], float]:
    """``/metrics`` read as {(sample name, sorted labels): value}."""
    r = (client or Client()).get("/metrics", **headers)
    assert r.status_code == 200, r.content
    assert r["Content-Type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(r.content.decode())
        for s in family.samples
    }


def queued_mail(centre) -> OutboxMessage:
    """An e-mail waiting in the outbox (its delivery runs after a commit these tests never
    make)."""
    return notify.send(
        centre=centre,
        channel=Channel.EMAIL,
        target="duty@example.com",
        title="t",
        body="b",
        language="zh-hans",
    )


def test_healthz_asks_nothing_outside_the_process__issue_16(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        r = Client().get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_readyz_ready_with_a_beating_worker_degraded_without__issue_16(db):
    status, body = readyz()
    assert status == 200 and body["status"] == "degraded", body
    assert body["checks"]["worker"] == {
        "ok": False,
        "detail": "no job worker has reported (zhiban worker)",
    }
    assert body["checks"]["database"]["ok"] and body["checks"]["outbox"]["ok"]
    assert readyz("?strict=1")[0] == 503  # the monitoring system's view: something failed

    health.beat()
    status, body = readyz("?strict=1")
    assert status == 200 and body["status"] == "ready", body
    assert body["checks"]["worker"]["detail"].startswith("heartbeat 0 s ago")


def test_readyz_not_ready_when_redis_is_unreachable__issue_16(db, settings):
    """Redis carries the live channel and the job queue: without it this process cannot serve,
    and the answer names Redis without its address."""
    health.beat()
    settings.REDIS_URL = "redis://:secret@127.0.0.1:1/0"
    status, body = readyz()
    assert status == 503 and body["status"] == "not ready", body
    assert body["checks"]["redis"] == {"ok": False, "detail": "unreachable (ConnectionError)"}
    assert "secret" not in str(body) and "127.0.0.1" not in str(body)


def test_readyz_checks_the_broker__issue_16(db, settings, broker):
    health.beat()
    settings.MQTT_URL = broker.url
    status, body = readyz()
    assert status == 200 and body["checks"]["broker"] == {"ok": True, "detail": "accepts"}
    settings.MQTT_URL = "mqtt://127.0.0.1:1"  # nothing listens: degraded, not taken out
    status, body = readyz()
    assert status == 200 and body["status"] == "degraded", body
    assert body["checks"]["broker"]["ok"] is False


def test_readyz_outbox_lag_is_the_oldest_due_message__issue_16(world):
    """A message due an hour ago and not sent: the delivery loop is stalled."""
    health.beat()
    sent = queued_mail(world.alpha)
    OutboxMessage.objects.filter(pk=sent.pk).update(
        state="pending", next_attempt_at=timezone.now() - timedelta(hours=1)
    )
    status, body = readyz()
    assert status == 200 and body["status"] == "degraded", body
    assert body["checks"]["outbox"]["ok"] is False
    assert body["checks"]["outbox"]["detail"].startswith("lag 36")  # 3600 s, over 600 s
    OutboxMessage.objects.filter(pk=sent.pk).update(
        next_attempt_at=timezone.now() + timedelta(minutes=5)  # a failing receiver's backoff
    )
    assert readyz()[1]["checks"]["outbox"] == {"ok": True, "detail": "lag 0 s"}


def test_metrics_count_events_by_source_and_outcome__issue_16_INC_1(world, api):
    gateway = Gateway(world, api)
    key = "zhiban_gateway_events_total"

    def counted(source: str, outcome: str) -> float:
        labels = (("channel", "http"), ("outcome", outcome), ("source", source))
        return samples().get((key, labels), 0.0)

    before = {
        (s, o): counted(s, o)
        for s, o in [("alpha-scada", "accepted"), ("alpha-scada", "duplicate")]
        + [("alpha-scada", "rejected"), ("unknown", "rejected")]
    }
    first = event("10kV母线接地")
    body = gateway.post(
        first,
        event("主变油温高"),
        first,
        {**event("主变过负荷"), "site": "S9"},  # rejected: a known source, no such site
        {"source": "alpha-scada", "id": "no-time"},  # rejected: not an event at all
        {**event("x"), "source": "nobody-" + "x" * 20},  # rejected: no such source
    )
    outcomes = ["accepted"] * 2 + ["duplicate"] + ["rejected"] * 3
    assert [i["status"] for i in body["items"]] == outcomes
    assert counted("alpha-scada", "accepted") - before["alpha-scada", "accepted"] == 2
    assert counted("alpha-scada", "duplicate") - before["alpha-scada", "duplicate"] == 1
    assert counted("alpha-scada", "rejected") - before["alpha-scada", "rejected"] == 1
    assert counted("unknown", "rejected") - before["unknown", "rejected"] == 2

    read = samples()
    open_alarms = Alarm.objects.exclude(state=AlarmState.CLEARED).filter(centre=world.alpha)
    assert read["zhiban_open_alarms", (("centre", "alpha"),)] == open_alarms.count() == 2
    assert read["zhiban_events_per_second", ()] >= 0


def test_metrics_count_requests_by_route_and_read_the_database__issue_16(world, api):
    client = Client()
    client.get("/login/")
    route = (
        "zhiban_http_requests_total",
        (("method", "GET"), ("route", "login/"), ("status", "2xx")),
    )
    before = samples(client).get(route, 0.0)
    client.get("/login/")
    client.get("/no/such/page/at/all/123")
    read = samples(client)
    assert read[route] == before + 1
    assert (
        "zhiban_http_requests_total",
        (("method", "GET"), ("route", "unmatched"), ("status", "4xx")),
    ) in read
    assert read["zhiban_http_request_duration_seconds_count", (("route", "login/"),)] >= 2

    health.beat()
    queued_mail(world.alpha)
    with time_machine.travel(T0, tick=False):
        setup_deadline(world, api)
    with time_machine.travel(T0 + timedelta(minutes=61), tick=False):
        assert services.deadlines_check() == {"breach": 1}
    read = samples(client)
    pending = OutboxMessage.objects.filter(state="pending").count()
    assert read["zhiban_outbox_depth", ()] == pending
    assert read["zhiban_deadlines_breached", (("centre", "alpha"),)] == 1
    assert read["zhiban_jobs_queued", ()] == HUEY.pending_count()
    assert 0 <= read["zhiban_worker_heartbeat_age_seconds", ()] < 60
    assert read["zhiban_websocket_clients", ()] >= 0
    assert read["zhiban_backup_age_seconds", ()] == -1  # none made in this data folder


def test_metrics_ask_for_the_token_when_one_is_set__issue_16(db, settings):
    settings.ZHIBAN_METRICS_TOKEN = "s3cret-scrape"
    assert Client().get("/metrics").status_code == 401
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert samples(HTTP_AUTHORIZATION="Bearer s3cret-scrape")


@pytest.mark.django_db(transaction=True)
def test_metrics_count_open_websockets__issue_16(world):
    """A console's live channel counts while it is open."""
    cookie = session_cookie(world.people["chief_a"])

    def clients() -> float:
        return samples()["zhiban_websocket_clients", ()]

    async def scenario():
        before = await sync_to_async(clients)()
        console = connect(cookie)
        connected, _ = await console.connect()
        assert connected
        await console.receive_json_from(timeout=5)  # the unread count
        assert await sync_to_async(clients)() == before + 1
        await console.disconnect()
        assert await sync_to_async(clients)() == before

    asyncio.run(scenario())


def test_json_log_lines_carry_the_request_id__issue_16():
    """ZHIBAN_LOG_FORMAT=json: every log line of a real `zhiban serve` is one JSON object, and
    a request's access line carries the id the client gave (X-Request-ID)."""
    with fresh_env(start="migrated", ZHIBAN_LOG_FORMAT="json") as env:
        with live_server(env) as base:
            asked = urllib.request.Request(
                f"{base}/login/", headers={"X-Request-ID": "rq-json-0001"}
            )
            with urllib.request.urlopen(asked, timeout=10) as answer:
                assert answer.headers["X-Request-ID"] == "rq-json-0001"
        lines = (Path(env["ZHIBAN_DATA"]) / "serve.log").read_text().splitlines()
    records = [json.loads(line) for line in lines if line.strip()]  # each line is JSON
    access = [r for r in records if r.get("request_id") == "rq-json-0001"]
    assert access and access[0]["logger"] == "zhiban.access", records
    assert access[0]["route"] == "login/" and access[0]["status"] == 200
    assert {"time", "level", "message"} <= set(access[0])
    assert any(r["message"].startswith("Zhiban on http://") for r in records)


def test_probes_are_not_redirected_to_https__issue_16(db, settings):
    """ZHIBAN_HTTPS=1 redirects plain HTTP, but a load balancer probes each web process
    directly: /healthz, /readyz and /metrics answer there."""
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/login/").status_code == 301
    for path in ("/healthz", "/readyz", "/metrics"):
        assert client.get(path).status_code == 200, path
