"""ECharts options built on the server for ``core/_chart.html`` (RPT-4: dashboards show the
same figures as charts). Plain JSON data, no functions, readable on a 390-px phone: the legend
scrolls, the tooltip stays inside the box, long category names are cut on the axis (and shown
whole in the tooltip), horizontal bars grow the box with their number.

    from zhiban.core import charts
    option = charts.line(["2026-10", "2026-11"], [("满意度", [4.2, 4.5])], y_min=1, y_max=5)
    context["trend"] = charts.chart("trend", option, label=_("Average score by month"))

and in the template ``{% include "core/_chart.html" with chart=trend %}``; colours and text
follow the page's theme (static/zhiban/charts.js)."""

from __future__ import annotations

from collections.abc import Sequence

Series = Sequence[tuple[str, Sequence[float | int | None]]]
LABEL_WIDTH = 96  # px of a category name on the axis before it is cut (…)


def chart(id: str, option: dict, *, label: str, height: int = 320) -> dict:
    """What ``core/_chart.html`` takes."""
    return {"id": id, "option": option, "label": str(label), "height": height}


def _base(series: Series) -> dict:
    return {
        "animation": False,
        "tooltip": {"trigger": "axis", "confine": True},
        "legend": {"type": "scroll", "top": 0, "show": len(series) > 1},
        "grid": {
            "left": 8,
            "right": 24,
            "top": 32 if len(series) > 1 else 12,
            "bottom": 8,
            "containLabel": True,
        },
    }


def line(
    categories: Sequence[str],
    series: Series,
    *,
    y_min: float | None = None,
    y_max: float | None = None,
) -> dict:
    """A trend: one line per series over the categories (periods); a missing value (None)
    leaves a gap that the line bridges."""
    value_axis: dict = {"type": "value"}
    if y_min is not None:
        value_axis["min"] = y_min
    if y_max is not None:
        value_axis["max"] = y_max
    return _base(series) | {
        "xAxis": {
            "type": "category",
            "data": [str(c) for c in categories],
            "axisLabel": {"hideOverlap": True},
        },
        "yAxis": value_axis,
        "series": [
            {
                "name": str(name),
                "type": "line",
                "data": list(values),
                "connectNulls": True,
                "symbolSize": 8,
            }
            for name, values in series
        ],
    }


def bars(
    categories: Sequence[str],
    series: Series,
    *,
    x_min: float | None = 0,
    x_max: float | None = None,
    suffix: str = "",
    stack: bool = False,
) -> dict:
    """Horizontal bars, the first category on top, each bar labelled with its value (and
    ``suffix``, e.g. "%"): names of any length stay readable on a phone."""
    value_axis: dict = {"type": "value"}
    if x_min is not None:
        value_axis["min"] = x_min
    if x_max is not None:
        value_axis["max"] = x_max
    return _base(series) | {
        "tooltip": {"trigger": "axis", "confine": True, "axisPointer": {"type": "shadow"}},
        "xAxis": value_axis,
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [str(c) for c in categories],
            "axisLabel": {"width": LABEL_WIDTH, "overflow": "truncate", "interval": 0},
        },
        "series": [
            {
                "name": str(name),
                "type": "bar",
                "data": list(values),
                "label": {
                    "show": not stack,
                    "position": "right",
                    "formatter": "{c}" + suffix,
                },
                **({"stack": "all"} if stack else {}),
            }
            for name, values in series
        ],
    }


def bars_height(categories: int, series: int = 1) -> int:
    """The box's height (px) for horizontal bars: room for every bar and the legend."""
    per_category = 12 + 16 * max(series, 1)
    return max(160, 48 + (32 if series > 1 else 0) + per_category * max(categories, 1))
