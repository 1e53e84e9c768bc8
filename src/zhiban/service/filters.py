"""FilterSets of the customer-service lists, shared by the API and the pages. Each sub-domain
adds its own below its heading."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, ChooserFilter, SearchFilterSet
from zhiban.org.filters import people_of

from .models import (
    OPEN_CASE_STATES,
    Case,
    CaseState,
    Category,
    Channel,
    Customer,
    CustomerType,
    Department,
    DepartmentFunction,
)
from .selectors.cases import breached

# --- customers, cases and departments (CS-1, CS-2, CS-6) ------------------------------------------


def departments_of(centre):
    return Department.objects.filter(centre=centre).order_by("name").values_list("pk", "name")


class CaseFilter(SearchFilterSet):
    """The case list (CS-1 … CS-6): state, category, channel, owner, mine, department, the
    first-response clock breached, days."""

    search_fields = ("number", "subject", "customer__name", "customer__phone")
    state = df.ChoiceFilter(label=_("state"), choices=CaseState.choices)
    open = ActiveFilter(label=_("open"), method="open_only")
    category = df.ChoiceFilter(label=_("category"), choices=Category.choices)
    channel = df.ChoiceFilter(label=_("channel"), choices=Channel.choices)
    owner = ChooserFilter(label=_("owner"), field_name="owner_id", choices=people_of)
    mine = ActiveFilter(label=_("mine"), method="mine_only")
    department = ChooserFilter(
        label=_("department"), field_name="department_id", choices=departments_of
    )
    breached = ActiveFilter(label=_("first response late (CS-6)"), method="clock_breached")
    since = df.DateFilter(label=_("from"), field_name="opened_at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="opened_at", lookup_expr="date__lte")

    class Meta:
        model = Case
        fields = [
            "q",
            "state",
            "open",
            "category",
            "channel",
            "owner",
            "mine",
            "department",
            "breached",
            "since",
            "until",
        ]

    def open_only(self, queryset, name, value):
        if value is None:
            return queryset
        states = OPEN_CASE_STATES
        return queryset.filter(state__in=states) if value else queryset.exclude(state__in=states)

    def mine_only(self, queryset, name, value):
        if value is None or self.request is None:
            return queryset
        mine = Q(owner=self.request.user)
        return queryset.filter(mine) if value else queryset.exclude(mine)

    def clock_breached(self, queryset, name, value):
        if value is None:
            return queryset
        late = breached(queryset)
        return late if value else queryset.exclude(pk__in=late.values("pk"))


class CustomerFilter(SearchFilterSet):
    search_fields = ("name", "phone", "address", "region", "shop")
    customer_type = df.ChoiceFilter(label=_("customer type"), choices=CustomerType.choices)
    is_member = ActiveFilter(label=_("member (会员)"))
    region = df.CharFilter(label=_("region"), lookup_expr="icontains", max_length=40)

    class Meta:
        model = Customer
        fields = ["q", "customer_type", "is_member", "region"]

    def search(self, queryset, name, value):
        """Digits find the number (as stored, digits only); other text the names."""
        if not value:
            return queryset
        digits = "".join(ch for ch in value if ch.isdigit())
        if digits and len(digits) == len(value.replace(" ", "").replace("-", "")):
            return queryset.filter(phone__contains=digits)
        query = Q()
        for field_name in self.search_fields:
            query |= Q(**{f"{field_name}__icontains": value})
        return queryset.filter(query)


class DepartmentFilter(SearchFilterSet):
    search_fields = ("name", "email")
    function = df.ChoiceFilter(label=_("function"), choices=DepartmentFunction.choices)
    active = ActiveFilter()

    class Meta:
        model = Department
        fields = ["q", "function", "active"]
