"""Alarms and incidents over HTTP: the gateway's ``POST /events`` (INC-1); incidents: list,
export, detail, open, close (DUTY-10, OPS-10)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Body, Field, Router, Schema

from zhiban.core.actors import Source
from zhiban.core.api import Id, Text, add_crud, centre_of

from . import events, selectors, services
from .resources import INCIDENTS

router = Router()


class ItemOut(Schema):
    index: int
    id: str
    status: str  # accepted | duplicate | rejected
    reason: str = ""


class EventsOut(Schema):
    accepted: int
    duplicate: int
    rejected: int
    items: list[ItemOut]


Batch = Annotated[list[Any], Body(...), Field(max_length=events.MAX_BATCH)]


@router.post("/events", response=EventsOut, tags=["alarms"], operation_id="events_ingest")
def events_ingest(request, payload: Batch):
    """INC-1: a batch of up to 1,000 events (the format is in ``alarms/events.py``). Each item
    is answered: accepted, duplicate (already stored: sending again is safe) or rejected with
    the reason; valid items are stored even when others in the batch are bad."""
    results = services.events_ingest(
        actor=request.user,
        source=Source.API,
        items=[events.parse(item) for item in payload],
        channel="http",
    )
    tally = {"accepted": 0, "duplicate": 0, "rejected": 0}
    for result in results:
        tally[result.status] += 1
    return {**tally, "items": [vars(r) for r in results]}


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
