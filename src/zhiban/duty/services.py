"""The one door for writes to duty: shift patterns and the roster (DUTY-1), sign-in and
sign-out (DUTY-2, DUTY-5), handover (DUTY-3 … DUTY-5, DUTY-10), carried-over items, the duty
log (DUTY-6 … DUTY-8) with the centre's own patrol (PAT-5), and severe weather (DUTY-9).

``log_write`` is the service other capabilities call to write their duty-log entries (DUTY-7).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live, timewindow
from zhiban.core.errors import Forbidden, InvalidInput, NotFound, Refused
from zhiban.core.models import Level
from zhiban.core.notify import Message, notify, people_with_roles
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import can, require
from zhiban.core.services import (
    ANY_VERSION,
    create_from_form,
    create_in_centre,
    locked,
    save_change,
    update_from_form,
    update_in_centre,
    validated,
)

from . import handover_sources
from .forms import (
    CarriedItemForm,
    CentrePatrolForm,
    CheckItemForm,
    CheckResultForm,
    ClarifyForm,
    CloseForm,
    ConfirmOnPostForm,
    CopyWeekForm,
    CorrectionForm,
    HandoverNotesForm,
    LogEntryForm,
    RosterForm,
    ShiftPatternForm,
    SwapForm,
    UnclearForm,
    WeatherForm,
)
from .models import (
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
    LogEntry,
    RosterEntry,
    SevereWeather,
    Shift,
    ShiftPattern,
    ShiftSwap,
    SwapState,
    WeatherConfirmation,
)

# --- shift patterns and the roster (DUTY-1) --------------------------------------------------


@transaction.atomic
def shift_pattern_create(*, actor, source, centre, data) -> ShiftPattern:
    return create_in_centre(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=ShiftPatternForm,
        action=Action.DUTY_PLAN,
        verb="shift_pattern.create",
    )


@transaction.atomic
def shift_pattern_update(*, actor, source, pattern_id, version: int, changes) -> ShiftPattern:
    pattern = locked(ShiftPattern.objects.all(), pattern_id, version)
    require(actor, Action.DUTY_PLAN, pattern.centre)
    if Shift.objects.filter(pattern=pattern).exists() and (
        "starts" in changes or "ends" in changes
    ):
        raise Refused(
            _(
                "This shift is already on the roster; add a new shift pattern instead "
                "of moving its times."
            ),
            rule="DUTY-1",
        )
    return update_from_form(
        actor=actor,
        source=source,
        obj=pattern,
        form_class=ShiftPatternForm,
        changes=changes,
        verb="shift_pattern.update",
        centre=pattern.centre,
    )


def shift_of(pattern: ShiftPattern, day: date) -> Shift:
    """The dated shift of a pattern, made on first use (inside the caller's transaction)."""
    starts_at, ends_at = pattern.window(day, pattern.centre.tz)
    shift, _created = Shift.objects.get_or_create(
        pattern=pattern,
        day=day,
        defaults={"centre": pattern.centre, "starts_at": starts_at, "ends_at": ends_at},
    )
    return shift


@transaction.atomic
def roster_assign(*, actor, source, centre, data) -> RosterEntry:
    """Put a person on a post in a shift (DUTY-1)."""
    require(actor, Action.DUTY_PLAN, centre)
    form = validated(RosterForm, data, centre=centre)
    shift = shift_of(form.cleaned_data["pattern"], form.cleaned_data["day"])
    person = form.cleaned_data["person"]
    if RosterEntry.objects.filter(shift=shift, person=person).exists():
        raise InvalidInput(
            fields={"person": [_("%(person)s is already on this shift.") % {"person": person}]},
            rule="DUTY-1",
        )
    entry = RosterEntry.objects.create(shift=shift, person=person, post=form.cleaned_data["post"])
    audit.record(
        actor=actor,
        source=source,
        verb="roster.assign",
        obj=entry,
        centre=centre,
        after=audit.snapshot(entry),
    )
    live.refresh_on_commit(centre, "duty-shift")
    return entry


@transaction.atomic
def roster_remove(*, actor, source, entry_id, version: int, reason: str = "") -> None:
    """Take a place off the roster (DUTY-1): not once its person has signed in, and not while
    a swap names it — a pending request is decided first, a decided one keeps its places."""
    entry = locked(RosterEntry.objects.select_related("shift__centre"), entry_id, version)
    centre = entry.shift.centre
    require(actor, Action.DUTY_PLAN, centre)
    if entry.signed_in_at:
        raise Refused(
            _("%(person)s has already signed in to this shift.") % {"person": entry.person},
            rule="DUTY-1",
        )
    _refuse_if_swapped(entry)
    audit.record(
        actor=actor,
        source=source,
        verb="roster.remove",
        obj=entry,
        centre=centre,
        before=audit.snapshot(entry),
        reason=reason,
    )
    entry.delete()
    live.refresh_on_commit(centre, "duty-shift")


def _refuse_if_swapped(entry: RosterEntry) -> None:
    swaps = ShiftSwap.objects.filter(Q(first=entry) | Q(second=entry)).select_related(
        "first__person", "second__person"
    )
    swap = swaps.filter(state=SwapState.REQUESTED).first() or swaps.first()
    if swap is None:
        return
    named = {"swap": swap, "number": swap.pk, "reason": swap.reason}
    if swap.state == SwapState.REQUESTED:
        message = _(
            "The swap request %(swap)s (no. %(number)s, “%(reason)s”) names this place; "
            "approve or reject it before removing the place."
        )
    else:
        message = _(
            "This place was part of the swap %(swap)s (no. %(number)s, “%(reason)s”) "
            "and stays on the roster as its record."
        )
    raise Refused(message % named, rule="DUTY-1")


@transaction.atomic
def roster_copy_week(*, actor, source, centre, data) -> int:
    """Copy the roster of the week starting on the given day to the week after (DUTY-1).
    People already placed in the target week are kept; returns how many places were added."""
    require(actor, Action.DUTY_PLAN, centre)
    week = validated(CopyWeekForm, data, centre=centre).cleaned_data["week"]
    added = 0
    entries = RosterEntry.objects.filter(
        shift__centre=centre, shift__day__gte=week, shift__day__lt=week + timedelta(days=7)
    ).select_related("shift__pattern", "person")
    for entry in entries:
        target = shift_of(entry.shift.pattern, entry.shift.day + timedelta(days=7))
        _copy, created = RosterEntry.objects.get_or_create(
            shift=target, person=entry.person, defaults={"post": entry.post}
        )
        added += created
    audit.record(
        actor=actor,
        source=source,
        verb="roster.copy_week",
        obj=centre,
        after={"from": week.isoformat(), "added": added},
    )
    return added


@transaction.atomic
def swap_request(*, actor, source, centre, data) -> ShiftSwap:
    """Two people ask to swap their places; the shift leader decides (DUTY-1)."""
    require(actor, Action.DUTY_SERVE, centre)
    form = validated(SwapForm, data)
    places = RosterEntry.objects.filter(shift__centre=centre).select_related("shift", "person")
    try:
        first = places.get(pk=form.cleaned_data["first"])
        second = places.get(pk=form.cleaned_data["second"])
    except RosterEntry.DoesNotExist:
        raise NotFound(rule="ORG-3") from None
    if first.shift_id == second.shift_id or first.person_id == second.person_id:
        raise InvalidInput(
            fields={"second": [_("Choose a place of another person in another shift.")]},
            rule="DUTY-1",
        )
    if actor.pk not in (first.person_id, second.person_id) and not can(
        actor, Action.DUTY_PLAN, centre
    ):
        raise Forbidden(_("Only the two people concerned ask for a swap."), rule="DUTY-1")
    swap = ShiftSwap.objects.create(
        centre=centre,
        first=first,
        second=second,
        reason=form.cleaned_data["reason"],
        requested_by=actor,
    )
    audit.record(
        actor=actor, source=source, verb="swap.request", obj=swap, after=audit.snapshot(swap)
    )
    return swap


@transaction.atomic
def swap_decide(*, actor, source, swap_id, version: int, approve: bool) -> ShiftSwap:
    """The shift leader approves (the two people change places) or rejects (DUTY-1)."""
    swap = locked(ShiftSwap.objects.all(), swap_id, version)
    require(actor, Action.DUTY_APPROVE_SWAP, swap.centre)
    before = audit.snapshot(swap)
    swap.state = ShiftSwap.FLOW.next_state(swap.state, "approve" if approve else "reject")
    if approve:
        # the two places change as part of the swap, whose version was checked above
        first = locked(RosterEntry.objects.all(), swap.first_id, ANY_VERSION)
        second = locked(RosterEntry.objects.all(), swap.second_id, ANY_VERSION)
        if first.signed_in_at or second.signed_in_at:
            raise Refused(_("A swapped shift has already begun."), rule="DUTY-1")
        a, b = first.person_id, second.person_id
        clash = (
            RosterEntry.objects.filter(shift=first.shift_id, person=b).exists()
            or RosterEntry.objects.filter(shift=second.shift_id, person=a).exists()
        )
        if clash:
            raise Refused(_("One of them is already on the other shift."), rule="DUTY-1")
        for entry, person in ((first, b), (second, a)):
            entry_before = audit.snapshot(entry)
            entry.person_id = person
            save_change(
                entry,
                actor=actor,
                source=source,
                verb="roster.swap",
                before=entry_before,
                centre=swap.centre,
            )
    swap.decided_by, swap.decided_at = actor, timezone.now()
    save_change(swap, actor=actor, source=source, verb=f"swap.{swap.state}", before=before)
    live.refresh_on_commit(swap.centre, "duty-shift")
    return swap


# --- sign-in and sign-out (DUTY-2, DUTY-5) ---------------------------------------------------

SIGN_IN_WINDOW = timedelta(hours=2)  # how early one may sign in


def _own_entry(actor, entry_id, version) -> RosterEntry:
    entry = locked(RosterEntry.objects.select_related("shift__centre"), entry_id, version)
    require(actor, Action.DUTY_SERVE, entry.shift.centre)
    if entry.person_id != actor.pk:
        raise Forbidden(
            _("You can only sign in and out of your own place on the roster."), rule="DUTY-1"
        )
    return entry


@transaction.atomic
def sign_in(*, actor, source, entry_id, version: int) -> RosterEntry:
    """Sign in; after the configured lead time (default 15 minutes before the shift) the
    arrival is flagged late on the handover record (DUTY-2)."""
    entry = _own_entry(actor, entry_id, version)
    shift, centre, now = entry.shift, entry.shift.centre, timezone.now()
    if entry.signed_in_at:
        raise Refused(
            _("You signed in at %(time)s already.")
            % {"time": timewindow.shown(entry.signed_in_at, centre.tz, "%H:%M")},
            rule="DUTY-1",
        )
    if now < shift.starts_at - SIGN_IN_WINDOW or now >= shift.ends_at:
        raise Refused(_("Sign in between two hours before the shift and its end."), rule="DUTY-1")
    lead = timedelta(minutes=centre.setting("duty.signin_lead_minutes"))
    before = audit.snapshot(entry)
    entry.signed_in_at = now
    entry.late = now > shift.starts_at - lead
    save_change(
        entry, actor=actor, source=source, verb="roster.sign_in", before=before, centre=centre
    )
    live.refresh_on_commit(centre, "duty-shift", "duty-handover")
    return entry


@transaction.atomic
def sign_out(*, actor, source, entry_id, version: int) -> RosterEntry:
    """Sign out — only after the incoming side has signed the handover of this shift
    (DUTY-5)."""
    entry = _own_entry(actor, entry_id, version)
    centre = entry.shift.centre
    if not entry.signed_in_at:
        raise Refused(_("You have not signed in to this shift."), rule="DUTY-1")
    if entry.signed_out_at:
        raise Refused(_("You have signed out already."), rule="DUTY-5")
    handover = Handover.objects.filter(outgoing_shift=entry.shift).first()
    if handover is None or handover.state != HandoverState.ACCEPTED:
        raise Refused(
            _("You may sign out only after the incoming side has signed the handover."),
            code="handover_not_signed",
            rule="DUTY-5",
        )
    before = audit.snapshot(entry)
    entry.signed_out_at = timezone.now()
    save_change(
        entry, actor=actor, source=source, verb="roster.sign_out", before=before, centre=centre
    )
    live.refresh_on_commit(centre, "duty-shift")
    return entry


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
    existing = {
        (i.content_type_id, i.object_id or i.text, i.kind): i
        for i in handover.items.exclude(kind=ItemKind.CHECK)
    }
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


def _refuse_blockers(centre) -> None:
    """DUTY-10: no handover while an incident is handled or a switching operation runs."""
    blocking = handover_sources.blockers(centre)
    if blocking:
        raise Refused(
            _(
                "No handover while “%(what)s” is in progress: the outgoing side stays in charge "
                "and the incoming side assists."
            )
            % {"what": blocking[0].text},
            code="handover_blocked",
            rule="DUTY-10",
        )


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
    _refuse_blockers(centre)
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
    _refuse_blockers(centre)
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
        text=_("Handover %(out)s → %(inc)s signed by %(a)s and %(b)s.")
        % {
            "out": handover.outgoing_shift,
            "inc": handover.incoming_shift,
            "a": handover.outgoing_signed_by,
            "b": actor,
        },
        regarding=handover,
    )
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


# --- the duty log (DUTY-6, DUTY-7, DUTY-8, PAT-5) --------------------------------------------


@transaction.atomic
def log_write(
    *,
    actor,
    source,
    centre,
    category: str,
    text: str,
    at=None,
    site=None,
    equipment=None,
    regarding=None,
    corrects=None,
) -> LogEntry:
    """Append one entry to the centre's duty log. The door for every capability that writes
    its own entries (DUTY-7); inside the caller's transaction when there is one."""
    person = None if getattr(actor, "is_system", False) else actor
    entry = LogEntry.objects.create(
        centre=centre,
        at=at or timezone.now(),
        author=person,
        author_label=(person.name if person else str(actor))[:80],
        category=category,
        text=text,
        site=site,
        equipment=equipment,
        corrects=corrects,
        content_type=ContentType.objects.get_for_model(regarding)
        if regarding is not None
        else None,
        object_id=str(regarding.pk) if regarding is not None else "",
    )
    audit.record(
        actor=actor, source=source, verb="log.write", obj=entry, after=audit.snapshot(entry)
    )
    live.refresh_on_commit(centre, "duty-log", *(["duty-other"] if category == "other" else []))
    return entry


@transaction.atomic
def log_entry_create(*, actor, source, centre, data) -> LogEntry:
    """A person writes what they found or did (谁发现、谁操作、谁记录, DUTY-6)."""
    require(actor, Action.DUTY_SERVE, centre)
    form = validated(LogEntryForm, data, centre=centre)
    entry = form.cleaned_data
    equipment = entry.get("equipment")
    return log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=entry["category"],
        text=entry["text"],
        at=entry.get("at"),
        site=entry.get("site") or (equipment.site if equipment else None),
        equipment=equipment,
    )


@transaction.atomic
def log_entry_correct(*, actor, source, entry_id, data) -> LogEntry:
    """A correction is a new entry that points at the one it corrects; the original stays
    (DUTY-6)."""
    original = LogEntry.objects.select_related("centre").filter(pk=entry_id).first()
    if original is None:
        raise NotFound()
    require(actor, Action.DUTY_SERVE, original.centre)
    text = validated(CorrectionForm, data).cleaned_data["text"]
    return log_write(
        actor=actor,
        source=source,
        centre=original.centre,
        category=original.category,
        text=text,
        at=original.at,
        site=original.site,
        equipment=original.equipment,
        corrects=original,
    )


@transaction.atomic
def centre_patrol_record(*, actor, source, centre, data) -> LogEntry:
    """PAT-5: the chief operator records the centre's own patrol (screens, UPS, hosts, VQC,
    video) under the centre's own unit."""
    from zhiban.org.models import Site, SiteKind

    require(actor, Action.DUTY_CENTRE_PATROL, centre)
    form = validated(CentrePatrolForm, data)
    unit = Site.objects.filter(centre=centre, kind=SiteKind.CENTRE_UNIT).first()
    if unit is None:
        raise Refused(_("Add the centre's own unit (监控单元) to its sites first."), rule="PAT-5")
    words = {"normal": _("normal"), "abnormal": _("abnormal")}
    results = "；".join(
        f"{label}{words[form.cleaned_data[key]]}" for key, label in CentrePatrolForm.ITEMS
    )
    note = form.cleaned_data.get("note")
    text = _("Centre patrol: %(results)s") % {"results": results} + (f"。{note}" if note else "")
    return log_write(
        actor=actor, source=source, centre=centre, category=LogCategory.PATROL, text=text, site=unit
    )


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


# --- severe weather (DUTY-9) -----------------------------------------------------------------


@transaction.atomic
def weather_start(*, actor, source, centre, data) -> SevereWeather:
    """Switch severe-weather mode on: every team leader serving the centre is asked to be on
    post and confirm; the banner shows until it is switched off (DUTY-9)."""
    require(actor, Action.DUTY_WEATHER, centre)
    if SevereWeather.objects.filter(centre=centre, ended_at=None).exists():
        raise Refused(_("Severe-weather mode is already on."), rule="DUTY-9")
    form = validated(WeatherForm, data, centre=centre)

    def prepare(weather):
        weather.centre, weather.started_by = centre, actor

    weather = create_from_form(
        actor=actor, source=source, form=form, verb="weather.start", prepare=prepare
    )
    leaders = people_with_roles(centre, {Role.TEAM_LEADER})
    WeatherConfirmation.objects.bulk_create(
        WeatherConfirmation(weather=weather, person=p) for p in leaders
    )
    notify(
        actor=actor,
        source=source,
        centre=centre,
        people=leaders,
        level=Level.URGENT,
        title=Message(
            gettext_lazy("Severe weather (%(kind)s): go on post and confirm"),
            {"kind": weather.get_kind_display()},
        ),
        body=weather.reason,
        link=f"/c/{centre.code}/duty/weather/",
        regarding=weather,
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.WEATHER,
        text=_("Severe-weather mode on (%(kind)s): %(reason)s")
        % {"kind": weather.get_kind_display(), "reason": weather.reason},
        regarding=weather,
    )
    return weather


@transaction.atomic
def weather_confirm(*, actor, source, weather_id, data) -> WeatherConfirmation:
    """A team leader confirms being on post (DUTY-9), once: only the leader's own confirmation
    changes, the severe-weather record stays as it is, so no version applies (DESIGN-1)."""
    weather = locked(SevereWeather.objects.select_related("centre"), weather_id, ANY_VERSION)
    require(actor, Action.DUTY_SERVE, weather.centre)
    if weather.ended_at:
        raise Refused(_("Severe-weather mode is off."), rule="DUTY-9")
    confirmation = weather.confirmations.filter(person=actor.pk).first()
    if confirmation is None:
        raise Forbidden(_("Only the team leaders asked to be on post confirm."), rule="DUTY-9")
    where = validated(ConfirmOnPostForm, data).cleaned_data["where"]
    if confirmation.confirmed_at is None:
        confirmation.confirmed_at, confirmation.where = timezone.now(), where
        confirmation.save()
        audit.record(
            actor=actor,
            source=source,
            verb="weather.confirm",
            obj=weather,
            after={"person": actor.pk, "where": where},
        )
        log_write(
            actor=actor,
            source=source,
            centre=weather.centre,
            category=LogCategory.WEATHER,
            text=_("%(person)s on post%(where)s.")
            % {"person": actor, "where": f"（{where}）" if where else ""},
            regarding=weather,
        )
    return confirmation


@transaction.atomic
def weather_end(*, actor, source, weather_id, version: int) -> SevereWeather:
    weather = locked(SevereWeather.objects.select_related("centre"), weather_id, version)
    require(actor, Action.DUTY_WEATHER, weather.centre)
    if weather.ended_at:
        raise Refused(_("Severe-weather mode is off already."), rule="DUTY-9")
    before = audit.snapshot(weather)
    weather.ended_at, weather.ended_by = timezone.now(), actor
    save_change(weather, actor=actor, source=source, verb="weather.end", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=weather.centre,
        category=LogCategory.WEATHER,
        text=_("Severe-weather mode off."),
        regarding=weather,
    )
    return weather
