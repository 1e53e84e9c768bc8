"""Sequence control (顺控) as operation tickets meet it: refused at a station with a work
ticket or after an interruption without the dispatcher's consent (OPS-9), and watched for its
completion signal (OPS-11)."""

from __future__ import annotations

from typing import TypeGuard

from django.utils.translation import gettext as _

from zhiban.core.actors import SCHEDULER
from zhiban.core.errors import Refused
from zhiban.core.models import Deadline, DeadlineState
from zhiban.core.services import (
    content_type_of,
    deadline_meet,
    deadline_set,
)
from zhiban.work.selectors import open_work_ticket

from ..models import (
    OPEN_ORDER_STATES,
    UNFINISHED_TICKET_STATES,
    OperationTicket,
)

# --- sequence control and its interruption (OPS-9 … OPS-11) ----------------------------------

SEQUENCE_WATCH = "顺控完成信号 (OPS-11)"


def _interrupted(ticket: OperationTicket | None) -> TypeGuard[OperationTicket]:
    return ticket is not None and bool(ticket.interruption)


def _check_sequence_control(centre, cleaned, ticket=None) -> None:
    if cleaned.get("sequence_control"):
        _refuse_sequence_at_worked_station(cleaned["site"])
        _refuse_sequence_after_interruption(centre, cleaned, ticket)


def _refuse_sequence_at_worked_station(site) -> None:
    """OPS-9: while the station has a work ticket the team operates locally; the centre's
    sequence control is refused (checked when filled and again at the first step)."""
    work = open_work_ticket(site)
    if work is not None:
        raise Refused(
            _(
                "%(site)s has the open work ticket %(number)s: the team operates locally, "
                "not the centre by sequence control."
            )
            % {"site": site, "number": work.number},
            code="station_has_work_ticket",
            rule="OPS-9",
        )


def _refuse_sequence_after_interruption(centre, cleaned, ticket=None) -> None:
    """OPS-10: once a sequence control of a task was interrupted, the task is finished on site;
    choosing a new sequence-control command for it is refused."""
    same_task = OperationTicket.objects.filter(
        centre=centre, sequence_control=True, site=cleaned.get("site")
    ).exclude(interruption="")
    if cleaned.get("order") is not None:
        same_task = same_task.filter(order=cleaned["order"], order__state__in=OPEN_ORDER_STATES)
    else:
        same_task = same_task.filter(
            task=cleaned.get("task"), continued_by__state__in=UNFINISHED_TICKET_STATES
        )
    if ticket is not None:
        same_task = same_task.exclude(pk=ticket.pk)
    interrupted = same_task.first()
    if interrupted is not None:
        raise Refused(
            _(
                "Sequence control of this task was interrupted (%(number)s): it is finished "
                "on site, not by a new sequence-control command."
            )
            % {"number": interrupted.number},
            code="sequence_after_interruption",
            rule="OPS-10",
        )


def _watch_sequence(ticket, now, *, source) -> None:
    """OPS-11: a sequence control that does not signal "completed successfully" in time
    breaches its deadline; the breach alarms the centre (notifications, escalation)."""
    from datetime import timedelta

    minutes = ticket.centre.setting("ops.sequence_timeout_minutes")
    deadline_set(
        actor=SCHEDULER,
        source=source,
        centre=ticket.centre,
        target=ticket,
        data={"name": SEQUENCE_WATCH, "due_at": now + timedelta(minutes=minutes)},
        reason="OPS-11",
    )


def _end_sequence_watch(ticket, *, source, reason) -> None:
    for deadline in Deadline.objects.filter(
        content_type=content_type_of(ticket),
        object_id=str(ticket.pk),
        name=SEQUENCE_WATCH,
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    ):
        deadline_meet(
            actor=SCHEDULER,
            source=source,
            deadline_id=deadline.pk,
            version=deadline.version,
            reason=reason,
        )
