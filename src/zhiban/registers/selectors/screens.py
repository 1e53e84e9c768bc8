"""Scoped reads of big-screen and remote-operation use (REG-9)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models import ApprovalState, ScreenUse


def screen_use_list(*, user, centre) -> QuerySet[ScreenUse]:
    rows = ScreenUse.objects.filter(centre=centre).select_related(
        "centre", "decided_by", "recorded_by"
    )
    return limit(rows, user).order_by("-starts_at", "-id")


def screen_use_get(*, user, centre, pk) -> ScreenUse:
    return get_or_404(screen_use_list(user=user, centre=centre), pk)


def pending(centre) -> QuerySet[ScreenUse]:
    return ScreenUse.objects.filter(centre=centre, state=ApprovalState.PENDING).order_by(
        "starts_at", "id"
    )
