"""Scoped reads of power operations (ORG-3)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from .models import (
    OPEN_ORDER_STATES,
    UNFINISHED_TICKET_STATES,
    DispatchOrder,
    EquipmentLock,
    OperationTicket,
    SingleOperation,
    StepState,
    TicketStep,
    TypicalTicket,
)


def order_list(*, user, centre):
    return limit(DispatchOrder.objects.filter(centre=centre), user).select_related(
        "site", "team", "received_by", "formal_received_by"
    )


def order_get(*, user, centre, pk):
    return get_or_404(order_list(user=user, centre=centre), pk)


def open_orders(*, user, centre):
    return order_list(user=user, centre=centre).filter(state__in=OPEN_ORDER_STATES)


def ticket_list(*, user, centre):
    return (
        limit(OperationTicket.objects.filter(centre=centre), user)
        .select_related("site", "team", "order", "filled_by", "reviewed_by", "operator", "guardian")
        .annotate(
            step_count=Count("steps", distinct=True),
            steps_done=Count("steps", filter=~Q(steps__state=StepState.PENDING), distinct=True),
        )
    )


def ticket_get(*, user, centre, pk):
    """One ticket with its steps and equipment (by double name, OPS-15)."""
    tickets = ticket_list(user=user, centre=centre).prefetch_related(
        Prefetch("steps", queryset=TicketStep.objects.select_related("done_by", "guardian")),
        "equipment__site",
        "notes__by",
    )
    return get_or_404(tickets, pk)


def open_tickets(*, user, centre):
    return ticket_list(user=user, centre=centre).filter(state__in=UNFINISHED_TICKET_STATES)


def typical_ticket_list(*, user, centre):
    return limit(TypicalTicket.objects.filter(centre=centre), user).select_related("site")


def typical_ticket_get(*, user, centre, pk):
    return get_or_404(typical_ticket_list(user=user, centre=centre), pk)


def lock_list(*, user, centre):
    return limit(EquipmentLock.objects.filter(centre=centre), user).select_related(
        "equipment__site", "locked_by", "released_by"
    )


def lock_get(*, user, centre, pk):
    return get_or_404(lock_list(user=user, centre=centre), pk)


def single_operation_list(*, user, centre):
    return limit(SingleOperation.objects.filter(centre=centre), user).select_related(
        "equipment__site", "by"
    )


def single_operation_get(*, user, centre, pk):
    return get_or_404(single_operation_list(user=user, centre=centre), pk)
