"""Records other records can point at (deadlines now; handover items and links later).

Each app registers its record kinds with a scoped getter, so a reference such as
("org.site", 12) coming from a form or the API is resolved only within the person's scope.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from .errors import InvalidInput

_GETTERS: dict[str, Callable] = {}


def register(label: str, getter: Callable) -> None:
    """``getter(user=…, centre=…, pk=…)`` must be a scoped selector (404 outside scope)."""
    _GETTERS[label] = getter


def labels() -> list[str]:
    return sorted(_GETTERS)


def resolve(label: str, *, user, centre, pk):
    getter = _GETTERS.get(label)
    if getter is None:
        raise InvalidInput(
            fields={
                "object_type": [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(labels())}]
            }
        )
    return getter(user=user, centre=centre, pk=pk)


def label_of(obj) -> str:
    return obj._meta.label_lower
