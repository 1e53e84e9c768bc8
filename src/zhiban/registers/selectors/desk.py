"""Scoped reads of the desk registers (REG-3 … REG-6) and what the console and the handover
show of them: items lent and overdue, found items still kept, open messages and repairs."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models import FollowState, FoundItem, FoundState, Loan, LoanState, PhoneMessage, Repair


def loan_list(*, user, centre) -> QuerySet[Loan]:
    rows = Loan.objects.filter(centre=centre).select_related("centre", "recorded_by")
    return limit(rows, user).order_by("-lent_at", "-id")


def loan_get(*, user, centre, pk) -> Loan:
    return get_or_404(loan_list(user=user, centre=centre), pk)


def overdue(centre, now: datetime) -> QuerySet[Loan]:
    """Items lent and not back by their due time, the longest overdue first (REG-4)."""
    return Loan.objects.filter(centre=centre, state=LoanState.LENT, due_at__lte=now).order_by(
        "due_at", "id"
    )


def found_item_list(*, user, centre) -> QuerySet[FoundItem]:
    rows = FoundItem.objects.filter(centre=centre).select_related("centre", "recorded_by")
    return limit(rows, user).order_by("-found_at", "-id")


def found_item_get(*, user, centre, pk) -> FoundItem:
    return get_or_404(found_item_list(user=user, centre=centre), pk)


def kept(centre) -> QuerySet[FoundItem]:
    """Found items still kept, the oldest first (REG-5)."""
    return FoundItem.objects.filter(centre=centre, state=FoundState.KEPT).order_by("found_at", "id")


def phone_message_list(*, user, centre) -> QuerySet[PhoneMessage]:
    rows = PhoneMessage.objects.filter(centre=centre).select_related(
        "centre", "recorded_by", "routed_to"
    )
    return limit(rows, user).order_by("-at", "-id")


def phone_message_get(*, user, centre, pk) -> PhoneMessage:
    return get_or_404(phone_message_list(user=user, centre=centre), pk)


def open_messages(centre) -> QuerySet[PhoneMessage]:
    return (
        PhoneMessage.objects.filter(centre=centre, state=FollowState.OPEN)
        .select_related("routed_to")
        .order_by("at", "id")
    )


def repair_list(*, user, centre) -> QuerySet[Repair]:
    rows = Repair.objects.filter(centre=centre).select_related("centre", "recorded_by")
    return limit(rows, user).order_by("-reported_at", "-id")


def repair_get(*, user, centre, pk) -> Repair:
    return get_or_404(repair_list(user=user, centre=centre), pk)


def open_repairs(centre) -> QuerySet[Repair]:
    return Repair.objects.filter(centre=centre, state=FollowState.OPEN).order_by(
        "reported_at", "id"
    )
