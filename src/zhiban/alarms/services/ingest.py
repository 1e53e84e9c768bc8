"""The gateway's one write (INC-1): ``events_ingest`` stores each event once and folds the new
ones into their alarms (INC-2, ``lifecycle.py``); alarm sources; dead letters."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from zhiban.core import audit, live, timewindow
from zhiban.core.permissions import Action
from zhiban.core.scoping import can, require_platform_admin
from zhiban.core.services import create_in_centre, update_in_centre
from zhiban.org.models import Centre

from .. import hooks, metrics, sequences, store, suppressions
from .. import refs as refs_
from ..events import EventIn, ItemResult
from ..forms import AlarmSourceForm
from ..lifecycle import AlarmRow, Occurrence, fold
from ..models import PRIORITY, AlarmClass, AlarmSource, AlarmState, DeadLetter, EventAction
from .accidents import operations_counted, trips_drafted

# --- ingestion (INC-1) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sender:
    """One caller of a shared ingestion (INC-1): who sends (``actor``), its items (parsed
    ``EventIn`` or a reason string), the ids of the sources its API token names (None: no
    token; ORG-3) and the language its items' reasons are given in (None: the active one)."""

    actor: object
    items: list
    token_sources: frozenset[int] | None = None
    language: str | None = None


@dataclass
class _Accepted:
    index: int
    event: EventIn
    source: AlarmSource
    site_id: int
    equipment_id: int | None
    key: str
    actor: object = None  # whose event it is: its audit event and accident draft name them
    sender: int = 0  # its sender's place in ``senders``


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
    """INC-1: the items of one caller, stored as ``events_ingest_from`` stores a sender's.
    ``token_sources``: the ids of the sources the caller's API token names; an event of any
    other source is refused (INC-1, ORG-3). None: no token (a session, MQTT, the command line)."""
    sender = Sender(actor, items, token_sources)
    [results] = events_ingest_from(source=source, channel=channel, senders=[sender])
    return results


def events_ingest_from(*, source, channel: str, senders: list[Sender]) -> list[list[ItemResult]]:
    """INC-1: stores each new event once (by source and event id), folds the new ones into
    their alarms (INC-2), opens an accident record for each breaker trip (INC-5) and pushes
    the changes to the centres' consoles, for the items of several callers at once (the HTTP
    gateway's group, ADR 0009). Each sender's items are checked as its own: its person may
    send for the centre, its token for the source (ORG-3), reasons in its language; valid
    items are stored even when others are bad. Returns each sender's answers, with its own
    indexes. One transaction; retried once, with the sources, sites and equipment read
    again, if it failed on a constraint (another gateway opened the same alarm at the same
    moment, or equipment went meanwhile)."""
    for attempt in (1, 2):
        results, accepted = _accepted(senders)
        try:
            stored = _store(source, channel, accepted) if accepted else set()
            break
        except IntegrityError:
            if attempt == 2:
                raise
            refs_.forget()
    for a in accepted:
        status = "accepted" if (a.source.pk, a.event.id) in stored else "duplicate"
        results[a.sender][a.index] = ItemResult(a.index, a.event.id, status)
    answers = [[r for r in mine if r is not None] for mine in results]
    known = refs_.for_events(()).sources
    for sender, mine in zip(senders, answers, strict=True):
        metrics.counted(channel, sender.items, mine, known)
    return answers


def _refusal(sender: Sender):
    """Why ``sender`` may not send events of a source; empty if it may (INC-1, ORG-3)."""
    centres: dict[int, bool] = {}

    def refusal(alarm_source) -> str:
        if sender.token_sources is not None and alarm_source.pk not in sender.token_sources:
            return _("this token may not send events for source “%(code)s” (INC-1, ORG-3)") % {
                "code": alarm_source.code
            }
        centre = alarm_source.centre
        if centre.pk not in centres:
            centres[centre.pk] = can(sender.actor, Action.EVENT_INGEST, centre)
        if not centres[centre.pk]:
            return _("this account may not send events for %(centre)s") % {"centre": centre}
        return ""

    return refusal


def _accepted(senders: list[Sender]) -> tuple[list[list[ItemResult | None]], list[_Accepted]]:
    """Each sender's answers of the items refused or repeated within the call (an event two
    senders send is stored for the first), and the rest resolved."""
    refs = refs_.for_events(
        item for sender in senders for item in sender.items if isinstance(item, EventIn)
    )
    answers: list[list[ItemResult | None]] = []
    accepted: list[_Accepted] = []
    seen: set[tuple[str, str]] = set()
    for place, sender in enumerate(senders):
        results: list[ItemResult | None] = [None] * len(sender.items)
        answers.append(results)
        refusal = _refusal(sender)
        language = sender.language
        with translation.override(language) if language else contextlib.nullcontext():
            for index, item in enumerate(sender.items):
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
                    outcome.index, outcome.actor, outcome.sender = index, sender.actor, place
                    accepted.append(outcome)
    return answers, accepted


@transaction.atomic
def _store(source, channel, accepted: list[_Accepted]) -> set[tuple[int, str]]:
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
    # points of a new station being accepted (ACC-2): by site and signal, their values noted
    held = suppressions.signal_reasons([_reading(a) for a in new], now)
    # a raise that opens an alarm may be older than a clear an earlier batch brought (INC-2)
    earlier = store.latest_events(
        {
            key: next(a.event.at for a in group if a.event.action == EventAction.RAISE)
            for key, group in by_key.items()
            if key not in open_rows and any(a.event.action == EventAction.RAISE for a in group)
        },
        besides={(a.source.pk, a.event.id) for a in new},
    )
    touched: list[AlarmRow] = []
    for key, group in by_key.items():
        first = group[0]

        def start(event: Occurrence, first=first, key=key) -> AlarmRow:
            reason = muted.get(first.equipment_id, "") if first.equipment_id else ""
            reason = reason or held.get((first.site_id, first.event.signal), "")
            return AlarmRow(
                key=key,
                centre_id=first.source.centre_id,
                source_id=first.source.pk,
                site_id=first.site_id,
                equipment_id=first.equipment_id,
                signal=first.event.signal,
                klass=event.klass,
                priority=PRIORITY[event.klass],
                state=AlarmState.CLEARED,  # before the raise: the fold moves it (INC-2)
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
        touched += fold(open_rows.get(key), occurrences, start, earlier.get(key))
    created = [r for r in touched if r.id is None]
    store.save_alarms(touched, now)
    _after_ingest(source, channel, new, touched, created, by_key)
    return stored


def _reading(a: _Accepted) -> suppressions.Reading:
    event = a.event
    shown = event.value or event.text[:60] or str(EventAction(event.action).label)
    return suppressions.Reading(a.site_id, event.equipment, event.signal, shown, event.at)


def _lost_events(new: list[_Accepted], now) -> list[_Accepted]:
    """INC-1: the "lost events" (丢失事件) alarm of each source whose numbers skipped some
    (raised, naming the source and the missing numbers) or whose missing events have all
    arrived late (cleared); ``sequences.py`` keeps the count. It is the change of the
    sender of that source's first new event."""
    actors: dict[int, object] = {}
    for a in new:
        actors.setdefault(a.source.pk, a.actor)
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
            actors[found.source.pk],
        )
        for found in sequences.track(new)
    ]


def _after_ingest(source, channel, new, touched, created, by_key) -> None:
    """Accident records for breaker trips, each in the name of the sender of its raise
    (INC-5); capacitor switchings and tap changes counted (CNT-1); the new alarms to the
    registered hooks after commit (EMG-1); per sender and centre the audit event of its
    events, naming the alarms they
    touched (an alarm that two senders' events touched is named by both); per centre the
    live push to its consoles (INC-1)."""
    created_ids = {id(r) for r in created}
    actors_of = {key: list(dict.fromkeys(a.actor for a in group)) for key, group in by_key.items()}
    _trips_drafted(source, touched, by_key)
    operations_counted(source=source, changes=_switchings(new))
    counts: dict[tuple, int] = {}
    for a in new:
        counts[(a.actor, a.source.centre_id)] = counts.get((a.actor, a.source.centre_id), 0) + 1
    per_sender: dict[tuple, list[AlarmRow]] = {}
    per_centre: dict[int, list[AlarmRow]] = {}
    for row in touched:
        per_centre.setdefault(row.centre_id, []).append(row)
        for actor in actors_of[row.key]:
            per_sender.setdefault((actor, row.centre_id), []).append(row)
    for (actor, centre_id), rows in per_sender.items():
        events = counts.get((actor, centre_id), 0)
        audit.record(
            actor=actor,
            source=source,
            verb="events.ingest",
            object_type="alarms.alarmevent",
            object_repr=f"{events} events via {channel}",
            centre=Centre(pk=centre_id),
            after={
                "channel": channel,
                "events": events,
                "alarms_new": [r.id for r in rows if id(r) in created_ids][:100],
                "alarms_changed": len(rows),
            },
        )
    hooks.raised_on_commit([r.id for r in created])  # e.g. an emergency plan starts (EMG-1)
    for centre_id, rows in per_centre.items():
        live.push_on_commit(
            live.centre_group(centre_id),
            {
                "kind": "alarms",
                "new": [
                    {"id": r.id, "klass": r.klass, "priority": r.priority, "signal": r.signal}
                    for r in rows
                    if id(r) in created_ids
                ][:50],
                "changed": [r.id for r in rows[:200]],
            },
        )


def _trips_drafted(source, touched: list[AlarmRow], by_key) -> None:
    """INC-5: the breaker trips of the batch, drafted in the name of the sender whose
    accident-class raise each is; most batches have none: no query then."""
    raisers = {
        (key, a.event.at): a.actor
        for key, group in by_key.items()
        for a in group
        if a.event.action == EventAction.RAISE and a.event.klass == AlarmClass.ACCIDENT
    }
    trips: dict[object, list] = {}
    for row in touched:
        if row.equipment_id:
            for at in row.accident_raises:
                trips.setdefault(raisers[(row.key, at)], []).append((row.id, at))
    for actor, theirs in trips.items():
        trips_drafted(actor=actor, source=source, trips=theirs)


def _switchings(new: list[_Accepted]) -> list[tuple[object, int, datetime]]:
    """CNT-1: the state-change (变位) raises on equipment of the batch, as (sender,
    equipment id, time); the equipment's kind is read only when there are some."""
    return [
        (a.actor, a.equipment_id, a.event.at)
        for a in new
        if a.equipment_id
        and a.event.action == EventAction.RAISE
        and a.event.klass == AlarmClass.CHANGE
    ]


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
