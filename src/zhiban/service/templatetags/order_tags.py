"""The orders section of a case page (CS-3): ``_orders.html`` is included with only ``case`` in
its context (the case was read in the person's scope), so it reads the case's orders here."""

from __future__ import annotations

from django import template

from ..selectors import orders as selectors
from ..services.orders import order_notice

register = template.Library()


@register.inclusion_tag("service/_orders_section.html", takes_context=True)
def case_orders(context, case) -> dict:
    orders = list(selectors.case_orders(case))
    return {
        "centre": context.get("centre"),
        "case": case,
        "orders": [(order, order_notice(order)) for order in orders],
    }
