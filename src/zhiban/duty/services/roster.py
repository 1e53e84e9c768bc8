"""Shift patterns, the roster and swaps (DUTY-1); sign-in and sign-out (DUTY-2, DUTY-5)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live, timewindow
from zhiban.core.errors import Forbidden, InvalidInput, NotFound, Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import can, require
from zhiban.core.services import (
    ANY_VERSION,
    create_in_centre,
    locked,
    save_change,
    update_from_form,
    validated,
)

from ..forms import CopyWeekForm, RosterForm, ShiftPatternForm, SwapForm
from ..models import Handover, HandoverState, RosterEntry, Shift, ShiftPattern, ShiftSwap, SwapState

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
    """Take a place off the roster (DUTY-1): not once its shift is over — the roster of a day
    that has passed is a record —, not once its person has signed in, and not while a swap
    names it — a pending request is decided first, a decided one keeps its places."""
    entry = locked(RosterEntry.objects.select_related("shift__centre"), entry_id, version)
    centre = entry.shift.centre
    require(actor, Action.DUTY_PLAN, centre)
    if entry.shift.ends_at <= timezone.now():
        raise Refused(
            _("The shift %(shift)s is over: its roster is a record and stays as it is.")
            % {"shift": entry.shift},
            code="shift_over",
            rule="DUTY-1",
        )
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
