"""The one door for writes to power operations, by sub-domain: dispatch orders (``orders``,
OPS-1, OPS-2, OPS-4), operation tickets and their steps (``tickets``, OPS-3, OPS-6 … OPS-8,
OPS-14, OPS-15), sequence control and its interruption (``sequence``, ``interruption``,
OPS-9 … OPS-11), locks, single operations and typical tickets (``locks``, OPS-5, OPS-12).
Callers keep ``from zhiban.ops import services``. Work tickets are the ``work`` app (ADR 0012)."""

from .interruption import ticket_abort, ticket_consent, ticket_interrupt
from .locks import (
    lock_place,
    lock_release,
    single_operation_record,
    typical_ticket_create,
    typical_ticket_update,
)
from .orders import order_cancel, order_formal, order_notify_team, order_question, order_receive
from .tickets import (
    ticket_assess,
    ticket_create,
    ticket_note,
    ticket_notify_centre,
    ticket_order,
    ticket_return,
    ticket_review,
    ticket_terminate,
    ticket_tick,
    ticket_update,
    ticket_void,
)

__all__ = [
    "lock_place",
    "lock_release",
    "order_cancel",
    "order_formal",
    "order_notify_team",
    "order_question",
    "order_receive",
    "single_operation_record",
    "ticket_abort",
    "ticket_assess",
    "ticket_consent",
    "ticket_create",
    "ticket_interrupt",
    "ticket_note",
    "ticket_notify_centre",
    "ticket_order",
    "ticket_return",
    "ticket_review",
    "ticket_terminate",
    "ticket_tick",
    "ticket_update",
    "ticket_void",
    "typical_ticket_create",
    "typical_ticket_update",
]
