"""Checkpoints with their check items, and patrol plans (PAT-1): kept by the centre's planners
(``patrol.plan``)."""

from __future__ import annotations

from django.db import transaction

from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import create_from_form, locked, update_from_form, validated

from ..forms import CheckpointForm, PlanForm, parse_items
from ..models import CheckItem, Checkpoint, PatrolPlan


def _replace_items(checkpoint: Checkpoint, items: list[tuple[str, int | None]]) -> None:
    checkpoint.items.all().delete()
    CheckItem.objects.bulk_create(
        CheckItem(checkpoint=checkpoint, seq=seq, text=text, minimum=minimum)
        for seq, (text, minimum) in enumerate(items, start=1)
    )


@transaction.atomic
def checkpoint_create(*, actor, source, centre, data) -> Checkpoint:
    """PAT-1: a checkpoint at one of the centre's sites, with its check items and a random
    QR token and short code (PAT-2)."""
    require(actor, Action.PATROL_PLAN, centre)
    form = validated(CheckpointForm, data, centre=centre)
    items = form.cleaned_data["items"]
    return create_from_form(
        actor=actor,
        source=source,
        form=form,
        verb="checkpoint.create",
        prepare=lambda obj: setattr(obj, "centre", centre),
        after_save=lambda obj: _replace_items(obj, items),
    )


@transaction.atomic
def checkpoint_update(*, actor, source, checkpoint_id, version: int, changes) -> Checkpoint:
    """PAT-1: a checkpoint changed; its items are replaced when ``items`` is given."""
    checkpoint = locked(Checkpoint.objects.select_related("centre"), checkpoint_id, version)
    centre = checkpoint.centre
    require(actor, Action.PATROL_PLAN, centre)
    changes = dict(changes)
    if "items" not in changes:
        changes["items"] = checkpoint.items_text
    return update_from_form(
        actor=actor,
        source=source,
        obj=checkpoint,
        form_class=CheckpointForm,
        changes=changes,
        verb="checkpoint.update",
        after_save=lambda obj: _replace_items(obj, parse_items(changes["items"] or "")),
        centre=centre,
    )


@transaction.atomic
def plan_create(*, actor, source, centre, data) -> PatrolPlan:
    """PAT-1: a patrol plan of the centre: what, where, by whom and how often."""
    require(actor, Action.PATROL_PLAN, centre)
    form = validated(PlanForm, data, centre=centre)
    return create_from_form(
        actor=actor,
        source=source,
        form=form,
        verb="patrol_plan.create",
        prepare=lambda obj: setattr(obj, "centre", centre),
    )


@transaction.atomic
def plan_update(*, actor, source, plan_id, version: int, changes) -> PatrolPlan:
    """PAT-1: a plan changed; rounds already due keep their windows and checkpoints."""
    plan = locked(PatrolPlan.objects.select_related("centre"), plan_id, version)
    require(actor, Action.PATROL_PLAN, plan.centre)
    return update_from_form(
        actor=actor,
        source=source,
        obj=plan,
        form_class=PlanForm,
        changes=changes,
        verb="patrol_plan.update",
        centre=plan.centre,
    )
