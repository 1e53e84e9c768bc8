"""Scoped reads of follow-up tasks (CS-3 apology calls, CS-5 visits after bodily harm):
another centre's follow-up is 404 (ORG-3)."""

from __future__ import annotations

from django.db.models import F, QuerySet

from zhiban.core.models import Deadline
from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404
from zhiban.core.services import content_type_of

from ..models import FollowUp


def follow_up_list(*, user, centre) -> QuerySet[FollowUp]:
    """The centre's follow-ups: open ones first, by due time; then done ones, latest first."""
    rows = FollowUp.objects.filter(centre=centre).select_related(
        "case", "case__customer", "owner", "done_by", "centre"
    )
    return limit(rows, user).order_by(F("done_at").desc(nulls_first=True), "due_at", "pk")


def follow_up_get(*, user, centre, pk) -> FollowUp:
    return get_or_404(follow_up_list(user=user, centre=centre), pk)


def follow_ups_of_case(*, user, case) -> QuerySet[FollowUp]:
    """A case's follow-ups, for its page (the case was reached through its selector)."""
    return follow_up_list(user=user, centre=case.centre).filter(case=case)


def follow_up_deadline(follow_up: FollowUp) -> Deadline | None:
    """The follow-up's deadline (CS-3, CS-5), for its clock."""
    return (
        Deadline.objects.filter(
            content_type=content_type_of(follow_up), object_id=str(follow_up.pk)
        )
        .order_by("-created_at", "-pk")
        .first()
    )
