"""A realistic day of hotline calls for a customer-service centre (``zhiban simulate
--scenario calls``, the demo, the benchmark), as the telephone system's generic CTI events
(``service/cti.py``).

The day follows a hotline's rhythm: quiet at night, a morning peak from 9 to 11, a second
one after lunch, fading after 20:00. Callers are the centre's customers (some calling twice)
and new numbers; the agents are the centre's CS agents and group leads, each call rung to two
of them and answered by one after 5–25 s of ringing, talk lasting a few minutes with a
recording on the PBX's storage. About 5 % are missed (the caller hangs up first, nobody
answers, every agent busy, the lines full — CS-6); some are outgoing calls back to them.

Each call's id is ``sim-<seed>-<day>-<n>``, numbered in time order within its day: the same
seed gives the same calls for the same day, so sending a day again stores nothing new.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from zhiban.core.errors import DomainError
from zhiban.core.permissions import Role
from zhiban.org.models import Centre, Membership

from . import cti
from .models import Customer
from .services import calls

HOTLINE = "4008200365"
# calls an hour at a centre of about ten agents, by the hour of the day (the centre's)
PER_HOUR = (1, 0, 0, 0, 0, 1, 2, 6, 18, 34, 38, 30, 16, 20, 28, 30, 26, 20, 14, 10, 8, 6, 3, 2)
MISSED_SHARE = 0.05
MISSED_CAUSES = (("cancel", 0.5), ("noAnswer", 0.3), ("busy", 0.15), ("congestion", 0.05))
OUTGOING_SHARE = 0.08


class SimulationError(ValueError):
    """The centre cannot give the asked calls (no such centre, no agents)."""


@dataclass
class Desk:
    """What a centre's calls can be about: its code, agents (login names) and customers."""

    centre: str
    agents: list[str]
    customers: list[str] = field(default_factory=list)  # their numbers (digits)

    @classmethod
    def of(cls, code: str) -> Desk:
        centre = Centre.objects.filter(code=code, kind="customer_service").first()
        if centre is None:
            raise SimulationError(f"no customer-service centre {code!r}")
        agents = list(
            Membership.objects.filter(
                centre=centre,
                active=True,
                role__in=[Role.CS_AGENT, Role.CS_GROUP_LEAD],
                person__is_active=True,
            )
            .order_by("person__username")
            .values_list("person__username", flat=True)
            .distinct()
        )
        if not agents:
            raise SimulationError(f"centre {code!r} has no CS agents to answer calls")
        numbers = list(
            Customer.objects.filter(centre=centre)
            .order_by("pk")
            .values_list("phone", flat=True)[:5000]
        )
        return cls(code, agents, numbers)


@dataclass(frozen=True)
class Spec:
    seed: int = 1
    scale: float = 1.0  # calls an hour: PER_HOUR × scale
    count: int | None = None  # at most this many calls


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randrange(10**9):09d}"


def _talk(rng: random.Random) -> float:
    """Seconds on the line: mostly 1–6 minutes, now and then a long complaint."""
    return min(3600.0, max(20.0, rng.lognormvariate(5.2, 0.6)))


def day_calls(desk: Desk, day: date, tz, spec: Spec) -> list[list[dict]]:
    """The calls of one day of the centre's calendar, each as its events in order."""
    rng = random.Random(f"calls:{spec.seed}:{desk.centre}:{day.isoformat()}")
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()), tz)
    times: list[float] = []
    for hour, per_hour in enumerate(PER_HOUR):
        t, rate = 0.0, per_hour * spec.scale / 3600
        while rate > 0:
            t += rng.expovariate(rate)
            if t >= 3600:
                break
            times.append(hour * 3600 + t)
    times.sort()
    if spec.count is not None:
        times = times[: spec.count]
    known = desk.customers
    missed_numbers: list[tuple[float, str]] = []
    calls = []
    for n, offset in enumerate(times):
        call_id = f"sim-{spec.seed}-{day:%Y%m%d}-{n:05d}"
        at = start + timedelta(seconds=offset)
        if missed_numbers and rng.random() < OUTGOING_SHARE:
            back_at, number = missed_numbers.pop(0)
            if back_at < offset:  # an agent calls a missed caller back
                calls.append(_outgoing(rng, desk, call_id, at, number))
                continue
        number = rng.choice(known) if known and rng.random() < 0.6 else _mobile(rng)
        rung = rng.sample(desk.agents, k=min(2, len(desk.agents)))
        ring = {
            "event": "newCall",
            "callId": call_id,
            "from": number,
            "to": HOTLINE,
            "direction": "in",
            "user": rung,
            "queue": "hotline",
            "centre": desk.centre,
        }
        if rng.random() < MISSED_SHARE:
            cause = rng.choices([c for c, _ in MISSED_CAUSES], [w for _, w in MISSED_CAUSES])[0]
            gone = at + timedelta(seconds=rng.uniform(8, 60))
            calls.append([_at(ring, at), _hang_up(call_id, desk, gone, cause)])
            missed_numbers.append((offset + 600, number))
            continue
        answered = at + timedelta(seconds=rng.uniform(5, 25))
        ended = answered + timedelta(seconds=_talk(rng))
        calls.append(
            [
                _at(ring, at),
                _at(
                    {
                        "event": "answer",
                        "callId": call_id,
                        "user": rung[0],
                        "centre": desk.centre,
                    },
                    answered,
                ),
                _hang_up(call_id, desk, ended, "normalClearing", recording=True),
            ]
        )
    return calls


def _at(event: dict, at: datetime) -> dict:
    return {**event, "time": at.isoformat()}


def _hang_up(call_id, desk, at, cause, recording=False) -> dict:
    event = {"event": "hangup", "callId": call_id, "cause": cause, "centre": desk.centre}
    if recording:
        event["recording"] = f"/var/spool/asterisk/monitor/{at:%Y%m%d}/{call_id}.wav"
    return _at(event, at)


def _outgoing(rng, desk, call_id, at, number) -> list[dict]:
    agent = rng.choice(desk.agents)
    ring = {
        "event": "newCall",
        "callId": call_id,
        "from": HOTLINE,
        "to": number,
        "direction": "out",
        "user": [agent],
        "centre": desk.centre,
    }
    answered = at + timedelta(seconds=rng.uniform(4, 15))
    ended = answered + timedelta(seconds=_talk(rng) / 2)
    answer = {"event": "answer", "callId": call_id, "user": agent, "centre": desk.centre}
    return [_at(ring, at), _at(answer, answered), _hang_up(call_id, desk, ended, "normalClearing")]


def stream(desk: Desk, spec: Spec, *, until: datetime, hours: float = 24.0) -> Iterator[dict]:
    """The events of the ``hours`` before ``until`` (a day ending now by default), in time
    order, each day's calls as ``day_calls`` makes them."""
    centre = Centre.objects.get(code=desk.centre)
    since = until - timedelta(hours=hours)
    day = timezone.localtime(since, centre.tz).date()
    events: list[dict] = []
    while day <= timezone.localtime(until, centre.tz).date():
        for call in day_calls(desk, day, centre.tz, spec):
            events += [e for e in call if since <= datetime.fromisoformat(e["time"]) <= until]
        day += timedelta(days=1)
    events.sort(key=lambda e: (e["time"], e["callId"]))
    yield from events


# --- sending ---------------------------------------------------------------------------------


@dataclass
class Tally:
    """What a run sent and how the endpoint answered."""

    sent: int = 0
    stored: int = 0  # 200
    refused: int = 0  # 4xx
    calls: set = field(default_factory=set)

    def __str__(self) -> str:
        return (
            f"sent {self.sent} events of {len(self.calls)} calls, stored {self.stored}, "
            f"refused {self.refused}"
        )


def paced(events, rate: float) -> Iterator[dict]:
    """The events as fast as possible, or ``rate`` a second."""
    begin = time.monotonic()
    for n, event in enumerate(events):
        if rate > 0 and (wait := begin + n / rate - time.monotonic()) > 0:
            time.sleep(wait)
        yield event


def send_direct(events, *, actor, source, rate: float = 0.0) -> Tally:
    """In this process, through the calls' one write, an event at a time."""
    tally = Tally()
    for event in paced(events, rate):
        tally.sent += 1
        tally.calls.add(event["callId"])
        try:
            calls.call_event_record(actor=actor, source=source, event=cti.read(event))
            tally.stored += 1
        except DomainError:
            tally.refused += 1
    return tally


def send_http(base: str, token: str, events, *, rate: float = 0.0) -> Tally:
    """One event per request to ``POST /api/service/calls``, as a PBX adapter sends them."""
    import httpx

    tally = Tally()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base.rstrip("/"), headers=headers, timeout=30) as client:
        for event in paced(events, rate):
            answer = client.post("/api/service/calls", json=event)
            if answer.status_code >= 500 or answer.status_code in (401, 403, 429):
                raise SimulationError(
                    f"POST /api/service/calls: HTTP {answer.status_code}: {answer.text[:300]}"
                )
            tally.sent += 1
            tally.calls.add(event["callId"])
            if answer.status_code == 200:
                tally.stored += 1
            else:
                tally.refused += 1
    return tally
