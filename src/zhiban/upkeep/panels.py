"""Upkeep on the console of a power centre: the open critical defects and the overdue ones,
oldest deadline first (DEF-1, DEF-3), live."""

from __future__ import annotations

from django.utils import timezone

from zhiban.core.console import Panel
from zhiban.core.nav import AREAS

from .resources.defects import handled_by
from .selectors import defects as selectors

UPKEEP_CENTRES = next(area.kinds for area in AREAS if area.key == "upkeep")


def defects_console(request, centre) -> dict | None:
    """The panel: open critical and overdue defects; hidden where the centre keeps none."""
    if centre.kind not in UPKEEP_CENTRES:
        return None
    now = timezone.now()
    urgent = list(selectors.urgent_defects(centre, now)[:15])
    if not urgent and not selectors.open_defects(centre).exists():
        return None
    for defect in urgent:
        defect.overdue = defect.due_at <= now
        defect.handled_by = handled_by(defect)
    return {"urgent_defects": urgent, "overdue_count": sum(d.overdue for d in urgent)}


PANELS = [Panel("upkeep", "upkeep/defect_panel.html", defects_console, order=40)]
