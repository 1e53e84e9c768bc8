"""Why new alarms are suppressed (INC-2): their equipment is under a maintenance tag (ops
registers that) or being commissioned (``Commissioning``, here) — a provider
``fn(equipment_ids, at) -> {equipment id: reason}`` — or their signal is a point of a new
station's acceptance being checked (upkeep registers that, ACC-2) — a signal provider
``fn(readings, at) -> {(site id, signal): reason}``, given what the batch brought
(``Reading``: site id, equipment as sent, signal, value, event time), which it may note (the
acceptance sheet shows each point's last value). Alarms never imports the capability."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import NamedTuple

_PROVIDERS: list[Callable] = []
_SIGNAL_PROVIDERS: list[Callable] = []


def register(provider: Callable) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def reasons(equipment_ids: Iterable[int], at) -> dict[int, str]:
    ids = set(equipment_ids)
    found: dict[int, str] = {}
    if not ids:
        return found
    for provider in _PROVIDERS:
        for pk, reason in provider(ids, at).items():
            found.setdefault(pk, str(reason))
    return found


class Reading(NamedTuple):
    """What one new event of a batch brought, as the signal providers see it."""

    site_id: int
    equipment: str  # as the event named it (dispatch number or name); "" for none
    signal: str
    value: str  # the value, else the text, else the action as shown
    at: datetime


def register_signals(provider: Callable) -> None:
    if provider not in _SIGNAL_PROVIDERS:
        _SIGNAL_PROVIDERS.append(provider)


def signal_reasons(readings: list[Reading], at) -> dict[tuple[int, str], str]:
    """(site id, signal) → why its new alarms are suppressed, for the batch's readings."""
    found: dict[tuple[int, str], str] = {}
    if not readings:
        return found
    for provider in _SIGNAL_PROVIDERS:
        for key, reason in provider(readings, at).items():
            found.setdefault(key, str(reason))
    return found


def commissioning(equipment_ids, at) -> dict[int, str]:
    from django.utils.translation import gettext

    from .models import Commissioning

    rows = Commissioning.objects.filter(
        equipment_id__in=equipment_ids, starts_at__lte=at, ends_at__gt=at
    ).values_list("equipment_id", flat=True)
    return {pk: gettext("being commissioned (调试)") for pk in rows}
