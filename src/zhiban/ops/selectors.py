"""Scoped reads of power operations (ORG-3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from zhiban.core.forms import month_span
from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from .models import (
    FOUR_REMOTES,
    OPEN_ORDER_STATES,
    OPEN_WORK_STATES,
    UNFINISHED_TICKET_STATES,
    CheckResult,
    DispatchOrder,
    EquipmentLock,
    Executor,
    LimitChange,
    MaintenanceTag,
    OperationTicket,
    RemoteCheck,
    RemoteKind,
    SettingSheet,
    SettingSheetCopy,
    SingleOperation,
    StepState,
    TicketState,
    TicketStep,
    TypicalTicket,
    WorkSafetyMeasure,
    WorkTicket,
)


def is_team_member(person, team) -> bool:
    """The person serves in the team now (谁操作谁开票, OPS-3; the team's side of a check)."""
    return person.memberships.filter(team=team, active=True).exists()


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
    from zhiban.org.models import Team, TeamKind

    counted = (
        _of_month(user=user, centre=centre, month=month)
        .order_by()
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


# --- work tickets (WORK-1 … WORK-7, ACC-1) -------------------------------------------------------


def work_ticket_list(*, user, centre):
    return (
        limit(WorkTicket.objects.filter(centre=centre), user)
        .select_related("site", "team", "order", "permitter", "received_by")
        .annotate(
            measure_count=Count("measures", distinct=True),
            measures_done=Count("measures", filter=Q(measures__done=True), distinct=True),
            tags_in_place=Count("tags", filter=Q(tags__removed_at=None), distinct=True),
        )
        .order_by("-received_at", "-id")
    )


def work_ticket_get(*, user, centre, pk):
    """One work ticket with its measures, interruptions, four-remote checks and tags."""
    tickets = work_ticket_list(user=user, centre=centre).prefetch_related(
        "equipment__site",
        Prefetch("measures", queryset=WorkSafetyMeasure.objects.select_related("done_by")),
        "interruptions",
        Prefetch(
            "remote_checks",
            queryset=RemoteCheck.objects.select_related("centre_checker", "team_checker"),
        ),
        Prefetch("tags", queryset=MaintenanceTag.objects.select_related("equipment")),
    )
    return get_or_404(tickets, pk)


def open_work_tickets(*, user, centre):
    return work_ticket_list(user=user, centre=centre).filter(state__in=OPEN_WORK_STATES)


def open_work_ticket(site) -> WorkTicket | None:
    """The open work ticket at a station (received, permitted, interrupted or work ended but
    not yet ended), the earliest planned first; None if the station has none. Unscoped: the
    caller holds the station already (e.g. OPS-9: sequence control is refused while the
    station has a work ticket)."""
    return (
        WorkTicket.objects.filter(site=site, state__in=OPEN_WORK_STATES)
        .order_by("planned_start", "id")
        .first()
    )


def with_tag_flag(equipment):
    """Equipment annotated with ``tagged``: it carries a maintenance tag now (WORK-3)."""
    active = MaintenanceTag.objects.filter(equipment=OuterRef("pk"), removed_at=None)
    return equipment.annotate(tagged=Exists(active))


def tag_suppressions(equipment_ids, at) -> dict[int, str]:
    """Equipment under a maintenance tag: its new alarms are suppressed (INC-2, WORK-3)."""
    tagged = MaintenanceTag.objects.filter(
        equipment_id__in=equipment_ids, placed_at__lte=at, removed_at=None
    ).values_list("equipment_id", flat=True)
    return {pk: _("under a maintenance tag (检修)") for pk in tagged}


def tag_list(*, user, centre):
    return limit(MaintenanceTag.objects.filter(centre=centre), user).select_related(
        "equipment__site", "work_ticket", "placed_by", "removed_by"
    )


def tag_get(*, user, centre, pk):
    return get_or_404(tag_list(user=user, centre=centre), pk)


def active_tags(*, user, centre):
    """The maintenance tags in place (WORK-3)."""
    return tag_list(user=user, centre=centre).filter(removed_at=None)


def tags_on(equipment) -> dict[int, MaintenanceTag]:
    """The maintenance tag in place on each of ``equipment`` (records or ids), by id."""
    ids = [getattr(e, "pk", e) for e in equipment]
    tags = MaintenanceTag.objects.filter(equipment_id__in=ids, removed_at=None).select_related(
        "work_ticket", "equipment"
    )
    return {t.equipment_id: t for t in tags}


def tag_warnings(equipment) -> list[dict]:
    """WORK-3: an operation touching tagged equipment warns — it does not refuse. One warning
    per tagged equipment, naming the work ticket that holds the tag."""
    return [
        {
            "code": "maintenance_tag",
            "rule": "WORK-3",
            "message": _(
                "%(equipment)s carries the maintenance tag (检修牌) of work ticket %(number)s."
            )
            % {"equipment": tag.equipment.double_name, "number": tag.work_ticket.number}
            + " (WORK-3)",
            "equipment_id": tag.equipment_id,
            "work_ticket_id": tag.work_ticket_id,
            "work_ticket_number": tag.work_ticket.number,
        }
        for tag in tags_on(equipment).values()
    ]


def ticket_warnings(ticket) -> list[dict]:
    """WORK-3 on an operation ticket still to be carried out."""
    if ticket.state not in UNFINISHED_TICKET_STATES:
        return []
    return tag_warnings(ticket.equipment.all())


@dataclass(frozen=True)
class Acceptance:
    """Where the four-remote acceptance of a work ticket stands (WORK-4, ACC-1): the kinds
    checked correct, and the points whose latest result is wrong."""

    passed: frozenset
    failed: list

    @property
    def control_test(self) -> bool:
        return RemoteKind.CONTROL_TEST in self.passed

    @property
    def missing(self) -> list[str]:
        """The four remotes not yet checked correct (none once a remote-control test is)."""
        if self.control_test:
            return []
        return [k for k in FOUR_REMOTES if k not in self.passed]

    @property
    def accepted(self) -> bool:
        return not self.failed and not self.missing


def acceptance(ticket) -> Acceptance:
    latest: dict[tuple[str, str], RemoteCheck] = {}
    for check in sorted(ticket.remote_checks.all(), key=lambda c: (c.at, c.pk)):
        latest[(check.kind, check.point)] = check
    return Acceptance(
        passed=frozenset(c.kind for c in latest.values() if c.result == CheckResult.OK),
        failed=[c for c in latest.values() if c.result == CheckResult.FAILED],
    )


# --- limit changes and setting sheets (WORK-6) ---------------------------------------------------


def limit_change_list(*, user, centre):
    return limit(LimitChange.objects.filter(centre=centre), user).select_related(
        "equipment__site", "work_ticket", "reported_by", "recorded_by", "applied_by", "contact"
    )


def limit_change_get(*, user, centre, pk):
    return get_or_404(limit_change_list(user=user, centre=centre), pk)


def limits_to_set(*, user, centre):
    """Limit changes the centre has not yet set in the monitoring system (WORK-6)."""
    return limit_change_list(user=user, centre=centre).filter(applied_at=None)


def setting_sheet_list(*, user, centre):
    return (
        limit(SettingSheet.objects.filter(centre=centre), user)
        .select_related("site", "equipment")
        .annotate(
            copies_received=Count(
                "copies", filter=Q(copies__received_at__isnull=False), distinct=True
            )
        )
        .prefetch_related(
            Prefetch("copies", queryset=SettingSheetCopy.objects.select_related("received_by"))
        )
        .order_by("-issued_on", "-id")
    )


def setting_sheet_get(*, user, centre, pk):
    return get_or_404(setting_sheet_list(user=user, centre=centre), pk)


def sheets_outstanding(*, user, centre):
    """Setting sheets with a copy not yet received (WORK-6)."""
    waiting = SettingSheetCopy.objects.filter(received_at=None).values("sheet_id")
    return setting_sheet_list(user=user, centre=centre).filter(pk__in=waiting)
