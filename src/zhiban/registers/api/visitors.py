"""The visitor register over HTTP (REG-1): list with filters, .xlsx export, detail, create; the
leader's approve / refuse; arrival and leaving."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema

from zhiban.core.actors import Source
from zhiban.core.api import Id, add_crud, centre_of

from ..resources.visitors import VISITOR_LIST
from ..selectors import visitors as selectors
from ..services import visitors as services
from .common import RegisterEntryOut, add_decisions

router = Router()
TAG = "registers: visitors"
PATH = "registers/visitors"
Short = Annotated[str, Field(max_length=60)]


class VisitorIn(Schema):
    name: Short
    organisation: Annotated[str, Field(max_length=100)]
    reason: Annotated[str, Field(max_length=500)]
    escort: Short


class VisitorOut(RegisterEntryOut):
    id: int
    name: str
    organisation: str
    reason: str
    escort: str
    arrived_at: datetime | None
    left_at: datetime | None


class VisitorMomentIn(Schema):
    version: Id
    at: datetime | None = None


add_crud(router, VISITOR_LIST, path=PATH, out=VisitorOut, create_in=VisitorIn, tag=TAG)
add_decisions(
    router, VISITOR_LIST, path=PATH, out=VisitorOut, decide=services.visitor_decide, tag=TAG
)


def _step(request, code: str, pk: int, payload: VisitorMomentIn, service):
    centre = centre_of(request, code)
    visitor = selectors.visitor_get(user=request.user, centre=centre, pk=pk)
    service(
        actor=request.user,
        source=Source.API,
        visitor_id=visitor.pk,
        version=payload.version,
        data={"at": payload.at},
    )
    return selectors.visitor_get(user=request.user, centre=centre, pk=pk)


@router.post(
    "/centres/{code}/" + PATH + "/{pk}/arrive",
    response=VisitorOut,
    tags=[TAG],
    operation_id="visitor_arrive",
)
def visitor_arrive(request, code: str, pk: Id, payload: VisitorMomentIn):
    """The visitor enters the monitoring room (``at`` empty: now): refused naming REG-1
    before a department leader approved."""
    return _step(request, code, pk, payload, services.visitor_arrive)


@router.post(
    "/centres/{code}/" + PATH + "/{pk}/leave",
    response=VisitorOut,
    tags=[TAG],
    operation_id="visitor_leave",
)
def visitor_leave(request, code: str, pk: Id, payload: VisitorMomentIn):
    """The visitor leaves: refused naming REG-1 before arriving."""
    return _step(request, code, pk, payload, services.visitor_leave)
