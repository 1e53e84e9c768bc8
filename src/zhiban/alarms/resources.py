"""Incidents as the pages and the API see them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import Resource

from . import filters, selectors, services, tables
from .forms import IncidentCloseForm, IncidentForm
from .models import IncidentState

INCIDENTS = Resource(
    key="incident",
    namespace="alarms",
    area="alarms",
    label=_("incident"),
    label_plural=_("Incidents (事故及异常)"),
    icon="urgent",
    table=tables.INCIDENTS,
    filterset=filters.IncidentFilter,
    form=IncidentForm,
    list=selectors.incident_list,
    get=selectors.incident_get,
    manage_action=Action.INCIDENT_MANAGE,
    create=services.incident_open,
    detail_extra=lambda request, centre, incident: {
        "extra_template": "alarms/_incident_close.html",
        "close_form": IncidentCloseForm()
        if incident.state == IncidentState.OPEN
        and can(request.user, Action.INCIDENT_MANAGE, centre)
        else None,
    },
)
