"""Scoped reads of customers (ORG-3) and the lookup by any part of a phone number while it is
typed (CS-1): any four or more consecutive digits find the customers whose number holds them,
through an index that serves substring search (migration 0002: SQLite FTS5 ``trigram``,
PostgreSQL ``pg_trgm``); fewer digits find nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet

from zhiban.core.permissions import Action
from zhiban.core.scoping import can, limit
from zhiban.core.selectors import get_or_404

from .. import phones
from ..models import (
    OPEN_CASE_STATES,
    CallAttempt,
    CallResult,
    Case,
    Contact,
    Customer,
    FollowUp,
    Order,
)

LOOKUP_MIN_DIGITS = 4
LOOKUP_LIMIT = 10


def customer_list(*, user, centre) -> QuerySet[Customer]:
    return limit(Customer.objects.filter(centre=centre), user).order_by("name", "id")


def customer_get(*, user, centre, pk) -> Customer:
    """One customer of the centre; 404 outside the person's centres (ORG-3)."""
    return get_or_404(customer_list(user=user, centre=centre), pk)


def customer_by_phone(*, centre, phone: str) -> Customer | None:
    """The centre's customer with exactly this number (stored as digits, one per number)."""
    return Customer.objects.filter(centre=centre, phone=phone).first()


def _matching_ids(centre, digits: str, count: int) -> list[int]:
    """Ids of up to ``count`` of the centre's customers whose number holds ``digits``, read
    through the trigram index: the FTS5 table on SQLite (joined to the centre, so the search
    stops at ``count``), the pg_trgm GIN index behind ``LIKE`` on PostgreSQL — without the
    customers' ordering by name, which sorted every match first (13 ms for 4 digits among a
    million customers, docs/performance.md).

    SQLite: ``CROSS JOIN`` keeps the FTS5 table the outer loop. With a plain ``JOIN`` the
    planner walks the centre's customers by index and runs the MATCH once per customer: 1.5 s
    to 65 s a lookup with 50,000 customers (bench/service_scale.py, docs/performance.md)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.id FROM service_customer_fts f "
                "CROSS JOIN service_customer c ON c.id = f.rowid "
                "WHERE service_customer_fts MATCH %s AND c.centre_id = %s LIMIT %s",
                [f'"{digits}"', centre.pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
    rows = Customer.objects.filter(centre=centre, phone__contains=digits).order_by()
    return list(rows.values_list("pk", flat=True)[:count])  # unsorted: stops at ``count``


def customer_lookup(*, user, centre, digits: str, count: int = LOOKUP_LIMIT) -> list[Customer]:
    """CS-1: the customers whose phone number holds the digits typed so far (separators and
    +86 ignored), the exact number first, then those that start with it; fewer than four
    digits find nothing."""
    typed = "".join(ch for ch in phones.digits(digits or "") if ch.isdigit())
    if len(typed) < LOOKUP_MIN_DIGITS:
        return []
    ids = _matching_ids(centre, typed, count)
    found = list(limit(Customer.objects.filter(pk__in=ids, centre=centre), user))
    return sorted(found, key=lambda c: (c.phone != typed, not c.phone.startswith(typed), c.name))


@dataclass
class History:
    """What the agent sees beside the intake form (CS-1): the customer's earlier contacts,
    open cases, orders and last return visit."""

    customer: Customer
    contacts: list
    open_cases: list
    orders: list
    last_visit: datetime | None
    follow_ups: list


def customer_history(*, user, centre, customer: Customer, contacts: int = 10) -> History:
    """The customer's history for the intake and the customer page (already in scope)."""
    recent = (
        Contact.objects.filter(customer=customer)
        .select_related("case", "received_by")
        .order_by("-at", "-id")[:contacts]
    )
    open_cases = (
        Case.objects.filter(customer=customer, state__in=OPEN_CASE_STATES)
        .select_related("owner", "department")
        .order_by("-opened_at")
    )
    orders = Order.objects.filter(customer=customer).order_by("-taken_at")[:10]
    visited = (
        CallAttempt.objects.filter(member__customer=customer, result=CallResult.REACHED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    follow_ups = FollowUp.objects.filter(case__customer=customer, done_at=None).order_by("due_at")
    return History(
        customer=customer,
        contacts=list(recent),
        open_cases=list(open_cases),
        orders=list(orders),
        last_visit=visited,
        follow_ups=list(follow_ups),
    )


def can_keep_customers(user, centre) -> bool:
    """Customers are created and changed by whoever records contacts (CS-1) and by whoever
    keeps the customer records (CS-10)."""
    return can(user, Action.SERVICE_INTAKE, centre) or can(user, Action.SERVICE_RECORDS, centre)
