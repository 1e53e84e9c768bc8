"""FilterSets of the work-ticket, tag, limit-change and setting-sheet lists, shared by the API
and the pages."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, ChooserFilter, SearchFilterSet
from zhiban.org.filters import equipment_of, sites_of, teams_of

from .models import (
    OPEN_WORK_STATES,
    LimitChange,
    LimitReason,
    MaintenanceTag,
    SettingSheet,
    SettingSheetCopy,
    WorkKind,
    WorkState,
    WorkTicket,
)


class WorkTicketFilter(SearchFilterSet):
    search_fields = ("number", "task", "location", "work_leader", "issuer")
    state = df.ChoiceFilter(label=_("state"), choices=WorkState.choices)
    open = ActiveFilter(label=_("open"), method="open_only")
    kind = df.ChoiceFilter(label=_("kind of work ticket"), choices=WorkKind.choices)
    team = ChooserFilter(label=_("operations team"), field_name="team_id", choices=teams_of)
    site = ChooserFilter(label=_("station"), field_name="site_id", choices=sites_of)
    since = df.DateFilter(label=_("from"), field_name="planned_start", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="planned_start", lookup_expr="date__lte")

    class Meta:
        model = WorkTicket
        fields = ["q", "state", "open", "kind", "team", "site", "since", "until"]

    def open_only(self, queryset, name, value):
        if value is None:
            return queryset
        if value:
            return queryset.filter(state__in=OPEN_WORK_STATES)
        return queryset.exclude(state__in=OPEN_WORK_STATES)


class TagFilter(df.FilterSet):
    active = df.BooleanFilter(label=_("in place"), field_name="removed_at", lookup_expr="isnull")
    site = ChooserFilter(label=_("station"), field_name="equipment__site_id", choices=sites_of)

    class Meta:
        model = MaintenanceTag
        fields = ["active", "site"]


# --- limit changes and setting sheets (WORK-6) ---------------------------------------------------


class LimitChangeFilter(SearchFilterSet):
    search_fields = ("quantity", "equipment__name", "equipment__dispatch_number", "note")
    reason = df.ChoiceFilter(label=_("reason"), choices=LimitReason.choices)
    equipment = ChooserFilter(label=_("equipment"), field_name="equipment_id", choices=equipment_of)
    site = ChooserFilter(label=_("station"), field_name="equipment__site_id", choices=sites_of)
    to_set = df.BooleanFilter(
        label=_("not yet set in the monitoring system"),
        field_name="applied_at",
        lookup_expr="isnull",
    )

    class Meta:
        model = LimitChange
        fields = ["q", "reason", "equipment", "site", "to_set"]


class SettingSheetFilter(SearchFilterSet):
    search_fields = ("number", "subject")
    site = ChooserFilter(label=_("station"), field_name="site_id", choices=sites_of)
    outstanding = ActiveFilter(label=_("a copy not yet received"), method="with_outstanding")

    class Meta:
        model = SettingSheet
        fields = ["q", "site", "outstanding"]

    def with_outstanding(self, queryset, name, value):
        if value is None:
            return queryset
        waiting = SettingSheetCopy.objects.filter(received_at=None).values("sheet_id")
        return queryset.filter(pk__in=waiting) if value else queryset.exclude(pk__in=waiting)
