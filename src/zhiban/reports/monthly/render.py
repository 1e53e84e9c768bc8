"""What the monthly report's page, PDF and workbook show (RPT-1, RPT-3, RPT-4): each figure
beside the month before and the same month last year with the change's arrow (▲ ▼), coloured
by which way is better; each section's charts (a section without its own gets one of its
counts against the two comparisons) and its tables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from zhiban.core import chart_svg, charts

from . import Compared, MonthlyReport, Section, shift_month

TONE = {1: "good", -1: "bad", 0: "same"}


@dataclass
class Change:
    """A figure's change against one comparison: the arrow, the difference and its tone."""

    arrow: str  # ▲ ▼ = or "" when either side is undefined
    delta: str  # "+3", "-1.5"
    tone: str  # good, bad, same (as wished or not by Figure.better), "" when unknown


@dataclass
class Row:
    section: str
    key: str
    label: str
    unit: str
    rule: str
    value: Any
    previous: Any
    last_year: Any
    vs_previous: Change
    vs_last_year: Change


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def change(value, other, better: str, unit: str = "") -> Change:
    """The change from ``other`` to ``value`` (in ``unit``); good when it goes the ``better``
    way; no change shows as "=" alone."""
    if value is None or other is None:
        return Change("", "", "")
    delta = value - other
    if isinstance(delta, float):
        delta = round(delta, 1)
    sign = (delta > 0) - (delta < 0)
    arrow = {1: "▲", -1: "▼", 0: "="}[sign]
    wish = {"up": 1, "down": -1}.get(better, 0)
    tone = "same" if sign == 0 or not wish else TONE[sign * wish]
    shown = ("+" if sign > 0 else "") + _number(delta) + unit if sign else ""
    return Change(arrow, shown, tone)


def row(section: Section, compared: Compared) -> Row:
    figure = compared.figure
    return Row(
        section=str(section.title),
        key=figure.key,
        label=str(figure.label),
        unit=figure.unit,
        rule=figure.rule,
        value=figure.value,
        previous=compared.previous,
        last_year=compared.last_year,
        vs_previous=change(figure.value, compared.previous, figure.better, figure.unit),
        vs_last_year=change(figure.value, compared.last_year, figure.better, figure.unit),
    )


def months(report: MonthlyReport) -> dict[str, str]:
    """The three months' names, for headers and legends."""
    return {
        "month": f"{report.month:%Y-%m}",
        "previous": f"{shift_month(report.month, -1):%Y-%m}",
        "last_year": f"{shift_month(report.month, -12):%Y-%m}",
    }


def comparison_chart(report: MonthlyReport, section: Section) -> dict | None:
    """The section's counts (figures without a unit) this month, the month before and last
    year, as bars: for a section whose builder draws no chart of its own."""
    counts = [c for c in section.compared if not c.figure.unit and c.figure.value is not None]
    if not counts:
        return None
    names = months(report)
    series = [
        (names["month"], [c.figure.value for c in counts]),
        (names["previous"], [c.previous for c in counts]),
        (names["last_year"], [c.last_year for c in counts]),
    ]
    series = [s for s in series if any(v is not None for v in s[1])]
    option = charts.bars([str(c.figure.label) for c in counts], series)
    return charts.chart(
        f"{section.key}-compared",
        option,
        label=_("%(section)s: this month, the month before and last year")
        % {"section": section.title},
        height=charts.bars_height(len(counts), len(series)),
    )


def section_charts(report: MonthlyReport, section: Section) -> list[dict]:
    if section.charts:
        return section.charts
    chart = comparison_chart(report, section)
    return [chart] if chart else []


def sections(report: MonthlyReport, *, svg: bool = False) -> list[dict]:
    """Each section with its rows, charts (and each chart as SVG for print) and tables."""
    shown = []
    for section in report.sections:
        drawn = section_charts(report, section)
        if svg:
            drawn = [chart | {"svg": chart_svg.svg(chart["option"])} for chart in drawn]
        shown.append(
            {
                "key": section.key,
                "title": section.title,
                "rows": [row(section, c) for c in section.compared],
                "charts": drawn,
                "tables": section.tables,
            }
        )
    return shown


def all_rows(report: MonthlyReport) -> list[Row]:
    return [row(section, c) for section in report.sections for c in section.compared]


def filename(report: MonthlyReport, extension: str) -> str:
    return f"{report.centre.code}-monthly-{report.month:%Y-%m}.{extension}"
