"""Scoped reads of incidents (ORG-3), and the open ones as handover items (DUTY-3, DUTY-10)."""

from __future__ import annotations

from collections.abc import Iterable

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404
from zhiban.duty.handover_sources import OpenThing
from zhiban.duty.models import ItemKind

from .models import Incident, IncidentState


def on_duty_operator(centre, at):
    """The person on duty at the centre at that time (INC-5): signed in to the shift then,
    the chief operator's post first."""
    from zhiban.duty.models import RosterEntry

    entries = (
        RosterEntry.objects.filter(
            shift__centre=centre,
            shift__starts_at__lte=at,
            shift__ends_at__gt=at,
            signed_in_at__isnull=False,
        )
        .select_related("person")
        .order_by("post", "signed_in_at")
    )
    chosen = next((e for e in entries if "正值" in e.post), None) or entries.first()
    return chosen.person if chosen else None


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
