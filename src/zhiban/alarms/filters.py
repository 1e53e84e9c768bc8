"""FilterSets of the incident list, shared by the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import IdFilter, SearchFilterSet

from .models import Incident, IncidentState


class IncidentFilter(SearchFilterSet):
    search_fields = ("title", "description")
    state = df.ChoiceFilter(label=_("state"), choices=IncidentState.choices)
    site = IdFilter(label=_("site"), field_name="site_id")

    class Meta:
        model = Incident
        fields = ["state", "site"]
