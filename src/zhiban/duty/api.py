"""The duty API: shift patterns and the roster (DUTY-1), sign-in/out (DUTY-2, DUTY-5),
carried-over items, the duty log (DUTY-6 … DUTY-8) and severe weather (DUTY-9); the
handover is ``api_handover``'s."""

from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import (
    ErrorOut,
    Id,
    Pagination,
    Text,
    VersionIn,
    add_crud,
    centre_of,
    filter_schema,
)
from zhiban.core.errors import InvalidInput, Refused
from zhiban.core.exports import xlsx_response

from . import selectors, services, tables
from .filters import LogFilter
from .resources import CARRIED, CHECK_ITEMS, PATTERNS

router = Router(tags=["duty"])
API = Source.API


# --- shift patterns, check items -------------------------------------------------------------


class PatternOut(Schema):
    id: int
    name: str
    starts: str
    ends: str
    minutes: int
    active: bool
    version: int

    @staticmethod
    def resolve_starts(obj) -> str:
        return obj.starts.strftime("%H:%M")

    @staticmethod
    def resolve_ends(obj) -> str:
        return obj.ends.strftime("%H:%M")


class PatternIn(Schema):
    name: Text
    starts: str = Field(max_length=8, examples=["08:00"])
    ends: str = Field(max_length=8, examples=["16:00"])
    active: bool = True


class PatternPatch(Schema):
    version: Id
    name: Text | None = None
    starts: str | None = Field(None, max_length=8)
    ends: str | None = Field(None, max_length=8)
    active: bool | None = None


class CheckItemOut(Schema):
    id: int
    name: str
    order: int
    active: bool
    version: int


class CheckItemIn(Schema):
    name: Text
    order: int = Field(0, ge=0, le=32767)
    active: bool = True


class CheckItemPatch(Schema):
    version: Id
    name: Text | None = None
    order: int | None = Field(None, ge=0, le=32767)
    active: bool | None = None


add_crud(
    router,
    PATTERNS,
    path="shift-patterns",
    out=PatternOut,
    create_in=PatternIn,
    patch_in=PatternPatch,
    tag="duty",
)
add_crud(
    router,
    CHECK_ITEMS,
    path="check-items",
    out=CheckItemOut,
    create_in=CheckItemIn,
    patch_in=CheckItemPatch,
    tag="duty",
)


# --- roster, swaps, sign-in/out ---------------------------------------------------------------


class ShiftOut(Schema):
    id: int
    day: date
    pattern: str
    starts_at: datetime
    ends_at: datetime

    @staticmethod
    def resolve_pattern(obj) -> str:
        return obj.pattern.name


class RosterOut(Schema):
    id: int
    shift: ShiftOut
    person_id: int
    person_name: str
    post: str
    signed_in_at: datetime | None
    late: bool
    signed_out_at: datetime | None
    version: int

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


class RosterIn(Schema):
    pattern: Id
    day: date
    person: Id
    post: Text


class RosterQuery(Schema):
    start: date | None = None
    end: date | None = None


class CopyWeekIn(Schema):
    week: date


class CopiedOut(Schema):
    added: int


@router.get("/centres/{code}/roster", response=list[RosterOut], operation_id="roster_list")
@paginate(Pagination)
def roster_list(request, code: str, query: Query[RosterQuery]):
    """Roster places for days start ≤ day < end (DUTY-1)."""
    centre = centre_of(request, code)
    return selectors.roster_list(user=request.user, centre=centre, start=query.start, end=query.end)


@router.get(
    "/centres/{code}/roster.xlsx",
    operation_id="roster_export",
    openapi_extra={"responses": {200: {"description": "xlsx"}}},
)
def roster_export(request, code: str, query: Query[RosterQuery]):
    centre = centre_of(request, code)
    rows = selectors.roster_list(user=request.user, centre=centre, start=query.start, end=query.end)
    return xlsx_response(tables.ROSTER, rows, "roster", f"{centre.code}-roster")


@router.post("/centres/{code}/roster", response={201: RosterOut}, operation_id="roster_assign")
def roster_assign(request, code: str, payload: RosterIn):
    centre = centre_of(request, code)
    return Status(
        201,
        services.roster_assign(actor=request.user, source=API, centre=centre, data=payload.dict()),
    )


@router.post(
    "/centres/{code}/roster/copy-week", response=CopiedOut, operation_id="roster_copy_week"
)
def roster_copy_week(request, code: str, payload: CopyWeekIn):
    """Copy the week starting on ``week`` to the week after (DUTY-1)."""
    centre = centre_of(request, code)
    return {
        "added": services.roster_copy_week(
            actor=request.user, source=API, centre=centre, data=payload.dict()
        )
    }


def _entry(request, code, pk):
    centre = centre_of(request, code)
    return selectors.roster_entry_get(user=request.user, centre=centre, pk=pk)


@router.post(
    "/centres/{code}/roster/{pk}/remove", response={204: None}, operation_id="roster_remove"
)
def roster_remove(request, code: str, pk: Id, payload: VersionIn):
    entry = _entry(request, code, pk)
    services.roster_remove(
        actor=request.user, source=API, entry_id=entry.pk, version=payload.version
    )
    return Status(204, None)


@router.post(
    "/centres/{code}/roster/{pk}/sign-in", response=RosterOut, operation_id="roster_sign_in"
)
def sign_in(request, code: str, pk: Id, payload: VersionIn):
    """Sign in; late against the centre's lead time is flagged (DUTY-2)."""
    entry = _entry(request, code, pk)
    return services.sign_in(
        actor=request.user, source=API, entry_id=entry.pk, version=payload.version
    )


@router.post(
    "/centres/{code}/roster/{pk}/sign-out", response=RosterOut, operation_id="roster_sign_out"
)
def sign_out(request, code: str, pk: Id, payload: VersionIn):
    """Sign out — only after the incoming side signed the handover (DUTY-5)."""
    entry = _entry(request, code, pk)
    return services.sign_out(
        actor=request.user, source=API, entry_id=entry.pk, version=payload.version
    )


class SwapIn(Schema):
    first: Id
    second: Id
    reason: Text


class SwapOut(Schema):
    id: int
    first: RosterOut
    second: RosterOut
    reason: str
    state: str
    requested_by_id: int
    decided_by_id: int | None
    decided_at: datetime | None
    version: int


class DecisionIn(Schema):
    version: Id
    approve: bool


@router.get("/centres/{code}/swaps", response=list[SwapOut], operation_id="swap_list")
@paginate(Pagination)
def swap_list(request, code: str):
    return selectors.swap_list(user=request.user, centre=centre_of(request, code))


@router.post("/centres/{code}/swaps", response={201: SwapOut}, operation_id="swap_request")
def swap_request(request, code: str, payload: SwapIn):
    centre = centre_of(request, code)
    return Status(
        201,
        services.swap_request(actor=request.user, source=API, centre=centre, data=payload.dict()),
    )


@router.post("/centres/{code}/swaps/{pk}/decide", response=SwapOut, operation_id="swap_decide")
def swap_decide(request, code: str, pk: Id, payload: DecisionIn):
    """The shift leader approves or rejects a swap (DUTY-1)."""
    centre = centre_of(request, code)
    swap = selectors.swap_get(user=request.user, centre=centre, pk=pk)
    return services.swap_decide(
        actor=request.user,
        source=API,
        swap_id=swap.pk,
        version=payload.version,
        approve=payload.approve,
    )


class NowOut(Schema):
    current: ShiftOut | None
    previous: ShiftOut | None
    next: ShiftOut | None
    on_post: list[RosterOut]


@router.get("/centres/{code}/duty/now", response=NowOut, operation_id="duty_now")
def duty_now(request, code: str):
    """The shift on now, before and after, and who is on post."""
    centre = centre_of(request, code)
    around = selectors.shifts_around(centre=centre)
    on_post = (
        selectors.roster_list(user=request.user, centre=centre).filter(shift=around["current"])
        if around["current"]
        else []
    )
    return {**around, "on_post": list(on_post)}


# --- carried-over items -----------------------------------------------------------------------


class CarriedOut(Schema):
    id: int
    text: str
    continued_by: str
    site_id: int | None
    state: str
    opened_by_id: int
    created_at: datetime
    closed_by_id: int | None
    closed_at: datetime | None
    resolution: str
    version: int


class CarriedIn(Schema):
    text: Text
    continued_by: Text = ""
    site: Id | None = None


class CarriedCloseIn(Schema):
    version: Id
    resolution: Text


add_crud(router, CARRIED, path="carried-items", out=CarriedOut, create_in=CarriedIn, tag="duty")


@router.post(
    "/centres/{code}/carried-items/{pk}/close",
    response=CarriedOut,
    operation_id="carried_item_close",
)
def carried_close(request, code: str, pk: Id, payload: CarriedCloseIn):
    centre = centre_of(request, code)
    item = selectors.carried_item_get(user=request.user, centre=centre, pk=pk)
    return services.carried_item_close(
        actor=request.user,
        source=API,
        item_id=item.pk,
        version=payload.version,
        data={"resolution": payload.resolution},
    )


# --- the duty log -----------------------------------------------------------------------------


class LogOut(Schema):
    """An entry; ``text`` in the reader's language. A system entry (DUTY-7) also gives its
    ``verb`` and ``params`` (choices as values, names as written, times in the centre's zone);
    a person's entry has an empty verb."""

    id: int
    at: datetime
    recorded_at: datetime
    author_id: int | None
    author_label: str
    category: str
    text: str
    verb: str
    params: dict[str, Any]
    site_id: int | None
    equipment_id: int | None
    corrects_id: int | None
    corrected_by: list[int]

    @staticmethod
    def resolve_text(obj) -> str:
        return obj.shown_text

    @staticmethod
    def resolve_corrected_by(obj) -> list[int]:
        found = obj.corrected_by if hasattr(obj, "corrected_by") else obj.corrections.all()
        return [c.pk for c in found]


class LogIn(Schema):
    category: str = Field(max_length=16)
    text: Text
    at: datetime | None = None
    site: Id | None = None
    equipment: Id | None = None


class CorrectIn(Schema):
    text: Text


LogFilters = filter_schema(LogFilter, "LogFilters")


def _log(request, code, filters):
    centre = centre_of(request, code)
    data = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = LogFilter(
        data, queryset=selectors.log_list(user=request.user, centre=centre), request=request
    )
    if not filterset.is_valid():
        raise InvalidInput(fields={k: [str(e) for e in v] for k, v in filterset.errors.items()})
    return centre, filterset.qs


@router.get("/centres/{code}/log", response=list[LogOut], operation_id="log_list")
@paginate(Pagination)
def log_list(request, code: str, filters: Query[LogFilters]):  # type: ignore[valid-type]
    """The duty log, newest first; ``q`` is a Chinese substring search (DUTY-6)."""
    return _log(request, code, filters)[1]


@router.get(
    "/centres/{code}/log.xlsx",
    operation_id="log_export",
    openapi_extra={"responses": {200: {"description": "xlsx"}}},
)
def log_export(request, code: str, filters: Query[LogFilters]):  # type: ignore[valid-type]
    centre, rows = _log(request, code, filters)
    return xlsx_response(tables.LOG, rows, "log", f"{centre.code}-log")


@router.post("/centres/{code}/log", response={201: LogOut}, operation_id="log_write")
def log_write(request, code: str, payload: LogIn):
    centre = centre_of(request, code)
    return Status(
        201,
        services.log_entry_create(
            actor=request.user, source=API, centre=centre, data=payload.dict()
        ),
    )


@router.post("/centres/{code}/log/{pk}/correct", response={201: LogOut}, operation_id="log_correct")
def log_correct(request, code: str, pk: Id, payload: CorrectIn):
    """A correction is a new entry pointing at the original, which stays (DUTY-6)."""
    centre = centre_of(request, code)
    entry = selectors.log_entry_get(user=request.user, centre=centre, pk=pk)
    return Status(
        201,
        services.log_entry_correct(
            actor=request.user, source=API, entry_id=entry.pk, data=payload.dict()
        ),
    )


@router.api_operation(
    ["PUT", "PATCH", "DELETE"],
    "/centres/{code}/log/{pk}",
    response={409: ErrorOut},
    operation_id="log_edit_refused",
)
def log_edit(request, code: str, pk: Id):
    """The duty log is append-only: entries are never edited or deleted (DUTY-6)."""
    centre = centre_of(request, code)
    selectors.log_entry_get(user=request.user, centre=centre, pk=pk)
    raise Refused(
        _("The duty log is never edited: write a correction that points at the entry."),
        code="log_append_only",
        rule="DUTY-6",
    )


# --- severe weather ---------------------------------------------------------------------------


class ConfirmationOut(Schema):
    person_id: int
    person_name: str
    confirmed_at: datetime | None
    where: str

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.name


class WeatherOut(Schema):
    id: int
    kind: str
    reason: str
    started_by_id: int
    created_at: datetime
    ended_at: datetime | None
    confirmations: list[ConfirmationOut]
    version: int

    @staticmethod
    def resolve_confirmations(obj) -> list:
        return list(obj.confirmations.select_related("person"))


class WeatherIn(Schema):
    kind: str = Field(max_length=14)
    reason: Text


class WhereIn(Schema):
    where: str = Field("", max_length=100)


@router.get(
    "/centres/{code}/weather", response={200: WeatherOut, 204: None}, operation_id="weather_current"
)
def weather_current(request, code: str):
    weather = selectors.active_weather(centre_of(request, code))
    return weather if weather is not None else Status(204, None)


@router.post("/centres/{code}/weather", response={201: WeatherOut}, operation_id="weather_start")
def weather_start(request, code: str, payload: WeatherIn):
    """Switch severe-weather mode on; team leaders are asked to confirm on post (DUTY-9)."""
    centre = centre_of(request, code)
    return Status(
        201,
        services.weather_start(actor=request.user, source=API, centre=centre, data=payload.dict()),
    )


def _weather(request, code, pk):
    return selectors.weather_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.post(
    "/centres/{code}/weather/{pk}/confirm", response=ConfirmationOut, operation_id="weather_confirm"
)
def weather_confirm(request, code: str, pk: Id, payload: WhereIn):
    weather = _weather(request, code, pk)
    return services.weather_confirm(
        actor=request.user, source=API, weather_id=weather.pk, data=payload.dict()
    )


@router.post("/centres/{code}/weather/{pk}/end", response=WeatherOut, operation_id="weather_end")
def weather_end(request, code: str, pk: Id, payload: VersionIn):
    weather = _weather(request, code, pk)
    return services.weather_end(
        actor=request.user, source=API, weather_id=weather.pk, version=payload.version
    )
