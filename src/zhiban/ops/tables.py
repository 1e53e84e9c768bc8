"""What the operations lists, detail pages and .xlsx exports show. Equipment always appears by
its double name (OPS-15)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhiban.core.tables import Column, Table


def _progress(ticket) -> str:
    return f"{ticket.steps_done}/{ticket.step_count}"


ORDERS = Table(
    [
        Column(_("task ticket number"), "number", link=True, width=16),
        Column(_("stage"), "state", width=14),
        Column(_("task"), "task", width=40),
        Column(_("station"), "site", width=14),
        Column(_("dispatcher"), "dispatcher", width=12),
        Column(_("pre-order received"), "received_at", width=16),
        Column(_("team"), "team", width=12),
        Column(_("formal order"), "formal_at", width=16),
    ]
)

TICKETS = Table(
    [
        Column(_("number"), "number", link=True, width=16),
        Column(_("state"), "state", width=12),
        Column(_("task (操作任务)"), "task", width=40),
        Column(_("station"), "site", width=14),
        Column(_("executed by"), lambda t: t.team or t.get_executor_display(), width=12),
        Column(_("steps"), _progress, width=8),
        Column(_("filled by (填票人)"), "filled_by", width=10),
        Column(_("reviewed by (审核人)"), "reviewed_by", width=10),
        Column(_("started (操作开始时间)"), "started_at", width=16),
        Column(_("ended (操作结束时间)"), "ended_at", width=16),
        Column(_("qualified (合格)"), "qualified", width=8),
    ]
)

TYPICAL = Table(
    [
        Column(_("name"), "name", link=True, width=20),
        Column(_("station"), "site", width=14),
        Column(_("kind of task"), "task_kind", width=16),
        Column(_("task"), "task", width=40),
        Column(_("steps"), lambda t: len(t.step_lines()), width=8),
        Column(_("active"), "active", width=8),
    ]
)

LOCKS = Table(
    [
        Column(
            _("equipment"),
            lambda lock: f"{lock.equipment.site} · {lock.equipment}",
            link=True,
            width=30,
        ),
        Column(_("reason"), "reason", width=30),
        Column(_("locked"), "locked_at", width=16),
        Column(_("locked by"), "locked_by", width=10),
        Column(_("released"), "released_at", width=16),
        Column(_("released by"), "released_by", width=10),
    ]
)

SINGLE_OPERATIONS = Table(
    [
        Column(_("time"), "at", link=True, width=16),
        Column(_("equipment"), lambda op: f"{op.equipment.site} · {op.equipment}", width=30),
        Column(_("operation"), "action", width=30),
        Column(_("performed by"), "by", width=10),
    ]
)
