"""Template tags of the hotline's calls: the morning queue's missed calls (CS-6) and a case's
calls, each read through the calls' selectors for the person viewing the page."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ..selectors import calls as selectors
from ..views.calls import missed_context

register = template.Library()


@register.inclusion_tag("service/_missed_calls.html", takes_context=True)
def missed_calls_panel(context, centre) -> dict:
    return missed_context(context["request"], centre)


@register.inclusion_tag("service/_case_call_list.html", takes_context=True)
def case_calls_panel(context, case) -> dict:
    user = context["request"].user
    calls = selectors.case_calls(user=user, case=case)
    return {
        "calls": [
            {
                "call": c,
                "url": reverse("service:call_detail", args=[case.centre.code, c.pk]),
                "duration": selectors.shown_duration(c),
                "recording": selectors.recording_link(c),
            }
            for c in calls
        ],
    }
