"""Reads of the hotline's calls, scoped to the person's centres (ORG-3): the caller log, one
call, the missed calls waiting in the morning queue (CS-6), a case's calls and what the pop
card shows about the caller."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models import Call, Case, Customer
from .customers import customer_history

QUEUE_ROWS = 50


def call_list(*, user, centre) -> QuerySet[Call]:
    """The centre's calls, newest first, with what the caller log shows beside each."""
    return (
        limit(Call.objects.filter(centre=centre), user)
        .select_related("customer", "answered_by", "taken_by", "case")
        .order_by("-started_at", "-id")
    )


def call_get(*, user, centre, pk) -> Call:
    """One call of the centre; 404 outside the person's centres (ORG-3)."""
    return get_or_404(call_list(user=user, centre=centre), pk)


def day_bounds(centre, day: date) -> tuple[datetime, datetime]:
    """A day of the centre's calendar as UTC instants (the caller log's day)."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()), centre.tz)
    return start, start + timedelta(days=1)


def today(centre) -> date:
    return timezone.localtime(timezone.now(), centre.tz).date()


def missed_waiting(*, user, centre) -> QuerySet[Call]:
    """CS-6: missed calls no case holds and no later call settled, oldest first — the morning
    queue's hotline part (a taken one stays, naming its taker, until its callback is
    recorded). Served by the partial index ``service_call_waiting``."""
    return (
        limit(Call.objects.filter(centre=centre), user)
        .filter(missed=True, case=None, called_back_at=None)
        .select_related("customer", "taken_by")
        .order_by("started_at", "id")
    )


def case_calls(*, user, case: Case) -> QuerySet[Call]:
    """The calls recorded on a case, oldest first (its page)."""
    return (
        limit(Call.objects.filter(case=case), user)
        .select_related("answered_by")
        .order_by("started_at", "id")
    )


def duration(call: Call) -> timedelta | None:
    """How long the customer was spoken to: from the answer to the hang-up."""
    if call.answered_at is None or call.ended_at is None:
        return None
    return call.ended_at - call.answered_at


def shown_duration(call: Call) -> str:
    """``m:ss`` (``h:mm:ss`` past an hour), or empty for a call nobody answered."""
    spent = duration(call)
    if spent is None:
        return ""
    seconds = max(0, int(spent.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def recording_link(call: Call) -> str:
    """The recording's address when it is one a browser opens (http or https); a path on the
    telephone system's storage is shown as text, not linked."""
    return call.recording if call.recording.lower().startswith(("http://", "https://")) else ""


@dataclass
class Pop:
    """What the agent's pop card shows (``_call_pop.html``): the call, the customer and their
    open cases and last contact when the number is known, and earlier calls of the number."""

    call: Call
    customer: Customer | None
    open_cases: list
    last_contact: object
    calls_today: int


def call_pop(*, user, centre, pk) -> Pop:
    call = call_get(user=user, centre=centre, pk=pk)
    customer, open_cases, last_contact = call.customer, [], None
    if customer is not None:
        history = customer_history(user=user, centre=centre, customer=customer, contacts=1)
        open_cases, last_contact = history.open_cases[:5], next(iter(history.contacts), None)
    calls_today = 0
    if call.number:
        start, end = day_bounds(centre, timezone.localtime(call.started_at, centre.tz).date())
        calls_today = (
            Call.objects.filter(
                centre=centre, number=call.number, started_at__gte=start, started_at__lt=end
            )
            .exclude(pk=call.pk)
            .count()
        )
    return Pop(call, customer, open_cases, last_contact, calls_today)
