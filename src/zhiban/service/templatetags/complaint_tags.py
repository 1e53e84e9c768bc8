"""The complaint and follow-up sections of a case page (CS-3, CS-4, CS-5): ``_complaint.html``
and ``_follow_ups.html`` are included with only ``case`` in their context, so they read what
they show here, scoped to the person viewing (ORG-3)."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline

from ..forms.complaints import ComplaintReplyForm
from ..resources.complaints import COMPLAINT_FACTS
from ..selectors import complaints as complaint_selectors
from ..selectors import followups as follow_up_selectors
from ..selectors.cases import may_work

register = template.Library()


def _replies(events) -> list[dict]:
    """Each reply as it was recorded (the audit chain keeps them all, CS-4)."""
    replies = []
    for event in events:
        if event.verb != "complaint.reply":
            continue
        after = event.after or {}
        promised = after.get("next_reply_at")
        replies.append(
            {
                "at": event.at,
                "by": event.actor_label,
                "reply": after.get("reply", ""),
                "handling": after.get("handling", ""),
                "solved": after.get("solved", False),
                "unjustified": after.get("unjustified", False),
                "next_reply_at": parse_datetime(promised) if promised else None,
            }
        )
    return replies


def _reply_initial(complaint) -> dict:
    return {
        "reply": complaint.reply,
        "handling": complaint.handling,
        "solved": complaint.solved,
        "unjustified": complaint.unjustified,
        "next_reply_at": (
            timezone.localtime(complaint.next_reply_at) if complaint.next_reply_at else None
        ),
    }


@register.inclusion_tag("service/_complaint_section.html", takes_context=True)
def complaint_section(context, case) -> dict:
    """The complaint's facts, its replies, the promised reply's clock and the reply form."""
    request = context["request"]
    user = request.user
    complaint = complaint_selectors.complaint_of_case(user=user, case=case)
    if complaint is None:
        return {"complaint": None}
    centre = case.centre
    events = list(timeline(user=user, centre=centre, obj=complaint)[:200])
    may_reply = (
        case.state != "closed" and can(user, Action.SERVICE_INTAKE, centre) and may_work(user, case)
    )
    bound = context.get("complaint_reply_form")
    form = bound or ComplaintReplyForm(
        initial=_reply_initial(complaint), centre=centre, auto_id="id_reply_%s"
    )
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "centre": centre,
        "case": case,
        "complaint": complaint,
        "facts": [
            (label, value)
            for label, value in zip(
                COMPLAINT_FACTS.headers(), COMPLAINT_FACTS.cells(complaint), strict=True
            )
            if value not in ("", None)
        ],
        "replies": _replies(reversed(events)),
        "deadline": complaint_selectors.reply_deadline(complaint),
        "overdue": complaint_selectors.overdue(complaint),
        "reply_form": form if may_reply or bound else None,
        "now": timezone.now(),
    }


@register.inclusion_tag("service/_follow_ups_section.html", takes_context=True)
def follow_ups_section(context, case) -> dict:
    """The case's follow-ups (CS-3 apology call, CS-5 visit), open first, with their due."""
    request = context["request"]
    rows = list(follow_up_selectors.follow_ups_of_case(user=request.user, case=case))
    return {
        "request": request,
        "centre": case.centre,
        "case": case,
        "follow_ups": rows,
        "now": timezone.now(),
    }
