"""How events move an alarm through its lifecycle (INC-1, INC-2, ISA-18.2), as a pure fold
the gateway runs over each key's new events in time order.

- A raise with no open alarm starts one: active and unacknowledged, or suppressed when the
  equipment is under a maintenance tag or being commissioned.
- A raise on an open alarm adds an occurrence; a cleared-unacknowledged alarm becomes active
  and unacknowledged again; acknowledged, shelved and suppressed alarms keep their state.
- A clear ends the condition: unacknowledged → cleared-unacknowledged, acknowledged or
  suppressed → cleared (closed: the next raise is a new alarm, suppressed only if the equipment
  still is). A shelved alarm keeps its state until it is unshelved or its shelf expires.
- A clear with no open alarm is stored as an event and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .models import PRIORITY, AlarmState, EventAction


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


@dataclass(frozen=True)
class Occurrence:
    """One new event of a key, as the fold needs it."""

    action: str
    at: datetime
    klass: str
    value: str
    text: str


def fold(open_row: AlarmRow | None, events: list[Occurrence], start) -> list[AlarmRow]:
    """Applies the events to the key's open alarm (or none); returns every row touched, the
    open one last. ``start(event)`` makes a new row for a raise with no open alarm."""
    touched: list[AlarmRow] = []
    row = open_row
    for event in events:
        if event.action == EventAction.RAISE:
            if row is None or row.state == AlarmState.CLEARED:
                row = start(event)
                touched.append(row)
                continue
            row.count += 1
            row.active = True
            row.klass, row.priority = event.klass, PRIORITY[event.klass]
            row.cleared_at = None
            if row.state == AlarmState.CLEARED_UNACKED:
                row.state = AlarmState.UNACKED
        else:
            if row is None or row.state == AlarmState.CLEARED or not row.active:
                continue
            row.active = False
            row.cleared_at = event.at
            if row.state == AlarmState.UNACKED:
                row.state = AlarmState.CLEARED_UNACKED
            elif row.state in (AlarmState.ACKED, AlarmState.SUPPRESSED):
                row.state = AlarmState.CLEARED
        row.last_at = max(row.last_at, event.at)
        row.value, row.text = event.value, event.text or row.text
        row.changed = True
        if not any(seen is row for seen in touched):
            touched.append(row)
    return touched
