"""Scoped reads of incidents (ORG-3), and the open ones as handover items (DUTY-3, DUTY-10)."""

from __future__ import annotations

from collections.abc import Iterable

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from .models import Incident, IncidentState


def incident_list(*, user, centre):
    return limit(Incident.objects.filter(centre=centre), user).select_related(
        "site", "opened_by", "closed_by"
    )


def incident_get(*, user, centre, pk):
    return get_or_404(incident_list(user=user, centre=centre), pk)


def open_incident_things(centre) -> Iterable[OpenThing]:
    """DUTY-10: an incident being handled blocks the handover, named in the refusal."""
    for incident in Incident.objects.filter(centre=centre, state=IncidentState.OPEN):
        yield OpenThing(
            ItemKind.INCIDENT,
            incident.title[:300],
            ref=incident,
            link=f"/c/{centre.code}/alarms/incidents/{incident.pk}/",
            detail=incident.get_state_display(),
            blocks=True,
        )
