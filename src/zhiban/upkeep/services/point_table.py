"""A new station's four-remote point table (ACC-2): its import into a commissioning sheet
being prepared, and commissioning mode — while the sheet is being checked, what the gateway
brings for its points is held back from the alarm console and shown on the sheet.

The import checks every row first (``point_table.read``, before the transaction opens, so the
database is not held while a big file is parsed): one bad row and nothing is written (422 with
``rows``: row, column, message). A good table replaces the sheet's points in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import Conflict, MissingVersion, NotFound, Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import locked, save_change
from zhiban.org.models import Centre

from .. import point_table
from ..models import AcceptancePoint, AcceptanceSheet, SheetKind, SheetState
from . import acceptance

RULE = "ACC-2"
BATCH = 2_000
LIVE_ROWS = 50  # more points with a new value in one batch: the whole sheet reloads


@dataclass(frozen=True)
class PointsImported:
    sheet: AcceptanceSheet
    points: int


def _refuse_unless_draft(sheet: AcceptanceSheet) -> None:
    if sheet.kind != SheetKind.COMMISSIONING:
        raise Refused(
            _("Only a new station's four-remote acceptance takes a point table (ACC-2)."),
            code="not_commissioning",
            rule=RULE,
        )
    if sheet.state != SheetState.DRAFT:
        raise Refused(
            _(
                "The point table can only be imported while the sheet is being prepared; "
                "this one is “%(state)s” (ACC-2)."
            )
            % {"state": sheet.get_state_display()},
            code="sheet_not_draft",
            rule=RULE,
        )


def points_import_check(*, actor, sheet_id, version) -> AcceptanceSheet:
    """ACC-2: what is checked before a table is read — the person may prepare the sheet's
    acceptance, the sheet is a commissioning sheet being prepared (else 409 naming ACC-2), the
    version is the one read (missing → 422, stale → 409). Used by ``points_import`` and by the
    page before it starts a big table's import as a job (issue 15)."""
    try:
        sheet = AcceptanceSheet.objects.select_related("centre", "site").get(pk=sheet_id)
    except (AcceptanceSheet.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    require(actor, Action.ACCEPTANCE_PREPARE, sheet.centre)
    if version is None:
        raise MissingVersion()
    _refuse_unless_draft(sheet)
    if sheet.version != version:
        raise Conflict()  # before a big file is read; checked again under the lock
    return sheet


def points_import(*, actor, source, sheet_id, version, file, progress=None) -> PointsImported:
    """ACC-2: the table's rows become the points of a commissioning sheet being prepared,
    replacing those it had, in the table's order. Refused (409 naming ACC-2) once checking
    has begun; a stale version → 409; any bad row → 422 with ``rows`` and nothing written.
    ``progress(done, total, message="")``, if given, hears the rows checked, then the points
    written (a job's progress bar, issue 15)."""
    sheet = points_import_check(actor=actor, sheet_id=sheet_id, version=version)
    rows, problems = point_table.read(file, sheet.centre, site=sheet.site, progress=progress)
    if problems:
        fields = {"file": [problems[0]["message"]]} if problems[0]["row"] == 0 else None
        raise point_table.PointTableRefused(problems, fields=fields)
    return _replace(
        actor=actor,
        source=source,
        sheet_id=sheet.pk,
        version=version,
        rows=rows,
        file_name=(getattr(file, "name", "") or "points.xlsx")[:200],
        progress=progress,
    )


@transaction.atomic
def _replace(*, actor, source, sheet_id, version, rows, file_name, progress=None) -> PointsImported:
    sheet = locked(AcceptanceSheet.objects.select_related("centre"), sheet_id, version)
    _refuse_unless_draft(sheet)
    before = audit.snapshot(sheet)
    replaced = AcceptancePoint.objects.filter(sheet=sheet).delete()[0]
    _insert(sheet, rows, progress)
    by_type: dict[str, int] = {}
    for row in rows:
        by_type[row.remote_type] = by_type.get(row.remote_type, 0) + 1
    save_change(
        sheet,
        actor=actor,
        source=source,
        verb="point_table.import",
        before=before,
        reason=_("Imported from %(file)s") % {"file": file_name},
        noted={"points": len(rows), "points_replaced": replaced, "by_type": by_type},
    )
    live.refresh_on_commit(sheet.centre, "upkeep", acceptance.sheet_panel(sheet.pk))
    return PointsImported(sheet, len(rows))


# the row's own columns; every other column takes its field's default (created and updated: now)
ROW_COLUMNS = (
    "seq",
    "site_id",
    "bay",
    "name",
    "remote_type",
    "address",
    "klass",
    "low",
    "high",
    "unit",
)


def _insert(sheet: AcceptanceSheet, rows: list[point_table.Row], progress=None) -> None:
    """The rows as the sheet's points, in order: one prepared INSERT run over the rows in
    batches (``executemany``). Model instances and ``bulk_create`` cost six seconds and 40 MB
    more for 20,000 points on SQLite, whose 999 parameters allow 35 rows a statement
    (bench/point_import.py). ``progress``, if given, hears the rows written after each batch."""
    fields = [f for f in AcceptancePoint._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    constant = {}
    for field in fields:
        if field.attname in ROW_COLUMNS:
            continue
        value: object
        if field.attname == "sheet_id":
            value = sheet.pk
        elif field.attname in ("created_at", "updated_at"):
            value = now
        else:  # "" for text, None for a tick's person and time, a defect, a value received
            value = field.get_default()
        constant[field.attname] = field.get_db_prep_save(value, connection)
    order = [f.attname for f in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (names from the model)
        quote(AcceptancePoint._meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )

    def values(seq: int, row: point_table.Row) -> tuple:
        own = {
            "seq": seq,
            "site_id": row.site_id,
            "bay": row.bay,
            "name": row.name,
            "remote_type": row.remote_type,
            "address": row.address,
            "klass": row.klass,
            "low": row.low,
            "high": row.high,
            "unit": row.unit,
        }
        return tuple(own[a] if a in own else constant[a] for a in order)

    if progress is not None:
        progress(0, len(rows), _("Rows written"))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                sql,
                [
                    values(seq, row)
                    for seq, row in enumerate(rows[start : start + BATCH], start + 1)
                ],
            )
            if progress is not None:
                progress(min(start + BATCH, len(rows)), len(rows))


# --- commissioning mode (ACC-2) -----------------------------------------------------------


@dataclass(slots=True)
class _Held:
    """A point of a sheet being checked, as commissioning mode needs it."""

    id: int
    sheet_id: int
    bay: str
    at: datetime | None  # when its last value came
    value: str | None = None  # a new value, if the batch brought one


def _points_of(readings: list) -> tuple[dict[tuple[int, str], list[_Held]], dict[int, int]]:
    """The points of sheets being checked that the readings name, by (site id, signal), and
    those sheets' centres; one query when no commissioning sheet is being checked anywhere,
    two otherwise."""
    checking = dict(
        AcceptanceSheet.objects.filter(
            kind=SheetKind.COMMISSIONING, state=SheetState.CHECKING
        ).values_list("id", "centre_id")
    )
    if not checking:
        return {}, checking
    names: dict[int, set[str]] = {}
    for reading in readings:
        names.setdefault(reading.site_id, set()).add(reading.signal)
    named = Q()
    for site_id, signals in names.items():
        named |= Q(site_id=site_id, name__in=signals)
    found: dict[tuple[int, str], list[_Held]] = {}
    # by station and signal only, so that the (site, name) index serves the query; points of
    # sheets not being checked are passed over here (few: a station's earlier acceptances)
    rows = (
        AcceptancePoint.objects.filter(named)
        .order_by()
        .values_list("id", "sheet_id", "site_id", "name", "bay", "last_value_at")
    )
    for pk, sheet_id, site_id, name, bay, at in rows:
        if sheet_id in checking:
            found.setdefault((site_id, name), []).append(_Held(pk, sheet_id, bay, at))
    return found, checking


def _note_values(points: list[_Held]) -> None:
    """Each point's last value and its time: one prepared UPDATE run over the points
    (``executemany``); ``bulk_update``'s CASE per row costs seconds for thousands of points."""
    table = AcceptancePoint._meta
    value_at = table.get_field("last_value_at")
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} = %s, {} = %s WHERE {} = %s".format(  # noqa: S608 (model names)
        quote(table.db_table),
        quote("last_value"),
        quote(str(value_at.column)),
        quote(str(table.pk.column)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [(p.value, value_at.get_db_prep_save(p.at, connection), p.id) for p in points]
        )


def _refresh_rows(points: list[_Held], centres: dict[int, int]) -> None:
    """The rows of the points that got a value, on the sheets' open pages; the whole sheet
    where many did at once."""
    by_sheet: dict[int, list[_Held]] = {}
    for point in points:
        by_sheet.setdefault(point.sheet_id, []).append(point)
    for sheet_id, theirs in by_sheet.items():
        panels = (
            [acceptance.sheet_panel(sheet_id)]
            if len(theirs) > LIVE_ROWS
            else [acceptance.point_panel(sheet_id, p.id) for p in theirs]
        )
        live.refresh_on_commit(Centre(pk=centres[sheet_id]), *panels)


def commissioning_readings(readings: list, now) -> dict[tuple[int, str], str]:
    """ACC-2, commissioning mode, the gateway's signal provider (``alarms.suppressions``).
    ``readings``: what a batch brought, each with ``site_id``, ``equipment`` (as sent),
    ``signal``, ``value`` (as shown) and ``at`` (event time). Answers the (site id, signal)
    pairs of points of a commissioning sheet being checked, each with the reason its new
    alarms are suppressed (stored, shown on the sheet, not ringing the operators), and notes
    each matching point's last value (one UPDATE run over them). A reading matches the points
    of its station and signal name; where one of those has the reading's equipment as its
    bay, only those. The sheet's state is read each time, so the mode ends when the sheet
    closes. Runs inside the gateway's transaction."""
    if not readings:
        return {}
    by_signal, centres = _points_of(readings)
    if not by_signal:
        return {}
    changed: dict[int, _Held] = {}
    for reading in sorted(readings, key=lambda r: r.at):
        candidates = by_signal.get((reading.site_id, reading.signal))
        if not candidates:
            continue
        same_bay = [p for p in candidates if reading.equipment and p.bay == reading.equipment]
        for point in same_bay or candidates:
            if point.at is None or reading.at >= point.at:
                point.value, point.at = reading.value[:60], reading.at
                changed[point.id] = point
    if changed:
        _note_values(list(changed.values()))
        _refresh_rows(list(changed.values()), centres)
    reason = _("being accepted (验收中, ACC-2)")
    return dict.fromkeys(by_signal, reason)
