"""Why new alarms of some equipment are suppressed (INC-2): the equipment is under a
maintenance tag (ops registers that) or being commissioned (``Commissioning``, here). A provider
``fn(equipment_ids, at) -> {equipment id: reason}``; alarms never imports the capability."""

from __future__ import annotations

from collections.abc import Callable, Iterable

_PROVIDERS: list[Callable] = []


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


def commissioning(equipment_ids, at) -> dict[int, str]:
    from django.utils.translation import gettext

    from .models import Commissioning

    rows = Commissioning.objects.filter(
        equipment_id__in=equipment_ids, starts_at__lte=at, ends_at__gt=at
    ).values_list("equipment_id", flat=True)
    return {pk: gettext("being commissioned (调试)") for pk in rows}
