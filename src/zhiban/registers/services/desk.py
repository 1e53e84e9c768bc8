"""The desk registers (REG-3 … REG-6): an entry is written through its form, then closed
once — an item lent is returned (REG-4), a found item handed back against a proof (REG-5), a
phone message or a repair done with its result (REG-3, REG-6). Closing twice is refused naming
the register's rule and writes nothing. A phone message tells the person it is passed to;
``loans_chase`` (a job) tells the desk of items not back in time, once each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit
from zhiban.core.actors import SCHEDULER, Source
from zhiban.core.errors import Refused
from zhiban.core.models import Level
from zhiban.core.notify import Message, notify
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import locked, save_change, validated
from zhiban.core.timewindow import shown

from ..forms.desk import (
    FoundItemForm,
    HandBackForm,
    LoanForm,
    PhoneMessageForm,
    RepairForm,
    ResultForm,
    ReturnForm,
)
from ..models import FoundItem, Loan, LoanState, PhoneMessage, Repair
from .common import entry_create
from .hotel import desk, refresh


def _create(*, actor, source, centre, data, form_class, verb: str, prepare=None):
    entry = entry_create(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=form_class,
        verb=verb,
        prepare=prepare,
    )
    refresh(centre)
    return entry


def _close(
    *,
    actor,
    source,
    model,
    pk,
    version: int,
    form_class,
    data,
    action: str,
    verb: str,
    once,
    apply: Callable,
):
    """The one step closing an entry: locked with the version read, the form checked, a
    second close refused with ``once`` (naming the rule), ``apply(entry, cleaned, at)``."""
    entry = locked(model.objects.select_related("centre"), pk, version)
    require(actor, Action.REGISTER_KEEP, entry.centre)
    cleaned = validated(form_class, data, centre=entry.centre).cleaned_data
    rule = model.FLOW.rule
    if not model.FLOW.allows(entry.state, action):
        raise Refused(str(once) % {"entry": entry, "rule": rule}, code="closed", rule=rule)
    before = audit.snapshot(entry)
    entry.state = model.FLOW.next_state(entry.state, action)
    apply(entry, cleaned, cleaned.get("at") or timezone.now())
    save_change(entry, actor=actor, source=source, verb=verb, before=before)
    refresh(entry.centre)
    return entry


def _not_before(at: datetime, start: datetime, entry, rule: str) -> None:
    if at < start:
        raise Refused(
            _("%(at)s is before %(start)s, when “%(entry)s” was written down (%(rule)s).")
            % {
                "at": shown(at, entry.centre.tz),
                "start": shown(start, entry.centre.tz),
                "entry": entry,
                "rule": rule,
            },
            code="before_start",
            rule=rule,
        )


# item lending (REG-4)


@transaction.atomic
def loan_create(*, actor, source, centre, data) -> Loan:
    """An item lent: what, to whom, where, when, due back when (after lent, REG-4)."""
    return _create(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=LoanForm,
        verb="loan.create",
    )


@transaction.atomic
def loan_return(*, actor, source, loan_id, version: int, data) -> Loan:
    """The item is back (REG-4); a second return is refused."""

    def apply(loan: Loan, cleaned: dict, at: datetime) -> None:
        _not_before(at, loan.lent_at, loan, "REG-4")
        loan.returned_at = at

    return _close(
        actor=actor,
        source=source,
        model=Loan,
        pk=loan_id,
        version=version,
        form_class=ReturnForm,
        data=data,
        action="return",
        verb="loan.return",
        once=gettext_lazy("“%(entry)s” was returned already: an item is returned once (%(rule)s)."),
        apply=apply,
    )


def loans_chase(*, now: datetime | None = None) -> int:
    """Tell each centre's desk of every item lent and not back by its due time, once (REG-4).
    Returns how many were chased."""
    now = now or timezone.now()
    due = Loan.objects.filter(state=LoanState.LENT, due_at__lte=now, chased_at__isnull=True)
    return sum(_chase(pk, now) for pk in list(due.values_list("pk", flat=True)[:500]))


@transaction.atomic
def _chase(pk: int, now: datetime) -> int:
    loan = (
        Loan.objects.select_for_update(of=("self",))  # not the centre: see _deadline_step
        .select_related("centre")
        .filter(pk=pk, state=LoanState.LENT, chased_at__isnull=True)
        .first()
    )
    if loan is None:
        return 0
    centre = loan.centre
    notify(
        actor=SCHEDULER,
        source=Source.JOB,
        people=desk(centre),
        centre=centre,
        title=Message(
            gettext_lazy("Not returned in time: %(item)s lent to %(borrower)s (%(place)s) (REG-4)"),
            {"item": loan.item, "borrower": loan.borrower, "place": loan.place},
        ),
        link=f"/c/{centre.code}/registers/loans/{loan.pk}/",
        level=Level.WARNING,
        regarding=loan,
    )
    loan.chased_at = now
    loan.save(update_fields=["chased_at"])
    refresh(centre)
    return 1


# lost and found (REG-5)


@transaction.atomic
def found_item_create(*, actor, source, centre, data) -> FoundItem:
    """A found item: found where and when, by whom, kept where (REG-5)."""
    return _create(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=FoundItemForm,
        verb="found_item.create",
    )


@transaction.atomic
def found_item_hand_back(*, actor, source, item_id, version: int, data) -> FoundItem:
    """The item handed back to whom, against which proof (REG-5); a second time is refused."""

    def apply(item: FoundItem, cleaned: dict, at: datetime) -> None:
        _not_before(at, item.found_at, item, "REG-5")
        item.claimant = cleaned["claimant"]
        item.proof_kind = cleaned["proof_kind"]
        item.proof_number = cleaned["proof_number"]
        item.handed_back_at = at

    return _close(
        actor=actor,
        source=source,
        model=FoundItem,
        pk=item_id,
        version=version,
        form_class=HandBackForm,
        data=data,
        action="hand_back",
        verb="found_item.hand_back",
        once=gettext_lazy(
            "“%(entry)s” was handed back already: a found item is handed back once (%(rule)s)."
        ),
        apply=apply,
    )


# phone messages (REG-3)


@transaction.atomic
def phone_message_create(*, actor, source, centre, data) -> PhoneMessage:
    """A phone message with what was read back to the caller, passed to the person of the
    centre who must act, who is told (REG-3)."""
    message = _create(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=PhoneMessageForm,
        verb="phone_message.create",
    )
    notify(
        actor=actor,
        source=source,
        people=[message.routed_to],
        centre=centre,
        title=Message(
            gettext_lazy("Phone message from %(caller)s (%(place)s) for you (REG-3)"),
            {"caller": message.caller, "place": message.place},
        ),
        body=message.content,
        link=f"/c/{centre.code}/registers/phone-messages/{message.pk}/",
        regarding=message,
    )
    return message


@transaction.atomic
def phone_message_done(*, actor, source, message_id, version: int, data) -> PhoneMessage:
    """The message acted on, with the result (REG-3); a second time is refused."""
    return _done(PhoneMessage, "phone_message.done", actor, source, message_id, version, data)


# equipment faults and repairs (REG-6)


@transaction.atomic
def repair_create(*, actor, source, centre, data) -> Repair:
    """A fault reported: what, the fault, when and by whom, who repairs (REG-6)."""
    return _create(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=RepairForm,
        verb="repair.create",
    )


@transaction.atomic
def repair_done(*, actor, source, repair_id, version: int, data) -> Repair:
    """The repair closed with its result (REG-6); a second time is refused."""
    return _done(Repair, "repair.done", actor, source, repair_id, version, data)


def _done(model, verb: str, actor, source, pk, version: int, data):
    start = "at" if model is PhoneMessage else "reported_at"

    def apply(entry, cleaned: dict, at: datetime) -> None:
        _not_before(at, getattr(entry, start), entry, model.FLOW.rule)
        entry.result = cleaned["result"]
        entry.done_at = at

    return _close(
        actor=actor,
        source=source,
        model=model,
        pk=pk,
        version=version,
        form_class=ResultForm,
        data=data,
        action="done",
        verb=verb,
        once=gettext_lazy("“%(entry)s” is done already: its result is recorded once (%(rule)s)."),
        apply=apply,
    )
