"""Patrols on the console and in the handover: rounds due now, in progress and missed in the
current shift (PAT-2, PAT-3, DUTY-3)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core.console import Panel
from zhiban.core.nav import AREAS
from zhiban.core.timewindow import shown
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from . import selectors
from .models import RoundState

PATROL_CENTRES = next(area.kinds for area in AREAS if area.key == "patrols")


def _shift_start(centre, now):
    """The current shift's start (a day back when the centre keeps no shifts)."""
    from zhiban.duty.services import current_shift

    shift = current_shift(centre, now)
    return shift.starts_at if shift is not None else now - timedelta(days=1)


def console(request, centre) -> dict | None:
    """The console panel: rounds due now, in progress and missed in this shift, live."""
    if centre.kind not in PATROL_CENTRES:
        return None
    now = timezone.now()
    rounds = list(selectors.open_rounds(centre, now)[:20])
    missed = list(selectors.missed_since(centre, _shift_start(centre, now))[:10])
    if not rounds and not missed and not selectors.has_plans(centre):
        return None
    return {
        "due": [r for r in rounds if r.state == RoundState.DUE],
        "walking": [r for r in rounds if r.state == RoundState.IN_PROGRESS],
        "missed": missed,
    }


PANELS = [Panel("patrols", "patrols/panels/console.html", console, order=30)]


def handover_rounds(centre) -> Iterable[OpenThing]:
    """DUTY-3: rounds missed in the outgoing shift and rounds in progress join the handover;
    they do not block it."""
    if centre.kind not in PATROL_CENTRES:
        return
    now = timezone.now()
    walking = selectors.open_rounds(centre, now).filter(state=RoundState.IN_PROGRESS)
    missed = selectors.missed_since(centre, _shift_start(centre, now))
    for rnd in [*walking, *missed]:
        detail = f"{rnd.get_state_display()} · {shown(rnd.window_start, centre.tz)}"
        if rnd.walker_id:
            detail += f" · {rnd.walker}"
        yield OpenThing(
            ItemKind.PATROL,
            (_("Patrol round %(plan)s") % {"plan": rnd.plan.name})[:300],
            ref=rnd,
            link=f"/c/{centre.code}/patrols/rounds/{rnd.pk}/",
            detail=detail[:300],
        )
