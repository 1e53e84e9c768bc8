"""FilterSets of the duty lists, shared by the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, ChooserFilter, SearchFilterSet
from zhiban.org.filters import people_of, sites_of

from . import selectors
from .models import (
    CarriedItem,
    CarriedState,
    CheckItem,
    Handover,
    HandoverState,
    LogCategory,
    LogEntry,
    ShiftPattern,
    log_categories,
)


class ShiftPatternFilter(SearchFilterSet):
    search_fields = ("name",)
    active = ActiveFilter()

    class Meta:
        model = ShiftPattern
        fields = ["q", "active"]


class CheckItemFilter(SearchFilterSet):
    search_fields = ("name",)
    active = ActiveFilter()

    class Meta:
        model = CheckItem
        fields = ["q", "active"]


class CarriedItemFilter(SearchFilterSet):
    search_fields = ("text", "continued_by", "resolution")
    state = df.ChoiceFilter(label=_("state"), choices=CarriedState.choices)

    class Meta:
        model = CarriedItem
        fields = ["q", "state"]


class HandoverFilter(df.FilterSet):
    state = df.ChoiceFilter(label=_("state"), choices=HandoverState.choices)
    since = df.DateFilter(label=_("from"), field_name="outgoing_shift__day", lookup_expr="gte")
    until = df.DateFilter(label=_("to"), field_name="outgoing_shift__day", lookup_expr="lte")

    class Meta:
        model = Handover
        fields = ["state", "since", "until"]


class LogFilter(df.FilterSet):
    """DUTY-6: by date, category, author, site, and a Chinese substring search."""

    q = df.CharFilter(label=_("Search"), method="search", max_length=100)
    since = df.DateFilter(label=_("from"), field_name="at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="at", lookup_expr="date__lte")
    category = df.ChoiceFilter(label=_("category"), choices=LogCategory.choices)
    author = ChooserFilter(label=_("author"), field_name="author_id", choices=people_of)
    site = ChooserFilter(label=_("site"), field_name="site_id", choices=sites_of)

    class Meta:
        model = LogEntry
        fields = ["q", "since", "until", "category", "author", "site"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        centre = getattr(self.request, "centre", None)
        if centre is not None:  # the centre kind's own categories (DUTY-6)
            self.filters["category"].extra["choices"] = log_categories(
                centre.kind, written_by_zhiban=True
            )

    def search(self, queryset, name, value):
        dated = self.form.cleaned_data.get("since") or self.form.cleaned_data.get("until")
        return selectors.search(queryset, value, recent_only=not dated)
