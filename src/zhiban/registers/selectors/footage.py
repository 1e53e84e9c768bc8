"""Scoped reads of footage access (REG-2): the requests, their accesses, and when the footage
of a request is overwritten (its retention end, ``registers.footage_retention_days`` after
the footage's span)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models import ApprovalState, FootageAccess, FootageRequest


def footage_list(*, user, centre) -> QuerySet[FootageRequest]:
    """The centre's requests, newest first (one index: ``reg_footage_list``)."""
    rows = FootageRequest.objects.filter(centre=centre).select_related(
        "centre", "site", "camera", "decided_by", "recorded_by"
    )
    return limit(rows, user).order_by("-created_at", "-id")


def footage_get(*, user, centre, pk) -> FootageRequest:
    return get_or_404(footage_list(user=user, centre=centre), pk)


def access_list(request: FootageRequest) -> QuerySet[FootageAccess]:
    """The accesses of a request already reached through its selector, latest first."""
    return request.accesses.select_related("by").order_by("-at", "-id")


def retention(centre) -> timedelta:
    return timedelta(days=int(centre.setting("registers.footage_retention_days")))


def retention_end(request: FootageRequest) -> datetime:
    """When the recording of the request's footage is overwritten."""
    return request.span_until + retention(request.centre)


def overwrite_warning(request: FootageRequest, now: datetime | None = None) -> str:
    """``"overwritten"``, ``"soon"`` (inside the centre's warning days) or ``""``."""
    now = now or timezone.now()
    end = retention_end(request)
    if end <= now:
        return "overwritten"
    days = int(request.centre.setting("registers.footage_warn_days"))
    return "soon" if end <= now + timedelta(days=days) else ""


def overwritten_soon(centre, now: datetime | None = None) -> QuerySet[FootageRequest]:
    """Requests not refused whose footage is overwritten within the warning days: the
    recording must be kept (copied) before then, or it is gone (console, REG-2)."""
    now = now or timezone.now()
    keep = retention(centre)
    warn = timedelta(days=int(centre.setting("registers.footage_warn_days")))
    return (
        FootageRequest.objects.filter(
            centre=centre, span_until__gt=now - keep, span_until__lte=now - keep + warn
        )
        .exclude(state=ApprovalState.REFUSED)
        .select_related("centre", "camera")
        .order_by("span_until", "id")
    )


def pending(centre) -> QuerySet[FootageRequest]:
    return (
        FootageRequest.objects.filter(centre=centre, state=ApprovalState.PENDING)
        .select_related("centre", "camera")
        .order_by("created_at", "id")
    )
