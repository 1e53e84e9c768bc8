"""The operations API: dispatch orders (OPS-1, OPS-2, OPS-4), operation tickets with their steps
and actions (OPS-3 … OPS-8, OPS-14, OPS-15), the typical-ticket library, locks (OPS-5) and
single operations (OPS-12). Every refusal names its rule."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status

from zhiban.core.actors import Source
from zhiban.core.api import Id, Text, VersionIn, add_crud, centre_of
from zhiban.core.pdf import PDF, pdf_response
from zhiban.core.services import validated
from zhiban.work.api import EquipmentRef, ReasonIn

from . import interlock, pdf, selectors, services
from .forms import TicketMonthForm
from .models import (
    AskedTo,
    Executor,
    Interruption,
    TaskKind,
)
from .resources import (
    LOCKS,
    ORDERS,
    SINGLE_OPERATIONS,
    TICKETS,
    TYPICAL,
)

router = Router(tags=["operations"])
API = Source.API
Ids = list[Id]


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


class WarningOut(Schema):
    """A warning that does not refuse, e.g. tagged equipment on a ticket (WORK-3)."""

    code: str
    rule: str
    message: str
    equipment_id: int | None = None
    work_ticket_id: int | None = None
    work_ticket_number: str = ""


class OverrideOut(Schema):
    """The centre's override of the interlock on tagged equipment (WORK-3)."""

    id: int
    at: datetime
    by_id: int
    by_name: str
    reason: str
    work_ticket_numbers: list[str]

    @staticmethod
    def resolve_by_name(obj) -> str:
        return obj.by.name

    @staticmethod
    def resolve_work_ticket_numbers(obj) -> list[str]:
        return [w.number for w in obj.work_tickets.all()]


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
    interruption: str
    interrupted_at: datetime | None
    reported_to: str
    device_state: str
    dispatcher_consent: str
    dispatcher_consent_at: datetime | None
    qualified: bool | None
    steps: list[StepOut]
    warnings: list[WarningOut]
    overrides: list[OverrideOut]
    version: int

    @staticmethod
    def resolve_equipment(obj) -> list:
        return list(obj.equipment.all())

    @staticmethod
    def resolve_overrides(obj) -> list:
        return list(obj.overrides.select_related("by").prefetch_related("work_tickets"))

    @staticmethod
    def resolve_steps(obj) -> list:
        return list(obj.steps.all())

    @staticmethod
    def resolve_warnings(obj) -> list:
        """WORK-3: the equipment carries a maintenance tag — a warning, not a refusal."""
        return selectors.ticket_warnings(obj)


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


# --- printing and statistics (OPS-13, OPS-14) ----------------------------------------------------
# Declared before the tickets' CRUD routes: ``/tickets/{pk}`` would otherwise take "month.pdf"
# and "statistics" for a ticket id.


class MonthQuery(Schema):
    month: str | None = Field(
        None, max_length=20, description="YYYY-MM in the centre's time zone; empty: this month"
    )


class TicketMonthQuery(MonthQuery):
    team: str | None = Field(
        None,
        max_length=20,
        description="A team id, or 'centre' for the tickets the centre executes; empty: all",
    )


def _month_query(request, code, query: MonthQuery):
    """The centre and the chosen month and team; a bad month or team answers 422 per field."""
    centre = centre_of(request, code)
    chosen = validated(TicketMonthForm, query.dict(exclude_none=True), centre=centre)
    return centre, chosen.cleaned_data["month"], chosen.cleaned_data["team"]


@router.get(
    "/centres/{code}/tickets/month.pdf",
    operation_id="tickets_month_pdf",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {PDF: {}}}}},
)
def tickets_month_pdf(request, code: str, query: Query[TicketMonthQuery]):
    """A month's tickets of a team, of the centre, or all, bound as one PDF in number order
    (月底统一装订, OPS-13)."""
    centre, month, team = _month_query(request, code, query)
    tickets = selectors.ticket_month(user=request.user, centre=centre, month=month, team=team)
    return pdf_response(
        pdf.month_pdf(tickets, centre=centre, month=month, team=team),
        f"{centre.code}-tickets-{month:%Y-%m}.pdf",
    )


class TicketCountsOut(Schema):
    key: str
    label: str
    team_id: int | None
    tickets: int
    completed: int
    voided: int
    terminated: int
    assessed: int
    qualified: int
    qualified_rate: float | None = Field(description="qualified / assessed; null if none assessed")
    qualified_rate_display: str


class TicketStatisticsOut(Schema):
    month: str
    rows: list[TicketCountsOut]


@router.get(
    "/centres/{code}/tickets/statistics",
    response=TicketStatisticsOut,
    operation_id="ticket_statistics",
)
def ticket_statistics(request, code: str, query: Query[MonthQuery]):
    """Tickets of the month per team, the centre's own and in total: completed, voided,
    terminated, assessed, qualified and the qualified rate (合格率, OPS-14)."""
    centre, month, _team = _month_query(request, code, query)
    rows = selectors.ticket_statistics(user=request.user, centre=centre, month=month)
    return {"month": f"{month:%Y-%m}", "rows": rows}


@router.get(
    "/centres/{code}/tickets/{pk}/pdf",
    operation_id="ticket_pdf",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {PDF: {}}}}},
)
def ticket_pdf(request, code: str, pk: Id):
    """The operation ticket printed on A4 in the standard layout with its stamps (OPS-13)."""
    ticket = selectors.ticket_print(user=request.user, centre=centre_of(request, code), pk=pk)
    return pdf_response(pdf.ticket_pdf(ticket), f"{ticket.number}.pdf")


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


@router.post(
    "/centres/{code}/tickets/{pk}/energise-override",
    response=TicketOut,
    operation_id="ticket_energise_override",
)
def ticket_energise_override(request, code: str, pk: Id, payload: ReasonIn):
    """The centre's chief operator (or department head) overrides, with a reason, the
    interlock that refuses steps towards service while a work ticket or its maintenance tag
    holds the equipment (WORK-3); audited, shown on the ticket and in the duty log."""
    return _ticket_act(interlock.ticket_energise_override, request, code, pk, payload)


class InterruptIn(VersionIn):
    cause: Interruption
    reported_to: Text
    device_state: Text
    reason: Text


class ConsentIn(VersionIn):
    dispatcher: Text
    at: datetime


class AbortIn(VersionIn):
    dispatcher: Text
    reason: Text


@router.post(
    "/centres/{code}/tickets/{pk}/interrupt", response=TicketOut, operation_id="ticket_interrupt"
)
def ticket_interrupt(request, code: str, pk: Id, payload: InterruptIn):
    """An interrupted sequence control (OPS-10): executed steps stamped 已执行, the task
    forwarded to the field team on a linked ticket from the first unexecuted step."""
    return _ticket_act(services.ticket_interrupt, request, code, pk, payload)


@router.post(
    "/centres/{code}/tickets/{pk}/consent", response=TicketOut, operation_id="ticket_consent"
)
def ticket_consent(request, code: str, pk: Id, payload: ConsentIn):
    """The dispatcher's consent to continue an interrupted sequence control on site (OPS-10)."""
    return _ticket_act(services.ticket_consent, request, code, pk, payload)


@router.post("/centres/{code}/tickets/{pk}/abort", response=TicketOut, operation_id="ticket_abort")
def ticket_abort(request, code: str, pk: Id, payload: AbortIn):
    """The dispatcher aborts a task the site cannot continue: the ticket is voided and an
    incident opened (OPS-10)."""
    return _ticket_act(services.ticket_abort, request, code, pk, payload)


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
