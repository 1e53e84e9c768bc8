"""The core's console panels: deadlines due, unread notifications, latest calls, latest
changes."""

from __future__ import annotations

from django.utils import timezone

from . import selectors
from .console import Panel
from .models import DeadlineState
from .permissions import Action
from .scoping import can


def deadlines(request, centre) -> dict:
    now = timezone.now()
    due = selectors.deadline_list(user=request.user, centre=centre).filter(
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED]
    )
    return {
        "deadlines": due.order_by("due_at")[:10],
        "overdue": due.filter(due_at__lte=now).count(),
        "now": now,
    }


def notifications(request, centre) -> dict:
    return {"notes": selectors.notification_list(user=request.user).filter(read_at=None)[:6]}


def calls(request, centre) -> dict:
    return {
        "calls": selectors.phone_contact_list(user=request.user, centre=centre)[:6],
        "can_record": can(request.user, Action.PHONE_RECORD, centre),
    }


def changes(request, centre) -> dict:
    return {"events": selectors.audit_event_list(user=request.user, centre=centre)[:8]}


PANELS = [
    Panel("deadlines", "core/panels/deadlines.html", deadlines, order=60),
    Panel("notifications", "core/panels/notifications.html", notifications, order=70),
    Panel("calls", "core/panels/calls.html", calls, order=80),
    Panel("changes", "core/panels/changes.html", changes, order=90),
]
