"""The demo's hotline calls at 吴越客服中心 (issue 12 items 9 and 11): the day before the demo
was loaded, as the telephone system would have sent it (``service/simulate.py``, through the
calls' one write), and one missed call from a quarter of an hour ago still waiting in the
morning queue (CS-6). Loading the demo again adds the calls of the hours since, never a call
twice (idempotent by call id)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhiban.core.actors import DEMO, Source
from zhiban.org.models import Centre

from .. import cti, simulate
from ..models import Call
from ..services import calls

CENTRE = "kefu"
SCALE = 0.3  # about a hundred calls: a quiet day, quick to load
WAITING = "sim-demo-missed"


def load(ctx: dict) -> None:
    if not Centre.objects.filter(code=CENTRE, kind="customer_service").exists():
        return
    now = timezone.now().replace(microsecond=0)
    desk = simulate.Desk.of(CENTRE)
    events = simulate.stream(desk, simulate.Spec(seed=1, scale=SCALE), until=now)
    simulate.send_direct(events, actor=DEMO, source=Source.CLI)
    if not Call.objects.filter(centre__code=CENTRE, call_id=WAITING).exists():
        _missed_call_waiting(now - timedelta(minutes=15))


def _missed_call_waiting(at) -> None:
    """A caller who gave up after 40 s while every agent was busy (CS-6)."""
    for event in (
        {"event": "newCall", "from": "13962110087", "to": simulate.HOTLINE, "direction": "in"},
        {"event": "hangup", "cause": "cancel"},
    ):
        body = {**event, "callId": WAITING, "centre": CENTRE, "time": at.isoformat()}
        calls.call_event_record(actor=DEMO, source=Source.CLI, event=cti.read(body))
        at += timedelta(seconds=40)
