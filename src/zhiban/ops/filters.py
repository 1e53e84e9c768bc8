"""FilterSets of the operations lists, shared by the API and the pages."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, ChooserFilter, SearchFilterSet
from zhiban.org.filters import sites_of, teams_of

from .models import (
    DispatchOrder,
    EquipmentLock,
    OperationTicket,
    OrderState,
    SingleOperation,
    TaskKind,
    TicketState,
    TypicalTicket,
)


class OrderFilter(SearchFilterSet):
    search_fields = ("number", "task", "dispatcher")
    state = df.ChoiceFilter(label=_("stage"), choices=OrderState.choices)
    site = ChooserFilter(label=_("station"), field_name="site_id", choices=sites_of)
    since = df.DateFilter(label=_("from"), field_name="received_at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="received_at", lookup_expr="date__lte")

    class Meta:
        model = DispatchOrder
        fields = ["q", "state", "site", "since", "until"]


class TicketFilter(SearchFilterSet):
    search_fields = ("number", "task")
    state = df.ChoiceFilter(label=_("state"), choices=TicketState.choices)
    team = ChooserFilter(label=_("team"), field_name="team_id", choices=teams_of)
    site = ChooserFilter(label=_("station"), field_name="site_id", choices=sites_of)
    task_kind = df.ChoiceFilter(label=_("kind of task"), choices=TaskKind.choices)
    since = df.DateFilter(label=_("from"), field_name="created_at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = OperationTicket
        fields = ["q", "state", "team", "site", "task_kind", "since", "until"]


class TypicalTicketFilter(SearchFilterSet):
    search_fields = ("name", "task")
    site = ChooserFilter(label=_("station"), field_name="site_id", choices=sites_of)
    active = ActiveFilter()

    class Meta:
        model = TypicalTicket
        fields = ["q", "site", "active"]


class LockFilter(df.FilterSet):
    active = df.BooleanFilter(label=_("in force"), field_name="released_at", lookup_expr="isnull")

    class Meta:
        model = EquipmentLock
        fields = ["active"]


class SingleOperationFilter(SearchFilterSet):
    search_fields = ("action", "equipment__name", "equipment__dispatch_number")
    since = df.DateFilter(label=_("from"), field_name="at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = SingleOperation
        fields = ["q", "since", "until"]
