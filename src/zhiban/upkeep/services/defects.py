"""Defects (DEF-1 … DEF-3): reported from anywhere, routed to the team or the centre by DEF-2,
with an elimination deadline per grade that warns and escalates (core deadlines, DEF-3).
A defect that affects monitoring is written to the duty log's other column (DUTY-8)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live
from zhiban.core.actors import SCHEDULER
from zhiban.core.numbering import format_number, next_number
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import require
from zhiban.core.services import deadline_set, validated
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.org.models import SiteKind

from ..forms.defects import DefectForm
from ..models import Defect, DefectGrade, DefectKind, DefectOrigin, Owner

# DEF-1: the setting holding each grade's elimination time
GRADE_HOURS_SETTING: dict[str, str] = {
    DefectGrade.CRITICAL: "upkeep.defect_critical_hours",
    DefectGrade.SERIOUS: "upkeep.defect_serious_hours",
    DefectGrade.GENERAL: "upkeep.defect_general_hours",
}

# DEF-2: the monitoring system's own defects are the centre's
CENTRE_KINDS = frozenset(
    {
        DefectKind.CHANNEL,
        DefectKind.MONITOR_COMPUTER,
        DefectKind.SYSTEMIC,
        DefectKind.FOUR_REMOTE,
    }
)

# Why a defect went where it went (DEF-2), stored as the code, read in the reader's language.
ROUTING_REASONS = {
    "monitoring_system": gettext_lazy(
        "A defect of the monitoring system (channel, monitoring computer, systemic or "
        "four-remote problem) is classified and eliminated by the centre (DEF-2)."
    ),
    "centre_unit": gettext_lazy(
        "The equipment is the centre's own unit, so the centre handles it (DEF-2)."
    ),
    "local_team": gettext_lazy(
        "Local equipment with the four remotes working: the team serving the station "
        "classifies and eliminates it (DEF-2)."
    ),
    "counter_full": gettext_lazy(
        "An operation count at its limit (满次检修): the centre counted it, the team serving "
        "the station reports and eliminates the defect (DEF-2, CNT-2)."
    ),
    "no_team": gettext_lazy("No team serves this site, so the centre handles the defect (DEF-2)."),
}

DEADLINE_NAME = "消缺 (DEF-1)"


def route(*, site, kind: str):
    """DEF-2: (owner, team, reason code) for a defect of this kind at this site."""
    if kind in CENTRE_KINDS:
        return Owner.CENTRE, None, "monitoring_system"
    if site.kind == SiteKind.CENTRE_UNIT:
        return Owner.CENTRE, None, "centre_unit"
    team = site.teams.filter(active=True).order_by("name").first()
    if team is None:
        return Owner.CENTRE, None, "no_team"
    return Owner.TEAM, team, ("counter_full" if kind == DefectKind.COUNTER_FULL else "local_team")


def routing_reason_text(code: str) -> str:
    return str(ROUTING_REASONS.get(code, code))


def team_leader(team):
    """The team's leader (队长), told first of the team's defects (DEF-3)."""
    if team is None:
        return None
    membership = (
        team.memberships.filter(role=Role.TEAM_LEADER, active=True, person__is_active=True)
        .select_related("person")
        .order_by("person__name")
        .first()
    )
    return membership.person if membership else None


def due_at(centre, grade: str, reported_at):
    """DEF-1: when a defect of this grade must be eliminated, by the centre's setting."""
    return reported_at + timedelta(hours=centre.setting(GRADE_HOURS_SETTING[grade]))


@transaction.atomic
def defect_report(
    *, actor, source, centre, data, origin: str = DefectOrigin.MANUAL, origin_id: str = ""
) -> Defect:
    """DEF-1, DEF-2: a defect reported from anywhere (an alarm, an incident, a patrol
    checkpoint, an acceptance point, a counter at its limit, or by hand), numbered, routed to
    the team or the centre with the reason shown, its elimination deadline set by its grade
    (warns and escalates, DEF-3); one that affects monitoring goes to the duty log's other
    column (DUTY-8)."""
    require(actor, Action.DEFECT_REPORT, centre)
    form = validated(DefectForm, data, centre=centre)
    now = timezone.now()
    defect = form.save(commit=False)
    owner, team, reason = route(site=defect.site, kind=defect.kind)
    year = timezone.localtime(now, centre.tz).year
    defect.centre = centre
    defect.number = format_number("QX", year, next_number(centre, "defect", year))
    defect.owner, defect.team, defect.routing_reason = owner, team, reason
    defect.origin, defect.origin_id = origin, str(origin_id or "")[:40]
    defect.reported_by = None if getattr(actor, "is_system", False) else actor
    defect.reported_at = now
    defect.due_at = due_at(centre, defect.grade, now)
    defect.save()
    audit.record(
        actor=actor, source=source, verb="defect.report", obj=defect, after=audit.snapshot(defect)
    )
    leader = team_leader(team)
    deadline_set(
        actor=SCHEDULER,
        source=source,
        centre=centre,
        target=defect,
        data={
            "name": DEADLINE_NAME,
            "due_at": defect.due_at,
            "assignee": leader.pk if leader else "",
        },
        reason=defect.grade,
    )
    if defect.affects_monitoring:
        log_write(
            actor=actor,
            source=source,
            centre=centre,
            category=LogCategory.OTHER,  # DUTY-8: defects that affect monitoring
            site=defect.site,
            equipment=defect.equipment,
            regarding=defect,
            verb="defect.report",
            params={
                "number": defect.number,
                "grade": defect.grade,
                "phenomenon": defect.phenomenon[:200],
            },
        )
    live.refresh_on_commit(centre, "upkeep")
    return defect
