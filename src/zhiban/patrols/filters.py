"""FilterSets of the checkpoint, plan and round lists, shared by the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, ChooserFilter, SearchFilterSet
from zhiban.org.filters import sites_of

from .models import Checkpoint, CheckpointKind, PatrolPlan, PatrolRound, PlanKind, RoundState


def plans_of(centre):
    return PatrolPlan.objects.filter(centre=centre).order_by("name").values_list("pk", "name")


class CheckpointFilter(SearchFilterSet):
    search_fields = ("name", "site__name", "short_code")
    kind = df.ChoiceFilter(label=_("kind"), choices=CheckpointKind.choices)
    site = ChooserFilter(label=_("site"), field_name="site_id", choices=sites_of)
    active = ActiveFilter(label=_("active"))

    class Meta:
        model = Checkpoint
        fields = ["q", "kind", "site", "active"]


class PlanFilter(SearchFilterSet):
    search_fields = ("name", "what")
    kind = df.ChoiceFilter(label=_("how often"), choices=PlanKind.choices)
    active = ActiveFilter(label=_("active"))

    class Meta:
        model = PatrolPlan
        fields = ["q", "kind", "active"]


class RoundFilter(SearchFilterSet):
    search_fields = ("plan__name", "walker__name")
    state = df.ChoiceFilter(label=_("state"), choices=RoundState.choices)
    plan = ChooserFilter(label=_("plan"), field_name="plan_id", choices=plans_of)
    since = df.DateFilter(label=_("from"), field_name="window_start", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="window_start", lookup_expr="date__lte")

    class Meta:
        model = PatrolRound
        fields = ["q", "state", "plan", "since", "until"]
