"""The order and hand-over lists as the pages, the API and the .xlsx exports see them: one
FilterSet, one column list and one Resource each (CS-3)."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ChooserFilter, SearchFilterSet
from zhiban.core.permissions import Action
from zhiban.core.tables import Column, Table
from zhiban.core.web import Resource

from .. import phones
from ..models import CustomerType, Order, OrderState
from ..selectors import orders as selectors


def desks_of(centre) -> list[tuple[int, str]]:
    """The centre's sales desks, for the desk filter (ORG-3: this centre's only)."""
    return [(d.pk, d.name) for d in selectors.sales_desks(centre)]


class OrderFilter(SearchFilterSet):
    """State, sales desk, customer type and the day the order was taken (CS-3)."""

    search_fields = ("number", "product", "customer__name", "customer__phone", "address")
    state = df.ChoiceFilter(label=_("state"), choices=OrderState.choices, empty_label=_("All"))
    desk = ChooserFilter(label=_("sales desk"), field_name="desk_id", choices=desks_of)
    customer_type = df.ChoiceFilter(
        label=_("customer type"), choices=CustomerType.choices, empty_label=_("All")
    )
    day = df.DateFilter(label=_("day"), field_name="taken_at", lookup_expr="date")

    class Meta:
        model = Order
        fields = ["q", "state", "desk", "customer_type", "day"]


def amount(value) -> str:
    """A quantity or a price as people write it: 12, 12.5, 3.99."""
    return f"{value.normalize():f}" if value is not None else ""


ORDERS = Table(
    [
        Column(_("order number"), "number", link=True, width=20),
        Column(_("order taken"), "taken_at", width=16),
        Column(_("customer"), lambda o: o.customer.name, width=12),
        Column(_("phone"), lambda o: phones.shown(o.customer.phone), width=16),
        Column(_("customer type"), "customer_type", width=12),
        Column(_("product"), "product", width=16),
        Column(_("spec"), "spec", width=12),
        Column(_("quantity"), lambda o: amount(o.quantity), width=8),
        Column(_("unit price"), lambda o: f"{o.unit_price:.2f}", width=8),
        Column(_("delivery address"), "address", width=30),
        Column(_("region"), "region", width=10),
        Column(_("state"), "state", width=14),
        Column(_("sales desk"), "desk", width=14),
        Column(_("delivered"), "delivered_at", width=16),
    ]
)

ORDER_DETAIL = Table(
    ORDERS.columns
    + [
        Column(_("case number"), lambda o: o.case.number),
        Column(_("hand-over"), "handoff"),
        Column(_("reason for cancelling"), "cancel_reason"),
    ]
)

ORDER_LIST = Resource(
    key="order",
    namespace="service",
    area="service",
    label=_("customer order"),
    label_plural=_("Orders (订货)"),
    icon="shopping-cart",
    table=ORDERS,
    detail=ORDER_DETAIL,
    filterset=OrderFilter,
    form=None,  # orders come in through the intake (CS-1); handed over on their own page
    list=selectors.order_list,
    get=selectors.order_get,
    manage_action=Action.SERVICE_INTAKE,
)


def _desks(handoff) -> str:
    return "、".join(f"{name} {count}" for name, count in (handoff.counts or {}).items())


HANDOFFS = Table(
    [
        Column(_("hand-over time"), "due_at", link=True, width=16),
        Column(_("handed over"), "at", width=16),
        Column(_("handed over by"), "by", width=12),
        Column(_("after the hand-over time"), "late", width=8),
        Column(_("orders per desk"), _desks, width=40),
        Column(_("number of orders"), lambda h: sum((h.counts or {}).values()), width=8),
    ]
)
