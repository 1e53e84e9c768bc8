"""The hotline's calls as pages (issue 12 item 9, CS-1, CS-6): the caller log (来电记录) of a
day with its filters and .xlsx export, one call with its audit timeline, the pop card an
agent's open page shows when a call rings or is answered, the morning queue's missed calls
(refreshed live) and taking one to call the customer back."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.exports import xlsx_response
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline
from zhiban.core.web import attempt, back, centre_page, required_version

from ..resources.calls import CALLS, CallFilter
from ..selectors import calls as selectors
from ..services import calls as services

AREA = "service"
PAGE_ROWS = 50


def log_url(centre) -> str:
    return reverse("service:call_log", args=[centre.code])


def call_url(centre, pk) -> str:
    return reverse("service:call_detail", args=[centre.code, pk])


def intake_url(centre, call) -> str:
    """The intake with the caller's number filled in and the call to link to the case it
    records (``?phone=…&call=<id>``), or the call's page while there is no intake."""
    try:
        url = reverse("service:intake", args=[centre.code])
    except NoReverseMatch:
        return call_url(centre, call.pk)
    return f"{url}?{urlencode({'phone': call.number or call.from_number, 'call': call.pk})}"


def record_url(name: str, centre, pk) -> str:
    """A customer's or case's page (the cases work's), or nothing while there is none."""
    try:
        return reverse(f"service:{name}", args=[centre.code, pk])
    except NoReverseMatch:
        return ""


def _rows(centre, calls) -> list[dict]:
    return [
        {
            "call": c,
            "url": call_url(centre, c.pk),
            "cells": list(zip(CALLS.columns, CALLS.cells(c), strict=True)),
            "recording": selectors.recording_link(c),
        }
        for c in calls
    ]


@centre_page(AREA)
def call_log(request, centre):
    """The caller log: the day's calls (today's when the page is opened without a day),
    filtered by direction, missed, waiting and agent; ``?export=xlsx`` the same as .xlsx."""
    query = request.GET.copy()
    if "day" not in query:
        query["day"] = selectors.today(centre).isoformat()
    filters = CallFilter(
        query, queryset=selectors.call_list(user=request.user, centre=centre), request=request
    )
    calls = filters.qs if filters.is_valid() else filters.queryset.none()
    if request.GET.get("export") == "xlsx":
        return xlsx_response(CALLS, calls, _("Caller log"), f"{centre.code}-calls")
    page = Paginator(calls, PAGE_ROWS).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "headers": CALLS.headers(),
        "rows": _rows(centre, page.object_list),
        "waiting": selectors.missed_waiting(user=request.user, centre=centre).count(),
    }
    template = "service/_call_rows.html" if request.htmx else "service/call_log.html"
    return render(request, template, context)


@centre_page(AREA)
def call_detail(request, centre, pk):
    """One call: what the telephone system said, its customer and case, and its timeline."""
    found = selectors.call_get(user=request.user, centre=centre, pk=pk)
    context = {
        "call": found,
        "fields": list(zip(CALLS.headers(), CALLS.cells(found), strict=True)),
        "recording": selectors.recording_link(found),
        "customer_url": record_url("customer_detail", centre, found.customer_id)
        if found.customer_id
        else "",
        "case_url": record_url("case_detail", centre, found.case_id) if found.case_id else "",
        "intake_url": intake_url(centre, found),
        "can_take": _may_take(request.user, centre, found),
        "can_record": can(request.user, Action.SERVICE_INTAKE, centre),
        "events": timeline(user=request.user, centre=centre, obj=found)[:100],
    }
    return render(request, "service/call_detail.html", context)


def _may_take(user, centre, call) -> bool:
    return (
        call.missed
        and call.taken_by_id is None
        and call.case_id is None
        and call.called_back_at is None
        and can(user, Action.SERVICE_INTAKE, centre)
    )


@centre_page(AREA)
def call_pop(request, centre, pk):
    """The pop card (``_call_pop.html``) the live channel asks the agent's page to show."""
    pop = selectors.call_pop(user=request.user, centre=centre, pk=pk)
    context = {
        "pop": pop,
        "call": pop.call,
        "intake_url": intake_url(centre, pop.call),
        "call_url": call_url(centre, pop.call.pk),
        "customer_url": record_url("customer_detail", centre, pop.customer.pk)
        if pop.customer
        else "",
        "cases": [(c, record_url("case_detail", centre, c.pk)) for c in pop.open_cases],
        "can_record": can(request.user, Action.SERVICE_INTAKE, centre),
    }
    return render(request, "service/_call_pop.html", context)


@centre_page(AREA)
def missed_calls(request, centre):
    """The morning queue's missed calls (``_missed_calls.html``), reloaded live."""
    return render(request, "service/_missed_calls.html", missed_context(request, centre))


def missed_context(request, centre) -> dict:
    calls = list(selectors.missed_waiting(user=request.user, centre=centre)[:PAGE_ROWS])
    may_take = can(request.user, Action.SERVICE_INTAKE, centre)
    return {
        "centre": centre,
        "calls": [
            {
                "call": c,
                "url": call_url(centre, c.pk),
                "intake_url": intake_url(centre, c),
                "mine": c.taken_by_id == request.user.pk,
            }
            for c in calls
        ],
        "may_take": may_take,
    }


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def call_take(request, centre, pk):
    """CS-6: take a missed call; the agent goes on to the intake to record the callback. A
    second agent is told who took it first."""
    found = selectors.call_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    done = attempt(
        request,
        lambda: services.missed_call_take(
            actor=request.user, source=Source.WEB, call_id=found.pk, version=version
        ),
    )
    if done:
        return HttpResponseRedirect(intake_url(centre, found))
    return back(request, log_url(centre))
