"""The organisation's record kinds (ORG-2, ORG-3) as the web pages and the API see them:
table, filters, form, scoped selectors and services of each."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import Resource

from . import filters, marks, selectors, services, tables
from .forms import EquipmentForm, MembershipForm, NewPersonForm, PersonForm, SiteForm, TeamForm


def _links(resource_key: str, centre, objs, text=str) -> list[tuple[str, str]]:
    """(detail url, text) pairs for a related list on a detail page."""
    return [
        (reverse(f"org:{resource_key}_detail", args=[centre.code, o.pk]), text(o)) for o in objs
    ]


def _whole_person_only(request, centre, person) -> dict:
    """ORG-3: the person's page offers no change the service would refuse; a manager of this
    centre sees why (the person also belongs to a centre they do not administer)."""
    if not can(request.user, Action.PEOPLE_MANAGE, centre):
        return {}
    refusal = selectors.person_change_refusal(user=request.user, person=person)
    return {"can_edit": False, "password_url": "", "refusal": refusal} if refusal else {}


def _person_detail(request, centre, person) -> dict:
    context = {
        "related": [(_("Roles here"), _links("membership", centre, person.centre_memberships))],
        "password_url": reverse("org:person_password", args=[centre.code, person.pk])
        if can(request.user, Action.PEOPLE_MANAGE, centre)
        else "",
    }
    return context | _whole_person_only(request, centre, person)


TEAMS = Resource(
    key="team",
    namespace="org",
    area="org",
    label=_("team"),
    label_plural=_("Teams"),
    icon="users-group",
    table=tables.TEAMS,
    filterset=filters.TeamFilter,
    form=TeamForm,
    list=selectors.team_list,
    get=selectors.team_get,
    manage_action=Action.ORG_MANAGE,
    create=services.team_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.team_update(
        actor=actor, source=source, team_id=obj.pk, version=version, changes=changes
    ),
    detail_extra=lambda request, centre, team: {
        "related": [
            (
                _("Members"),
                _links(
                    "membership",
                    centre,
                    team.memberships.select_related("person"),
                    lambda m: f"{m.person} · {m.get_role_display()}",
                ),
            )
        ]
    },
)

SITES = Resource(
    key="site",
    namespace="org",
    area="org",
    label=_("site"),
    label_plural=_("Sites"),
    icon="building-factory-2",
    table=tables.SITES,
    filterset=filters.SiteFilter,
    form=SiteForm,
    list=selectors.site_list,
    get=selectors.site_get,
    manage_action=Action.ORG_MANAGE,
    create=services.site_create,
    import_kind="sites",
    update=lambda *, actor, source, centre, obj, version, changes: services.site_update(
        actor=actor, source=source, site_id=obj.pk, version=version, changes=changes
    ),
    detail_extra=lambda request, centre, site: {
        "related": [
            (_("Sites below"), _links("site", centre, site.children.all())),
            (_("Equipment"), _links("equipment", centre, site.equipment.order_by("tree_path"))),
        ]
    },
)

EQUIPMENT = Resource(
    key="equipment",
    namespace="org",
    area="org",
    label=_("equipment"),
    label_plural=_("Equipment"),
    icon="bolt",
    table=tables.EQUIPMENT,
    filterset=filters.EquipmentFilter,
    form=EquipmentForm,
    list=selectors.equipment_list,
    get=selectors.equipment_get,
    manage_action=Action.ORG_MANAGE,
    create=services.equipment_create,
    import_kind="equipment",
    update=lambda *, actor, source, centre, obj, version, changes: services.equipment_update(
        actor=actor, source=source, equipment_id=obj.pk, version=version, changes=changes
    ),
    detail_extra=lambda request, centre, equipment: {
        "related": [
            (_("Equipment below"), _links("equipment", centre, equipment.children.all())),
            *marks.sections(request, centre, equipment),
        ]
    },
)

PEOPLE = Resource(
    key="person",
    namespace="org",
    area="org",
    label=_("person"),
    label_plural=_("People"),
    icon="user",
    table=tables.PEOPLE,
    filterset=filters.PersonFilter,
    form=PersonForm,
    create_form=NewPersonForm,
    list=selectors.person_list,
    get=selectors.person_get,
    manage_action=Action.PEOPLE_MANAGE,
    create=services.person_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.person_update(
        actor=actor,
        source=source,
        centre=centre,
        person_id=obj.pk,
        version=version,
        changes=changes,
    ),
    detail_extra=_person_detail,
)

MEMBERSHIPS = Resource(
    key="membership",
    namespace="org",
    area="org",
    label=_("membership"),
    label_plural=_("Memberships"),
    icon="id-badge-2",
    table=tables.MEMBERSHIPS,
    filterset=filters.MembershipFilter,
    form=MembershipForm,
    list=selectors.membership_list,
    get=selectors.membership_get,
    manage_action=Action.PEOPLE_MANAGE,
    create=services.membership_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.membership_update(
        actor=actor, source=source, membership_id=obj.pk, version=version, changes=changes
    ),
    form_kwargs=lambda request, centre: {
        "people": selectors.people_scope(user=request.user, centre=centre)
    },
    detail_extra=lambda request, centre, membership: _whole_person_only(
        request, centre, membership.person
    ),
)

RESOURCES = [TEAMS, SITES, EQUIPMENT, PEOPLE, MEMBERSHIPS]
