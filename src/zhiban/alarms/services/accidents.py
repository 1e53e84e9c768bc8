"""Accident records (事故记录, INC-5): drafted by a breaker trip, written by hand, completed;
each counts a trip on the breaker (CNT-1)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import InvalidInput, Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import create_from_form, locked, save_change, update_from_form, validated
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.org.models import Equipment, EquipmentKind
from zhiban.upkeep.models import CounterKind
from zhiban.upkeep.services import counter_add

from ..forms import AccidentRecordCreateForm, AccidentRecordForm
from ..models import AccidentRecord, AccidentState, Alarm
from ..selectors import on_duty_operator


def trips_drafted(*, actor, source, trips: list[tuple[int, datetime]]) -> None:
    """INC-5, CNT-1: every breaker trip, an accident-class raise of an alarm on a breaker that
    is not suppressed (a trip test under a maintenance tag is), opens a draft accident record
    prefilled with station, equipment, time, the operator on duty then and the breaker, adds
    one to the breaker's trip counter and writes the duty log — a repeated trip while the
    first one's alarm is still open as well as the first. ``trips``: (alarm id, event time)."""
    alarms = (
        Alarm.objects.filter(
            pk__in={pk for pk, _at in trips}, equipment__kind=EquipmentKind.BREAKER
        )
        .select_related("centre", "site", "equipment")
        .in_bulk()
    )
    for pk, at in sorted(trips, key=lambda trip: trip[1]):
        alarm = alarms.get(pk)
        if alarm is None or alarm.equipment is None:
            continue
        record = AccidentRecord.objects.create(
            centre=alarm.centre,
            site=alarm.site,
            equipment=alarm.equipment,
            alarm=alarm,
            incident_id=alarm.incident_id,
            occurred_at=at,
            operator=on_duty_operator(alarm.centre, at),
            breakers=alarm.equipment.double_name,
            voltage_level=alarm.equipment.voltage_level or alarm.site.voltage_level,
        )
        audit.record(
            actor=actor,
            source=source,
            verb="accident.draft",
            obj=record,
            after=audit.snapshot(record),
        )
        _accident_noted(
            actor=actor,
            source=source,
            record=record,
            verb="accident.draft",
            params={"alarm": alarm},
        )


# CNT-1: the counter a state change (变位) of equipment of these kinds adds to
SWITCHED: dict[str, str] = {
    EquipmentKind.CAPACITOR: CounterKind.SWITCHING,
    EquipmentKind.TAP_CHANGER: CounterKind.TAP,
}


def operations_counted(*, source, changes: list[tuple[object, int, datetime]]) -> None:
    """CNT-1: a state-change raise from the gateway on a capacitor adds a switching, on an
    on-load tap changer a tap change, in the name of its sender; equipment of other kinds
    costs one query of the batch and nothing more. ``changes``: (sender, equipment id, time)."""
    if not changes:
        return
    equipment = (
        Equipment.objects.filter(pk__in={pk for _a, pk, _at in changes}, kind__in=list(SWITCHED))
        .select_related("site", "centre")
        .in_bulk()
    )
    for actor, pk, at in sorted(changes, key=lambda change: change[2]):
        item = equipment.get(pk)
        if item is not None:
            counter_add(actor=actor, source=source, equipment=item, kind=SWITCHED[item.kind], at=at)


def _accident_noted(*, actor, source, record: AccidentRecord, verb: str, params: dict) -> None:
    """INC-5: a new accident record on a breaker adds one to its trip counter (upkeep), and
    the duty log notes the record."""
    if record.equipment and record.equipment.kind == EquipmentKind.BREAKER:
        counter_add(
            actor=actor,
            source=source,
            equipment=record.equipment,
            kind=CounterKind.TRIP,
            at=record.occurred_at,
        )
    log_write(
        actor=actor,
        source=source,
        centre=record.centre,
        category=LogCategory.ANOMALY,
        site=record.site,
        equipment=record.equipment,
        at=record.occurred_at,
        regarding=record,
        verb=verb,
        params=params,
    )


# --- accident records (INC-5) --------------------------------------------------------------------

ACCIDENT_COMPLETE_FIELDS = (
    "kind",
    "description",
    "protection",
    "cause",
    "voltage_level",
    "dispatcher",
    "dispatcher_at",
    "superiors",
    "superiors_at",
    "operator",
)


@transaction.atomic
def accident_record_create(*, actor, source, centre, data) -> AccidentRecord:
    """INC-5: an accident record written by hand, for a trip seen without an alarm. The
    operator on duty and the voltage level are taken from the roster and the equipment when
    not given; a breaker's trip counts on its trip counter."""
    require(actor, Action.ACCIDENT_RECORD, centre)
    form = validated(AccidentRecordCreateForm, data, centre=centre)

    def prepare(record) -> None:
        record.centre = centre
        record.operator = record.operator or on_duty_operator(centre, record.occurred_at)
        equipment = record.equipment
        record.voltage_level = record.voltage_level or (
            (equipment.voltage_level if equipment else "") or record.site.voltage_level
        )

    record = create_from_form(
        actor=actor, source=source, form=form, verb="accident.create", prepare=prepare
    )
    _accident_noted(
        actor=actor,
        source=source,
        record=record,
        verb="accident.create",
        params={"record": record},
    )
    live.refresh_on_commit(centre, "alarms-incident")
    return record


def _draft_record(actor, record_id, version: int) -> AccidentRecord:
    record = locked(AccidentRecord.objects.select_related("centre"), record_id, version)
    require(actor, Action.ACCIDENT_RECORD, record.centre)
    if record.state != AccidentState.DRAFT:
        raise Refused(
            _("A completed accident record is read-only."),
            code="transition_refused",
            rule="INC-5",
        )
    return record


@transaction.atomic
def accident_record_update(*, actor, source, record_id, version: int, changes) -> AccidentRecord:
    """INC-5: the centre fills in what the trip alarm could not tell (kind, protection
    operated, cause, voltage level, who was told and when) while the record is a draft."""
    record = _draft_record(actor, record_id, version)
    record = update_from_form(
        actor=actor,
        source=source,
        obj=record,
        form_class=AccidentRecordForm,
        changes=changes,
        verb="accident.update",
        centre=record.centre,
    )
    live.refresh_on_commit(record.centre, "alarms-incident")
    return record


@transaction.atomic
def accident_record_complete(*, actor, source, record_id, version: int) -> AccidentRecord:
    """INC-5: a record is complete once its kind, description, protection operated, cause,
    voltage level and the reports to the dispatcher and to the superiors (who and when) are
    filled in — refused naming every missing field. A completed record is read-only."""
    record = _draft_record(actor, record_id, version)
    missing = [name for name in ACCIDENT_COMPLETE_FIELDS if not getattr(record, name)]
    if missing:
        labels = [
            str(getattr(AccidentRecord._meta.get_field(n), "verbose_name", n)) for n in missing
        ]
        raise InvalidInput(
            _("Fill in before completing: %(fields)s.") % {"fields": "、".join(labels)},
            rule="INC-5",
            fields={
                name: [_("%(field)s is needed to complete the record (INC-5).") % {"field": label}]
                for name, label in zip(missing, labels, strict=True)
            },
        )
    before = audit.snapshot(record)
    record.state = AccidentRecord.FLOW.next_state(record.state, "complete")
    record.completed_at, record.completed_by = timezone.now(), actor
    save_change(record, actor=actor, source=source, verb="accident.complete", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=record.centre,
        category=LogCategory.ANOMALY,
        site=record.site,
        equipment=record.equipment,
        regarding=record,
        verb="accident.complete",
        params={"record": record, "kind": record.kind, "cause": record.cause},
    )
    live.refresh_on_commit(record.centre, "alarms-incident")
    return record
