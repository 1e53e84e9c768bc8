"""The telephone system's events as the hotline's PBX adapters send them: Zammad's generic CTI
(呼叫中心对接, issue 12 item 9), so the adapters people already run for Asterisk (AMI) or
FreeSWITCH post to Zhiban unchanged — one event per request, as JSON or as form data
(``application/x-www-form-urlencoded`` or ``multipart/form-data``)::

    {"event": "newCall", "callId": "1732771200.42", "from": "13800000051",
     "to": "4008200365", "direction": "in", "user": ["linxiao"], "queue": "hotline"}
    {"event": "answer", "callId": "1732771200.42", "user": "linxiao"}
    {"event": "hangup", "callId": "1732771200.42", "cause": "normalClearing",
     "recording": "https://pbx.example/rec/1732771200.42.wav"}

- ``event``: ``newCall``, ``answer`` or ``hangup`` (required).
- ``callId``: the PBX's id of the call, at most 250 characters (required); the call is stored
  once per centre and id, whatever is replayed (idempotent).
- ``from``, ``to``: the numbers as the PBX gives them; separators and +86 / 0086 are dropped
  (``phones.digits``, and a leading 86 before an 11-digit mobile number), ``anonymous`` stays
  as it is. The customer's side (``from`` on an incoming call, ``to`` on an outgoing one) is
  matched to a customer of the centre by its digits.
- ``direction``: ``in`` or ``out``; required on ``newCall`` (an ``answer`` or ``hangup`` of a
  call never announced is taken as incoming when it has none).
- ``user`` (or form data's ``user[]``, repeated): on ``newCall`` the agents the call rings
  (incoming) or who dials (outgoing); on ``answer`` the agent who picked up. An agent is a
  person of the centre found by, in this order, login name, employee number, name.
  ``answeringNumber`` (Zammad's) finds the agent by phone, login name or employee number
  when ``user`` names nobody.
- ``queue``: the PBX's queue (optional). ``cause`` on ``hangup``: one of ``CAUSES``. An
  incoming call that ends unanswered with a no-answer cause (``MISSED_CAUSES``, or none
  given) is missed and joins the morning queue (CS-6); ``forwarded`` and ``normalClearing``
  are not missed (another line took it, or the caller left the voice menu).
- ``recording`` on ``hangup``: where the PBX keeps the recording — an http(s) URL or a path
  on its storage (``/var/spool/asterisk/monitor/….wav``); no other scheme.
- ``time`` (or ``datetime``): when it happened — ISO 8601 (without a zone: the centre's) or
  Unix seconds; checked against the centre's window (ORG-4). Default: when it arrives.
- ``centre``: the centre's code, needed only by a token whose person may send calls for more
  than one centre.

``read`` turns one untrusted body into a ``CallEvent`` or raises ``InvalidInput`` with a
message per field (422); nothing here touches the database.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from zhiban.core.errors import InvalidInput
from zhiban.core.validation_messages import message

from . import phones

EVENTS = ("newCall", "answer", "hangup")
DIRECTIONS = ("in", "out")
# Zammad's hang-up causes (generic CTI, hangup event)
CAUSES = ("normalClearing", "busy", "cancel", "noAnswer", "congestion", "notFound", "forwarded")
# an incoming call that ends unanswered with one of these (or none) is missed (CS-6):
# the caller hung up first (cancel), nobody picked up (noAnswer), every agent was busy (busy),
# the lines were full (congestion) or no agent was logged in (notFound)
MISSED_CAUSES = frozenset({"", "noAnswer", "cancel", "busy", "congestion", "notFound"})

LIMITS = {
    "callId": 250,
    "from": 40,
    "to": 40,
    "queue": 60,
    "answeringNumber": 60,
    "recording": 500,
    "centre": 40,
    "user": 60,
}
MAX_USERS = 20
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class CallEvent:
    """One event, read and checked for form; ``at`` is aware, naive (the centre's zone, made
    aware once the centre is known) or None (now)."""

    event: str
    call_id: str
    from_number: str = ""
    to_number: str = ""
    direction: str = ""
    users: tuple[str, ...] = ()
    queue: str = ""
    cause: str = ""
    answering_number: str = ""
    recording: str = ""
    at: datetime | None = None
    centre: str = ""

    @property
    def number(self) -> str:
        """The customer's side as digits: the caller's number on an incoming call, the
        called one on an outgoing call ("" for an anonymous caller)."""
        number = self.to_number if self.direction == "out" else self.from_number
        return number if number.isdigit() else ""


class UnreadableBody(ValueError):
    """The body is not one JSON object (422)."""


class UnsupportedBody(ValueError):
    """The body is neither JSON nor form data (415)."""


def body_of(request) -> Mapping:
    """The event's fields from a request: a JSON object, or form data (either encoding)."""
    kind = (request.content_type or "").lower()
    if kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return request.POST
    if kind in ("", "application/json") or (kind.startswith("application/") and "json" in kind):
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, RecursionError):
            raise UnreadableBody(message({"type": "json_invalid"})) from None
        if not isinstance(data, dict):
            raise UnreadableBody(message({"type": "dict_type"}))
        return data
    raise UnsupportedBody(_("Send the event as JSON or as form data."))


def _values(data: Mapping, name: str) -> list:
    """Every value given for ``name``: form data's repeated keys and ``name[]``, or JSON's."""
    found: list = []
    for key in (name, f"{name}[]"):
        if hasattr(data, "getlist"):
            found += data.getlist(key)
        elif key in data:
            value = data[key]
            found += value if isinstance(value, list) else [value]
    return found


def _text(data: Mapping, name: str, errors: dict, *aliases: str) -> str:
    """One text value, stripped; a number is taken as its digits (a JSON ``"from": 138…``)."""
    values = []
    for key in (name, *aliases):
        values = _values(data, key)
        if values:
            break
    if not values:
        return ""
    value = values[-1]
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        if value is not None:
            errors[name] = [message({"type": "string_type"})]
        return ""
    text = str(value).strip()
    limit = LIMITS.get(name)
    if limit and len(text) > limit:
        errors[name] = [message({"type": "string_too_long", "ctx": {"max_length": limit}})]
        return ""
    if _CONTROL.search(text):
        errors[name] = [message({"type": "string_pattern_mismatch"})]
        return ""
    return text


def _choice(data: Mapping, name: str, choices: tuple[str, ...], errors: dict) -> str:
    value = _text(data, name, errors)
    if value and value not in choices:
        errors[name] = [message({"type": "enum", "ctx": {"expected": ", ".join(choices)}})]
        return ""
    return value


def _users(data: Mapping, errors: dict) -> tuple[str, ...]:
    values = _values(data, "user")
    if len(values) > MAX_USERS:
        errors["user"] = [message({"type": "too_long", "ctx": {"max_length": MAX_USERS}})]
        return ()
    users = []
    for value in values:
        if not isinstance(value, str) or len(value.strip()) > LIMITS["user"]:
            errors["user"] = [
                message({"type": "string_too_long", "ctx": {"max_length": LIMITS["user"]}})
            ]
            return ()
        if value.strip() and not _CONTROL.search(value):
            users.append(value.strip())
    return tuple(dict.fromkeys(users))


def number(value: str) -> str:
    """A number as stored: digits without separators, +86 / 0086 or a 86 before a mobile
    number; anything that is not a number (``anonymous``, a SIP address) as given."""
    digits = phones.digits(value)
    if len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]
    return digits if digits.isdigit() else value


def _time(data: Mapping, errors: dict) -> datetime | None:
    """``time`` or ``datetime``: ISO 8601 or Unix seconds; None when not given."""
    raw = _text(data, "time", errors, "datetime")
    if not raw or "time" in errors:
        return None
    try:
        if re.fullmatch(r"\d{9,11}(\.\d+)?", raw):
            return datetime.fromtimestamp(float(raw), tz=UTC)
        at = parse_datetime(raw)
        if at is not None and timezone.is_aware(at):
            at.astimezone(UTC)  # a time UTC cannot hold fails here, not in the database
    except (ValueError, OverflowError, OSError):
        at = None
    if at is None:
        errors["time"] = [message({"type": "datetime_parsing"})]
    return at


def _recording(value: str, errors: dict) -> str:
    scheme = _SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in ("http", "https"):
        errors["recording"] = [
            _("Give an http(s) address or a path on the telephone system's storage.")
        ]
        return ""
    return value


def read(data: Mapping) -> CallEvent:
    """One event from an untrusted body (a JSON object or form data); ``InvalidInput`` with a
    message per field otherwise (422)."""
    errors: dict[str, list[str]] = {}
    event = _text(data, "event", errors)
    if not event and "event" not in errors:
        errors["event"] = [message({"type": "missing"})]
    elif event and event not in EVENTS:
        errors["event"] = [
            _("Unknown event “%(event)s”: send newCall, answer or hangup.") % {"event": event}
        ]
    call_id = _text(data, "callId", errors, "call_id")
    if not call_id and "callId" not in errors:
        errors["callId"] = [message({"type": "missing"})]
    direction = _choice(data, "direction", DIRECTIONS, errors)
    if event == "newCall" and not direction and "direction" not in errors:
        errors["direction"] = [message({"type": "missing"})]
    found = CallEvent(
        event=event,
        call_id=call_id,
        from_number=number(_text(data, "from", errors)),
        to_number=number(_text(data, "to", errors)),
        direction=direction,
        users=_users(data, errors),
        queue=_text(data, "queue", errors),
        cause=_choice(data, "cause", CAUSES, errors),
        answering_number=_text(data, "answeringNumber", errors),
        recording=_recording(_text(data, "recording", errors), errors),
        at=_time(data, errors),
        centre=_text(data, "centre", errors),
    )
    if errors:
        raise InvalidInput(fields=errors)
    return found
