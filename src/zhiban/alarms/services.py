"""The one door for writes to alarms and incidents.

- ``events_ingest``: the gateway's one write (INC-1): every channel hands it parsed events.
- incidents: opened by hand, from alarms or by another capability (OPS-10); each step, the
  verdict of a security alarm and closing follow the kind's playbook (``playbooks.py``;
  INC-4, INC-6 … INC-10); an open incident blocks the handover (DUTY-10).
- accident records: drafted by a breaker trip, written by hand, completed (INC-5).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live, timewindow
from zhiban.core.actors import SCHEDULER, Source
from zhiban.core.errors import Conflict, InvalidInput, NotFound, Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import can, require, require_platform_admin
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
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.org.models import Centre, EquipmentKind
from zhiban.upkeep.models import CounterKind
from zhiban.upkeep.services import counter_add

from . import refs as refs_
from . import sequences, store, suppressions
from .events import EventIn, ItemResult
from .forms import (
    AccidentRecordCreateForm,
    AccidentRecordForm,
    AlarmShelveForm,
    AlarmSourceForm,
    CommissioningForm,
    IncidentAlarmsForm,
    IncidentCloseForm,
    IncidentForm,
    StepForm,
    VerdictForm,
)
from .lifecycle import AlarmRow, Occurrence, fold
from .models import (
    PRIORITY,
    AccidentRecord,
    AccidentState,
    Alarm,
    AlarmClass,
    AlarmSource,
    AlarmState,
    Commissioning,
    DeadLetter,
    EventAction,
    Incident,
    IncidentState,
    IncidentStep,
    StepKind,
)
from .playbooks import check_close, check_fields, check_step, check_time, check_verdict, playbook
from .selectors import UNACKED_STATES, on_duty_operator

# --- ingestion (INC-1) ------------------------------------------------------------------------


@dataclass
class _Accepted:
    index: int
    event: EventIn
    source: AlarmSource
    site_id: int
    equipment_id: int | None
    key: str


def _accept(event: EventIn, refs: refs_.Refs, refusal) -> _Accepted | str:
    source = refs.sources.get(event.source)
    if source is None:
        return _("unknown or inactive source “%(code)s”") % {"code": event.source}
    refused = refusal(source)
    if refused:
        return refused
    late = timewindow.refusal(source.centre, event.at)  # the centre's window (ORG-4)
    if late:
        return late
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


def events_ingest(
    *, actor, source, items: list, channel: str = "http", token_sources=None
) -> list[ItemResult]:
    """INC-1: stores each new event once (by source and event id), folds the new ones into
    their alarms (INC-2), opens an accident record for each breaker trip (INC-5) and pushes
    the changes to the centres' consoles. Items are parsed ``EventIn`` or a reason string;
    valid items are stored even when others are bad. One transaction; retried once, with the
    sources, sites and equipment read again, if it failed on a constraint (another gateway
    opened the same alarm at the same moment, or equipment went meanwhile).
    ``token_sources``: the ids of the sources the caller's API token names; an event of any
    other source is refused (INC-1, ORG-3). None: no token (a session, MQTT, the command line)."""
    centres: dict[int, bool] = {}

    def refusal(alarm_source) -> str:
        """Why the caller may not send events of this source; empty if it may."""
        if token_sources is not None and alarm_source.pk not in token_sources:
            return _("this token may not send events for source “%(code)s” (INC-1, ORG-3)") % {
                "code": alarm_source.code
            }
        centre = alarm_source.centre
        if centre.pk not in centres:
            centres[centre.pk] = can(actor, Action.EVENT_INGEST, centre)
        if not centres[centre.pk]:
            return _("this account may not send events for %(centre)s") % {"centre": centre}
        return ""

    for attempt in (1, 2):
        results, accepted = _accepted(items, refusal)
        try:
            stored = _store(actor, source, channel, accepted) if accepted else set()
            break
        except IntegrityError:
            if attempt == 2:
                raise
            refs_.forget()
    for a in accepted:
        status = "accepted" if (a.source.pk, a.event.id) in stored else "duplicate"
        results[a.index] = ItemResult(a.index, a.event.id, status)
    return [r for r in results if r is not None]


def _accepted(items: list, refusal) -> tuple[list[ItemResult | None], list[_Accepted]]:
    """The answers of the items refused or repeated within the batch, and the rest resolved."""
    results: list[ItemResult | None] = [None] * len(items)
    refs = refs_.for_events(item for item in items if isinstance(item, EventIn))
    accepted: list[_Accepted] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        if not isinstance(item, EventIn):
            results[index] = ItemResult(index, "", "rejected", str(item))
            continue
        outcome = _accept(item, refs, refusal)
        if isinstance(outcome, str):
            results[index] = ItemResult(index, item.id, "rejected", outcome)
        elif (item.source, item.id) in seen:
            results[index] = ItemResult(index, item.id, "duplicate")
        else:
            seen.add((item.source, item.id))
            outcome.index = index
            accepted.append(outcome)
    return results, accepted


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
                a.event.seq,
            )
            for a in accepted
        ]
    )
    new = [a for a in accepted if (a.source.pk, a.event.id) in stored]
    if not new:
        return stored
    lost = _lost_events(new, now)
    # after the events: batches store those side by side
    store.lock_keys(a.key for a in [*new, *lost])
    by_key: dict[str, list[_Accepted]] = {}
    for a in [*sorted(new, key=lambda a: a.event.at), *lost]:
        by_key.setdefault(a.key, []).append(a)
    open_rows = store.open_alarms(list(by_key))
    # only a new alarm asks whether it is suppressed: a key with no open alarm, or one that a
    # clear in this batch may close
    starting = {
        group[0].equipment_id
        for key, group in by_key.items()
        if group[0].equipment_id
        and (key not in open_rows or any(a.event.action == EventAction.CLEAR for a in group))
    }
    muted = suppressions.reasons(starting, now)
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


def _lost_events(new: list[_Accepted], now) -> list[_Accepted]:
    """INC-1: the "lost events" (丢失事件) alarm of each source whose numbers skipped some
    (raised, naming the source and the missing numbers) or whose missing events have all
    arrived late (cleared); ``sequences.py`` keeps the count."""
    return [
        _Accepted(
            -1,
            EventIn.model_construct(
                source=found.source.code,
                id="",
                at=now,
                site=found.site_code,
                signal=_("lost events"),
                klass=AlarmClass.ABNORMAL,
                action=found.action,
                value=found.value,
                text=found.text,
            ),
            found.source,
            found.site_id,
            None,
            f"lost|{found.source.pk}",
        )
        for found in sequences.track(new)
    ]


def _after_ingest(actor, source, channel, new, touched, created) -> None:
    """Per centre: the audit event of the batch, accident records for breaker trips (INC-5)
    and the live push to its consoles (INC-1)."""
    created_ids = {id(r) for r in created}
    per_centre: dict[int, list[AlarmRow]] = {}
    for row in touched:
        per_centre.setdefault(row.centre_id, []).append(row)
    counts: dict[int, int] = {}
    for a in new:
        counts[a.source.centre_id] = counts.get(a.source.centre_id, 0) + 1
    trips = [r.id for r in created if r.klass == AlarmClass.ACCIDENT and r.equipment_id]
    if trips:  # most batches have none: no query then
        _trips_recorded(actor=actor, source=source, alarm_ids=trips)
    for centre_id, rows in per_centre.items():
        created_here = [r for r in rows if id(r) in created_ids]
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
        _accident_noted(
            actor=actor,
            source=source,
            record=record,
            text=_("Breaker trip: %(alarm)s; accident record drafted") % {"alarm": alarm},
        )


def _accident_noted(*, actor, source, record: AccidentRecord, text: str) -> None:
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
        text=text,
    )


# --- dead letters (INC-1) ---------------------------------------------------------------------

DEAD_LETTER_MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Letter:
    """A payload, or one item of it, that a gateway could not read, and why. ``redelivered``:
    the broker sent it again (MQTT DUP flag), so it may be kept already."""

    topic: str
    payload: bytes | str
    reason: str
    redelivered: bool = False


def _storable(value: bytes | str, max_bytes: int) -> str:
    """Text every database stores: undecodable bytes, lone surrogates and NULs escaped, cut
    at ``max_bytes`` of UTF-8."""
    if isinstance(value, bytes):
        value = value[:max_bytes].decode("utf-8", "backslashreplace")
    text = value.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")
    return text.encode("utf-8")[:max_bytes].decode("utf-8", "ignore")


@transaction.atomic
def dead_letters_record(*, actor, source, channel: str, letters: list[Letter]) -> int:
    """INC-1: what a gateway could not read is kept with the reason (the payload cut at 64 KB),
    never dropped. A redelivered letter kept already (the gateway died after its commit, before
    the broker had its acknowledgement) is not kept twice. Returns how many were kept."""
    require_platform_admin(actor)
    now = timezone.now()
    rows = []
    for letter in letters:
        row = DeadLetter(
            received_at=now,
            channel=channel,
            topic=_storable(letter.topic, 800)[:200],
            payload=_storable(letter.payload, DEAD_LETTER_MAX_BYTES),
            reason=_storable(letter.reason, 2000)[:500],
        )
        kept = DeadLetter.objects.filter(
            channel=row.channel, topic=row.topic, payload=row.payload, reason=row.reason
        )
        if not (letter.redelivered and kept.exists()):
            rows.append(row)
    if rows:
        DeadLetter.objects.bulk_create(rows)
        audit.record(
            actor=actor,
            source=source,
            verb="dead_letters.record",
            object_type="alarms.deadletter",
            object_repr=f"{len(rows)} dead letters via {channel}",
            after={"channel": channel, "count": len(rows), "reasons": [r.reason for r in rows[:5]]},
        )
    return len(rows)


# --- incidents (INC-4, INC-6 … INC-10, DUTY-10, OPS-10) ------------------------------------------
# Each kind of incident follows its playbook (alarms/playbooks.py); every step, verdict and
# grouping is version-checked, audited, written to the duty log and refreshed live.

_INCIDENT_ROWS = Incident.objects.select_related("centre", "site")


def _incident_changed(incident) -> None:
    """Open incident pages and the handover panel (DUTY-10) reload after commit."""
    live.refresh_on_commit(incident.centre, "duty-handover", "alarms-incident")


def _group_alarms(incident, alarms) -> list[int]:
    """The alarms join the incident, and so do their accident records (INC-5). An alarm that
    another incident took meanwhile is a conflict."""
    ids = [a.pk for a in alarms]
    if not ids:
        return ids
    joined = (
        Alarm.objects.filter(pk__in=ids)
        .filter(Q(incident=None) | Q(incident=incident))
        .update(incident=incident)
    )
    if joined != len(ids):
        raise Conflict()
    AccidentRecord.objects.filter(alarm_id__in=ids, incident=None).update(incident=incident)
    _alarms_changed(incident.centre_id, ids)
    return ids


def _incident_log(incident, *, actor, source, text: str, at=None) -> None:
    log_write(
        actor=actor,
        source=source,
        centre=incident.centre,
        category=LogCategory.ANOMALY,
        site=incident.site,
        at=at,
        regarding=incident,
        text=text,
    )


@transaction.atomic
def incident_open(*, actor, source, centre, data, origin=None) -> Incident:
    """A new incident at the centre, of a kind whose playbook it follows (INC-4 … INC-10).
    ``data["alarms"]`` groups alarms of the centre (site, title and kind come from the first
    when not given); ``origin`` is the record it came from (OPS-10). While open it blocks the
    handover (DUTY-10)."""
    require(actor, Action.INCIDENT_MANAGE, centre)
    form = validated(IncidentForm, data, centre=centre)
    incident = form.save(commit=False)
    incident.centre, incident.opened_by = centre, actor
    if origin is not None:
        incident.content_type = ContentType.objects.get_for_model(origin)
        incident.object_id = str(origin.pk)
    incident.save()
    alarms = _group_alarms(incident, form.cleaned_data["alarms"])
    audit.record(
        actor=actor,
        source=source,
        verb="incident.open",
        obj=incident,
        after={**audit.snapshot(incident), "alarms": alarms},
    )
    _incident_log(
        incident,
        actor=actor,
        source=source,
        at=incident.opened_at,
        text=_("Incident opened: %(title)s") % {"title": incident.title},
    )
    _incident_changed(incident)
    return incident


def _incident_for_change(actor, incident_id, version: int) -> Incident:
    """The incident, locked at the version the person read, still being handled."""
    incident = locked(_INCIDENT_ROWS, incident_id, version)
    require(actor, Action.INCIDENT_MANAGE, incident.centre)
    if incident.state != IncidentState.OPEN:
        raise Refused(
            _("The incident is closed; nothing more is recorded on it."),
            code="transition_refused",
            rule=playbook(incident.kind).rule,
        )
    return incident


def _recorded(incident) -> dict:
    """Each kind of step on record with its earliest time."""
    recorded = {}
    for kind, at in incident.steps.order_by("at").values_list("kind", "at"):
        recorded.setdefault(kind, at)
    return recorded


def _bump(incident) -> None:
    incident.version += 1
    incident.save()


@transaction.atomic
def incident_step_record(*, actor, source, incident_id, version: int, data) -> IncidentStep:
    """One step with its time (default now; not in the future, not before the incident was
    opened nor before the step it follows), whom it concerned and what was said, checked
    against the incident's playbook (INC-4, INC-6 … INC-10). A note may be added to any
    incident. Steps are append-only; each also goes into the duty log."""
    incident = _incident_for_change(actor, incident_id, version)
    cleaned = validated(StepForm, data, centre=incident.centre).cleaned_data
    kind, text, location = cleaned["kind"], cleaned["text"], cleaned["location"]
    recorded, not_before = _recorded(incident), []
    if kind == StepKind.NOTE:
        if not text:
            raise InvalidInput(fields={"text": [_("Write the note.")]})
    else:
        line = check_step(
            playbook(incident.kind), kind=kind, recorded=recorded, verdict=incident.verdict
        )
        check_fields(line, counterpart=cleaned["counterpart"], text=text, location=location)
        not_before = [recorded[a] for a in line.after]
    at = cleaned["at"] or timezone.now()
    check_time(at, opened_at=incident.opened_at, not_before=not_before)
    if location:
        incident.location = location
    step = IncidentStep.objects.create(
        incident=incident,
        kind=kind,
        at=at,
        counterpart=cleaned["counterpart"],
        text=text or location,
        recorded_by=actor,
    )
    _bump(incident)
    audit.record(
        actor=actor,
        source=source,
        verb="incident.step",
        obj=incident,
        after={
            "step": kind,
            "at": at,
            "counterpart": step.counterpart,
            "text": step.text,
            "location": incident.location,
        },
    )
    detail = "：".join(p for p in (step.counterpart, step.text) if p)
    _incident_log(
        incident,
        actor=actor,
        source=source,
        at=at,
        text=(
            f"{incident.title} — {step.get_kind_display()}" + (f"（{detail}）" if detail else "")
        )[:4000],
    )
    _incident_changed(incident)
    return step


@transaction.atomic
def incident_verdict(*, actor, source, incident_id, version: int, data) -> Incident:
    """INC-8, INC-9: after verification on site the alarm is judged real, false or an
    equipment fault; the verdict chooses the step that must follow before closing."""
    incident = _incident_for_change(actor, incident_id, version)
    verdict = validated(VerdictForm, data).cleaned_data["verdict"]
    check_verdict(playbook(incident.kind), recorded=_recorded(incident), verdict=incident.verdict)
    before = audit.snapshot(incident)
    incident.verdict = verdict
    save_change(incident, actor=actor, source=source, verb="incident.verdict", before=before)
    _incident_log(
        incident,
        actor=actor,
        source=source,
        text=_("%(title)s — verdict: %(verdict)s")
        % {"title": incident.title, "verdict": incident.get_verdict_display()},
    )
    _incident_changed(incident)
    return incident


@transaction.atomic
def incident_alarms_add(*, actor, source, incident_id, version: int, data) -> Incident:
    """More alarms of the centre grouped into an incident being handled."""
    incident = _incident_for_change(actor, incident_id, version)
    form = validated(IncidentAlarmsForm, data, centre=incident.centre, incident=incident)
    alarms = _group_alarms(incident, form.cleaned_data["alarms"])
    _bump(incident)
    audit.record(
        actor=actor, source=source, verb="incident.alarms", obj=incident, after={"alarms": alarms}
    )
    _incident_changed(incident)
    return incident


@transaction.atomic
def incident_close(*, actor, source, incident_id, version: int, data) -> Incident:
    """Closes the incident with how it ended, once its playbook's steps (and verdict) are on
    record — refused naming the rule and what is missing (INC-4, INC-6 … INC-10)."""
    incident = locked(_INCIDENT_ROWS, incident_id, version)
    require(actor, Action.INCIDENT_MANAGE, incident.centre)
    note = validated(IncidentCloseForm, data).cleaned_data["note"]
    before = audit.snapshot(incident)
    incident.state = Incident.FLOW.next_state(incident.state, "close")
    done = set(incident.steps.values_list("kind", flat=True))
    check_close(playbook(incident.kind), done=done, verdict=incident.verdict)
    incident.closed_at, incident.closed_by, incident.closing_note = timezone.now(), actor, note
    save_change(incident, actor=actor, source=source, verb="incident.close", before=before)
    _incident_log(
        incident,
        actor=actor,
        source=source,
        text=_("Incident closed: %(title)s — %(note)s") % {"title": incident.title, "note": note},
    )
    _incident_changed(incident)
    return incident


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
        text=_("Accident record written: %(record)s") % {"record": record},
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
        labels = [str(AccidentRecord._meta.get_field(n).verbose_name) for n in missing]
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
        text=_("Accident record completed: %(record)s — %(kind)s, %(cause)s")
        % {"record": record, "kind": record.get_kind_display(), "cause": record.cause},
    )
    live.refresh_on_commit(record.centre, "alarms-incident")
    return record


# --- alarms: people's actions (INC-2) -----------------------------------------------------------

_ALARM_ROWS = Alarm.objects.select_related("centre", "site", "equipment", "acked_by", "shelved_by")
SHELVABLE_STATES = (AlarmState.UNACKED, AlarmState.ACKED, AlarmState.CLEARED_UNACKED)


def _alarms_changed(centre_id: int, alarm_ids: list[int]) -> None:
    """The centre's open consoles reload the alarms (after commit)."""
    if alarm_ids:
        live.push_on_commit(
            live.centre_group(centre_id), {"kind": "alarms", "new": [], "changed": alarm_ids}
        )


def _local(alarm, at) -> str:
    return timewindow.shown(at, alarm.centre.tz, "%Y-%m-%d %H:%M:%S")


def _acknowledge(alarm, *, actor, source) -> None:
    """INC-2: unacknowledged → acknowledged, cleared-unacknowledged → cleared; records who and
    when. An alarm already acknowledged is a conflict naming who did it and when."""
    if alarm.state not in UNACKED_STATES:
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
    alarm.state = AlarmState.ACKED if alarm.state == AlarmState.UNACKED else AlarmState.CLEARED
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
    _alarms_changed(alarm.centre_id, [alarm.pk])
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
        if alarm.state in UNACKED_STATES:
            _acknowledge(alarm, actor=actor, source=source)
            done.append(alarm.pk)
    _alarms_changed(centre.pk, done)
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
    if alarm.state not in SHELVABLE_STATES:
        raise Conflict(
            _("Only an open alarm can be shelved; this one is: %(state)s (INC-2).")
            % {"state": alarm.get_state_display()},
            rule="INC-2",
        )
    before = audit.snapshot(alarm)
    alarm.state = AlarmState.SHELVED
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
    _alarms_changed(alarm.centre_id, [alarm.pk])
    return alarm


def _off_the_shelf(alarm, *, actor, source, reason: str = "") -> None:
    """Back to unacknowledged while the condition is present, otherwise cleared (INC-2)."""
    before = audit.snapshot(alarm)
    alarm.state = AlarmState.UNACKED if alarm.active else AlarmState.CLEARED
    alarm.shelved_until, alarm.shelve_reason, alarm.shelved_by = None, "", None
    alarm.acked_at, alarm.acked_by = None, None
    save_change(
        alarm, actor=actor, source=source, verb="alarm.unshelve", before=before, reason=reason
    )


@transaction.atomic
def alarm_unshelve(*, actor, source, alarm_id, version: int) -> Alarm:
    alarm = locked(_ALARM_ROWS, alarm_id, version)
    require(actor, Action.ALARM_SHELVE, alarm.centre)
    if alarm.state != AlarmState.SHELVED:
        raise Conflict(_("This alarm is not shelved (INC-2)."), rule="INC-2")
    _off_the_shelf(alarm, actor=actor, source=source)
    _alarms_changed(alarm.centre_id, [alarm.pk])
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
            _off_the_shelf(alarm, actor=SCHEDULER, source=Source.JOB, reason=_("shelving expired"))
            done.append(alarm.pk)
        _alarms_changed(centre_id, done)
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
