"""Emergency plans and their runs as the pages and the API see them: lists with filters and
.xlsx export, detail pages with the audit timeline, the plan form and the start of a run
(EMG-1)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import Resource

from . import filters, selectors, services, tables
from .forms import PlanForm, ReportForm, RunStartForm
from .models import ItemState, RunState

PLANS = Resource(
    key="emergency_plan",
    namespace="emergency",
    area="emergency",
    label=_("emergency plan"),
    label_plural=_("Emergency plans (应急预案)"),
    icon="urgent",
    table=tables.PLANS,
    detail=tables.PLAN_DETAIL,
    filterset=filters.PlanFilter,
    form=PlanForm,
    list=selectors.plan_list,
    get=selectors.plan_get,
    manage_action=Action.EMERGENCY_PLAN,
    create=services.plan_create,
    update=lambda *, actor, source, centre, obj, version, changes: services.plan_update(
        actor=actor, source=source, plan_id=obj.pk, version=version, changes=changes
    ),
    detail_extra=lambda request, centre, plan: {
        "extra_template": "emergency/_plan.html",
        "can_start": plan.active and can(request.user, Action.EMERGENCY_RUN, centre),
    },
)


def _run_extra(request, centre, run) -> dict:
    """The checklist with its tick and skip forms, the report and the close (EMG-1, EMG-2)."""
    running = run.state == RunState.RUNNING
    acting = running and can(request.user, Action.EMERGENCY_RUN, centre)
    report = getattr(request, "report_form", None) or ReportForm(instance=run, centre=centre)
    return {
        "extra_template": "emergency/_run.html",
        "items": run.items.all(),
        "OPEN": ItemState.OPEN,
        "acting": acting,
        "report_form": report if acting else None,
        "report_required": run.plan.report_required,
        "missing": run.missing_report_fields() if run.plan.report_required else [],
    }


RUNS = Resource(
    key="emergency_run",
    namespace="emergency",
    area="emergency",
    label=_("emergency plan run"),
    label_plural=_("Emergency plan runs"),
    icon="player-play",
    table=tables.RUNS,
    detail=tables.RUN_DETAIL,
    filterset=filters.RunFilter,
    form=RunStartForm,
    list=selectors.run_list,
    get=selectors.run_get,
    manage_action=Action.EMERGENCY_RUN,
    create=services.run_start,
    detail_extra=_run_extra,
)
