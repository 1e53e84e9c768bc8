"""FilterSets of upkeep's lists, shared by the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, ChooserFilter, SearchFilterSet
from zhiban.org.filters import sites_of, teams_of

from .models.defects import OPEN_DEFECT_STATES, Defect, DefectGrade, DefectState, Owner


class OverdueFilter(ActiveFilter):
    """Open defects past their elimination deadline (DEF-3)."""

    def filter(self, qs, value):
        if value is None:
            return qs
        late = Q(state__in=OPEN_DEFECT_STATES, due_at__lte=timezone.now())
        return qs.filter(late) if value else qs.exclude(late)


class DefectFilter(SearchFilterSet):
    search_fields = ("number", "phenomenon", "equipment__name")
    state = df.ChoiceFilter(label=_("state"), choices=DefectState.choices)
    grade = df.ChoiceFilter(label=_("grade"), choices=DefectGrade.choices)
    owner = df.ChoiceFilter(label=_("handled by"), choices=Owner.choices)
    team = ChooserFilter(label=_("team"), field_name="team_id", choices=teams_of)
    site = ChooserFilter(label=_("site"), field_name="site_id", choices=sites_of)
    overdue = OverdueFilter(label=_("overdue"))

    class Meta:
        model = Defect
        fields = ["q", "state", "grade", "owner", "team", "site", "overdue"]
