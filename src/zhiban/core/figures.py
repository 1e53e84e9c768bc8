"""Figures: the counts a report and a dashboard show (RPT-1, RPT-4). Each app answers for
its own records over a period in its selectors, ``period_figures(centre=, start=, end=)``,
returning a list of ``Figure``; the shift report, the monthly report and the dashboards all
show those same numbers, so a figure is counted once, by the app that owns the records.

    Figure("tickets_done", _("Tickets executed"), 42)
    Figure("qualified_rate", _("Qualified rate"), rate(40, 42), unit="%", better="up", rule="OPS-13")
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Number = int | float | None


@dataclass(frozen=True)
class Figure:
    key: str  # unique within the app's figures, e.g. "tickets_done"
    label: Any  # lazy text, in the reader's language
    value: Number  # None: not defined for the period (a rate of nothing)
    unit: str = ""  # "%", "h", "min" …; "" for a count
    better: str = ""  # "up" or "down": which way is good, for the comparison's colour
    rule: str = ""  # the rule the figure watches, e.g. "OPS-13"


def rate(part: int, whole: int, digits: int = 1) -> float | None:
    """``part`` of ``whole`` in per cent, or None when there is nothing to count."""
    return round(100 * part / whole, digits) if whole else None


def by_key(figures: list[Figure]) -> dict[str, Figure]:
    return {f.key: f for f in figures}
