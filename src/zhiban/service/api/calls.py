"""The hotline's calls over HTTP (issue 12 item 9, CS-1, CS-6).

- ``POST /api/service/calls``: one event of the telephone system per request, in Zammad's
  generic CTI shape (``service/cti.py``), as JSON or form data, with a personal token of a
  gateway account of the customer-service centre (``Authorization: Bearer zb_…``, or
  ``?token=zb_…`` for adapters that take only an address, as Zammad's do). Idempotent by
  centre and ``callId``: a replay answers 200 with the call as it is and stores nothing.
- The caller log: ``GET /api/service/{code}/calls`` (filters: day, direction, missed,
  waiting, agent, q), its .xlsx export, one call, and ``POST …/calls/{pk}/take`` — an agent
  takes a missed call from the morning queue (CS-6; 409 naming who took it first).
"""

from __future__ import annotations

from copy import copy
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import APIKeyQuery

from zhiban.core.actors import Source
from zhiban.core.api import (
    XLSX,
    ErrorOut,
    Id,
    Pagination,
    VersionIn,
    centre_of,
    filter_schema,
)
from zhiban.core.api_auth import unsupported_media_type
from zhiban.core.errors import InvalidInput
from zhiban.core.exports import xlsx_response
from zhiban.org.tokens import TokenAuth, credential

from .. import cti
from ..resources.calls import CALLS, CallFilter
from ..selectors import calls as selectors
from ..services import calls as services

TAG = "service: calls"
router = Router(tags=[TAG])
C = "/service/{code}/calls"


class QueryToken(APIKeyQuery):
    """A personal token in the address (``?token=zb_…``), for the telephone system's adapters
    that are given an address only (Zammad's generic CTI puts its token there)."""

    param_name = "token"

    def authenticate(self, request, key):
        found = credential(key or "")
        if found is None:
            return None
        request.credential = found  # counted by the API's per-token throttle
        request.user = copy(found.person)
        translation.activate(found.person.language)
        return request.user


class CallEventOut(Schema):
    """The call after the event, as stored (a replay: unchanged)."""

    id: int
    call_id: str
    direction: str
    state: str
    number: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    answered_by_id: int | None
    cause: str
    missed: bool
    customer_id: int | None
    case_id: int | None
    version: int


class PhoneCallOut(CallEventOut):
    """A call of the caller log."""

    from_number: str
    to_number: str
    queue: str
    agents: list[str]
    answered_by_name: str
    customer_name: str
    case_number: str
    recording: str
    duration_seconds: int | None
    taken_by_id: int | None
    taken_at: datetime | None
    called_back_at: datetime | None
    callback_id: int | None

    @staticmethod
    def resolve_answered_by_name(obj) -> str:
        return obj.answered_by.name if obj.answered_by_id else ""

    @staticmethod
    def resolve_customer_name(obj) -> str:
        return obj.customer.name if obj.customer_id else ""

    @staticmethod
    def resolve_case_number(obj) -> str:
        return obj.case.number if obj.case_id else ""

    @staticmethod
    def resolve_duration_seconds(obj) -> int | None:
        spent = selectors.duration(obj)
        return None if spent is None else int(spent.total_seconds())

    @staticmethod
    def resolve_agents(obj) -> list[str]:
        return [str(a) for a in obj.agents] if isinstance(obj.agents, list) else []


_EVENT_FIELDS = {
    "event": {"type": "string", "enum": list(cti.EVENTS)},
    "callId": {"type": "string", "minLength": 1, "maxLength": 250},
    "from": {"type": "string", "maxLength": 40},
    "to": {"type": "string", "maxLength": 40},
    "direction": {"type": "string", "enum": list(cti.DIRECTIONS)},
    "user": {
        "anyOf": [
            {"type": "string", "maxLength": 60},
            {"type": "array", "items": {"type": "string", "maxLength": 60}, "maxItems": 20},
        ]
    },
    "queue": {"type": "string", "maxLength": 60},
    "cause": {"type": "string", "enum": list(cti.CAUSES)},
    "answeringNumber": {"type": "string", "maxLength": 60},
    "recording": {"type": "string", "maxLength": 500},
    "time": {"type": "string", "format": "date-time"},
    "centre": {"type": "string", "maxLength": 40},
}
_EVENT_SCHEMA = {
    "type": "object",
    "title": "CallEventIn",
    "required": ["event", "callId"],
    "properties": _EVENT_FIELDS,
}
_FORM_SCHEMA = {
    **_EVENT_SCHEMA,
    "properties": {
        **{k: v for k, v in _EVENT_FIELDS.items() if k != "user"},
        "user[]": {"type": "array", "items": {"type": "string", "maxLength": 60}},
    },
}


@router.post(
    "/service/calls",
    response={
        200: CallEventOut,
        400: ErrorOut,
        404: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
    },
    auth=[TokenAuth(), QueryToken()],
    tags=[TAG],
    operation_id="call_event",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _EVENT_SCHEMA},
                "application/x-www-form-urlencoded": {"schema": _FORM_SCHEMA},
                "multipart/form-data": {"schema": _FORM_SCHEMA},
            },
        }
    },
)
def call_event(request):
    """One event of the telephone system (Zammad's generic CTI: ``newCall``, ``answer``,
    ``hangup``; see ``service/cti.py``), for the centre where the token's person is the
    gateway (or the one ``centre`` names). Stored once per call id; the answering agent's
    screen shows the caller (the live pop); an incoming call hung up unanswered is a missed
    call in the morning queue (CS-6). ``time`` is checked against the centre's window (ORG-4)."""
    try:
        data = cti.body_of(request)
    except cti.UnsupportedBody as error:
        return Status(415, {**unsupported_media_type(), "message": str(error)})
    except cti.UnreadableBody as error:
        raise InvalidInput(fields={"body": [str(error)]}) from None
    event = cti.read(data)
    return services.call_event_record(actor=request.user, source=Source.API, event=event)


# --- the caller log (CS-1, CS-6) ------------------------------------------------------------------

PhoneCallFilters = filter_schema(CallFilter, "PhoneCallFilters")


def _filtered(request, centre, filters):
    data = {k: v for k, v in filters.dict().items() if v is not None}
    found = CallFilter(
        data, queryset=selectors.call_list(user=request.user, centre=centre), request=request
    )
    if not found.is_valid():
        raise InvalidInput(fields={k: [str(e) for e in v] for k, v in found.errors.items()})
    return found.qs


def call_list(request, code: str, filters):
    """The centre's calls, newest first; ``day`` is a day of the centre's calendar,
    ``waiting=true`` the missed calls the morning queue shows (CS-6)."""
    return _filtered(request, centre_of(request, code), filters)


# ninja reads a paginated view's signature outside this module, where the string annotations
# of ``from __future__ import annotations`` cannot be resolved: give it the types themselves.
call_list.__annotations__["filters"] = Query[PhoneCallFilters]
router.get(C, response=list[PhoneCallOut], tags=[TAG], operation_id="phone_call_list")(
    paginate(Pagination)(call_list)
)


@router.get(
    C + ".xlsx",
    tags=[TAG],
    operation_id="phone_call_export",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def call_export(request, code: str, filters: Query[PhoneCallFilters]):  # type: ignore[valid-type]
    centre = centre_of(request, code)
    rows = _filtered(request, centre, filters)
    return xlsx_response(CALLS, rows, _("Caller log"), f"{centre.code}-calls")


@router.get(C + "/{pk}", response=PhoneCallOut, tags=[TAG], operation_id="phone_call_get")
def call_get(request, code: str, pk: Id):
    return selectors.call_get(user=request.user, centre=centre_of(request, code), pk=pk)


@router.post(C + "/{pk}/take", response=PhoneCallOut, tags=[TAG], operation_id="missed_call_take")
def missed_call_take(request, code: str, pk: Id, payload: VersionIn):
    """CS-6: take a missed call to call the customer back; the first agent owns it, a second
    is refused naming who took it (409)."""
    centre = centre_of(request, code)
    call = selectors.call_get(user=request.user, centre=centre, pk=pk)
    services.missed_call_take(
        actor=request.user, source=Source.API, call_id=call.pk, version=payload.version
    )
    return selectors.call_get(user=request.user, centre=centre, pk=pk)
