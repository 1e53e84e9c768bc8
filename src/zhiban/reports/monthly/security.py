"""The security room's monthly report (RPT-1, RPT-4): patrol rounds done and missed per plan
(PAT-3), footage requests per unit (REG-2), visitors and screen uses (REG-1, REG-9), the desk
registers (REG-3 … REG-6) and emergency plan runs (EMG-1) — each section's figures, a table
and a chart, read through the apps' selectors."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from zhiban.core import charts
from zhiban.emergency import selectors as emergency
from zhiban.patrols import selectors as patrols
from zhiban.registers.selectors import figures as registers

from . import Section, TableData
from .daily import day_label, days, pick


def patrol_section(centre, start: datetime, end: datetime, key: str = "patrols") -> Section:
    """PAT-3: rounds planned, done, missed and late, per plan."""
    plans = patrols.rounds_by_plan(centre=centre, start=start, end=end)
    names = [p.plan for p in plans]
    return Section(
        key,
        _("Patrol rounds"),
        figures=patrols.period_figures(centre=centre, start=start, end=end),
        tables=[
            TableData(
                f"{key}-plans",
                _("Rounds by plan"),
                [
                    _("Plan"),
                    _("Planned"),
                    _("Done"),
                    _("Missed"),
                    _("Ended late"),
                    _("Completion %"),
                ],
                [[p.plan, p.planned, p.done, p.missed, p.late, p.completion] for p in plans],
            )
        ],
        charts=[
            charts.chart(
                f"{key}-plans",
                charts.bars(
                    names,
                    [
                        (str(_("Done")), [p.done for p in plans]),
                        (str(_("Missed")), [p.missed for p in plans]),
                    ],
                    stack=True,
                ),
                label=str(_("Rounds done and missed by plan")),
                height=charts.bars_height(len(plans), 2),
            )
        ]
        if plans
        else [],
    )


def emergency_section(centre, start: datetime, end: datetime, key: str = "emergency") -> Section:
    """EMG-1: emergency plan runs started and closed, per plan."""
    plans = emergency.runs_by_plan(centre=centre, start=start, end=end)
    return Section(
        key,
        _("Emergency plan runs"),
        figures=emergency.period_figures(centre=centre, start=start, end=end),
        tables=[
            TableData(
                f"{key}-plans",
                _("Runs by plan"),
                [_("Plan"), _("Scenario"), _("Started"), _("Closed")],
                [[p.plan, p.scenario, p.started, p.closed] for p in plans],
            )
        ],
        charts=[
            charts.chart(
                f"{key}-plans",
                charts.bars(
                    [p.plan for p in plans], [(str(_("Started")), [p.started for p in plans])]
                ),
                label=str(_("Runs started by plan")),
                height=charts.bars_height(len(plans)),
            )
        ]
        if plans
        else [],
    )


def _footage(centre, start, end, figures) -> Section:
    units = registers.footage_by_unit(centre=centre, start=start, end=end)
    return Section(
        "footage",
        _("Footage requests"),
        figures=pick(
            figures, ["footage_requests", "footage_approved", "footage_refused", "footage_accesses"]
        ),
        tables=[
            TableData(
                "footage-units",
                _("Footage requests by unit"),
                [_("Unit"), _("Requests"), _("Approved"), _("Refused")],
                [list(row) for row in units],
            )
        ],
        charts=[
            charts.chart(
                "footage-units",
                charts.bars(
                    [row[0] for row in units],
                    [
                        (str(_("Approved")), [row[2] for row in units]),
                        (str(_("Refused")), [row[3] for row in units]),
                    ],
                    stack=True,
                ),
                label=str(_("Footage requests by unit")),
                height=charts.bars_height(len(units), 2),
            )
        ]
        if units
        else [],
    )


def _visitors(centre, start, end, figures) -> Section:
    per_day = registers.visitors_per_day(centre=centre, start=start, end=end)
    period = days(centre, start, end)
    counts = [per_day.get(day, {}).get("arrived", 0) for day in period]
    return Section(
        "visitors",
        _("Visitors and screen uses"),
        figures=pick(
            figures,
            [
                "visitors_registered",
                "visitors_refused",
                "visitors_arrived",
                "big_screen_uses",
                "remote_operations",
            ],
        ),
        tables=[
            TableData(
                "visitors-days",
                _("Visitors received by day"),
                [_("Day"), _("Visitors received")],
                [[day, per_day[day]["arrived"]] for day in period if day in per_day],
            )
        ],
        charts=[
            charts.chart(
                "visitors-days",
                charts.line(
                    [day_label(day) for day in period], [(str(_("Visitors received")), counts)]
                ),
                label=str(_("Visitors received by day")),
                height=240,
            )
        ],
    )


def desk_section(centre, start, end, figures) -> Section:
    """REG-3 … REG-6: lending, lost and found, phone messages, repairs; the items lent."""
    items = registers.loans_by_item(centre=centre, start=start, end=end)
    return Section(
        "desk",
        _("Desk registers"),
        figures=pick(
            figures,
            [
                "items_lent",
                "items_returned",
                "items_overdue",
                "items_found",
                "items_claimed",
                "items_kept",
                "phone_messages",
                "repairs_reported",
            ],
        ),
        tables=[
            TableData(
                "desk-items",
                _("Items lent"),
                [_("Item"), _("Times lent"), _("Still out")],
                [list(row) for row in items],
            )
        ],
    )


def build(centre, start: datetime, end: datetime) -> list[Section]:
    """RPT-1: the security room's month."""
    figures = registers.period_figures(centre=centre, start=start, end=end)
    return [
        patrol_section(centre, start, end),
        _footage(centre, start, end, figures),
        _visitors(centre, start, end, figures),
        desk_section(centre, start, end, figures),
        emergency_section(centre, start, end),
    ]
