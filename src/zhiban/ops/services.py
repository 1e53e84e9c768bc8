"""The one door for writes to power operations: dispatch orders (OPS-1, OPS-2, OPS-4),
operation tickets and their steps (OPS-3, OPS-6 … OPS-8, OPS-15), locks (OPS-5), single
operations (OPS-12) and the qualification of tickets (OPS-14). Every step and milestone writes
its duty-log entry (DUTY-7)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.alarms.services import incident_open
from zhiban.core import audit, live, timewindow
from zhiban.core.actors import SCHEDULER
from zhiban.core.errors import Conflict, Forbidden, InvalidInput, NotFound, Refused
from zhiban.core.models import Deadline, DeadlineState, Direction, Level, PhoneContact
from zhiban.core.notify import Message, notify, people_with_roles
from zhiban.core.numbering import format_number, next_number
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import grants, require
from zhiban.core.services import (
    ANY_VERSION,
    content_type_of,
    create_in_centre,
    deadline_meet,
    deadline_set,
    form_data,
    locked,
    phone_contact_record,
    save_change,
    update_in_centre,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from .forms import (
    AbortForm,
    AssessForm,
    ConsentForm,
    CopyReceiptForm,
    ExtendForm,
    FinalCheckForm,
    FormalOrderForm,
    InterruptForm,
    LimitChangeForm,
    LockForm,
    MeasureDoneForm,
    NoteForm,
    NotifyCentreForm,
    NotifyTeamForm,
    OrderForm,
    OrderTicketForm,
    PermitForm,
    QuestionForm,
    ReasonForm,
    RemoteCheckForm,
    SettingSheetForm,
    SingleOperationForm,
    TerminateForm,
    TicketForm,
    TickForm,
    TypicalTicketForm,
    WorkEndForm,
    WorkInterruptForm,
    WorkResumeForm,
    WorkTicketEndForm,
    WorkTicketForm,
    same_person,
)
from .interlock import attach_equipment, refuse_energising
from .models import (
    FINISHED_TICKET_STATES,
    LOCKED_KINDS,
    NEEDS_LOCK,
    OPEN_ORDER_STATES,
    OPEN_WORK_STATES,
    UNFINISHED_TICKET_STATES,
    AskedTo,
    CheckResult,
    CopyHolder,
    DispatchOrder,
    EquipmentLock,
    Executor,
    LimitChange,
    MaintenanceTag,
    OperationTicket,
    OrderQuestion,
    OrderState,
    RemoteCheck,
    RemoteKind,
    SettingSheet,
    SettingSheetCopy,
    SingleOperation,
    StepState,
    TicketNote,
    TicketState,
    TicketStep,
    TypicalTicket,
    WorkInterruption,
    WorkSafetyMeasure,
    WorkTicket,
)
from .selectors import acceptance, is_team_member, open_work_ticket

OPS = LogCategory.OPERATION


def _phone(
    *,
    actor,
    source,
    centre,
    direction,
    party,
    subject,
    at,
    read_back="",
    content="",
    regarding=None,
    party_person=None,
) -> PhoneContact:
    """An order's or ticket's phone call, recorded like every other contact (core)."""
    return phone_contact_record(
        actor=actor,
        source=source,
        centre=centre,
        regarding=regarding,
        data={
            "direction": direction,
            "at": at,
            "our_person": actor.pk,
            "party_name": party[:80],
            "party_person": party_person.pk if party_person else None,
            "subject": subject[:200],
            "content": content,
            "read_back": read_back,
        },
    )


# --- dispatch orders (OPS-1, OPS-2, OPS-4) ---------------------------------------------------


@transaction.atomic
def order_receive(*, actor, source, centre, data) -> DispatchOrder:
    """OPS-1: the chief operator takes the pre-order, reads it back to the dispatcher and so
    fills the task ticket (任务票)."""
    require(actor, Action.OPS_RECEIVE_ORDER, centre)
    form = validated(OrderForm, data, centre=centre)
    order = form.save(commit=False)
    year = timezone.localtime(order.received_at, centre.tz).year
    order.centre, order.received_by = centre, actor
    order.number = format_number("RW", year, next_number(centre, "task_ticket", year))
    order.save()
    form.save_m2m()
    _phone(
        actor=actor,
        source=source,
        centre=centre,
        direction=Direction.INCOMING,
        party=order.dispatcher,
        subject=_("Pre-order: %(task)s") % {"task": order.task},
        at=order.received_at,
        read_back=order.read_back,
        regarding=order,
    )
    audit.record(
        actor=actor, source=source, verb="order.receive", obj=order, after=audit.snapshot(order)
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=OPS,
        site=order.site,
        at=order.received_at,
        regarding=order,
        text=_("Pre-order from %(dispatcher)s: %(task)s (task ticket %(number)s)")
        % {"dispatcher": order.dispatcher, "task": order.task, "number": order.number},
    )
    live.refresh_on_commit(centre, "ops-work")
    return order


def _locked_order(order_id, version) -> DispatchOrder:
    return locked(DispatchOrder.objects.select_related("centre", "site"), order_id, version)


@transaction.atomic
def order_notify_team(*, actor, source, order_id, version: int, data) -> DispatchOrder:
    """OPS-2: the centre phones the team on duty; the team reads the task back."""
    order = _locked_order(order_id, version)
    require(actor, Action.OPS_DISPATCH, order.centre)
    form = validated(NotifyTeamForm, data, centre=order.centre)
    person, at = form.cleaned_data["person"], form.cleaned_data["at"]
    team = person.memberships.filter(centre=order.centre, team__isnull=False).first().team
    before = audit.snapshot(order)
    order.state = DispatchOrder.FLOW.next_state(order.state, "notify")
    order.team = order.team or team
    _phone(
        actor=actor,
        source=source,
        centre=order.centre,
        direction=Direction.OUTGOING,
        party=f"{team} {person}",
        party_person=person,
        at=at,
        subject=_("Task for the team: %(task)s") % {"task": order.task},
        read_back=form.cleaned_data["read_back"],
        regarding=order,
    )
    save_change(order, actor=actor, source=source, verb="order.notify_team", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=order.centre,
        category=OPS,
        site=order.site,
        at=at,
        regarding=order,
        text=_("%(number)s passed to %(team)s (%(person)s read it back)")
        % {"number": order.number, "team": team, "person": person},
    )
    live.refresh_on_commit(order.centre, "ops-work")
    return order


@transaction.atomic
def order_question(*, actor, source, order_id, data) -> OrderQuestion:
    """OPS-2: the team's doubt goes to the centre first, then to the dispatcher; both are
    recorded contacts. The question is a record of its own: the order stays as it is, so no
    version applies (DESIGN-1)."""
    order = _locked_order(order_id, ANY_VERSION)
    require(actor, Action.OPS_DISPATCH, order.centre)
    form = validated(QuestionForm, data, centre=order.centre)
    asked_to, at = form.cleaned_data["asked_to"], form.cleaned_data["at"]
    if (
        asked_to == AskedTo.DISPATCHER
        and not order.questions.filter(asked_to=AskedTo.CENTRE).exists()
    ):
        raise Refused(
            _("A doubt goes to the centre first, then to the dispatcher."),
            code="centre_first",
            rule="OPS-2",
        )
    to_dispatcher = asked_to == AskedTo.DISPATCHER
    contact = _phone(
        actor=actor,
        source=source,
        centre=order.centre,
        direction=Direction.OUTGOING if to_dispatcher else Direction.INCOMING,
        party=order.dispatcher if to_dispatcher else str(order.team or ""),
        at=at,
        regarding=order,
        content=form.cleaned_data["answer"],
        subject=_("Question about %(number)s: %(question)s")
        % {"number": order.number, "question": form.cleaned_data["question"]},
    )
    question = OrderQuestion.objects.create(
        order=order,
        asked_to=asked_to,
        question=form.cleaned_data["question"],
        answer=form.cleaned_data["answer"],
        at=at,
        contact=contact,
    )
    audit.record(
        actor=actor,
        source=source,
        verb="order.question",
        obj=order,
        after={"asked_to": asked_to, "question": question.question, "answer": question.answer},
    )
    return question


@transaction.atomic
def order_formal(*, actor, source, order_id, version: int, data) -> DispatchOrder:
    """OPS-4: the dispatcher's formal order reaches the station and the team's chief."""
    order = _locked_order(order_id, version)
    require(actor, Action.OPS_DISPATCH, order.centre)
    form = validated(FormalOrderForm, data, centre=order.centre)
    before = audit.snapshot(order)
    order.state = DispatchOrder.FLOW.next_state(order.state, "formal")
    order.formal_at = form.cleaned_data["at"]
    order.formal_received_by = form.cleaned_data["received_by"]
    save_change(order, actor=actor, source=source, verb="order.formal", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=order.centre,
        category=OPS,
        site=order.site,
        at=order.formal_at,
        regarding=order,
        text=_("Formal order for %(number)s received by %(person)s")
        % {"number": order.number, "person": order.formal_received_by},
    )
    live.refresh_on_commit(order.centre, "ops-work")
    return order


@transaction.atomic
def order_cancel(*, actor, source, order_id, version: int, data) -> DispatchOrder:
    order = _locked_order(order_id, version)
    require(actor, Action.OPS_DISPATCH, order.centre)
    reason = validated(ReasonForm, data, centre=order.centre).cleaned_data["reason"]
    if order.tickets.filter(state__in=[TicketState.EXECUTING]).exists():
        raise Refused(_("A ticket of this order is being executed."), rule="OPS-7")
    before = audit.snapshot(order)
    order.state = DispatchOrder.FLOW.next_state(order.state, "cancel")
    order.cancel_reason = reason
    save_change(
        order, actor=actor, source=source, verb="order.cancel", before=before, reason=reason
    )
    live.refresh_on_commit(order.centre, "ops-work")
    return order


# --- operation tickets -----------------------------------------------------------------------


def _centre_role(person, centre, roles) -> bool:
    return bool(grants(person).get(centre.pk, frozenset()) & set(roles))


def _require_filler(actor, centre, executor, team) -> None:
    """OPS-3: the centre's tickets are filled at the centre; a team fills its own (谁操作谁开票)."""
    require(actor, Action.OPS_FILL, centre)
    if getattr(actor, "is_system", False):
        return
    if executor == Executor.TEAM and team is not None and not is_team_member(actor, team):
        raise Forbidden(
            _("Only people of %(team)s fill its tickets.") % {"team": team}, rule="OPS-3"
        )
    if executor == Executor.CENTRE and not _centre_role(
        actor, centre, {Role.CHIEF_OPERATOR, Role.DEPUTY_OPERATOR}
    ):
        raise Forbidden(_("The centre's tickets are filled by its operators."), rule="OPS-3")


def _require_team_phoned(cleaned, filled_as=None) -> None:
    """OPS-2: a team prepares the ticket of an order only once the centre has phoned it that
    order (the order is at the team-notified or formal-order stage and passed to that team).
    ``filled_as``: the (order, team) ids of the ticket being changed, which stand."""
    order, team = cleaned.get("order"), cleaned.get("team")
    if order is None or cleaned.get("executor") != Executor.TEAM:
        return
    if filled_as == (order.pk, team.pk):
        return
    if order.state in (OrderState.NOTIFIED, OrderState.ORDERED) and order.team_id == team.pk:
        return
    raise Refused(
        _(
            "%(team)s has not been phoned about %(order)s: the centre passes the order to "
            "the team first, then the team prepares its ticket."
        )
        % {"team": team, "order": order.number},
        code="team_not_notified",
        rule="OPS-2",
    )


def _number(centre, at, kind="operation_ticket", suffix="") -> str:
    """Gap-free per centre, kind and year in the centre's format (OPS-6): ``SW-2026-00017``
    for operation tickets, ``SW-G-2026-00007`` for work tickets (suffix ``-G``)."""
    year = timezone.localtime(at, centre.tz).year
    prefix = (centre.setting("ops.ticket_prefix") or centre.code.upper()) + suffix
    digits = centre.setting("ops.ticket_digits")
    return format_number(prefix, year, next_number(centre, kind, year), digits)


def _write_steps(ticket, lines) -> None:
    ticket.steps.all().delete()
    TicketStep.objects.bulk_create(
        TicketStep(ticket=ticket, seq=i, text=text) for i, text in enumerate(lines, start=1)
    )


@transaction.atomic
def ticket_create(*, actor, source, centre, data) -> OperationTicket:
    """A new ticket (draft): one task, equipment by double name, its steps (OPS-6, OPS-15)."""
    form = validated(TicketForm, data, centre=centre)
    cleaned = form.cleaned_data
    _require_filler(actor, centre, cleaned["executor"], cleaned.get("team"))
    _require_team_phoned(cleaned)
    _check_sequence_control(centre, cleaned)
    ticket = form.save(commit=False)
    ticket.centre, ticket.filled_by = centre, actor
    ticket.number = _number(centre, timezone.now())
    ticket.save()
    form.save_m2m()
    _write_steps(ticket, cleaned["step_lines"])
    attach_equipment(ticket)
    audit.record(
        actor=actor,
        source=source,
        verb="ticket.create",
        obj=ticket,
        after={**audit.snapshot(ticket), "steps": cleaned["step_lines"]},
    )
    live.refresh_on_commit(centre, "ops-work")
    return ticket


def _locked_ticket(ticket_id, version) -> OperationTicket:
    return locked(
        OperationTicket.objects.select_related("centre", "site", "team", "order"),
        ticket_id,
        version,
    )


@transaction.atomic
def ticket_update(*, actor, source, ticket_id, version: int, changes) -> OperationTicket:
    """A draft ticket may change; once reviewed it must be returned first, and once executing
    its step texts are frozen (OPS-15)."""
    ticket = _locked_ticket(ticket_id, version)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "edit")
    filled_as = (ticket.order_id, ticket.team_id)
    data = form_data(ticket, TicketForm)
    data["steps"] = "\n".join(s.text for s in ticket.steps.all())
    data.update(changes)
    form = validated(TicketForm, data, centre=ticket.centre, instance=ticket)
    _require_filler(
        actor, ticket.centre, form.cleaned_data["executor"], form.cleaned_data.get("team")
    )
    _require_team_phoned(form.cleaned_data, filled_as)
    _check_sequence_control(ticket.centre, form.cleaned_data, ticket)
    before = {**audit.snapshot(ticket), "steps": [s.text for s in ticket.steps.all()]}
    ticket = form.save(commit=False)
    ticket.version += 1
    ticket.save()
    form.save_m2m()
    _write_steps(ticket, form.cleaned_data["step_lines"])
    attach_equipment(ticket)
    audit.record(
        actor=actor,
        source=source,
        verb="ticket.update",
        obj=ticket,
        before=before,
        after={**audit.snapshot(ticket), "steps": form.cleaned_data["step_lines"]},
    )
    return ticket


@transaction.atomic
def ticket_review(*, actor, source, ticket_id, version: int) -> OperationTicket:
    """OPS-3: whoever fills a ticket may not also review it; the centre's chief operator
    reviews the centre's tickets, a member of the team the team's."""
    ticket = _locked_ticket(ticket_id, version)
    centre = ticket.centre
    require(actor, Action.OPS_REVIEW, centre)
    if actor.pk == ticket.filled_by_id:
        raise Refused(
            _("Whoever fills a ticket may not also review it."), code="same_person", rule="OPS-3"
        )
    if ticket.executor == Executor.CENTRE and not _centre_role(
        actor, centre, {Role.CHIEF_OPERATOR}
    ):
        raise Forbidden(_("The chief operator reviews the centre's tickets."), rule="OPS-3")
    if ticket.executor == Executor.TEAM and not is_team_member(actor, ticket.team):
        raise Forbidden(
            _("A member of %(team)s reviews its tickets.") % {"team": ticket.team}, rule="OPS-3"
        )
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "review")
    ticket.reviewed_by, ticket.reviewed_at = actor, timezone.now()
    save_change(ticket, actor=actor, source=source, verb="ticket.review", before=before)
    live.refresh_on_commit(centre, "ops-work")
    return ticket


@transaction.atomic
def ticket_return(*, actor, source, ticket_id, version: int) -> OperationTicket:
    ticket = _locked_ticket(ticket_id, version)
    require(actor, Action.OPS_REVIEW, ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "return")
    ticket.reviewed_by = ticket.reviewed_at = None
    return save_change(ticket, actor=actor, source=source, verb="ticket.return", before=before)


@transaction.atomic
def ticket_order(*, actor, source, ticket_id, version: int, data) -> OperationTicket:
    """The order to execute: who gave it, who received it, when (OPS-6). A ticket of a
    dispatch order waits for the formal order (OPS-4)."""
    ticket = _locked_ticket(ticket_id, version)
    require(actor, Action.OPS_EXECUTE, ticket.centre)
    form = validated(OrderTicketForm, data, centre=ticket.centre)
    if ticket.order is not None and ticket.order.formal_at is None:
        raise Refused(
            _("The formal order of %(order)s has not been recorded.")
            % {"order": ticket.order.number},
            rule="OPS-4",
        )
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "order")
    ticket.issuer = form.cleaned_data["issuer"]
    ticket.receiver = form.cleaned_data["receiver"]
    ticket.ordered_at = form.cleaned_data["ordered_at"]
    save_change(ticket, actor=actor, source=source, verb="ticket.order", before=before)
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


def _missing_locks(ticket) -> list:
    """OPS-5: the capacitors and main transformers of the ticket without an active lock."""
    if ticket.task_kind not in NEEDS_LOCK:
        return []
    need = [e for e in ticket.equipment.all() if e.kind in LOCKED_KINDS]
    locked_ids = set(
        EquipmentLock.objects.filter(equipment__in=need, released_at=None).values_list(
            "equipment_id", flat=True
        )
    )
    if not need:
        return ["—"]  # the kind of task needs a locked capacitor or transformer on the ticket
    return [e for e in need if e.pk not in locked_ids]


@transaction.atomic
def ticket_notify_centre(*, actor, source, ticket_id, version: int, data) -> OperationTicket:
    """OPS-4: the team's chief tells the centre before operating; the centre consents — for
    capacitor and main-transformer work only after it has locked them (OPS-5)."""
    ticket = _locked_ticket(ticket_id, version)
    centre = ticket.centre
    require(actor, Action.OPS_DISPATCH, centre)
    form = validated(NotifyCentreForm, data, centre=centre)
    if ticket.executor != Executor.TEAM:
        raise Refused(_("The centre executes this ticket itself."), rule="OPS-4")
    missing = _missing_locks(ticket)
    if missing:
        raise Refused(
            _("The centre consents only after locking %(equipment)s in the monitoring system.")
            % {"equipment": missing[0]},
            code="lock_missing",
            rule="OPS-5",
        )
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "notify_centre")
    ticket.centre_notified_at = form.cleaned_data["at"]
    _phone(
        actor=actor,
        source=source,
        centre=centre,
        direction=Direction.INCOMING,
        party=form.cleaned_data["caller"],
        at=ticket.centre_notified_at,
        regarding=ticket,
        subject=_("Ready to operate %(number)s; the centre consents") % {"number": ticket.number},
    )
    save_change(ticket, actor=actor, source=source, verb="ticket.notify_centre", before=before)
    live.refresh_on_commit(centre, "ops-work")
    return ticket


@transaction.atomic
def ticket_tick(*, actor, source, ticket_id, version: int, data) -> OperationTicket:
    """OPS-6: steps are ticked one by one with the time, never ahead of the previous one; the
    first needs the centre notified (OPS-4). Each step writes its duty-log entry (DUTY-7)."""
    ticket = _locked_ticket(ticket_id, version)
    centre = ticket.centre
    require(actor, Action.OPS_EXECUTE, centre)
    form = validated(TickForm, data, centre=centre)
    seq = form.cleaned_data["step"]
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "tick")
    if ticket.executor == Executor.TEAM and ticket.centre_notified_at is None:
        raise Refused(
            _("Tell the centre before the first step."), code="centre_not_notified", rule="OPS-4"
        )
    if ticket.sequence_control and ticket.started_at is None:
        _refuse_sequence_at_worked_station(ticket.site)
    if _interrupted(ticket.continues) and ticket.dispatcher_consent_at is None:
        raise Refused(
            _("Record the dispatcher's consent before continuing %(number)s on site.")
            % {"number": ticket.continues.number},
            code="dispatcher_consent_missing",
            rule="OPS-10",
        )
    steps = list(ticket.steps.all())
    pending = [s for s in steps if s.state == StepState.PENDING]
    step = next((s for s in steps if s.seq == seq), None)
    if step is None:
        raise NotFound()
    if step.state != StepState.PENDING:
        raise Refused(_("Step %(n)s is done already.") % {"n": seq}, rule="OPS-6")
    if pending[0].seq != seq:
        raise Refused(
            _("Step %(n)s comes first.") % {"n": pending[0].seq}, code="out_of_order", rule="OPS-6"
        )
    refuse_energising(ticket, step)
    now = timezone.now()
    operator, guardian = form.cleaned_data["operator"], form.cleaned_data["guardian"]
    step.state, step.done_at, step.done_by, step.guardian = StepState.DONE, now, operator, guardian
    step.save()
    if ticket.started_at is None and ticket.sequence_control:
        _watch_sequence(ticket, now, source=source)
    ticket.started_at = ticket.started_at or now
    ticket.operator, ticket.guardian = ticket.operator or operator, ticket.guardian or guardian
    finished = len(pending) == 1
    if finished:
        ticket.state = OperationTicket.FLOW.next_state(ticket.state, "complete")
        ticket.ended_at = now
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="ticket.tick",
        before=before,
        reason=f"{step.seq}. {step.text}",
    )
    log_write(
        actor=operator,
        source=source,
        centre=centre,
        category=OPS,
        site=ticket.site,
        at=now,
        regarding=ticket,
        text=_("%(number)s step %(n)s: %(text)s (operator %(op)s, guardian %(g)s)")
        % {
            "number": ticket.number,
            "n": step.seq,
            "text": step.text,
            "op": operator,
            "g": guardian,
        },
    )
    if finished:
        _finished(ticket, actor=actor, source=source)
    live.refresh_on_commit(centre, "ops-work")
    return ticket


def _finished(ticket, *, actor, source) -> None:
    _end_sequence_watch(ticket, source=source, reason=_("completed successfully"))
    log_write(
        actor=actor,
        source=source,
        centre=ticket.centre,
        category=OPS,
        site=ticket.site,
        regarding=ticket,
        text=_("%(number)s completed: %(task)s") % {"number": ticket.number, "task": ticket.task},
    )
    order = ticket.order
    if (
        order is not None
        and order.state == OrderState.ORDERED
        and not order.tickets.exclude(state__in=FINISHED_TICKET_STATES).exists()
    ):
        before = audit.snapshot(order)
        order.state = DispatchOrder.FLOW.next_state(order.state, "finish")
        save_change(order, actor=actor, source=source, verb="order.finish", before=before)


@transaction.atomic
def ticket_void(*, actor, source, ticket_id, version: int, data) -> OperationTicket:
    """OPS-7: a ticket is voided (作废) with its reason, only before execution."""
    ticket = _locked_ticket(ticket_id, version)
    require(actor, Action.OPS_FILL, ticket.centre)
    reason = validated(ReasonForm, data, centre=ticket.centre).cleaned_data["reason"]
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "void")
    ticket.end_reason = reason
    save_change(
        ticket, actor=actor, source=source, verb="ticket.void", before=before, reason=reason
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def ticket_terminate(*, actor, source, ticket_id, version: int, data) -> OperationTicket:
    """OPS-7: a ticket in execution is terminated (终止操作) with its reason; the remaining
    steps are not executed. When the device refused a remote operation (拒动), the rest moves
    to the site: a field ticket of the team is opened with the remaining steps."""
    ticket = _locked_ticket(ticket_id, version)
    centre = ticket.centre
    require(actor, Action.OPS_EXECUTE, centre)
    form = validated(TerminateForm, data, centre=centre)
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "terminate")
    ticket.end_reason, ticket.ended_at = form.cleaned_data["reason"], timezone.now()
    remaining = list(ticket.steps.filter(state=StepState.PENDING))
    ticket.steps.filter(state=StepState.PENDING).update(state=StepState.NOT_DONE)
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="ticket.terminate",
        before=before,
        reason=ticket.end_reason,
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=OPS,
        site=ticket.site,
        regarding=ticket,
        text=_("%(number)s terminated: %(reason)s")
        % {"number": ticket.number, "reason": ticket.end_reason},
    )
    if form.cleaned_data["remote_refused"]:
        _follow_up(ticket, remaining, actor=actor, source=source)
    live.refresh_on_commit(centre, "ops-work")
    return ticket


def _follow_up(ticket, remaining, *, actor, source, rule="OPS-7") -> OperationTicket:
    """The team's field ticket that continues, from the first unexecuted step, a remote
    operation the device refused (OPS-7) or an interrupted sequence control (OPS-10)."""
    team = ticket.team or (ticket.order.team if ticket.order else None)
    if team is None:
        raise InvalidInput(
            fields={"team": [_("Name the team on the ticket (or its order) to continue on site.")]},
            rule=rule,
        )
    follow = OperationTicket.objects.create(
        centre=ticket.centre,
        number=_number(ticket.centre, timezone.now()),
        executor=Executor.TEAM,
        team=team,
        order=ticket.order,
        continues=ticket,
        site=ticket.site,
        task_kind=ticket.task_kind,
        task=ticket.task,
        filled_by=actor,
        remarks=_("Continues %(number)s from its step %(n)s.")
        % {"number": ticket.number, "n": remaining[0].seq if remaining else "—"},
    )
    follow.equipment.set(ticket.equipment.all())
    _write_steps(follow, [s.text for s in remaining])
    audit.record(
        actor=actor,
        source=source,
        verb="ticket.follow_up",
        obj=follow,
        after={**audit.snapshot(follow), "continues": ticket.number},
    )
    return follow


# --- sequence control and its interruption (OPS-9 … OPS-11) ----------------------------------

SEQUENCE_WATCH = "顺控完成信号 (OPS-11)"


def _interrupted(ticket) -> bool:
    return ticket is not None and bool(ticket.interruption)


def _check_sequence_control(centre, cleaned, ticket=None) -> None:
    if cleaned.get("sequence_control"):
        _refuse_sequence_at_worked_station(cleaned["site"])
        _refuse_sequence_after_interruption(centre, cleaned, ticket)


def _refuse_sequence_at_worked_station(site) -> None:
    """OPS-9: while the station has a work ticket the team operates locally; the centre's
    sequence control is refused (checked when filled and again at the first step)."""
    work = open_work_ticket(site)
    if work is not None:
        raise Refused(
            _(
                "%(site)s has the open work ticket %(number)s: the team operates locally, "
                "not the centre by sequence control."
            )
            % {"site": site, "number": work.number},
            code="station_has_work_ticket",
            rule="OPS-9",
        )


def _refuse_sequence_after_interruption(centre, cleaned, ticket=None) -> None:
    """OPS-10: once a sequence control of a task was interrupted, the task is finished on site;
    choosing a new sequence-control command for it is refused."""
    same_task = OperationTicket.objects.filter(
        centre=centre, sequence_control=True, site=cleaned.get("site")
    ).exclude(interruption="")
    if cleaned.get("order") is not None:
        same_task = same_task.filter(order=cleaned["order"], order__state__in=OPEN_ORDER_STATES)
    else:
        same_task = same_task.filter(
            task=cleaned.get("task"), continued_by__state__in=UNFINISHED_TICKET_STATES
        )
    if ticket is not None:
        same_task = same_task.exclude(pk=ticket.pk)
    interrupted = same_task.first()
    if interrupted is not None:
        raise Refused(
            _(
                "Sequence control of this task was interrupted (%(number)s): it is finished "
                "on site, not by a new sequence-control command."
            )
            % {"number": interrupted.number},
            code="sequence_after_interruption",
            rule="OPS-10",
        )


def _watch_sequence(ticket, now, *, source) -> None:
    """OPS-11: a sequence control that does not signal "completed successfully" in time
    breaches its deadline; the breach alarms the centre (notifications, escalation)."""
    from datetime import timedelta

    minutes = ticket.centre.setting("ops.sequence_timeout_minutes")
    deadline_set(
        actor=SCHEDULER,
        source=source,
        centre=ticket.centre,
        target=ticket,
        data={"name": SEQUENCE_WATCH, "due_at": now + timedelta(minutes=minutes)},
        reason="OPS-11",
    )


def _end_sequence_watch(ticket, *, source, reason) -> None:
    for deadline in Deadline.objects.filter(
        content_type=content_type_of(ticket),
        object_id=str(ticket.pk),
        name=SEQUENCE_WATCH,
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    ):
        deadline_meet(
            actor=SCHEDULER,
            source=source,
            deadline_id=deadline.pk,
            version=deadline.version,
            reason=reason,
        )


@transaction.atomic
def ticket_interrupt(*, actor, source, ticket_id, version: int, data) -> OperationTicket:
    """OPS-10: an interrupted sequence control. The executed steps are stamped 已执行, the
    remarks name the dispatcher reported to, the device state and the reason, and the task is
    forwarded to the field team on a new ticket that starts at the first unexecuted step."""
    ticket = _locked_ticket(ticket_id, version)
    centre = ticket.centre
    require(actor, Action.OPS_EXECUTE, centre)
    if not ticket.sequence_control:
        raise Refused(
            _("Only a sequence-control operation is interrupted; terminate this ticket."),
            rule="OPS-10",
        )
    form = validated(InterruptForm, data, centre=centre)
    cleaned = form.cleaned_data
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "interrupt")
    now = timezone.now()
    ticket.interruption, ticket.interrupted_at, ticket.ended_at = cleaned["cause"], now, now
    ticket.reported_to, ticket.device_state = cleaned["reported_to"], cleaned["device_state"]
    ticket.end_reason = cleaned["reason"]
    interruption = _(
        "Sequence control interrupted (%(cause)s): %(reason)s. Reported to dispatcher "
        "%(dispatcher)s. Device state: %(state)s."
    ) % {
        "cause": ticket.get_interruption_display(),
        "reason": ticket.end_reason,
        "dispatcher": ticket.reported_to,
        "state": ticket.device_state,
    }
    ticket.remarks = "\n".join(filter(None, [ticket.remarks, interruption]))
    remaining = list(ticket.steps.filter(state=StepState.PENDING))
    ticket.steps.filter(state=StepState.DONE).update(state=StepState.STAMPED)
    ticket.steps.filter(state=StepState.PENDING).update(state=StepState.NOT_DONE)
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="ticket.interrupt",
        before=before,
        reason=ticket.end_reason,
    )
    _end_sequence_watch(ticket, source=source, reason=ticket.get_interruption_display())
    follow = _follow_up(ticket, remaining, actor=actor, source=source, rule="OPS-10")
    _phone(
        actor=actor,
        source=source,
        centre=centre,
        direction=Direction.OUTGOING,
        party=str(follow.team),
        at=now,
        regarding=follow,
        subject=_("Sequence control %(number)s interrupted: continue on site with %(follow)s")
        % {"number": ticket.number, "follow": follow.number},
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=OPS,
        site=ticket.site,
        regarding=ticket,
        text=" ".join(
            [
                ticket.number,
                interruption,
                _("Forwarded to %(team)s as %(follow)s.")
                % {"team": follow.team, "follow": follow.number},
            ]
        ),
    )
    live.refresh_on_commit(centre, "ops-work")
    return ticket


def _require_continuation(ticket) -> None:
    if not _interrupted(ticket.continues):
        raise Refused(
            _("Only a ticket that continues an interrupted sequence control needs this."),
            rule="OPS-10",
        )


@transaction.atomic
def ticket_consent(*, actor, source, ticket_id, version: int, data) -> OperationTicket:
    """OPS-10: the field team continues an interrupted sequence control only after the
    dispatcher's consent is recorded."""
    ticket = _locked_ticket(ticket_id, version)
    centre = ticket.centre
    require(actor, Action.OPS_DISPATCH, centre)
    _require_continuation(ticket)
    cleaned = validated(ConsentForm, data, centre=centre).cleaned_data
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "consent")
    ticket.dispatcher_consent, ticket.dispatcher_consent_at = cleaned["dispatcher"], cleaned["at"]
    _phone(
        actor=actor,
        source=source,
        centre=centre,
        direction=Direction.INCOMING,
        party=ticket.dispatcher_consent,
        at=ticket.dispatcher_consent_at,
        regarding=ticket,
        subject=_("The dispatcher consents to continue %(number)s on site")
        % {"number": ticket.number},
    )
    save_change(ticket, actor=actor, source=source, verb="ticket.consent", before=before)
    live.refresh_on_commit(centre, "ops-work")
    return ticket


@transaction.atomic
def ticket_abort(*, actor, source, ticket_id, version: int, data):
    """OPS-10: when the site cannot go on either, the dispatcher aborts the task; the ticket is
    voided and the task is handled as an incident (which blocks the handover, DUTY-10)."""
    ticket = _locked_ticket(ticket_id, version)
    centre = ticket.centre
    require(actor, Action.OPS_DISPATCH, centre)
    _require_continuation(ticket)
    cleaned = validated(AbortForm, data, centre=centre).cleaned_data
    before = audit.snapshot(ticket)
    ticket.state = OperationTicket.FLOW.next_state(ticket.state, "abort")
    ticket.end_reason = _("Aborted by dispatcher %(dispatcher)s: %(reason)s") % cleaned
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="ticket.abort",
        before=before,
        reason=ticket.end_reason,
    )
    original = ticket.continues
    incident = incident_open(
        actor=actor,
        source=source,
        centre=centre,
        origin=ticket,
        data={
            "site": ticket.site_id,
            "title": (_("Sequence control aborted: %(task)s") % {"task": ticket.task})[:200],
            "description": "\n".join([original.remarks, ticket.end_reason]),
            "opened_at": timezone.now(),
        },
    )
    order = ticket.order
    if order is not None and order.state in OPEN_ORDER_STATES:
        before = audit.snapshot(order)
        order.state = DispatchOrder.FLOW.next_state(order.state, "cancel")
        order.cancel_reason = ticket.end_reason[:300]
        save_change(order, actor=actor, source=source, verb="order.cancel", before=before)
    live.refresh_on_commit(centre, "ops-work")
    return incident


@transaction.atomic
def ticket_note(*, actor, source, ticket_id, data) -> TicketNote:
    """OPS-8: an anomaly during the operation, reported to the centre and kept on the ticket
    as a note of its own: the ticket stays as it is, so no version applies (DESIGN-1)."""
    ticket = _locked_ticket(ticket_id, ANY_VERSION)
    require(actor, Action.OPS_EXECUTE, ticket.centre)
    OperationTicket.FLOW.next_state(ticket.state, "note")
    text = validated(NoteForm, data, centre=ticket.centre).cleaned_data["text"]
    note = TicketNote.objects.create(ticket=ticket, by=actor, text=text)
    audit.record(
        actor=actor, source=source, verb="ticket.note", obj=ticket, after={"anomaly": text}
    )
    log_write(
        actor=actor,
        source=source,
        centre=ticket.centre,
        category=LogCategory.ANOMALY,
        site=ticket.site,
        regarding=ticket,
        text=_("%(number)s anomaly: %(text)s") % {"number": ticket.number, "text": text},
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return note


@transaction.atomic
def ticket_assess(*, actor, source, ticket_id, version: int, data) -> OperationTicket:
    """OPS-14: a finished ticket is assessed qualified (合格) or not."""
    ticket = _locked_ticket(ticket_id, version)
    require(actor, Action.OPS_ASSESS, ticket.centre)
    if ticket.state not in (TicketState.COMPLETED, TicketState.TERMINATED, TicketState.VOIDED):
        raise Refused(_("Only a finished ticket is assessed."), rule="OPS-14")
    before = audit.snapshot(ticket)
    ticket.qualified = validated(AssessForm, data, centre=ticket.centre).cleaned_data["qualified"]
    ticket.assessed_by = actor
    return save_change(ticket, actor=actor, source=source, verb="ticket.assess", before=before)


# --- locks and single operations ---------------------------------------------------------------


@transaction.atomic
def lock_place(*, actor, source, centre, data) -> EquipmentLock:
    """OPS-5: the centre locks equipment (封锁) in the monitoring system."""
    require(actor, Action.OPS_LOCK, centre)
    form = validated(LockForm, data, centre=centre)
    equipment = form.cleaned_data["equipment"]
    if EquipmentLock.objects.filter(equipment=equipment, released_at=None).exists():
        raise Refused(
            _("%(equipment)s is locked already.") % {"equipment": equipment}, rule="OPS-5"
        )
    lock = EquipmentLock.objects.create(
        centre=centre, equipment=equipment, locked_by=actor, reason=form.cleaned_data["reason"]
    )
    audit.record(
        actor=actor, source=source, verb="lock.place", obj=lock, after=audit.snapshot(lock)
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=OPS,
        equipment=equipment,
        site=equipment.site,
        regarding=lock,
        text=_("%(equipment)s locked: %(reason)s")
        % {"equipment": equipment.double_name, "reason": lock.reason},
    )
    return lock


@transaction.atomic
def lock_release(*, actor, source, lock_id, version: int) -> EquipmentLock:
    lock = locked(
        EquipmentLock.objects.select_related("centre", "equipment__site"), lock_id, version
    )
    require(actor, Action.OPS_LOCK, lock.centre)
    if lock.released_at:
        raise Refused(_("This lock is released already."), rule="OPS-5")
    before = audit.snapshot(lock)
    lock.released_at, lock.released_by = timezone.now(), actor
    save_change(lock, actor=actor, source=source, verb="lock.release", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=lock.centre,
        category=OPS,
        equipment=lock.equipment,
        site=lock.equipment.site,
        regarding=lock,
        text=_("%(equipment)s lock released") % {"equipment": lock.equipment.double_name},
    )
    return lock


@transaction.atomic
def single_operation_record(*, actor, source, centre, data) -> SingleOperation:
    """OPS-12: a single operation is recorded by whoever performed it."""
    require(actor, Action.OPS_EXECUTE, centre)
    form = validated(SingleOperationForm, data, centre=centre)
    equipment = form.cleaned_data["equipment"]
    operation = SingleOperation.objects.create(
        centre=centre,
        equipment=equipment,
        action=form.cleaned_data["action"],
        at=form.cleaned_data["at"],
        by=actor,
    )
    audit.record(
        actor=actor,
        source=source,
        verb="single_operation.record",
        obj=operation,
        after=audit.snapshot(operation),
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=OPS,
        equipment=equipment,
        site=equipment.site,
        at=operation.at,
        regarding=operation,
        text=_("Single operation: %(equipment)s %(action)s")
        % {"equipment": equipment.double_name, "action": operation.action},
    )
    return operation


# --- the typical-ticket library ----------------------------------------------------------------


@transaction.atomic
def typical_ticket_create(*, actor, source, centre, data) -> TypicalTicket:
    return create_in_centre(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=TypicalTicketForm,
        action=Action.OPS_LIBRARY,
        verb="typical_ticket.create",
    )


@transaction.atomic
def typical_ticket_update(*, actor, source, typical_id, version: int, changes) -> TypicalTicket:
    return update_in_centre(
        actor=actor,
        source=source,
        model=TypicalTicket,
        pk=typical_id,
        version=version,
        changes=changes,
        form_class=TypicalTicketForm,
        action=Action.OPS_LIBRARY,
        verb="typical_ticket.update",
    )


# --- work tickets (WORK-1 … WORK-7, ACC-1) -------------------------------------------------------


def _locked_work(ticket_id, version) -> WorkTicket:
    return locked(
        WorkTicket.objects.select_related("centre", "site", "team", "order"), ticket_id, version
    )


def _work_log(ticket, *, actor, source, text, at=None, equipment=None) -> None:
    """DUTY-7: each milestone of a work ticket writes its duty-log entry (开工令, 报竣工 …)."""
    log_write(
        actor=actor,
        source=source,
        centre=ticket.centre,
        category=OPS,
        site=ticket.site,
        equipment=equipment,
        at=at,
        regarding=ticket,
        text=text,
    )


def _require_team(actor, ticket_team) -> None:
    """WORK-1: work tickets are received and carried by the operations team."""
    if getattr(actor, "is_system", False):
        return
    if not is_team_member(actor, ticket_team):
        raise Forbidden(
            _("Work tickets are received by the operations team: only people of %(team)s.")
            % {"team": ticket_team},
            rule="WORK-1",
        )


def _require_hold(actor, centre) -> None:
    """WORK-1: the operations team receives and carries work tickets (the centre tags, checks
    and records, it does not hold the ticket)."""
    try:
        require(actor, Action.WORK_HOLD, centre)
    except Forbidden:
        raise Forbidden(
            _("Work tickets are received and carried by the operations team."), rule="WORK-1"
        ) from None


def _refuse_second_open(centre, leader, exclude=None) -> None:
    """WORK-7: a work leader holds one open ticket at a time."""
    open_ones = WorkTicket.objects.filter(
        centre=centre, work_leader=leader, state__in=OPEN_WORK_STATES
    )
    if exclude is not None:
        open_ones = open_ones.exclude(pk=exclude.pk)
    other = open_ones.first()
    if other is not None:
        raise Refused(
            _("%(leader)s already holds the open work ticket %(number)s.")
            % {"leader": leader, "number": other.number},
            code="leader_has_open_ticket",
            rule="WORK-7",
        )


def _write_measures(ticket, lines) -> None:
    if [m.text for m in ticket.measures.all()] == list(lines):
        return
    ticket.measures.all().delete()
    WorkSafetyMeasure.objects.bulk_create(
        WorkSafetyMeasure(ticket=ticket, seq=i, text=text) for i, text in enumerate(lines, 1)
    )


def _check_order(order) -> None:
    """WORK-1: an order that needs a ticket in advance flows through the centre — it is
    pre-received there and passed to the team before the team works on it."""
    if order is None:
        return
    if order.state == OrderState.RECEIVED:
        raise Refused(
            _("The centre has not passed %(order)s to the team yet.") % {"order": order.number},
            code="order_not_passed",
            rule="WORK-1",
        )
    if order.state == OrderState.CANCELLED:
        raise Refused(
            _("%(order)s was cancelled.") % {"order": order.number},
            code="order_cancelled",
            rule="WORK-1",
        )


def _save_unique_leader(ticket) -> None:
    """The database keeps one open ticket per work leader even for two requests at once."""
    try:
        with transaction.atomic():
            ticket.save()
    except IntegrityError:
        _refuse_second_open(ticket.centre, ticket.work_leader, exclude=ticket)
        raise Conflict() from None  # e.g. the same number taken by a request at the same time


@transaction.atomic
def work_ticket_receive(*, actor, source, centre, data) -> WorkTicket:
    """WORK-1: the operations team receives the work ticket with its standard fields; the
    three roles differ and the work leader holds no other open ticket (WORK-7)."""
    _require_hold(actor, centre)
    form = validated(WorkTicketForm, data, centre=centre)
    cleaned = form.cleaned_data
    _require_team(actor, cleaned["team"])
    _check_order(cleaned.get("order"))
    _refuse_second_open(centre, cleaned["work_leader"])
    ticket = form.save(commit=False)
    ticket.centre, ticket.received_by = centre, actor
    ticket.received_at = cleaned.get("received_at") or timezone.now()
    ticket.number = _number(centre, ticket.received_at, kind="work_ticket", suffix="-G")
    _save_unique_leader(ticket)
    form.save_m2m()
    _write_measures(ticket, cleaned["measure_lines"])
    audit.record(
        actor=actor,
        source=source,
        verb="work.receive",
        obj=ticket,
        after={**audit.snapshot(ticket), "safety_measures": cleaned["measure_lines"]},
    )
    _work_log(
        ticket,
        actor=actor,
        source=source,
        text=_("Work ticket %(number)s received by %(team)s: %(task)s (work leader %(leader)s)")
        % {
            "number": ticket.number,
            "team": ticket.team,
            "task": ticket.task,
            "leader": ticket.work_leader,
        },
    )
    live.refresh_on_commit(centre, "ops-work")
    return ticket


@transaction.atomic
def work_ticket_update(*, actor, source, ticket_id, version: int, changes) -> WorkTicket:
    """A received ticket may be corrected until the permit (WORK-1, WORK-7)."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "edit")
    data = form_data(ticket, WorkTicketForm)
    data["safety_measures"] = "\n".join(m.text for m in ticket.measures.all())
    data.update(changes)
    form = validated(WorkTicketForm, data, centre=ticket.centre, instance=ticket)
    cleaned = form.cleaned_data
    _require_team(actor, cleaned["team"])
    _check_order(cleaned.get("order"))
    _refuse_second_open(ticket.centre, cleaned["work_leader"], exclude=ticket)
    before = {**audit.snapshot(ticket), "safety_measures": [m.text for m in ticket.measures.all()]}
    before_received = ticket.received_at
    ticket = form.save(commit=False)
    ticket.received_at = ticket.received_at or before_received
    ticket.version += 1
    _save_unique_leader(ticket)
    form.save_m2m()
    _write_measures(ticket, cleaned["measure_lines"])
    audit.record(
        actor=actor,
        source=source,
        verb="work.update",
        obj=ticket,
        before=before,
        after={**audit.snapshot(ticket), "safety_measures": cleaned["measure_lines"]},
    )
    return ticket


@transaction.atomic
def work_measure_done(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-2: a safety measure is ticked done (已执行) by the team, one by one."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(MeasureDoneForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "measure")
    measure = ticket.measures.filter(seq=form.cleaned_data["seq"]).first()
    if measure is None:
        raise InvalidInput(fields={"seq": [_("This ticket has no such safety measure.")]})
    if measure.done:
        raise Refused(
            _("Safety measure %(n)s is done already.") % {"n": measure.seq}, rule="WORK-2"
        )
    measure.done, measure.done_at, measure.done_by = True, timezone.now(), actor
    measure.save()
    return save_change(
        ticket,
        actor=actor,
        source=source,
        verb="work.measure",
        before=before,
        reason=f"{measure.seq}. {measure.text}",
    )


def _notify_centre(ticket, *, actor, source, title: Message) -> None:
    """The centre's operators are asked to act on the ticket (tag, untag, set limits)."""
    notify(
        actor=actor,
        source=source,
        people=people_with_roles(ticket.centre, [Role.CHIEF_OPERATOR, Role.DEPUTY_OPERATOR]),
        centre=ticket.centre,
        title=title,
        link=f"/c/{ticket.centre.code}/ops/work/{ticket.pk}/",
        level=Level.WARNING,
        email=False,
        chat=False,
        regarding=ticket,
    )


@transaction.atomic
def work_permit(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-2: the dispatcher's permit reaches the station; the team's permitter receives it,
    the safety measures are all done, and the team tells the centre, which then places the
    maintenance tag. The permitter differs from issuer and work leader (WORK-7)."""
    ticket = _locked_work(ticket_id, version)
    centre = ticket.centre
    _require_hold(actor, centre)
    form = validated(PermitForm, data, centre=centre)
    cleaned = form.cleaned_data
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "permit")
    permitter = cleaned["permitter"]
    if not is_team_member(permitter, ticket.team):
        raise InvalidInput(
            fields={
                "permitter": [
                    _("The permitter is a person of %(team)s (WORK-2).") % {"team": ticket.team}
                ]
            },
            rule="WORK-2",
        )
    if same_person(permitter.name, ticket.issuer) or same_person(
        permitter.name, ticket.work_leader
    ):
        raise InvalidInput(
            fields={
                "permitter": [
                    _(
                        "Issuer, work leader and permitter are three different people "
                        "on one ticket (WORK-7)."
                    )
                ]
            },
            rule="WORK-7",
        )
    pending = [m for m in ticket.measures.all() if not m.done]
    if pending:
        raise Refused(
            _("Safety measure %(n)s “%(text)s” is not done: the permit waits for all of them.")
            % {"n": pending[0].seq, "text": pending[0].text},
            code="measures_not_done",
            rule="WORK-2",
        )
    at = cleaned["permitted_at"]
    ticket.permitter, ticket.permitted_at = permitter, at
    ticket.permit_dispatcher = cleaned["dispatcher"]
    ticket.centre_told_at = at
    _phone(
        actor=actor,
        source=source,
        centre=centre,
        direction=Direction.INCOMING,
        party=ticket.permit_dispatcher,
        subject=_("Work permit for %(number)s") % {"number": ticket.number},
        at=at,
        regarding=ticket,
    )
    centre_person = cleaned["centre_person"]
    _phone(
        actor=actor,
        source=source,
        centre=centre,
        direction=Direction.OUTGOING,
        party=str(centre_person),
        party_person=centre_person,
        subject=_("Safety measures of %(number)s done; please place the maintenance tag")
        % {"number": ticket.number},
        at=at,
        regarding=ticket,
    )
    save_change(ticket, actor=actor, source=source, verb="work.permit", before=before)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=at,
        text=_(
            "%(number)s work permitted (开工) by %(dispatcher)s, permitter %(permitter)s, "
            "work leader %(leader)s; safety measures done, %(person)s told"
        )
        % {
            "number": ticket.number,
            "dispatcher": ticket.permit_dispatcher,
            "permitter": permitter,
            "leader": ticket.work_leader,
            "person": centre_person,
        },
    )
    _notify_centre(
        ticket,
        actor=actor,
        source=source,
        title=Message(
            gettext_lazy("Place the maintenance tag for %(number)s"), {"number": ticket.number}
        ),
    )
    live.refresh_on_commit(centre, "ops-work")
    return ticket


@transaction.atomic
def work_tag_place(*, actor, source, ticket_id, version: int) -> WorkTicket:
    """WORK-2: told the safety measures are done, the centre places the maintenance tag
    (检修牌) on each equipment of the permitted ticket."""
    ticket = _locked_work(ticket_id, version)
    centre = ticket.centre
    require(actor, Action.WORK_TAG, centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "tag")
    if ticket.tags.exists():
        raise Refused(_("The maintenance tags of this ticket are placed already."), rule="WORK-2")
    equipment = list(ticket.equipment.select_related("site"))
    taken = {
        t.equipment_id: t
        for t in MaintenanceTag.objects.filter(
            equipment__in=equipment, removed_at=None
        ).select_related("work_ticket")
    }
    for item in equipment:
        if item.pk in taken:
            raise Refused(
                _("%(equipment)s carries the maintenance tag of %(number)s already.")
                % {"equipment": item.double_name, "number": taken[item.pk].work_ticket.number},
                code="tagged_already",
                rule="WORK-2",
            )
    now = timezone.now()
    MaintenanceTag.objects.bulk_create(
        MaintenanceTag(
            centre=centre, equipment=item, work_ticket=ticket, placed_at=now, placed_by=actor
        )
        for item in equipment
    )
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="work.tag",
        before=before,
        reason="、".join(e.double_name for e in equipment),
    )
    for item in equipment:
        _work_log(
            ticket,
            actor=actor,
            source=source,
            equipment=item,
            text=_("Maintenance tag placed on %(equipment)s (%(number)s)")
            % {"equipment": item.double_name, "number": ticket.number},
        )
    live.refresh_on_commit(centre, "ops-work")
    return ticket


@transaction.atomic
def work_interrupt(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-7: an interruption of the work (间断) is recorded with its reason."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(WorkInterruptForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "interrupt")
    at, reason = form.cleaned_data["at"], form.cleaned_data["reason"]
    WorkInterruption.objects.create(
        ticket=ticket, interrupted_at=at, reason=reason, interrupted_by=actor
    )
    save_change(
        ticket, actor=actor, source=source, verb="work.interrupt", before=before, reason=reason
    )
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=at,
        text=_("%(number)s work interrupted: %(reason)s")
        % {"number": ticket.number, "reason": reason},
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def work_resume(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-7: the work resumes after an interruption."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(WorkResumeForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "resume")
    at = form.cleaned_data["at"]
    pause = ticket.interruptions.filter(resumed_at=None).order_by("-interrupted_at").first()
    if pause is not None and at < pause.interrupted_at:
        raise InvalidInput(fields={"at": [_("The work resumes after it was interrupted.")]})
    if pause is not None:
        pause.resumed_at, pause.resumed_by = at, actor
        pause.save()
    save_change(ticket, actor=actor, source=source, verb="work.resume", before=before)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=at,
        text=_("%(number)s work resumed") % {"number": ticket.number},
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def work_extend(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-7: a work ticket may be extended once, and only before it expires."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(ExtendForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "extend")
    if ticket.extended_to is not None:
        raise Refused(
            _("A work ticket is extended once only; this one was extended already."),
            code="extended_once",
            rule="WORK-7",
        )
    if timezone.now() >= ticket.planned_end:
        raise Refused(
            _("The ticket expired at %(end)s: an extension is asked for before it expires.")
            % {"end": timewindow.shown(ticket.planned_end)},
            code="expired",
            rule="WORK-7",
        )
    to = form.cleaned_data["extended_to"]
    if to <= ticket.planned_end:
        raise InvalidInput(
            fields={"extended_to": [_("The extension ends after the planned end (WORK-7).")]},
            rule="WORK-7",
        )
    ticket.extended_to, ticket.extension_reason = to, form.cleaned_data["reason"]
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="work.extend",
        before=before,
        reason=ticket.extension_reason,
    )
    _work_log(
        ticket,
        actor=actor,
        source=source,
        text=_("%(number)s extended to %(to)s: %(reason)s")
        % {
            "number": ticket.number,
            "to": timewindow.shown(to),
            "reason": ticket.extension_reason,
        },
    )
    return ticket


@transaction.atomic
def work_remote_check(*, actor, source, ticket_id, data) -> list[RemoteCheck]:
    """WORK-4, ACC-1: points of the four-remote acceptance (遥信, 遥测, 遥控, 遥调) or a
    remote-control test, checked by the centre's checker with the team's, each with its
    result. The checks are records of their own: the ticket stays as it is, so no version
    applies (DESIGN-1)."""
    ticket = _locked_work(ticket_id, ANY_VERSION)
    require(actor, Action.WORK_CHECK, ticket.centre)
    WorkTicket.FLOW.next_state(ticket.state, "check")
    form = validated(RemoteCheckForm, data, centre=ticket.centre)
    cleaned = form.cleaned_data
    checks = RemoteCheck.objects.bulk_create(
        RemoteCheck(
            ticket=ticket,
            kind=cleaned["kind"],
            point=point,
            result=cleaned["result"],
            note=cleaned["note"],
            at=cleaned["at"],
            centre_checker=cleaned["centre_checker"],
            team_checker=cleaned["team_checker"],
            recorded_by=actor,
        )
        for point in cleaned["points"]
    )
    kind = RemoteKind(cleaned["kind"]).label
    result = CheckResult(cleaned["result"]).label
    audit.record(
        actor=actor,
        source=source,
        verb="work.remote_check",
        obj=ticket,
        after={"kind": cleaned["kind"], "points": cleaned["points"], "result": cleaned["result"]},
        reason=f"{kind} {'、'.join(cleaned['points'])}: {result}"[:500],
    )
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=cleaned["at"],
        text=_("%(number)s %(kind)s with %(checker)s: %(points)s — %(result)s")
        % {
            "number": ticket.number,
            "kind": kind,
            "checker": cleaned["centre_checker"],
            "points": "、".join(cleaned["points"]),
            "result": result,
        },
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return checks


@transaction.atomic
def work_end(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-4, ACC-1: work end (工作终结, 报竣工) is refused until the team has verified the
    four remotes with the centre — each of 遥信, 遥测, 遥控, 遥调 checked correct — or a
    remote-control test came out correct, and no checked point is left wrong. The centre is
    then asked to remove the maintenance tag."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(WorkEndForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "work_end")
    state = acceptance(ticket)
    if state.failed:
        wrong = state.failed[0]
        raise Refused(
            _(
                "%(kind)s of “%(point)s” was wrong: check it again with the centre before "
                "the work ends."
            )
            % {"kind": wrong.get_kind_display(), "point": wrong.point},
            code="remote_check_failed",
            rule="WORK-4",
        )
    if not state.accepted:
        raise Refused(
            _(
                "Work end is refused until the four-remote check with the centre or a "
                "remote-control test is recorded; not yet correct: %(missing)s."
            )
            % {"missing": "、".join(str(RemoteKind(k).label) for k in state.missing)},
            code="remote_check_missing",
            rule="WORK-4",
        )
    ticket.work_ended_at = form.cleaned_data["at"]
    ticket.acceptance = form.cleaned_data["acceptance"]
    save_change(ticket, actor=actor, source=source, verb="work.work_end", before=before)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=ticket.work_ended_at,
        text=_("%(number)s work ended (报竣工): %(task)s; accepted by %(by)s")
        % {"number": ticket.number, "task": ticket.task, "by": actor},
    )
    if ticket.tags.filter(removed_at=None).exists():
        _notify_centre(
            ticket,
            actor=actor,
            source=source,
            title=Message(
                gettext_lazy("Remove the maintenance tag of %(number)s"),
                {"number": ticket.number},
            ),
        )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def work_tag_remove(*, actor, source, ticket_id, version: int) -> WorkTicket:
    """WORK-4: after work end the centre removes the maintenance tags."""
    ticket = _locked_work(ticket_id, version)
    require(actor, Action.WORK_TAG, ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "untag")
    tags = list(ticket.tags.filter(removed_at=None).select_related("equipment"))
    if not tags:
        raise Refused(_("This ticket has no maintenance tag in place."), rule="WORK-4")
    now = timezone.now()
    MaintenanceTag.objects.filter(pk__in=[t.pk for t in tags]).update(
        removed_at=now, removed_by=actor
    )
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="work.untag",
        before=before,
        reason="、".join(t.equipment.double_name for t in tags),
    )
    for tag in tags:
        _work_log(
            ticket,
            actor=actor,
            source=source,
            equipment=tag.equipment,
            text=_("Maintenance tag removed from %(equipment)s (%(number)s)")
            % {"equipment": tag.equipment.double_name, "number": ticket.number},
        )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def work_final_check(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-5: after all work and power restoration the team checks with the centre that
    nothing is abnormal before leaving the station (操作汇报) — a recorded phone contact."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(FinalCheckForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "final_check")
    person, at = form.cleaned_data["centre_person"], form.cleaned_data["at"]
    ticket.final_check_at, ticket.final_check = at, form.cleaned_data["checked"]
    ticket.final_check_with = person
    _phone(
        actor=actor,
        source=source,
        centre=ticket.centre,
        direction=Direction.OUTGOING,
        party=str(person),
        party_person=person,
        subject=_("Final check before leaving the station: %(number)s") % {"number": ticket.number},
        content=ticket.final_check,
        at=at,
        regarding=ticket,
    )
    save_change(ticket, actor=actor, source=source, verb="work.final_check", before=before)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=at,
        text=_("%(number)s checked with %(person)s before leaving the station: %(checked)s")
        % {"number": ticket.number, "person": person, "checked": ticket.final_check},
    )
    return ticket


@transaction.atomic
def work_ticket_end(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """Ticket end (工作票终结): the centre has removed the maintenance tags (WORK-4) and the
    team has checked with the centre before leaving the station (WORK-5)."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(WorkTicketEndForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "end")
    tag = ticket.tags.filter(removed_at=None).select_related("equipment").first()
    if tag is not None:
        raise Refused(
            _("The centre removes the maintenance tag from %(equipment)s first.")
            % {"equipment": tag.equipment.double_name},
            code="tag_in_place",
            rule="WORK-4",
        )
    if ticket.final_check_at is None:
        raise Refused(
            _(
                "Check with the centre that nothing is abnormal before leaving the station "
                "(操作汇报)."
            ),
            code="final_check_missing",
            rule="WORK-5",
        )
    ticket.ended_at = form.cleaned_data["at"]
    save_change(ticket, actor=actor, source=source, verb="work.end", before=before)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=ticket.ended_at,
        text=_("Work ticket %(number)s ended") % {"number": ticket.number},
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def work_ticket_void(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """A received ticket that will not be carried out is voided with its reason."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    reason = validated(ReasonForm, data, centre=ticket.centre).cleaned_data["reason"]
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "void")
    ticket.void_reason = reason
    save_change(ticket, actor=actor, source=source, verb="work.void", before=before, reason=reason)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        text=_("Work ticket %(number)s voided: %(reason)s")
        % {"number": ticket.number, "reason": reason},
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


# --- limit changes and setting sheets (WORK-6) ---------------------------------------------------


def _fmt(value) -> str:
    return "—" if value is None else f"{value.normalize():f}"


@transaction.atomic
def limit_change_record(*, actor, source, centre, data) -> LimitChange:
    """WORK-6: after a CT replacement (流变更换) the team tells the centre the new limit
    values; the change is recorded against the equipment, the call is a recorded contact, the
    duty log has it and the centre's operators are asked to set it in the monitoring system."""
    require(actor, Action.WORK_RECORD, centre)
    form = validated(LimitChangeForm, data, centre=centre)
    change = form.save(commit=False)
    change.centre, change.recorded_by = centre, actor
    equipment, reporter = change.equipment, change.reported_by
    calling = reporter.pk == actor.pk
    change.contact = _phone(
        actor=actor,
        source=source,
        centre=centre,
        direction=Direction.OUTGOING if calling else Direction.INCOMING,
        party=str(centre) if calling else str(reporter),
        party_person=None if calling else reporter,
        subject=_("New limit of %(equipment)s: %(quantity)s %(new)s %(unit)s")
        % {
            "equipment": equipment.double_name,
            "quantity": change.quantity,
            "new": _fmt(change.new_value),
            "unit": change.unit,
        },
        at=change.reported_at,
    )
    change.save()
    audit.record(
        actor=actor,
        source=source,
        verb="limit.record",
        obj=change,
        after=audit.snapshot(change),
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=OPS,
        site=equipment.site,
        equipment=equipment,
        at=change.reported_at,
        regarding=change,
        text=_(
            "%(equipment)s %(reason)s: %(quantity)s %(old)s → %(new)s %(unit)s, "
            "told to the centre by %(person)s"
        )
        % {
            "equipment": equipment.double_name,
            "reason": change.get_reason_display(),
            "quantity": change.quantity,
            "old": _fmt(change.old_value),
            "new": _fmt(change.new_value),
            "unit": change.unit,
            "person": reporter,
        },
    )
    notify(
        actor=actor,
        source=source,
        people=people_with_roles(centre, [Role.CHIEF_OPERATOR, Role.DEPUTY_OPERATOR]),
        centre=centre,
        title=Message(
            gettext_lazy("Set the new limit of %(equipment)s in the monitoring system"),
            {"equipment": equipment.double_name},
        ),
        link=f"/c/{centre.code}/ops/limits/{change.pk}/",
        level=Level.WARNING,
        email=False,
        chat=False,
        regarding=change,
    )
    live.refresh_on_commit(centre, "ops-work")
    return change


@transaction.atomic
def limit_change_apply(*, actor, source, limit_id, version: int) -> LimitChange:
    """WORK-6: the centre has set the new limit values in the monitoring system."""
    change = locked(
        LimitChange.objects.select_related("centre", "equipment__site"), limit_id, version
    )
    require(actor, Action.WORK_TAG, change.centre)
    if change.applied_at is not None:
        raise Refused(_("This limit change is set already."), rule="WORK-6")
    before = audit.snapshot(change)
    change.applied_at, change.applied_by = timezone.now(), actor
    save_change(change, actor=actor, source=source, verb="limit.apply", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=change.centre,
        category=OPS,
        site=change.equipment.site,
        equipment=change.equipment,
        regarding=change,
        text=_(
            "New limit of %(equipment)s set in the monitoring system: %(quantity)s %(new)s %(unit)s"
        )
        % {
            "equipment": change.equipment.double_name,
            "quantity": change.quantity,
            "new": _fmt(change.new_value),
            "unit": change.unit,
        },
    )
    live.refresh_on_commit(change.centre, "ops-work")
    return change


@transaction.atomic
def setting_sheet_create(*, actor, source, centre, data) -> SettingSheet:
    """WORK-6: a protection setting sheet with its three copies (station, team, centre),
    each waiting for its receipt."""
    require(actor, Action.WORK_RECORD, centre)
    form = validated(SettingSheetForm, data, centre=centre)
    sheet = form.save(commit=False)
    sheet.centre = centre
    sheet.save()
    SettingSheetCopy.objects.bulk_create(
        SettingSheetCopy(sheet=sheet, holder=holder) for holder in CopyHolder.values
    )
    audit.record(
        actor=actor,
        source=source,
        verb="setting_sheet.create",
        obj=sheet,
        after=audit.snapshot(sheet),
    )
    live.refresh_on_commit(centre, "ops-work")
    return sheet


@transaction.atomic
def setting_sheet_update(*, actor, source, sheet_id, version: int, changes) -> SettingSheet:
    return update_in_centre(
        actor=actor,
        source=source,
        model=SettingSheet,
        pk=sheet_id,
        version=version,
        changes=changes,
        form_class=SettingSheetForm,
        action=Action.WORK_RECORD,
        verb="setting_sheet.update",
    )


@transaction.atomic
def setting_copy_receive(*, actor, source, sheet_id, version: int, data) -> SettingSheet:
    """WORK-6: one copy of a setting sheet received — by the station, the team or the
    centre (the centre's at the monthly meeting, 运行分析会)."""
    sheet = locked(SettingSheet.objects.select_related("centre"), sheet_id, version)
    require(actor, Action.WORK_RECORD, sheet.centre)
    form = validated(CopyReceiptForm, data, centre=sheet.centre)
    holder = form.cleaned_data["holder"]
    copy = sheet.copies.get(holder=holder)
    if copy.received_at is not None:
        raise Refused(
            _("The %(holder)s copy was received already.") % {"holder": copy.get_holder_display()},
            code="received_already",
            rule="WORK-6",
        )
    before = audit.snapshot(sheet)
    copy.received_at = form.cleaned_data["received_at"]
    copy.received_by = form.cleaned_data["received_by"]
    copy.save()
    save_change(
        sheet,
        actor=actor,
        source=source,
        verb="setting_sheet.receive",
        before=before,
        reason=f"{copy.get_holder_display()} · {copy.received_by}",
    )
    live.refresh_on_commit(sheet.centre, "ops-work")
    return sheet
