"""Incidents (INC-4, INC-6 … INC-10, DUTY-10, OPS-10): opened, each step, the verdict and
closing, following the kind's playbook (``playbooks.py``)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import Conflict, InvalidInput, Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import locked, save_change, validated
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from ..forms import IncidentAlarmsForm, IncidentCloseForm, IncidentForm, StepForm, VerdictForm
from ..models import AccidentRecord, Alarm, Incident, IncidentState, IncidentStep, StepKind
from ..playbooks import check_close, check_fields, check_step, check_time, check_verdict, playbook
from .actions import alarms_changed

# --- incidents (INC-4, INC-6 … INC-10, DUTY-10, OPS-10) ------------------------------------------
# Each kind of incident follows its playbook (alarms/playbooks.py); every step, verdict and
# grouping is version-checked, audited, written to the duty log and refreshed live.

_INCIDENT_ROWS = Incident.objects.select_related("centre", "site")


def _incident_changed(incident) -> None:
    """Open incident pages and the handover panel (DUTY-10) reload after commit."""
    live.refresh_on_commit(incident.centre, "duty-handover", "alarms-incident")


def _group_alarms(incident, alarms) -> list[int]:
    """The alarms join the incident, and so do their accident records (INC-5). An alarm that
    another incident took meanwhile is a conflict."""
    ids = [a.pk for a in alarms]
    if not ids:
        return ids
    joined = (
        Alarm.objects.filter(pk__in=ids)
        .filter(Q(incident=None) | Q(incident=incident))
        .update(incident=incident)
    )
    if joined != len(ids):
        raise Conflict()
    AccidentRecord.objects.filter(alarm_id__in=ids, incident=None).update(incident=incident)
    alarms_changed(incident.centre_id, ids)
    return ids


def _incident_log(incident, *, actor, source, verb: str, params: dict, at=None) -> None:
    log_write(
        actor=actor,
        source=source,
        centre=incident.centre,
        category=LogCategory.ANOMALY,
        site=incident.site,
        at=at,
        regarding=incident,
        verb=verb,
        params=params,
    )


@transaction.atomic
def incident_open(*, actor, source, centre, data, origin=None) -> Incident:
    """A new incident at the centre, of a kind whose playbook it follows (INC-4 … INC-10).
    ``data["alarms"]`` groups alarms of the centre (site, title and kind come from the first
    when not given); ``origin`` is the record it came from (OPS-10). While open it blocks the
    handover (DUTY-10)."""
    require(actor, Action.INCIDENT_MANAGE, centre)
    form = validated(IncidentForm, data, centre=centre)
    incident = form.save(commit=False)
    incident.centre, incident.opened_by = centre, actor
    if origin is not None:
        incident.content_type = ContentType.objects.get_for_model(origin)
        incident.object_id = str(origin.pk)
    incident.save()
    alarms = _group_alarms(incident, form.cleaned_data["alarms"])
    audit.record(
        actor=actor,
        source=source,
        verb="incident.open",
        obj=incident,
        after={**audit.snapshot(incident), "alarms": alarms},
    )
    _incident_log(
        incident,
        actor=actor,
        source=source,
        at=incident.opened_at,
        verb="incident.open",
        params={"title": incident.title},
    )
    _incident_changed(incident)
    return incident


def _incident_for_change(actor, incident_id, version: int) -> Incident:
    """The incident, locked at the version the person read, still being handled."""
    incident = locked(_INCIDENT_ROWS, incident_id, version)
    require(actor, Action.INCIDENT_MANAGE, incident.centre)
    if incident.state != IncidentState.OPEN:
        raise Refused(
            _("The incident is closed; nothing more is recorded on it."),
            code="transition_refused",
            rule=playbook(incident.kind).rule,
        )
    return incident


def _recorded(incident) -> dict[str, datetime]:
    """Each kind of step on record with its earliest time."""
    recorded: dict[str, datetime] = {}
    for kind, at in incident.steps.order_by("at").values_list("kind", "at"):
        recorded.setdefault(kind, at)
    return recorded


def _bump(incident) -> None:
    incident.version += 1
    incident.save()


@transaction.atomic
def incident_step_record(*, actor, source, incident_id, version: int, data) -> IncidentStep:
    """One step with its time (default now; not in the future, not before the incident was
    opened nor before the step it follows), whom it concerned and what was said, checked
    against the incident's playbook (INC-4, INC-6 … INC-10). A note may be added to any
    incident. Steps are append-only; each also goes into the duty log."""
    incident = _incident_for_change(actor, incident_id, version)
    cleaned = validated(StepForm, data, centre=incident.centre).cleaned_data
    kind, text, location = cleaned["kind"], cleaned["text"], cleaned["location"]
    recorded, not_before = _recorded(incident), []
    if kind == StepKind.NOTE:
        if not text:
            raise InvalidInput(fields={"text": [_("Write the note.")]})
    else:
        line = check_step(
            playbook(incident.kind), kind=kind, recorded=recorded, verdict=incident.verdict
        )
        check_fields(line, counterpart=cleaned["counterpart"], text=text, location=location)
        not_before = [recorded[a] for a in line.after]
    at = cleaned["at"] or timezone.now()
    check_time(at, opened_at=incident.opened_at, not_before=not_before)
    if location:
        incident.location = location
    step = IncidentStep.objects.create(
        incident=incident,
        kind=kind,
        at=at,
        counterpart=cleaned["counterpart"],
        text=text or location,
        recorded_by=actor,
    )
    _bump(incident)
    audit.record(
        actor=actor,
        source=source,
        verb="incident.step",
        obj=incident,
        after={
            "step": kind,
            "at": at,
            "counterpart": step.counterpart,
            "text": step.text,
            "location": incident.location,
        },
    )
    detail = "：".join(p for p in (step.counterpart, step.text) if p)
    _incident_log(
        incident,
        actor=actor,
        source=source,
        at=at,
        verb="incident.step",
        params={"title": incident.title, "kind": step.kind, "detail": detail[:3800]},
    )
    _incident_changed(incident)
    return step


@transaction.atomic
def incident_verdict(*, actor, source, incident_id, version: int, data) -> Incident:
    """INC-8, INC-9: after verification on site the alarm is judged real, false or an
    equipment fault; the verdict chooses the step that must follow before closing."""
    incident = _incident_for_change(actor, incident_id, version)
    verdict = validated(VerdictForm, data).cleaned_data["verdict"]
    check_verdict(playbook(incident.kind), recorded=_recorded(incident), verdict=incident.verdict)
    before = audit.snapshot(incident)
    incident.verdict = verdict
    save_change(incident, actor=actor, source=source, verb="incident.verdict", before=before)
    _incident_log(
        incident,
        actor=actor,
        source=source,
        verb="incident.verdict",
        params={"title": incident.title, "verdict": incident.verdict},
    )
    _incident_changed(incident)
    return incident


@transaction.atomic
def incident_alarms_add(*, actor, source, incident_id, version: int, data) -> Incident:
    """More alarms of the centre grouped into an incident being handled."""
    incident = _incident_for_change(actor, incident_id, version)
    form = validated(IncidentAlarmsForm, data, centre=incident.centre, incident=incident)
    alarms = _group_alarms(incident, form.cleaned_data["alarms"])
    _bump(incident)
    audit.record(
        actor=actor, source=source, verb="incident.alarms", obj=incident, after={"alarms": alarms}
    )
    _incident_changed(incident)
    return incident


@transaction.atomic
def incident_close(*, actor, source, incident_id, version: int, data) -> Incident:
    """Closes the incident with how it ended, once its playbook's steps (and verdict) are on
    record — refused naming the rule and what is missing (INC-4, INC-6 … INC-10)."""
    incident = locked(_INCIDENT_ROWS, incident_id, version)
    require(actor, Action.INCIDENT_MANAGE, incident.centre)
    note = validated(IncidentCloseForm, data).cleaned_data["note"]
    before = audit.snapshot(incident)
    incident.state = Incident.FLOW.next_state(incident.state, "close")
    done = set(incident.steps.values_list("kind", flat=True))
    check_close(playbook(incident.kind), done=done, verdict=incident.verdict)
    incident.closed_at, incident.closed_by, incident.closing_note = timezone.now(), actor, note
    save_change(incident, actor=actor, source=source, verb="incident.close", before=before)
    _incident_log(
        incident,
        actor=actor,
        source=source,
        verb="incident.close",
        params={"title": incident.title, "note": note},
    )
    _incident_changed(incident)
    return incident
