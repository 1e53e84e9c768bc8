"""The security room's registers on the centre's console: what awaits a department leader's
approval (footage requests, visitors, big-screen use), the visitors in the room now, and
requested footage about to be overwritten — refreshed live on the "registers" key every
register change sends. Shown at centres that keep these registers."""

from __future__ import annotations

from django.utils import timezone

from zhiban.core.console import Panel
from zhiban.core.permissions import Action
from zhiban.core.scoping import can

from .resources.registry import registers_of
from .selectors import desk as desk_selectors
from .selectors import footage, hotel, visitors

SHOWN = 6


def registers(request, centre) -> dict | None:
    kept = registers_of(centre)
    # the approved registers' panel; a hotel desk's registers have their own (``desk``)
    if not any(r.waiting for r in kept) or not can(request.user, Action.ORG_VIEW, centre):
        return None
    now = timezone.now()
    waiting = [
        (register, list(register.waiting(centre)[:SHOWN]))
        for register in kept
        if register.waiting is not None
    ]
    soon = list(footage.overwritten_soon(centre, now)[:SHOWN])
    return {
        "centre": centre,
        "waiting": [(register, rows) for register, rows in waiting if rows],
        "in_room": list(visitors.in_room(centre)[:SHOWN]),
        "overwritten_soon": [(r, footage.retention_end(r)) for r in soon],
        "may_approve": can(request.user, Action.REGISTER_APPROVE, centre),
        "now": now,
    }


def desk(request, centre) -> dict | None:
    """The desk registers' console panel: the next wake-up calls and their follow-ups
    (REG-7) and today's do-not-disturb rooms (REG-8) at a hotel desk; items lent and overdue
    (REG-4) and found items still kept (REG-5) at every desk."""
    kept = {r.rule for r in registers_of(centre)}
    if "REG-4" not in kept or not can(request.user, Action.ORG_VIEW, centre):
        return None
    now = timezone.now()
    hotel_desk = "REG-7" in kept
    return {
        "centre": centre,
        "hotel": hotel_desk,
        "wake_up": list(hotel.next_calls(centre)[:SHOWN]) if hotel_desk else [],
        "dnd": list(hotel.dnd_of_day(centre, timezone.localdate(now, centre.tz))[:SHOWN])
        if hotel_desk
        else [],
        "dnd_time": centre.setting("registers.dnd_check_time"),
        "overdue": list(desk_selectors.overdue(centre, now)[:SHOWN]),
        "kept": list(desk_selectors.kept(centre)[:SHOWN]),
    }


PANELS = [
    Panel("registers", "registers/panel_registers.html", registers, order=14),
    Panel("registers_desk", "registers/panel_desk.html", desk, order=15),
]
