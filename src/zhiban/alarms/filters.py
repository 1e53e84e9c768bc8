"""FilterSets of the incident list, shared by the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, ChooserFilter, SearchFilterSet
from zhiban.org.filters import sites_of

from .models import (
    OPEN_STATES,
    AccidentKind,
    AccidentRecord,
    AccidentState,
    Alarm,
    AlarmClass,
    AlarmSource,
    AlarmState,
    Commissioning,
    Incident,
    IncidentKind,
    IncidentState,
    SourceKind,
)
from .words import words_for


class IncidentFilter(SearchFilterSet):
    search_fields = ("title", "description", "location")
    state = df.ChoiceFilter(label=_("state"), choices=IncidentState.choices)
    kind = df.ChoiceFilter(label=_("kind"), choices=IncidentKind.choices)
    site = ChooserFilter(label=_("site"), field_name="site_id", choices=sites_of)

    class Meta:
        model = Incident
        fields = ["state", "kind", "site"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        centre = getattr(self.request, "centre", None)  # none in an export job: every kind
        if centre is not None:
            kinds = words_for(centre).incident_choices(IncidentKind.choices)
            self.filters["kind"].extra["choices"] = kinds


class AccidentRecordFilter(SearchFilterSet):
    """INC-5: drafts to complete, completed records."""

    search_fields = ("breakers", "description", "cause")
    state = df.ChoiceFilter(label=_("state"), choices=AccidentState.choices)
    kind = df.ChoiceFilter(label=_("kind"), choices=AccidentKind.choices)
    site = ChooserFilter(label=_("station"), field_name="site_id", choices=sites_of)

    class Meta:
        model = AccidentRecord
        fields = ["state", "kind", "site"]


# --- alarms: people's side (INC-2, INC-3, INC-11) -----------------------------------------------

OPEN = "open"
SHOWN_STATES = [s for s in OPEN_STATES if s != AlarmState.SUPPRESSED]
STATE_CHOICES = [(OPEN, _("Open (all but cleared and suppressed)")), *AlarmState.choices]


class AlarmFilter(df.FilterSet):
    """The alarm console's filters. ``state`` defaults to ``open``: every state but cleared,
    suppressed alarms only when asked for (INC-2). Open alarms come most urgent first (INC-11),
    cleared ones newest first — both follow the index on (centre, state, last time)."""

    site = ChooserFilter(label=_("site"), field_name="site_id", choices=sites_of)
    klass = df.ChoiceFilter(label=_("class"), choices=AlarmClass.choices)  # in the centre's words
    state = df.ChoiceFilter(
        label=_("state"), choices=STATE_CHOICES, method="by_state", empty_label=None
    )

    class Meta:
        model = Alarm
        fields = ["site", "klass", "state"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("state"):
            data["state"] = OPEN
        super().__init__(data, *args, **kwargs)
        centre = getattr(self.request, "centre", None)
        self.filters["klass"].extra["choices"] = words_for(centre).choices()

    def by_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(state__in=SHOWN_STATES)
        if value == AlarmState.CLEARED:
            return queryset.filter(state=value).order_by("-last_at", "-id")
        return queryset.filter(state=value)


class AlarmSourceFilter(SearchFilterSet):
    search_fields = ("code", "name")
    kind = df.ChoiceFilter(label=_("kind"), choices=SourceKind.choices)
    active = ActiveFilter()

    class Meta:
        model = AlarmSource
        fields = ["q", "kind", "active"]


class CommissioningFilter(df.FilterSet):
    site = ChooserFilter(label=_("site"), field_name="equipment__site_id", choices=sites_of)

    class Meta:
        model = Commissioning
        fields = ["site"]
