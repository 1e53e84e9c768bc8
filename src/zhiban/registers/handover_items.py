"""What the registers put on a handover (DUTY-3): the visitors still in the monitoring room
(REG-1), each with organisation, escort and arrival; not blocking — the incoming side
acknowledges knowing them."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from zhiban.core.timewindow import shown
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from .selectors.visitors import in_room

LISTED = 50


def visitors_in_room(centre) -> Iterable[OpenThing]:
    for visitor in in_room(centre)[:LISTED]:
        yield OpenThing(
            ItemKind.REGISTER,
            _("Visitor in the monitoring room (REG-1): %(name)s, %(organisation)s")
            % {"name": visitor.name, "organisation": visitor.organisation},
            ref=visitor,
            link=f"/c/{centre.code}/registers/visitors/{visitor.pk}/",
            detail=_("Arrived %(at)s · escort %(escort)s")
            % {
                "at": shown(visitor.arrived_at, centre.tz) if visitor.arrived_at else "—",
                "escort": visitor.escort,
            },
        )
