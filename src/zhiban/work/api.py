"""The work-ticket API: work tickets with their safety measures, permit, tags, interruptions,
extension, four-remote checks, work end, final check and end (WORK-1 … WORK-7, ACC-1); limit
changes and setting sheets (WORK-6). Paths as before the split (ADR 0012). Every refusal names
its rule."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Router, Schema, Status

from zhiban.core.actors import Source
from zhiban.core.api import Id, Text, VersionIn, add_crud, centre_of

from . import selectors, services
from .models import CheckResult, CopyHolder, LimitReason, RemoteKind, WorkKind
from .resources import LIMITS, SHEETS, TAGS, WORK_TICKETS

router = Router(tags=["work tickets"])
API = Source.API
Ids = list[Id]


class EquipmentRef(Schema):
    id: int
    site_id: int
    double_name: str


class ReasonIn(VersionIn):
    reason: Text


class TaggedEquipmentRef(EquipmentRef):
    """Equipment by double name, with the maintenance tag it carries now (WORK-3)."""

    tagged: bool
    tag_work_ticket_id: int | None = None


class MeasureOut(Schema):
    seq: int
    text: str
    done: bool
    done_at: datetime | None
    done_by_id: int | None


class WorkInterruptionOut(Schema):
    interrupted_at: datetime
    reason: str
    interrupted_by_id: int
    resumed_at: datetime | None
    resumed_by_id: int | None


class RemoteCheckOut(Schema):
    id: int
    kind: str
    point: str
    result: str
    note: str
    at: datetime
    centre_checker_id: int
    team_checker_id: int
    recorded_by_id: int


class TagOut(Schema):
    id: int
    equipment: EquipmentRef
    work_ticket_id: int
    work_ticket_number: str
    placed_at: datetime
    placed_by_id: int
    removed_at: datetime | None
    removed_by_id: int | None

    @staticmethod
    def resolve_work_ticket_number(obj) -> str:
        return obj.work_ticket.number


class FourRemoteOut(Schema):
    """Where the four-remote acceptance stands (WORK-4, ACC-1)."""

    accepted: bool
    control_test: bool
    missing: list[str]
    failed: list[str]


class WorkTicketOut(Schema):
    id: int
    number: str
    kind: str
    state: str
    team_id: int
    order_id: int | None
    site_id: int
    equipment: list[TaggedEquipmentRef]
    task: str
    location: str
    planned_start: datetime
    planned_end: datetime
    extended_to: datetime | None
    extension_reason: str
    work_leader: str
    crew_size: int
    members: str
    issuer: str
    issued_at: datetime | None
    received_at: datetime
    received_by_id: int
    permitter_id: int | None
    permit_dispatcher: str
    permitted_at: datetime | None
    centre_told_at: datetime | None
    work_ended_at: datetime | None
    acceptance: str
    final_check_at: datetime | None
    final_check: str
    final_check_with_id: int | None
    ended_at: datetime | None
    void_reason: str
    safety_measures: list[MeasureOut]
    interruptions: list[WorkInterruptionOut]
    remote_checks: list[RemoteCheckOut]
    four_remote: FourRemoteOut
    tags: list[TagOut]
    version: int

    @staticmethod
    def resolve_equipment(obj) -> list:
        equipment = list(obj.equipment.all())
        tags = selectors.tags_on(equipment)
        return [
            {
                "id": e.pk,
                "site_id": e.site_id,
                "double_name": e.double_name,
                "tagged": e.pk in tags,
                "tag_work_ticket_id": tags[e.pk].work_ticket_id if e.pk in tags else None,
            }
            for e in equipment
        ]

    @staticmethod
    def resolve_safety_measures(obj) -> list:
        return list(obj.measures.all())

    @staticmethod
    def resolve_interruptions(obj) -> list:
        return list(obj.interruptions.all())

    @staticmethod
    def resolve_remote_checks(obj) -> list:
        return list(obj.remote_checks.all())

    @staticmethod
    def resolve_four_remote(obj) -> dict:
        state = selectors.acceptance(obj)
        return {
            "accepted": state.accepted,
            "control_test": state.control_test,
            "missing": list(state.missing),
            "failed": [f"{c.kind}:{c.point}" for c in state.failed],
        }

    @staticmethod
    def resolve_tags(obj) -> list:
        return list(obj.tags.all())


class WorkTicketIn(Schema):
    kind: WorkKind
    team: Id
    order: Id | None = None
    site: Id
    equipment: Ids = []
    task: Text
    location: Text
    planned_start: datetime
    planned_end: datetime
    work_leader: Text
    crew_size: int = Field(1, ge=0, le=32767)
    members: Text = ""
    issuer: Text
    issued_at: datetime | None = None
    received_at: datetime | None = Field(None, description="Empty: now")
    permitter: Id | None = None
    safety_measures: str = Field(max_length=20000, description="One safety measure per line")


class WorkTicketPatch(Schema):
    version: Id
    kind: WorkKind | None = None
    team: Id | None = None
    order: Id | None = None
    site: Id | None = None
    equipment: Ids | None = None
    task: Text | None = None
    location: Text | None = None
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    work_leader: Text | None = None
    crew_size: int | None = Field(None, ge=0, le=32767)
    members: Text | None = None
    issuer: Text | None = None
    issued_at: datetime | None = None
    received_at: datetime | None = None
    permitter: Id | None = None
    safety_measures: str | None = Field(None, max_length=20000)


class MeasureDoneIn(VersionIn):
    seq: int = Field(ge=1, le=10_000)


class PermitIn(VersionIn):
    permitted_at: datetime
    dispatcher: Text
    permitter: Id
    centre_person: Id


class WorkInterruptIn(VersionIn):
    at: datetime
    reason: Text


class WorkResumeIn(VersionIn):
    at: datetime


class ExtendIn(VersionIn):
    extended_to: datetime
    reason: Text


class RemoteCheckIn(Schema):
    kind: RemoteKind
    points: list[Annotated[str, Field(max_length=200)]] = Field(min_length=1, max_length=500)
    result: CheckResult
    at: datetime
    centre_checker: Id
    team_checker: Id
    note: Text = ""


class WorkEndIn(VersionIn):
    at: datetime
    acceptance: Text = ""


class FinalCheckIn(VersionIn):
    at: datetime
    centre_person: Id
    checked: Text


class AtIn(VersionIn):
    at: datetime


add_crud(
    router,
    WORK_TICKETS,
    path="work-tickets",
    out=WorkTicketOut,
    create_in=WorkTicketIn,
    patch_in=WorkTicketPatch,
    tag="work tickets",
)


def _work(request, code, pk):
    return selectors.work_ticket_get(user=request.user, centre=centre_of(request, code), pk=pk)


def _work_act(call, request, code, pk, payload):
    ticket = _work(request, code, pk)
    data = payload.dict()
    version = data.pop("version")
    if data:
        call(actor=request.user, source=API, ticket_id=ticket.pk, version=version, data=data)
    else:
        call(actor=request.user, source=API, ticket_id=ticket.pk, version=version)
    return _work(request, code, pk)


W = "/centres/{code}/work-tickets/{pk}"


@router.post(
    f"{W}/measure-done",
    response=WorkTicketOut,
    operation_id="work_measure_done",
    tags=["work tickets"],
)
def work_measure_done(request, code: str, pk: Id, payload: MeasureDoneIn):
    """A safety measure ticked done (已执行), one by one (WORK-2)."""
    return _work_act(services.work_measure_done, request, code, pk, payload)


@router.post(
    f"{W}/permit", response=WorkTicketOut, operation_id="work_permit", tags=["work tickets"]
)
def work_permit(request, code: str, pk: Id, payload: PermitIn):
    """The dispatcher's permit received by the team's permitter, every safety measure done,
    the centre told (WORK-2); refused while a measure is not done."""
    return _work_act(services.work_permit, request, code, pk, payload)


@router.post(f"{W}/tag", response=WorkTicketOut, operation_id="work_tag", tags=["work tickets"])
def work_tag(request, code: str, pk: Id, payload: VersionIn):
    """The centre places the maintenance tag (检修牌) on the ticket's equipment (WORK-2)."""
    return _work_act(services.work_tag_place, request, code, pk, payload)


@router.post(
    f"{W}/interrupt", response=WorkTicketOut, operation_id="work_interrupt", tags=["work tickets"]
)
def work_interrupt(request, code: str, pk: Id, payload: WorkInterruptIn):
    """An interruption of the work (间断, WORK-7)."""
    return _work_act(services.work_interrupt, request, code, pk, payload)


@router.post(
    f"{W}/resume", response=WorkTicketOut, operation_id="work_resume", tags=["work tickets"]
)
def work_resume(request, code: str, pk: Id, payload: WorkResumeIn):
    """The work resumes (WORK-7)."""
    return _work_act(services.work_resume, request, code, pk, payload)


@router.post(
    f"{W}/extend", response=WorkTicketOut, operation_id="work_extend", tags=["work tickets"]
)
def work_extend(request, code: str, pk: Id, payload: ExtendIn):
    """One extension (延期), asked for before the ticket expires (WORK-7)."""
    return _work_act(services.work_extend, request, code, pk, payload)


@router.post(
    f"{W}/remote-checks",
    response={201: list[RemoteCheckOut]},
    operation_id="work_remote_check",
    tags=["work tickets"],
)
def work_remote_check(request, code: str, pk: Id, payload: RemoteCheckIn):
    """Points of the four-remote acceptance (遥信/遥测/遥控/遥调) or a remote-control test,
    each with its result (WORK-4, ACC-1)."""
    ticket = _work(request, code, pk)
    data = payload.dict()
    data["points"] = "\n".join(data["points"])
    return Status(
        201,
        services.work_remote_check(actor=request.user, source=API, ticket_id=ticket.pk, data=data),
    )


@router.post(
    f"{W}/work-end", response=WorkTicketOut, operation_id="work_end", tags=["work tickets"]
)
def work_end(request, code: str, pk: Id, payload: WorkEndIn):
    """Work end (工作终结, 报竣工); refused until the four-remote check or a remote-control
    test is recorded correct (WORK-4, ACC-1)."""
    return _work_act(services.work_end, request, code, pk, payload)


@router.post(f"{W}/untag", response=WorkTicketOut, operation_id="work_untag", tags=["work tickets"])
def work_untag(request, code: str, pk: Id, payload: VersionIn):
    """The centre removes the maintenance tag after work end (WORK-4)."""
    return _work_act(services.work_tag_remove, request, code, pk, payload)


@router.post(
    f"{W}/final-check",
    response=WorkTicketOut,
    operation_id="work_final_check",
    tags=["work tickets"],
)
def work_final_check(request, code: str, pk: Id, payload: FinalCheckIn):
    """The team checks with the centre before leaving the station (操作汇报, WORK-5)."""
    return _work_act(services.work_final_check, request, code, pk, payload)


@router.post(
    f"{W}/end", response=WorkTicketOut, operation_id="work_ticket_end", tags=["work tickets"]
)
def work_ticket_end(request, code: str, pk: Id, payload: AtIn):
    """Ticket end (工作票终结): the tag removed (WORK-4) and the final check done (WORK-5)."""
    return _work_act(services.work_ticket_end, request, code, pk, payload)


@router.post(
    f"{W}/void", response=WorkTicketOut, operation_id="work_ticket_void", tags=["work tickets"]
)
def work_ticket_void(request, code: str, pk: Id, payload: ReasonIn):
    """A received ticket that will not be carried out (作废)."""
    return _work_act(services.work_ticket_void, request, code, pk, payload)


add_crud(router, TAGS, path="maintenance-tags", out=TagOut, tag="work tickets")


# --- limit changes and setting sheets (WORK-6) ---------------------------------------------------


class LimitChangeOut(Schema):
    id: int
    equipment: EquipmentRef
    work_ticket_id: int | None
    reason: str
    quantity: str
    old_value: Decimal | None
    new_value: Decimal
    unit: str
    ct_ratio_old: str
    ct_ratio_new: str
    effective_at: datetime
    reported_by_id: int
    reported_at: datetime
    recorded_by_id: int
    contact_id: int | None
    applied_at: datetime | None
    applied_by_id: int | None
    note: str
    version: int


class LimitChangeIn(Schema):
    equipment: Id
    reason: LimitReason = LimitReason.CT_REPLACEMENT
    work_ticket: Id | None = None
    quantity: Text
    old_value: Decimal | None = None
    new_value: Decimal
    unit: Text
    ct_ratio_old: Text = ""
    ct_ratio_new: Text = ""
    effective_at: datetime
    reported_by: Id
    reported_at: datetime
    note: Text = ""


add_crud(
    router,
    LIMITS,
    path="limit-changes",
    out=LimitChangeOut,
    create_in=LimitChangeIn,
    tag="work tickets",
)


@router.post(
    "/centres/{code}/limit-changes/{pk}/apply",
    response=LimitChangeOut,
    operation_id="limit_change_apply",
    tags=["work tickets"],
)
def limit_change_apply(request, code: str, pk: Id, payload: VersionIn):
    """The centre has set the new limit in the monitoring system (WORK-6)."""
    centre = centre_of(request, code)
    change = selectors.limit_change_get(user=request.user, centre=centre, pk=pk)
    services.limit_change_apply(
        actor=request.user, source=API, limit_id=change.pk, version=payload.version
    )
    return selectors.limit_change_get(user=request.user, centre=centre, pk=pk)


class CopyOut(Schema):
    holder: str
    received_at: datetime | None
    received_by_id: int | None


class SettingSheetOut(Schema):
    id: int
    number: str
    site_id: int
    equipment_id: int | None
    subject: str
    issued_on: date
    limit_change_id: int | None
    copies: list[CopyOut]
    outstanding: list[str]
    version: int

    @staticmethod
    def resolve_copies(obj) -> list:
        return list(obj.copies.all())

    @staticmethod
    def resolve_outstanding(obj) -> list:
        return [c.holder for c in obj.copies.all() if c.received_at is None]


class SettingSheetIn(Schema):
    number: Text
    site: Id
    equipment: Id | None = None
    subject: Text
    issued_on: date
    limit_change: Id | None = None


class SettingSheetPatch(Schema):
    version: Id
    number: Text | None = None
    site: Id | None = None
    equipment: Id | None = None
    subject: Text | None = None
    issued_on: date | None = None
    limit_change: Id | None = None


class ReceiptIn(VersionIn):
    holder: CopyHolder
    received_at: datetime
    received_by: Id


add_crud(
    router,
    SHEETS,
    path="setting-sheets",
    out=SettingSheetOut,
    create_in=SettingSheetIn,
    patch_in=SettingSheetPatch,
    tag="work tickets",
)


@router.post(
    "/centres/{code}/setting-sheets/{pk}/receipts",
    response=SettingSheetOut,
    operation_id="setting_sheet_receive",
    tags=["work tickets"],
)
def setting_sheet_receive(request, code: str, pk: Id, payload: ReceiptIn):
    """One copy of the setting sheet received: station, team or centre (WORK-6)."""
    centre = centre_of(request, code)
    sheet = selectors.setting_sheet_get(user=request.user, centre=centre, pk=pk)
    data = payload.dict()
    services.setting_copy_receive(
        actor=request.user, source=API, sheet_id=sheet.pk, version=data.pop("version"), data=data
    )
    return selectors.setting_sheet_get(user=request.user, centre=centre, pk=pk)
