"""The one door for writes to incidents: opened by hand or by another capability (OPS-10),
closed with how it ended. An open incident blocks the handover (DUTY-10)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import locked, save_change, validated
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from .forms import IncidentCloseForm, IncidentForm
from .models import Incident


@transaction.atomic
def incident_open(*, actor, source, centre, data, origin=None) -> Incident:
    """A new incident at the centre, optionally pointing at the record it came from."""
    require(actor, Action.INCIDENT_MANAGE, centre)
    form = validated(IncidentForm, data, centre=centre)
    incident = form.save(commit=False)
    incident.centre, incident.opened_by = centre, actor
    if origin is not None:
        incident.content_type = ContentType.objects.get_for_model(origin)
        incident.object_id = str(origin.pk)
    incident.save()
    audit.record(
        actor=actor,
        source=source,
        verb="incident.open",
        obj=incident,
        after=audit.snapshot(incident),
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.ANOMALY,
        site=incident.site,
        at=incident.opened_at,
        regarding=incident,
        text=_("Incident opened: %(title)s") % {"title": incident.title},
    )
    live.refresh_on_commit(centre, "duty-handover")
    return incident


@transaction.atomic
def incident_close(*, actor, source, incident_id, version: int, data) -> Incident:
    incident = locked(Incident.objects.select_related("centre", "site"), incident_id, version)
    require(actor, Action.INCIDENT_MANAGE, incident.centre)
    note = validated(IncidentCloseForm, data).cleaned_data["note"]
    before = audit.snapshot(incident)
    incident.state = Incident.FLOW.next_state(incident.state, "close")
    incident.closed_at, incident.closed_by, incident.closing_note = timezone.now(), actor, note
    save_change(incident, actor=actor, source=source, verb="incident.close", before=before)
    log_write(
        actor=actor,
        source=source,
        centre=incident.centre,
        category=LogCategory.ANOMALY,
        site=incident.site,
        regarding=incident,
        text=_("Incident closed: %(title)s — %(note)s") % {"title": incident.title, "note": note},
    )
    live.refresh_on_commit(incident.centre, "duty-handover")
    return incident
