"""Scoped reads of power operations (ORG-3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core.figures import Figure, rate
from zhiban.core.forms import month_span
from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404
from zhiban.work.selectors import tag_warnings

from .models import (
    OPEN_ORDER_STATES,
    UNFINISHED_TICKET_STATES,
    DispatchOrder,
    EquipmentLock,
    Executor,
    OperationTicket,
    SingleOperation,
    StepState,
    TicketState,
    TicketStep,
    TypicalTicket,
)


def order_list(*, user, centre):
    return limit(DispatchOrder.objects.filter(centre=centre), user).select_related(
        "site", "team", "received_by", "formal_received_by"
    )


def order_get(*, user, centre, pk):
    return get_or_404(order_list(user=user, centre=centre), pk)


def open_orders(*, user, centre):
    return order_list(user=user, centre=centre).filter(state__in=OPEN_ORDER_STATES)


def ticket_list(*, user, centre):
    return (
        limit(OperationTicket.objects.filter(centre=centre), user)
        .select_related("site", "team", "order", "filled_by", "reviewed_by", "operator", "guardian")
        .annotate(
            step_count=Count("steps", distinct=True),
            steps_done=Count(
                "steps",
                filter=Q(steps__state__in=[StepState.DONE, StepState.STAMPED]),
                distinct=True,
            ),
        )
        .order_by("-created_at", "-id")  # the counts' GROUP BY drops Meta.ordering
    )


def ticket_get(*, user, centre, pk):
    """One ticket with its steps and equipment (by double name, OPS-15)."""
    tickets = (
        ticket_list(user=user, centre=centre)
        .select_related("centre", "receiver", "in_charge", "assessed_by", "continues")
        .prefetch_related(
            Prefetch("steps", queryset=TicketStep.objects.select_related("done_by", "guardian")),
            "equipment__site",
            "notes__by",
            "continued_by",
        )
    )
    return get_or_404(tickets, pk)


def open_tickets(*, user, centre):
    return ticket_list(user=user, centre=centre).filter(state__in=UNFINISHED_TICKET_STATES)


# --- printing and statistics (OPS-13, OPS-14) ----------------------------------------------------


def _printable(tickets):
    """Everything a printed ticket shows, fetched once for any number of tickets."""
    return tickets.select_related(
        "centre",
        "site",
        "team",
        "filled_by",
        "reviewed_by",
        "receiver",
        "operator",
        "guardian",
        "in_charge",
        "continues",
    ).prefetch_related(
        Prefetch("steps", queryset=TicketStep.objects.order_by("seq")),
        "equipment",
        "notes",
        Prefetch("continued_by", queryset=OperationTicket.objects.only("number", "continues")),
    )


def ticket_print(*, user, centre, pk) -> OperationTicket:
    """One ticket as it prints (OPS-13); another centre's answers 404 (ORG-3)."""
    return get_or_404(_printable(limit(OperationTicket.objects.filter(centre=centre), user)), pk)


def _of_month(*, user, centre, month: date):
    """The centre's tickets of ``month``, by when each was filled (``created_at``) in the
    centre's zone. Not by the order time: a ticket voided before the order has none, yet it is
    bound and counted with its month; and the number is given when the ticket is filled, so a
    month holds an unbroken run of numbers that the binder can check for gaps."""
    start, end = month_span(centre, month)
    tickets = OperationTicket.objects.filter(
        centre=centre, created_at__gte=start, created_at__lt=end
    )
    return limit(tickets, user)


def _number_order(ticket) -> tuple[int, int]:
    """Tickets by their gap-free serial (the digits at the end of the number, OPS-6): the
    prefix and the width are settings and may change during a year, the serial does not."""
    serial = re.search(r"(\d+)$", ticket.number)
    return (int(serial[1]) if serial else 0, ticket.pk)


def ticket_month(*, user, centre, month: date, team=None) -> list[OperationTicket]:
    """A month's tickets for binding (月底统一装订, OPS-13), in number order: a team's
    (``team`` a Team), the centre's own (``team == Executor.CENTRE``) or all (``None``)."""
    tickets = _of_month(user=user, centre=centre, month=month)
    if team == Executor.CENTRE:
        tickets = tickets.filter(executor=Executor.CENTRE)
    elif team is not None:
        tickets = tickets.filter(executor=Executor.TEAM, team=team)
    return sorted(_printable(tickets), key=_number_order)


@dataclass(frozen=True)
class TicketCounts:
    """One row of the month's ticket statistics (OPS-14)."""

    key: str  # "centre", "team-<id>" or "total"
    label: str
    team_id: int | None = None
    tickets: int = 0
    completed: int = 0
    voided: int = 0
    terminated: int = 0
    assessed: int = 0
    qualified: int = 0

    @property
    def qualified_rate(self) -> float | None:
        """合格率: qualified among the assessed tickets; None when none was assessed."""
        return self.qualified / self.assessed if self.assessed else None

    @property
    def qualified_rate_display(self) -> str:
        rate = self.qualified_rate
        return "—" if rate is None else f"{rate:.1%}"


_COUNTS = ("tickets", "completed", "voided", "terminated", "assessed", "qualified")


def ticket_statistics(*, user, centre, month: date) -> list[TicketCounts]:
    """OPS-14: per team, for the centre's own tickets and in total, the tickets of the month
    (see ``_of_month`` for which month a ticket belongs to), how many were completed, voided
    and terminated, how many were assessed and found qualified, and the qualified rate. Every
    active operation team of the centre has its row, with zeros in a month without tickets."""
    return _team_rows(_of_month(user=user, centre=centre, month=month), centre)


def _team_rows(tickets, centre) -> list[TicketCounts]:
    """The OPS-14 counts of ``tickets`` per team, the centre's own and in total; one query
    for the counts and one for the teams."""
    from zhiban.org.models import Team, TeamKind

    counted = (
        tickets.order_by()
        .values("executor", "team_id")
        .annotate(
            tickets=Count("id"),
            completed=Count("id", filter=Q(state=TicketState.COMPLETED)),
            voided=Count("id", filter=Q(state=TicketState.VOIDED)),
            terminated=Count("id", filter=Q(state=TicketState.TERMINATED)),
            assessed=Count("id", filter=Q(qualified__isnull=False)),
            qualified=Count("id", filter=Q(qualified=True)),
        )
    )
    sums: dict[int | None, dict[str, int]] = {}
    for row in counted:
        own = row["executor"] == Executor.CENTRE or row["team_id"] is None
        bucket = sums.setdefault(None if own else row["team_id"], dict.fromkeys(_COUNTS, 0))
        for name in _COUNTS:
            bucket[name] += row[name]
    teams = Team.objects.filter(centre=centre).filter(
        Q(active=True, kind=TeamKind.OPERATION) | Q(pk__in=[k for k in sums if k])
    )
    rows = [TicketCounts("centre", centre.name, None, **sums.get(None, {}))]
    rows += [TicketCounts(f"team-{t.pk}", t.name, t.pk, **sums.get(t.pk, {})) for t in teams]
    total = {name: sum(getattr(r, name) for r in rows) for name in _COUNTS}
    return [*rows, TicketCounts("total", _("Total"), None, **total)]


def typical_ticket_list(*, user, centre):
    return limit(TypicalTicket.objects.filter(centre=centre), user).select_related("site")


def typical_ticket_get(*, user, centre, pk):
    return get_or_404(typical_ticket_list(user=user, centre=centre), pk)


def lock_list(*, user, centre):
    return limit(EquipmentLock.objects.filter(centre=centre), user).select_related(
        "equipment__site", "locked_by", "released_by"
    )


def lock_get(*, user, centre, pk):
    return get_or_404(lock_list(user=user, centre=centre), pk)


def single_operation_list(*, user, centre):
    return limit(SingleOperation.objects.filter(centre=centre), user).select_related(
        "equipment__site", "by"
    )


def single_operation_get(*, user, centre, pk):
    return get_or_404(single_operation_list(user=user, centre=centre), pk)


# --- the interlock with work tickets (WORK-3) ----------------------------------------------------


def ticket_warnings(ticket) -> list[dict]:
    """WORK-3 on an operation ticket still to be carried out."""
    if ticket.state not in UNFINISHED_TICKET_STATES:
        return []
    return tag_warnings(ticket.equipment.all())


# --- period figures for the shift and monthly reports (RPT-1, OPS-14) -----------------------------


def _filled_in(centre, start, end):
    """The centre's tickets filled in [start, end): OPS-14 counts a ticket with the period it
    was filled in (see ``_of_month``), so the report's rate is the statistics page's rate."""
    return OperationTicket.objects.filter(centre=centre, created_at__gte=start, created_at__lt=end)


def period_figures(*, centre, start, end) -> list[Figure]:
    """RPT-1: dispatch orders received, operation tickets filled, executed (ended in the
    period), voided, terminated, interrupted sequence controls, assessed and qualified, and the
    qualified rate (合格率, OPS-14). Two aggregate queries whatever the period's length."""
    orders = DispatchOrder.objects.filter(
        centre=centre, received_at__gte=start, received_at__lt=end
    ).count()
    filled = Q(created_at__gte=start, created_at__lt=end)
    ended = Q(state=TicketState.COMPLETED, ended_at__gte=start, ended_at__lt=end)
    c = (
        OperationTicket.objects.filter(centre=centre)
        .filter(filled | ended)
        .aggregate(
            tickets=Count("id", filter=filled),
            executed=Count("id", filter=ended),
            voided=Count("id", filter=filled & Q(state=TicketState.VOIDED)),
            terminated=Count("id", filter=filled & Q(state=TicketState.TERMINATED)),
            interrupted=Count("id", filter=filled & ~Q(interruption="")),
            assessed=Count("id", filter=filled & Q(qualified__isnull=False)),
            qualified=Count("id", filter=filled & Q(qualified=True)),
        )
    )
    return [
        Figure("orders_received", gettext_lazy("Dispatch orders received"), orders, rule="OPS-1"),
        Figure("tickets", gettext_lazy("Operation tickets filled"), c["tickets"], rule="OPS-14"),
        Figure("tickets_executed", gettext_lazy("Tickets executed"), c["executed"], rule="OPS-7"),
        Figure("tickets_voided", gettext_lazy("Tickets voided"), c["voided"], rule="OPS-14"),
        Figure(
            "tickets_terminated",
            gettext_lazy("Tickets terminated"),
            c["terminated"],
            better="down",
            rule="OPS-14",
        ),
        Figure(
            "tickets_interrupted",
            gettext_lazy("Sequence controls interrupted"),
            c["interrupted"],
            better="down",
            rule="OPS-10",
        ),
        Figure("tickets_assessed", gettext_lazy("Tickets assessed"), c["assessed"], rule="OPS-14"),
        Figure(
            "tickets_qualified", gettext_lazy("Tickets qualified"), c["qualified"], rule="OPS-14"
        ),
        Figure(
            "qualified_rate",
            gettext_lazy("Qualified rate (合格率)"),
            rate(c["qualified"], c["assessed"]),
            unit="%",
            better="up",
            rule="OPS-14",
        ),
    ]


def tickets_per_team(*, centre, start, end) -> list[TicketCounts]:
    """RPT-1, OPS-14: the tickets filled in [start, end) per team, the centre's own and in
    total, with the qualified rate of each."""
    return _team_rows(_filled_in(centre, start, end), centre)
