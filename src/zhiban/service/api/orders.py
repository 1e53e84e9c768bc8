"""Orders over HTTP (CS-3): the list with filters and its .xlsx export, one order, what the
hand-over would do and the hand-over itself (the group lead's one action), the delivery and
the cancelling (version required), and the hand-overs done. An order is taken with its contact
(the intake, ``POST /service/{code}/contacts`` with a nested ``order`` object of ``ServiceOrderIn``)."""

from datetime import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import XLSX, Id, Pagination, Text, centre_of, filter_schema, filtered
from zhiban.core.exports import xlsx_response

from ..resources.orders import ORDER_LIST, OrderFilter
from ..selectors import orders as selectors
from ..services import orders as services

router = Router(tags=["service: orders"])
TAG = "service: orders"
O = "/service/{code}/orders"  # noqa: E741
H = "/service/{code}/order-handoffs"
API = Source.API


class ServiceOrderIn(Schema):
    """The order of a contact of category order (CS-3): what is missing or wrong is answered
    422 per field naming CS-3."""

    product: Text = ""
    spec: Text = ""
    quantity: Decimal | None = Field(None, description="More than 0")
    unit_price: Decimal | None = Field(None, description="0 or more")
    address: Text = Field("", description="Empty: the customer's address")
    region: str = Field("", max_length=40, description="Empty: the customer's region")


class ServiceOrderOut(Schema):
    id: int
    number: str
    case_id: int
    case_number: str
    customer_id: int
    customer_name: str
    customer_type: str
    product: str
    spec: str
    quantity: Decimal
    unit_price: Decimal
    address: str
    region: str
    state: str
    desk_id: int | None
    desk_name: str | None
    handoff_id: int | None
    taken_at: datetime
    delivered_at: datetime | None
    cancel_reason: str
    notice: str = Field(description="What the agent must tell the customer (CS-3), or empty")
    version: int

    @staticmethod
    def resolve_case_number(obj) -> str:
        return obj.case.number

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_desk_name(obj) -> str | None:
        return obj.desk.name if obj.desk_id else None

    @staticmethod
    def resolve_notice(obj) -> str:
        return services.order_notice(obj)


class ServiceOrderBriefOut(Schema):
    id: int
    number: str
    customer_type: str
    desk_id: int | None
    product: str
    taken_at: datetime


class OrderHandoffOut(Schema):
    """A hand-over to the sales desks (CS-3): due at the hand-over time; done when ``at`` is
    set, ``late`` after it; ``counts``: desk name → orders."""

    id: int
    due_at: datetime
    at: datetime | None
    by_id: int | None
    late: bool
    counts: dict[str, int]
    orders: list[ServiceOrderBriefOut]

    @staticmethod
    def resolve_orders(obj) -> list:
        return list(selectors.handoff_orders(obj))


class SalesDeskPlanOut(Schema):
    desk_id: int
    desk: str
    customer_types: list[str]
    orders: list[ServiceOrderBriefOut]


class OrderHandoffPreviewOut(Schema):
    """What the hand-over would do now: each desk with its orders; ``missing``: customer types
    no sales desk takes, ``doubled``: types more than one desk claims (either refuses it)."""

    due_at: datetime | None
    count: int
    ready: bool
    desks: list[SalesDeskPlanOut]
    missing: list[str]
    doubled: list[str]
    waiting: list[ServiceOrderBriefOut]


class OrderDeliverIn(Schema):
    version: Id
    delivered_at: datetime | None = Field(None, description="Empty: now")


class OrderCancelIn(Schema):
    version: Id
    reason: Text


ServiceOrderFilters = filter_schema(OrderFilter, "ServiceOrderFilters")


@router.get(O, response=list[ServiceOrderOut], tags=[TAG], operation_id="service_order_list")
@paginate(Pagination)
def order_list(request, code: str, filters: Query[ServiceOrderFilters]):  # type: ignore[valid-type]
    """The centre's orders, newest first; filters: state, desk (id), customer_type, day
    (YYYY-MM-DD, in the centre's zone), q."""
    return filtered(ORDER_LIST, request, centre_of(request, code), filters)


@router.get(
    O + ".xlsx",
    tags=[TAG],
    operation_id="service_order_export",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def order_export(request, code: str, filters: Query[ServiceOrderFilters]):  # type: ignore[valid-type]
    """The order list with its filters as .xlsx."""
    centre = centre_of(request, code)
    return xlsx_response(
        ORDER_LIST.table,
        filtered(ORDER_LIST, request, centre, filters),
        str(ORDER_LIST.label_plural),
        f"{centre.code}-orders",
    )


def _preview(request, centre) -> dict:
    plan = selectors.handoff_preview(user=request.user, centre=centre)
    waiting = selectors.handoff_next(centre)
    return {
        "due_at": waiting.due_at if waiting else None,
        "count": plan.count,
        "ready": plan.ready,
        "desks": [
            {
                "desk_id": desk.pk,
                "desk": desk.name,
                "customer_types": desk.customer_types,
                "orders": orders,
            }
            for desk, orders in plan.desks
        ],
        "missing": plan.missing,
        "doubled": list(plan.doubled),
        "waiting": plan.waiting,
    }


@router.get(
    O + "/hand-over",
    response=OrderHandoffPreviewOut,
    tags=[TAG],
    operation_id="orders_hand_over_preview",
)
def orders_hand_over_preview(request, code: str):
    """Which sales desk each new order would go to, before the group lead hands them over."""
    return _preview(request, centre_of(request, code))


@router.post(
    O + "/hand-over", response={201: OrderHandoffOut}, tags=[TAG], operation_id="orders_hand_over"
)
def orders_hand_over(request, code: str):
    """CS-3: every new order to the sales desk of its customer type, in one action (group
    lead, supervisor). A type without a desk refuses it all (409 naming CS-3 and the type);
    nothing left to hand over is 409 too."""
    centre = centre_of(request, code)
    handoff = services.orders_hand_over(actor=request.user, source=API, centre=centre)
    return Status(201, selectors.handoff_get(user=request.user, centre=centre, pk=handoff.pk))


@router.get(O + "/{pk}", response=ServiceOrderOut, tags=[TAG], operation_id="service_order_get")
def order_get(request, code: str, pk: Id):
    return selectors.order_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.post(
    O + "/{pk}/deliver", response=ServiceOrderOut, tags=[TAG], operation_id="service_order_deliver"
)
def order_deliver(request, code: str, pk: Id, payload: OrderDeliverIn):
    """The sales desk reports the order delivered (CS-3); the return visits count from it."""
    centre = centre_of(request, code)
    order = selectors.order_get(user=request.user, centre=centre, pk=pk)
    data = payload.dict()
    version = data.pop("version")
    services.order_deliver(
        actor=request.user, source=API, order_id=order.pk, version=version, data=data
    )
    return selectors.order_get(user=request.user, centre=centre, pk=pk)


@router.post(
    O + "/{pk}/cancel", response=ServiceOrderOut, tags=[TAG], operation_id="service_order_cancel"
)
def order_cancel(request, code: str, pk: Id, payload: OrderCancelIn):
    """The customer cancels a new or handed order, with the reason (CS-3)."""
    centre = centre_of(request, code)
    order = selectors.order_get(user=request.user, centre=centre, pk=pk)
    data = payload.dict()
    version = data.pop("version")
    services.order_cancel(
        actor=request.user, source=API, order_id=order.pk, version=version, data=data
    )
    return selectors.order_get(user=request.user, centre=centre, pk=pk)


@router.get(H, response=list[OrderHandoffOut], tags=[TAG], operation_id="order_handoff_list")
@paginate(Pagination)
def handoff_list(request, code: str):
    """The hand-overs: the next one waiting (``at`` empty) and those done, latest first."""
    return selectors.handoff_list(user=request.user, centre=centre_of(request, code))


@router.get(H + "/{pk}", response=OrderHandoffOut, tags=[TAG], operation_id="order_handoff_get")
def handoff_get(request, code: str, pk: Id):
    return selectors.handoff_get(user=request.user, centre=centre_of(request, code), pk=pk)
