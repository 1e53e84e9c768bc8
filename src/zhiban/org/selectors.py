"""Scoped reads of the organisation (ORG-3). Anything outside the person's memberships is
"not found"."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from zhiban.core.permissions import Action
from zhiban.core.scoping import (  # people_of_centre: the forms of every app name it here
    centre_ids_for,
    centres_for,
    is_platform_admin,
    limit,
    people_of_centre,
)
from zhiban.core.selectors import get_or_404

from . import marks
from .models import ApiToken, Centre, Equipment, Membership, Person, Site, Team


def centre_list(*, user, action: str = Action.ORG_VIEW):
    return centres_for(user, action).order_by("name")


def team_list(*, user, centre):
    return (
        limit(Team.objects.filter(centre=centre), user)
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__active=True), distinct=True)
        )
        .prefetch_related("sites")
        .order_by("name", "pk")  # an aggregate drops Meta.ordering: pages stay stable
    )


def team_get(*, user, centre, pk) -> Team:
    return get_or_404(team_list(user=user, centre=centre), pk)


def site_list(*, user, centre):
    return limit(Site.objects.filter(centre=centre), user).select_related("parent")


def site_get(*, user, centre, pk) -> Site:
    return get_or_404(site_list(user=user, centre=centre), pk)


def equipment_list(*, user, centre):
    """The centre's equipment in tree order, with the marks other capabilities register."""
    return marks.annotated(
        limit(Equipment.objects.filter(centre=centre), user)
        .select_related("site", "parent")
        .order_by("site__tree_path", "tree_path")
    )


def equipment_get(*, user, centre, pk) -> Equipment:
    return get_or_404(equipment_list(user=user, centre=centre), pk)


def people_scope(*, user, centre):
    """Whom a membership in ``centre`` may name: anyone for a platform administrator, else
    the centre's own people (a person of another centre is out of scope, ORG-3)."""
    return Person.objects.all() if is_platform_admin(user) else people_of_centre(centre)


def person_list(*, user, centre):
    """The centre's people; platform administrators are listed only to their peers."""
    if not limit(Centre.objects.filter(pk=centre.pk), user, field="pk").exists():
        return Person.objects.none()
    people = people_of_centre(centre).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(centre=centre).select_related("team"),
            to_attr="centre_memberships",
        )
    )
    return people if is_platform_admin(user) else people.filter(is_superuser=False)


def person_get(*, user, centre, pk) -> Person:
    return get_or_404(person_list(user=user, centre=centre), pk)


def person_change_refusal(*, user, person) -> str:
    """ORG-3: why ``user`` may not change the person's account, password or memberships
    (the person also belongs to a centre where ``user`` does not manage people, so only a
    platform administrator may), or "" when every centre of the person is within the user's
    rights. Any membership counts, an inactive one too: it can be switched on again."""
    managed = centre_ids_for(user, Action.PEOPLE_MANAGE)
    if managed is None:
        return ""
    if not Membership.objects.filter(person=person).exclude(centre_id__in=managed).exists():
        return ""
    return _(
        "%(name)s also belongs to a centre you do not administer: only a platform "
        "administrator may change their account, password or memberships (ORG-3)."
    ) % {"name": person.name}


def membership_list(*, user, centre):
    return (
        limit(Membership.objects.filter(centre=centre), user)
        .select_related("person", "team")
        .order_by("person__name", "role")
    )


def membership_get(*, user, centre, pk) -> Membership:
    return get_or_404(membership_list(user=user, centre=centre), pk)


def api_token_list(*, user):
    return ApiToken.objects.filter(person=user).prefetch_related("sources")


def token_source_choices(*, user):
    """The active alarm sources a person's token may be made to send events for: those of the
    centres where the person may send events (INC-1, ORG-3)."""
    sources = ApiToken._meta.get_field("sources").related_model.objects.filter(active=True)
    return limit(sources, user, Action.EVENT_INGEST).select_related("centre")
