"""Scoped reads of emergency plans and their runs (ORG-3, EMG-1)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from .models import EmergencyPlan, EmergencyRun, ItemState, PlanItem, RunItem, RunState


def plan_list(*, user, centre):
    return (
        limit(EmergencyPlan.objects.filter(centre=centre), user)
        .annotate(item_count=Count("items"))
        .prefetch_related(Prefetch("items", queryset=PlanItem.objects.order_by("position")))
        .order_by("scenario", "name")
    )


def plan_get(*, user, centre, pk):
    return get_or_404(plan_list(user=user, centre=centre), pk)


def run_list(*, user, centre):
    """Runs, the newest first, with how many items are done (ticked or skipped)."""
    return (
        limit(EmergencyRun.objects.filter(centre=centre), user)
        .select_related("plan", "started_by", "closed_by", "alarm")
        .annotate(
            item_count=Count("items"),
            items_done=Count("items", filter=~Q(items__state=ItemState.OPEN)),
        )
        .order_by("-started_at", "-id")
    )


def running(*, user, centre):
    return run_list(user=user, centre=centre).filter(state=RunState.RUNNING)


def run_get(*, user, centre, pk):
    runs = run_list(user=user, centre=centre).prefetch_related(
        Prefetch("items", queryset=RunItem.objects.select_related("done_by").order_by("position"))
    )
    return get_or_404(runs, pk)
