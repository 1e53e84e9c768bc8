"""Scoped reads of emergency plans and their runs (ORG-3, EMG-1)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _

from zhiban.core.figures import Figure
from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from .models import (
    EmergencyPlan,
    EmergencyRun,
    ItemState,
    PlanItem,
    RunItem,
    RunState,
    Scenario,
)


def plan_list(*, user, centre):
    return (
        limit(EmergencyPlan.objects.filter(centre=centre), user)
        .select_related("centre")  # the alarm classes in the centre kind's words
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


# --- figures over a period (RPT-1) ----------------------------------------------------------


def period_figures(*, centre, start: datetime, end: datetime) -> list[Figure]:
    """RPT-1, EMG-1: emergency plan runs started and closed in [start, end), and those of the
    period's starts still running. One query."""
    found = EmergencyRun.objects.filter(centre=centre).aggregate(
        started=Count("pk", filter=Q(started_at__gte=start, started_at__lt=end)),
        closed=Count("pk", filter=Q(closed_at__gte=start, closed_at__lt=end)),
        running=Count(
            "pk",
            filter=Q(started_at__gte=start, started_at__lt=end, state=RunState.RUNNING),
        ),
    )
    return [
        Figure("runs_started", _("Emergency runs started"), found["started"], rule="EMG-1"),
        Figure("runs_closed", _("Emergency runs closed"), found["closed"], rule="EMG-1"),
        Figure(
            "runs_running", _("Of those started, still running"), found["running"], rule="EMG-1"
        ),
    ]


@dataclass(frozen=True)
class PlanRuns:
    plan: str
    scenario: str
    started: int
    closed: int


def runs_by_plan(*, centre, start: datetime, end: datetime) -> list[PlanRuns]:
    """RPT-1, EMG-1: the runs started in [start, end) per plan, and how many of them are
    closed."""
    rows = (
        EmergencyRun.objects.filter(centre=centre, started_at__gte=start, started_at__lt=end)
        .order_by()
        .values("plan__name", "plan__scenario")
        .annotate(started=Count("pk"), closed=Count("pk", filter=Q(state=RunState.CLOSED)))
        .order_by("-started", "plan__name")
    )
    labels = dict(Scenario.choices)
    return [
        PlanRuns(
            r["plan__name"],
            str(labels.get(r["plan__scenario"], r["plan__scenario"])),
            r["started"],
            r["closed"],
        )
        for r in rows
    ]
