"""The hotel room centre's monthly report (RPT-1, RPT-4): wake-up calls (REG-7), do-not-disturb
follow-ups (REG-8), lending (REG-4) and lost and found (REG-5) — each section's figures, a
table and a chart, in the desk's own words, read through the registers' selectors."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from zhiban.core import charts
from zhiban.registers.selectors import figures as registers

from . import Section, TableData
from .daily import day_label, days, pick


def _wakeups(centre, start, end, figures) -> Section:
    per_day = registers.wakeups_per_day(centre=centre, start=start, end=end)
    period = days(centre, start, end)

    def series(key: str) -> list[int]:
        return [per_day.get(day, {}).get(key, 0) for day in period]

    return Section(
        "wakeups",
        _("Wake-up calls"),
        figures=pick(
            figures,
            [
                "wakeups_booked",
                "wakeups_woken",
                "wakeups_second_call",
                "wakeups_attendant",
                "wakeups_woken_rate",
            ],
        ),
        tables=[
            TableData(
                "wakeups-days",
                _("Wake-up calls by day"),
                [_("Day"), _("Booked"), _("Woken by phone"), _("Attendant sent")],
                [
                    [day, row["booked"], row["woken"], row["attendant"]]
                    for day in period
                    if (row := per_day.get(day))
                ],
            )
        ],
        charts=[
            charts.chart(
                "wakeups-days",
                charts.line(
                    [day_label(day) for day in period],
                    [
                        (str(_("Booked")), series("booked")),
                        (str(_("Woken by phone")), series("woken")),
                        (str(_("Attendant sent")), series("attendant")),
                    ],
                ),
                label=str(_("Wake-up calls by day")),
                height=260,
            )
        ],
    )


def _dnd(figures) -> Section:
    shown = pick(figures, ["dnd_listed", "dnd_answered", "dnd_escalated", "dnd_open"])
    return Section(
        "dnd",
        _("Do-not-disturb follow-ups"),
        figures=shown,
        charts=[
            charts.chart(
                "dnd-outcomes",
                charts.bars(
                    [str(f.label) for f in shown[1:]],
                    [(str(_("Rooms")), [f.value for f in shown[1:]])],
                ),
                label=str(_("Do-not-disturb follow-ups by outcome")),
                height=charts.bars_height(len(shown) - 1),
            )
        ],
    )


def _lending(centre, start, end, figures) -> Section:
    items = registers.loans_by_item(centre=centre, start=start, end=end)
    return Section(
        "lending",
        _("Item lending"),
        figures=pick(figures, ["items_lent", "items_returned", "items_overdue"]),
        tables=[
            TableData(
                "lending-items",
                _("Items lent"),
                [_("Item"), _("Times lent"), _("Still out")],
                [list(row) for row in items],
            )
        ],
        charts=[
            charts.chart(
                "lending-items",
                charts.bars(
                    [row[0] for row in items], [(str(_("Times lent")), [row[1] for row in items])]
                ),
                label=str(_("Items lent")),
                height=charts.bars_height(len(items)),
            )
        ]
        if items
        else [],
    )


def _lost_found(figures) -> Section:
    return Section(
        "lost_found",
        _("Lost and found"),
        figures=pick(figures, ["items_found", "items_claimed", "items_kept"]),
    )


def build(centre, start: datetime, end: datetime) -> list[Section]:
    """RPT-1: the hotel desk's month."""
    figures = registers.period_figures(centre=centre, start=start, end=end)
    return [
        _wakeups(centre, start, end, figures),
        _dnd(figures),
        _lending(centre, start, end, figures),
        _lost_found(figures),
    ]
