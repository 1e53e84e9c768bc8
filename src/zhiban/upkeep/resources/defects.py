"""Defects as the list, its .xlsx export and the API see them (DEF-1 … DEF-3): by age, with
grade, state, who handles it and its elimination deadline."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.permissions import Action
from zhiban.core.tables import Column, Table
from zhiban.core.web import Resource

from .. import filters, services
from ..forms.defects import DefectForm
from ..selectors import defects as selectors


def handled_by(defect) -> str:
    """DEF-2: the owning team, or the centre."""
    return str(defect.team) if defect.team_id else str(defect.get_owner_display())


def is_overdue(defect, now=None) -> bool:
    """DEF-3: open and past its elimination deadline."""
    return defect.is_open and defect.due_at <= (now or timezone.now())


def _report(*, actor, source, centre, data):
    data = dict(data)
    origin = data.pop("origin", None) or "manual"
    origin_id = data.pop("origin_id", None) or ""
    return services.defect_report(
        actor=actor, source=source, centre=centre, data=data, origin=origin, origin_id=origin_id
    )


DEFECTS_TABLE = Table(
    [
        Column(_("number"), "number", link=True, width=14),
        Column(_("reported"), "reported_at", width=16),
        Column(_("grade"), "grade", width=10),
        Column(_("state"), "state", width=10),
        Column(_("site"), "site", width=18),
        Column(_("equipment"), "equipment", width=18),
        Column(_("handled by"), handled_by, width=14),
        Column(_("eliminate by"), "due_at", width=16),
        Column(_("overdue"), is_overdue, width=8),
        Column(_("phenomenon (缺陷现象)"), "phenomenon", width=40),
    ]
)

DEFECTS = Resource(
    key="defect",
    namespace="upkeep",
    area="upkeep",
    label=_("defect (缺陷)"),
    label_plural=_("Defects (缺陷)"),
    icon="tool",
    table=DEFECTS_TABLE,
    filterset=filters.DefectFilter,
    form=DefectForm,
    list=selectors.defect_list,
    get=selectors.defect_get,
    manage_action=Action.DEFECT_REPORT,
    create=_report,
    open_paging=True,
)
