"""The dashboards side by side (RPT-4): /reports/centres/ shows every centre the person may
read reports of, one column each with its figures of today and this month, refreshed live
and every minute. Not under one centre: it is the page of someone with several."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path

from ..selectors.dashboards import centre_dashboard, dashboard_centres


@login_required
def centres(request):
    """One column per centre in the person's scope (ORG-3); an htmx request gets the columns
    only, for the live refresh."""
    boards = [centre_dashboard(centre) for centre in dashboard_centres(user=request.user)]
    template = "reports/_centres.html" if request.htmx else "reports/centres.html"
    return render(request, template, {"boards": boards})


URLS = [path("reports/centres/", centres, name="centres")]
