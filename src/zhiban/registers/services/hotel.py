"""The hotel room centre's registers (房务中心).

Wake-up calls (叫醒服务, REG-7): a call is booked for a room at a time still to come; each call
made is recorded (answered, no answer, line busy, at, by). A missed answer makes the second
call due ``registers.wakeup_retry_minutes`` later; a second miss sends a floor attendant to the
room (who, when, what they found). ``wake_up_calls_remind`` (a job) tells the desk when a call
or its follow-up is due, once per step.

Do-not-disturb check (REG-8): at ``registers.dnd_check_time`` the clerk lists the rooms still
showing DND and phones them (``dnd_check_remind``, a job, tells the desk when it is time);
answered is done, no answer tells the department head (the assistant manager) and the team
leader (the floor supervisor) and waits for the outcome."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live
from zhiban.core.actors import SCHEDULER, Source
from zhiban.core.errors import Refused
from zhiban.core.models import Level
from zhiban.core.nav import HOUSEKEEPING
from zhiban.core.notify import Message, notify, people_with_roles
from zhiban.core.permissions import PERMISSIONS, Action, Role
from zhiban.core.scoping import require
from zhiban.core.services import locked, save_change, validated
from zhiban.org.models import Centre

from ..forms.hotel import AttemptForm, AttendantForm, DndCheckForm, OutcomeForm, WakeUpCallForm
from ..models import CallResult, DndCheck, DndState, WakeUpAttempt, WakeUpCall, WakeUpState
from .common import PANEL, entry_create, person

DESK_PANEL = "registers_desk"  # the console panel of the desk registers
WAITING = (WakeUpState.BOOKED, WakeUpState.SECOND_CALL, WakeUpState.SEND_ATTENDANT)


def desk(centre) -> list:
    """The people who keep the centre's registers (the desk), not the administrator."""
    return people_with_roles(centre, PERMISSIONS[Action.REGISTER_KEEP] - {Role.ADMIN})


def refresh(centre) -> None:
    live.refresh_on_commit(centre, PANEL, DESK_PANEL)


@transaction.atomic
def wake_up_call_create(*, actor, source, centre, data) -> WakeUpCall:
    """A wake-up call booked for a room; its wake-up time in the past is refused (REG-7)."""

    def prepare(call: WakeUpCall) -> None:
        call.requested_at = call.requested_at or timezone.now()
        call.due_at = call.wake_at

    call = entry_create(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=WakeUpCallForm,
        verb="wake_up_call.create",
        prepare=prepare,
    )
    refresh(centre)
    return call


def _locked_call(actor, call_id, version: int) -> WakeUpCall:
    call = locked(WakeUpCall.objects.select_related("centre"), call_id, version)
    require(actor, Action.REGISTER_KEEP, call.centre)
    return call


@transaction.atomic
def wake_up_attempt(*, actor, source, call_id, version: int, data) -> WakeUpCall:
    """A call made to the room (REG-7). Answered: woken. Missed (no answer or busy) the
    first time: the second call is due the centre's minutes later; missed again: a floor
    attendant must be sent. A call after the room was woken or visited is refused."""
    call = _locked_call(actor, call_id, version)
    form = validated(AttemptForm, data, centre=call.centre)
    at = form.cleaned_data["at"] or timezone.now()
    result = form.cleaned_data["result"]
    if result == CallResult.ANSWERED:
        action = "answered"
    else:
        action = "missed" if call.state == WakeUpState.BOOKED else "missed_again"
    state = WakeUpCall.FLOW.next_state(call.state, action)
    before = audit.snapshot(call)
    WakeUpAttempt.objects.create(
        call=call, result=result, at=at, by=person(actor), note=form.cleaned_data["note"]
    )
    call.state = state
    call.reminded_at = None
    if state == WakeUpState.SECOND_CALL:
        minutes = int(call.centre.setting("registers.wakeup_retry_minutes"))
        call.due_at = at + timedelta(minutes=minutes)
    elif state == WakeUpState.SEND_ATTENDANT:
        call.due_at = at
    else:
        call.due_at = None
    noted = {
        "attempt": f"{CallResult(result).label} {timezone.localtime(at, call.centre.tz):%H:%M}"
    }
    save_change(
        call, actor=actor, source=source, verb="wake_up_call.attempt", before=before, noted=noted
    )
    refresh(call.centre)
    return call


@transaction.atomic
def wake_up_attendant(*, actor, source, call_id, version: int, data) -> WakeUpCall:
    """The floor attendant sent to the room after two missed calls, and what they found
    (REG-7); refused before the second call was missed."""
    call = _locked_call(actor, call_id, version)
    form = validated(AttendantForm, data, centre=call.centre)
    if call.state in (WakeUpState.BOOKED, WakeUpState.SECOND_CALL):
        raise Refused(
            _("A floor attendant is sent after the second call was missed too (REG-7)."),
            code="not_missed_twice",
            rule="REG-7",
        )
    state = WakeUpCall.FLOW.next_state(call.state, "attendant")
    before = audit.snapshot(call)
    call.state = state
    call.due_at = None
    call.attendant = form.cleaned_data["attendant"]
    call.attendant_sent_at = form.cleaned_data["sent_at"] or timezone.now()
    call.attendant_found = form.cleaned_data["found"]
    save_change(call, actor=actor, source=source, verb="wake_up_call.attendant", before=before)
    refresh(call.centre)
    return call


REMINDERS = {
    WakeUpState.BOOKED: gettext_lazy("Wake-up call due: room %(room)s at %(at)s (REG-7)"),
    WakeUpState.SECOND_CALL: gettext_lazy("Second wake-up call due: room %(room)s, %(at)s (REG-7)"),
    WakeUpState.SEND_ATTENDANT: gettext_lazy(
        "Room %(room)s did not answer two wake-up calls: send a floor attendant (REG-7)"
    ),
}


def wake_up_calls_remind(*, now: datetime | None = None) -> int:
    """Tell each centre's desk of every wake-up call or follow-up now due, once per step
    (REG-7); the floor supervisors hear of an attendant to be sent too. Returns how many."""
    now = now or timezone.now()
    due = WakeUpCall.objects.filter(
        state__in=WAITING, due_at__lte=now, reminded_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(_remind(pk, now) for pk in list(due[:500]))


@transaction.atomic
def _remind(pk: int, now: datetime) -> int:
    call = (
        WakeUpCall.objects.select_for_update(of=("self",))  # not the centre: see _deadline_step
        .select_related("centre")
        .filter(pk=pk, state__in=WAITING, reminded_at__isnull=True)
        .first()
    )
    if call is None:
        return 0
    centre = call.centre
    people = desk(centre)
    if call.state == WakeUpState.SEND_ATTENDANT:
        people += people_with_roles(centre, {Role.TEAM_LEADER})
    at = timezone.localtime(call.due_at or call.wake_at, centre.tz)
    notify(
        actor=SCHEDULER,
        source=Source.JOB,
        people=people,
        centre=centre,
        title=Message(REMINDERS[WakeUpState(call.state)], {"room": call.room, "at": f"{at:%H:%M}"}),
        link=f"/c/{centre.code}/registers/wake-up-calls/{call.pk}/",
        level=Level.URGENT if call.state == WakeUpState.SEND_ATTENDANT else Level.WARNING,
        regarding=call,
    )
    call.reminded_at = now
    call.save(update_fields=["reminded_at"])
    refresh(centre)
    return 1


# do-not-disturb check (REG-8)


def dnd_check_remind(*, now: datetime | None = None) -> int:
    """At each hotel desk whose ``registers.dnd_check_time`` is this minute, tell the desk to
    list the rooms still showing DND and phone them (REG-8). Returns the desks told."""
    now = now or timezone.now()
    told = 0
    for centre in Centre.objects.filter(active=True, kind=HOUSEKEEPING):
        at = centre.setting("registers.dnd_check_time")
        if f"{timezone.localtime(now, centre.tz):%H:%M}" == at:
            told += _dnd_remind(centre, at)
    return told


@transaction.atomic
def _dnd_remind(centre, at: str) -> int:
    notify(
        actor=SCHEDULER,
        source=Source.JOB,
        people=desk(centre),
        centre=centre,
        title=Message(
            gettext_lazy(
                "Do-not-disturb check (%(at)s): list the rooms still showing DND and phone "
                "them (REG-8)"
            ),
            {"at": at},
        ),
        link=f"/c/{centre.code}/registers/dnd-checks/new/",
        level=Level.WARNING,
    )
    return 1


@transaction.atomic
def dnd_check_create(*, actor, source, centre, data) -> DndCheck:
    """A room still showing DND at the afternoon check, listed by the clerk (REG-8)."""

    def prepare(check: DndCheck) -> None:
        check.listed_at = check.listed_at or timezone.now()
        check.day = timezone.localtime(check.listed_at, centre.tz).date()

    check = entry_create(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=DndCheckForm,
        verb="dnd_check.create",
        prepare=prepare,
    )
    refresh(centre)
    return check


def _locked_check(actor, check_id, version: int) -> DndCheck:
    check = locked(DndCheck.objects.select_related("centre"), check_id, version)
    require(actor, Action.REGISTER_KEEP, check.centre)
    return check


@transaction.atomic
def dnd_check_call(*, actor, source, check_id, version: int, data) -> DndCheck:
    """The room phoned (REG-8): answered is done; no answer (or busy) tells the assistant
    manager (department head) and the floor supervisor (team leader) at once."""
    check = _locked_check(actor, check_id, version)
    form = validated(AttemptForm, data, centre=check.centre)
    result = form.cleaned_data["result"]
    action = "answered" if result == CallResult.ANSWERED else "missed"
    state = DndCheck.FLOW.next_state(check.state, action)
    before = audit.snapshot(check)
    check.state = state
    check.called_at = form.cleaned_data["at"] or timezone.now()
    check.call_result = result
    if state == DndState.DONE:
        check.outcome = form.cleaned_data["note"] or str(CallResult(result).label)
    else:
        centre = check.centre
        notify(
            actor=actor,
            source=source,
            people=people_with_roles(centre, {Role.DEPARTMENT_HEAD, Role.TEAM_LEADER}),
            centre=centre,
            title=Message(
                gettext_lazy(
                    "Room %(room)s shows do-not-disturb and did not answer the phone (REG-8)"
                ),
                {"room": check.room},
            ),
            body=Message(gettext_lazy("Go to the room and record what you found.")),
            link=f"/c/{centre.code}/registers/dnd-checks/{check.pk}/",
            level=Level.URGENT,
            regarding=check,
        )
        check.notified_at = timezone.now()
    save_change(check, actor=actor, source=source, verb="dnd_check.call", before=before)
    refresh(check.centre)
    return check


@transaction.atomic
def dnd_check_outcome(*, actor, source, check_id, version: int, data) -> DndCheck:
    """What was found after the room did not answer (REG-8)."""
    check = _locked_check(actor, check_id, version)
    form = validated(OutcomeForm, data, centre=check.centre)
    state = DndCheck.FLOW.next_state(check.state, "outcome")
    before = audit.snapshot(check)
    check.state = state
    check.outcome = form.cleaned_data["outcome"]
    save_change(check, actor=actor, source=source, verb="dnd_check.outcome", before=before)
    refresh(check.centre)
    return check
