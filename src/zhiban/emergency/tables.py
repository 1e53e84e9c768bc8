"""What the plan and run lists, their detail pages and .xlsx exports show (EMG-1, EMG-2)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.alarms.models import SourceKind
from zhiban.alarms.words import words_for
from zhiban.core.tables import Column, Table


def _labels(choices, values) -> str:
    names = dict(choices.choices)
    return "、".join(str(names.get(v, v)) for v in values)


def _checklist(plan) -> str:
    return "\n".join(
        f"{i.position}. {i.text}" + (f"（{i.who}）" if i.who else "") for i in plan.items.all()
    )


PLANS = Table(
    [
        Column(_("name"), "name", link=True, width=24),
        Column(_("scenario"), "scenario", width=14),
        Column(_("items"), "item_count", width=8),
        Column(
            _("started by alarms of these sources"),
            lambda p: _labels(SourceKind, p.source_kinds),
            width=24,
        ),
        Column(
            _("started by alarms of these classes"),
            lambda p: "、".join(words_for(p.centre).label(k) for k in p.alarm_classes),
            width=20,
        ),
        Column(_("needs an emergency report (EMG-2)"), "report_required", width=10),
        Column(_("active"), "active", width=8),
    ]
)

PLAN_DETAIL = Table(
    PLANS.columns
    + [Column(_("checklist"), _checklist, width=60), Column(_("note"), "note", width=30)]
)


def _progress(run) -> str:
    return f"{run.items_done}/{run.item_count}"


RUNS = Table(
    [
        Column(_("plan"), "plan", link=True, width=24),
        Column(_("what happened"), "event", width=36),
        Column(_("state"), "state", width=10),
        Column(_("items done"), _progress, width=10),
        Column(_("started"), "started_at", width=16),
        Column(_("started by"), lambda r: r.started_by or _("alarm"), width=10),
        Column(_("closed"), "closed_at", width=16),
    ]
)

RUN_DETAIL = Table(
    RUNS.columns
    + [
        Column(_("alarm that started it"), "alarm", width=30),
        Column(_("closed by"), "closed_by", width=10),
        Column(_("reporter's name"), "reporter_name", width=10),
        Column(_("reporter's phone"), "reporter_phone", width=14),
        Column(_("where it happened"), "location", width=24),
        Column(_("address of the property"), "address", width=24),
        Column(_("unit (room or shop number)"), "unit", width=10),
        Column(_("injuries"), "injuries", width=24),
        Column(_("property damage"), "property_damage", width=24),
    ]
)
