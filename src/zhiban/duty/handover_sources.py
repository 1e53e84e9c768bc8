"""The one registration point for what a handover must list (DUTY-3, DUTY-10).

A capability registers ``source(centre) -> iterable of OpenThing``: its records still open at
the centre (active alarms, tickets in progress, open incidents …). ``blocks=True`` marks a
thing during which no handover may happen (DUTY-10: an incident being handled, a switching
operation in progress); the refusal names it. No capability edits the handover code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core.timewindow import shown

_SOURCES: dict[str, Callable[..., Iterable[OpenThing]]] = {}


@dataclass(frozen=True)
class OpenThing:
    kind: str  # an ItemKind value
    text: str
    ref: Model | None = None  # the record itself (kept as a generic reference)
    link: str = ""
    detail: str = ""
    blocks: bool = False


def register(name: str, source: Callable[..., Iterable[OpenThing]]) -> None:
    _SOURCES[name] = source


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)


def gather(centre) -> list[OpenThing]:
    return [thing for source in _SOURCES.values() for thing in source(centre)]


def blockers(centre) -> list[OpenThing]:
    return [thing for thing in gather(centre) if thing.blocks]


def carried_items(centre) -> Iterable[OpenThing]:
    from .models import CarriedItem, CarriedState, ItemKind

    for item in CarriedItem.objects.filter(centre=centre, state=CarriedState.OPEN):
        detail = (
            _("To be continued by %(who)s") % {"who": item.continued_by}
            if item.continued_by
            else ""
        )
        yield OpenThing(
            ItemKind.CARRIED,
            item.text[:300],
            ref=item,
            detail=detail,
            link=f"/c/{centre.code}/duty/carried/{item.pk}/",
        )


def overdue_deadlines(centre) -> Iterable[OpenThing]:
    from zhiban.core.models import Deadline, DeadlineState

    from .models import ItemKind

    due = Deadline.objects.filter(
        centre=centre,
        due_at__lte=timezone.now(),
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    )
    for deadline in due.prefetch_related("target"):
        yield OpenThing(
            ItemKind.DEADLINE,
            f"{deadline.name} — {deadline.target}"[:300],
            ref=deadline,
            link=f"/c/{centre.code}/deadlines/{deadline.pk}/",
            detail=_("Due %(due)s") % {"due": shown(deadline.due_at, centre.tz)},
        )


def register_defaults() -> None:
    register("carried_items", carried_items)
    register("overdue_deadlines", overdue_deadlines)
