"""FilterSets of upkeep's lists, shared by the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, ChooserFilter, SearchFilterSet
from zhiban.org.filters import sites_of, teams_of

from .models.defects import OPEN_DEFECT_STATES, Defect, DefectGrade, DefectState, Owner
from .selectors.defects import open_only


class OverdueFilter(ActiveFilter):
    """Open defects past their elimination deadline (DEF-3)."""

    def filter(self, qs, value):
        if value is None:
            return qs
        now = timezone.now()
        if value:
            return open_only(qs).filter(due_at__lte=now)
        return qs.exclude(Q(state__in=OPEN_DEFECT_STATES, due_at__lte=now))


# the state filter's own choices beside the states: open (the default) and all
OPEN, ALL = "open", "all"


class DefectFilter(SearchFilterSet):
    """The defect list's filters; without a state it shows the open defects (DEF-1)."""

    search_fields = ("number", "phenomenon", "equipment__name")
    state = df.ChoiceFilter(
        label=_("state"),
        choices=[(OPEN, _("open")), (ALL, _("all")), *DefectState.choices],
        method="by_state",
        empty_label=None,
    )
    grade = df.ChoiceFilter(label=_("grade"), choices=DefectGrade.choices)
    owner = df.ChoiceFilter(label=_("handled by"), choices=Owner.choices)
    team = ChooserFilter(label=_("team"), field_name="team_id", choices=teams_of)
    site = ChooserFilter(label=_("site"), field_name="site_id", choices=sites_of)
    overdue = OverdueFilter(label=_("overdue"))

    class Meta:
        model = Defect
        fields = ["q", "state", "grade", "owner", "team", "site", "overdue"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("state"):
            data["state"] = OPEN
        super().__init__(data, *args, **kwargs)

    def by_state(self, queryset, name, value):
        if value == OPEN:
            return open_only(queryset)
        if value == ALL:
            return queryset
        return queryset.filter(state=value)
