"""Readiness (issue 16, ADR 0018): what ``/readyz`` and ``zhiban doctor`` check — the
database, Redis, the MQTT broker, the job worker's heartbeat and the outbox's lag.

The database and Redis are *essential*: without them this process cannot serve a person, so a
load balancer must stop sending it people (503). The broker, the worker and the outbox are
shared by every web process: when they fail, ``/readyz`` still says so, by name, but answers
200 ("degraded") — taking every web process out of the pool because the worker died would turn
one fault into a blackout. ``/readyz?strict=1`` answers 503 on any failing check, for the
monitoring system.

The worker proves it runs by a heartbeat in the job queue's own storage (SQLite file or
Redis), which every web process and worker share by construction."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.db import connection
from django.utils import timezone

HEARTBEAT = "zhiban:worker-heartbeat"
TIMEOUT = 2.0  # seconds at most for each outside service
CACHED = 5.0  # seconds a readiness answer is reused (load balancers ask every few seconds)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    essential: bool = False


# --- the worker's heartbeat ------------------------------------------------------------------


def beat() -> None:
    """The job worker is alive: its time in the queue's storage (core/tasks.py, every minute
    and when a worker thread starts)."""
    from huey.contrib.djhuey import HUEY

    HUEY.put(HEARTBEAT, time.time())


def worker_age() -> float | None:
    """Seconds since the job worker's last heartbeat; None if no worker ever beat."""
    from huey.contrib.djhuey import HUEY

    at = HUEY.get(HEARTBEAT, peek=True)
    return None if at is None else max(time.time() - at, 0.0)


# --- the checks ------------------------------------------------------------------------------


def _failed(name: str, error: Exception, essential: bool = False) -> Check:
    """A failing check naming the error's kind only: no address or password in the answer."""
    return Check(name, False, f"unreachable ({type(error).__name__})", essential)


def database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        return _failed("database", error, essential=True)
    return Check("database", True, connection.vendor, essential=True)


def redis() -> Check | None:
    if not settings.REDIS_URL:
        return None
    import redis as redis_

    try:
        redis_.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
        ).ping()
    except Exception as error:
        return _failed("redis", error, essential=True)
    return Check("redis", True, "answers", essential=True)


def broker() -> Check | None:
    """The MQTT broker of ZHIBAN_MQTT_URL accepts a connection (CONNACK within 2 s)."""
    if not settings.MQTT_URL:
        return None
    import paho.mqtt.client as paho

    url = urlparse(settings.MQTT_URL)
    accepted = threading.Event()
    client = paho.Client(paho.CallbackAPIVersion.VERSION2, protocol=paho.MQTTv5)
    client.on_connect = lambda c, u, flags, reason, p: reason.is_failure or accepted.set()
    if url.username:
        client.username_pw_set(unquote(url.username), unquote(url.password or ""))
    if url.scheme == "mqtts":
        client.tls_set()
    try:
        client.connect(url.hostname or "localhost", url.port or 1883, keepalive=10)
        deadline = time.monotonic() + TIMEOUT
        while not accepted.is_set() and time.monotonic() < deadline:
            client.loop(timeout=0.1)
        client.disconnect()
    except Exception as error:
        return _failed("broker", error)
    return Check("broker", accepted.is_set(), "accepts" if accepted.is_set() else "no answer")


def worker() -> Check:
    late = settings.ZHIBAN_READY_WORKER_SECONDS
    try:
        age = worker_age()
    except Exception as error:
        return _failed("worker", error)
    if age is None:
        return Check("worker", False, "no job worker has reported (zhiban worker)")
    detail = f"heartbeat {age:.0f} s ago"
    return Check("worker", age <= late, detail if age <= late else f"{detail}, over {late} s")


def outbox_lag() -> timedelta:
    """How late delivery is: the time since the earliest due attempt of a message still
    waiting (zero when none is due). A receiver that keeps failing moves its message's next
    attempt on, so only a stalled delivery loop makes this grow."""
    from .models import OutboxMessage, OutboxState

    now = timezone.now()
    due = (
        OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return now - due if due else timedelta(0)


def outbox() -> Check:
    late = settings.ZHIBAN_READY_OUTBOX_SECONDS
    try:
        lag = outbox_lag().total_seconds()
    except Exception as error:
        return _failed("outbox", error)
    detail = f"lag {lag:.0f} s"
    return Check("outbox", lag <= late, detail if lag <= late else f"{detail}, over {late} s")


def checks() -> list[Check]:
    return [c for c in (database(), redis(), broker(), worker(), outbox()) if c is not None]


_last: tuple[float, list[Check]] = (0.0, [])
_lock = threading.Lock()


def readiness() -> list[Check]:
    """``checks()``, reused for a few seconds: a load balancer's polling costs one round."""
    global _last
    with _lock:
        at, found = _last
        if time.monotonic() - at > CACHED or not found:
            found = checks()
            _last = (time.monotonic(), found)
        return found
