"""What the incident list, detail page and .xlsx export show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.tables import Column, Table

from .words import words_for

INCIDENTS = Table(
    [
        Column(_("incident"), "title", link=True, width=40),
        Column(_("kind"), "kind", width=16),
        Column(_("state"), "state", width=12),
        Column(_("site"), "site", width=14),
        Column(_("location"), "location", width=16),
        Column(_("opened"), "opened_at", width=16),
        Column(_("opened by"), "opened_by", width=10),
        Column(_("closed"), "closed_at", width=16),
        Column(_("how it ended"), "closing_note", width=30),
    ]
)

INCIDENT_DETAIL = Table(
    [
        *INCIDENTS.columns[1:],
        Column(_("persons involved"), "persons", width=30),
        Column(_("verdict"), "verdict", width=12),
        Column(_("what happened"), "description", width=40),
    ]
)

ACCIDENT_RECORDS = Table(
    [
        Column(_("time"), "occurred_at", link=True, width=16),
        Column(_("station"), "site", width=14),
        Column(_("breakers tripped"), "breakers", width=24),
        Column(_("kind"), "kind", width=20),
        Column(_("brief cause"), "cause", width=24),
        Column(_("operator on duty"), "operator", width=10),
        Column(_("state"), "state", width=10),
    ]
)

ACCIDENT_FACTS = Table(
    [
        Column(_("state"), "state"),
        Column(_("station"), "site"),
        Column(_("equipment unit"), "equipment"),
        Column(_("time"), "occurred_at"),
        Column(_("trip alarm"), "alarm"),
    ]
)

ACCIDENT_DETAIL = Table(
    [
        *ACCIDENT_FACTS.columns[:4],
        Column(_("operator on duty"), "operator"),
        Column(_("breakers tripped"), "breakers"),
        Column(_("kind"), "kind"),
        Column(_("description"), "description"),
        Column(_("protection operated"), "protection"),
        Column(_("brief cause"), "cause"),
        Column(_("voltage level"), "voltage_level"),
        Column(_("reported to dispatcher"), "dispatcher"),
        Column(_("reported to dispatcher at"), "dispatcher_at"),
        Column(_("reported to superiors"), "superiors"),
        Column(_("reported to superiors at"), "superiors_at"),
        Column(_("incident"), "incident"),
        ACCIDENT_FACTS.columns[4],
        Column(_("completed"), "completed_at"),
        Column(_("completed by"), "completed_by"),
    ]
)


# --- alarms: people's side (INC-1, INC-2) -------------------------------------------------------

ALARMS = Table(
    [
        Column(_("class"), lambda a: words_for(a.centre).label(a.klass), width=12),
        Column(_("site"), "site", width=14),
        Column(
            _("equipment"), lambda a: a.equipment.double_name if a.equipment_id else "", width=18
        ),
        Column(_("signal"), "signal", link=True, width=24),
        Column(_("value"), "value", width=10),
        Column(_("occurrences"), "count", width=8),
        Column(_("first"), "first_at", width=16),
        Column(_("last"), "last_at", width=16),
        Column(_("state"), "state", width=14),
        Column(_("acknowledged by"), "acked_by", width=10),
        Column(_("acknowledged"), "acked_at", width=16),
        Column(_("shelved until"), "shelved_until", width=16),
        Column(_("reason for shelving"), "shelve_reason", width=20),
        Column(_("suppressed because"), "suppressed_reason", width=20),
        Column(_("source"), "source", width=16),
    ]
)

ALARM_SOURCES = Table(
    [
        Column(_("code"), "code", link=True, width=16),
        Column(_("name"), "name", width=30),
        Column(_("kind"), "kind", width=20),
        Column(_("active"), "active", width=8),
    ]
)

COMMISSIONINGS = Table(
    [
        Column(_("equipment"), lambda c: c.equipment.double_name, link=True, width=20),
        Column(_("site"), "equipment.site", width=14),
        Column(_("from"), "starts_at", width=16),
        Column(_("until"), "ends_at", width=16),
        Column(_("note"), "note", width=30),
        Column(_("recorded by"), "recorded_by", width=10),
    ]
)
