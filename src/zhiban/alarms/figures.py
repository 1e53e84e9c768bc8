"""A centre's monthly alarm-management figures, as ANSI/ISA-18.2 (IEC 62682) measures them
(INC-2, INC-3, INC-11): new alarms by class and site, alarms per operator-hour, the share of
flood windows, the most frequent ("chattering") alarms, stale alarms and acknowledgement.

The month is a calendar month in the centre's zone, counted up to its end or now, whichever
is earlier. The figures count the alarms announced to the operators: a suppressed alarm is not
announced (as for the flood banner, INC-3) and is counted apart. Everything is aggregated in
the database: the month's alarms follow the index on (centre, first_at), so a month costs a
handful of grouped queries over its own alarms, not over the whole table (stale alarms: see
``_stale``).
"""

from __future__ import annotations

import math
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhiban.core.exports import xlsx_file_response, xlsx_value
from zhiban.core.forms import month_span
from zhiban.core.tables import plain
from zhiban.org.models import Equipment, Site

from .models import PRIORITY, Alarm, AlarmClass, AlarmSource, AlarmState
from .words import words_for

# ISA-18.2 benchmarks (Table 16): alarms per operator per hour and per 10 minutes, floods,
# the top 10 alarms' share of the load and stale alarms.
ACCEPTABLE_PER_HOUR = 6  # "very likely acceptable"
MANAGEABLE_PER_HOUR = 12  # "maximum manageable"
FLOOD_SHARE_TARGET = 0.01  # under 1% of the 10-minute windows in flood
TOP_SHARE_GOOD, TOP_SHARE_MAX = 0.01, 0.05  # the top 10 alarms: about 1%, at most 5%
STALE_TARGET = 5  # fewer than 5 stale alarms on any day
STALE_AFTER = timedelta(hours=24)
STALE_SHOWN = 50
TOP_SHOWN = 10

BENCHMARKS = {
    "acceptable_per_hour": ACCEPTABLE_PER_HOUR,
    "manageable_per_hour": MANAGEABLE_PER_HOUR,
    "acceptable_per_10_minutes": ACCEPTABLE_PER_HOUR / 6,
    "manageable_per_10_minutes": MANAGEABLE_PER_HOUR / 6,
    "flood_share_under": FLOOD_SHARE_TARGET,
    "top_share_good": TOP_SHARE_GOOD,
    "top_share_max": TOP_SHARE_MAX,
    "stale_under": STALE_TARGET,
}

SIGNED_IN, ROSTERED, NO_ROSTER = "signed_in", "rostered", "none"
# an announced alarm whose condition is present is in one of these (lifecycle.py)
STANDING_STATES = [AlarmState.UNACKED, AlarmState.ACKED, AlarmState.SHELVED]
ANNOUNCED_STATES = [s for s in AlarmState if s != AlarmState.SUPPRESSED]


def _level(value: float | None, good: float, bad_above: float) -> str:
    """How a figure compares with its benchmark: good, warn (between) or bad; none without
    a figure."""
    if value is None:
        return "none"
    if value <= good:
        return "good"
    return "warn" if value <= bad_above else "bad"


def _share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class ClassFigures:
    """New alarms of one class (INC-11) and how they were acknowledged (INC-2)."""

    klass: str
    label: str
    priority: int
    alarms: int
    occurrences: int
    acked: int
    ack_share: float | None
    median_ack_seconds: float | None


@dataclass(frozen=True)
class SiteFigures:
    site_id: int
    code: str
    name: str
    alarms: int
    share: float | None


@dataclass(frozen=True)
class FrequentAlarm:
    """One of the most frequent alarms: its activations (alarm rows) and occurrences."""

    source: str
    site: str
    equipment: str
    signal: str
    activations: int
    occurrences: int
    share_of_alarms: float | None
    share_of_occurrences: float | None


@dataclass(frozen=True)
class StaleAlarm:
    id: int
    site: str
    equipment: str
    signal: str
    klass: str
    klass_label: str
    state: str
    state_label: str
    first_at: datetime
    age_hours: float


@dataclass(frozen=True)
class Flood:
    """INC-3: windows of ``window_minutes`` from the month's start with more than
    ``threshold`` new alarms, among the windows of the month so far."""

    window_minutes: int
    threshold: int
    windows: int
    in_flood: int
    share: float | None
    peak_alarms: int
    peak_at: datetime | None

    @property
    def level(self) -> str:
        if self.share is None:
            return "none"
        return "good" if self.share < FLOOD_SHARE_TARGET else "bad"


@dataclass(frozen=True)
class AlarmFigures:
    month: date
    starts_at: datetime
    ends_at: datetime
    until: datetime  # the month's end or now, whichever is earlier
    alarms: int
    occurrences: int
    suppressed: int
    shelved: int
    by_class: list[ClassFigures]
    by_site: list[SiteFigures]
    operator_hours: float
    hours_basis: str  # signed_in | rostered | none
    flood: Flood
    top: list[FrequentAlarm]
    stale: list[StaleAlarm]
    stale_count: int
    acked: int
    median_ack_seconds: float | None

    @property
    def per_operator_hour(self) -> float | None:
        return self.alarms / self.operator_hours if self.operator_hours else None

    @property
    def per_10_minutes(self) -> float | None:
        rate = self.per_operator_hour
        return None if rate is None else rate / 6

    @property
    def rate_level(self) -> str:
        return _level(self.per_operator_hour, ACCEPTABLE_PER_HOUR, MANAGEABLE_PER_HOUR)

    @property
    def ack_share(self) -> float | None:
        return _share(self.acked, self.alarms)

    @property
    def top_share(self) -> float | None:
        """The top alarms' share of all occurrences (the alarm load ISA-18.2 measures)."""
        return _share(sum(t.occurrences for t in self.top), self.occurrences)

    @property
    def top_level(self) -> str:
        return _level(self.top_share, TOP_SHARE_GOOD, TOP_SHARE_MAX)

    @property
    def stale_level(self) -> str:
        return "good" if self.stale_count < STALE_TARGET else "bad"


def alarm_figures(alarms, roster, *, centre, month: date) -> AlarmFigures:
    """The figures of ``month`` from the centre's scoped ``alarms`` and ``roster`` entries
    (querysets the selector gives)."""
    start, end = month_span(centre, month)
    until = max(start, min(end, timezone.localtime(timezone=centre.tz)))
    announced = alarms.exclude(state=AlarmState.SUPPRESSED).order_by()
    of_month = announced.filter(first_at__gte=start, first_at__lt=end)
    words = words_for(centre)
    by_class = _by_class(of_month, words)
    total = sum(c.alarms for c in by_class)
    occurrences = sum(c.occurrences for c in by_class)
    acked = sum(c.acked for c in by_class)
    hours, basis = _operator_hours(roster, start, until)
    stale, stale_count = _stale(announced, until, words)
    return AlarmFigures(
        month=month,
        starts_at=start,
        ends_at=end,
        until=until,
        alarms=total,
        occurrences=occurrences,
        suppressed=alarms.filter(
            state=AlarmState.SUPPRESSED, first_at__gte=start, first_at__lt=end
        ).count(),
        shelved=of_month.filter(state=AlarmState.SHELVED).count(),
        by_class=by_class,
        by_site=_by_site(of_month, total),
        operator_hours=hours,
        hours_basis=basis,
        flood=_flood(of_month.filter(first_at__lt=until), centre, start, until),
        top=_top(of_month, total, occurrences),
        stale=stale,
        stale_count=stale_count,
        acked=acked,
        median_ack_seconds=_median_ack(of_month, acked),
    )


def _by_class(of_month, words) -> list[ClassFigures]:
    """Every class (INC-11) in priority order, named in the centre kind's ``words``, with
    zeros for the classes without alarms."""
    rows = {
        row["klass"]: row
        for row in of_month.values("klass").annotate(
            alarms=Count("id"),
            occurrences=Sum("count"),
            acked=Count("id", filter=Q(acked_at__isnull=False)),
        )
    }
    figures = []
    for klass in sorted(AlarmClass, key=PRIORITY.get):
        row = rows.get(klass.value, {})
        alarms, acked = row.get("alarms", 0), row.get("acked", 0)
        figures.append(
            ClassFigures(
                klass=klass.value,
                label=words.label(klass),
                priority=PRIORITY[klass],
                alarms=alarms,
                occurrences=row.get("occurrences") or 0,
                acked=acked,
                ack_share=_share(acked, alarms),
                median_ack_seconds=_median_ack(of_month.filter(klass=klass), acked),
            )
        )
    return figures


def _median_ack(alarms, acked: int) -> float | None:
    """The median time to acknowledge (acked_at − first_at) of the acknowledged alarms, in
    seconds: the middle one (or two) in the database's order, so nothing is loaded but them."""
    if not acked:
        return None
    waits = (
        alarms.filter(acked_at__isnull=False)
        .annotate(wait=F("acked_at") - F("first_at"))
        .order_by("wait")
        .values_list("wait", flat=True)
    )
    middle = list(waits[(acked - 1) // 2 : acked // 2 + 1])
    return sum(w.total_seconds() for w in middle) / len(middle)


def _by_site(of_month, total: int) -> list[SiteFigures]:
    counts = of_month.values_list("site_id").annotate(n=Count("id")).order_by("-n", "site_id")
    rows = list(counts)
    sites = Site.objects.in_bulk([site_id for site_id, _n in rows])
    return [SiteFigures(pk, sites[pk].code, sites[pk].name, n, _share(n, total)) for pk, n in rows]


def _operator_hours(roster, start: datetime, until: datetime) -> tuple[float, str]:
    """Operator-hours on duty in [start, until): each person's signed-in time (sign-in to
    sign-out, or to the shift's end); when nobody signed in, the rostered shift hours."""
    entries = list(
        roster.filter(shift__starts_at__lt=until, shift__ends_at__gt=start).values_list(
            "signed_in_at", "signed_out_at", "shift__starts_at", "shift__ends_at"
        )
    )
    signed = [(signed_in, out or ends) for signed_in, out, _s, ends in entries if signed_in]
    if signed:
        spans, basis = signed, SIGNED_IN
    else:
        spans = [(starts, ends) for _i, _o, starts, ends in entries]
        basis = ROSTERED if spans else NO_ROSTER
    seconds = sum(
        max(0.0, (min(to, until) - max(since, start)).total_seconds()) for since, to in spans
    )
    return seconds / 3600, basis


def _window_of(start: datetime, seconds: int) -> RawSQL:
    """The flood window an alarm's first occurrence falls in: whole windows since ``start``.
    One expression per database: SQLite keeps datetimes as UTC text, PostgreSQL as timestamps;
    both give the same epoch seconds."""
    column = (
        f"{connection.ops.quote_name(Alarm._meta.db_table)}.{connection.ops.quote_name('first_at')}"
    )
    if connection.vendor == "postgresql":
        sql = f"CAST(FLOOR((EXTRACT(EPOCH FROM {column}) - %s) / %s) AS BIGINT)"
    else:
        sql = f"((CAST(strftime('%%s', {column}) AS INTEGER) - %s) / %s)"
    return RawSQL(sql, (int(start.timestamp()), seconds), output_field=IntegerField())


def _flood(alarms, centre, start: datetime, until: datetime) -> Flood:
    """INC-3, ISA-18.2: the month so far cut into fixed windows from its start; a window with
    more than the centre's flood count of new alarms is in flood. The database counts the
    alarms per window; only the windows with alarms (at most a month's worth) come back."""
    minutes = centre.setting("alarms.flood_window_minutes")
    threshold = centre.setting("alarms.flood_count")
    seconds = minutes * 60
    per_window = dict(
        alarms.annotate(window=_window_of(start, seconds))
        .values_list("window")
        .annotate(n=Count("id"))
        .order_by()
    )
    windows = math.ceil((until - start).total_seconds() / seconds)
    in_flood = sum(1 for n in per_window.values() if n > threshold)
    peak = min(per_window.items(), key=lambda item: (-item[1], item[0]), default=None)
    return Flood(
        window_minutes=minutes,
        threshold=threshold,
        windows=windows,
        in_flood=in_flood,
        share=_share(in_flood, windows),
        peak_alarms=peak[1] if peak else 0,
        peak_at=start + timedelta(seconds=peak[0] * seconds) if peak else None,
    )


def _top(of_month, total: int, occurrences: int) -> list[FrequentAlarm]:
    """The most frequent alarms by (source, site, equipment, signal): occurrences, then
    activations (a chattering alarm raised and cleared again and again)."""
    rows = list(
        of_month.values("source_id", "site_id", "equipment_id", "signal")
        .annotate(activations=Count("id"), occurrences=Sum("count"))
        .order_by("-occurrences", "-activations", "signal", "site_id")[:TOP_SHOWN]
    )
    sources = AlarmSource.objects.in_bulk({r["source_id"] for r in rows})
    sites = Site.objects.in_bulk({r["site_id"] for r in rows})
    equipment = Equipment.objects.in_bulk({r["equipment_id"] for r in rows} - {None})
    return [
        FrequentAlarm(
            source=sources[r["source_id"]].name,
            site=sites[r["site_id"]].name,
            equipment=equipment[r["equipment_id"]].double_name if r["equipment_id"] else "",
            signal=r["signal"],
            activations=r["activations"],
            occurrences=r["occurrences"],
            share_of_alarms=_share(r["activations"], total),
            share_of_occurrences=_share(r["occurrences"], occurrences),
        )
        for r in rows
    ]


def _stale(announced, until: datetime, words) -> tuple[list[StaleAlarm], int]:
    """Alarms still active more than 24 hours at ``until``, whenever they started, oldest
    first: those active now, and those cleared only after ``until``. Two queries, each on the
    index on (centre, state, last_at): the alarms standing now are few, and the ones cleared
    since were last seen after ``until`` (none for the current month; the further back the
    month, the more alarms were seen since)."""
    older = announced.filter(first_at__lte=until - STALE_AFTER)
    standing = older.filter(active=True, state__in=STANDING_STATES)
    cleared_since = older.filter(
        state__in=ANNOUNCED_STATES, last_at__gt=until, cleared_at__gt=until
    )
    found = set(standing.values_list("first_at", "id")) | set(
        cleared_since.values_list("first_at", "id")
    )
    oldest = [pk for _first, pk in sorted(found)[:STALE_SHOWN]]
    shown = Alarm.objects.filter(pk__in=oldest).select_related("site", "equipment")
    rows = [
        StaleAlarm(
            id=a.pk,
            site=a.site.name,
            equipment=a.equipment.double_name if a.equipment_id else "",
            signal=a.signal,
            klass=a.klass,
            klass_label=words.label(a.klass),
            state=a.state,
            state_label=a.get_state_display(),
            first_at=a.first_at,
            age_hours=(until - a.first_at).total_seconds() / 3600,
        )
        for a in sorted(shown, key=lambda a: (a.first_at, a.pk))
    ]
    return rows, len(found)


# --- the .xlsx export ---------------------------------------------------------------------------

BASIS_LABELS = {
    SIGNED_IN: gettext_lazy("signed-in time (签到)"),
    ROSTERED: gettext_lazy("rostered shift hours: nobody signed in"),
    NO_ROSTER: gettext_lazy("nobody on the roster"),
}


def _percent(value: float | None):
    return "" if value is None else round(value * 100, 2)


def _round(value: float | None, digits: int = 2):
    return "" if value is None else round(value, digits)


def summary_rows(f: AlarmFigures) -> list[tuple[str, object, str]]:
    """The headline figures as (what, value, ISA-18.2 benchmark) rows."""
    return [
        (_("Month"), f"{f.month:%Y-%m}", ""),
        (_("Counted until"), plain(f.until), ""),
        (_("New alarms (announced)"), f.alarms, ""),
        (_("Occurrences"), f.occurrences, ""),
        (_("Operator-hours on duty"), _round(f.operator_hours), str(BASIS_LABELS[f.hours_basis])),
        (
            _("Alarms per operator-hour"),
            _round(f.per_operator_hour),
            _("≈ %(good)s very likely acceptable, ≈ %(max)s maximum manageable")
            % {"good": ACCEPTABLE_PER_HOUR, "max": MANAGEABLE_PER_HOUR},
        ),
        (
            _("Alarms per 10 minutes per operator"),
            _round(f.per_10_minutes),
            _("≈ %(good)s very likely acceptable, ≈ %(max)s maximum manageable")
            % {
                "good": BENCHMARKS["acceptable_per_10_minutes"],
                "max": BENCHMARKS["manageable_per_10_minutes"],
            },
        ),
        (_("Windows of the month so far"), f.flood.windows, ""),
        (_("Windows in flood (INC-3)"), f.flood.in_flood, ""),
        (_("Windows in flood (%)"), _percent(f.flood.share), _("under 1%")),
        (_("Most alarms in one window"), f.flood.peak_alarms, plain(f.flood.peak_at)),
        (
            _("Top 10 alarms' share of occurrences (%)"),
            _percent(f.top_share),
            _("about 1%, at most 5%"),
        ),
        (_("Stale alarms (active over 24 hours)"), f.stale_count, _("fewer than 5")),
        (_("Acknowledged (%)"), _percent(f.ack_share), ""),
        (_("Median time to acknowledge (s)"), _round(f.median_ack_seconds, 0), ""),
        (_("Suppressed (not announced)"), f.suppressed, ""),
        (_("Shelved now"), f.shelved, ""),
    ]


def _sheet(workbook, title: str, headers: list[str], rows) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xlsx_value(v) for v in row])
    for index, header in enumerate(headers):
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(
            12, min(40, len(header) + 4)
        )


def figures_xlsx(f: AlarmFigures, centre):
    """The month's figures as a workbook: the summary, by class, by site, the top 10 and the
    stale alarms, one sheet each."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        _("Summary"),
        [_("figure"), _("this month"), _("ISA-18.2 benchmark")],
        summary_rows(f),
    )
    _sheet(
        workbook,
        _("By class"),
        [
            _("class"),
            _("new alarms"),
            _("occurrences"),
            _("acknowledged alarms"),
            _("acknowledged (%)"),
            _("median time to acknowledge (s)"),
        ],
        [
            (
                c.label,
                c.alarms,
                c.occurrences,
                c.acked,
                _percent(c.ack_share),
                _round(c.median_ack_seconds, 0),
            )
            for c in f.by_class
        ],
    )
    _sheet(
        workbook,
        _("By site"),
        [_("site"), _("new alarms"), _("share (%)")],
        [(s.name, s.alarms, _percent(s.share)) for s in f.by_site],
    )
    _sheet(
        workbook,
        _("Top 10"),
        [
            _("source"),
            _("site"),
            _("equipment"),
            _("signal"),
            _("activations"),
            _("occurrences"),
            _("share of alarms (%)"),
            _("share of occurrences (%)"),
        ],
        [
            (
                t.source,
                t.site,
                t.equipment,
                t.signal,
                t.activations,
                t.occurrences,
                _percent(t.share_of_alarms),
                _percent(t.share_of_occurrences),
            )
            for t in f.top
        ],
    )
    _sheet(
        workbook,
        _("Stale alarms"),
        [
            _("site"),
            _("equipment"),
            _("signal"),
            _("class"),
            _("state"),
            _("first"),
            _("age (hours)"),
        ],
        [
            (
                s.site,
                s.equipment,
                s.signal,
                s.klass_label,
                s.state_label,
                s.first_at,
                _round(s.age_hours, 1),
            )
            for s in f.stale
        ],
    )
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes it
    workbook.save(handle)
    return xlsx_file_response(handle, f"{centre.code}-alarm-figures-{f.month:%Y-%m}")
