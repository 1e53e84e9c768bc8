"""Running emergency plans on the console (a live panel with each run's progress) and in the
handover (not blocking: the incoming side acknowledges them; DUTY-3, EMG-1)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from zhiban.core.console import Panel
from zhiban.core.nav import AREAS
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from . import selectors
from .models import EmergencyRun, ItemState, RunState

KINDS = next(area.kinds for area in AREAS if area.key == "emergency")


def running_panel(request, centre) -> dict | None:
    """EMG-1: the running plans with their progress, at the centres that keep plans."""
    if centre.kind not in KINDS:
        return None
    return {"runs": list(selectors.running(user=request.user, centre=centre))}


PANELS = [Panel("emergency", "emergency/panel_running.html", running_panel, order=4)]


def running_runs(centre) -> Iterable[OpenThing]:
    """DUTY-3: each running plan goes on the handover with its open items."""
    runs = EmergencyRun.objects.filter(centre=centre, state=RunState.RUNNING).select_related("plan")
    for run in runs.prefetch_related("items"):
        items = list(run.items.all())
        open_items = [i for i in items if i.state == ItemState.OPEN]
        detail = _("%(done)s of %(total)s items done; next: %(next)s") % {
            "done": len(items) - len(open_items),
            "total": len(items),
            "next": open_items[0].text if open_items else "—",
        }
        yield OpenThing(
            ItemKind.EMERGENCY,
            f"{run.plan.name}: {run.event}"[:300],
            ref=run,
            link=f"/c/{centre.code}/emergency/runs/{run.pk}/",
            detail=detail[:300],
        )
