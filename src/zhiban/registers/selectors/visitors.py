"""Scoped reads of the visitor register (REG-1)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models import Visitor, VisitorState


def visitor_list(*, user, centre) -> QuerySet[Visitor]:
    rows = Visitor.objects.filter(centre=centre).select_related(
        "centre", "decided_by", "recorded_by"
    )
    return limit(rows, user).order_by("-created_at", "-id")


def visitor_get(*, user, centre, pk) -> Visitor:
    return get_or_404(visitor_list(user=user, centre=centre), pk)


def in_room(centre) -> QuerySet[Visitor]:
    """Visitors in the monitoring room now (the handover and the console)."""
    return Visitor.objects.filter(centre=centre, state=VisitorState.IN_ROOM).order_by(
        "arrived_at", "id"
    )


def pending(centre) -> QuerySet[Visitor]:
    return Visitor.objects.filter(centre=centre, state=VisitorState.PENDING).order_by(
        "created_at", "id"
    )
