"""Incident pages: the list, detail and new pages come from the resource; closing here."""

from __future__ import annotations

from django.urls import reverse
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.web import attempt, back, centre_page, required_version

from . import selectors, services


@centre_page("alarms", Action.INCIDENT_MANAGE)
@require_POST
def incident_close(request, centre, pk):
    incident = selectors.incident_get(user=request.user, centre=centre, pk=pk)
    attempt(
        request,
        lambda: services.incident_close(
            actor=request.user,
            source=Source.WEB,
            incident_id=incident.pk,
            version=required_version(request),
            data=request.POST,
        ),
    )
    return back(request, reverse("alarms:incident_detail", args=[centre.code, incident.pk]))
