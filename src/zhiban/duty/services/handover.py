"""The handover (DUTY-3, DUTY-4, DUTY-5, DUTY-10), its items, carried-over items and the
handover check items of a centre."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live, timewindow
from zhiban.core.errors import Forbidden, NotFound, Refused
from zhiban.core.models import Level
from zhiban.core.notify import Message, notify
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import (
    create_from_form,
    create_in_centre,
    locked,
    save_change,
    update_in_centre,
    validated,
)

from .. import handover_sources, hooks
from ..forms import (
    CarriedItemForm,
    CheckItemForm,
    CheckResultForm,
    ClarifyForm,
    CloseForm,
    HandoverNotesForm,
    RunningIncidentForm,
    UnclearForm,
)
from ..models import (
    CarriedItem,
    CheckItem,
    CheckState,
    Handover,
    HandoverCheck,
    HandoverItem,
    HandoverState,
    ItemKind,
    ItemState,
    LogCategory,
    RosterEntry,
    Shift,
)
from .log import log_write

# --- handover (DUTY-3, DUTY-4, DUTY-5, DUTY-10) ----------------------------------------------


def current_shift(centre, at: datetime | None = None) -> Shift | None:
    at = at or timezone.now()
    return (
        Shift.objects.filter(centre=centre, starts_at__lte=at, ends_at__gt=at)
        .select_related("pattern")
        .first()
    )


def next_shift(shift: Shift) -> Shift | None:
    return (
        Shift.objects.filter(centre=shift.centre, starts_at__gte=shift.ends_at)
        .exclude(pk=shift.pk)
        .order_by("starts_at")
        .select_related("pattern")
        .first()
    )


def _on_shift(actor, shift: Shift) -> bool:
    return RosterEntry.objects.filter(shift=shift, person=actor.pk).exists()


def _require_side(actor, shift: Shift, side: str) -> None:
    if not _on_shift(actor, shift):
        message = (
            _("Only people of the outgoing shift %(shift)s may do this.")
            if side == "outgoing"
            else _("Only people of the incoming shift %(shift)s may do this.")
        )
        raise Forbidden(message % {"shift": shift}, rule="DUTY-5")


def _gather(handover: Handover) -> None:
    """Put every open thing of the centre on the handover once; drop pending items whose
    record is no longer open (DUTY-3)."""
    things = handover_sources.gather(handover.centre)
    existing = {_item_key(i): i for i in handover.items.exclude(kind=ItemKind.CHECK)}
    seen = set()
    for thing in things:
        key = _key(thing)
        seen.add(key)
        if key not in existing:
            ref = thing.ref
            HandoverItem.objects.create(
                handover=handover,
                kind=thing.kind,
                text=thing.text[:300],
                detail=thing.detail,
                link=thing.link,
                content_type=ContentType.objects.get_for_model(ref) if ref is not None else None,
                object_id=str(ref.pk) if ref is not None else "",
            )
    for key, item in existing.items():
        if key not in seen and item.state == ItemState.PENDING:
            item.delete()


def _key(thing) -> tuple:
    ref = thing.ref
    if ref is None:
        return (None, thing.text[:300], thing.kind)
    return (ContentType.objects.get_for_model(ref).pk, str(ref.pk), thing.kind)


def _item_key(item: HandoverItem) -> tuple:
    return (item.content_type_id, item.object_id or item.text, item.kind)


def _refuse_blockers(handover: Handover) -> None:
    """DUTY-10: no handover while an incident is handled or a switching operation runs — unless
    the outgoing side handed the incident over as running on this handover."""
    running = {
        _item_key(item)
        for item in handover.items.filter(kind=ItemKind.INCIDENT, handed_over_at__isnull=False)
    }
    blocking = [t for t in handover_sources.blockers(handover.centre) if _key(t) not in running]
    if not blocking:
        return
    if blocking[0].kind == ItemKind.INCIDENT:
        message = _(
            "No handover while the incident “%(what)s” is being handled: the outgoing side stays "
            "in charge and the incoming side assists, or the outgoing side hands it over as "
            "running, naming who is on it and when it should end."
        )
    else:
        message = _(
            "No handover while “%(what)s” is in progress: the outgoing side stays in charge "
            "and the incoming side assists."
        )
    raise Refused(message % {"what": blocking[0].text}, code="handover_blocked", rule="DUTY-10")


@transaction.atomic
def handover_prepare(*, actor, source, centre, shift_id=None) -> Handover:
    """The outgoing side opens the handover of its shift; Zhiban gathers what is open."""
    require(actor, Action.DUTY_SERVE, centre)
    shift = (
        Shift.objects.filter(centre=centre, pk=shift_id).first()
        if shift_id
        else current_shift(centre)
    )
    if shift is None:
        raise Refused(_("There is no shift on the roster now."), rule="DUTY-1")
    _require_side(actor, shift, "outgoing")
    existing = Handover.objects.filter(outgoing_shift=shift).first()
    if existing is not None:
        return existing
    incoming = next_shift(shift)
    if incoming is None:
        raise Refused(_("The next shift is not on the roster yet."), rule="DUTY-1")
    handover = Handover.objects.create(
        centre=centre, outgoing_shift=shift, incoming_shift=incoming, prepared_by=actor
    )
    HandoverCheck.objects.bulk_create(
        HandoverCheck(handover=handover, check_item=item)
        for item in CheckItem.objects.filter(centre=centre, active=True)
    )
    _gather(handover)
    audit.record(
        actor=actor,
        source=source,
        verb="handover.prepare",
        obj=handover,
        after=audit.snapshot(handover),
    )
    live.refresh_on_commit(centre, "duty-handover")
    return handover


def _locked_handover(handover_id, version) -> Handover:
    return locked(
        Handover.objects.select_related("centre", "outgoing_shift", "incoming_shift"),
        handover_id,
        version,
    )


@transaction.atomic
def handover_refresh(*, actor, source, handover_id, version: int) -> Handover:
    handover = _locked_handover(handover_id, version)
    require(actor, Action.DUTY_SERVE, handover.centre)
    _require_side(actor, handover.outgoing_shift, "outgoing")
    before = audit.snapshot(handover)
    handover.state = Handover.FLOW.next_state(handover.state, "refresh")
    _gather(handover)
    return save_change(handover, actor=actor, source=source, verb="handover.refresh", before=before)


@transaction.atomic
def handover_write_notes(*, actor, source, handover_id, version: int, data) -> Handover:
    handover = _locked_handover(handover_id, version)
    require(actor, Action.DUTY_SERVE, handover.centre)
    _require_side(actor, handover.outgoing_shift, "outgoing")
    Handover.FLOW.next_state(handover.state, "refresh")  # only while preparing
    form = validated(HandoverNotesForm, data)
    before = audit.snapshot(handover)
    handover.work_done = form.cleaned_data["work_done"]
    handover.notes = form.cleaned_data["notes"]
    return save_change(handover, actor=actor, source=source, verb="handover.notes", before=before)


@transaction.atomic
def handover_check(*, actor, source, handover_id, version: int, check_id, data) -> Handover:
    """The outgoing side records the state of one shared item or piece of equipment."""
    handover = _locked_handover(handover_id, version)
    require(actor, Action.DUTY_SERVE, handover.centre)
    _require_side(actor, handover.outgoing_shift, "outgoing")
    Handover.FLOW.next_state(handover.state, "refresh")
    check = handover.checks.filter(pk=check_id).select_related("check_item").first()
    if check is None:
        raise NotFound()
    form = validated(CheckResultForm, data)
    before = audit.snapshot(check)
    check.state, check.note = form.cleaned_data["state"], form.cleaned_data["note"]
    check.save()
    audit.record(
        actor=actor,
        source=source,
        verb="handover.check",
        obj=check,
        centre=handover.centre,
        before=before,
        after=audit.snapshot(check),
    )
    handover.version += 1  # a check changes what the other side of the page has read
    handover.save(update_fields=["version", "updated_at"])
    return handover


@transaction.atomic
def handover_offer(*, actor, source, handover_id, version: int) -> Handover:
    """The outgoing side signs; abnormal items become items the incoming side must
    acknowledge — the outgoing side has signed for them (DUTY-4)."""
    handover = _locked_handover(handover_id, version)
    centre = handover.centre
    require(actor, Action.DUTY_SERVE, centre)
    _require_side(actor, handover.outgoing_shift, "outgoing")
    before = audit.snapshot(handover)
    handover.state = Handover.FLOW.next_state(handover.state, "offer")
    unchecked = handover.checks.filter(state=CheckState.UNCHECKED).select_related("check_item")
    if unchecked:
        raise Refused(
            _("Check “%(item)s” before signing the handover.") % {"item": unchecked[0].check_item},
            code="check_missing",
            rule="DUTY-3",
        )
    _refuse_blockers(handover)
    _gather(handover)
    for check in handover.checks.filter(state=CheckState.ABNORMAL).select_related("check_item"):
        HandoverItem.objects.get_or_create(
            handover=handover,
            kind=ItemKind.CHECK,
            text=f"{check.check_item}: {check.note}"[:300],
            defaults={"detail": _("Abnormal at handover, signed for by the outgoing side.")},
        )
    handover.outgoing_signed_by, handover.outgoing_signed_at = actor, timezone.now()
    save_change(handover, actor=actor, source=source, verb="handover.offer", before=before)
    notify(
        actor=actor,
        source=source,
        centre=centre,
        level=Level.WARNING,
        people=[e.person for e in handover.incoming_shift.entries.select_related("person")],
        title=Message(
            gettext_lazy("Handover waiting for you: %(shift)s"), {"shift": handover.outgoing_shift}
        ),
        link=f"/c/{centre.code}/duty/handovers/{handover.pk}/",
        regarding=handover,
        email=False,
        chat=False,
    )
    live.refresh_on_commit(centre, "duty-handover")
    return handover


def _locked_item(item_id, version) -> HandoverItem:
    item = locked(
        HandoverItem.objects.select_related(
            "handover__centre", "handover__incoming_shift", "handover__outgoing_shift"
        ),
        item_id,
        version,
    )
    if item.handover.state != HandoverState.OFFERED:
        raise Refused(_("The outgoing side has not signed this handover yet."), rule="DUTY-4")
    return item


def _item_change(*, actor, source, item_id, version, action, side, fill) -> HandoverItem:
    item = _locked_item(item_id, version)
    handover = item.handover
    require(actor, Action.DUTY_SERVE, handover.centre)
    _require_side(
        actor, handover.incoming_shift if side == "incoming" else handover.outgoing_shift, side
    )
    before = audit.snapshot(item)
    item.state = HandoverItem.FLOW.next_state(item.state, action)
    fill(item)
    save_change(
        item,
        actor=actor,
        source=source,
        verb=f"handover_item.{action}",
        before=before,
        centre=handover.centre,
    )
    live.refresh_on_commit(handover.centre, "duty-handover")
    return item


@transaction.atomic
def handover_item_acknowledge(*, actor, source, item_id, version: int) -> HandoverItem:
    """The incoming side has understood the item (DUTY-4)."""

    def fill(item):
        item.acknowledged_by, item.acknowledged_at = actor, timezone.now()

    return _item_change(
        actor=actor,
        source=source,
        item_id=item_id,
        version=version,
        action="acknowledge",
        side="incoming",
        fill=fill,
    )


@transaction.atomic
def handover_item_mark_unclear(*, actor, source, item_id, version: int, data) -> HandoverItem:
    """上不清下不接: the incoming side says what is unclear; the handover is blocked until it is
    clarified (DUTY-4)."""
    note = validated(UnclearForm, data).cleaned_data["note"]
    return _item_change(
        actor=actor,
        source=source,
        item_id=item_id,
        version=version,
        action="mark_unclear",
        side="incoming",
        fill=lambda item: setattr(item, "unclear_note", note),
    )


@transaction.atomic
def handover_item_clarify(*, actor, source, item_id, version: int, data) -> HandoverItem:
    """The outgoing side clarifies; the item goes back to the incoming side (DUTY-4)."""
    text = validated(ClarifyForm, data).cleaned_data["clarification"]
    return _item_change(
        actor=actor,
        source=source,
        item_id=item_id,
        version=version,
        action="clarify",
        side="outgoing",
        fill=lambda item: setattr(item, "clarification", text),
    )


@transaction.atomic
def handover_item_hand_over_running(*, actor, source, item_id, version: int, data) -> HandoverItem:
    """DUTY-10: the outgoing side hands an open incident over as running — who is on it, when
    it should end — instead of closing it falsely; signed by the outgoing side, it no longer
    blocks the handover and the incoming side acknowledges it (DUTY-4). What the shift itself
    must finish (a switching operation) still blocks."""
    item = locked(
        HandoverItem.objects.select_related("handover__centre", "handover__outgoing_shift"),
        item_id,
        version,
    )
    handover, centre = item.handover, item.handover.centre
    require(actor, Action.DUTY_SERVE, centre)
    _require_side(actor, handover.outgoing_shift, "outgoing")
    Handover.FLOW.next_state(handover.state, "refresh")  # only while preparing
    if item.kind != ItemKind.INCIDENT:
        raise Refused(
            _("Only an open incident is handed over as running; “%(item)s” is finished first.")
            % {"item": item},
            code="not_an_incident",
            rule="DUTY-10",
        )
    form = validated(RunningIncidentForm, data, centre=centre)
    before = audit.snapshot(item)
    item.state = HandoverItem.FLOW.next_state(item.state, "hand_over_running")
    item.handled_by = form.cleaned_data["handled_by"]
    item.expected_at = form.cleaned_data["expected_at"]
    item.handed_over_by, item.handed_over_at = actor, timezone.now()
    save_change(
        item,
        actor=actor,
        source=source,
        verb="handover_item.hand_over_running",
        before=before,
        centre=centre,
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.HANDOVER,
        verb="handover_item.hand_over_running",
        params={
            "item": item,
            "who": item.handled_by,
            "at": timewindow.safe_localtime(item.expected_at, centre.tz),
        },
        regarding=handover,
    )
    live.refresh_on_commit(centre, "duty-handover")
    return item


@transaction.atomic
def handover_accept(*, actor, source, handover_id, version: int) -> Handover:
    """The incoming side signs and takes over — only when every item is acknowledged
    (DUTY-4), nothing blocks (DUTY-10) and the signer has signed in (DUTY-1)."""
    handover = _locked_handover(handover_id, version)
    centre = handover.centre
    require(actor, Action.DUTY_SERVE, centre)
    _require_side(actor, handover.incoming_shift, "incoming")
    before = audit.snapshot(handover)
    handover.state = Handover.FLOW.next_state(handover.state, "accept")
    unclear = handover.items.filter(state=ItemState.UNCLEAR).first()
    if unclear is not None:
        raise Refused(
            _("Handover blocked: “%(item)s” is not clear yet.") % {"item": unclear},
            code="item_unclear",
            rule="DUTY-4",
        )
    pending = handover.items.filter(state=ItemState.PENDING).first()
    if pending is not None:
        raise Refused(
            _("Handover blocked: “%(item)s” has not been acknowledged.") % {"item": pending},
            code="item_pending",
            rule="DUTY-4",
        )
    _refuse_blockers(handover)
    if not RosterEntry.objects.filter(
        shift=handover.incoming_shift, person=actor.pk, signed_in_at__isnull=False
    ).exists():
        raise Refused(_("Sign in to your shift before taking over."), rule="DUTY-1")
    handover.incoming_signed_by, handover.incoming_signed_at = actor, timezone.now()
    save_change(handover, actor=actor, source=source, verb="handover.accept", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.HANDOVER,
        verb="handover.accept",
        params={
            "out": handover.outgoing_shift,
            "inc": handover.incoming_shift,
            "a": handover.outgoing_signed_by,
            "b": actor,
        },
        regarding=handover,
    )
    hooks.handover_accepted(actor=actor, source=source, handover=handover)  # RPT-1
    notify(
        actor=actor,
        source=source,
        centre=centre,
        people=[e.person for e in handover.outgoing_shift.entries.select_related("person")],
        title=Message(
            gettext_lazy("Handover taken over; you may sign out: %(shift)s"),
            {"shift": handover.outgoing_shift},
        ),
        link=f"/c/{centre.code}/duty/handovers/{handover.pk}/",
        regarding=handover,
        email=False,
        chat=False,
    )
    live.refresh_on_commit(centre, "duty-handover", "duty-shift")
    return handover


# --- carried-over items (DUTY-3) -------------------------------------------------------------


@transaction.atomic
def carried_item_open(*, actor, source, centre, data) -> CarriedItem:
    """An open item that carries over from shift to shift until it is closed (DUTY-3)."""
    require(actor, Action.DUTY_SERVE, centre)
    form = validated(CarriedItemForm, data, centre=centre)

    def prepare(item):
        item.centre, item.opened_by = centre, actor

    item = create_from_form(
        actor=actor, source=source, form=form, verb="carried_item.open", prepare=prepare
    )
    live.refresh_on_commit(centre, "duty-carried", "duty-handover")
    return item


@transaction.atomic
def carried_item_close(*, actor, source, item_id, version: int, data) -> CarriedItem:
    item = locked(CarriedItem.objects.select_related("centre"), item_id, version)
    require(actor, Action.DUTY_SERVE, item.centre)
    resolution = validated(CloseForm, data).cleaned_data["resolution"]
    before = audit.snapshot(item)
    item.state = CarriedItem.FLOW.next_state(item.state, "close")
    item.resolution, item.closed_by, item.closed_at = resolution, actor, timezone.now()
    save_change(item, actor=actor, source=source, verb="carried_item.close", before=before)
    live.refresh_on_commit(item.centre, "duty-carried", "duty-handover")
    return item


# --- handover checks configuration ------------------------------------------------------------


@transaction.atomic
def check_item_create(*, actor, source, centre, data) -> CheckItem:
    return create_in_centre(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=CheckItemForm,
        action=Action.DUTY_PLAN,
        verb="check_item.create",
    )


@transaction.atomic
def check_item_update(*, actor, source, item_id, version: int, changes) -> CheckItem:
    return update_in_centre(
        actor=actor,
        source=source,
        model=CheckItem,
        pk=item_id,
        version=version,
        changes=changes,
        form_class=CheckItemForm,
        action=Action.DUTY_PLAN,
        verb="check_item.update",
    )
