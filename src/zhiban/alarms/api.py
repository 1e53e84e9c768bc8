"""Alarms and incidents over HTTP: the gateway's ``POST /events`` (INC-1); incidents: list,
export, detail, open (from alarms), steps, verdict, grouping, close (INC-4, INC-6 … INC-10,
DUTY-10, OPS-10); accident records: list, export, detail, create, change, complete (INC-5)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Body, Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import (
    XLSX,
    Id,
    Pagination,
    Text,
    VersionIn,
    add_crud,
    centre_of,
    filter_schema,
    filtered,
)
from zhiban.core.forms import MonthForm
from zhiban.core.services import validated

from . import events, figures, selectors, services
from .resources import ACCIDENT_RECORDS, ALARM_SOURCES, ALARMS, COMMISSIONINGS, INCIDENTS

router = Router()


class EventResultOut(Schema):
    index: int
    id: str
    status: str  # accepted | duplicate | rejected
    reason: str = ""


class EventsOut(Schema):
    accepted: int
    duplicate: int
    rejected: int
    items: list[EventResultOut]


# the limit inside Body: a separate Field(...) made ninja read the batch from the query
Batch = Annotated[list[Any], Body(..., max_length=events.MAX_BATCH)]


@router.post("/events", response=EventsOut, tags=["alarms"], operation_id="events_ingest")
def events_ingest(request, payload: Batch):
    """INC-1: a batch of up to 1,000 events (the format is in ``alarms/events.py``). Each item
    is answered: accepted, duplicate (already stored: sending again is safe) or rejected with
    the reason; valid items are stored even when others in the batch are bad. A token sends
    only events of the sources it names (INC-1, ORG-3)."""
    credential = getattr(request, "credential", None)
    results = services.events_ingest(
        actor=request.user,
        source=Source.API,
        items=[events.parse(item) for item in payload],
        channel="http",
        token_sources=None if credential is None else credential.sources,
    )
    # written directly: checking a thousand items against EventsOut costs more than storing them
    return HttpResponse(events.answer(results), content_type="application/json")


# --- dead letters (INC-1) ----------------------------------------------------------------------


class DeadLetterOut(Schema):
    id: int
    received_at: datetime
    channel: str
    topic: str
    payload: str
    reason: str


@router.get(
    "/dead-letters",
    response=list[DeadLetterOut],
    tags=["alarms"],
    operation_id="dead_letter_list",
)
@paginate(Pagination)
def dead_letter_list(request, channel: str = ""):
    """INC-1: what the MQTT gateways could not read (payloads cut at 64 KB), newest first, with
    the reason; platform administrators only. HTTP batches answer per item instead."""
    return selectors.dead_letter_list(user=request.user, channel=channel)


# --- incidents and accident records (INC-4 … INC-10, INC-5, DUTY-10, OPS-10) -------------------


class IncidentStepOut(Schema):
    id: int
    kind: str
    at: datetime
    counterpart: str
    text: str
    recorded_by_id: int
    recorded_at: datetime


class IncidentOut(Schema):
    id: int
    kind: str
    site_id: int | None
    title: str
    description: str
    location: str
    persons: str
    verdict: str
    opened_at: datetime
    opened_by_id: int
    state: str
    closed_at: datetime | None
    closing_note: str
    version: int
    alarms: list[int]
    steps: list[IncidentStepOut]
    next_steps: list[str]  # the playbook's steps that may be recorded now (a note always may)
    missing: list[str]  # what closing still needs (INC-4, INC-6 … INC-10)

    @staticmethod
    def resolve_alarms(obj) -> list[int]:
        return [a.pk for a in obj.alarms.all()]

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())

    @staticmethod
    def resolve_next_steps(obj) -> list[str]:
        return [line.kind for line in selectors.incident_progress(obj)["allowed"]]

    @staticmethod
    def resolve_missing(obj) -> list[str]:
        return [str(m) for m in selectors.incident_progress(obj)["missing"]]


Short = Annotated[str, Field(max_length=500)]


class IncidentIn(Schema):
    kind: Annotated[str, Field(max_length=20)] | None = None  # from the first alarm, or "other"
    site: Id | None = None  # from the first alarm when not given
    title: Annotated[str, Field(max_length=200)] = ""  # from the first alarm when not given
    description: Text = ""
    location: Short = ""
    persons: Short = ""
    opened_at: datetime
    alarms: Annotated[list[Id], Field(max_length=500)] = []  # the centre's alarms to group


class CloseIn(Schema):
    version: Id
    note: Text


class StepIn(Schema):
    version: Id
    kind: Annotated[str, Field(max_length=20)]
    at: datetime | None = None  # default: now
    counterpart: Short = ""  # who was phoned or reported to
    text: Text = ""  # what was said or done
    location: Short = ""  # where (the "located" step of INC-8, INC-9)


class VerdictIn(Schema):
    version: Id
    verdict: Annotated[str, Field(max_length=10)]


class AlarmsIn(Schema):
    version: Id
    alarms: Annotated[list[Id], Field(min_length=1, max_length=500)]


add_crud(router, INCIDENTS, path="incidents", out=IncidentOut, create_in=IncidentIn, tag="alarms")


def _incident_call(request, code: str, pk: int, service, data: dict):
    centre = centre_of(request, code)
    incident = selectors.incident_get(user=request.user, centre=centre, pk=pk)
    service(
        actor=request.user,
        source=Source.API,
        incident_id=incident.pk,
        version=data.pop("version"),
        data=data,
    )
    return selectors.incident_get(user=request.user, centre=centre, pk=pk)


@router.post("/centres/{code}/incidents/{pk}/close", response=IncidentOut, tags=["alarms"])
def incident_close(request, code: str, pk: Id, payload: CloseIn):
    """Close with how it ended, once the playbook's steps are on record (DUTY-10, INC-4 …)."""
    return _incident_call(request, code, pk, services.incident_close, payload.dict())


@router.post(
    "/centres/{code}/incidents/{pk}/steps",
    response={201: IncidentOut},
    tags=["alarms"],
    operation_id="incident_step_record",
)
def incident_step(request, code: str, pk: Id, payload: StepIn):
    """Record a step of the incident's playbook with its time, or a note (INC-4, INC-6 …
    INC-10); refused naming the rule when its turn has not come."""
    return Status(
        201, _incident_call(request, code, pk, services.incident_step_record, payload.dict())
    )


@router.post(
    "/centres/{code}/incidents/{pk}/verdict",
    response=IncidentOut,
    tags=["alarms"],
    operation_id="incident_verdict",
)
def incident_verdict(request, code: str, pk: Id, payload: VerdictIn):
    """INC-8, INC-9: real, false or fault — after verification on site."""
    return _incident_call(request, code, pk, services.incident_verdict, payload.dict())


@router.post(
    "/centres/{code}/incidents/{pk}/alarms",
    response=IncidentOut,
    tags=["alarms"],
    operation_id="incident_alarms_add",
)
def incident_alarms(request, code: str, pk: Id, payload: AlarmsIn):
    """Group more of the centre's alarms into the incident."""
    return _incident_call(request, code, pk, services.incident_alarms_add, payload.dict())


class AccidentOut(Schema):
    id: int
    site_id: int
    equipment_id: int | None
    alarm_id: int | None
    incident_id: int | None
    occurred_at: datetime
    operator_id: int | None
    breakers: str
    kind: str
    description: str
    protection: str
    cause: str
    voltage_level: str
    dispatcher: str
    dispatcher_at: datetime | None
    superiors: str
    superiors_at: datetime | None
    state: str
    completed_at: datetime | None
    completed_by_id: int | None
    trips: int | None  # the breaker's trip count (INC-5, CNT)
    version: int


class AccidentFields(Schema):
    kind: Annotated[str, Field(max_length=20)] = ""
    breakers: Short = ""
    description: Text = ""
    protection: Short = ""
    cause: Short = ""
    voltage_level: Annotated[str, Field(max_length=10)] = ""
    dispatcher: Short = ""
    dispatcher_at: datetime | None = None
    superiors: Short = ""
    superiors_at: datetime | None = None
    operator: Id | None = None
    incident: Id | None = None


class AccidentIn(AccidentFields):
    site: Id
    equipment: Id | None = None
    occurred_at: datetime


class AccidentPatch(AccidentFields):
    version: Id


add_crud(
    router,
    ACCIDENT_RECORDS,
    path="accidents",
    out=AccidentOut,
    create_in=AccidentIn,
    patch_in=AccidentPatch,
    tag="alarms",
)


class VersionOnly(Schema):
    version: Id


@router.post(
    "/centres/{code}/accidents/{pk}/complete",
    response=AccidentOut,
    tags=["alarms"],
    operation_id="accident_complete",
)
def accident_complete(request, code: str, pk: Id, payload: VersionOnly):
    """INC-5: complete a draft; refused naming every field still missing."""
    centre = centre_of(request, code)
    record = selectors.accident_record_get(user=request.user, centre=centre, pk=pk)
    services.accident_record_complete(
        actor=request.user, source=Source.API, record_id=record.pk, version=payload.version
    )
    return selectors.accident_record_get(user=request.user, centre=centre, pk=pk)


# --- alarms: the console's API (INC-1, INC-2, INC-11) -------------------------------------------


class AlarmOut(Schema):
    id: int
    source: str
    site_id: int
    site_name: str
    equipment_id: int | None
    equipment_name: str
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
    acked_at: datetime | None
    acked_by_id: int | None
    acked_by_name: str
    shelved_until: datetime | None
    shelve_reason: str
    shelved_by_id: int | None
    suppressed_reason: str
    incident_id: int | None
    version: int

    @staticmethod
    def resolve_source(obj) -> str:
        return obj.source.code

    @staticmethod
    def resolve_site_name(obj) -> str:
        return obj.site.name

    @staticmethod
    def resolve_equipment_name(obj) -> str:
        return obj.equipment.double_name if obj.equipment_id else ""

    @staticmethod
    def resolve_acked_by_name(obj) -> str:
        return obj.acked_by.name if obj.acked_by_id else ""


class AlarmEventOut(Schema):
    id: int
    event_id: str
    action: str
    klass: str
    occurred_at: datetime
    received_at: datetime
    value: str
    text: str


class AlarmDetailOut(AlarmOut):
    accident_record_ids: list[int]  # one per trip, first trip first (INC-5)
    events: list[AlarmEventOut]

    @staticmethod
    def resolve_accident_record_ids(obj) -> list[int]:
        return list(obj.trip_records().values_list("pk", flat=True))

    @staticmethod
    def resolve_events(obj) -> list:
        return list(selectors.alarm_events(obj)[:50])


class AlarmPageIn(Schema):
    limit: int = Field(200, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


class AlarmPage(Pagination):
    """A bounded page of alarms and no total: the console refreshes often and the table holds
    millions of rows; ``more`` says whether another page exists."""

    Input = AlarmPageIn

    def paginate_queryset(self, queryset, pagination: AlarmPageIn, **params):
        items, more = selectors.alarm_page(queryset, pagination.offset, pagination.limit)
        return {"items": items, "count": None, "more": more}


AlarmFilters = filter_schema(ALARMS.filterset, "AlarmFilters")


class AckManyIn(Schema):
    ids: list[Id] = Field(min_length=1, max_length=1000)


class AckManyOut(Schema):
    count: int


class ShelveIn(Schema):
    version: Id
    reason: Text = ""
    until: datetime | None = None


def alarm_list(request, code: str, filters):
    """The centre's alarms, most urgent first (INC-11); ``state`` defaults to ``open``: every
    state but cleared, suppressed ones only when asked for (INC-2)."""
    return filtered(ALARMS, request, centre_of(request, code), filters)


# ninja reads a paginated view's signature outside this module, where the string annotations
# of ``from __future__ import annotations`` cannot be resolved: give it the types themselves.
alarm_list.__annotations__["filters"] = Query[AlarmFilters]
router.get(
    "/centres/{code}/alarms", response=list[AlarmOut], tags=["alarms"], operation_id="alarm_list"
)(paginate(AlarmPage)(alarm_list))


# before /alarms/{pk}: "ack" is not an alarm id
@router.post(
    "/centres/{code}/alarms/ack",
    response=AckManyOut,
    tags=["alarms"],
    operation_id="alarm_ack_many",
)
def alarm_ack_many(request, code: str, payload: AckManyIn):
    """INC-2: acknowledge the alarms shown; those already acknowledged are skipped."""
    count = services.alarm_ack_many(
        actor=request.user,
        source=Source.API,
        centre=centre_of(request, code),
        alarm_ids=payload.ids,
    )
    return {"count": count}


@router.get(
    "/centres/{code}/alarms/{pk}",
    response=AlarmDetailOut,
    tags=["alarms"],
    operation_id="alarm_get",
)
def alarm_get(request, code: str, pk: Id):
    """One alarm with its latest occurrences (INC-1)."""
    return selectors.alarm_get(user=request.user, centre=centre_of(request, code), pk=pk)


def _alarm_action(request, code: str, pk: int, call):
    centre = centre_of(request, code)
    alarm = selectors.alarm_get(user=request.user, centre=centre, pk=pk)
    call(alarm)
    return selectors.alarm_get(user=request.user, centre=centre, pk=pk)


@router.post(
    "/centres/{code}/alarms/{pk}/ack", response=AlarmOut, tags=["alarms"], operation_id="alarm_ack"
)
def alarm_ack(request, code: str, pk: Id):
    """INC-2: acknowledge; records who and when. Already acknowledged: 409 naming who."""
    return _alarm_action(
        request,
        code,
        pk,
        lambda alarm: services.alarm_ack(actor=request.user, source=Source.API, alarm_id=alarm.pk),
    )


@router.post(
    "/centres/{code}/alarms/{pk}/shelve",
    response=AlarmOut,
    tags=["alarms"],
    operation_id="alarm_shelve",
)
def alarm_shelve(request, code: str, pk: Id, payload: ShelveIn):
    """INC-2: shelve with a reason and an expiry (at most ``alarms.shelve_max_hours`` ahead)."""
    return _alarm_action(
        request,
        code,
        pk,
        lambda alarm: services.alarm_shelve(
            actor=request.user,
            source=Source.API,
            alarm_id=alarm.pk,
            version=payload.version,
            data={"reason": payload.reason, "until": payload.until},
        ),
    )


@router.post(
    "/centres/{code}/alarms/{pk}/unshelve",
    response=AlarmOut,
    tags=["alarms"],
    operation_id="alarm_unshelve",
)
def alarm_unshelve(request, code: str, pk: Id, payload: VersionIn):
    return _alarm_action(
        request,
        code,
        pk,
        lambda alarm: services.alarm_unshelve(
            actor=request.user, source=Source.API, alarm_id=alarm.pk, version=payload.version
        ),
    )


class AlarmSourceIn(Schema):
    code: str = Field(max_length=40)
    name: Text
    kind: str = Field(max_length=12)
    active: bool = True


class AlarmSourcePatch(Schema):
    version: Id
    code: str | None = Field(None, max_length=40)
    name: Text | None = None
    kind: str | None = Field(None, max_length=12)
    active: bool | None = None


class AlarmSourceOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    active: bool
    version: int


add_crud(
    router,
    ALARM_SOURCES,
    path="alarm-sources",
    out=AlarmSourceOut,
    create_in=AlarmSourceIn,
    patch_in=AlarmSourcePatch,
    tag="alarms",
)


class CommissioningIn(Schema):
    equipment: Id
    starts_at: datetime
    ends_at: datetime
    note: Text = ""


class CommissioningPatch(Schema):
    version: Id
    equipment: Id | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    note: Text | None = None


class CommissioningOut(Schema):
    id: int
    equipment_id: int
    starts_at: datetime
    ends_at: datetime
    note: str
    recorded_by_id: int
    version: int


add_crud(
    router,
    COMMISSIONINGS,
    path="commissionings",
    out=CommissioningOut,
    create_in=CommissioningIn,
    patch_in=CommissioningPatch,
    tag="alarms",
)


# --- monthly alarm-management figures (ISA-18.2; INC-2, INC-3, INC-11) --------------------------


class FiguresQuery(Schema):
    month: str | None = Field(
        None, max_length=20, description="YYYY-MM in the centre's time zone; empty: this month"
    )


class ClassFiguresOut(Schema):
    klass: str
    label: str
    priority: int
    alarms: int
    occurrences: int
    acked: int
    ack_share: float | None
    median_ack_seconds: float | None


class SiteFiguresOut(Schema):
    site_id: int
    code: str
    name: str
    alarms: int
    share: float | None


class FloodOut(Schema):
    window_minutes: int
    threshold: int = Field(description="a window with more new alarms than this is in flood")
    windows: int = Field(description="windows of the month so far")
    in_flood: int
    share: float | None
    level: str
    peak_alarms: int
    peak_at: datetime | None


class FrequentAlarmOut(Schema):
    source: str
    site: str
    equipment: str
    signal: str
    activations: int = Field(description="alarm rows: each raise after a closed alarm")
    occurrences: int = Field(description="raises counted on those rows")
    share_of_alarms: float | None
    share_of_occurrences: float | None


class StaleAlarmOut(Schema):
    id: int
    site: str
    equipment: str
    signal: str
    klass: str
    state: str
    first_at: datetime
    age_hours: float


class AlarmFiguresOut(Schema):
    month: str
    starts_at: datetime
    ends_at: datetime
    until: datetime = Field(description="the month's end or now, whichever is earlier")
    alarms: int = Field(description="new alarms announced (not suppressed) in the month")
    occurrences: int
    suppressed: int
    shelved: int
    operator_hours: float
    hours_basis: str = Field(description="signed_in | rostered (nobody signed in) | none")
    per_operator_hour: float | None
    per_10_minutes: float | None
    rate_level: str = Field(description="good | warn | bad | none against the benchmarks")
    flood: FloodOut
    top: list[FrequentAlarmOut]
    top_share: float | None = Field(description="the top 10 alarms' share of all occurrences")
    top_level: str
    stale: list[StaleAlarmOut] = Field(description="the oldest 50")
    stale_count: int
    stale_level: str
    acked: int
    ack_share: float | None
    median_ack_seconds: float | None
    by_class: list[ClassFiguresOut]
    by_site: list[SiteFiguresOut]
    benchmarks: dict[str, float]

    @staticmethod
    def resolve_month(obj) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_benchmarks(obj) -> dict[str, float]:
        return figures.BENCHMARKS


def _figures(request, code: str, query: FiguresQuery):
    """The centre in scope (404 otherwise, ORG-3) and its figures; a bad month answers 422."""
    centre = centre_of(request, code)
    chosen = validated(MonthForm, query.dict(exclude_none=True), centre=centre)
    month = chosen.cleaned_data["month"]
    return centre, selectors.alarm_figures(user=request.user, centre=centre, month=month)


@router.get(
    "/centres/{code}/alarm-figures",
    response=AlarmFiguresOut,
    tags=["alarms"],
    operation_id="alarm_figures",
)
def alarm_figures(request, code: str, query: Query[FiguresQuery]):
    """The month's alarm-management figures as ISA-18.2 measures them: alarms per
    operator-hour, the share of 10-minute windows in flood (INC-3), the top 10 most frequent
    alarms, stale alarms, acknowledgement by class (INC-2, INC-11)."""
    return _figures(request, code, query)[1]


@router.get(
    "/centres/{code}/alarm-figures.xlsx",
    tags=["alarms"],
    operation_id="alarm_figures_xlsx",
    openapi_extra={"responses": {200: {"description": "Excel", "content": {XLSX: {}}}}},
)
def alarm_figures_xlsx(request, code: str, query: Query[FiguresQuery]):
    """The same figures as an .xlsx workbook, one sheet per table."""
    centre, found = _figures(request, code, query)
    return figures.figures_xlsx(found, centre)
