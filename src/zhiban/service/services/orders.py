"""Orders (订货, CS-3): taken on a case at the intake, handed by the group lead to the sales
desks by customer type in one action before ``service.order_handoff_time`` (10:00), delivered
or cancelled.

The first new order after a hand-over opens the centre's next one, due at today's hand-over
time (tomorrow's when taken after it), with a deadline "今日订单交接 (CS-3)" that warns and
escalates to the group leads and supervisors (nobody is assigned). An order whose region lies
outside the centre's sales area (``service.sales_regions``) is not handed on: an apology call
to the customer is due instead. The hand-over locks the next hand-over, then the new orders,
so two group leads pressing at once hand each order once: the second finds nothing left."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from zhiban.core import audit, live
from zhiban.core.actors import SCHEDULER
from zhiban.core.errors import InvalidInput, Refused
from zhiban.core.models import Deadline, DeadlineState
from zhiban.core.notify import Message, mail, notify
from zhiban.core.numbering import format_number, next_number
from zhiban.core.permissions import Action
from zhiban.core.scoping import can, require
from zhiban.core.services import (
    content_type_of,
    deadline_cancel,
    deadline_meet,
    deadline_set,
    locked,
    save_change,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from .. import phones
from ..forms.orders import CancelForm, DeliverForm, OrderForm
from ..models import Channel, FollowUpKind, Order, OrderHandoff, OrderState
from ..selectors.orders import handoff_plan, handoff_time, in_sales_area, sales_area
from .followups import follow_up_create

RULE = "CS-3"
HANDOFF_DEADLINE = "今日订单交接 (CS-3)"  # the deadline pages show it in the centre's language
OUT_OF_AREA = gettext_lazy("Address outside the sales area: call the customer to apologise (CS-3).")
NUMBER_DIGITS = 5


def order_notice(order: Order) -> str:
    """What the agent must be told about a just-taken order, or nothing."""
    return str(OUT_OF_AREA) if order.state == OrderState.OUT_OF_AREA else ""


def order_number(centre, at) -> str:
    """Gap-free per centre and year, with the centre's code: ``KEFU-DH-2026-00001``."""
    year = timezone.localtime(at, centre.tz).year
    number = next_number(centre, "service_order", year)
    return format_number(f"{centre.code.upper()}-DH", year, number, NUMBER_DIGITS)


# --- taking an order (CS-3) -------------------------------------------------------------------


def _next_handoff(*, source, centre, now) -> OrderHandoff:
    """The centre's next hand-over, locked (the hand-over cannot close it under a new order);
    opened with its deadline when there is none."""
    found = OrderHandoff.objects.select_for_update().filter(centre=centre, at__isnull=True).first()
    if found is not None:
        return found
    due = handoff_time(centre, now)
    try:
        with transaction.atomic():  # a concurrent first order may open it first
            handoff = OrderHandoff.objects.create(centre=centre, due_at=due)
    except IntegrityError:
        return OrderHandoff.objects.select_for_update().get(centre=centre, at__isnull=True)
    audit.record(
        actor=SCHEDULER,
        source=source,
        verb="order_handoff.open",
        obj=handoff,
        after=audit.snapshot(handoff),
    )
    deadline_set(
        actor=SCHEDULER,
        source=source,
        centre=centre,
        target=handoff,
        data={"name": HANDOFF_DEADLINE, "due_at": due, "assignee": ""},
        reason=RULE,
    )
    return handoff


@transaction.atomic
def order_take(*, actor, source, case, data: dict) -> Order:
    """The order of an order case, in the intake's transaction (CS-3): product, spec, quantity,
    price, delivery address and region (the customer's when left empty), the customer's type,
    a gap-free number. Inside the sales area it waits for the next hand-over (opening it with
    its deadline when it is the first); outside, it is kept as such and an apology call is due.
    It is taken when the case opened: a call recorded afterwards keeps its own time.
    Anything refused writes nothing."""
    centre, customer = case.centre, case.customer
    if not (case.channel == Channel.WEB and can(actor, Action.CALL_INGEST, centre)):
        require(actor, Action.SERVICE_INTAKE, centre)  # the web's gateway posts web orders
    form = validated(OrderForm, data, centre=centre, customer=customer)
    order = form.save(commit=False)
    area = sales_area(centre)
    if area and not order.region:
        message = _(
            "Give the region: the centre delivers only to its sales area (%(area)s) (%(rule)s)."
        ) % {"area": "、".join(area), "rule": RULE}
        raise InvalidInput(fields={"region": [message]}, rule=RULE)
    now = timezone.now()
    order.centre, order.case, order.customer = centre, case, customer
    order.customer_type = customer.customer_type
    order.taken_at = case.opened_at  # when the customer called (the intake checked the time)
    if in_sales_area(order.region, area):
        _next_handoff(source=source, centre=centre, now=now)
    else:
        order.state = OrderState.OUT_OF_AREA
    order.number = order_number(centre, now)
    order.save()
    audit.record(
        actor=actor,
        source=source,
        verb="service_order.take",
        obj=order,
        after=audit.snapshot(order),
    )
    if order.state == OrderState.OUT_OF_AREA:
        follow_up_create(actor=actor, source=source, case=case, kind=FollowUpKind.APOLOGY_CALL)
    live.refresh_on_commit(centre, "service")
    return order


# --- the day's hand-over to the sales desks (CS-3) ---------------------------------------------


def _refuse_plan(plan) -> None:
    if plan.missing:
        raise Refused(
            _(
                "No sales desk takes the orders of %(types)s customers: nothing was handed over "
                "(%(rule)s)."
            )
            % {"types": "、".join(plan.type_labels(plan.missing)), "rule": RULE},
            code="no_sales_desk",
            rule=RULE,
        )
    if plan.doubled:
        kind, desks = next(iter(plan.doubled.items()))
        raise Refused(
            _(
                "The orders of %(type)s customers would go to more than one sales desk "
                "(%(desks)s): give the type to one desk only; nothing was handed over "
                "(%(rule)s)."
            )
            % {
                "type": plan.type_labels([kind])[0],
                "desks": "、".join(d.name for d in desks),
                "rule": RULE,
            },
            code="sales_desk_doubled",
            rule=RULE,
        )


def _order_line(order: Order) -> str:
    spec = f" {order.spec}" if order.spec else ""
    return (
        f"{order.number}  {order.customer.name} {phones.shown(order.customer.phone)}  "
        f"{order.product}{spec} × {order.quantity.normalize():f}  {order.address}"
    )


def _tell_desks(*, actor, source, centre, handoff, plan) -> list[str]:
    """Each desk's head in-app, and the desk's own e-mail with its orders through the outbox
    (sent after commit, retried), in the centre's language. Returns the addresses."""
    link = f"/c/{centre.code}/service/order-handoffs/{handoff.pk}/"
    mailed: list[str] = []
    for desk, orders in plan.desks:
        title = Message(
            gettext_lazy("Orders handed to %(desk)s: %(count)s (CS-3)"),
            {"desk": desk.name, "count": len(orders)},
        )
        lines = "\n".join(_order_line(o) for o in orders)
        if desk.head is not None:
            notify(
                actor=actor,
                source=source,
                people=[desk.head],
                centre=centre,
                title=title,
                body=lines,
                link=link,
                email=False,
                chat=False,
                regarding=handoff,
            )
        mailed += mail(centre=centre, addresses=[desk.email], title=title, body=lines)
    return mailed


def _meet_deadlines(*, source, handoff) -> None:
    for deadline in Deadline.objects.filter(
        content_type=content_type_of(handoff),
        object_id=str(handoff.pk),
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    ):
        deadline_meet(
            actor=SCHEDULER, source=source, deadline_id=deadline.pk, version=deadline.version
        )


def _hand(*, actor, source, handoff, plan, now) -> None:
    """Every order to its desk: one UPDATE per desk, and each order's change in the audit."""
    for desk, orders in plan.desks:
        Order.objects.filter(pk__in=[o.pk for o in orders]).update(
            state=OrderState.HANDED,
            desk=desk,
            handoff=handoff,
            version=F("version") + 1,
            updated_at=now,
        )
        for order in orders:
            before = {"state": order.state, "desk_id": None, "handoff_id": None}
            before["version"] = order.version
            order.state = Order.FLOW.next_state(order.state, "hand")
            order.desk, order.handoff, order.version = desk, handoff, order.version + 1
            after = {"state": order.state, "desk_id": desk.pk, "handoff_id": handoff.pk}
            after["version"] = order.version
            audit.record(
                actor=actor,
                source=source,
                verb="service_order.hand",
                obj=order,
                before=before,
                after=after,
            )


@transaction.atomic
def orders_hand_over(*, actor, source, centre) -> OrderHandoff:
    """The group lead hands every new order to the sales desk of its customer type in one
    action (CS-3). A type no desk takes (or more than one) refuses the whole hand-over, naming
    it; with nothing to hand over it is refused too. Recorded with the counts per desk and
    whether it came after the hand-over time; the deadline met; each desk told; the duty log."""
    require(actor, Action.SERVICE_HANDOFF, centre)
    now = timezone.now()
    handoff = (
        OrderHandoff.objects.select_for_update().filter(centre=centre, at__isnull=True).first()
    )
    orders = list(
        Order.objects.select_for_update(of=("self",))
        .filter(centre=centre, state=OrderState.NEW)
        .select_related("customer")
        .order_by("taken_at", "id")
    )
    if not orders:
        raise Refused(
            _("There are no new orders to hand over (%(rule)s).") % {"rule": RULE},
            code="nothing_to_hand_over",
            rule=RULE,
        )
    plan = handoff_plan(centre, orders)
    _refuse_plan(plan)
    if handoff is None:  # orders without a hand-over waiting (e.g. written before it existed)
        handoff = OrderHandoff.objects.create(
            centre=centre, due_at=handoff_time(centre, orders[0].taken_at)
        )
    before = audit.snapshot(handoff)
    handoff.at, handoff.by, handoff.late = now, actor, now > handoff.due_at
    handoff.counts = {desk.name: len(batch) for desk, batch in plan.desks}
    handoff.save()
    _hand(actor=actor, source=source, handoff=handoff, plan=plan, now=now)
    mails = _tell_desks(actor=actor, source=source, centre=centre, handoff=handoff, plan=plan)
    audit.record(
        actor=actor,
        source=source,
        verb="order_handoff.done",
        obj=handoff,
        before=before,
        after={
            **audit.snapshot(handoff),
            "handed_orders": "；".join(
                f"{desk.name}：{'、'.join(o.number for o in batch)}" for desk, batch in plan.desks
            ),
            "emailed_to": "、".join(mails),
        },
    )
    _meet_deadlines(source=source, handoff=handoff)
    due = timezone.localtime(handoff.due_at, centre.tz)
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.OPERATION,
        regarding=handoff,
        verb="order_handoff.done_late" if handoff.late else "order_handoff.done",
        params={
            "desks": [f"{name} {count}" for name, count in handoff.counts.items()],
            "total": len(orders),
            "due": due,
        },
    )
    live.refresh_on_commit(centre, "service")
    return handoff


# --- delivery and cancelling (CS-3) ---------------------------------------------------------


def _locked_order(order_id, version) -> Order:
    return locked(Order.objects.select_related("centre", "desk__head"), order_id, version)


@transaction.atomic
def order_deliver(*, actor, source, order_id, version: int, data) -> Order:
    """The sales desk reports the order delivered (CS-3): when (not before it was taken, in
    the centre's window); the return visits count from it (CS-7)."""
    order = _locked_order(order_id, version)
    require(actor, Action.SERVICE_RESULT, order.centre)
    form = validated(DeliverForm, data, centre=order.centre, order=order)
    before = audit.snapshot(order)
    order.state = Order.FLOW.next_state(order.state, "deliver")
    order.delivered_at = form.cleaned_data["delivered_at"]
    save_change(order, actor=actor, source=source, verb="service_order.deliver", before=before)
    live.refresh_on_commit(order.centre, "service")
    return order


def _drop_empty_handoff(*, actor, source, centre) -> None:
    """The last new order cancelled: the next hand-over has nothing to wait for, so it and its
    deadline go (a later order opens a new one at its own hand-over time)."""
    if Order.objects.filter(centre=centre, state=OrderState.NEW).exists():
        return
    handoff = (
        OrderHandoff.objects.select_for_update().filter(centre=centre, at__isnull=True).first()
    )
    if handoff is None:
        return
    for deadline in Deadline.objects.filter(
        content_type=content_type_of(handoff),
        object_id=str(handoff.pk),
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    ):
        deadline_cancel(
            actor=SCHEDULER,
            source=source,
            deadline_id=deadline.pk,
            version=deadline.version,
            reason=gettext_noop("no orders left to hand over"),
        )
    audit.record(
        actor=actor,
        source=source,
        verb="order_handoff.drop",
        obj=handoff,
        before=audit.snapshot(handoff),
        reason=gettext_noop("no orders left to hand over"),
    )
    handoff.delete()


@transaction.atomic
def order_cancel(*, actor, source, order_id, version: int, data) -> Order:
    """The customer cancels (CS-3): the reason; a desk that has the order is told."""
    order = _locked_order(order_id, version)
    centre = order.centre
    require(actor, Action.SERVICE_INTAKE, centre)
    form = validated(CancelForm, data, centre=centre)
    reason = form.cleaned_data["reason"]
    before, was = audit.snapshot(order), order.state
    order.state = Order.FLOW.next_state(order.state, "cancel")
    order.cancel_reason = reason
    save_change(
        order, actor=actor, source=source, verb="service_order.cancel", before=before, reason=reason
    )
    if was == OrderState.NEW:
        _drop_empty_handoff(actor=actor, source=source, centre=centre)
    elif order.desk is not None and order.desk.head is not None:
        notify(
            actor=actor,
            source=source,
            people=[order.desk.head],
            centre=centre,
            title=Message(
                gettext_lazy("Order %(number)s cancelled (CS-3)"), {"number": order.number}
            ),
            body=reason,
            link=f"/c/{centre.code}/service/orders/{order.pk}/",
            email=False,
            chat=False,
            regarding=order,
        )
    live.refresh_on_commit(centre, "service")
    return order
