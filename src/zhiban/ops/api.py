"""The operations API: dispatch orders (OPS-1, OPS-2, OPS-4), operation tickets with their steps
and actions (OPS-3 … OPS-8, OPS-14, OPS-15), the typical-ticket library, locks (OPS-5) and
single operations (OPS-12). Every refusal names its rule."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Router, Schema, Status

from zhiban.core.actors import Source
from zhiban.core.api import Id, Text, add_crud, centre_of

from . import selectors, services
from .models import AskedTo, Executor, TaskKind
from .resources import LOCKS, ORDERS, SINGLE_OPERATIONS, TICKETS, TYPICAL

router = Router(tags=["operations"])
API = Source.API
Ids = list[Id]


class EquipmentRef(Schema):
    id: int
    site_id: int
    double_name: str


# --- dispatch orders ---------------------------------------------------------------------------


class OrderOut(Schema):
    id: int
    number: str
    state: str
    dispatcher: str
    task: str
    task_kind: str
    site_id: int
    equipment: list[EquipmentRef]
    planned_at: datetime | None
    received_at: datetime
    received_by_id: int
    read_back: str
    team_id: int | None
    formal_at: datetime | None
    formal_received_by_id: int | None
    cancel_reason: str
    version: int

    @staticmethod
    def resolve_equipment(obj) -> list:
        return list(obj.equipment.all())


class OrderIn(Schema):
    dispatcher: Text
    received_at: datetime
    task: Text
    task_kind: TaskKind = TaskKind.GENERAL
    site: Id
    equipment: Ids = []
    planned_at: datetime | None = None
    read_back: Text
    team: Id | None = None


class VersionIn(Schema):
    version: Id


class NotifyTeamIn(VersionIn):
    person: Id
    at: datetime
    read_back: Text


class QuestionIn(Schema):
    asked_to: AskedTo
    question: Text
    answer: Text
    at: datetime


class QuestionOut(Schema):
    id: int
    asked_to: str
    question: str
    answer: str
    at: datetime
    contact_id: int


class FormalIn(VersionIn):
    at: datetime
    received_by: Id


class ReasonIn(VersionIn):
    reason: Text


add_crud(router, ORDERS, path="orders", out=OrderOut, create_in=OrderIn, tag="operations")


def _order(request, code, pk):
    return selectors.order_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.post(
    "/centres/{code}/orders/{pk}/notify-team", response=OrderOut, operation_id="order_notify_team"
)
def order_notify_team(request, code: str, pk: Id, payload: NotifyTeamIn):
    """The centre phones the team on duty, who read the task back (OPS-2)."""
    order = _order(request, code, pk)
    data = payload.dict()
    return services.order_notify_team(
        actor=request.user, source=API, order_id=order.pk, version=data.pop("version"), data=data
    )


@router.post(
    "/centres/{code}/orders/{pk}/questions",
    response={201: QuestionOut},
    operation_id="order_question",
)
def order_question(request, code: str, pk: Id, payload: QuestionIn):
    """A doubt: to the centre first, then to the dispatcher (OPS-2)."""
    order = _order(request, code, pk)
    return Status(
        201,
        services.order_question(
            actor=request.user, source=API, order_id=order.pk, data=payload.dict()
        ),
    )


@router.post("/centres/{code}/orders/{pk}/formal", response=OrderOut, operation_id="order_formal")
def order_formal(request, code: str, pk: Id, payload: FormalIn):
    """The formal order reached the station (OPS-4)."""
    order = _order(request, code, pk)
    data = payload.dict()
    return services.order_formal(
        actor=request.user, source=API, order_id=order.pk, version=data.pop("version"), data=data
    )


@router.post("/centres/{code}/orders/{pk}/cancel", response=OrderOut, operation_id="order_cancel")
def order_cancel(request, code: str, pk: Id, payload: ReasonIn):
    order = _order(request, code, pk)
    data = payload.dict()
    return services.order_cancel(
        actor=request.user, source=API, order_id=order.pk, version=data.pop("version"), data=data
    )


# --- operation tickets -------------------------------------------------------------------------


class StepOut(Schema):
    seq: int
    text: str
    state: str
    done_at: datetime | None
    done_by_id: int | None
    guardian_id: int | None


class NoteOut(Schema):
    id: int
    at: datetime
    by_id: int
    text: str


class TicketOut(Schema):
    id: int
    number: str
    state: str
    executor: str
    team_id: int | None
    order_id: int | None
    continues_id: int | None
    site_id: int
    task_kind: str
    task: str
    equipment: list[EquipmentRef]
    sequence_control: bool
    filled_by_id: int
    reviewed_by_id: int | None
    reviewed_at: datetime | None
    issuer: str
    receiver_id: int | None
    ordered_at: datetime | None
    centre_notified_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    operator_id: int | None
    guardian_id: int | None
    in_charge_id: int | None
    remarks: str
    end_reason: str
    qualified: bool | None
    steps: list[StepOut]
    version: int

    @staticmethod
    def resolve_equipment(obj) -> list:
        return list(obj.equipment.all())

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())


class TicketIn(Schema):
    executor: Executor
    team: Id | None = None
    order: Id | None = None
    site: Id
    task_kind: TaskKind = TaskKind.GENERAL
    task: Text = ""
    equipment: Ids = []
    sequence_control: bool = False
    operator: Id | None = None
    guardian: Id | None = None
    in_charge: Id | None = None
    steps: str = Field("", max_length=20000, description="One step per line")
    typical: Id | None = Field(None, description="Start from this typical ticket")


class TicketPatch(Schema):
    version: Id
    executor: Executor | None = None
    team: Id | None = None
    order: Id | None = None
    site: Id | None = None
    task_kind: TaskKind | None = None
    task: Text | None = None
    equipment: Ids | None = None
    sequence_control: bool | None = None
    operator: Id | None = None
    guardian: Id | None = None
    in_charge: Id | None = None
    steps: str | None = Field(None, max_length=20000)


class OrderTicketIn(VersionIn):
    issuer: Text
    receiver: Id
    ordered_at: datetime


class NotifyCentreIn(VersionIn):
    at: datetime
    caller: Text


class TickIn(VersionIn):
    step: int = Field(ge=1, le=10_000)
    operator: Id
    guardian: Id


class TerminateIn(ReasonIn):
    remote_refused: bool = False


class NoteIn(Schema):
    text: Text


class AssessIn(VersionIn):
    qualified: bool


add_crud(
    router,
    TICKETS,
    path="tickets",
    out=TicketOut,
    create_in=TicketIn,
    patch_in=TicketPatch,
    tag="operations",
)


def _ticket(request, code, pk):
    return selectors.ticket_get(user=request.user, centre=centre_of(request, code), pk=pk)


def _ticket_act(call, request, code, pk, payload):
    ticket = _ticket(request, code, pk)
    data = payload.dict()
    call(
        actor=request.user, source=API, ticket_id=ticket.pk, version=data.pop("version"), data=data
    )
    return _ticket(request, code, pk)


@router.post(
    "/centres/{code}/tickets/{pk}/review", response=TicketOut, operation_id="ticket_review"
)
def ticket_review(request, code: str, pk: Id, payload: VersionIn):
    """Review by someone other than the filler (OPS-3)."""
    ticket = _ticket(request, code, pk)
    services.ticket_review(
        actor=request.user, source=API, ticket_id=ticket.pk, version=payload.version
    )
    return _ticket(request, code, pk)


@router.post(
    "/centres/{code}/tickets/{pk}/return", response=TicketOut, operation_id="ticket_return"
)
def ticket_return(request, code: str, pk: Id, payload: VersionIn):
    ticket = _ticket(request, code, pk)
    services.ticket_return(
        actor=request.user, source=API, ticket_id=ticket.pk, version=payload.version
    )
    return _ticket(request, code, pk)


@router.post("/centres/{code}/tickets/{pk}/order", response=TicketOut, operation_id="ticket_order")
def ticket_order(request, code: str, pk: Id, payload: OrderTicketIn):
    """Who gave the order to operate, who received it, when (OPS-6; after the formal order,
    OPS-4)."""
    return _ticket_act(services.ticket_order, request, code, pk, payload)


@router.post(
    "/centres/{code}/tickets/{pk}/notify-centre",
    response=TicketOut,
    operation_id="ticket_notify_centre",
)
def ticket_notify_centre(request, code: str, pk: Id, payload: NotifyCentreIn):
    """The team tells the centre before operating (OPS-4); refused without the lock (OPS-5)."""
    return _ticket_act(services.ticket_notify_centre, request, code, pk, payload)


@router.post("/centres/{code}/tickets/{pk}/tick", response=TicketOut, operation_id="ticket_tick")
def ticket_tick(request, code: str, pk: Id, payload: TickIn):
    """Tick the next step with the time (OPS-6); 409 if someone ticked first."""
    return _ticket_act(services.ticket_tick, request, code, pk, payload)


@router.post("/centres/{code}/tickets/{pk}/void", response=TicketOut, operation_id="ticket_void")
def ticket_void(request, code: str, pk: Id, payload: ReasonIn):
    """Void (作废) with a reason, before execution (OPS-7)."""
    return _ticket_act(services.ticket_void, request, code, pk, payload)


@router.post(
    "/centres/{code}/tickets/{pk}/terminate", response=TicketOut, operation_id="ticket_terminate"
)
def ticket_terminate(request, code: str, pk: Id, payload: TerminateIn):
    """Terminate (终止操作) during execution (OPS-7); ``remote_refused`` opens the follow-up
    field ticket with the remaining steps."""
    return _ticket_act(services.ticket_terminate, request, code, pk, payload)


@router.post(
    "/centres/{code}/tickets/{pk}/notes", response={201: NoteOut}, operation_id="ticket_note"
)
def ticket_note(request, code: str, pk: Id, payload: NoteIn):
    """An anomaly reported to the centre, kept on the ticket (OPS-8)."""
    ticket = _ticket(request, code, pk)
    return Status(
        201,
        services.ticket_note(
            actor=request.user, source=API, ticket_id=ticket.pk, data=payload.dict()
        ),
    )


@router.post(
    "/centres/{code}/tickets/{pk}/assess", response=TicketOut, operation_id="ticket_assess"
)
def ticket_assess(request, code: str, pk: Id, payload: AssessIn):
    """Qualified (合格) or not, for the statistics (OPS-14)."""
    return _ticket_act(services.ticket_assess, request, code, pk, payload)


# --- typical tickets, locks, single operations -------------------------------------------------


class TypicalOut(Schema):
    id: int
    site_id: int
    name: str
    task_kind: str
    task: str
    steps: str
    active: bool
    version: int


class TypicalIn(Schema):
    site: Id
    name: Text
    task_kind: TaskKind = TaskKind.GENERAL
    task: Text
    steps: str = Field(max_length=20000)
    active: bool = True


class TypicalPatch(Schema):
    version: Id
    site: Id | None = None
    name: Text | None = None
    task_kind: TaskKind | None = None
    task: Text | None = None
    steps: str | None = Field(None, max_length=20000)
    active: bool | None = None


add_crud(
    router,
    TYPICAL,
    path="typical-tickets",
    out=TypicalOut,
    create_in=TypicalIn,
    patch_in=TypicalPatch,
    tag="operations",
)


class LockOut(Schema):
    id: int
    equipment: EquipmentRef
    reason: str
    locked_at: datetime
    locked_by_id: int
    released_at: datetime | None
    released_by_id: int | None
    version: int


class LockIn(Schema):
    equipment: Id
    reason: Text


add_crud(router, LOCKS, path="locks", out=LockOut, create_in=LockIn, tag="operations")


@router.post("/centres/{code}/locks/{pk}/release", response=LockOut, operation_id="lock_release")
def lock_release(request, code: str, pk: Id, payload: VersionIn):
    centre = centre_of(request, code)
    lock = selectors.lock_get(user=request.user, centre=centre, pk=pk)
    services.lock_release(actor=request.user, source=API, lock_id=lock.pk, version=payload.version)
    return selectors.lock_get(user=request.user, centre=centre, pk=pk)


class SingleOperationOut(Schema):
    id: int
    equipment: EquipmentRef
    action: str
    at: datetime
    by_id: int


class SingleOperationIn(Schema):
    equipment: Id
    action: Text
    at: datetime


add_crud(
    router,
    SINGLE_OPERATIONS,
    path="single-operations",
    out=SingleOperationOut,
    create_in=SingleOperationIn,
    tag="operations",
)
