"""Complaints over HTTP (CS-4, CS-5): list with filters, .xlsx export, detail, and the reply
to the customer (version required). A complaint is recorded with its contact (the intake,
``POST /service/{code}/contacts`` with a nested ``complaint`` object of ``ComplaintIn``)."""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import XLSX, Id, Pagination, Text, centre_of, filter_schema, filtered
from zhiban.core.exports import xlsx_response

from ..resources.complaints import COMPLAINT_LIST, ComplaintFilter
from ..selectors import complaints as selectors
from ..services import complaints as services

router = Router(tags=["service: complaints"])
TAG = "service: complaints"
C = "/service/{code}/complaints"


class ComplaintIn(Schema):
    """The facts of a complaint (CS-5), nested in a contact of category complaint: what is
    missing for its kind is answered 422 per field naming CS-5."""

    kind: str = Field("", max_length=10, description="product | service | other")
    complained_of: Text = Field("", description="The complaint object: product, shop or person")
    reason: Text = ""
    symptom: Text = Field("", description="Product quality: the symptom")
    bought_where: Text = Field("", description="Product quality: where bought")
    bought_how: Text = Field("", description="Product quality: how bought")
    batch_number: Text = Field("", description="Product quality: batch number")
    production_date: date | None = Field(None, description="Product quality; not ahead of today")
    service_fault: str = Field(
        "",
        max_length=20,
        description="Service quality: late_delivery | short_delivery | attitude | billing | other",
    )
    staff: Text = Field("", description="Service quality: staff name or number (attitude)")
    major: bool = Field(False, description="Major complaint: the department head is told at once")
    bodily_harm: bool = Field(False, description="Bodily harm: a visit follows with a deadline")


class ComplaintClockOut(Schema):
    """The deadline of the reply promised last (答复客户 (CS-4))."""

    id: int
    due_at: datetime
    state: str
    escalation_level: int
    met_at: datetime | None


class ComplaintOut(Schema):
    id: int
    case_id: int
    case_number: str
    case_state: str
    customer_id: int
    owner_id: int | None
    kind: str
    complained_of: str
    reason: str
    symptom: str
    bought_where: str
    bought_how: str
    batch_number: str
    production_date: date | None
    service_fault: str
    staff: str
    major: bool
    bodily_harm: bool
    unjustified: bool
    reply: str
    handling: str
    solved: bool
    next_reply_at: datetime | None
    replied_at: datetime | None
    reply_overdue: bool
    version: int

    @staticmethod
    def resolve_case_number(obj) -> str:
        return obj.case.number

    @staticmethod
    def resolve_case_state(obj) -> str:
        return obj.case.state

    @staticmethod
    def resolve_customer_id(obj) -> int:
        return obj.case.customer_id

    @staticmethod
    def resolve_owner_id(obj) -> int | None:
        return obj.case.owner_id

    @staticmethod
    def resolve_reply_overdue(obj) -> bool:
        return selectors.overdue(obj)


class ComplaintDetailOut(ComplaintOut):
    """One complaint, with the clock of the reply promised last (CS-4)."""

    reply_deadline: ComplaintClockOut | None

    @staticmethod
    def resolve_reply_deadline(obj):
        return selectors.reply_deadline(obj)


class ComplaintReplyIn(Schema):
    """答复清楚 / 记录清楚 (CS-4): unsolved and not unjustified needs ``next_reply_at`` ahead."""

    version: Id
    reply: Text = Field("", description="What was replied to the customer (答复)")
    handling: Text = Field("", description="What was done about it (处理记录)")
    solved: bool = False
    unjustified: bool = Field(False, description="无理投诉: answered politely, recorded as such")
    next_reply_at: datetime | None = Field(
        None, description="The next reply promised to the customer; required while unsolved"
    )


ComplaintFilters = filter_schema(ComplaintFilter, "ComplaintFilters")


@router.get(C, response=list[ComplaintOut], tags=[TAG], operation_id="complaint_list")
@paginate(Pagination)
def complaint_list(request, code: str, filters: Query[ComplaintFilters]):  # type: ignore[valid-type]
    """The centre's complaints, newest first; filters: kind, major, unjustified, state
    (open | closed), breached (the promised reply is overdue), q."""
    return filtered(COMPLAINT_LIST, request, centre_of(request, code), filters)


@router.get(
    C + ".xlsx",
    tags=[TAG],
    operation_id="complaint_export",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def complaint_export(request, code: str, filters: Query[ComplaintFilters]):  # type: ignore[valid-type]
    """The complaint list with its filters as .xlsx."""
    centre = centre_of(request, code)
    return xlsx_response(
        COMPLAINT_LIST.table,
        filtered(COMPLAINT_LIST, request, centre, filters),
        str(COMPLAINT_LIST.label_plural),
        f"{centre.code}-complaints",
    )


@router.get(C + "/{pk}", response=ComplaintDetailOut, tags=[TAG], operation_id="complaint_get")
def complaint_get(request, code: str, pk: Id):
    return selectors.complaint_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.post(
    C + "/{pk}/reply", response=ComplaintDetailOut, tags=[TAG], operation_id="complaint_reply"
)
def complaint_reply(request, code: str, pk: Id, payload: ComplaintReplyIn):
    """CS-4: the reply given and the handling record; solved, unjustified, or the next reply
    promised (a deadline of the case's owner that warns and escalates)."""
    centre = centre_of(request, code)
    complaint = selectors.complaint_get(user=request.user, centre=centre, pk=pk)
    data = payload.dict()
    version = data.pop("version")
    services.complaint_reply(
        actor=request.user,
        source=Source.API,
        case_id=complaint.case_id,
        version=version,
        data=data,
    )
    return selectors.complaint_get(user=request.user, centre=centre, pk=pk)
