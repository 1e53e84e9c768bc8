"""The gateway's batched SQL (INC-1), used only by ``services.events_ingest``: thousands of
events a second do not fit through one ORM object per row. Works on SQLite and PostgreSQL
(both have ``INSERT … ON CONFLICT DO NOTHING RETURNING``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection

from .lifecycle import AlarmRow
from .models import Alarm, AlarmEvent, AlarmState

EVENT_TABLE = AlarmEvent._meta.db_table
ALARM_TABLE = Alarm._meta.db_table
EVENT_COLUMNS = (
    "source_id",
    "event_id",
    "received_at",
    "occurred_at",
    "alarm_key",
    "action",
    "klass",
    "site_id",
    "equipment_id",
    "signal",
    "value",
    "text",
)
ALARM_COLUMNS = (
    "key",
    "centre_id",
    "source_id",
    "site_id",
    "equipment_id",
    "signal",
    "klass",
    "priority",
    "state",
    "active",
    "count",
    "first_at",
    "last_at",
    "cleared_at",
    "value",
    "text",
    "suppressed_reason",
)
# the columns people change; the gateway writes their empty values on insert
_ALARM_DEFAULTS = {"version": 1, "shelve_reason": ""}
_CHUNK = 500  # rows per statement: well under SQLite's and PostgreSQL's parameter limits


def _adapt(value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _chunks(rows: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def insert_events(rows: list[tuple]) -> set[tuple[int, str]]:
    """Stores the events not stored yet; returns the (source id, event id) of those it stored."""
    stored: set[tuple[int, str]] = set()
    names = ", ".join(EVENT_COLUMNS)
    one = "(" + ", ".join(["%s"] * len(EVENT_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            cursor.execute(
                f"INSERT INTO {EVENT_TABLE} ({names}) VALUES {', '.join([one] * len(chunk))} "
                "ON CONFLICT (source_id, event_id) DO NOTHING RETURNING source_id, event_id",
                [_adapt(v) for row in chunk for v in row],
            )
            stored.update((int(s), e) for s, e in cursor.fetchall())
    return stored


def open_alarms(keys: list[str]) -> dict[str, AlarmRow]:
    """The open alarm of each key, locked for this transaction on PostgreSQL."""
    found: dict[str, AlarmRow] = {}
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    fields = ("id", *ALARM_COLUMNS)
    with connection.cursor() as cursor:
        for chunk in _chunks(keys):
            cursor.execute(
                f"SELECT {', '.join(fields)} FROM {ALARM_TABLE} "
                f"WHERE key IN ({', '.join(['%s'] * len(chunk))}) AND state <> %s{lock}",
                [*chunk, AlarmState.CLEARED],
            )
            for values in cursor.fetchall():
                data = dict(zip(fields, values, strict=True))
                for name in ("first_at", "last_at", "cleared_at"):
                    data[name] = _datetime(data[name])
                data["active"] = bool(data["active"])
                found[data["key"]] = AlarmRow(**data)
    return found


def _datetime(value):
    """SQLite hands back naive UTC datetimes; PostgreSQL aware ones."""
    if connection.vendor == "sqlite":
        return connection.ops.convert_datetimefield_value(value, None, connection)
    return value


def save_alarms(rows: list[AlarmRow], now: datetime) -> None:
    """Inserts the new rows (setting their ids) and updates the changed existing ones."""
    new = [r for r in rows if r.id is None]
    old = [r for r in rows if r.id is not None and r.changed]
    with connection.cursor() as cursor:
        if old:
            cursor.executemany(
                f"UPDATE {ALARM_TABLE} SET klass = %s, priority = %s, state = %s, active = %s, "
                "count = %s, last_at = %s, cleared_at = %s, value = %s, text = %s, "
                "updated_at = %s WHERE id = %s",
                [
                    [
                        _adapt(v)
                        for v in (
                            r.klass,
                            r.priority,
                            r.state,
                            r.active,
                            r.count,
                            r.last_at,
                            r.cleared_at,
                            r.value,
                            r.text,
                            now,
                            r.id,
                        )
                    ]
                    for r in old
                ],
            )
        names = (*ALARM_COLUMNS, *_ALARM_DEFAULTS, "created_at", "updated_at")
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        for chunk in _chunks(new):
            params = []
            for r in chunk:
                params += [_adapt(getattr(r, name)) for name in ALARM_COLUMNS]
                params += [*_ALARM_DEFAULTS.values(), _adapt(now), _adapt(now)]
            cursor.execute(
                f"INSERT INTO {ALARM_TABLE} ({', '.join(names)}) "
                f"VALUES {', '.join([one] * len(chunk))} RETURNING id, key",
                params,
            )
            # a key has at most one new row per batch: new rows are never acknowledged, so
            # never closed by the gateway
            by_key = {r.key: r for r in chunk}
            for pk, key in cursor.fetchall():
                by_key[key].id = pk
