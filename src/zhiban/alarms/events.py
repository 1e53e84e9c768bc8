"""The event format every channel speaks (INC-1): HTTP batches, MQTT payloads, the IEC 104
bridge and ``zhiban simulate`` all produce this JSON object::

    {"source": "suwu-scada", "id": "scada-000123", "at": "2026-11-30T13:00:00+08:00",
     "site": "SW-XH", "equipment": "751", "signal": "开关事故跳闸", "class": "accident",
     "action": "raise", "value": "分", "text": "…"}

``id`` is unique within the source: an event sent twice is stored once. ``seq`` (optional)
is the sender's running number of its events, 1, 2, 3 …: numbers that never arrive raise a
"lost events" alarm (``sequences.py``). ``equipment`` is the dispatch number, the double
name or the name of equipment at the site, or empty. ``action`` is ``raise`` (default) or
``clear``. ``at`` must carry its time zone.

``parse`` turns one untrusted item into an ``EventIn`` or a reason for people; ``answer`` is
the reply to a batch, the same from Django's ``POST /api/events`` and the grouped fast path.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import UTC
from typing import Annotated, Any

from django.utils.translation import gettext as _
from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from zhiban.core.validation_messages import message

from .models import AlarmClass, EventAction

MAX_BATCH = 1000


def _as_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return str(value)
    return value


class EventIn(BaseModel):
    model_config = ConfigDict(populate_by_name=True, str_strip_whitespace=True, frozen=True)

    source: str = Field(min_length=1, max_length=40)
    id: str = Field(min_length=1, max_length=100)
    seq: int | None = Field(default=None, ge=1, le=2**63 - 1, strict=True)
    at: AwareDatetime
    site: str = Field(min_length=1, max_length=40)
    equipment: str = Field(default="", max_length=120)
    signal: str = Field(min_length=1, max_length=100)
    klass: AlarmClass = Field(alias="class")
    action: EventAction = EventAction.RAISE
    value: Annotated[str, BeforeValidator(_as_text)] = Field(default="", max_length=60)
    text: str = Field(default="", max_length=300)

    @field_validator("source", "id", "site", "equipment", "signal", "value", "text")
    @classmethod
    def _no_nul(cls, value: str) -> str:
        if "\x00" in value:  # no database text column takes it
            raise ValueError(_("must not contain NUL characters"))
        return value

    @field_validator("at")
    @classmethod
    def _storable_time(cls, value):
        try:
            value.astimezone(UTC)  # stored in UTC
        except OverflowError:
            raise ValueError(_("time out of range")) from None
        return value


_ADAPTER = TypeAdapter(EventIn)


def reason_of(error: ValidationError) -> str:
    """A short reason naming the fields, in the caller's language (``at: …``)."""
    parts = []
    for item in error.errors()[:3]:
        where = ".".join(str(p) for p in item.get("loc", ())) or "event"
        parts.append(f"{where}: {message(item)}")
    return "; ".join(parts)[:500]


def parse(item: Any) -> EventIn | str:
    """One event, or the reason it cannot be read."""
    if not isinstance(item, dict):
        return _("an event must be a JSON object")
    try:
        return _ADAPTER.validate_python(item)
    except ValidationError as error:
        return reason_of(error)


def decode(payload: bytes) -> list[Any] | str:
    """An MQTT payload: one event object or an array of them, as UTF-8 JSON; or the reason
    it cannot be read (it then goes to the dead letters)."""
    try:
        data = json.loads(payload.decode("utf-8"))
    except UnicodeDecodeError:
        return "payload is not UTF-8"
    except ValueError as error:
        return f"payload is not JSON: {error}"[:500]
    if isinstance(data, dict):
        return [data]
    if isinstance(data, list):
        if len(data) > MAX_BATCH:
            return f"more than {MAX_BATCH} events in one payload"
        return data
    return "payload must be an event object or an array of events"


@dataclass
class ItemResult:
    """The answer for one item of a batch: accepted, duplicate or rejected with the reason."""

    index: int
    id: str
    status: str
    reason: str = ""


def answer(results: list[ItemResult]) -> bytes:
    """The JSON reply to a batch: the tally and every item's result."""
    tally = {"accepted": 0, "duplicate": 0, "rejected": 0}
    for result in results:
        tally[result.status] += 1
    body = {**tally, "items": [asdict(result) for result in results]}
    return json.dumps(body, ensure_ascii=False).encode()
