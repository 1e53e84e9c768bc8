"""Follow-up tasks over HTTP (CS-3 apology calls, CS-5 visits after bodily harm): list with
filters (open first, by due), .xlsx export, detail with the deadline, and "done" with the
result (version required)."""

from datetime import datetime

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from zhiban.core.actors import Source
from zhiban.core.api import XLSX, Id, Pagination, Text, centre_of, filter_schema, filtered
from zhiban.core.exports import xlsx_response

from ..resources.complaints import FOLLOW_UP_LIST, FollowUpFilter
from ..selectors import followups as selectors
from ..services import followups as services

router = Router(tags=["service: follow-ups"])
TAG = "service: follow-ups"
F = "/service/{code}/follow-ups"


class FollowUpClockOut(Schema):
    """The follow-up's deadline (致歉电话 (CS-3) / 人身伤害上门探访 (CS-5))."""

    id: int
    name: str
    due_at: datetime
    state: str
    escalation_level: int
    met_at: datetime | None


class FollowUpOut(Schema):
    id: int
    kind: str
    case_id: int
    case_number: str
    customer_id: int
    due_at: datetime
    owner_id: int | None
    done_at: datetime | None
    done_by_id: int | None
    result: str
    deadline: FollowUpClockOut | None
    version: int

    @staticmethod
    def resolve_case_number(obj) -> str:
        return obj.case.number

    @staticmethod
    def resolve_customer_id(obj) -> int:
        return obj.case.customer_id

    @staticmethod
    def resolve_deadline(obj):
        return selectors.follow_up_deadline(obj)


class FollowUpDoneIn(Schema):
    version: Id
    result: Text


FollowUpFilters = filter_schema(FollowUpFilter, "FollowUpFilters")


@router.get(F, response=list[FollowUpOut], tags=[TAG], operation_id="follow_up_list")
@paginate(Pagination)
def follow_up_list(request, code: str, filters: Query[FollowUpFilters]):  # type: ignore[valid-type]
    """Open follow-ups first, by due time; filters: kind, state (open | done), overdue,
    mine, q."""
    return filtered(FOLLOW_UP_LIST, request, centre_of(request, code), filters)


@router.get(
    F + ".xlsx",
    tags=[TAG],
    operation_id="follow_up_export",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def follow_up_export(request, code: str, filters: Query[FollowUpFilters]):  # type: ignore[valid-type]
    centre = centre_of(request, code)
    return xlsx_response(
        FOLLOW_UP_LIST.table,
        filtered(FOLLOW_UP_LIST, request, centre, filters),
        str(FOLLOW_UP_LIST.label_plural),
        f"{centre.code}-follow-ups",
    )


@router.get(F + "/{pk}", response=FollowUpOut, tags=[TAG], operation_id="follow_up_get")
def follow_up_get(request, code: str, pk: Id):
    return selectors.follow_up_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.post(F + "/{pk}/done", response=FollowUpOut, tags=[TAG], operation_id="follow_up_done")
def follow_up_done(request, code: str, pk: Id, payload: FollowUpDoneIn):
    """The call made or the visit paid: what came of it; its deadline is met."""
    centre = centre_of(request, code)
    follow_up = selectors.follow_up_get(user=request.user, centre=centre, pk=pk)
    services.follow_up_done(
        actor=request.user,
        source=Source.API,
        follow_up_id=follow_up.pk,
        version=payload.version,
        result=payload.result,
    )
    return selectors.follow_up_get(user=request.user, centre=centre, pk=pk)
