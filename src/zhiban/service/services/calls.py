"""The hotline's calls (呼叫中心对接, issue 12 item 9, CS-1, CS-6): the telephone system's
events stored once per call however often they are replayed, the live pop on the answering
agent's screen, missed calls taken from the morning queue, and a call linked to the case its
contact was recorded on.

``call_events_record`` is the one write of the events (``POST /api/service/calls``, the
simulator, the benchmark): one transaction for one event or for a group of them (each its
sender's), a few queries each — the call's row locked, its customer found once, the agents
from a per-process directory — and one audit event per changed call. A replayed event changes
nothing and writes nothing (idempotent by centre and call id).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from zhiban.core import audit, live, timewindow
from zhiban.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    MissingVersion,
    NotFound,
    Refused,
)
from zhiban.core.permissions import Action
from zhiban.core.scoping import centre_ids_for, require
from zhiban.core.services import ANY_VERSION, locked, save_change
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.org.models import Centre, Membership

from .. import phones
from ..cti import MISSED_CAUSES, CallEvent
from ..models import Call, CallDirection, CallState, Customer

KEEP = 10.0  # seconds the centres and each centre's agents are kept in this process
CUSTOMER_SERVICE = "customer_service"
PANEL = "service"  # the queue's and the caller log's live panels
VERB = {"newCall": "call.ring", "answer": "call.answer", "hangup": "call.hang_up"}


# --- what the events refer to, kept a few seconds per process ----------------------------------


class _Kept:
    """A value per key, read again after ``KEEP`` seconds — or at once when ``has`` says what
    is asked for is missing from it (a centre or person just added) and it is older than a
    second; safe across the gateway's threads."""

    def __init__(self, load):
        self.load, self.known, self.lock = load, {}, threading.Lock()

    def get(self, key, *, has=None):
        found = self.known.get(key)
        now = time.monotonic()
        fresh = found is not None and found[1] > now
        if fresh and (has is None or has(found[0]) or found[1] - KEEP > now - 1):
            return found[0]
        value = self.load(key)
        with self.lock:
            self.known[key] = (value, time.monotonic() + KEEP)
        return value

    def forget(self) -> None:
        with self.lock:
            self.known.clear()


def _load_centres(_key) -> dict[int, Centre]:
    return {c.pk: c for c in Centre.objects.filter(active=True)}


@dataclass(frozen=True)
class Directory:
    """A centre's people as the telephone system names them (``cti.py``): by login name,
    employee number, name — in that order — and by phone number for ``answeringNumber``."""

    by_login: dict[str, int]
    by_number: dict[str, int]
    by_name: dict[str, int]
    by_phone: dict[str, int]

    def knows(self, name: str) -> bool:
        return name in self.by_login or name in self.by_number or name in self.by_name

    def find(self, name: str) -> int | None:
        for names in (self.by_login, self.by_number, self.by_name):
            if name in names:
                return names[name]
        return None

    def answering(self, value: str) -> int | None:
        """Zammad's ``answeringNumber``: a phone number, a login name or an employee number."""
        digits = phones.digits(value)
        if digits.isdigit() and digits in self.by_phone:
            return self.by_phone[digits]
        return self.by_login.get(value) or self.by_number.get(value)


def _load_directory(centre_id: int) -> Directory:
    rows = (
        Membership.objects.filter(centre_id=centre_id, active=True, person__is_active=True)
        .order_by("person_id")
        .values_list("person_id", "person__username", "person__employee_no", "person__name")
    )
    phones_ = Membership.objects.filter(
        centre_id=centre_id, active=True, person__is_active=True
    ).values_list("person_id", "person__phone")
    directory = Directory({}, {}, {}, {})
    for pk, login, number, name in rows:
        directory.by_login.setdefault(login, pk)
        if number:
            directory.by_number.setdefault(number, pk)
        directory.by_name.setdefault(name, pk)
    for pk, phone in phones_:
        if phone:
            directory.by_phone.setdefault(phones.digits(phone), pk)
    return directory


_centres = _Kept(_load_centres)
_directories = _Kept(_load_directory)


def forget(**_signal) -> None:
    """Drop what this process keeps, at once and again at commit: a centre, person or
    membership was saved (``apps.ready`` connects it); other processes see the change within
    ``KEEP`` seconds, or a second when an event names what they do not know yet."""

    def drop() -> None:
        _centres.forget()
        _directories.forget()

    drop()
    transaction.on_commit(drop)


def ingest_centre(actor, code: str = "") -> Centre:
    """The customer-service centre the sender's calls are for: the one where its person may
    send calls (CALL_INGEST), or the one its ``centre`` names when it may for several."""
    allowed = centre_ids_for(actor, Action.CALL_INGEST)

    def has(known: dict[int, Centre]) -> bool:
        return all(pk in known for pk in allowed or ()) and (
            not code or any(c.code == code for c in known.values())
        )

    mine = [
        c
        for c in _centres.get(None, has=has).values()
        if c.kind == CUSTOMER_SERVICE and (allowed is None or c.pk in allowed)
    ]
    if code:
        found = next((c for c in mine if c.code == code), None)
        if found is None:
            raise NotFound(rule="ORG-3")
        return found
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise Forbidden(
            _("This account may not send calls for any customer-service centre."), rule="ORG-3"
        )
    codes = ", ".join(sorted(c.code for c in mine))
    message = _("Name the centre (one of %(codes)s).") % {"codes": codes}
    raise InvalidInput(fields={"centre": [message]})


# --- the events ---------------------------------------------------------------------------------


@dataclass
class _Event:
    """One event in hand: who sent it, what it says, for which centre and when."""

    actor: object
    event: CallEvent
    centre: Centre
    at: datetime


def _when(centre: Centre, event: CallEvent) -> datetime:
    """The event's time in the centre's window (ORG-4); now when it has none."""
    if event.at is None:
        return timezone.now()
    at = event.at if timezone.is_aware(event.at) else timezone.make_aware(event.at, centre.tz)
    refused = timewindow.refusal(centre, at, timewindow.Kind.NOW, _("time"))
    if refused:
        raise InvalidInput(fields={"time": [refused]}, rule=timewindow.RULE)
    return at


def call_event_record(*, actor, source, event: CallEvent) -> Call:
    """One event of one sender (the API): the call as it stands after it; a refusal raises."""
    [result] = call_events_record(source=source, events=[(actor, event)])
    if isinstance(result, DomainError):
        raise result
    return result


def call_events_record(*, source, events: list[tuple[object, CallEvent]]) -> list:
    """Each event's call, or its refusal (a ``DomainError``, nothing written for it), in the
    order given: the events of several senders in one transaction (the gateway's group).
    Each event is its sender's: its person may send calls for the centre (CALL_INGEST, ORG-3),
    its time lies in the centre's window (ORG-4). A ``newCall`` stores the call once; an
    ``answer`` or ``hangup`` moves it on once; a replay answers the call as it is and writes
    nothing. An ``answer`` or ``hangup`` of a call never announced stores it from that event.
    The group's calls are read (and locked) in one query, its new calls' customers found in
    one and the new calls stored in one; another transaction storing one of the same new
    calls at the same moment makes this one run again, finding that call stored."""
    results: list = [None] * len(events)
    ready: list[tuple[int, _Event]] = []
    for place, (actor, event) in enumerate(events):
        try:
            with translation.override(getattr(actor, "language", None) or get_language()):
                centre = ingest_centre(actor, event.centre)
                ready.append((place, _Event(actor, event, centre, _when(centre, event))))
        except DomainError as refusal:
            results[place] = refusal
    for attempt in (1, 2):
        try:
            calls = _store(source, [e for _place, e in ready]) if ready else []
            break
        except IntegrityError:
            if attempt == 2:
                raise
    for (place, _event), call in zip(ready, calls, strict=True):
        results[place] = call
    return results


@dataclass
class _Done:
    """What one event did to its call: ``change`` is "new", a change's name, or "" (a
    replay); ``before`` the call as it was (a change of a stored call)."""

    event: _Event
    call: Call
    change: str
    before: dict | None = None


@transaction.atomic
def _store(source, events: list[_Event]) -> list[Call]:
    known = _locked(events)
    new: dict[tuple[int, str], Call] = {}
    done: list[_Done] = []
    for e in events:
        key = (e.centre.pk, e.event.call_id)
        call = known.get(key) or new.get(key)
        if call is None:
            new[key] = call = _new_call(e)
            done.append(_Done(e, call, "new"))
            continue
        before = audit.snapshot(call) if call.pk else None
        change = CHANGE[e.event.event](call, e)
        done.append(_Done(e, call, change, before))
    if new:
        _find_customers(list(new.values()))
        Call.objects.bulk_create(list(new.values()))  # a call stored meanwhile: IntegrityError
    settled = _missed_to_settle([d for d in done if d.change in ("new", "answered")])
    for d in done:
        _record(source, d, settled)
    return [d.call for d in done]


def _locked(events: list[_Event]) -> dict[tuple[int, str], Call]:
    """The stored calls the events name, locked for the transaction: one query a centre."""
    by_centre: dict[int, set[str]] = {}
    for e in events:
        by_centre.setdefault(e.centre.pk, set()).add(e.event.call_id)
    found: dict[tuple[int, str], Call] = {}
    for centre_id, ids in by_centre.items():
        rows = Call.objects.select_for_update(of=("self",)).filter(
            centre_id=centre_id, call_id__in=sorted(ids)
        )
        found.update({(centre_id, c.call_id): c for c in rows.order_by("call_id")})
    return found


def _find_customers(calls: list[Call]) -> None:
    """The new calls' customers by number: one query a centre."""
    numbers: dict[int, set[str]] = {}
    for call in calls:
        if call.number:
            numbers.setdefault(call.centre_id, set()).add(call.number)
    for centre_id, wanted in numbers.items():
        customers = dict(
            Customer.objects.filter(centre_id=centre_id, phone__in=wanted).values_list(
                "phone", "pk"
            )
        )
        for call in calls:
            if call.centre_id == centre_id and call.number:
                call.customer_id = customers.get(call.number)


def _record(source, d: _Done, settled: dict[int, list[int]]) -> None:
    """The event's audit, the call's row for a change of a stored call, and what follows."""
    e, call = d.event, d.call
    if not d.change:
        return  # a replay: nothing written
    verb = VERB[e.event.event]
    if d.change == "new" or d.before is None:  # stored by this group, as it stands now
        audit.record(actor=e.actor, source=source, verb=verb, obj=call, after=audit.snapshot(call))
    else:
        save_change(call, actor=e.actor, source=source, verb=verb, before=d.before)
    first = d.change == "new"  # the call first heard of by this event: its own kind counts
    answered = d.change == "answered" or (first and e.event.event == "answer")
    _after(source, call, e, settled, rung=first and e.event.event == "newCall", answered=answered)


def _new_call(e: _Event) -> Call:
    """A call first heard of by this event (a ``newCall``, or an ``answer`` or ``hangup``
    whose ``newCall`` never came or comes later)."""
    event, directory = e.event, _directory(e.centre, e.event)
    call = Call(
        centre=e.centre,
        call_id=event.call_id,
        direction=event.direction or CallDirection.IN,
        from_number=event.from_number,
        to_number=event.to_number,
        queue=event.queue,
        agents=list(event.users) if event.event == "newCall" else [],
        state=CallState.RINGING,
        started_at=e.at,
    )
    call.number = _number(call)
    if event.event == "answer":
        call.state, call.answered_at = CallState.ANSWERED, e.at
        call.answered_by_id = _agent(directory, event)
    elif event.event == "hangup":
        _end(call, e)
    return call


def _number(call: Call) -> str:
    number = call.to_number if call.direction == CallDirection.OUT else call.from_number
    return number if number.isdigit() else ""


def _directory(centre: Centre, event: CallEvent) -> Directory:
    """The centre's people, read again at once for a name it does not know yet."""
    return _directories.get(centre.pk, has=lambda d: all(d.knows(n) for n in event.users))


def _agent(directory: Directory, event: CallEvent) -> int | None:
    """The answering agent: the first of ``user`` the directory knows, else the one
    ``answeringNumber`` names."""
    for name in event.users:
        found = directory.find(name)
        if found is not None:
            return found
    return directory.answering(event.answering_number) if event.answering_number else None


def _ring(call: Call, e: _Event) -> str:
    """A ``newCall`` of a call already stored: a replay, or the announcement arriving after
    its ``answer`` / ``hangup`` — it fills in what those did not say."""
    event, changed = e.event, False
    for name, value in (
        ("from_number", event.from_number),
        ("to_number", event.to_number),
        ("queue", event.queue),
    ):
        if value and not getattr(call, name):
            setattr(call, name, value)
            changed = True
    if event.users and not call.agents:
        call.agents, changed = list(event.users), True
    if e.at < call.started_at:
        call.started_at, changed = e.at, True
    if changed and not call.number:
        call.number = _number(call)
    return "filled" if changed else ""


def _answer(call: Call, e: _Event) -> str:
    if call.answered_at is not None:
        return ""
    call.answered_at = max(e.at, call.started_at)
    call.answered_by_id = _agent(_directory(e.centre, e.event), e.event)
    call.missed = False  # an answer that arrives after its hang-up
    if call.state == CallState.RINGING:
        call.state = CallState.ANSWERED
    return "answered"


def _hang_up(call: Call, e: _Event) -> str:
    if call.state == CallState.ENDED:
        if e.event.recording and not call.recording:  # the recording named later
            call.recording = e.event.recording
            return "recording"
        return ""
    _end(call, e)
    if call.answered_at is not None and call.answered_by_id is None:
        call.answered_by_id = _agent(_directory(e.centre, e.event), e.event)
    return "ended"


def _end(call: Call, e: _Event) -> None:
    """CS-6: an incoming call never answered that ends with a no-answer cause is missed."""
    event = e.event
    call.state = CallState.ENDED
    call.ended_at = max(e.at, call.answered_at or call.started_at)
    call.cause = event.cause
    call.recording = event.recording or call.recording
    call.missed = (
        call.direction == CallDirection.IN
        and call.answered_at is None
        and event.cause in MISSED_CAUSES
    )


CHANGE = {"newCall": _ring, "answer": _answer, "hangup": _hang_up}


def _after(source, call: Call, e: _Event, settled, *, rung: bool, answered: bool) -> None:
    """The pop on the agents' screens (live, after commit), the missed calls this answered
    call settles (CS-6), the queue's refresh when it changed."""
    if answered:
        _settle_missed(source, call, e, settled.get(call.pk, []))
        if call.answered_by_id and call.state == CallState.ANSWERED:
            _pop(e.centre, call, [call.answered_by_id])
    elif rung and call.direction == CallDirection.IN and call.state == CallState.RINGING:
        directory = _directory(e.centre, e.event)
        people = [p for p in (directory.find(n) for n in e.event.users) if p is not None]
        _pop(e.centre, call, people)
    if call.missed:
        live.refresh_on_commit(e.centre, PANEL)


def _pop(centre: Centre, call: Call, people: list[int]) -> None:
    """The caller's card on each agent's open Zhiban page (``_call_pop.html``)."""
    url = reverse("service:call_pop", args=[centre.code, call.pk])
    for person in dict.fromkeys(people):
        live.push_on_commit(
            live.person_group(person), {"kind": "pop", "key": f"call-{call.pk}", "url": url}
        )


def _day_start(centre: Centre, at: datetime) -> datetime:
    return timezone.localtime(at, centre.tz).replace(hour=0, minute=0, second=0, microsecond=0)


def _missed_to_settle(done: list[_Done]) -> dict[int, list[int]]:
    """CS-6: for each call answered by the group (by id), the missed calls of its number
    earlier the same day (the centre's) not yet called back: one query a centre, through the
    partial index ``service_call_missed_number``."""
    answered: dict[Centre, list[tuple[Call, datetime]]] = {}
    for d in done:
        if d.call.answered_at is not None and d.call.number:
            answered.setdefault(d.event.centre, []).append((d.call, d.call.answered_at))
    found: dict[int, list[int]] = {}
    for centre, calls in answered.items():
        rows = list(
            Call.objects.filter(
                centre=centre,
                number__in={c.number for c, _at in calls},
                missed=True,
                called_back_at=None,
                started_at__gte=min(_day_start(centre, at) for _c, at in calls),
            ).values_list("pk", "number", "started_at")
        )
        for call, answered_at in calls:
            since = _day_start(centre, answered_at)
            found[call.pk] = [
                pk
                for pk, number, at in rows
                if number == call.number and since <= at < answered_at and pk != call.pk
            ]
    return found


def _settle_missed(source, call: Call, e: _Event, ids: list[int]) -> None:
    """CS-6: the missed calls of the same number earlier the same day are called back by
    this answered call, and leave the morning queue."""
    if not ids:
        return
    Call.objects.filter(pk__in=ids, called_back_at=None).update(
        called_back_at=call.answered_at, callback=call, version=F("version") + 1
    )
    audit.record(
        actor=e.actor,
        source=source,
        verb="call.called_back",
        obj=call,
        after={"called_back": ids, "number": call.number},
    )
    live.refresh_on_commit(e.centre, PANEL)


# --- missed calls and cases (CS-6) -------------------------------------------------------------


@transaction.atomic
def missed_call_take(*, actor, source, call_id, version: int) -> Call:
    """CS-6: an agent takes a missed call from the morning queue to call the customer back;
    whoever takes it first owns it to the end — a second agent is refused naming who took it
    (409). The call leaves the queue once the callback's contact is recorded on a case
    (``call_link_case``, from the intake) or an answered call of the same number settles it."""
    if version is None:
        raise MissingVersion()
    call = locked(Call.objects.select_related("centre", "taken_by"), call_id, ANY_VERSION)
    require(actor, Action.SERVICE_INTAKE, call.centre)
    if call.taken_by_id is not None:
        raise Refused(
            _("%(person)s took this missed call at %(at)s.")
            % {
                "person": call.taken_by.name,
                "at": timewindow.shown(call.taken_at, call.centre.tz),
            },
            code="taken",
            rule="CS-6",
        )
    if not call.missed:
        raise Refused(
            _("Only a missed call is taken from the queue."), code="not_missed", rule="CS-6"
        )
    if call.case_id is not None or call.called_back_at is not None:
        raise Refused(
            _("This missed call is settled already: the customer was called back."),
            code="settled",
            rule="CS-6",
        )
    if call.version != version:
        raise Conflict()
    before = audit.snapshot(call)
    call.taken_by, call.taken_at = actor, timezone.now()
    save_change(call, actor=actor, source=source, verb="call.take", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=call.centre,
        category=LogCategory.PHONE,
        verb="call.take",
        params={
            "number": phones.shown(call.number) or call.from_number,
            "at": timezone.localtime(call.started_at, call.centre.tz),
        },
        regarding=call,
    )
    live.refresh_on_commit(call.centre, PANEL)
    return call


def call_link_case(*, actor, source, call_id, case) -> Call:
    """The call a contact was recorded from is the case's (the intake's ``?call=<id>``, CS-1):
    it shows on the case's page, and a missed call leaves the morning queue (CS-6). Runs inside
    the caller's transaction; a call of another centre is not found (404), a call on another
    case already is refused (409)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("call_link_case runs inside the recording service's transaction")
    try:
        call = locked(Call.objects.filter(centre=case.centre), call_id, ANY_VERSION)
    except NotFound:
        raise NotFound(rule="ORG-3") from None
    if call.case_id == case.pk:
        return call
    if call.case_id is not None:
        raise Refused(
            _("This call is recorded on another case already."), code="linked", rule="CS-1"
        )
    before = audit.snapshot(call)
    call.case = case
    if call.customer_id is None:
        call.customer_id = case.customer_id
    if call.missed and call.taken_by_id is None and not getattr(actor, "is_system", False):
        call.taken_by, call.taken_at = actor, timezone.now()
    save_change(call, actor=actor, source=source, verb="call.link_case", before=before)
    if call.missed:
        live.refresh_on_commit(case.centre, PANEL)
    return call
