"""Emergency pages: the desk's home (running plans, the plans to start), and one view per
action on a run — tick, skip, report, close — each calling one service and answering with the
run's page (its forms are only there; after a refused report the referer is the action itself)
(EMG-1, EMG-2)."""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import (
    _detail,
    attempt,
    centre_page,
    required_version,
    run_service,
    submitted,
)

from . import selectors, services
from .forms import ReportForm
from .resources import PLANS, RUNS

WEB = Source.WEB
AREA = "emergency"


@centre_page(AREA)
def home(request, centre):
    """Running plans with their progress and the active plans, each to start (EMG-1)."""
    plans = selectors.plan_list(user=request.user, centre=centre).filter(active=True)
    return render(
        request,
        "emergency/home.html",
        {
            "running": selectors.running(user=request.user, centre=centre),
            "plans": plans,
            "recent": selectors.run_list(user=request.user, centre=centre).exclude(state="running")[
                :10
            ],
            "can_start": can(request.user, Action.EMERGENCY_RUN, centre),
            "can_plan": can(request.user, Action.EMERGENCY_PLAN, centre),
            "plans_url": PLANS.url("list", centre),
            "runs_url": RUNS.url("list", centre),
        },
    )


def _item_action(call):
    @centre_page(AREA, Action.EMERGENCY_RUN)
    @require_POST
    def view(request, centre, pk):
        run = selectors.run_get(user=request.user, centre=centre, pk=pk)
        version = required_version(request)
        attempt(
            request,
            lambda: call(
                actor=request.user,
                source=WEB,
                run_id=run.pk,
                version=version,
                data=request.POST,
            ),
        )
        return HttpResponseRedirect(RUNS.url("detail", centre, run.pk))

    return view


run_tick = _item_action(services.run_item_tick)
run_skip = _item_action(services.run_item_skip)


@centre_page(AREA, Action.EMERGENCY_RUN)
@require_POST
def run_report(request, centre, pk):
    """The emergency or theft report (EMG-2); bad input is shown beside its fields (422)."""
    run = selectors.run_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    form = ReportForm(request.POST, instance=run, centre=centre)
    saved, status = run_service(
        form,
        lambda: services.run_report(
            actor=request.user,
            source=WEB,
            run_id=run.pk,
            version=version,
            data=submitted(ReportForm, request.POST),
        ),
    )
    if saved is not None:
        return HttpResponseRedirect(RUNS.url("detail", centre, run.pk))
    request.report_form = form
    response = _detail(request, centre, RUNS, pk)
    response.status_code = status
    return response


@centre_page(AREA, Action.EMERGENCY_RUN)
@require_POST
def run_close(request, centre, pk):
    """The run closed; refused naming EMG-1 or EMG-2 and what is missing."""
    run = selectors.run_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    attempt(
        request,
        lambda: services.run_close(actor=request.user, source=WEB, run_id=run.pk, version=version),
    )
    return HttpResponseRedirect(RUNS.url("detail", centre, run.pk))
