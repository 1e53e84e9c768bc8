"""Power operations' record kinds as the pages and the API see them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import Resource

from . import filters, selectors, services, tables
from .forms import (
    LockForm,
    OrderForm,
    SingleOperationForm,
    TicketForm,
    TypicalTicketForm,
)

ORDERS = Resource(
    key="order",
    namespace="ops",
    area="ops",
    label=_("dispatch order"),
    label_plural=_("Dispatch orders"),
    icon="phone-incoming",
    table=tables.ORDERS,
    filterset=filters.OrderFilter,
    form=OrderForm,
    list=selectors.order_list,
    get=selectors.order_get,
    manage_action=Action.OPS_RECEIVE_ORDER,
    create=services.order_receive,
)

TICKETS = Resource(
    key="ticket",
    namespace="ops",
    area="ops",
    label=_("operation ticket"),
    label_plural=_("Operation tickets"),
    icon="list-numbers",
    table=tables.TICKETS,
    filterset=filters.TicketFilter,
    form=TicketForm,
    list=selectors.ticket_list,
    get=selectors.ticket_get,
    manage_action=Action.OPS_FILL,
    create=services.ticket_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.ticket_update(
        actor=actor, source=source, ticket_id=obj.pk, version=version, changes=changes
    ),
)

TYPICAL = Resource(
    key="typical",
    namespace="ops",
    area="ops",
    label=_("typical ticket"),
    label_plural=_("Typical tickets (典型票)"),
    icon="books",
    table=tables.TYPICAL,
    filterset=filters.TypicalTicketFilter,
    form=TypicalTicketForm,
    list=selectors.typical_ticket_list,
    get=selectors.typical_ticket_get,
    manage_action=Action.OPS_LIBRARY,
    create=services.typical_ticket_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.typical_ticket_update(
        actor=actor, source=source, typical_id=obj.pk, version=version, changes=changes
    ),
)

LOCKS = Resource(
    key="lock",
    namespace="ops",
    area="ops",
    label=_("equipment lock"),
    label_plural=_("Equipment locks (封锁)"),
    icon="lock",
    table=tables.LOCKS,
    filterset=filters.LockFilter,
    form=LockForm,
    list=selectors.lock_list,
    get=selectors.lock_get,
    manage_action=Action.OPS_LOCK,
    create=services.lock_place,
    detail_extra=lambda request, centre, lock: {
        "extra_template": "ops/_lock_release.html",
        "can_release": lock.released_at is None and can(request.user, Action.OPS_LOCK, centre),
    },
)

SINGLE_OPERATIONS = Resource(
    key="single",
    namespace="ops",
    area="ops",
    label=_("single operation"),
    label_plural=_("Single operations (单一操作)"),
    icon="hand-finger",
    table=tables.SINGLE_OPERATIONS,
    filterset=filters.SingleOperationFilter,
    form=SingleOperationForm,
    list=selectors.single_operation_list,
    get=selectors.single_operation_get,
    manage_action=Action.OPS_EXECUTE,
    create=services.single_operation_record,
)
