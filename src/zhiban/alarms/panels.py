"""Alarms on every page of a centre: the console panel of unacknowledged alarms (INC-2) and
the flood banner (INC-3)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from zhiban.core.banners import Banner
from zhiban.core.console import Panel
from zhiban.core.nav import AREAS

from . import selectors

ALARM_CENTRES = next(area.kinds for area in AREAS if area.key == "alarms")


def unacked(request, centre) -> dict | None:
    """Unacknowledged alarms by class (INC-11) and the newest few, linking to the console."""
    if centre.kind not in ALARM_CENTRES:
        return None
    by_class = selectors.unacked_by_class(user=request.user, centre=centre)
    newest = (
        selectors.alarm_list(user=request.user, centre=centre)
        .filter(state__in=selectors.UNACKED_STATES)
        .order_by("-last_at", "-id")[:5]
    )
    return {
        "by_class": by_class,
        "total": sum(n for _klass, n in by_class),
        "newest": newest,
    }


PANELS = [Panel("alarms", "alarms/panels/unacked.html", unacked, order=5)]


def flood_banner(request, centre) -> list[Banner]:
    """INC-3: more than the centre's flood count of new alarms within its window."""
    if centre.kind not in ALARM_CENTRES:
        return []
    flood = selectors.flood(centre)
    if not flood.on:
        return []
    return [
        Banner(
            _("Alarm flood: %(n)s new alarms within %(minutes)s minutes (INC-3)")
            % {"n": flood.count, "minutes": flood.minutes},
            level="danger",
            link=reverse("alarms:home", args=[centre.code]),
            link_text=_("Alarm console"),
            key="alarm-flood",
        )
    ]
