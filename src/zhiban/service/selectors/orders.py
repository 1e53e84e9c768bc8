"""Scoped reads of orders and their hand-overs (CS-3, ORG-3): the day's orders, one order,
the hand-overs done and the next one, and which sales desk each new order would go to."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models import (
    CustomerType,
    Department,
    DepartmentFunction,
    Order,
    OrderHandoff,
    OrderState,
)

_REGION_SEPARATORS = re.compile(r"[,，、;；\s]+")


def order_list(*, user, centre) -> QuerySet[Order]:
    """The centre's orders, newest first."""
    return (
        limit(Order.objects.filter(centre=centre), user)
        .select_related("customer", "desk", "case", "handoff")
        .order_by("-taken_at", "-id")
    )


def order_get(*, user, centre, pk) -> Order:
    """One order of the centre; 404 outside the person's centres (ORG-3)."""
    return get_or_404(order_list(user=user, centre=centre), pk)


def case_orders(case) -> QuerySet[Order]:
    """A case's orders (the case page; the case itself was read in scope)."""
    return case.orders.select_related("desk").order_by("taken_at", "id")


def handoff_list(*, user, centre) -> QuerySet[OrderHandoff]:
    """The centre's hand-overs: the next one (not done yet) first, then the done ones."""
    return limit(OrderHandoff.objects.filter(centre=centre), user).select_related("by")


def handoff_get(*, user, centre, pk) -> OrderHandoff:
    return get_or_404(handoff_list(user=user, centre=centre), pk)


def handoff_next(centre) -> OrderHandoff | None:
    """The hand-over the new orders wait for, if any (the caller read the centre in scope)."""
    return OrderHandoff.objects.filter(centre=centre, at__isnull=True).first()


def handoff_orders(handoff) -> QuerySet[Order]:
    return handoff.orders.select_related("customer", "desk").order_by("desk__name", "taken_at")


# --- the hand-over time and the sales area (CS-3) ------------------------------------------------


def handoff_time(centre, at: datetime) -> datetime:
    """The hand-over an order taken at ``at`` waits for: today's at
    ``service.order_handoff_time`` in the centre's zone, or tomorrow's when taken at or after
    it."""
    hours, minutes = (
        int(part) for part in str(centre.setting("service.order_handoff_time")).split(":")
    )
    local = timezone.localtime(at, centre.tz)
    due = datetime.combine(local.date(), time(hours, minutes), tzinfo=centre.tz)
    if local >= due:
        due = datetime.combine(
            local.date() + timedelta(days=1), time(hours, minutes), tzinfo=centre.tz
        )
    return due


def sales_area(centre) -> list[str]:
    """The regions the centre delivers to (``service.sales_regions``); empty: everywhere."""
    text = str(centre.setting("service.sales_regions") or "")
    return [region for region in _REGION_SEPARATORS.split(text) if region]


def in_sales_area(region: str, area: list[str]) -> bool:
    """A region lies in the sales area when it is one of its regions or inside one (苏州市吴中区
    in 苏州市); with no area set, everywhere does."""
    region = (region or "").strip()
    if not area:
        return True
    return any(region == r or region.startswith(r) for r in area)


# --- which desk takes which order (CS-3) ---------------------------------------------------------


@dataclass
class HandoffPlan:
    """Where the new orders would go: each sales desk with its orders, the customer types no
    desk takes and those more than one desk claims (either refuses the whole hand-over)."""

    desks: list[tuple[Department, list[Order]]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # customer types, as values
    doubled: dict[str, list[Department]] = field(default_factory=dict)
    waiting: list[Order] = field(default_factory=list)  # orders of the missing types

    @property
    def count(self) -> int:
        return sum(len(orders) for _desk, orders in self.desks) + len(self.waiting)

    @property
    def ready(self) -> bool:
        return bool(self.desks) and not self.missing and not self.doubled

    def type_labels(self, types) -> list[str]:
        labels = dict(CustomerType.choices)
        return [str(labels.get(t, t)) for t in types]


def sales_desks(centre) -> QuerySet[Department]:
    return Department.objects.filter(
        centre=centre, function=DepartmentFunction.SALES_DESK, active=True
    ).select_related("head")


def handoff_plan(centre, orders) -> HandoffPlan:
    """The sales desk of each order by its customer type (CS-3)."""
    by_type: dict[str, list[Department]] = {}
    for desk in sales_desks(centre):
        for kind in desk.customer_types or []:
            by_type.setdefault(kind, []).append(desk)
    plan = HandoffPlan()
    batches: dict[int, tuple[Department, list[Order]]] = {}
    for order in orders:
        desks = by_type.get(order.customer_type, [])
        if not desks:
            if order.customer_type not in plan.missing:
                plan.missing.append(order.customer_type)
            plan.waiting.append(order)
            continue
        if len(desks) > 1:
            plan.doubled[order.customer_type] = desks
        desk = desks[0]
        batches.setdefault(desk.pk, (desk, []))[1].append(order)
    plan.desks = sorted(batches.values(), key=lambda pair: pair[0].name)
    return plan


def new_orders(centre) -> QuerySet[Order]:
    """The orders waiting for the hand-over (the caller read the centre in scope)."""
    return (
        Order.objects.filter(centre=centre, state=OrderState.NEW)
        .select_related("customer")
        .order_by("taken_at", "id")
    )


def handoff_preview(*, user, centre) -> HandoffPlan:
    """What the hand-over would do now (the group lead's page and the API)."""
    orders = limit(new_orders(centre), user)
    return handoff_plan(centre, orders)
