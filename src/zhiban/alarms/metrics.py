"""The alarms' figures on ``/metrics`` (issue 16, core/metrics.py): the gateways' events by
channel, source and outcome as they are answered (INC-1), and, read when scraped, the open
alarms per centre and the events stored per second."""

from __future__ import annotations

import threading
import time
from collections import Counter as Tally
from collections.abc import Iterable

from django.db.models import Count, Max
from prometheus_client import Counter

from zhiban.core.metrics import Reading

from .events import EventIn, ItemResult
from .models import Alarm, AlarmEvent, AlarmState

EVENTS = Counter(
    "zhiban_gateway_events",
    "Alarm events the gateways answered, by channel (http, mqtt …), source and outcome "
    "(accepted, duplicate, rejected)",
    ["channel", "source", "outcome"],
)
UNKNOWN = "unknown"  # a rejected event's source that is not a known one: labels stay few


def counted(channel: str, items: list, results: list[ItemResult], known: Iterable[str]) -> None:
    """Counts one sender's answered items; ``known``: the codes of the sources that exist."""
    tally: Tally[tuple[str, str]] = Tally()
    for result in results:
        item = items[result.index]
        source = item.source if isinstance(item, EventIn) else UNKNOWN
        if result.status == "rejected" and source not in known:
            source = UNKNOWN
        tally[source, result.status] += 1
    for (source, outcome), n in tally.items():
        EVENTS.labels(channel, source, outcome).inc(n)


_last = (0.0, 0)  # (monotonic time, highest event id) at the previous scrape
_lock = threading.Lock()


def readings() -> Iterable[Reading]:
    open_ = (
        Alarm.objects.exclude(state=AlarmState.CLEARED)  # the index of open alarms' keys
        .values("centre__code")
        .annotate(n=Count("pk"))
        .values_list("centre__code", "n")
    )
    for code, n in sorted(open_):
        yield Reading("zhiban_open_alarms", "Alarms not cleared", n, {"centre": code})
    yield Reading(
        "zhiban_events_per_second",
        "Alarm events stored per second since the previous scrape, every gateway together",
        _per_second(AlarmEvent.objects.aggregate(top=Max("id"))["top"] or 0),
    )


def _per_second(top: int) -> float:
    """From the event table's growing id (one index lookup, not a scan of recent rows)."""
    global _last
    with _lock:
        now = time.monotonic()
        at, before = _last
        _last = (now, top)
    return (top - before) / (now - at) if at and now > at else 0.0
