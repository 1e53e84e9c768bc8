"""Scoped reads of operation counters (CNT-1 … CNT-3): the list with its filters, a counter
with its months, those at or near their limits, and the month-end statistics per station."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Least

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..forms.counters import add_months, months_between
from ..models import CounterKind, CounterMonth, OperationCounter

NEAR_PERCENT = 90  # CNT-2: a count at 90 % of its limit is shown as near it


def _scoped(*, user, centre) -> QuerySet[OperationCounter]:
    rows = OperationCounter.objects.filter(equipment__centre=centre)
    return limit(rows, user, field="equipment__centre")


def with_percent(rows: QuerySet[OperationCounter]) -> QuerySet[OperationCounter]:
    """``percent``: the count as a share of the limit (0–100 for the bar; None without one)."""
    return rows.annotate(
        percent=Case(
            When(limit__gt=0, then=Least(F("count") * 100 / F("limit"), Value(100))),
            default=None,
            output_field=IntegerField(),
        )
    )


def near_q() -> Q:
    """Near its limit: ≥ 90 % and below it (CNT-2)."""
    return Q(limit__gt=0, count__lt=F("limit"), count__gte=F("limit") * NEAR_PERCENT / 100.0)


def full_q() -> Q:
    return Q(limit__gt=0, count__gte=F("limit"))


def counter_list(
    *, user, centre, site=None, kind: str = "", state: str = "", q: str = ""
) -> QuerySet[OperationCounter]:
    """The centre's counters by station, equipment and kind, with the filters applied."""
    rows = _scoped(user=user, centre=centre)
    if site is not None:
        rows = rows.filter(equipment__site=site)
    if kind:
        rows = rows.filter(kind=kind)
    if state == "full":
        rows = rows.filter(full_q())
    elif state == "near":
        rows = rows.filter(near_q())
    elif state == "no_limit":
        rows = rows.filter(limit__isnull=True)
    if q:
        rows = rows.filter(
            Q(equipment__name__icontains=q)
            | Q(equipment__dispatch_number__icontains=q)
            | Q(equipment__site__name__icontains=q)
        )
    return with_percent(
        rows.select_related("equipment__site", "defect").order_by(
            "equipment__site__name", "equipment__tree_path", "kind", "id"
        )
    )


def counter_get(*, user, centre, pk) -> OperationCounter:
    rows = _scoped(user=user, centre=centre).select_related(
        "equipment__site", "equipment__centre", "defect"
    )
    return get_or_404(with_percent(rows), pk)


def month_list(counter: OperationCounter) -> QuerySet[CounterMonth]:
    """A counter's months (reached through its selector), latest first."""
    return counter.months.select_related("entered_by").order_by("-month")


def attention(*, user, centre) -> QuerySet[OperationCounter]:
    """The counters at or near their limits, fullest first (the upkeep home, CNT-2)."""
    rows = _scoped(user=user, centre=centre).filter(full_q() | near_q())
    rows = with_percent(rows.select_related("equipment__site", "defect"))
    return rows.order_by("-percent", "equipment__site__name", "id")  # type: ignore[misc]


@dataclass
class StationRow:
    site_id: int
    site: str
    figures: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.figures)


@dataclass
class Stats:
    start: date
    end: date
    months: list[date]
    kind: str
    stations: list[StationRow]

    @property
    def totals(self) -> list[int]:
        return [sum(r.figures[i] for r in self.stations) for i in range(len(self.months))]

    @property
    def total(self) -> int:
        return sum(self.totals)


def month_stats(*, user, centre, start: date, end: date, site=None, kind: str = "") -> Stats:
    """CNT-3: each station's operations per month from ``start`` to ``end`` (first days), the
    month-end figure where entered, else what the alarms counted; one query."""
    months = [add_months(start, i) for i in range(months_between(start, end))]
    index = {m: i for i, m in enumerate(months)}
    rows = CounterMonth.objects.filter(
        counter__in=_scoped(user=user, centre=centre), month__gte=start, month__lte=end
    )
    if site is not None:
        rows = rows.filter(counter__equipment__site=site)
    if kind:
        rows = rows.filter(counter__kind=kind)
    stations: dict[int, StationRow] = {}
    for site_id, site_name, month, counted, entered in rows.values_list(
        "counter__equipment__site_id",
        "counter__equipment__site__name",
        "month",
        "counted",
        "entered",
    ).order_by("counter__equipment__site__name"):
        if month not in index:
            continue
        row = stations.setdefault(site_id, StationRow(site_id, site_name, [0] * len(months)))
        row.figures[index[month]] += entered if entered is not None else counted
    return Stats(start, end, months, kind, sorted(stations.values(), key=lambda r: r.site))


def kind_label(kind: str) -> str:
    return str(CounterKind(kind).label) if kind else ""
