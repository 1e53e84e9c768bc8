"""The upkeep area's home: open defects by grade, counters at or near their limits, and the
acceptance sheets being checked — each sub-domain's part from its own view module."""

from __future__ import annotations

from django.shortcuts import render

from zhiban.core.web import centre_page

from . import acceptance, counters, defects

AREA = "upkeep"


@centre_page(AREA)
def home(request, centre):
    context = {}
    for part in (defects, counters, acceptance):
        context.update(part.home_context(request, centre))
    return render(request, "upkeep/home.html", context)
