"""Scoped reads of complaints (CS-4, CS-5): another centre's complaint is 404 (ORG-3)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from zhiban.core.models import Deadline, DeadlineState
from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404
from zhiban.core.services import content_type_of

from ..models import OPEN_CASE_STATES, Complaint

REPLY_DEADLINE = "答复客户 (CS-4)"  # the deadline pages show it in the centre's language


def complaint_list(*, user, centre) -> QuerySet[Complaint]:
    """The centre's complaints, newest contact first."""
    rows = Complaint.objects.filter(case__centre=centre).select_related(
        "case", "case__customer", "case__owner", "case__centre"
    )
    return limit(rows, user, field="case__centre").order_by("-case__opened_at", "-pk")


def complaint_get(*, user, centre, pk) -> Complaint:
    return get_or_404(complaint_list(user=user, centre=centre), pk)


def complaint_of_case(*, user, case) -> Complaint | None:
    """The complaint part of a case the person already reached through its selector."""
    return complaint_list(user=user, centre=case.centre).filter(case=case).first()


def breached(rows: QuerySet[Complaint], now=None) -> QuerySet[Complaint]:
    """Open complaints whose promised reply time passed without a reply (CS-4)."""
    now = now or timezone.now()
    return rows.filter(
        case__state__in=OPEN_CASE_STATES,
        solved=False,
        unjustified=False,
        next_reply_at__lt=now,
    )


def overdue(complaint: Complaint, now=None) -> bool:
    """The promised reply time passed and the complaint is still open and unsolved (CS-4)."""
    now = now or timezone.now()
    return (
        complaint.case.state in OPEN_CASE_STATES
        and not (complaint.solved or complaint.unjustified)
        and complaint.next_reply_at is not None
        and complaint.next_reply_at < now
    )


def reply_deadline(complaint: Complaint) -> Deadline | None:
    """The deadline of the reply promised last (open, breached or met), for its clock."""
    return (
        Deadline.objects.filter(
            content_type=content_type_of(complaint),
            object_id=str(complaint.pk),
            name=REPLY_DEADLINE,
        )
        .exclude(state=DeadlineState.CANCELLED)
        .order_by("-created_at", "-pk")
        .first()
    )
