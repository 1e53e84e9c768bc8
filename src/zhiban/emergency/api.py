"""The emergency API under /api/: plans with their checklists (list, .xlsx, create, change),
runs (list, .xlsx, start), and on a run the tick and skip of an item, the report and the close
(EMG-1, EMG-2). Every refusal names its rule."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema, Status

from zhiban.alarms.models import AlarmClass, SourceKind
from zhiban.core.actors import Source
from zhiban.core.api import Id, VersionIn, add_crud, centre_of

from . import selectors, services
from .models import Scenario
from .resources import PLANS, RUNS

router = Router(tags=["emergency"])
API = Source.API
TAG = "emergency"
Line = Annotated[str, Field(max_length=300, pattern=r"^[^\n\r|｜]+$")]
Who = Annotated[str, Field(max_length=60, pattern=r"^[^\n\r|｜]*$")]


class EmergencyPlanItemIn(Schema):
    text: Line
    who: Who = ""


class EmergencyPlanItemOut(Schema):
    position: int
    text: str
    who: str


class EmergencyPlanOut(Schema):
    id: int
    version: int
    name: str
    scenario: Scenario
    source_kinds: list[str]
    alarm_classes: list[str]
    needs_report: bool
    report_required: bool
    active: bool
    note: str
    items: list[EmergencyPlanItemOut]


def _lines(items: list[EmergencyPlanItemIn]) -> str:
    return "\n".join(f"{i.text} | {i.who}" if i.who else i.text for i in items)


class EmergencyPlanIn(Schema):
    name: Annotated[str, Field(max_length=100)]
    scenario: Scenario
    source_kinds: list[SourceKind] = []
    alarm_classes: list[AlarmClass] = []
    needs_report: bool = False
    active: bool = True
    note: Annotated[str, Field(max_length=2000)] = ""
    items: Annotated[list[EmergencyPlanItemIn], Field(max_length=60)]

    def form_data(self, partial: bool = False) -> dict:
        data = self.dict(exclude_unset=partial)
        if "items" in data:
            data["items"] = _lines(self.items)
        return data


class EmergencyPlanPatch(EmergencyPlanIn):
    version: Id
    name: Annotated[str, Field(max_length=100)] = ""
    scenario: Scenario = Scenario.OTHER
    items: Annotated[list[EmergencyPlanItemIn], Field(max_length=60)] = []


class EmergencyRunItemOut(Schema):
    id: int
    version: int
    position: int
    text: str
    who: str
    state: str
    done_at: datetime | None
    done_by_id: int | None
    note: str


class EmergencyRunOut(Schema):
    id: int
    version: int
    plan_id: int
    state: str
    event: str
    alarm_id: int | None
    started_at: datetime
    started_by_id: int | None
    closed_at: datetime | None
    closed_by_id: int | None
    reporter_name: str
    reporter_phone: str
    location: str
    address: str
    unit: str
    injuries: str
    property_damage: str
    missing_report_fields: list[str]
    items: list[EmergencyRunItemOut]

    @staticmethod
    def resolve_missing_report_fields(obj) -> list[str]:
        return obj.missing_report_fields() if obj.plan.report_required else []


class EmergencyRunIn(Schema):
    """``started_at``: when the plan was started (now if not given)."""

    plan: Id
    event: Annotated[str, Field(max_length=300)]
    started_at: datetime | None = None


class EmergencyTickIn(VersionIn):
    """``version``: the item's version as read; ``at``: when it was done (now if not given)."""

    item: Id
    at: datetime | None = None
    note: Annotated[str, Field(max_length=300)] = ""


class EmergencySkipIn(VersionIn):
    """``version``: the item's version as read."""

    item: Id
    reason: Annotated[str, Field(max_length=300)]


class EmergencyReportIn(VersionIn):
    """``version``: the run's version as read; the fields given are changed."""

    reporter_name: Annotated[str, Field(max_length=40)] | None = None
    reporter_phone: Annotated[str, Field(max_length=20)] | None = None
    location: Annotated[str, Field(max_length=200)] | None = None
    address: Annotated[str, Field(max_length=200)] | None = None
    unit: Annotated[str, Field(max_length=40)] | None = None
    injuries: Annotated[str, Field(max_length=300)] | None = None
    property_damage: Annotated[str, Field(max_length=300)] | None = None


add_crud(router, PLANS, path="emergency-plans", out=EmergencyPlanOut, tag=TAG)
add_crud(
    router, RUNS, path="emergency-runs", out=EmergencyRunOut, create_in=EmergencyRunIn, tag=TAG
)


@router.post(
    "/centres/{code}/emergency-plans",
    response={201: EmergencyPlanOut},
    operation_id="emergency_plan_create",
    tags=[TAG],
)
def plan_create(request, code: str, payload: EmergencyPlanIn):
    """A new emergency plan with its ordered checklist (EMG-1)."""
    centre = centre_of(request, code)
    plan = services.plan_create(
        actor=request.user, source=API, centre=centre, data=payload.form_data()
    )
    return Status(201, selectors.plan_get(user=request.user, centre=centre, pk=plan.pk))


@router.patch(
    "/centres/{code}/emergency-plans/{pk}",
    response=EmergencyPlanOut,
    operation_id="emergency_plan_update",
    tags=[TAG],
)
def plan_update(request, code: str, pk: Id, payload: EmergencyPlanPatch):
    """A change of a plan or its checklist (send the version you read; EMG-1)."""
    centre = centre_of(request, code)
    plan = selectors.plan_get(user=request.user, centre=centre, pk=pk)
    changes = payload.form_data(partial=True)
    version = changes.pop("version")
    services.plan_update(
        actor=request.user, source=API, plan_id=plan.pk, version=version, changes=changes
    )
    return selectors.plan_get(user=request.user, centre=centre, pk=pk)


R = "/centres/{code}/emergency-runs/{pk}"


def _run_act(call, request, code, pk, payload):
    centre = centre_of(request, code)
    run = selectors.run_get(user=request.user, centre=centre, pk=pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    call(actor=request.user, source=API, run_id=run.pk, version=version, data=data)
    return selectors.run_get(user=request.user, centre=centre, pk=pk)


@router.post(f"{R}/tick", response=EmergencyRunOut, operation_id="emergency_tick", tags=[TAG])
def run_tick(request, code: str, pk: Id, payload: EmergencyTickIn):
    """An item ticked with time and person, into the duty log (EMG-1); a second tick is
    refused (409, EMG-1), a stale item version answers 409."""
    return _run_act(services.run_item_tick, request, code, pk, payload)


@router.post(f"{R}/skip", response=EmergencyRunOut, operation_id="emergency_skip", tags=[TAG])
def run_skip(request, code: str, pk: Id, payload: EmergencySkipIn):
    """An item skipped with the reason (EMG-1)."""
    return _run_act(services.run_item_skip, request, code, pk, payload)


@router.post(f"{R}/report", response=EmergencyRunOut, operation_id="emergency_report", tags=[TAG])
def run_report(request, code: str, pk: Id, payload: EmergencyReportIn):
    """The emergency or theft report: reporter and phone, location, address, unit, injuries,
    property damage (EMG-2)."""
    return _run_act(services.run_report, request, code, pk, payload)


@router.post(f"{R}/close", response=EmergencyRunOut, operation_id="emergency_close", tags=[TAG])
def run_close(request, code: str, pk: Id, payload: VersionIn):
    """The run closed: refused while an item is open (EMG-1) or the report the plan needs is
    not complete (EMG-2), naming what is missing."""
    centre = centre_of(request, code)
    run = selectors.run_get(user=request.user, centre=centre, pk=pk)
    services.run_close(actor=request.user, source=API, run_id=run.pk, version=payload.version)
    return selectors.run_get(user=request.user, centre=centre, pk=pk)
