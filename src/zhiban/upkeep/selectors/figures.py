"""Upkeep's figures over a period for the shift and monthly reports (RPT-1): defects reported
and eliminated by grade, the defects open at the period's end by grade and age, the overdue
ones (DEF-1), the counters that reached their limit, the operations counted in the period's
months (CNT-1, CNT-3) and the counters nearest their limits now (CNT-2). Every figure is one
aggregate query over the centre's rows; nothing is read row by row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, IntegerField, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhiban.core.figures import Figure, rate

from ..models import CounterKind, CounterMonth, Defect, DefectGrade, OperationCounter
from .counters import full_q, near_q, with_percent

# the age of a defect open at the period's end (DEF-1): up to a day, a week, a month, a quarter
AGE_BUCKETS: list[tuple[str, object, timedelta | None]] = [
    ("day", gettext_lazy("under 1 day"), timedelta(days=1)),
    ("week", gettext_lazy("1–7 days"), timedelta(days=7)),
    ("month", gettext_lazy("7–30 days"), timedelta(days=30)),
    ("quarter", gettext_lazy("30–90 days"), timedelta(days=90)),
    ("older", gettext_lazy("90 days or more"), None),
]
NEAREST_SHOWN = 10


def _open_at(end: datetime) -> Q:
    """Open at ``end``: reported before it and not verified by then (a defect leaves the open
    states only by its verification, DEF-1)."""
    return Q(reported_at__lt=end) & (Q(verified_at__isnull=True) | Q(verified_at__gte=end))


def _age_q(end: datetime, index: int) -> Q:
    """The open defects of AGE_BUCKETS[index] at ``end``."""
    young = AGE_BUCKETS[index][2]
    older = AGE_BUCKETS[index - 1][2] if index else None
    q = Q()
    if young is not None:
        q &= Q(reported_at__gt=end - young)
    if older is not None:
        q &= Q(reported_at__lte=end - older)
    return q


def _months_in(centre, start: datetime, end: datetime) -> list[date]:
    """The months whose first midnight (in the centre's zone) lies in [start, end): the
    month-end figures (CNT-3) count only for a period made of whole months."""
    first = timezone.localtime(start, centre.tz).date().replace(day=1)
    months: list[date] = []
    while True:
        midnight = datetime(first.year, first.month, 1, tzinfo=centre.tz)
        if midnight >= end:
            return months
        if midnight >= start:
            months.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)


def period_figures(*, centre, start, end) -> list[Figure]:
    """RPT-1: defects reported and eliminated in [start, end) by grade, eliminated in time
    (DEF-1), open and overdue at the end; counters that reached their limit in the period
    (CNT-2) and the operations counted in its whole months by kind (CNT-3; None for a period
    shorter than a month, such as a shift). Three aggregate queries."""
    reported = Q(reported_at__gte=start, reported_at__lt=end)
    eliminated = Q(eliminated_at__gte=start, eliminated_at__lt=end)
    open_at_end = _open_at(end)
    counts = {
        f"reported_{g}": Count("id", filter=reported & Q(grade=g)) for g in DefectGrade.values
    }
    counts |= {
        f"eliminated_{g}": Count("id", filter=eliminated & Q(grade=g)) for g in DefectGrade.values
    }
    counts |= {f"open_{g}": Count("id", filter=open_at_end & Q(grade=g)) for g in DefectGrade}
    d = (
        Defect.objects.filter(centre=centre)
        .filter(reported | eliminated | open_at_end)
        .order_by()
        .aggregate(
            **counts,
            in_time=Count("id", filter=eliminated & Q(eliminated_at__lte=F("due_at"))),
            overdue=Count("id", filter=open_at_end & Q(due_at__lt=end)),
        )
    )
    full = OperationCounter.objects.filter(
        equipment__centre=centre, full_at__gte=start, full_at__lt=end
    ).count()
    operations = _operations(centre, start, end)

    def total(prefix: str) -> int:
        return sum(d[f"{prefix}_{g}"] for g in DefectGrade.values)

    figures = [
        Figure(
            "defects_reported", gettext_lazy("Defects reported"), total("reported"), rule="DEF-1"
        ),
    ]
    figures += [
        Figure(f"defects_reported_{g.value}", g.label, d[f"reported_{g.value}"], rule="DEF-1")
        for g in DefectGrade
    ]
    eliminated_total = total("eliminated")
    figures += [
        Figure(
            "defects_eliminated",
            gettext_lazy("Defects eliminated"),
            eliminated_total,
            better="up",
            rule="DEF-1",
        ),
        Figure(
            "defects_in_time",
            gettext_lazy("Eliminated in time"),
            rate(d["in_time"], eliminated_total),
            unit="%",
            better="up",
            rule="DEF-1",
        ),
        Figure(
            "defects_open",
            gettext_lazy("Defects open at the end"),
            total("open"),
            better="down",
            rule="DEF-1",
        ),
    ]
    figures += [
        Figure(
            f"defects_open_{g.value}",
            g.label,
            d[f"open_{g.value}"],
            better="down",
            rule="DEF-1",
        )
        for g in DefectGrade
    ]
    figures += [
        Figure(
            "defects_overdue",
            gettext_lazy("Open defects overdue"),
            d["overdue"],
            better="down",
            rule="DEF-1",
        ),
        Figure(
            "counters_reached_limit",
            gettext_lazy("Counters that reached their limit"),
            full,
            better="down",
            rule="CNT-2",
        ),
    ]
    figures += [
        Figure(
            f"operations_{kind.value}",
            kind.label,
            None if operations is None else operations.get(kind.value, 0),
            rule="CNT-3",
        )
        for kind in CounterKind
    ]
    return figures


def _operations(centre, start: datetime, end: datetime) -> dict[str, int] | None:
    """Operations per counter kind in the period's whole months: the month-end figure where
    entered, else what the alarms counted (CNT-3); None when the period holds no whole month."""
    months = _months_in(centre, start, end)
    if not months:
        return None
    rows = (
        CounterMonth.objects.filter(counter__equipment__centre=centre, month__in=months)
        .order_by()
        .values_list("counter__kind")
        .annotate(n=Sum(Coalesce("entered", "counted", output_field=IntegerField())))
    )
    return {kind: n or 0 for kind, n in rows}


@dataclass(frozen=True)
class GradeAges:
    """One grade's defects open at the period's end, by age (AGE_BUCKETS), and how many of
    them are past their deadline (DEF-1)."""

    grade: str
    label: str
    ages: list[int]
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.ages)


def defects_by_grade_age(*, centre, start, end) -> list[GradeAges]:
    """RPT-1, DEF-1: the defects open at ``end`` per grade and age bucket, every grade listed;
    one grouped query (``start`` is the period's, unused: the ages are at its end)."""
    del start
    buckets = {
        key: Count("id", filter=_age_q(end, i)) for i, (key, _label, _d) in enumerate(AGE_BUCKETS)
    }
    rows: dict[str, Any] = {
        row["grade"]: row
        for row in Defect.objects.filter(centre=centre)
        .filter(_open_at(end))
        .order_by()
        .values("grade")
        .annotate(**buckets, overdue=Count("id", filter=Q(due_at__lt=end)))
    }
    return [
        GradeAges(
            g.value,
            str(g.label),
            [rows.get(g.value, {}).get(key, 0) for key, _label, _d in AGE_BUCKETS],
            rows.get(g.value, {}).get("overdue", 0),
        )
        for g in DefectGrade
    ]


def age_labels() -> list[str]:
    return [str(label) for _key, label, _d in AGE_BUCKETS]


def counters_nearest_limits(*, centre, shown: int = NEAREST_SHOWN) -> list[OperationCounter]:
    """CNT-2: the counters with a limit, fullest first, now (a counter's count is kept, not its
    history); each with ``percent``, its equipment and station. One query."""
    rows = OperationCounter.objects.filter(equipment__centre=centre, limit__gt=0)
    rows = with_percent(rows).select_related("equipment__site")
    return list(rows.order_by("-percent", "-count", "id")[:shown])  # type: ignore[misc]


def counters_at_limits(*, centre) -> dict[str, int]:
    """CNT-2: how many counters are at their limit and near it (NEAR_PERCENT) now; one query."""
    return OperationCounter.objects.filter(equipment__centre=centre).aggregate(
        full=Count("id", filter=full_q()), near=Count("id", filter=near_q())
    )
