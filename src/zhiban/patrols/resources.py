"""Checkpoints', plans' and rounds' record kinds as the pages and the API see them (PAT-1,
PAT-2); the plan list exports to .xlsx like every list."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import Resource

from . import filters, selectors, services, tables
from .forms import CheckpointForm, PlanForm


def _checkpoint_extra(request, centre, checkpoint) -> dict:
    from . import qr

    plans = [(PLANS.url("detail", centre, p.pk), p.name) for p in checkpoint.plans.all()]
    return {
        "extra_template": "patrols/_checkpoint_code.html",
        "qr_svg": qr.svg(checkpoint),
        "sheet_url": reverse("patrols:qr_sheet", args=[centre.code, checkpoint.site_id])
        if can(request.user, Action.PATROL_PLAN, centre)
        else "",
        "related": [(_("patrol plans"), plans)],
    }


def _plan_extra(request, centre, plan) -> dict:
    points = [(CHECKPOINTS.url("detail", centre, c.pk), str(c)) for c in plan.checkpoints.all()]
    return {"related": [(_("checkpoints"), points)]}


CHECKPOINTS = Resource(
    key="checkpoint",
    namespace="patrols",
    area="patrols",
    label=_("checkpoint"),
    label_plural=_("Checkpoints (巡视点)"),
    icon="map-pin",
    table=tables.CHECKPOINTS,
    filterset=filters.CheckpointFilter,
    form=CheckpointForm,
    list=selectors.checkpoint_list,
    get=selectors.checkpoint_get,
    manage_action=Action.PATROL_PLAN,
    create=services.checkpoint_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.checkpoint_update(
        actor=actor, source=source, checkpoint_id=obj.pk, version=version, changes=changes
    ),
    detail_extra=_checkpoint_extra,
)

PLANS = Resource(
    key="plan",
    namespace="patrols",
    area="patrols",
    label=_("patrol plan"),
    label_plural=_("Patrol plans (巡视计划)"),
    icon="route",
    table=tables.PLANS,
    filterset=filters.PlanFilter,
    form=PlanForm,
    list=selectors.plan_list,
    get=selectors.plan_get,
    manage_action=Action.PATROL_PLAN,
    create=services.plan_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.plan_update(
        actor=actor, source=source, plan_id=obj.pk, version=version, changes=changes
    ),
    detail_extra=_plan_extra,
)

ROUNDS = Resource(
    key="round",
    namespace="patrols",
    area="patrols",
    label=_("patrol round"),
    label_plural=_("Patrol rounds (巡视记录)"),
    icon="walk",
    table=tables.ROUNDS,
    filterset=filters.RoundFilter,
    form=None,
    list=selectors.round_list,
    get=selectors.round_get,
    manage_action=Action.PATROL_WALK,
)
