"""What the lists, detail pages and .xlsx exports of work tickets, tags, limit changes and
setting sheets show. Equipment always appears by its double name (OPS-15)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.tables import Column, Table


def _equipment_with_tags(ticket) -> str:
    """Equipment by double name; 【检修牌】 marks a tag in place (WORK-3)."""
    from .selectors import tags_on

    equipment = list(ticket.equipment.all())
    tags = tags_on(equipment)
    mark = " 【" + str(_("maintenance tag (检修牌)")) + "】"
    return "、".join(e.double_name + (mark if e.pk in tags else "") for e in equipment)


WORK_TICKETS = Table(
    [
        Column(_("number"), "number", link=True, width=18),
        Column(_("state"), "state", width=12),
        Column(_("work task (工作任务)"), "task", width=40),
        Column(_("station"), "site", width=12),
        Column(_("equipment"), _equipment_with_tags, width=30),
        Column(_("work leader (工作负责人)"), "work_leader", width=10),
        Column(_("planned end (计划结束)"), lambda t: t.ends_at, width=16),
    ]
)

TAGS = Table(
    [
        Column(
            _("equipment"),
            lambda tag: f"{tag.equipment.site} · {tag.equipment}",
            link=True,
            width=30,
        ),
        Column(_("work ticket"), lambda tag: tag.work_ticket.number, width=16),
        Column(_("work task (工作任务)"), lambda tag: tag.work_ticket.task, width=40),
        Column(_("placed"), "placed_at", width=16),
        Column(_("placed by"), "placed_by", width=10),
        Column(_("removed"), "removed_at", width=16),
        Column(_("removed by"), "removed_by", width=10),
    ]
)


# --- limit changes and setting sheets (WORK-6) ---------------------------------------------------


def _value(value) -> str:
    return "—" if value is None else f"{value.normalize():f}"


LIMITS = Table(
    [
        Column(
            _("equipment"),
            lambda c: f"{c.equipment.site} · {c.equipment}",
            link=True,
            width=30,
        ),
        Column(_("reason"), "reason", width=14),
        Column(_("limit (越限值)"), "quantity", width=14),
        Column(_("old value"), lambda c: f"{_value(c.old_value)} {c.unit}", width=10),
        Column(_("new value"), lambda c: f"{_value(c.new_value)} {c.unit}", width=10),
        Column(
            _("CT ratio (变比)"),
            lambda c: f"{c.ct_ratio_old or '—'} → {c.ct_ratio_new}" if c.ct_ratio_new else "",
            width=16,
        ),
        Column(_("effective from"), "effective_at", width=16),
        Column(_("told the centre"), "reported_by", width=10),
        Column(_("set in the monitoring system"), "applied_at", width=16),
    ]
)

LIMIT_DETAIL = Table(
    LIMITS.columns
    + [
        Column(_("work ticket"), lambda c: c.work_ticket.number if c.work_ticket else ""),
        Column(_("centre told at"), "reported_at"),
        Column(_("phone contact"), lambda c: c.contact.number if c.contact else ""),
        Column(_("recorded by"), "recorded_by"),
        Column(_("set by"), "applied_by"),
        Column(_("note"), "note"),
    ]
)


def _copies(sheet) -> str:
    copies = list(sheet.copies.all())
    return f"{sum(1 for c in copies if c.received_at)}/{len(copies)}"


def _outstanding(sheet) -> str:
    return "、".join(str(c.get_holder_display()) for c in sheet.copies.all() if not c.received_at)


SHEETS = Table(
    [
        Column(_("setting sheet number (定值单编号)"), "number", link=True, width=18),
        Column(_("station"), "site", width=14),
        Column(_("equipment"), "equipment", width=24),
        Column(_("what it sets"), "subject", width=36),
        Column(_("issued on"), "issued_on", width=12),
        Column(_("copies received"), _copies, width=10),
        Column(_("copies outstanding"), _outstanding, width=24),
    ]
)
