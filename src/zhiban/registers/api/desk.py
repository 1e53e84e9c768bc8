"""The desk registers over HTTP (REG-3 … REG-6): list with filters, .xlsx export, detail and
create of each; an item returned (REG-4), a found item handed back against a proof (REG-5), a
phone message or a repair done with its result (REG-3, REG-6) — each once, with the version
read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from ninja import Field, Router, Schema

from zhiban.core.api import Id, add_crud

from ..resources.desk import FOUND_ITEM_LIST, LOAN_LIST, PHONE_MESSAGE_LIST, REPAIR_LIST
from ..services import desk as services
from .steps import step

router = Router()
LOAN_TAG = "registers: item lending"
FOUND_TAG = "registers: lost and found"
PHONE_TAG = "registers: phone messages"
REPAIR_TAG = "registers: equipment repairs"
LOANS = "registers/loans"
FOUND = "registers/found-items"
PHONE = "registers/phone-messages"
REPAIRS = "registers/repairs"


T10 = Annotated[str, Field(max_length=10)]
T20 = Annotated[str, Field(max_length=20)]
T60 = Annotated[str, Field(max_length=60)]
T100 = Annotated[str, Field(max_length=100)]
T200 = Annotated[str, Field(max_length=200)]
T500 = Annotated[str, Field(max_length=500)]
T5000 = Annotated[str, Field(max_length=5000)]


class EntryOut(Schema):
    id: int
    state: str
    recorded_by_id: int | None
    created_at: datetime
    version: int


class LoanIn(Schema):
    item: T100
    borrower: T60
    place: T60
    lent_at: datetime
    due_at: datetime


class LoanOut(EntryOut):
    item: str
    borrower: str
    place: str
    lent_at: datetime
    due_at: datetime
    returned_at: datetime | None


class FoundItemIn(Schema):
    item: T200
    found_where: T100
    found_at: datetime
    found_by: T60
    kept_where: T100


class FoundItemOut(EntryOut):
    item: str
    found_where: str
    found_at: datetime
    found_by: str
    kept_where: str
    claimant: str
    proof_kind: str
    proof_number: str
    handed_back_at: datetime | None


class PhoneMessageIn(Schema):
    at: datetime
    caller: T60
    place: T100
    phone: T20 = ""
    content: T5000
    read_back: T5000
    routed_to: Id


class PhoneMessageOut(EntryOut):
    at: datetime
    caller: str
    place: str
    phone: str
    content: str
    read_back: str
    routed_to_id: int
    result: str
    done_at: datetime | None


class RepairIn(Schema):
    equipment: T100
    fault: T500
    reported_at: datetime
    reported_by: T60
    repairer: T100


class RepairOut(EntryOut):
    equipment: str
    fault: str
    reported_at: datetime
    reported_by: str
    repairer: str
    result: str
    done_at: datetime | None


class ReturnIn(Schema):
    version: Id
    at: datetime | None = None


class HandBackIn(Schema):
    version: Id
    claimant: T60
    proof_kind: T10
    proof_number: T100
    at: datetime | None = None


class ResultIn(Schema):
    version: Id
    result: T500
    at: datetime | None = None


add_crud(router, LOAN_LIST, path=LOANS, out=LoanOut, create_in=LoanIn, tag=LOAN_TAG)
add_crud(
    router, FOUND_ITEM_LIST, path=FOUND, out=FoundItemOut, create_in=FoundItemIn, tag=FOUND_TAG
)
add_crud(
    router,
    PHONE_MESSAGE_LIST,
    path=PHONE,
    out=PhoneMessageOut,
    create_in=PhoneMessageIn,
    tag=PHONE_TAG,
)
add_crud(router, REPAIR_LIST, path=REPAIRS, out=RepairOut, create_in=RepairIn, tag=REPAIR_TAG)


@router.post(
    "/centres/{code}/" + LOANS + "/{pk}/return",
    response=LoanOut,
    tags=[LOAN_TAG],
    operation_id="loan_return",
)
def loan_return(request, code: str, pk: Id, payload: ReturnIn):
    """The item is back (``at`` empty: now); a second return is refused naming REG-4."""
    return step(LOAN_LIST, services.loan_return, "loan_id")(request, code, pk, payload)


@router.post(
    "/centres/{code}/" + FOUND + "/{pk}/hand-back",
    response=FoundItemOut,
    tags=[FOUND_TAG],
    operation_id="found_item_hand_back",
)
def found_item_hand_back(request, code: str, pk: Id, payload: HandBackIn):
    """Handed back to whom against which proof (``id_card``, ``passport``, ``other_id``,
    ``other`` and its number or description); a second time is refused naming REG-5."""
    return step(FOUND_ITEM_LIST, services.found_item_hand_back, "item_id")(
        request, code, pk, payload
    )


@router.post(
    "/centres/{code}/" + PHONE + "/{pk}/done",
    response=PhoneMessageOut,
    tags=[PHONE_TAG],
    operation_id="phone_message_done",
)
def phone_message_done(request, code: str, pk: Id, payload: ResultIn):
    """The message acted on, with the result; a second time is refused naming REG-3."""
    return step(PHONE_MESSAGE_LIST, services.phone_message_done, "message_id")(
        request, code, pk, payload
    )


@router.post(
    "/centres/{code}/" + REPAIRS + "/{pk}/done",
    response=RepairOut,
    tags=[REPAIR_TAG],
    operation_id="repair_done",
)
def repair_done(request, code: str, pk: Id, payload: ResultIn):
    """The repair closed with its result; a second time is refused naming REG-6."""
    return step(REPAIR_LIST, services.repair_done, "repair_id")(request, code, pk, payload)
