"""The duty API's handover (DUTY-3, DUTY-4, DUTY-5, DUTY-10): prepare, check, offer and
accept it, acknowledge, question, clarify or hand over running its items, print it. Its own
router beside ``duty.api``'s (mounted in ``zhiban.api``), so that neither module passes about
800 lines (DESIGN: Layout)."""

from datetime import datetime

from ninja import Field, Router, Schema, Status

from zhiban.core.actors import Source
from zhiban.core.api import Id, Text, VersionIn, add_crud, centre_of
from zhiban.core.errors import NotFound
from zhiban.core.pdf import pdf_response

from . import pdf, selectors, services
from .api import ShiftOut
from .models import HandoverItem, RosterEntry
from .resources import HANDOVERS

router = Router(tags=["duty"])
API = Source.API


class HandoverItemOut(Schema):
    id: int
    kind: str
    text: str
    detail: str
    link: str
    state: str
    unclear_note: str
    clarification: str
    acknowledged_by_id: int | None
    acknowledged_at: datetime | None
    handled_by: str
    expected_at: datetime | None
    handed_over_by_id: int | None
    handed_over_at: datetime | None
    version: int


class CheckOut(Schema):
    id: int
    name: str
    state: str
    note: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.check_item.name


class HandoverOut(Schema):
    id: int
    outgoing_shift: ShiftOut
    incoming_shift: ShiftOut
    state: str
    work_done: str
    notes: str
    outgoing_signed_by_id: int | None
    outgoing_signed_at: datetime | None
    incoming_signed_by_id: int | None
    incoming_signed_at: datetime | None
    items: list[HandoverItemOut]
    checks: list[CheckOut]
    late: list[str]
    version: int

    @staticmethod
    def resolve_items(obj) -> list:
        return list(obj.items.all())

    @staticmethod
    def resolve_checks(obj) -> list:
        return list(obj.checks.select_related("check_item"))

    @staticmethod
    def resolve_late(obj) -> list[str]:
        """People of either shift flagged late at sign-in (DUTY-2)."""
        late = RosterEntry.objects.filter(
            shift__in=[obj.outgoing_shift_id, obj.incoming_shift_id], late=True
        ).select_related("person")
        return [e.person.name for e in late]


class PrepareIn(Schema):
    shift: Id | None = None


class NotesIn(Schema):
    version: Id
    work_done: Text = ""
    notes: Text = ""


class CheckIn(Schema):
    version: Id
    state: str = Field(max_length=10)
    note: str = Field("", max_length=300)


class UnclearIn(Schema):
    version: Id
    note: Text


class ClarifyIn(Schema):
    version: Id
    clarification: Text


class RunningIn(Schema):
    version: Id
    handled_by: str = Field(max_length=100, examples=["远动班 张工"])
    expected_at: datetime


add_crud(router, HANDOVERS, path="handovers", out=HandoverOut, tag="duty")


def _handover(request, code, pk):
    centre = centre_of(request, code)
    return selectors.handover_get(user=request.user, centre=centre, pk=pk)


@router.post(
    "/centres/{code}/handovers", response={201: HandoverOut}, operation_id="handover_prepare"
)
def handover_prepare(request, code: str, payload: PrepareIn):
    """The outgoing side opens the handover of the current shift (or the given one)."""
    centre = centre_of(request, code)
    return Status(
        201,
        services.handover_prepare(
            actor=request.user, source=API, centre=centre, shift_id=payload.shift
        ),
    )


@router.post(
    "/centres/{code}/handovers/{pk}/refresh", response=HandoverOut, operation_id="handover_refresh"
)
def handover_refresh(request, code: str, pk: Id, payload: VersionIn):
    h = _handover(request, code, pk)
    return services.handover_refresh(
        actor=request.user, source=API, handover_id=h.pk, version=payload.version
    )


@router.post(
    "/centres/{code}/handovers/{pk}/notes", response=HandoverOut, operation_id="handover_notes"
)
def handover_notes(request, code: str, pk: Id, payload: NotesIn):
    h = _handover(request, code, pk)
    return services.handover_write_notes(
        actor=request.user,
        source=API,
        handover_id=h.pk,
        version=payload.version,
        data=payload.dict(exclude={"version"}),
    )


@router.post(
    "/centres/{code}/handovers/{pk}/checks/{check}",
    response=HandoverOut,
    operation_id="handover_check",
)
def handover_check(request, code: str, pk: Id, check: Id, payload: CheckIn):
    h = _handover(request, code, pk)
    return services.handover_check(
        actor=request.user,
        source=API,
        handover_id=h.pk,
        version=payload.version,
        check_id=check,
        data=payload.dict(exclude={"version"}),
    )


@router.post(
    "/centres/{code}/handovers/{pk}/offer", response=HandoverOut, operation_id="handover_offer"
)
def handover_offer(request, code: str, pk: Id, payload: VersionIn):
    """The outgoing side signs (refused while something blocks, DUTY-10)."""
    h = _handover(request, code, pk)
    return services.handover_offer(
        actor=request.user, source=API, handover_id=h.pk, version=payload.version
    )


@router.post(
    "/centres/{code}/handovers/{pk}/accept", response=HandoverOut, operation_id="handover_accept"
)
def handover_accept(request, code: str, pk: Id, payload: VersionIn):
    """The incoming side signs and takes over (refused while an item is unclear, DUTY-4)."""
    h = _handover(request, code, pk)
    return services.handover_accept(
        actor=request.user, source=API, handover_id=h.pk, version=payload.version
    )


@router.get(
    "/centres/{code}/handovers/{pk}/pdf",
    operation_id="handover_pdf",
    openapi_extra={"responses": {200: {"description": "PDF"}}},
)
def handover_pdf(request, code: str, pk: Id):
    """The handover record as a printable PDF with Chinese text (RPT-3)."""
    h = _handover(request, code, pk)
    return pdf_response(pdf.handover_pdf(h), f"handover-{h.pk}.pdf")


def _item(request, code, pk):
    centre = centre_of(request, code)
    item = HandoverItem.objects.filter(handover__centre=centre, pk=pk).first()
    if item is None:
        raise NotFound()
    return item


@router.post(
    "/centres/{code}/handover-items/{pk}/acknowledge",
    response=HandoverItemOut,
    operation_id="handover_item_acknowledge",
)
def item_acknowledge(request, code: str, pk: Id, payload: VersionIn):
    item = _item(request, code, pk)
    return services.handover_item_acknowledge(
        actor=request.user, source=API, item_id=item.pk, version=payload.version
    )


@router.post(
    "/centres/{code}/handover-items/{pk}/unclear",
    response=HandoverItemOut,
    operation_id="handover_item_unclear",
)
def item_unclear(request, code: str, pk: Id, payload: UnclearIn):
    item = _item(request, code, pk)
    return services.handover_item_mark_unclear(
        actor=request.user,
        source=API,
        item_id=item.pk,
        version=payload.version,
        data={"note": payload.note},
    )


@router.post(
    "/centres/{code}/handover-items/{pk}/clarify",
    response=HandoverItemOut,
    operation_id="handover_item_clarify",
)
def item_clarify(request, code: str, pk: Id, payload: ClarifyIn):
    item = _item(request, code, pk)
    return services.handover_item_clarify(
        actor=request.user,
        source=API,
        item_id=item.pk,
        version=payload.version,
        data={"clarification": payload.clarification},
    )


@router.post(
    "/centres/{code}/handover-items/{pk}/hand-over-running",
    response=HandoverItemOut,
    operation_id="handover_item_hand_over_running",
)
def item_hand_over_running(request, code: str, pk: Id, payload: RunningIn):
    """The outgoing side hands an open incident over as running: who is on it and when it
    should end; it then no longer blocks the handover (DUTY-10)."""
    item = _item(request, code, pk)
    return services.handover_item_hand_over_running(
        actor=request.user,
        source=API,
        item_id=item.pk,
        version=payload.version,
        data=payload.dict(exclude={"version"}),
    )
