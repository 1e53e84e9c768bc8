"""People's actions on alarms (INC-2): acknowledge, shelve, unshelve, shelf expiry, all through
``Alarm.FLOW``; and commissioning windows, whose new alarms are suppressed."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zhiban.core import audit, live, timewindow
from zhiban.core.actors import SCHEDULER, Source
from zhiban.core.errors import Conflict, NotFound
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import (
    ANY_VERSION,
    create_from_form,
    locked,
    save_change,
    update_in_centre,
    validated,
)
from zhiban.org.models import Centre

from ..forms import AlarmShelveForm, CommissioningForm
from ..models import Alarm, AlarmState, Commissioning

# --- alarms: people's actions (INC-2) -----------------------------------------------------------

_ALARM_ROWS = Alarm.objects.select_related("centre", "site", "equipment", "acked_by", "shelved_by")
FLOW = Alarm.FLOW


def alarms_changed(centre_id: int, alarm_ids: list[int]) -> None:
    """The centre's open consoles reload the alarms (after commit)."""
    if alarm_ids:
        live.push_on_commit(
            live.centre_group(centre_id), {"kind": "alarms", "new": [], "changed": alarm_ids}
        )


def _local(alarm, at) -> str:
    return timewindow.shown(at, alarm.centre.tz, "%Y-%m-%d %H:%M:%S")


def _acknowledge(alarm, *, actor, source) -> None:
    """INC-2: unacknowledged → acknowledged, cleared-unacknowledged → cleared (``Alarm.FLOW``);
    records who and when. An alarm already acknowledged is a conflict naming who did it and
    when."""
    if not FLOW.allows(alarm.state, "acknowledge"):
        if alarm.acked_by_id:
            raise Conflict(
                _("Already acknowledged by %(who)s at %(at)s (INC-2).")
                % {"who": alarm.acked_by, "at": _local(alarm, alarm.acked_at)},
                rule="INC-2",
            )
        raise Conflict(
            _("Only an unacknowledged alarm can be acknowledged; this one is: %(state)s (INC-2).")
            % {"state": alarm.get_state_display()},
            rule="INC-2",
        )
    before = audit.snapshot(alarm)
    alarm.state = FLOW.next_state(alarm.state, "acknowledge")
    alarm.acked_at, alarm.acked_by = timezone.now(), actor
    save_change(alarm, actor=actor, source=source, verb="alarm.ack", before=before)


@transaction.atomic
def alarm_ack(*, actor, source, alarm_id) -> Alarm:
    """INC-2: acknowledge one alarm (the row is locked: of two people, one wins and the other
    is told who acknowledged it). The state guards it, not a version: nothing is lost, so no
    version applies (DESIGN-1)."""
    alarm = locked(_ALARM_ROWS, alarm_id, ANY_VERSION)
    require(actor, Action.ALARM_ACK, alarm.centre)
    _acknowledge(alarm, actor=actor, source=source)
    alarms_changed(alarm.centre_id, [alarm.pk])
    return alarm


@transaction.atomic
def alarm_ack_many(*, actor, source, centre, alarm_ids) -> int:
    """INC-2: acknowledge every alarm shown (the console's “acknowledge all”); those already
    acknowledged are skipped. Returns how many were acknowledged. An id that is not an alarm
    of ``centre`` is "not found" like any foreign id, and nothing is acknowledged (ORG-3)."""
    require(actor, Action.ALARM_ACK, centre)
    ids = set(alarm_ids)
    rows = list(
        _ALARM_ROWS.select_for_update(of=("self",)).filter(centre=centre, pk__in=ids).order_by("pk")
    )
    if len(rows) != len(ids):
        raise NotFound(rule="ORG-3")
    done = []
    for alarm in rows:
        if FLOW.allows(alarm.state, "acknowledge"):
            _acknowledge(alarm, actor=actor, source=source)
            done.append(alarm.pk)
    alarms_changed(centre.pk, done)
    return len(done)


@transaction.atomic
def alarm_shelve(*, actor, source, alarm_id, version: int, data) -> Alarm:
    """INC-2: take an open alarm off the console for a while, with the reason and an expiry at
    most ``alarms.shelve_max_hours`` ahead; it is listed at every handover meanwhile."""
    alarm = locked(_ALARM_ROWS, alarm_id, version)
    require(actor, Action.ALARM_SHELVE, alarm.centre)
    form = validated(AlarmShelveForm, data, centre=alarm.centre)
    if alarm.state == AlarmState.SHELVED:
        raise Conflict(
            _("Already shelved by %(who)s until %(until)s (INC-2).")
            % {"who": alarm.shelved_by, "until": _local(alarm, alarm.shelved_until)},
            rule="INC-2",
        )
    if not FLOW.allows(alarm.state, "shelve"):
        raise Conflict(
            _("Only an open alarm can be shelved; this one is: %(state)s (INC-2).")
            % {"state": alarm.get_state_display()},
            rule="INC-2",
        )
    before = audit.snapshot(alarm)
    alarm.state = FLOW.next_state(alarm.state, "shelve")
    alarm.shelve_reason = form.cleaned_data["reason"]
    alarm.shelved_until = form.cleaned_data["until"]
    alarm.shelved_by = actor
    save_change(
        alarm,
        actor=actor,
        source=source,
        verb="alarm.shelve",
        before=before,
        reason=alarm.shelve_reason,
    )
    alarms_changed(alarm.centre_id, [alarm.pk])
    return alarm


def _off_the_shelf(alarm, *, actor, source, reason: str = "") -> None:
    """Back to unacknowledged while the condition is present, otherwise cleared (INC-2)."""
    before = audit.snapshot(alarm)
    alarm.state = FLOW.next_state(alarm.state, "unshelve" if alarm.active else "unshelve_cleared")
    alarm.shelved_until, alarm.shelve_reason, alarm.shelved_by = None, "", None
    alarm.acked_at, alarm.acked_by = None, None
    save_change(
        alarm, actor=actor, source=source, verb="alarm.unshelve", before=before, reason=reason
    )


@transaction.atomic
def alarm_unshelve(*, actor, source, alarm_id, version: int) -> Alarm:
    alarm = locked(_ALARM_ROWS, alarm_id, version)
    require(actor, Action.ALARM_SHELVE, alarm.centre)
    if not FLOW.allows(alarm.state, "unshelve"):
        raise Conflict(_("This alarm is not shelved (INC-2)."), rule="INC-2")
    _off_the_shelf(alarm, actor=actor, source=source)
    alarms_changed(alarm.centre_id, [alarm.pk])
    return alarm


@transaction.atomic
def alarms_unshelve_expired() -> int:
    """The periodic job: shelved alarms whose expiry has passed return to the console (INC-2).
    Centre by centre, so each query follows the index on (centre, state)."""
    now = timezone.now()
    total = 0
    for centre_id in Centre.objects.values_list("pk", flat=True):
        expired = (
            _ALARM_ROWS.select_for_update(of=("self",))
            .filter(centre_id=centre_id, state=AlarmState.SHELVED, shelved_until__lte=now)
            .order_by("pk")
        )
        done = []
        for alarm in expired:
            _off_the_shelf(
                alarm, actor=SCHEDULER, source=Source.JOB, reason=gettext_noop("shelving expired")
            )
            done.append(alarm.pk)
        alarms_changed(centre_id, done)
        total += len(done)
    return total


@transaction.atomic
def commissioning_create(*, actor, source, centre, data) -> Commissioning:
    """INC-2: equipment being commissioned in a window; its new alarms are suppressed."""
    require(actor, Action.ALARM_CONFIGURE, centre)
    form = validated(CommissioningForm, data, centre=centre)

    def prepare(commissioning: Commissioning) -> None:
        commissioning.centre, commissioning.recorded_by = centre, actor

    return create_from_form(
        actor=actor, source=source, form=form, verb="commissioning.create", prepare=prepare
    )


@transaction.atomic
def commissioning_update(*, actor, source, commissioning_id, version: int, changes):
    return update_in_centre(
        actor=actor,
        source=source,
        model=Commissioning,
        pk=commissioning_id,
        version=version,
        changes=changes,
        form_class=CommissioningForm,
        action=Action.ALARM_CONFIGURE,
        verb="commissioning.update",
    )
