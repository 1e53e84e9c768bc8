"""Scoped reads of the hotel room centre's registers: wake-up calls (REG-7) and the
do-not-disturb check (REG-8); what the console shows of them."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models import DndCheck, WakeUpCall, WakeUpState

WAITING = (WakeUpState.BOOKED, WakeUpState.SECOND_CALL, WakeUpState.SEND_ATTENDANT)


def wake_up_call_list(*, user, centre) -> QuerySet[WakeUpCall]:
    rows = WakeUpCall.objects.filter(centre=centre).select_related("centre", "recorded_by")
    return limit(rows, user).order_by("-wake_at", "-id")


def wake_up_call_get(*, user, centre, pk) -> WakeUpCall:
    return get_or_404(wake_up_call_list(user=user, centre=centre), pk)


def attempts(call: WakeUpCall) -> list:
    return list(call.attempts.select_related("by").order_by("at", "id"))


def next_calls(centre) -> QuerySet[WakeUpCall]:
    """The wake-up calls still to make or follow up, the next due first (the console)."""
    return WakeUpCall.objects.filter(centre=centre, state__in=WAITING).order_by("due_at", "id")


def dnd_check_list(*, user, centre) -> QuerySet[DndCheck]:
    rows = DndCheck.objects.filter(centre=centre).select_related("centre", "recorded_by")
    return limit(rows, user).order_by("-day", "room", "-id")


def dnd_check_get(*, user, centre, pk) -> DndCheck:
    return get_or_404(dnd_check_list(user=user, centre=centre), pk)


def dnd_of_day(centre, day: date) -> QuerySet[DndCheck]:
    """The rooms listed at the day's do-not-disturb check (the console)."""
    return DndCheck.objects.filter(centre=centre, day=day).order_by("state", "room", "id")
