"""Work tickets in the handover: each open ticket with its stage and the tags in place
(DUTY-3)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from zhiban.core.nav import POWER
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from .models import OPEN_WORK_STATES, WorkTicket


def open_work_tickets(centre) -> Iterable[OpenThing]:
    """DUTY-3: open work tickets go on the handover with their stage and the tags in place."""
    if centre.kind != POWER:
        return
    tickets = (
        WorkTicket.objects.filter(centre=centre, state__in=OPEN_WORK_STATES)
        .select_related("site", "team")
        .prefetch_related("tags__equipment")
    )
    for ticket in tickets:
        tagged = [t.equipment.double_name for t in ticket.tags.all() if t.removed_at is None]
        detail = f"{ticket.get_state_display()} · {ticket.site} · {ticket.work_leader}"
        if tagged:
            detail += " · " + str(_("maintenance tag (检修牌)")) + ": " + "、".join(tagged)
        yield OpenThing(
            ItemKind.TICKET,
            f"{ticket.number} {ticket.task}"[:300],
            ref=ticket,
            link=f"/c/{centre.code}/ops/work/{ticket.pk}/",
            detail=detail[:300],
        )
