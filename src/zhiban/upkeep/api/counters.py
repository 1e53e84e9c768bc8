"""Operation counters over HTTP (CNT-1 … CNT-3) under /api/centres/{code}/upkeep/counters:
the list with its filters, one counter with its months, opening a counter, the team's limit
and reset, the centre's month-end figure and .xlsx import (a row-by-row report, nothing
written if any row is bad), and the month-end statistics per station (JSON or .xlsx)."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, File, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import XLSX, Id, Pagination, centre_of
from zhiban.core.errors import InvalidInput

from ..counter_export import stats_xlsx
from ..forms.counters import CounterFilterForm, CounterStatsForm
from ..selectors import counters as selectors
from ..services import counters as services

router = Router()
TAG = "upkeep: counters"
BASE = "/centres/{code}/upkeep/counters"
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Limit = Annotated[int, Field(ge=1, le=10_000_000)]
Month = Annotated[str, Field(max_length=7, pattern=r"^\d{4}-\d{2}$", examples=["2026-11"])]


class CounterOut(Schema):
    id: int
    equipment_id: int
    equipment: str
    site_id: int
    site: str
    kind: str
    count: int
    limit: int | None
    percent: int | None
    last_at: datetime | None
    full_at: datetime | None
    defect_id: int | None
    version: int

    @staticmethod
    def resolve_equipment(obj) -> str:
        return obj.equipment.double_name

    @staticmethod
    def resolve_site_id(obj) -> int:
        return obj.equipment.site_id

    @staticmethod
    def resolve_site(obj) -> str:
        return obj.equipment.site.name

    @staticmethod
    def resolve_percent(obj) -> int | None:
        return getattr(obj, "percent", None)


class CounterMonthOut(Schema):
    month: date
    counted: int
    entered: int | None
    figure: int
    entered_by_id: int | None
    entered_at: datetime | None


class CounterDetailOut(CounterOut):
    months: list[CounterMonthOut]

    @staticmethod
    def resolve_months(obj) -> list:
        return list(selectors.month_list(obj))


class CounterFilters(Schema):
    site: Id | None = None
    kind: Annotated[str, Field(max_length=10)] | None = None
    state: Annotated[str, Field(max_length=10)] | None = None
    q: Annotated[str, Field(max_length=100)] | None = None


class CounterOpenIn(Schema):
    equipment: Id
    kind: Annotated[str, Field(max_length=10)]
    limit: Limit | None = None


class CounterLimitIn(Schema):
    version: Id
    limit: Limit


class CounterMonthIn(Schema):
    version: Id
    month: Month
    count: Count


class CounterResetIn(Schema):
    version: Id
    reason: Annotated[str, Field(max_length=500)]


class CounterImportOut(Schema):
    rows: int
    changed: int
    opened: int
    full: int


class CounterStatsFilters(Schema):
    start: Month | None = None
    end: Month | None = None
    site: Id | None = None
    kind: Annotated[str, Field(max_length=10)] | None = None


class CounterStationOut(Schema):
    site_id: int
    site: str
    figures: list[int]
    total: int


class CounterStatsOut(Schema):
    start: date
    end: date
    kind: str
    months: list[str]
    stations: list[CounterStationOut]
    totals: list[int]
    total: int

    @staticmethod
    def resolve_months(obj) -> list[str]:
        return [f"{m:%Y-%m}" for m in obj.months]


def _chosen(form_class, centre, data: dict) -> dict:
    form = form_class({k: v for k, v in data.items() if v is not None}, centre=centre)
    if not form.is_valid():
        raise InvalidInput(fields={k: [str(e) for e in v] for k, v in form.errors.items()})
    return {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}


def _get(request, code: str, pk: int):
    centre = centre_of(request, code)
    return selectors.counter_get(user=request.user, centre=centre, pk=pk)


@router.get(BASE, response=list[CounterOut], tags=[TAG], operation_id="counter_list")
@paginate(Pagination)
def counter_list(request, code: str, filters: Query[CounterFilters]):
    """The centre's counters by station (filters: site, kind, state full | near | no_limit, q)."""
    centre = centre_of(request, code)
    chosen = _chosen(CounterFilterForm, centre, filters.dict())
    return selectors.counter_list(user=request.user, centre=centre, **chosen)


@router.post(BASE, response={201: CounterOut}, tags=[TAG], operation_id="counter_open")
def counter_open(request, code: str, payload: CounterOpenIn):
    """Open a counter for equipment that has none of this kind (a limit given: the team's,
    CNT-1)."""
    centre = centre_of(request, code)
    counter = services.counter_open(
        actor=request.user, source=Source.API, centre=centre, data=payload.dict()
    )
    return Status(201, selectors.counter_get(user=request.user, centre=centre, pk=counter.pk))


@router.get(
    BASE + "/statistics", response=CounterStatsOut, tags=[TAG], operation_id="counter_statistics"
)
def counter_statistics(request, code: str, filters: Query[CounterStatsFilters]):
    """CNT-3: each station's month-end operations per month (by default the last six ended)."""
    centre = centre_of(request, code)
    chosen = _chosen(CounterStatsForm, centre, filters.dict())
    return selectors.month_stats(user=request.user, centre=centre, **chosen)


@router.get(
    BASE + "/statistics.xlsx",
    tags=[TAG],
    operation_id="counter_statistics_export",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def counter_statistics_export(request, code: str, filters: Query[CounterStatsFilters]):
    """CNT-3: the same statistics as .xlsx."""
    centre = centre_of(request, code)
    chosen = _chosen(CounterStatsForm, centre, filters.dict())
    return stats_xlsx(selectors.month_stats(user=request.user, centre=centre, **chosen), centre)


@router.post(BASE + "/import", response=CounterImportOut, tags=[TAG], operation_id="counter_import")
def counter_import(request, code: str, file: File[UploadedFile]):
    """CNT-1, CNT-3: month-end counts from the monitoring system's .xlsx (station, equipment,
    counter, month, count). Any bad row → 422 with ``rows`` (row, column, message) and
    nothing written."""
    centre = centre_of(request, code)
    return services.counter_import(
        actor=request.user, source=Source.API, centre=centre, upload=file
    )


@router.get(BASE + "/{pk}", response=CounterDetailOut, tags=[TAG], operation_id="counter_get")
def counter_get(request, code: str, pk: Id):
    return _get(request, code, pk)


@router.post(BASE + "/{pk}/limit", response=CounterOut, tags=[TAG], operation_id="counter_limit")
def counter_limit(request, code: str, pk: Id, payload: CounterLimitIn):
    """CNT-1: the team serving the station sets the limit; below the count refused (CNT-2)."""
    counter = _get(request, code, pk)
    services.counter_limit_set(
        actor=request.user,
        source=Source.API,
        counter_id=counter.pk,
        version=payload.version,
        limit=payload.limit,
    )
    return _get(request, code, pk)


@router.post(
    BASE + "/{pk}/months", response=CounterDetailOut, tags=[TAG], operation_id="counter_month"
)
def counter_month(request, code: str, pk: Id, payload: CounterMonthIn):
    """CNT-1, CNT-3: the centre's month-end figure of one month (YYYY-MM)."""
    counter = _get(request, code, pk)
    services.counter_month_enter(
        actor=request.user,
        source=Source.API,
        counter_id=counter.pk,
        version=payload.version,
        month=payload.month,
        count=payload.count,
    )
    return _get(request, code, pk)


@router.post(BASE + "/{pk}/reset", response=CounterOut, tags=[TAG], operation_id="counter_reset")
def counter_reset(request, code: str, pk: Id, payload: CounterResetIn):
    """CNT-2: the team resets the count after maintenance (reason required; refused while the
    defect reported for the limit is not eliminated)."""
    counter = _get(request, code, pk)
    services.counter_reset(
        actor=request.user,
        source=Source.API,
        counter_id=counter.pk,
        version=payload.version,
        reason=payload.reason,
    )
    return _get(request, code, pk)
