"""Incidents over HTTP: list, export, detail, open, close (DUTY-10, OPS-10)."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from zhiban.core.actors import Source
from zhiban.core.api import Id, Text, add_crud, centre_of

from . import selectors, services
from .resources import INCIDENTS

router = Router()


class IncidentOut(Schema):
    id: int
    site_id: int | None
    title: str
    description: str
    opened_at: datetime
    opened_by_id: int
    state: str
    closed_at: datetime | None
    closing_note: str
    version: int


class IncidentIn(Schema):
    site: Id | None = None
    title: Text
    description: str = ""
    opened_at: datetime


class CloseIn(Schema):
    version: Id
    note: Text


add_crud(router, INCIDENTS, path="incidents", out=IncidentOut, create_in=IncidentIn, tag="alarms")


@router.post("/centres/{code}/incidents/{pk}/close", response=IncidentOut, tags=["alarms"])
def incident_close(request, code: str, pk: Id, payload: CloseIn):
    centre = centre_of(request, code)
    incident = selectors.incident_get(user=request.user, centre=centre, pk=pk)
    services.incident_close(
        actor=request.user,
        source=Source.API,
        incident_id=incident.pk,
        version=payload.version,
        data={"note": payload.note},
    )
    return selectors.incident_get(user=request.user, centre=centre, pk=pk)
