"""An interrupted sequence control (OPS-9 … OPS-11): the interruption with its follow-up
ticket, the dispatcher's consent to continue, or the abort that opens an incident."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhiban.alarms.services import incident_open
from zhiban.core import audit, live
from zhiban.core.errors import Refused
from zhiban.core.models import Direction
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import (
    save_change,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.work.services.common import phone_call

from ..forms import (
    AbortForm,
    ConsentForm,
    InterruptForm,
)
from ..models import (
    OPEN_ORDER_STATES,
    DispatchOrder,
    OperationTicket,
    StepState,
)
from .sequence import _end_sequence_watch, _interrupted
from .tickets import _follow_up, _locked_ticket


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
    with translation.override(
        "en"
    ):  # the label's msgid: the trail shows it in each reader's language
        cause = str(ticket.get_interruption_display())
    _end_sequence_watch(ticket, source=source, reason=cause)
    follow = _follow_up(ticket, remaining, actor=actor, source=source, rule="OPS-10")
    phone_call(
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
        category=LogCategory.OPERATION,
        site=ticket.site,
        regarding=ticket,
        verb="ticket.interrupt",
        params={
            "number": ticket.number,
            "cause": ticket.interruption,
            "reason": ticket.end_reason,
            "dispatcher": ticket.reported_to,
            "state": ticket.device_state,
            "team": follow.team,
            "follow": follow.number,
        },
    )
    live.refresh_on_commit(centre, "ops-work")
    return ticket


def _require_continuation(ticket: OperationTicket) -> OperationTicket:
    """The interrupted sequence control *ticket* continues, or a refusal (OPS-10)."""
    if not _interrupted(ticket.continues):
        raise Refused(
            _("Only a ticket that continues an interrupted sequence control needs this."),
            rule="OPS-10",
        )
    return ticket.continues


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
    phone_call(
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
    original = _require_continuation(ticket)
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
