"""The hotel room centre's registers over HTTP: wake-up calls with their attempts and the
floor attendant sent (REG-7); the do-not-disturb check with its call and outcome (REG-8).
List with filters, .xlsx export, detail, create; every step carries the version read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema

from zhiban.core.api import Id, add_crud

from ..resources.hotel import DND_CHECK_LIST, WAKE_UP_CALL_LIST
from ..services import hotel as services
from .steps import step

router = Router()
TAG = "registers: wake-up calls"
DND_TAG = "registers: do-not-disturb check"
PATH = "registers/wake-up-calls"
DND_PATH = "registers/dnd-checks"
Room = Annotated[str, Field(max_length=20)]
Short = Annotated[str, Field(max_length=60)]


class WakeUpCallIn(Schema):
    room: Room
    wake_at: datetime
    guest_name: Short = ""
    requested_by: Short
    requested_at: datetime | None = None


class AttemptOut(Schema):
    result: str
    at: datetime
    by_id: int | None
    note: str


class WakeUpCallOut(Schema):
    id: int
    room: str
    guest_name: str
    wake_at: datetime
    requested_by: str
    requested_at: datetime
    state: str
    due_at: datetime | None
    attendant: str
    attendant_sent_at: datetime | None
    attendant_found: str
    attempts: list[AttemptOut]
    recorded_by_id: int | None
    created_at: datetime
    version: int

    @staticmethod
    def resolve_attempts(obj) -> list:
        return list(obj.attempts.all())


class AttemptIn(Schema):
    version: Id
    result: Annotated[str, Field(max_length=12)]
    at: datetime | None = None
    note: Annotated[str, Field("", max_length=200)] = ""


class AttendantIn(Schema):
    version: Id
    attendant: Short
    sent_at: datetime | None = None
    found: Annotated[str, Field(max_length=500)]


class DndCheckIn(Schema):
    room: Room
    listed_at: datetime | None = None


class DndCheckOut(Schema):
    id: int
    room: str
    day: str
    listed_at: datetime
    state: str
    called_at: datetime | None
    call_result: str
    notified_at: datetime | None
    outcome: str
    recorded_by_id: int | None
    created_at: datetime
    version: int

    @staticmethod
    def resolve_day(obj) -> str:
        return obj.day.isoformat()


class OutcomeIn(Schema):
    version: Id
    outcome: Annotated[str, Field(max_length=500)]


add_crud(router, WAKE_UP_CALL_LIST, path=PATH, out=WakeUpCallOut, create_in=WakeUpCallIn, tag=TAG)
add_crud(router, DND_CHECK_LIST, path=DND_PATH, out=DndCheckOut, create_in=DndCheckIn, tag=DND_TAG)


@router.post(
    "/centres/{code}/" + PATH + "/{pk}/attempts",
    response=WakeUpCallOut,
    tags=[TAG],
    operation_id="wake_up_call_attempt",
)
def wake_up_call_attempt(request, code: str, pk: Id, payload: AttemptIn):
    """A call made to the room: ``answered``, ``no_answer`` or ``busy`` (``at`` empty: now).
    A miss makes the second call due; a second miss asks for a floor attendant (REG-7)."""
    return step(WAKE_UP_CALL_LIST, services.wake_up_attempt, "call_id")(request, code, pk, payload)


@router.post(
    "/centres/{code}/" + PATH + "/{pk}/attendant",
    response=WakeUpCallOut,
    tags=[TAG],
    operation_id="wake_up_call_attendant",
)
def wake_up_call_attendant(request, code: str, pk: Id, payload: AttendantIn):
    """The floor attendant sent after two missed calls and what they found (REG-7)."""
    return step(WAKE_UP_CALL_LIST, services.wake_up_attendant, "call_id")(
        request, code, pk, payload
    )


@router.post(
    "/centres/{code}/" + DND_PATH + "/{pk}/call",
    response=DndCheckOut,
    tags=[DND_TAG],
    operation_id="dnd_check_call",
)
def dnd_check_call(request, code: str, pk: Id, payload: AttemptIn):
    """The DND room phoned: answered is done; no answer tells the assistant manager and the
    floor supervisor (REG-8)."""
    return step(DND_CHECK_LIST, services.dnd_check_call, "check_id")(request, code, pk, payload)


@router.post(
    "/centres/{code}/" + DND_PATH + "/{pk}/outcome",
    response=DndCheckOut,
    tags=[DND_TAG],
    operation_id="dnd_check_outcome",
)
def dnd_check_outcome(request, code: str, pk: Id, payload: OutcomeIn):
    """What was found after the room did not answer (REG-8)."""
    return step(DND_CHECK_LIST, services.dnd_check_outcome, "check_id")(request, code, pk, payload)
