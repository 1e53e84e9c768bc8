"""Customers, contacts and cases over HTTP (CS-1, CS-2, CS-6): the lookup by any part of a
phone number, customers, the intake (``POST /service/{code}/contacts`` with a nested
``complaint`` or ``order``), the case list (filters, .xlsx), a case and its actions (take,
respond, transfer, route, result, answer, close — each with the version read), the morning
queue, departments and their queues. A record of another centre answers 404."""

from datetime import datetime

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import create_model

from zhiban.core.actors import Source
from zhiban.core.api import (
    XLSX,
    CappedPagination,
    Id,
    Pagination,
    Text,
    VersionIn,
    centre_of,
    filter_schema,
    filtered,
)
from zhiban.core.exports import xlsx_response

from .. import phones
from ..models import Category, Channel, CustomerType, DepartmentFunction
from ..resources.cases import CASES, CUSTOMERS, DEPARTMENTS
from ..selectors import cases as reads
from ..selectors import customers as customer_reads
from ..services import cases as writes
from ..services import customers as customer_writes
from .complaints import ComplaintIn
from .orders import ServiceOrderIn

router = Router(tags=["service: cases"])
TAG = "service: cases"
API = Source.API
S = "/service/{code}"


# --- customers (CS-1) -----------------------------------------------------------------------------


class CustomerOut(Schema):
    id: int
    name: str
    phone: str = Field(description="Digits only, as stored")
    phone_shown: str = Field(description="As people read it: 138 0000 0051")
    phone_kind: str
    address: str
    region: str
    customer_type: str
    is_member: bool
    shop: str
    note: str
    version: int

    @staticmethod
    def resolve_phone_shown(obj) -> str:
        return phones.shown(obj.phone)


class CustomerIn(Schema):
    name: Text
    phone: str = Field(
        max_length=40, description="11-digit mobile, landline with area code, 400/800 (CS-1)"
    )
    address: Text = ""
    region: str = Field("", max_length=40)
    customer_type: CustomerType = CustomerType.RETAIL
    is_member: bool = False
    shop: str = Field("", max_length=60)
    note: Text = ""


class CustomerPatch(Schema):
    version: Id
    name: Text | None = None
    phone: str | None = Field(None, max_length=40)
    address: Text | None = None
    region: str | None = Field(None, max_length=40)
    customer_type: CustomerType | None = None
    is_member: bool | None = None
    shop: str | None = Field(None, max_length=60)
    note: Text | None = None


CustomerQuery = create_model(
    "CustomerQuery",
    __base__=filter_schema(CUSTOMERS.filterset, "CustomerFilterFields"),
    phone=(
        str | None,
        Field(
            None,
            max_length=40,
            description="Lookup while typing (CS-1): any 4+ consecutive digits of the number; "
            "fewer find nothing. Up to 10 customers, the exact number first.",
        ),
    ),
)


@router.get(f"{S}/customers", response=list[CustomerOut], tags=[TAG], operation_id="customer_list")
@paginate(Pagination)
def customer_list(request, code: str, filters: Query[CustomerQuery]):  # type: ignore[valid-type]
    """The centre's customers with filters; with ``phone``, the lookup while typing (CS-1)."""
    centre = centre_of(request, code)
    if filters.phone is not None:
        return customer_reads.customer_lookup(
            user=request.user, centre=centre, digits=filters.phone
        )
    return filtered(CUSTOMERS, request, centre, filters)


@router.get(
    f"{S}/customers.xlsx",
    tags=[TAG],
    operation_id="customer_export",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def customer_export(request, code: str, filters: Query[CustomerQuery]):  # type: ignore[valid-type]
    centre = centre_of(request, code)
    rows = filtered(CUSTOMERS, request, centre, filters)
    return xlsx_response(CUSTOMERS.table, rows, str(CUSTOMERS.label_plural), f"{code}-customers")


@router.get(f"{S}/customers/{{pk}}", response=CustomerOut, tags=[TAG], operation_id="customer_get")
def customer_get(request, code: str, pk: Id):
    return customer_reads.customer_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.post(
    f"{S}/customers", response={201: CustomerOut}, tags=[TAG], operation_id="customer_create"
)
def customer_create(request, code: str, payload: CustomerIn):
    """CS-1: a valid number, one customer per number (a second is 422 naming the first)."""
    centre = centre_of(request, code)
    return Status(
        201,
        customer_writes.customer_create(
            actor=request.user, source=API, centre=centre, data=payload.dict()
        ),
    )


@router.patch(
    f"{S}/customers/{{pk}}", response=CustomerOut, tags=[TAG], operation_id="customer_update"
)
def customer_update(request, code: str, pk: Id, payload: CustomerPatch):
    centre = centre_of(request, code)
    customer = customer_reads.customer_get(user=request.user, centre=centre, pk=pk)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    return customer_writes.customer_update(
        actor=request.user, source=API, customer_id=customer.pk, version=version, changes=changes
    )


# --- the intake (CS-1, CS-6) ----------------------------------------------------------------------


class CaseContactIn(Schema):
    """One call, visit or online message (CS-1). A known number finds its customer; a new one
    needs ``name``. ``case``: an open case of the customer to add the contact to; otherwise a
    case is opened — owned by the agent who answered, or, for a web lead, waiting in the queue
    on the first-response clock (CS-6)."""

    phone: str = Field("", max_length=40, description="Required unless ``case`` is given")
    case: Id | None = None
    name: str = Field("", max_length=60, description="A new customer's name")
    address: str = Field("", max_length=200)
    region: str = Field("", max_length=40)
    customer_type: CustomerType = CustomerType.RETAIL
    is_member: bool = False
    channel: Channel
    category: Category
    content: Text
    at: datetime | None = Field(None, description="The contact time; empty: now (ORG-4 window)")
    is_lead: bool = Field(False, description="A consultation that is a sales lead (CS-9)")
    call: Id | None = Field(None, description="The hotline call it was taken on")
    complaint: ComplaintIn | None = Field(None, description="For category complaint (CS-4, CS-5)")
    order: ServiceOrderIn | None = Field(None, description="For category order (CS-3)")


class CaseContactRecordOut(Schema):
    id: int
    case_id: int | None
    case_number: str
    customer_id: int
    at: datetime
    channel: str
    category: str
    content: str
    received_by_id: int | None

    @staticmethod
    def resolve_case_number(obj) -> str:
        return obj.case.number if obj.case_id else ""


def _blank(values: dict) -> dict:
    """A missing value as the forms take an empty field."""
    return {k: ("" if v is None else v) for k, v in values.items()}


@router.post(
    f"{S}/contacts", response={201: CaseContactRecordOut}, tags=[TAG], operation_id="contact_record"
)
def contact_record(request, code: str, payload: CaseContactIn):
    """CS-1: the contact recorded in one transaction with its customer and case (and the
    complaint's or the order's part); anything refused leaves nothing written."""
    centre = centre_of(request, code)
    data = payload.dict(exclude={"complaint", "order"})
    complaint = payload.complaint.dict() if payload.complaint is not None else None
    order = _blank(payload.order.dict()) if payload.order is not None else None
    contact = writes.contact_record(
        actor=request.user,
        source=API,
        centre=centre,
        data=_blank(data),
        complaint=complaint,
        order=order,
    )
    return Status(201, contact)


@router.get(
    f"{S}/contacts/{{pk}}", response=CaseContactRecordOut, tags=[TAG], operation_id="contact_get"
)
def contact_get(request, code: str, pk: Id):
    return reads.contact_get(user=request.user, centre=centre_of(request, code), pk=pk)


# --- cases (CS-1, CS-2, CS-6) -----------------------------------------------------------------------


class CaseCustomerRef(Schema):
    id: int
    name: str
    phone: str


class CaseOut(Schema):
    id: int
    number: str
    customer: CaseCustomerRef
    channel: str
    category: str
    subject: str
    opened_at: datetime
    owner_id: int | None
    owner_name: str
    state: str
    first_response_at: datetime | None
    first_response_due: datetime | None
    clock: str = Field(description="First response (CS-6): none, running, breached, met, late")
    is_lead: bool
    department_id: int | None
    routed_at: datetime | None
    route_note: str
    result: str
    result_at: datetime | None
    answer: str
    closed_at: datetime | None
    closed_by_id: int | None
    version: int

    @staticmethod
    def resolve_owner_name(obj) -> str:
        return str(obj.owner) if obj.owner_id else ""

    @staticmethod
    def resolve_clock(obj) -> str:
        return reads.clock(obj)


class CaseContactOut(Schema):
    id: int
    at: datetime
    channel: str
    category: str
    content: str
    received_by_id: int | None


class CaseDetailOut(CaseOut):
    contacts: list[CaseContactOut]

    @staticmethod
    def resolve_contacts(obj) -> list:
        return list(obj.contacts.all())


CaseFilters = filter_schema(CASES.filterset, "CaseFilters")


@router.get(f"{S}/cases", response=list[CaseOut], tags=[TAG], operation_id="case_list")
@paginate(CappedPagination)
def case_list(request, code: str, filters: Query[CaseFilters]):  # type: ignore[valid-type]
    """The centre's cases, newest first: state, open, category, channel, owner, mine,
    department, first response late (CS-6), days. Counted up to 1,000 cases; past that
    ``count`` is null and ``more`` says whether another page exists."""
    return filtered(CASES, request, centre_of(request, code), filters)


@router.get(
    f"{S}/cases.xlsx",
    tags=[TAG],
    operation_id="case_export",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def case_export(request, code: str, filters: Query[CaseFilters]):  # type: ignore[valid-type]
    centre = centre_of(request, code)
    rows = filtered(CASES, request, centre, filters)
    return xlsx_response(CASES.table, rows, str(CASES.label_plural), f"{code}-cases")


@router.get(f"{S}/cases/{{pk}}", response=CaseDetailOut, tags=[TAG], operation_id="case_get")
def case_get(request, code: str, pk: Id):
    return reads.case_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.get(f"{S}/queue", response=list[CaseOut], tags=[TAG], operation_id="case_queue")
@paginate(Pagination)
def case_queue(request, code: str):
    """CS-6: the cases nobody owns yet, web leads first, then the oldest."""
    return reads.queue(user=request.user, centre=centre_of(request, code))


class CaseTransferIn(VersionIn):
    to_person: Id
    reason: Text = ""


class CaseRouteIn(VersionIn):
    department: Id
    note: Text = ""


class CaseResultIn(VersionIn):
    result: Text = ""


class CaseAnswerIn(VersionIn):
    answer: Text = ""


def _act(call, request, code, pk, payload, *, with_data: bool = True):
    centre = centre_of(request, code)
    case = reads.case_get(user=request.user, centre=centre, pk=pk)
    data = payload.dict()
    version = data.pop("version")
    kwargs = {"data": data} if with_data else {}
    call(actor=request.user, source=API, case_id=case.pk, version=version, **kwargs)
    return reads.case_get(user=request.user, centre=centre, pk=pk)


@router.post(f"{S}/cases/{{pk}}/take", response=CaseDetailOut, tags=[TAG], operation_id="case_take")
def case_take(request, code: str, pk: Id, payload: VersionIn):
    """CS-6: take a case nobody owns (its first response); the second of two agents is told
    who took it (409, ``taken_by``)."""
    return _act(writes.case_take, request, code, pk, payload, with_data=False)


@router.post(
    f"{S}/cases/{{pk}}/respond", response=CaseDetailOut, tags=[TAG], operation_id="case_respond"
)
def case_respond(request, code: str, pk: Id, payload: VersionIn):
    """CS-6: the first response given (meets the first-response clock)."""
    return _act(writes.case_respond, request, code, pk, payload, with_data=False)


@router.post(
    f"{S}/cases/{{pk}}/transfer", response=CaseDetailOut, tags=[TAG], operation_id="case_transfer"
)
def case_transfer(request, code: str, pk: Id, payload: CaseTransferIn):
    """CS-6: hand the case to another agent of the centre, with the reason (422 without)."""
    return _act(writes.case_transfer, request, code, pk, payload)


@router.post(
    f"{S}/cases/{{pk}}/route", response=CaseDetailOut, tags=[TAG], operation_id="case_route"
)
def case_route(request, code: str, pk: Id, payload: CaseRouteIn):
    """CS-2: send a service request to a department with what it is asked."""
    return _act(writes.case_route, request, code, pk, payload)


@router.post(
    f"{S}/cases/{{pk}}/result", response=CaseDetailOut, tags=[TAG], operation_id="case_result"
)
def case_result(request, code: str, pk: Id, payload: CaseResultIn):
    """CS-2: the department's result, reported back."""
    return _act(writes.case_report_result, request, code, pk, payload)


@router.post(
    f"{S}/cases/{{pk}}/answer", response=CaseDetailOut, tags=[TAG], operation_id="case_answer"
)
def case_answer(request, code: str, pk: Id, payload: CaseAnswerIn):
    """CS-2: answer a consultation or suggestion and close it."""
    return _act(writes.case_answer, request, code, pk, payload)


@router.post(
    f"{S}/cases/{{pk}}/close", response=CaseDetailOut, tags=[TAG], operation_id="case_close"
)
def case_close(request, code: str, pk: Id, payload: CaseAnswerIn):
    """Close: refused while a department's result is missing (CS-2) or, for a complaint,
    its reply and handling record (CS-4)."""
    return _act(writes.case_close, request, code, pk, payload)


# --- departments (CS-2) --------------------------------------------------------------------------


class DepartmentOut(Schema):
    id: int
    name: str
    function: str
    team_id: int | None
    head_id: int | None
    email: str
    phone: str
    customer_types: list[str]
    active: bool
    version: int


class DepartmentIn(Schema):
    name: str = Field(max_length=60)
    function: DepartmentFunction = DepartmentFunction.SERVICE
    team: Id | None = None
    head: Id | None = None
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    customer_types: list[CustomerType] = []
    active: bool = True


class DepartmentPatch(Schema):
    version: Id
    name: str | None = Field(None, max_length=60)
    function: DepartmentFunction | None = None
    team: Id | None = None
    head: Id | None = None
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    customer_types: list[CustomerType] | None = None
    active: bool | None = None


DepartmentFilters = filter_schema(DEPARTMENTS.filterset, "DepartmentFilters")


@router.get(
    f"{S}/departments",
    response=list[DepartmentOut],
    tags=[TAG],
    operation_id="department_list",
)
@paginate(Pagination)
def department_list(request, code: str, filters: Query[DepartmentFilters]):  # type: ignore[valid-type]
    return filtered(DEPARTMENTS, request, centre_of(request, code), filters)


@router.get(
    f"{S}/departments/{{pk}}",
    response=DepartmentOut,
    tags=[TAG],
    operation_id="department_get",
)
def department_get(request, code: str, pk: Id):
    return reads.department_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.post(
    f"{S}/departments",
    response={201: DepartmentOut},
    tags=[TAG],
    operation_id="department_create",
)
def department_create(request, code: str, payload: DepartmentIn):
    """CS-2: a team of the centre or a named outside department (its e-mail told of each
    case); a sales desk names the customer types whose orders it takes (CS-3)."""
    centre = centre_of(request, code)
    data = {k: ("" if v is None else v) for k, v in payload.dict().items()}
    return Status(
        201, writes.department_create(actor=request.user, source=API, centre=centre, data=data)
    )


@router.patch(
    f"{S}/departments/{{pk}}",
    response=DepartmentOut,
    tags=[TAG],
    operation_id="department_update",
)
def department_update(request, code: str, pk: Id, payload: DepartmentPatch):
    centre = centre_of(request, code)
    department = reads.department_get(user=request.user, centre=centre, pk=pk)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    return writes.department_update(
        actor=request.user,
        source=API,
        department_id=department.pk,
        version=version,
        changes={k: ("" if v is None else v) for k, v in changes.items()},
    )


@router.get(
    f"{S}/departments/{{pk}}/queue",
    response=list[CaseOut],
    tags=[TAG],
    operation_id="department_queue",
)
@paginate(Pagination)
def department_queue(request, code: str, pk: Id):
    """CS-2: the cases routed to the department, those waiting for its result first."""
    centre = centre_of(request, code)
    department = reads.department_get(user=request.user, centre=centre, pk=pk)
    return reads.department_queue(user=request.user, centre=centre, department=department)
