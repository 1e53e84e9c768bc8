"""The gateway's batched SQL (INC-1), used only by ``services.events_ingest``: thousands of
events a second do not fit through one ORM object per row. Works on SQLite and PostgreSQL
(both have ``INSERT … ON CONFLICT DO NOTHING RETURNING``). On PostgreSQL a batch travels as
one array per column (``unnest``): psycopg renders a ``VALUES`` list of thousands of
parameters, and the server parses it, several times slower than the same rows as arrays."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from django.db import connection

from .lifecycle import AlarmRow, Occurrence
from .models import Alarm, AlarmEvent, AlarmState

EVENT_TABLE = AlarmEvent._meta.db_table
ALARM_TABLE = Alarm._meta.db_table
# (column, its PostgreSQL array element type)
EVENT_COLUMNS = (
    ("source_id", "bigint"),
    ("event_id", "text"),
    ("received_at", "timestamptz"),
    ("occurred_at", "timestamptz"),
    ("alarm_key", "text"),
    ("action", "text"),
    ("klass", "text"),
    ("site_id", "bigint"),
    ("equipment_id", "bigint"),
    ("signal", "text"),
    ("value", "text"),
    ("text", "text"),
    ("seq", "bigint"),
)
ALARM_COLUMNS = (
    ("key", "text"),
    ("centre_id", "bigint"),
    ("source_id", "bigint"),
    ("site_id", "bigint"),
    ("equipment_id", "bigint"),
    ("signal", "text"),
    ("klass", "text"),
    ("priority", "int"),
    ("state", "text"),
    ("active", "boolean"),
    ("count", "int"),
    ("first_at", "timestamptz"),
    ("last_at", "timestamptz"),
    ("cleared_at", "timestamptz"),
    ("value", "text"),
    ("text", "text"),
    ("suppressed_reason", "text"),
)
# what the gateway changes on an open alarm (with ``updated_at``)
ALARM_CHANGES = (
    ("id", "bigint"),
    ("klass", "text"),
    ("priority", "int"),
    ("state", "text"),
    ("active", "boolean"),
    ("count", "int"),
    ("last_at", "timestamptz"),
    ("cleared_at", "timestamptz"),
    ("value", "text"),
    ("text", "text"),
)
# the columns people change; the gateway writes their empty values on insert
_ALARM_DEFAULTS = (("version", "int", 1), ("shelve_reason", "text", ""))
_TIMES = {"received_at", "occurred_at", "first_at", "last_at", "cleared_at"}
_CHUNK = 500  # rows per SQLite statement: well under its parameter limit


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


def _insert(table: str, columns: Sequence[tuple[str, str]], rows: list[tuple], suffix: str):
    """Inserts ``rows`` (database values in the order of ``columns``); returns what
    ``suffix``'s ``RETURNING`` gives."""
    names = ", ".join(name for name, _ in columns)
    found: list[tuple] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for _, kind in columns)
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {suffix}",
                [list(values) for values in zip(*rows, strict=True)],
            )
            return cursor.fetchall()
        one = "(" + ", ".join(["%s"] * len(columns)) + ")"
        for chunk in _chunks(rows):
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))} {suffix}",
                [value for row in chunk for value in row],
            )
            found += cursor.fetchall()
    return found


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
    """Stores the events not stored yet (values in the order of ``EVENT_COLUMNS``, times
    aware); returns the (source id, event id) of those it stored."""
    # in one order: two batches that share events wait for each other, not deadlock
    rows = sorted(rows, key=lambda row: (row[0], row[1]))
    to_db = _db_time()
    if connection.vendor == "sqlite":  # received_at is one value for the batch
        received = {row[2] for row in rows}
        as_db = {at: to_db(at) for at in received}
        rows = [(r[0], r[1], as_db[r[2]], to_db(r[3]), *r[4:]) for r in rows]
    returned = _insert(
        EVENT_TABLE,
        EVENT_COLUMNS,
        rows,
        "ON CONFLICT (source_id, event_id) DO NOTHING RETURNING source_id, event_id",
    )
    return {(int(source), event) for source, event in returned}


def open_alarms(keys: list[str]) -> dict[str, AlarmRow]:
    """The open alarm of each key, locked for this transaction on PostgreSQL."""
    found: dict[str, AlarmRow] = {}
    from_db = _from_db_time()
    fields = ("id", *(name for name, _ in ALARM_COLUMNS))
    # the literal condition, as the partial unique index on key has it, lets the index serve
    # the query (SQLite scans the table for ``state <> …``)
    select = (
        f"SELECT {', '.join(fields)} FROM {ALARM_TABLE} "
        f"WHERE {{keys}} AND NOT (state = '{AlarmState.CLEARED}') ORDER BY id"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(select.format(keys="key = ANY(%s::text[])") + " FOR UPDATE", [keys])
            fetched = cursor.fetchall()
        else:
            fetched = []
            for chunk in _chunks(keys):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(select.format(keys=f"key IN ({marks})"), chunk)
                fetched += cursor.fetchall()
    for values in fetched:
        data = dict(zip(fields, values, strict=True))
        for name in ("first_at", "last_at", "cleared_at"):
            data[name] = from_db(data[name])
        data["active"] = bool(data["active"])
        found[data["key"]] = AlarmRow(**data)
    return found


def latest_events(
    since: dict[str, datetime], besides: set[tuple[int, str]]
) -> dict[str, Occurrence]:
    """The latest event of each key later than its time in ``since``, of those stored before
    (not the (source id, event id) in ``besides``: this batch's). Along the index on
    (alarm key, time); usually none."""
    if not since:
        return {}
    to_db, from_db = _db_time(), _from_db_time()
    select = (
        f"SELECT alarm_key, source_id, event_id, action, occurred_at, klass, value, text "
        f"FROM {EVENT_TABLE} WHERE {{keys}} AND occurred_at > %s"
    )
    keys, after = list(since), to_db(min(since.values()))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(select.format(keys="alarm_key = ANY(%s::text[])"), [keys, after])
            fetched = cursor.fetchall()
        else:
            fetched = []
            for chunk in _chunks(keys):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(select.format(keys=f"alarm_key IN ({marks})"), [*chunk, after])
                fetched += cursor.fetchall()
    found: dict[str, Occurrence] = {}
    for key, source_id, event_id, action, at, klass, value, text in fetched:
        at = from_db(at)
        if (int(source_id), event_id) in besides or at <= since[key]:
            continue
        if key not in found or at >= found[key].at:
            found[key] = Occurrence(action, at, klass, value, text)
    return found


def save_alarms(rows: list[AlarmRow], now: datetime) -> None:
    """Inserts the new rows (setting their ids) and updates the changed existing ones."""
    to_db, now = _db_time(), _db_time()(now)

    def values(row: AlarmRow, columns) -> tuple:
        return tuple(
            to_db(getattr(row, name)) if name in _TIMES else getattr(row, name)
            for name, _ in columns
        )

    changed = [values(r, ALARM_CHANGES) for r in rows if r.id is not None and r.changed]
    if changed:
        _update_alarms(changed, now)
    new = [r for r in rows if r.id is None]
    if new:
        defaults = (*(value for _, _, value in _ALARM_DEFAULTS), now, now)
        returned = _insert(
            ALARM_TABLE,
            (
                *ALARM_COLUMNS,
                *((name, kind) for name, kind, _ in _ALARM_DEFAULTS),
                ("created_at", "timestamptz"),
                ("updated_at", "timestamptz"),
            ),
            [(*values(r, ALARM_COLUMNS), *defaults) for r in new],
            "RETURNING id, key",
        )
        # a key may have several new rows (one suppressed and cleared, then another), in
        # the order they were inserted
        by_key: dict[str, list[AlarmRow]] = {}
        for r in new:
            by_key.setdefault(r.key, []).append(r)
        for pk, key in returned:
            by_key[key].pop(0).id = pk


def _update_alarms(changed: list[tuple], now) -> None:
    names = [name for name, _ in ALARM_CHANGES[1:]]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{kind}[]" for _, kind in ALARM_CHANGES)
            aliases = ", ".join(name for name, _ in ALARM_CHANGES)
            cursor.execute(
                f"UPDATE {ALARM_TABLE} AS a SET "
                + ", ".join(f"{name} = u.{name}" for name in names)
                + f", updated_at = %s FROM unnest({arrays}) AS u({aliases}) WHERE a.id = u.id",
                [now, *(list(column) for column in zip(*changed, strict=True))],
            )
        else:  # in-process: one prepared statement run per row is as fast
            cursor.executemany(
                f"UPDATE {ALARM_TABLE} SET "
                + ", ".join(f"{name} = %s" for name in names)
                + ", updated_at = %s WHERE id = %s",
                [(*row[1:], now, row[0]) for row in changed],
            )
