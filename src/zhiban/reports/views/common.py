"""The reports area's home: the reports of the centre's kind, each from its own view module."""

from __future__ import annotations

from django.shortcuts import render

from zhiban.core.web import centre_page

from . import monthly, shift, subscriptions

AREA = "reports"


@centre_page(AREA, "report.view")
def home(request, centre):
    context = {"centre": centre}
    for part in (shift, monthly, subscriptions):
        context.update(part.home_context(request, centre))
    return render(request, "reports/home.html", context)
