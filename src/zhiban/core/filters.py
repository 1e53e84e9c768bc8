"""FilterSets of the core lists, shared by the API and the web pages."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, ChatRobot, Deadline, DeadlineState, Direction, PhoneContact

MAX_ID = 2**63 - 1


class IdFilter(df.NumberFilter):
    """Filter by a record id (whole numbers in the database's range only)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ChooserFilter(IdFilter):
    """A record of the page's centre chosen by name from a list with a search box, not typed
    as a database id. ``choices(centre)`` gives ``(id, name)`` pairs of that centre only
    (ORG-3), read when the form is shown; the API still takes the id."""

    def __init__(self, *args, choices, **kwargs):
        self.choices_of = choices
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            request = getattr(getattr(self, "parent", None), "request", None)
            centre = getattr(request, "centre", None)
            if centre is not None:
                self.extra["widget"] = forms.Select(
                    choices=self._options(centre),
                    attrs={"data-chooser": _("Type to narrow the list")},
                )
        return super().field

    def _options(self, centre):
        """The choices, read from the database once per page: the widget iterates them twice
        (its options, and the first one for ``required``)."""
        read: list = []

        def options():
            if not read:
                read.extend([("", _("All")), *self.choices_of(centre)])
            return read

        return options


class ActiveFilter(df.BooleanFilter):
    """Yes / no / all (instead of django-filter's “unknown”)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("active"))
        kwargs.setdefault(
            "widget", forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])
        )
        super().__init__(*args, **kwargs)


class SearchFilterSet(df.FilterSet):
    """A FilterSet with a free-text ``q`` over ``search_fields``."""

    search_fields: tuple[str, ...] = ()
    q = df.CharFilter(label=_("Search"), method="search", max_length=100)

    def search(self, queryset, name, value):
        if not value:
            return queryset
        query = Q()
        for field_name in self.search_fields:
            query |= Q(**{f"{field_name}__icontains": value})
        return queryset.filter(query)


class PhoneContactFilter(SearchFilterSet):
    search_fields = ("number", "subject", "content", "party_name", "read_back")
    direction = df.ChoiceFilter(label=_("direction"), choices=Direction.choices)
    since = df.DateFilter(label=_("from"), field_name="at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = PhoneContact
        fields = ["q", "direction", "since", "until"]


class DeadlineFilter(SearchFilterSet):
    search_fields = ("name",)
    state = df.ChoiceFilter(label=_("state"), choices=DeadlineState.choices)

    class Meta:
        model = Deadline
        fields = ["q", "state"]


class AuditFilter(SearchFilterSet):
    search_fields = ("verb", "object_repr", "actor_label", "reason")
    object_type = df.CharFilter(label=_("object type"), max_length=60)
    object_id = df.CharFilter(label=_("object id"), max_length=40)
    since = df.DateFilter(label=_("from"), field_name="at", lookup_expr="date__gte")
    until = df.DateFilter(label=_("to"), field_name="at", lookup_expr="date__lte")

    class Meta:
        model = AuditEvent
        fields = ["q", "object_type", "object_id", "since", "until"]


class ChatRobotFilter(SearchFilterSet):
    search_fields = ("name",)
    active = ActiveFilter()

    class Meta:
        model = ChatRobot
        fields = ["q", "channel", "active"]
