"""``/metrics`` in the Prometheus text format (issue 16, ADR 0018), through prometheus_client.

Two kinds of figure:
- *counted* in the process as things happen: HTTP requests and their latency by route (the
  URL pattern, never the raw path), the gateways' events by outcome (alarms/metrics.py), the
  open websockets. Each web process answers for its own; Prometheus scrapes each process (the
  deploy/ units give each its own port). ``serve --workers N`` shares one port: set
  ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder and the processes' counts are summed.
- *read* from the database when scraped, the same from every process: open alarms, outbox
  depth and age, the job queue, breached deadlines, the worker's heartbeat. Apps add theirs
  with ``register(reader)``; a reader yields ``Reading``s and must stay cheap (indexed
  counts), since a scrape runs them all.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import multiprocess as multiprocess_
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "zhiban_http_requests",
    "HTTP requests answered, by route (URL pattern), method and status",
    ["route", "method", "status"],
)
LATENCY = Histogram(
    "zhiban_http_request_duration_seconds",
    "Time to answer an HTTP request, by route",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
WEBSOCKETS = Gauge(
    "zhiban_websocket_clients",
    "Open live websockets (consoles and phones)",
    multiprocess_mode="livesum",
)


access = logging.getLogger("zhiban.access")
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def request_done(
    route: str, method: str, path: str, status: int, seconds: float, *, request_id: str, client: str
) -> None:
    """Counts and times an answered request, and writes its access line (with its request
    id: ``zhiban serve`` turns uvicorn's own access lines off)."""
    label = method if method in METHODS else "OTHER"  # any word is a method to a client
    REQUESTS.labels(route, label, f"{status // 100}xx").inc()
    LATENCY.labels(route).observe(seconds)
    ms = round(seconds * 1000, 1)
    access.info(
        "%s %s %s %s %.1f ms",
        client,
        method,
        path,
        status,
        ms,
        extra={
            "request_id": request_id,
            "client": client,
            "route": route,
            "status": status,
            "duration_ms": ms,
        },
    )


# --- figures read when scraped -----------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    name: str  # e.g. "zhiban_open_alarms"
    help: str
    value: float
    labels: dict[str, str] = field(default_factory=dict)


Reader = Callable[[], Iterable[Reading]]
_READERS: list[Reader] = []


def register(reader: Reader) -> None:
    if reader not in _READERS:
        _READERS.append(reader)


class _Readings(Collector):
    """Every registered reader's readings, one gauge family per name."""

    def collect(self):
        families: dict[str, GaugeMetricFamily] = {}
        for reader in _READERS:
            for r in reader():
                if r.name not in families:
                    families[r.name] = GaugeMetricFamily(r.name, r.help, labels=sorted(r.labels))
                families[r.name].add_metric([r.labels[k] for k in sorted(r.labels)], r.value)
        yield from families.values()


def core_readings() -> Iterable[Reading]:
    """The outbox, the job queue, the deadlines, the worker and the newest backup."""
    from django.conf import settings
    from django.db.models import Count, Min
    from django.utils import timezone
    from huey.contrib.djhuey import HUEY

    from . import backup, health
    from .models import Deadline, DeadlineState, OutboxMessage, OutboxState

    waiting = OutboxMessage.objects.filter(state=OutboxState.PENDING).aggregate(
        n=Count("pk"), oldest=Min("created_at")
    )
    yield Reading("zhiban_outbox_depth", "Messages waiting to be delivered", waiting["n"])
    oldest = waiting["oldest"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    yield Reading("zhiban_outbox_oldest_seconds", "Age of the oldest waiting message", age)
    yield Reading(
        "zhiban_outbox_lag_seconds", "How late delivery is", health.outbox_lag().total_seconds()
    )
    yield Reading(
        "zhiban_jobs_queued", "Background jobs waiting in the queue", HUEY.pending_count()
    )
    breached = (
        Deadline.objects.filter(state=DeadlineState.BREACHED)
        .values("centre__code")
        .annotate(n=Count("pk"))
        .values_list("centre__code", "n")
    )
    for code, n in sorted(breached):
        yield Reading(
            "zhiban_deadlines_breached", "Deadlines past due and not met", n, {"centre": code}
        )
    age_ = health.worker_age()
    yield Reading(
        "zhiban_worker_heartbeat_age_seconds",
        "Seconds since the job worker last reported (-1: never)",
        -1.0 if age_ is None else age_,
    )
    newest = backup.newest(Path(settings.ZHIBAN_BACKUP_DIR))
    yield Reading(
        "zhiban_backup_age_seconds",
        "Age of the newest backup in ZHIBAN_BACKUP_DIR (-1: none)",
        -1.0 if newest is None else (timezone.now() - newest[1]).total_seconds(),
    )


# --- the answer ---------------------------------------------------------------------------------

_readings = _Readings()
REGISTRY.register(_readings)


def exposition() -> bytes:
    """The text Prometheus scrapes: this process's counts (or every process's, summed, when
    ``PROMETHEUS_MULTIPROC_DIR`` is set) and the database's readings."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess_.MultiProcessCollector(registry)
        registry.register(_readings)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


class MetricsMiddleware:
    """Counts and times every request Django answers, by its URL pattern."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = match.route if match is not None else "unmatched"
        seconds = time.perf_counter() - start
        request_done(
            route,
            request.method,
            request.path,
            response.status_code,
            seconds,
            request_id=response.get("X-Request-ID", ""),
            client=request.META.get("REMOTE_ADDR", ""),
        )
        return response
