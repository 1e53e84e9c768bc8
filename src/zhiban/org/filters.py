"""FilterSets of the organisation lists, shared by the API and the web pages."""

from __future__ import annotations

import django_filters as df
from django.utils.translation import gettext_lazy as _

from zhiban.core.filters import ActiveFilter, ChooserFilter, SearchFilterSet
from zhiban.core.permissions import Role

from .models import (
    Equipment,
    EquipmentKind,
    Membership,
    Person,
    Site,
    SiteKind,
    Team,
    TeamKind,
    VoltageLevel,
)


def sites_of(centre):
    """The centre's sites and stations, by name, for a chooser (ORG-3)."""
    return Site.objects.filter(centre=centre).order_by("name").values_list("pk", "name")


def teams_of(centre):
    return Team.objects.filter(centre=centre).order_by("name").values_list("pk", "name")


def equipment_of(centre):
    """The centre's equipment by station and double name (OPS-15), for a chooser (ORG-3)."""
    rows = (
        Equipment.objects.filter(centre=centre)
        .order_by("site__name", "tree_path")
        .values_list("pk", "site__name", "name", "dispatch_number")
    )
    return [(pk, f"{site} · {name} {number}".rstrip()) for pk, site, name, number in rows]


def people_of(centre):
    """Everyone who holds or held a role in the centre; the login tells namesakes apart."""
    people = Person.objects.filter(memberships__centre=centre).distinct().order_by("name")
    return [
        (pk, f"{name} ({login})")
        for pk, name, login in people.values_list("pk", "name", "username")
    ]


class TeamFilter(SearchFilterSet):
    active = ActiveFilter()
    search_fields = ("name", "phone")
    kind = df.ChoiceFilter(label=_("kind"), choices=TeamKind.choices)

    class Meta:
        model = Team
        fields = ["q", "kind", "active"]


class SiteFilter(SearchFilterSet):
    active = ActiveFilter()
    search_fields = ("code", "name", "address")
    kind = df.ChoiceFilter(label=_("kind"), choices=SiteKind.choices)
    voltage_level = df.ChoiceFilter(label=_("voltage level"), choices=VoltageLevel.choices)

    class Meta:
        model = Site
        fields = ["q", "kind", "voltage_level", "active"]


class EquipmentFilter(SearchFilterSet):
    active = ActiveFilter()
    search_fields = ("name", "dispatch_number", "model_number", "site__name")
    kind = df.ChoiceFilter(label=_("kind"), choices=EquipmentKind.choices)
    site = ChooserFilter(label=_("site"), field_name="site_id", choices=sites_of)
    voltage_level = df.ChoiceFilter(label=_("voltage level"), choices=VoltageLevel.choices)

    class Meta:
        model = Equipment
        fields = ["q", "site", "kind", "voltage_level", "active"]


class PersonFilter(SearchFilterSet):
    is_active = ActiveFilter(label=_("may log in"))
    search_fields = ("name", "username", "phone", "employee_no")
    role = df.ChoiceFilter(label=_("role"), choices=Role.choices, method="with_role")

    class Meta:
        model = Person
        fields = ["q", "role", "is_active"]

    def with_role(self, queryset, name, value):
        """People holding the role in this centre (the list is already the centre's)."""
        centre = getattr(self.request, "centre", None)
        return queryset.filter(memberships__role=value, memberships__centre=centre).distinct()


class MembershipFilter(SearchFilterSet):
    active = ActiveFilter()
    search_fields = ("person__name", "post")
    role = df.ChoiceFilter(label=_("role"), choices=Role.choices)
    team = ChooserFilter(label=_("team"), field_name="team_id", choices=teams_of)

    class Meta:
        model = Membership
        fields = ["q", "role", "team", "active"]
