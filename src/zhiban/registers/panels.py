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
from .selectors import footage, visitors

SHOWN = 6


def registers(request, centre) -> dict | None:
    kept = registers_of(centre)
    if not kept or not can(request.user, Action.ORG_VIEW, centre):
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


PANELS = [Panel("registers", "registers/panel_registers.html", registers, order=14)]
