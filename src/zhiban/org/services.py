"""The one door for writes to the organisation (ORG-1 … ORG-4).

Every function takes ``actor`` and ``source``, runs in one transaction, checks the actor's
roles in the centre (ORG-3), refuses stale versions (409), validates with the record's form
(422 per field) and appends the audit event (ORG-4).
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit
from zhiban.core.errors import Forbidden, InvalidInput, NotFound
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import forget, require, require_platform_admin
from zhiban.core.services import (
    ANY_VERSION,
    create_from_form,
    create_in_centre,
    locked,
    save_change,
    update_from_form,
    update_in_centre,
    validated,
)

from . import centre_settings, tokens
from .forms import (
    CentreForm,
    EquipmentForm,
    MembershipForm,
    NewPersonForm,
    PasswordForm,
    PersonForm,
    SettingsForm,
    SiteForm,
    TeamForm,
)
from .models import ApiToken, Centre, Equipment, Membership, Person, Site, Team
from .selectors import people_scope, person_change_refusal, token_source_choices

# --- centres --------------------------------------------------------------------------------


@transaction.atomic
def centre_create(*, actor, source, data, reason: str = "") -> Centre:
    """ORG-1: only a platform administrator opens a new centre."""
    require_platform_admin(actor)
    form = validated(CentreForm, data)
    return create_from_form(
        actor=actor, source=source, form=form, verb="centre.create", reason=reason
    )


@transaction.atomic
def centre_update(*, actor, source, centre_id, version: int, changes, reason: str = "") -> Centre:
    centre = locked(Centre.objects.all(), centre_id, version)
    require(actor, Action.ORG_MANAGE, centre)
    if "code" in changes and changes["code"] != centre.code:
        require_platform_admin(actor)  # the code is in every address of the centre
    return update_from_form(
        actor=actor,
        source=source,
        obj=centre,
        form_class=CentreForm,
        changes=changes,
        verb="centre.update",
        reason=reason,
    )


@transaction.atomic
def centre_settings_update(
    *, actor, source, centre_id, version: int, changes, reason: str = ""
) -> Centre:
    """Change the centre's documented settings; a blank value restores the default."""
    centre = locked(Centre.objects.all(), centre_id, version)
    require(actor, Action.ORG_MANAGE, centre)
    errors = {k: [_("Unknown setting.")] for k in changes if k not in centre_settings.BY_KEY}
    data = {s.key: centre.setting(s.key) for s in centre_settings.SETTINGS}
    data.update({k: ("" if v is None else v) for k, v in changes.items() if k not in errors})
    form = SettingsForm(data=data, centre=centre)
    if not form.is_valid() or errors:
        errors.update({k: [str(e) for e in v] for k, v in form.errors.items()})
        raise InvalidInput(fields=errors)
    before = audit.snapshot(centre)
    centre.settings = {
        key: value
        for key, value in form.cleaned_data.items()
        if value not in (None, "") and value != centre_settings.BY_KEY[key].default
    }
    return save_change(
        centre, actor=actor, source=source, verb="centre.settings", before=before, reason=reason
    )


# --- teams ----------------------------------------------------------------------------------


@transaction.atomic
def team_create(*, actor, source, centre, data, reason: str = "") -> Team:
    return create_in_centre(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=TeamForm,
        action=Action.ORG_MANAGE,
        verb="team.create",
        reason=reason,
    )


@transaction.atomic
def team_update(*, actor, source, team_id, version: int, changes, reason: str = "") -> Team:
    return update_in_centre(
        actor=actor,
        source=source,
        model=Team,
        pk=team_id,
        version=version,
        changes=changes,
        form_class=TeamForm,
        action=Action.ORG_MANAGE,
        verb="team.update",
        reason=reason,
    )


# --- sites and equipment (trees) ------------------------------------------------------------


def _path_segment(pk: int) -> str:
    return f"{pk:010d}/"


def _place_in_tree(node) -> None:
    """Set ``tree_path`` from the parent and move the subtree along when the parent changed
    (one UPDATE: an id path occurs in a descendant's path only as its prefix)."""
    old_path = node.tree_path
    parent_path = node.parent.tree_path if node.parent_id else "/"
    new_path = parent_path + _path_segment(node.pk)
    if new_path == old_path:
        return
    if old_path:
        type(node).objects.filter(tree_path__startswith=old_path).update(
            tree_path=Replace(F("tree_path"), Value(old_path), Value(new_path))
        )
    else:
        type(node).objects.filter(pk=node.pk).update(tree_path=new_path)
    node.tree_path = new_path


def _create_node(*, actor, source, centre, form_class, data, verb, reason, prepare):
    require(actor, Action.ORG_MANAGE, centre)
    form = validated(form_class, data, centre=centre)
    return create_from_form(
        actor=actor,
        source=source,
        form=form,
        verb=verb,
        reason=reason,
        prepare=prepare,
        after_save=_place_in_tree,
    )


def _update_node(
    *, actor, source, model, node_id, version, form_class, changes, verb, reason, prepare=None
):
    node = locked(model.objects.all(), node_id, version)
    require(actor, Action.ORG_MANAGE, node.centre)
    return update_from_form(
        actor=actor,
        source=source,
        obj=node,
        form_class=form_class,
        changes=changes,
        verb=verb,
        reason=reason,
        prepare=prepare,
        after_save=_place_in_tree,
        centre=node.centre,
    )


def _site_centre(centre):
    return lambda site: setattr(site, "centre", centre)


def _equipment_centre(equipment) -> None:
    equipment.centre_id = equipment.site.centre_id


@transaction.atomic
def site_create(*, actor, source, centre, data, reason: str = "") -> Site:
    """ORG-2: a site supervised by the centre, optionally under a parent site."""
    return _create_node(
        actor=actor,
        source=source,
        centre=centre,
        form_class=SiteForm,
        data=data,
        verb="site.create",
        reason=reason,
        prepare=_site_centre(centre),
    )


@transaction.atomic
def site_update(*, actor, source, site_id, version: int, changes, reason: str = "") -> Site:
    return _update_node(
        actor=actor,
        source=source,
        model=Site,
        node_id=site_id,
        version=version,
        form_class=SiteForm,
        changes=changes,
        verb="site.update",
        reason=reason,
    )


@transaction.atomic
def equipment_create(*, actor, source, centre, data, reason: str = "") -> Equipment:
    """ORG-2: equipment at a site, in a tree, with its double name (OPS-15)."""
    return _create_node(
        actor=actor,
        source=source,
        centre=centre,
        form_class=EquipmentForm,
        data=data,
        verb="equipment.create",
        reason=reason,
        prepare=_equipment_centre,
    )


@transaction.atomic
def equipment_update(
    *, actor, source, equipment_id, version: int, changes, reason: str = ""
) -> Equipment:
    return _update_node(
        actor=actor,
        source=source,
        model=Equipment,
        node_id=equipment_id,
        version=version,
        form_class=EquipmentForm,
        changes=changes,
        verb="equipment.update",
        reason=reason,
        prepare=_equipment_centre,
    )


# --- people and memberships -----------------------------------------------------------------


@transaction.atomic
def person_create(*, actor, source, centre, data, reason: str = "") -> Person:
    """A new person with a password and a first role in the centre."""
    require(actor, Action.PEOPLE_MANAGE, centre)
    form = validated(NewPersonForm, data, centre=centre)
    person = form.save(commit=False)
    person.set_password(form.cleaned_data["password"])
    person.save()
    audit.record(
        actor=actor,
        source=source,
        verb="person.create",
        obj=person,
        centre=centre,
        after=audit.snapshot(person),
        reason=reason,
    )
    membership = Membership.objects.create(
        person=person,
        centre=centre,
        team=form.cleaned_data.get("team"),
        role=form.cleaned_data["role"],
        post=form.cleaned_data.get("post", ""),
    )
    audit.record(
        actor=actor,
        source=source,
        verb="membership.create",
        obj=membership,
        after=audit.snapshot(membership),
        reason=reason,
    )
    return person


def _require_whole_person(actor, person) -> None:
    """ORG-3: a centre administrator changes a person only when every centre the person
    belongs to is within their rights; otherwise a platform administrator does it (403)."""
    refusal = person_change_refusal(user=actor, person=person)
    if refusal:
        raise Forbidden(refusal, rule="ORG-3")


def _person_in_scope(actor, centre, person_id, version) -> Person:
    person = locked(Person.objects.all(), person_id, version)
    require(actor, Action.PEOPLE_MANAGE, centre)
    if not people_scope(user=actor, centre=centre).filter(pk=person.pk).exists():
        raise NotFound(rule="ORG-3")
    if person.is_superuser and not getattr(actor, "is_superuser", False):
        raise NotFound(rule="ORG-3")
    _require_whole_person(actor, person)
    return person


@transaction.atomic
def person_update(
    *, actor, source, centre, person_id, version: int, changes, reason: str = ""
) -> Person:
    """ORG-3: the person's account (login, e-mail, active…), only by someone who administers
    every centre the person belongs to."""
    person = _person_in_scope(actor, centre, person_id, version)
    return update_from_form(
        actor=actor,
        source=source,
        obj=person,
        form_class=PersonForm,
        changes=changes,
        verb="person.update",
        reason=reason,
        audit_centre=centre,
    )


@transaction.atomic
def person_set_password(*, actor, source, centre, person_id, version: int, data) -> Person:
    """ORG-3: a new password, only by someone who administers every centre of the person."""
    person = _person_in_scope(actor, centre, person_id, version)
    form = validated(PasswordForm, data)
    before = audit.snapshot(person)  # the password hash itself is never audited
    person.set_password(form.cleaned_data["password"])
    return save_change(
        person,
        actor=actor,
        source=source,
        verb="person.set_password",
        before=before,
        centre=centre,
    )


@transaction.atomic
def person_update_own(*, actor, source, changes) -> Person:
    """A person changes their own language (the switch sticks, across devices). Only the
    person sets it and the last choice is the one meant, so no version applies (DESIGN-1)."""
    person = locked(Person.objects.all(), actor.pk, ANY_VERSION)
    fields = {"language"}
    unknown = set(changes) - fields
    if unknown:
        raise InvalidInput(fields={k: [_("This field cannot be changed here.")] for k in unknown})
    return update_from_form(
        actor=actor,
        source=source,
        obj=person,
        form_class=PersonForm,
        changes=changes,
        verb="person.update_own",
    )


@transaction.atomic
def person_grant_platform_admin(*, actor, source, person_id, reason: str = "") -> Person:
    """Make a person a platform administrator (every centre, ORG-1 centre creation)."""
    require_platform_admin(actor)
    person = locked(Person.objects.all(), person_id, ANY_VERSION)  # a command's grant, no page
    before = audit.snapshot(person)
    person.is_superuser = person.is_staff = True
    return save_change(
        person,
        actor=actor,
        source=source,
        verb="person.grant_platform_admin",
        before=before,
        reason=reason,
    )


@transaction.atomic
def membership_create(*, actor, source, centre, data, reason: str = "") -> Membership:
    """ORG-3: give a person a role in the centre or one of its teams (not a person who also
    belongs to a centre the actor does not administer)."""
    require(actor, Action.PEOPLE_MANAGE, centre)
    form = validated(
        MembershipForm, data, centre=centre, people=people_scope(user=actor, centre=centre)
    )
    _require_whole_person(actor, form.cleaned_data["person"])
    if form.cleaned_data["active"]:
        _require_one_centre_gateway(form.cleaned_data["person"], centre, form.cleaned_data["role"])
    membership = create_from_form(
        actor=actor,
        source=source,
        form=form,
        verb="membership.create",
        reason=reason,
        prepare=lambda m: setattr(m, "centre", centre),
    )
    forget(membership.person)
    return membership


def _require_one_centre_gateway(person, centre, role, *, field: str = "role") -> None:
    """ORG-3: a gateway account (接入网关) belongs to one centre — one account per source and
    centre, never a login shared across centres (INC-1). Asked of an active role only."""
    elsewhere = Membership.objects.filter(person=person, active=True).exclude(centre=centre)
    if elsewhere.filter(role=Role.GATEWAY).exists() or (
        role == Role.GATEWAY and elsewhere.exists()
    ):
        message = _(
            "A gateway account belongs to one centre; %(person)s has a role elsewhere (ORG-3)."
        )
        raise InvalidInput(rule="ORG-3", fields={field: [message % {"person": person}]})


@transaction.atomic
def membership_update(
    *, actor, source, membership_id, version: int, changes, reason: str = ""
) -> Membership:
    membership = locked(Membership.objects.all(), membership_id, version)
    require(actor, Action.PEOPLE_MANAGE, membership.centre)
    _require_whole_person(actor, membership.person)
    if "person" in changes and str(changes["person"]) != str(membership.person_id):
        raise InvalidInput(fields={"person": [_("A membership cannot move to another person.")]})
    was_role, was_active = membership.role, membership.active

    def one_centre_gateway(changed: Membership) -> None:
        """ORG-3, only where the change could share a gateway login: the role turns active or
        changes; switching off a shared login of earlier data is how it is repaired."""
        if changed.active and (changed.role != was_role or not was_active):
            field = "role" if changed.role != was_role else "active"
            _require_one_centre_gateway(changed.person, changed.centre, changed.role, field=field)

    return update_from_form(
        actor=actor,
        source=source,
        obj=membership,
        form_class=MembershipForm,
        changes=changes,
        verb="membership.update",
        reason=reason,
        prepare=one_centre_gateway,
        centre=membership.centre,
        people=Person.objects.filter(pk=membership.person_id),
    )


# --- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor, source, name: str, sources=()) -> tuple[ApiToken, str]:
    """A new personal API token; the raw value is returned once and never stored. ``sources``
    (codes) are the alarm sources it may send events for, of the centres where the person may
    send events; a token without sources sends none (INC-1, ORG-3)."""
    name = (name or "").strip()
    if not name or len(name) > 60 or "\x00" in name:
        raise InvalidInput(fields={"name": [_("Give the token a name of up to 60 characters.")]})
    codes = {str(code) for code in sources}
    chosen = list(token_source_choices(user=actor).filter(code__in=codes))
    unknown = sorted(codes - {s.code for s in chosen})
    if unknown:
        message = _("Not an alarm source you may send events for: %(codes)s (ORG-3)")
        raise InvalidInput(
            rule="ORG-3", fields={"sources": [message % {"codes": ", ".join(unknown)}]}
        )
    raw = "zb_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=actor, name=name, prefix=raw[:10], digest=tokens.token_digest(raw)
    )
    token.sources.set(chosen)
    audit.record(
        actor=actor,
        source=source,
        verb="api_token.create",
        obj=token,
        after={"name": name, "prefix": token.prefix, "sources": sorted(s.code for s in chosen)},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, source, token_id) -> ApiToken:
    # a token has no version: revoking is once and for good, a second revoke changes nothing
    token = locked(ApiToken.objects.filter(person=actor), token_id, ANY_VERSION)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        tokens.forget(token.digest)  # at once, and again at commit (read meanwhile)
        transaction.on_commit(lambda: tokens.forget(token.digest))
        audit.record(
            actor=actor,
            source=source,
            verb="api_token.revoke",
            obj=token,
            after={"revoked_at": token.revoked_at},
        )
    return token
