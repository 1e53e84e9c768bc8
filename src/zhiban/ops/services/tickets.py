"""Operation tickets and their steps: filled, reviewed, ordered, ticked, finished, voided or
terminated with their follow-up (OPS-3, OPS-6 … OPS-8, OPS-15); anomalies noted and tickets
assessed (OPS-14). Every step and milestone writes its duty-log entry (DUTY-7)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhiban.core import audit, live
from zhiban.core.errors import Forbidden, InvalidInput, NotFound, Refused
from zhiban.core.models import Direction
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import grants, require
from zhiban.core.services import (
    ANY_VERSION,
    form_data,
    locked,
    save_change,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.work.forms import ReasonForm
from zhiban.work.selectors import is_team_member
from zhiban.work.services.common import phone_call, ticket_number

from ..forms import (
    AssessForm,
    NoteForm,
    NotifyCentreForm,
    OrderTicketForm,
    TerminateForm,
    TicketForm,
    TickForm,
)
from ..interlock import attach_equipment, refuse_energising
from ..models import (
    FINISHED_TICKET_STATES,
    LOCKED_KINDS,
    NEEDS_LOCK,
    DispatchOrder,
    EquipmentLock,
    Executor,
    OperationTicket,
    OrderState,
    StepState,
    TicketNote,
    TicketState,
    TicketStep,
)
from .sequence import (
    _check_sequence_control,
    _end_sequence_watch,
    _interrupted,
    _refuse_sequence_at_worked_station,
    _watch_sequence,
)

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


def _write_steps(ticket, lines) -> None:
    ticket.steps.all().delete()
    TicketStep.objects.bulk_create(
        TicketStep(ticket=ticket, seq=i, text=text) for i, text in enumerate(lines, start=1)
    )


def _ticket_log(ticket, *, actor, source, verb, params, at=None) -> None:
    """DUTY-7: each stage of an operation ticket writes its duty-log entry, from filling to
    the end."""
    log_write(
        actor=actor,
        source=source,
        centre=ticket.centre,
        category=LogCategory.OPERATION,
        site=ticket.site,
        at=at,
        regarding=ticket,
        verb=verb,
        params=params,
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
    ticket.number = ticket_number(centre, timezone.now())
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
    _ticket_log(
        ticket,
        actor=actor,
        source=source,
        verb="ticket.create",
        params={"number": ticket.number, "task": ticket.task},
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
    _ticket_log(
        ticket,
        actor=actor,
        source=source,
        verb="ticket.review",
        params={"number": ticket.number, "person": ticket.filled_by},
    )
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
    _ticket_log(
        ticket,
        actor=actor,
        source=source,
        at=ticket.ordered_at,
        verb="ticket.order",
        params={"number": ticket.number, "issuer": ticket.issuer, "receiver": ticket.receiver},
    )
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
    phone_call(
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
    _ticket_log(
        ticket,
        actor=actor,
        source=source,
        at=ticket.centre_notified_at,
        verb="ticket.notify_centre",
        params={"caller": form.cleaned_data["caller"], "number": ticket.number},
    )
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
    _ticket_log(
        ticket,
        actor=operator,
        source=source,
        at=now,
        verb="ticket.tick",
        params={
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
    _end_sequence_watch(ticket, source=source, reason=gettext_noop("completed successfully"))
    _ticket_log(
        ticket,
        actor=actor,
        source=source,
        verb="ticket.complete",
        params={"number": ticket.number, "task": ticket.task},
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
    _ticket_log(
        ticket,
        actor=actor,
        source=source,
        verb="ticket.void",
        params={"number": ticket.number, "reason": reason},
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
    _ticket_log(
        ticket,
        actor=actor,
        source=source,
        verb="ticket.terminate",
        params={"number": ticket.number, "reason": ticket.end_reason},
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
        number=ticket_number(ticket.centre, timezone.now()),
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
        verb="ticket.note",
        params={"number": ticket.number, "text": text},
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
