"""How events move an alarm through its lifecycle (INC-1, INC-2, ISA-18.2), as a pure fold
the gateway runs over each key's new events in time order. Every state change is a step of
``Alarm.FLOW``, the one table people's actions follow too.

- A raise with no open alarm starts one ("raise", or "suppress" when the equipment is under a
  maintenance tag or being commissioned). If the key's latest event stored before this batch
  is a later clear, the condition has already ended: the new alarm is cleared-unacknowledged,
  so an operator still sees that it happened (events that arrive out of order).
- On an open alarm, the condition follows the latest event by event time: a raise or clear
  older than the alarm's latest event is counted (a raise) but changes neither the condition
  nor the state. A current raise is "raise" (cleared-unacknowledged becomes active and
  unacknowledged again; other states keep theirs); a current clear of a present condition is
  "clear". A clear with no open alarm is stored as an event and changes nothing.
- Every accident-class raise on an alarm that is not suppressed is noted in
  ``accident_raises``: each may be a breaker trip (INC-5, CNT-1), the first as the repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .models import PRIORITY, Alarm, AlarmClass, AlarmState, EventAction

FLOW = Alarm.FLOW


@dataclass
class AlarmRow:
    """The gateway's working copy of one alarm row; ``id`` is None until inserted."""

    key: str
    centre_id: int
    source_id: int
    site_id: int
    equipment_id: int | None
    signal: str
    klass: str
    priority: int
    state: str
    active: bool
    count: int
    first_at: datetime
    last_at: datetime
    cleared_at: datetime | None
    value: str
    text: str
    suppressed_reason: str = ""
    id: int | None = None
    changed: bool = False
    accident_raises: list[datetime] = field(default_factory=list)


@dataclass(frozen=True)
class Occurrence:
    """One event of a key, as the fold needs it."""

    action: str
    at: datetime
    klass: str
    value: str
    text: str


def fold(
    open_row: AlarmRow | None, events: list[Occurrence], start, stored: Occurrence | None = None
) -> list[AlarmRow]:
    """Applies the events to the key's open alarm (or none); returns every row touched, the
    open one last. ``start(event)`` makes a new row, in the state before the raise (cleared),
    for a raise with no open alarm; ``stored`` is the key's latest event stored before this
    batch, asked for when there is no open alarm."""
    touched: list[AlarmRow] = []
    row = open_row
    for event in events:
        if event.action == EventAction.RAISE and (row is None or row.state == AlarmState.CLEARED):
            row = start(event)
            row.state = FLOW.next_state(row.state, "suppress" if row.suppressed_reason else "raise")
            _note_accident(row, event)
            touched.append(row)
            if stored is not None and stored.action == EventAction.CLEAR and stored.at > event.at:
                _apply(row, stored)  # cleared already, by an event that came first
            continue
        if row is None or row.state == AlarmState.CLEARED or not _apply(row, event):
            continue
        if not any(seen is row for seen in touched):
            touched.append(row)
    return touched


def _apply(row: AlarmRow, event: Occurrence) -> bool:
    """One event on an open alarm; False if it changes nothing (a clear of a condition that
    is not present, or older than the alarm's latest event)."""
    current = event.at >= row.last_at
    if event.action == EventAction.RAISE:
        row.count += 1
        _note_accident(row, event)
        if current:
            row.state = FLOW.next_state(row.state, "raise")
            row.active, row.cleared_at = True, None
            row.klass, row.priority = event.klass, PRIORITY[event.klass]
    else:
        if not (row.active and current):
            return False
        row.state = FLOW.next_state(row.state, "clear")
        row.active, row.cleared_at = False, event.at
    if current:
        row.last_at = event.at
        row.value, row.text = event.value, event.text or row.text
    row.changed = True
    return True


def _note_accident(row: AlarmRow, event: Occurrence) -> None:
    if event.klass == AlarmClass.ACCIDENT and row.state != AlarmState.SUPPRESSED:
        row.accident_raises.append(event.at)
