"""Incidents as the pages and the API see them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import Resource

from . import filters, selectors, services, tables
from .forms import (
    AccidentRecordCreateForm,
    AccidentRecordForm,
    AlarmSourceForm,
    CommissioningForm,
    IncidentForm,
)
from .models import AccidentState

INCIDENTS = Resource(
    key="incident",
    namespace="alarms",
    area="alarms",
    label=_("incident"),
    label_plural=_("Incidents"),
    icon="urgent",
    table=tables.INCIDENTS,
    detail=tables.INCIDENT_DETAIL,
    filterset=filters.IncidentFilter,
    form=IncidentForm,
    list=selectors.incident_list,
    get=selectors.incident_get,
    manage_action=Action.INCIDENT_MANAGE,
    create=services.incident_open,
    # ?alarm=<id> (repeatable) opens the incident from those alarms
    form_kwargs=lambda request, centre: {"alarm_ids": request.GET.getlist("alarm")},
)

ACCIDENT_RECORDS = Resource(
    key="accident",
    namespace="alarms",
    area="alarms",
    label=_("accident record"),
    label_plural=_("Accident records (事故记录)"),
    icon="bolt",
    table=tables.ACCIDENT_RECORDS,
    detail=tables.ACCIDENT_DETAIL,
    filterset=filters.AccidentRecordFilter,
    form=AccidentRecordForm,
    create_form=AccidentRecordCreateForm,
    list=selectors.accident_record_list,
    get=selectors.accident_record_get,
    manage_action=Action.ACCIDENT_RECORD,
    create=lambda *, actor, source, centre, data: _as_listed(
        services.accident_record_create(actor=actor, source=source, centre=centre, data=data),
        actor,
    ),
    update=lambda *, actor, source, centre, obj, version, changes: _as_listed(
        services.accident_record_update(
            actor=actor, source=source, record_id=obj.pk, version=version, changes=changes
        ),
        actor,
    ),
    detail_extra=lambda request, centre, record: _accident_extra(request, centre, record),
)


def _as_listed(record, actor):
    """The record as the list shows it (with the breaker's trip count)."""
    return selectors.accident_record_get(user=actor, centre=record.centre, pk=record.pk)


def _accident_extra(request, centre, record) -> dict:
    """INC-5: the breaker's trip count, the linked incident, and for a draft what the trip
    told above the form to complete it (no separate edit button: the form is on the page)."""
    draft = record.state == AccidentState.DRAFT
    can_write = draft and can(request.user, Action.ACCIDENT_RECORD, centre)
    facts = tables.ACCIDENT_FACTS if can_write else tables.ACCIDENT_DETAIL
    related = []
    if record.incident_id:
        related.append(
            (
                _("incident"),
                [(INCIDENTS.url("detail", centre, record.incident_id), str(record.incident))],
            )
        )
    return {
        "extra_template": "alarms/_accident_record.html",
        "fields": list(zip(facts.headers(), facts.cells(record), strict=True)),
        "can_edit": False,
        "related": related,
        "trips": (record.trips or 0) if record.equipment_id else None,
        "record_form": AccidentRecordForm(instance=record, centre=centre) if can_write else None,
    }


# --- alarms: the console, sources and commissioning (INC-1, INC-2) -----------------------------

ALARMS = Resource(
    key="alarm",
    namespace="alarms",
    area="alarms",
    label=_("alarm"),
    label_plural=_("Alarms (告警)"),
    icon="alarm",
    table=tables.ALARMS,
    filterset=filters.AlarmFilter,
    form=None,  # alarms come from the gateway; people acknowledge and shelve them
    list=selectors.alarm_list,
    get=selectors.alarm_get,
    manage_action=Action.ALARM_ACK,
)


ALARM_SOURCES = Resource(
    key="alarm_source",
    namespace="alarms",
    area="alarms",
    label=_("alarm source"),
    label_plural=_("Alarm sources (告警源)"),
    icon="plug-connected",
    table=tables.ALARM_SOURCES,
    filterset=filters.AlarmSourceFilter,
    form=AlarmSourceForm,
    list=selectors.alarm_source_list,
    get=selectors.alarm_source_get,
    manage_action=Action.ALARM_CONFIGURE,
    create=services.alarm_source_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.alarm_source_update(
        actor=actor, source=source, source_id=obj.pk, version=version, changes=changes
    ),
)

COMMISSIONINGS = Resource(
    key="commissioning",
    namespace="alarms",
    area="alarms",
    label=_("commissioning"),
    label_plural=_("Commissioning (设备调试)"),
    icon="tool",
    table=tables.COMMISSIONINGS,
    filterset=filters.CommissioningFilter,
    form=CommissioningForm,
    list=selectors.commissioning_list,
    get=selectors.commissioning_get,
    manage_action=Action.ALARM_CONFIGURE,
    create=services.commissioning_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.commissioning_update(
        actor=actor, source=source, commissioning_id=obj.pk, version=version, changes=changes
    ),
)
