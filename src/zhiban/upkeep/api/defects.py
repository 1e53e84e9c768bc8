"""The upkeep API: defects (DEF-1 … DEF-3) under /api/centres/{code}/upkeep/defects — the list
by age with its filters and .xlsx export, one defect, the report, and one POST per lifecycle
action, each with the version read (409 when stale, 422 per field on bad input)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema

from zhiban.core.actors import Source
from zhiban.core.api import CappedPagination, Id, VersionIn, add_crud, centre_of

from .. import services
from ..models import DefectGrade, DefectKind, DefectOrigin
from ..resources.defects import DEFECTS, is_overdue
from ..selectors import defects as selectors
from ..services.defects import allowed_actions, routing_reason_text

router = Router(tags=["upkeep"])
API = Source.API
LongText = Annotated[str, Field(max_length=2000)]


class DefectOut(Schema):
    id: int
    number: str
    site_id: int
    equipment_id: int | None
    kind: str
    grade: str
    phenomenon: str
    affects_monitoring: bool
    owner: str = Field(description="team or centre (DEF-2)")
    team_id: int | None
    routing_reason: str = Field(description="The reason code of the routing (DEF-2)")
    routing_text: str = Field(description="Why it went there, in the caller's language")
    origin: str
    origin_id: str
    temporary_measure: str
    elimination: str
    state: str
    due_at: datetime
    overdue: bool
    reported_by_id: int | None
    reported_at: datetime
    classified_at: datetime | None
    assignee_id: int | None
    assigned_at: datetime | None
    eliminated_by_id: int | None
    eliminated_at: datetime | None
    verified_by_id: int | None
    verified_at: datetime | None
    closed_at: datetime | None
    version: int

    @staticmethod
    def resolve_routing_text(obj) -> str:
        return routing_reason_text(obj.routing_reason)

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return is_overdue(obj)


class DefectDetailOut(DefectOut):
    actions: list[str] = Field(description="The lifecycle actions open to the caller now")


class DefectReportIn(Schema):
    site: Id
    equipment: Id | None = None
    kind: DefectKind
    grade: DefectGrade
    phenomenon: Annotated[str, Field(max_length=1000)]
    affects_monitoring: bool = False
    temporary_measure: LongText = ""
    origin: DefectOrigin = DefectOrigin.MANUAL
    origin_id: Annotated[str, Field(max_length=40)] = ""


class DefectClassifyIn(VersionIn):
    grade: DefectGrade
    kind: DefectKind


class DefectMeasureIn(VersionIn):
    temporary_measure: LongText


class DefectAssignIn(VersionIn):
    assignee: Id


class DefectEliminateIn(VersionIn):
    elimination: LongText


class DefectRejectIn(VersionIn):
    reason: Annotated[str, Field(max_length=1000)]


add_crud(
    router,
    DEFECTS,
    path="upkeep/defects",
    out=DefectOut,
    create_in=DefectReportIn,
    tag="upkeep",
    pagination=CappedPagination,
)

D = "/centres/{code}/upkeep/defects/{pk}"


def _detail(request, code, pk):
    defect = selectors.defect_get(user=request.user, centre=centre_of(request, code), pk=pk)
    defect.actions = allowed_actions(request.user, defect)
    return defect


def _act(request, code, pk, service, payload, **extra):
    defect = _detail(request, code, pk)
    data = payload.dict()
    version = data.pop("version")
    kwargs = {"data": data} if data else {}
    service(actor=request.user, source=API, defect_id=defect.pk, version=version, **kwargs, **extra)
    return _detail(request, code, pk)


@router.post(f"{D}/classify", response=DefectDetailOut, operation_id="defect_classify")
def defect_classify(request, code: str, pk: Id, payload: DefectClassifyIn):
    """定性 (DEF-1, DEF-2): confirm or change grade and kind; a changed kind re-routes. A grade
    is not lowered once a temporary measure is recorded (DEF-1)."""
    return _act(request, code, pk, services.defect_classify, payload)


@router.post(f"{D}/measure", response=DefectDetailOut, operation_id="defect_measure")
def defect_measure(request, code: str, pk: Id, payload: DefectMeasureIn):
    """A temporary measure (临时措施); the grade stays (DEF-1)."""
    return _act(request, code, pk, services.defect_measure, payload)


@router.post(f"{D}/assign", response=DefectDetailOut, operation_id="defect_assign")
def defect_assign(request, code: str, pk: Id, payload: DefectAssignIn):
    """DEF-2: assign to one of the owner side."""
    return _act(request, code, pk, services.defect_assign, payload)


@router.post(f"{D}/eliminate", response=DefectDetailOut, operation_id="defect_eliminate")
def defect_eliminate(request, code: str, pk: Id, payload: DefectEliminateIn):
    """消缺 (DEF-1): what was done; the elimination deadline is met."""
    return _act(request, code, pk, services.defect_eliminate, payload)


@router.post(f"{D}/verify", response=DefectDetailOut, operation_id="defect_verify")
def defect_verify(request, code: str, pk: Id, payload: VersionIn):
    """DEF-1: verified by someone other than the one who eliminated it."""
    return _act(request, code, pk, services.defect_verify, payload)


@router.post(f"{D}/reject", response=DefectDetailOut, operation_id="defect_reject")
def defect_reject(request, code: str, pk: Id, payload: DefectRejectIn):
    """DEF-1: verification failed, back to the assignee with the reason."""
    return _act(request, code, pk, services.defect_reject, payload)


@router.post(f"{D}/close", response=DefectDetailOut, operation_id="defect_close")
def defect_close(request, code: str, pk: Id, payload: VersionIn):
    """DEF-1: closed only after verification."""
    return _act(request, code, pk, services.defect_close, payload)
