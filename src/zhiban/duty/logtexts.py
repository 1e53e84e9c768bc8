"""The duty log's system entries as a verb and its parameters (DUTY-7, issue 11 item 3).

A capability that writes its own entries registers their texts here, beside its audit verbs
(each app's ``verbs.py`` holds ``LOG_TEXTS``, its ``ready`` calls ``register``). An entry
stores the verb and the parameters; it reads in the reader's language when shown, and its
``text`` is the entry in the centre's language (``LANGUAGE_CODE``, zh-Hans by default) for the
search index (DUTY-6) and for an entry whose verb is no longer known. Parameters are stored as
values: names as the strings they were, choices as their value (shown with their label in
the reader's language), times as ISO text in the centre's zone."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.dateparse import parse_datetime

from zhiban.core.timewindow import SHOWN


@dataclass(frozen=True)
class LogText:
    """A registered entry: a lazy template and how each of its parameters reads (by default
    as stored)."""

    template: Any
    shown: dict[str, Callable[[Any], str]] = field(default_factory=dict)


TEXTS: dict[str, LogText] = {}


def register(texts: dict[str, LogText]) -> None:
    TEXTS.update(texts)


def choice(choices: type[models.Choices]) -> Callable[[Any], str]:
    """A choice stored as its value, read as its label in the reader's language."""
    return lambda value: str(dict(choices.choices).get(value, value))


def moment(fmt: str = SHOWN) -> Callable[[Any], str]:
    """A time stored in the centre's zone, read as that zone's wall time."""

    def show(value) -> str:
        at = parse_datetime(value) if isinstance(value, str) else None
        return at.strftime(fmt) if at else str(value)

    return show


def listed(value) -> str:
    """A list of names read as one phrase (甲、乙)."""
    return "、".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _stored(value):
    """A parameter as JSON keeps it: a choice as its value, a time as ISO text in its zone
    (pass it in the centre's zone), a list item by item, anything else (a person, a team,
    equipment) by its name."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_stored(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _stored(v) for k, v in value.items()}
    return str(value)


def stored(params: dict) -> dict:
    return {str(k): _stored(v) for k, v in params.items()}


def render(verb: str, params: dict, language: str | None = None) -> str | None:
    """The entry ``verb`` with ``params`` in ``language`` (default: the current one); None for
    a verb not registered or parameters its template no longer takes."""
    text = TEXTS.get(verb)
    if text is None:
        return None
    with translation.override(language or translation.get_language()):
        values = {k: text.shown.get(k, str)(v) for k, v in params.items()}
        try:
            return str(text.template) % values if values else str(text.template)
        except (KeyError, TypeError, ValueError):
            return None


def centre_text(verb: str, params: dict) -> str:
    """What the search index keeps: the entry in the centre's language (DUTY-6)."""
    text = render(verb, params, settings.LANGUAGE_CODE)
    if text is None:
        raise LookupError(f"duty log text {verb!r} is not registered")
    return text
