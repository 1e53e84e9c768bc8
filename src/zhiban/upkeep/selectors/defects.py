"""Scoped reads of upkeep: defects (ORG-3: another centre's answers 404), the list by age —
oldest open first — and a piece of equipment's defect history."""

from __future__ import annotations

from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404

from ..models.defects import OPEN_DEFECT_STATES, Defect, DefectGrade

# DEF-1: "open" as a literal condition, the same as the partial indexes ``defect_open_*_idx``
# (a bound IN list does not let SQLite use that index: bench/defect_list.py)
OPEN_SQL = '"upkeep_defect"."state" IN ({})'.format(
    ", ".join(f"'{state}'" for state in OPEN_DEFECT_STATES)
)


def open_only(queryset):
    """The open defects of ``queryset`` (reported, classified, assigned, eliminated)."""
    return queryset.filter(RawSQL(OPEN_SQL, [], output_field=BooleanField()))


def defect_list(*, user, centre):
    """The centre's defects by age, oldest first (DEF-1); the list's filter shows the open
    ones unless asked for others."""
    return (
        limit(Defect.objects.filter(centre=centre), user)
        .select_related("site", "equipment", "team")
        .order_by("reported_at", "id")
    )


def defect_get(*, user, centre, pk):
    return get_or_404(
        limit(Defect.objects.filter(centre=centre), user).select_related(
            "centre",
            "site",
            "equipment",
            "team",
            "reported_by",
            "classified_by",
            "assignee",
            "eliminated_by",
            "verified_by",
            "closed_by",
        ),
        pk,
    )


def open_defects(centre):
    return open_only(Defect.objects.filter(centre=centre))


def urgent_defects(centre, now=None):
    """The console's panel: open critical defects and open overdue ones (DEF-1, DEF-3)."""
    from django.db.models import Q

    now = now or timezone.now()
    return (
        open_defects(centre)
        .filter(Q(grade=DefectGrade.CRITICAL) | Q(due_at__lte=now))
        .select_related("site", "equipment", "team")
        .order_by("due_at", "id")
    )


def equipment_defects(*, user, centre, equipment):
    """A piece of equipment's defect history, newest first."""
    return (
        limit(Defect.objects.filter(centre=centre, equipment=equipment), user)
        .only("id", "number", "grade", "state", "phenomenon", "reported_at")
        .order_by("-reported_at", "-id")
    )


def equipment_section(request, centre, equipment) -> list:
    """The equipment page's defect history (DEF-1): newest first, with grade and state."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from zhiban.core.permissions import Action
    from zhiban.core.scoping import can

    if not can(request.user, Action.ORG_VIEW, centre):
        return []
    rows = equipment_defects(user=request.user, centre=centre, equipment=equipment)[:50]
    links = [
        (
            reverse("upkeep:defect_detail", args=[centre.code, d.pk]),
            f"{d.number} · {d.get_grade_display()} · {d.get_state_display()} · {d.phenomenon[:60]}",
        )
        for d in rows
    ]
    if not links and not Defect.objects.filter(centre=centre).exists():
        return []
    return [(_("Defects (缺陷)"), links)]
