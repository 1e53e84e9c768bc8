"""Scoping (ORG-3): what a person may see and change follows from their memberships.

A membership gives a role in one centre (directly, or through one of the centre's teams).
Selectors limit every query to ``centres_for(user, action)``; a record of another centre is
"not found" (404), never "forbidden", so scope does not leak. Platform administrators
(``is_superuser``) and system actors see everything.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .actors import is_system
from .errors import Forbidden, NotFound
from .permissions import roles_allow

_CACHE_ATTR = "_zhiban_grants"
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def grants(user) -> dict[int, frozenset[str]]:
    """centre id → the roles the person holds there (active memberships only)."""
    if user is None or not getattr(user, "is_authenticated", False) or is_system(user):
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    Membership = apps.get_model("org", "Membership")
    result: dict[int, set[str]] = {}
    rows = Membership.objects.filter(person=user, active=True, centre__active=True)
    for centre_id, role in rows.values_list("centre_id", "role"):
        result.setdefault(centre_id, set()).add(role)
    frozen = {cid: frozenset(roles) for cid, roles in result.items()}
    setattr(user, _CACHE_ATTR, frozen)
    return frozen


def forget(user) -> None:
    """Drop the cached grants after the person's memberships changed."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def is_platform_admin(user) -> bool:
    return is_system(user) or bool(getattr(user, "is_superuser", False))


def can(user, action: str, centre) -> bool:
    if is_platform_admin(user):
        return True
    return roles_allow(grants(user).get(centre.pk, frozenset()), action)


def centre_ids_for(user, action: str = "org.view") -> list[int] | None:
    """Ids of the centres where ``action`` is allowed; ``None`` means every centre."""
    if is_platform_admin(user):
        return None
    return [cid for cid, roles in grants(user).items() if roles_allow(roles, action)]


def limit(queryset, user, action: str = "org.view", field: str = "centre"):
    """Limit any queryset to the centres the person may ``action`` in."""
    ids = centre_ids_for(user, action)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def centres_for(user, action: str = "org.view"):
    Centre = apps.get_model("org", "Centre")
    return limit(Centre.objects.all(), user, action, field="pk")


def centre_get(*, user, code: str, action: str = "org.view"):
    """The centre by its code, if the person may ``action`` there; else 404 (ORG-3)."""
    if not isinstance(code, str) or not _CODE.match(code):
        raise NotFound(rule="ORG-3")
    Centre = apps.get_model("org", "Centre")
    try:
        return centres_for(user, action).get(code=code)
    except Centre.DoesNotExist:
        raise NotFound(rule="ORG-3") from None


def people_of_centre(centre):
    """Everyone holding a membership in the centre (for choices; the caller is in scope)."""
    return get_user_model().objects.filter(memberships__centre=centre).distinct().order_by("name")


def require(user, action: str, centre) -> None:
    """Refuse unless the person's roles in ``centre`` allow ``action`` (ORG-3).
    Out of scope altogether answers 404; in scope without the role answers 403."""
    if can(user, action, centre):
        return
    if not is_platform_admin(user) and centre.pk not in grants(user):
        raise NotFound(rule="ORG-3")
    raise Forbidden(
        _("Your roles in %(centre)s do not allow this action.") % {"centre": centre.name},
        rule="ORG-3",
    )


def require_platform_admin(user) -> None:
    if not is_platform_admin(user):
        raise Forbidden(_("Only a platform administrator may do this."), rule="ORG-3")
