"""The gateway's batched SQL (INC-1), used only by ``services.events_ingest``: thousands of
events a second do not fit through one ORM object per row. Works on SQLite and PostgreSQL
(both have ``INSERT … ON CONFLICT DO NOTHING RETURNING``)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

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
_TIMES = {"first_at", "last_at", "cleared_at"}
_CHUNK = 500  # rows per statement: well under SQLite's and PostgreSQL's parameter limits


def _db_time():
    """How this database takes an aware datetime: SQLite as naive UTC text (as Django stores
    it), PostgreSQL as is. Chosen once per batch: Django's per-value adapter costs more than
    the insert."""
    if connection.vendor != "sqlite":
        return lambda value: value
    return lambda value: (
        None if value is None else value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
    )


def _from_db_time():
    if connection.vendor != "sqlite":
        return lambda value: value
    return lambda value: None if value is None else value.replace(tzinfo=UTC)


def _chunks(rows: Sequence, size: int = _CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


_INGEST_LOCKS = 5  # the advisory-lock space of the gateway's turns (issue 5)
_KEY_BUCKETS = 64  # locks per batch at most; two single events rarely share one


def lock_keys(keys: Iterable[str]) -> None:
    """Batches that may open the same alarm take turns (INC-1): two could otherwise both open
    it, and one would fail on the one-open-alarm-per-key constraint. PostgreSQL: an advisory
    lock per bucket of alarm keys until commit, taken in order (no deadlock); batches on other
    keys go on side by side. SQLite runs one writer at a time anyway."""
    if connection.vendor != "postgresql":
        return
    buckets = sorted({zlib.crc32(key.encode()) % _KEY_BUCKETS for key in keys})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, b) FROM unnest(%s::int[]) AS b",
            [_INGEST_LOCKS, buckets],
        )


def insert_events(rows: list[tuple]) -> set[tuple[int, str]]:
    """Stores the events not stored yet; returns the (source id, event id) of those it stored."""
    stored: set[tuple[int, str]] = set()
    to_db = _db_time()
    names = ", ".join(EVENT_COLUMNS)
    one = "(" + ", ".join(["%s"] * len(EVENT_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            cursor.execute(
                f"INSERT INTO {EVENT_TABLE} ({names}) VALUES {', '.join([one] * len(chunk))} "
                "ON CONFLICT (source_id, event_id) DO NOTHING RETURNING source_id, event_id",
                [
                    v
                    for row in chunk
                    for v in (row[0], row[1], to_db(row[2]), to_db(row[3]), *row[4:])
                ],
            )
            stored.update((int(s), e) for s, e in cursor.fetchall())
    return stored


def open_alarms(keys: list[str]) -> dict[str, AlarmRow]:
    """The open alarm of each key, locked for this transaction on PostgreSQL."""
    found: dict[str, AlarmRow] = {}
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    from_db = _from_db_time()
    fields = ("id", *ALARM_COLUMNS)
    with connection.cursor() as cursor:
        for chunk in _chunks(keys):
            cursor.execute(
                f"SELECT {', '.join(fields)} FROM {ALARM_TABLE} "
                # the literal state lets the partial unique index on key serve the query
                f"WHERE key IN ({', '.join(['%s'] * len(chunk))}) "
                f"AND state <> '{AlarmState.CLEARED}' ORDER BY id{lock}",
                chunk,
            )
            for values in cursor.fetchall():
                data = dict(zip(fields, values, strict=True))
                for name in ("first_at", "last_at", "cleared_at"):
                    data[name] = from_db(data[name])
                data["active"] = bool(data["active"])
                found[data["key"]] = AlarmRow(**data)
    return found


def save_alarms(rows: list[AlarmRow], now: datetime) -> None:
    """Inserts the new rows (setting their ids) and updates the changed existing ones."""
    new = [r for r in rows if r.id is None]
    old = [r for r in rows if r.id is not None and r.changed]
    to_db, now = _db_time(), _db_time()(now)
    with connection.cursor() as cursor:
        if old:
            cursor.executemany(
                f"UPDATE {ALARM_TABLE} SET klass = %s, priority = %s, state = %s, active = %s, "
                "count = %s, last_at = %s, cleared_at = %s, value = %s, text = %s, "
                "updated_at = %s WHERE id = %s",
                [
                    (
                        r.klass,
                        r.priority,
                        r.state,
                        r.active,
                        r.count,
                        to_db(r.last_at),
                        to_db(r.cleared_at),
                        r.value,
                        r.text,
                        now,
                        r.id,
                    )
                    for r in old
                ],
            )
        names = (*ALARM_COLUMNS, *_ALARM_DEFAULTS, "created_at", "updated_at")
        one = "(" + ", ".join(["%s"] * len(names)) + ")"
        for chunk in _chunks(new):
            params = []
            for r in chunk:
                params += [
                    to_db(getattr(r, name)) if name in _TIMES else getattr(r, name)
                    for name in ALARM_COLUMNS
                ]
                params += [*_ALARM_DEFAULTS.values(), now, now]
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
