"""Footage access over HTTP (REG-2): requests (list with filters, .xlsx export, detail, create),
the leader's approve / refuse, and the accesses recorded against a request."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema, Status

from zhiban.core.actors import Source
from zhiban.core.api import CappedPagination, Id, add_crud, centre_of

from ..resources.footage import FOOTAGE_LIST
from ..selectors import footage as selectors
from ..services import footage as services
from .common import Note, RegisterEntryOut, add_decisions

router = Router()
TAG = "registers: footage access"
PATH = "registers/footage"
Short = Annotated[str, Field(max_length=60)]
Unit = Annotated[str, Field(max_length=100)]
Reason = Annotated[str, Field(max_length=500)]


class FootageIn(Schema):
    requester_name: Short
    requester_unit: Unit
    reason: Reason
    site: Id
    camera: Id
    span_from: datetime
    span_until: datetime
    window_from: datetime
    window_until: datetime


class FootageOut(RegisterEntryOut):
    id: int
    requester_name: str
    requester_unit: str
    reason: str
    site_id: int
    camera_id: int
    span_from: datetime
    span_until: datetime
    window_from: datetime
    window_until: datetime
    retention_end: datetime
    overwrite_warning: str

    @staticmethod
    def resolve_retention_end(obj) -> datetime:
        return selectors.retention_end(obj)

    @staticmethod
    def resolve_overwrite_warning(obj) -> str:
        return selectors.overwrite_warning(obj)


class FootageAccessIn(Schema):
    version: Id
    kind: Annotated[str, Field(max_length=10)]
    at: datetime | None = None
    note: Note = ""


class FootageAccessOut(Schema):
    id: int
    request_id: int
    kind: str
    at: datetime
    by_id: int | None
    note: str
    created_at: datetime


# a provincial centre files a hundred thousand requests a year: counted up to 1,000 (the exact
# COUNT(*) was the slowest statement of the list; docs/performance.md, footage access)
add_crud(
    router,
    FOOTAGE_LIST,
    path=PATH,
    out=FootageOut,
    create_in=FootageIn,
    tag=TAG,
    pagination=CappedPagination,
)
add_decisions(
    router, FOOTAGE_LIST, path=PATH, out=FootageOut, decide=services.footage_request_decide, tag=TAG
)


@router.get(
    "/centres/{code}/" + PATH + "/{pk}/accesses",
    response=list[FootageAccessOut],
    tags=[TAG],
    operation_id="footage_access_list",
)
def footage_access_list(request, code: str, pk: Id):
    """Every viewing, copy or download recorded against the request, latest first."""
    obj = selectors.footage_get(user=request.user, centre=centre_of(request, code), pk=pk)
    return selectors.access_list(obj)


@router.post(
    "/centres/{code}/" + PATH + "/{pk}/accesses",
    response={201: FootageAccessOut},
    tags=[TAG],
    operation_id="footage_access_record",
)
def footage_access_record(request, code: str, pk: Id, payload: FootageAccessIn):
    """Record a viewing, copy or download (``at`` empty: now) with the request's version:
    refused naming REG-2 unless approved and inside its access window."""
    obj = selectors.footage_get(user=request.user, centre=centre_of(request, code), pk=pk)
    data = payload.dict()
    version = data.pop("version")
    access = services.footage_access_record(
        actor=request.user, source=Source.API, request_id=obj.pk, version=version, data=data
    )
    return Status(201, access)
