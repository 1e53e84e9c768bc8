"""Scoped reads of work tickets, maintenance tags, four-remote checks, limit changes and
setting sheets (ORG-3); the tag marks of equipment and the suppression of tagged equipment's
alarms (WORK-3, INC-2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from .models import (
    FOUR_REMOTES,
    OPEN_WORK_STATES,
    CheckResult,
    LimitChange,
    MaintenanceTag,
    RemoteCheck,
    RemoteKind,
    SettingSheet,
    SettingSheetCopy,
    WorkSafetyMeasure,
    WorkTicket,
)


def is_team_member(person, team) -> bool:
    """The person serves in the team now: a work ticket's holder and permitter (WORK-1, WORK-2),
    the team's side of a check (WORK-4), who fills a team's operation ticket (OPS-3)."""
    return person.memberships.filter(team=team, active=True).exists()


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
