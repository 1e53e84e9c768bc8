"""FilterSets of the plan and run lists, shared by the API and the pages (EMG-1)."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import SearchFilterSet

from .models import EmergencyPlan, EmergencyRun, RunState, Scenario


class PlanFilter(SearchFilterSet):
    search_fields = ("name", "note")
    scenario = df.ChoiceFilter(label=_("scenario"), choices=Scenario.choices)
    active = df.BooleanFilter(label=_("active"))

    class Meta:
        model = EmergencyPlan
        fields = ["q", "scenario", "active"]


class RunFilter(SearchFilterSet):
    search_fields = ("event", "plan__name", "location", "reporter_name")
    state = df.ChoiceFilter(label=_("state"), choices=RunState.choices)
    scenario = df.ChoiceFilter(
        label=_("scenario"), field_name="plan__scenario", choices=Scenario.choices
    )
    since = df.DateFilter(label=_("from"), field_name="started_at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="started_at", lookup_expr="date__lte")

    class Meta:
        model = EmergencyRun
        fields = ["q", "state", "scenario", "since", "until"]
