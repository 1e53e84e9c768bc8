"""The one door for writes to power operations: dispatch orders (OPS-1, OPS-2, OPS-4),
operation tickets and their steps (OPS-3, OPS-6 … OPS-8, OPS-15), locks (OPS-5), single
operations (OPS-12) and the qualification of tickets (OPS-14). Every step and milestone writes
its duty-log entry (DUTY-7)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import Forbidden, InvalidInput, NotFound, Refused
from zhiban.core.models import Direction, PhoneContact
from zhiban.core.numbering import format_number, next_number
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import grants, require
from zhiban.core.services import (
    create_in_centre,
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
    AssessForm,
    FormalOrderForm,
    LockForm,
    NoteForm,
    NotifyCentreForm,
    NotifyTeamForm,
    OrderForm,
    OrderTicketForm,
    QuestionForm,
    ReasonForm,
    SingleOperationForm,
    TerminateForm,
    TicketForm,
    TickForm,
    TypicalTicketForm,
)
from .models import (
    FINISHED_TICKET_STATES,
    LOCKED_KINDS,
    NEEDS_LOCK,
    AskedTo,
    DispatchOrder,
    EquipmentLock,
    Executor,
    OperationTicket,
    OrderQuestion,
    OrderState,
    SingleOperation,
    StepState,
    TicketNote,
    TicketState,
    TicketStep,
    TypicalTicket,
)

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


def _locked_order(order_id, version=None) -> DispatchOrder:
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
    recorded contacts."""
    order = _locked_order(order_id)
    require(actor, Action.OPS_DISPATCH, order.centre)
    form = validated(QuestionForm, data)
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
    reason = validated(ReasonForm, data).cleaned_data["reason"]
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


def _team_member(person, team) -> bool:
    return person.memberships.filter(team=team, active=True).exists()


def _centre_role(person, centre, roles) -> bool:
    return bool(grants(person).get(centre.pk, frozenset()) & set(roles))


def _require_filler(actor, centre, executor, team) -> None:
    """OPS-3: the centre's tickets are filled at the centre; a team fills its own (谁操作谁开票)."""
    require(actor, Action.OPS_FILL, centre)
    if getattr(actor, "is_system", False):
        return
    if executor == Executor.TEAM and team is not None and not _team_member(actor, team):
        raise Forbidden(
            _("Only people of %(team)s fill its tickets.") % {"team": team}, rule="OPS-3"
        )
    if executor == Executor.CENTRE and not _centre_role(
        actor, centre, {Role.CHIEF_OPERATOR, Role.DEPUTY_OPERATOR}
    ):
        raise Forbidden(_("The centre's tickets are filled by its operators."), rule="OPS-3")


def _number(centre, at) -> str:
    year = timezone.localtime(at, centre.tz).year
    prefix = centre.setting("ops.ticket_prefix") or centre.code.upper()
    digits = centre.setting("ops.ticket_digits")
    return format_number(prefix, year, next_number(centre, "operation_ticket", year), digits)


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
    ticket = form.save(commit=False)
    ticket.centre, ticket.filled_by = centre, actor
    ticket.number = _number(centre, timezone.now())
    ticket.save()
    form.save_m2m()
    _write_steps(ticket, cleaned["step_lines"])
    audit.record(
        actor=actor,
        source=source,
        verb="ticket.create",
        obj=ticket,
        after={**audit.snapshot(ticket), "steps": cleaned["step_lines"]},
    )
    live.refresh_on_commit(centre, "ops-work")
    return ticket


def _locked_ticket(ticket_id, version=None) -> OperationTicket:
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
    data = form_data(ticket, TicketForm)
    data["steps"] = "\n".join(s.text for s in ticket.steps.all())
    data.update(changes)
    form = validated(TicketForm, data, centre=ticket.centre, instance=ticket)
    _require_filler(
        actor, ticket.centre, form.cleaned_data["executor"], form.cleaned_data.get("team")
    )
    before = {**audit.snapshot(ticket), "steps": [s.text for s in ticket.steps.all()]}
    ticket = form.save(commit=False)
    ticket.version += 1
    ticket.save()
    form.save_m2m()
    _write_steps(ticket, form.cleaned_data["step_lines"])
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
    if ticket.executor == Executor.TEAM and not _team_member(actor, ticket.team):
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
    form = validated(NotifyCentreForm, data)
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
    now = timezone.now()
    operator, guardian = form.cleaned_data["operator"], form.cleaned_data["guardian"]
    step.state, step.done_at, step.done_by, step.guardian = StepState.DONE, now, operator, guardian
    step.save()
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
    reason = validated(ReasonForm, data).cleaned_data["reason"]
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
    form = validated(TerminateForm, data)
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


def _follow_up(ticket, remaining, *, actor, source) -> OperationTicket:
    """The team's field ticket that continues a remote operation refused by the device."""
    team = ticket.team or (ticket.order.team if ticket.order else None)
    if team is None:
        raise InvalidInput(
            fields={
                "remote_refused": [
                    _("Name the team on the ticket (or its order) to continue on site.")
                ]
            },
            rule="OPS-7",
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


@transaction.atomic
def ticket_note(*, actor, source, ticket_id, data) -> TicketNote:
    """OPS-8: an anomaly during the operation, reported to the centre and kept on the ticket."""
    ticket = _locked_ticket(ticket_id)
    require(actor, Action.OPS_EXECUTE, ticket.centre)
    OperationTicket.FLOW.next_state(ticket.state, "note")
    text = validated(NoteForm, data).cleaned_data["text"]
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
    return note


@transaction.atomic
def ticket_assess(*, actor, source, ticket_id, version: int, data) -> OperationTicket:
    """OPS-14: a finished ticket is assessed qualified (合格) or not."""
    ticket = _locked_ticket(ticket_id, version)
    require(actor, Action.OPS_ASSESS, ticket.centre)
    if ticket.state not in (TicketState.COMPLETED, TicketState.TERMINATED, TicketState.VOIDED):
        raise Refused(_("Only a finished ticket is assessed."), rule="OPS-14")
    before = audit.snapshot(ticket)
    ticket.qualified = validated(AssessForm, data).cleaned_data["qualified"]
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
