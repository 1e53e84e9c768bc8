"""Power operations on the console and in the handover: the orders and tickets in progress
(DUTY-3), and the switching operation that blocks a handover (DUTY-10)."""

from __future__ import annotations

from collections.abc import Iterable

from zhiban.core.console import Panel
from zhiban.core.nav import POWER
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from . import selectors
from .models import (
    OPEN_ORDER_STATES,
    UNFINISHED_TICKET_STATES,
    DispatchOrder,
    Executor,
    OperationTicket,
    TicketState,
)


def work(request, centre) -> dict | None:
    """Orders by stage and tickets in progress."""
    if centre.kind != POWER:
        return None
    return {
        "orders": selectors.open_orders(user=request.user, centre=centre)[:10],
        "tickets": selectors.open_tickets(user=request.user, centre=centre)[:10],
        "order_states": OPEN_ORDER_STATES,
    }


PANELS = [Panel("ops-work", "ops/panels/work.html", work, order=15)]


def open_work(centre) -> Iterable[OpenThing]:
    """DUTY-3: orders and tickets still open go on the handover; DUTY-10: a ticket the centre
    is executing blocks it (the outgoing side stays in charge)."""
    if centre.kind != POWER:
        return
    base = f"/c/{centre.code}/ops"
    orders = DispatchOrder.objects.filter(centre=centre, state__in=OPEN_ORDER_STATES).exclude(
        tickets__state__in=UNFINISHED_TICKET_STATES
    )
    for order in orders:
        yield OpenThing(
            ItemKind.OTHER,
            f"{order.number} {order.task}"[:300],
            ref=order,
            link=f"{base}/orders/{order.pk}/",
            detail=order.get_state_display(),
        )
    tickets = OperationTicket.objects.filter(
        centre=centre, state__in=UNFINISHED_TICKET_STATES
    ).select_related("team")
    for ticket in tickets:
        executing = ticket.state == TicketState.EXECUTING
        yield OpenThing(
            ItemKind.TICKET,
            f"{ticket.number} {ticket.task}"[:300],
            ref=ticket,
            link=f"{base}/tickets/{ticket.pk}/",
            detail=f"{ticket.get_state_display()} · {ticket.team or ticket.get_executor_display()}",
            blocks=executing and ticket.executor == Executor.CENTRE,
        )
