"""Dispatch orders: received, passed to the team, questioned, ordered formally, cancelled
(OPS-1, OPS-2, OPS-4); every call a recorded phone contact."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import Refused
from zhiban.core.models import Direction
from zhiban.core.numbering import format_number, next_number
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import (
    ANY_VERSION,
    locked,
    save_change,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.work.forms import ReasonForm
from zhiban.work.services.common import phone_call

from ..forms import (
    FormalOrderForm,
    NotifyTeamForm,
    OrderForm,
    QuestionForm,
)
from ..models import (
    AskedTo,
    DispatchOrder,
    OrderQuestion,
    TicketState,
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
    phone_call(
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
        category=LogCategory.OPERATION,
        site=order.site,
        at=order.received_at,
        regarding=order,
        verb="order.receive",
        params={"dispatcher": order.dispatcher, "task": order.task, "number": order.number},
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
    phone_call(
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
        category=LogCategory.OPERATION,
        site=order.site,
        at=at,
        regarding=order,
        verb="order.notify_team",
        params={"number": order.number, "team": team, "person": person},
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
    contact = phone_call(
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
        category=LogCategory.OPERATION,
        site=order.site,
        at=order.formal_at,
        regarding=order,
        verb="order.formal",
        params={"number": order.number, "person": order.formal_received_by},
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
