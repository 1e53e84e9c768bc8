"""The one door for writes to alarms and incidents.

- ``events_ingest``: the gateway's one write (INC-1): every channel hands it parsed events.
- incidents: opened by hand, from alarms or by another capability (OPS-10), closed with how
  it ended; an open incident blocks the handover (DUTY-10).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.permissions import Action
from zhiban.core.scoping import can, require
from zhiban.core.services import (
    create_in_centre,
    locked,
    save_change,
    update_in_centre,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.org.models import Centre, Equipment, EquipmentKind, Site
from zhiban.upkeep.models import CounterKind
from zhiban.upkeep.services import counter_add

from . import store, suppressions
from .events import EventIn
from .forms import AlarmSourceForm, IncidentCloseForm, IncidentForm
from .lifecycle import AlarmRow, Occurrence, fold
from .models import (
    PRIORITY,
    AccidentRecord,
    Alarm,
    AlarmClass,
    AlarmSource,
    AlarmState,
    Incident,
)
from .selectors import on_duty_operator

# --- ingestion (INC-1) ------------------------------------------------------------------------


@dataclass
class ItemResult:
    """The answer for one item of a batch: accepted, duplicate or rejected with the reason."""

    index: int
    id: str
    status: str
    reason: str = ""


@dataclass
class _Accepted:
    index: int
    event: EventIn
    source: AlarmSource
    site_id: int
    equipment_id: int | None
    key: str


class _Refs:
    """Sources, sites and equipment named in one batch, read with one query each."""

    def __init__(self, events: list[EventIn]):
        codes = {e.source for e in events}
        self.sources = {
            s.code: s
            for s in AlarmSource.objects.filter(code__in=codes, active=True).select_related(
                "centre"
            )
        }
        centre_ids = {s.centre_id for s in self.sources.values()}
        self.sites = {
            (centre_id, code): pk
            for pk, centre_id, code in Site.objects.filter(
                centre_id__in=centre_ids, code__in={e.site for e in events}
            ).values_list("pk", "centre_id", "code")
        }
        self.equipment: dict[tuple[int, str], int | None] = {}
        rows = Equipment.objects.filter(site_id__in=set(self.sites.values())).values_list(
            "pk", "site_id", "name", "dispatch_number"
        )
        for pk, site_id, name, number in rows:
            names = {name, f"{name} {number}".strip(), number} - {""}
            for ref in names:
                key = (site_id, ref)
                # an ambiguous name resolves to nothing, and the event is rejected
                self.equipment[key] = None if key in self.equipment else pk


def _accept(event: EventIn, refs: _Refs, allowed) -> _Accepted | str:
    source = refs.sources.get(event.source)
    if source is None:
        return _("unknown or inactive source “%(code)s”") % {"code": event.source}
    if not allowed(source.centre):
        return _("this account may not send events for %(centre)s") % {"centre": source.centre}
    site_id = refs.sites.get((source.centre_id, event.site))
    if site_id is None:
        return _("unknown site “%(code)s” at %(centre)s") % {
            "code": event.site,
            "centre": source.centre,
        }
    equipment_id = None
    if event.equipment:
        equipment_id = refs.equipment.get((site_id, event.equipment))
        if equipment_id is None:
            return _("unknown or ambiguous equipment “%(ref)s” at site %(site)s") % {
                "ref": event.equipment,
                "site": event.site,
            }
    key = f"{source.pk}|{site_id}|{equipment_id or ''}|{event.signal}"
    return _Accepted(0, event, source, site_id, equipment_id, key)


@transaction.atomic
def alarm_source_create(*, actor, source, centre, data, reason: str = "") -> AlarmSource:
    """A new outside system that may send events to the centre (INC-1)."""
    return create_in_centre(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=AlarmSourceForm,
        action=Action.ALARM_CONFIGURE,
        verb="alarm_source.create",
        reason=reason,
    )


@transaction.atomic
def alarm_source_update(*, actor, source, source_id, version: int, changes, reason: str = ""):
    return update_in_centre(
        actor=actor,
        source=source,
        model=AlarmSource,
        pk=source_id,
        version=version,
        changes=changes,
        form_class=AlarmSourceForm,
        action=Action.ALARM_CONFIGURE,
        verb="alarm_source.update",
        reason=reason,
    )


def events_ingest(*, actor, source, items: list, channel: str = "http") -> list[ItemResult]:
    """INC-1: stores each new event once (by source and event id), folds the new ones into
    their alarms (INC-2), opens an accident record for each breaker trip (INC-5) and pushes
    the changes to the centres' consoles. Items are parsed ``EventIn`` or a reason string;
    valid items are stored even when others are bad. One transaction; retried once if another
    gateway opened the same alarm at the same moment."""
    results: list[ItemResult | None] = [None] * len(items)
    events = [item for item in items if isinstance(item, EventIn)]
    refs = _Refs(events) if events else None
    centres: dict[int, bool] = {}

    def allowed(centre) -> bool:
        if centre.pk not in centres:
            centres[centre.pk] = can(actor, Action.EVENT_INGEST, centre)
        return centres[centre.pk]

    accepted: list[_Accepted] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        if not isinstance(item, EventIn):
            results[index] = ItemResult(index, "", "rejected", str(item))
            continue
        outcome = _accept(item, refs, allowed)
        if isinstance(outcome, str):
            results[index] = ItemResult(index, item.id, "rejected", outcome)
        elif (item.source, item.id) in seen:
            results[index] = ItemResult(index, item.id, "duplicate")
        else:
            seen.add((item.source, item.id))
            outcome.index = index
            accepted.append(outcome)
    if accepted:
        for attempt in (1, 2):
            try:
                stored = _store(actor, source, channel, accepted)
                break
            except IntegrityError:
                if attempt == 2:
                    raise
        for a in accepted:
            status = "accepted" if (a.source.pk, a.event.id) in stored else "duplicate"
            results[a.index] = ItemResult(a.index, a.event.id, status)
    return [r for r in results if r is not None]


@transaction.atomic
def _store(actor, source, channel, accepted: list[_Accepted]) -> set[tuple[int, str]]:
    now = timezone.now()
    stored = store.insert_events(
        [
            (
                a.source.pk,
                a.event.id,
                now,
                a.event.at,
                a.key,
                a.event.action,
                a.event.klass,
                a.site_id,
                a.equipment_id,
                a.event.signal,
                a.event.value,
                a.event.text,
            )
            for a in accepted
        ]
    )
    new = [a for a in accepted if (a.source.pk, a.event.id) in stored]
    if not new:
        return stored
    by_key: dict[str, list[_Accepted]] = {}
    for a in sorted(new, key=lambda a: a.event.at):
        by_key.setdefault(a.key, []).append(a)
    open_rows = store.open_alarms(list(by_key))
    muted = suppressions.reasons({a.equipment_id for a in new if a.equipment_id}, now)
    touched: list[AlarmRow] = []
    for key, group in by_key.items():
        first = group[0]

        def start(event: Occurrence, first=first, key=key) -> AlarmRow:
            reason = muted.get(first.equipment_id, "") if first.equipment_id else ""
            return AlarmRow(
                key=key,
                centre_id=first.source.centre_id,
                source_id=first.source.pk,
                site_id=first.site_id,
                equipment_id=first.equipment_id,
                signal=first.event.signal,
                klass=event.klass,
                priority=PRIORITY[event.klass],
                state=AlarmState.SUPPRESSED if reason else AlarmState.UNACKED,
                active=True,
                count=1,
                first_at=event.at,
                last_at=event.at,
                cleared_at=None,
                value=event.value,
                text=event.text,
                suppressed_reason=reason,
            )

        occurrences = [
            Occurrence(a.event.action, a.event.at, a.event.klass, a.event.value, a.event.text)
            for a in group
        ]
        touched += fold(open_rows.get(key), occurrences, start)
    created = [r for r in touched if r.id is None]
    store.save_alarms(touched, now)
    _after_ingest(actor, source, channel, new, touched, created)
    return stored


def _after_ingest(actor, source, channel, new, touched, created) -> None:
    """Per centre: the audit event of the batch, accident records for breaker trips (INC-5)
    and the live push to its consoles (INC-1)."""
    per_centre: dict[int, list[AlarmRow]] = {}
    for row in touched:
        per_centre.setdefault(row.centre_id, []).append(row)
    counts: dict[int, int] = {}
    for a in new:
        counts[a.source.centre_id] = counts.get(a.source.centre_id, 0) + 1
    _trips_recorded(actor=actor, source=source, alarm_ids=[r.id for r in created])
    for centre_id, rows in per_centre.items():
        created_here = [r for r in rows if any(r is c for c in created)]
        audit.record(
            actor=actor,
            source=source,
            verb="events.ingest",
            object_type="alarms.alarmevent",
            object_repr=f"{counts.get(centre_id, 0)} events via {channel}",
            centre=Centre(pk=centre_id),
            after={
                "channel": channel,
                "events": counts.get(centre_id, 0),
                "alarms_new": [r.id for r in created_here][:100],
                "alarms_changed": len(rows),
            },
        )
        live.push_on_commit(
            live.centre_group(centre_id),
            {
                "kind": "alarms",
                "new": [
                    {"id": r.id, "klass": r.klass, "priority": r.priority, "signal": r.signal}
                    for r in created_here[:50]
                ],
                "changed": [r.id for r in rows[:200]],
            },
        )


def _trips_recorded(*, actor, source, alarm_ids: list[int]) -> None:
    """INC-5: every new breaker-trip alarm (accident class on a breaker, not suppressed) opens a draft accident
    record prefilled with station, equipment, time, the operator on duty and the breaker, adds
    one to the breaker's trip counter and writes the duty log."""
    trips = (
        Alarm.objects.filter(
            pk__in=alarm_ids, klass=AlarmClass.ACCIDENT, equipment__kind=EquipmentKind.BREAKER
        )
        .exclude(state=AlarmState.SUPPRESSED)  # a trip test under a maintenance tag
        .select_related("centre", "site", "equipment")
    )
    for alarm in trips:
        record = AccidentRecord.objects.create(
            centre=alarm.centre,
            site=alarm.site,
            equipment=alarm.equipment,
            alarm=alarm,
            occurred_at=alarm.first_at,
            operator=on_duty_operator(alarm.centre, alarm.first_at),
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
        counter_add(
            actor=actor,
            source=source,
            equipment=alarm.equipment,
            kind=CounterKind.TRIP,
            at=alarm.first_at,
        )
        log_write(
            actor=actor,
            source=source,
            centre=alarm.centre,
            category=LogCategory.ANOMALY,
            site=alarm.site,
            equipment=alarm.equipment,
            at=alarm.first_at,
            regarding=record,
            text=_("Breaker trip: %(alarm)s; accident record drafted") % {"alarm": alarm},
        )


# --- incidents (DUTY-10, OPS-10) ----------------------------------------------------------------


@transaction.atomic
def incident_open(*, actor, source, centre, data, origin=None) -> Incident:
    """A new incident at the centre, optionally pointing at the record it came from."""
    require(actor, Action.INCIDENT_MANAGE, centre)
    form = validated(IncidentForm, data, centre=centre)
    incident = form.save(commit=False)
    incident.centre, incident.opened_by = centre, actor
    if origin is not None:
        incident.content_type = ContentType.objects.get_for_model(origin)
        incident.object_id = str(origin.pk)
    incident.save()
    audit.record(
        actor=actor,
        source=source,
        verb="incident.open",
        obj=incident,
        after=audit.snapshot(incident),
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.ANOMALY,
        site=incident.site,
        at=incident.opened_at,
        regarding=incident,
        text=_("Incident opened: %(title)s") % {"title": incident.title},
    )
    live.refresh_on_commit(centre, "duty-handover")
    return incident


@transaction.atomic
def incident_close(*, actor, source, incident_id, version: int, data) -> Incident:
    incident = locked(Incident.objects.select_related("centre", "site"), incident_id, version)
    require(actor, Action.INCIDENT_MANAGE, incident.centre)
    note = validated(IncidentCloseForm, data).cleaned_data["note"]
    before = audit.snapshot(incident)
    incident.state = Incident.FLOW.next_state(incident.state, "close")
    incident.closed_at, incident.closed_by, incident.closing_note = timezone.now(), actor, note
    save_change(incident, actor=actor, source=source, verb="incident.close", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=incident.centre,
        category=LogCategory.ANOMALY,
        site=incident.site,
        regarding=incident,
        text=_("Incident closed: %(title)s — %(note)s") % {"title": incident.title, "note": note},
    )
    live.refresh_on_commit(incident.centre, "duty-handover")
    return incident
