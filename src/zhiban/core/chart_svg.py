"""The charts of ``core.charts`` drawn as static SVG, for printing (RPT-3, RPT-4): WeasyPrint
runs no JavaScript, so a PDF cannot draw ECharts; ``svg(option)`` reads the same option dict
that ``charts.line`` or ``charts.bars`` made for the page and draws its axes, grid, bars with
their value labels, lines with their points and the legend, in the Noto CJK font the PDF
embeds.

    {{ chart_svg }}  ← svg(charts.bars(["苏州变", "吴江变"], [("缺陷", [3, 5])]))
"""

from __future__ import annotations

import math
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# ECharts' default palette, so the printed chart has the page's colours
PALETTE = ("#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452")
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
SIZE = 11  # px of the text
AXIS, GRID, TEXT = "#6e7079", "#e0e6f1", "#333"


def text_width(text: str, size: int = SIZE) -> float:
    """About how wide ``text`` is drawn: a Chinese character an em, a Latin one ~0.6 em."""
    return sum(size if ord(c) > 0x2E80 else size * 0.6 for c in text)


def cut(text: str, width: float, size: int = SIZE) -> str:
    """``text`` cut to ``width`` px with an ellipsis."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values from ``low`` to at least ``high`` (steps of 1, 2 or 5 × 10ⁿ)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.floor(low / step) * step
    values = [first]
    while values[-1] < high - 1e-9:
        values.append(values[-1] + step)
    return [round(v, 10) for v in values]


def number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"


def _text(x, y, content, *, anchor="start", size=SIZE, fill=TEXT, baseline="middle") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}" dominant-baseline="{baseline}">{escape(str(content))}</text>'
    )


def _legend(series: list[dict], width: float) -> tuple[list[str], float]:
    """The legend's marks and names, in rows across the top; returns them and its height."""
    parts, x, y = [], 0.0, 8.0
    for index, item in enumerate(series):
        name = str(item.get("name", ""))
        item_width = 18 + text_width(name) + 16
        if x and x + item_width > width:
            x, y = 0.0, y + 18
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 5:.1f}" width="12" height="10" fill="{colour}"/>')
        parts.append(_text(x + 16, y, name))
        x += item_width
    return parts, y + 14


def _values(item: dict) -> list[float | None]:
    return [None if v is None else float(v) for v in item.get("data", [])]


def _frame(option: dict, width: float) -> tuple[list[str], float]:
    series = option.get("series", [])
    if option.get("legend", {}).get("show") and len(series) > 1:
        return _legend(series, width)
    return [], 4.0


def _scale(axis: dict, values: list[float], stacked: bool, series: list[list]) -> list[float]:
    if stacked:
        values = [sum(v or 0 for v in column) for column in zip(*series, strict=False)]
    low = axis.get("min")
    high = axis.get("max")
    low = float(low) if low is not None else min([0.0, *values])
    high = float(high) if high is not None else max([low + 1, *values])
    return ticks(low, high) if axis.get("max") is None else ticks(low, high)[:-1] + [high]


def _bars(option: dict, width: float) -> tuple[list[str], float]:
    """Horizontal bars (``charts.bars``): categories down the left, each bar its value."""
    series = option.get("series", [])
    categories = [str(c) for c in option["yAxis"].get("data", [])]
    parts, top = _frame(option, width)
    stacked = any("stack" in s for s in series)
    data = [_values(s) for s in series]
    numbers = [v for row in data for v in row if v is not None]
    scale = _scale(option.get("xAxis", {}), numbers, stacked, data)
    label_width = min(130.0, max([text_width(c) for c in categories] + [20]) + 8)
    left, right = label_width, width - 44
    per_bar = 14
    bars_in_row = 1 if stacked else max(len(series), 1)
    row = per_bar * bars_in_row + 10
    plot_top = top + 4
    height = plot_top + row * max(len(categories), 1) + 22
    low, high = scale[0], scale[-1]

    def x_of(value: float) -> float:
        return left + (right - left) * (value - low) / ((high - low) or 1)

    for tick in scale:
        x = x_of(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="{plot_top:.1f}" x2="{x:.1f}" '
            f'y2="{height - 22:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(x, height - 10, number(tick), anchor="middle", fill=AXIS))
    for index, category in enumerate(categories):
        y0 = plot_top + row * index + 5
        parts.append(
            _text(left - 6, y0 + row / 2 - 5, cut(category, label_width - 8), anchor="end")
        )
        base = x_of(max(low, 0))
        for number_of, values in enumerate(data):
            value = values[index] if index < len(values) else None
            if value is None:
                continue
            colour = PALETTE[number_of % len(PALETTE)]
            y = y0 if stacked else y0 + per_bar * number_of
            end = x_of(value)
            if stacked:
                base_value = sum(v[index] or 0 for v in data[:number_of] if index < len(v))
                start, end = x_of(base_value), x_of(base_value + value)
            else:
                start = base
            parts.append(
                f'<rect x="{min(start, end):.1f}" y="{y:.1f}" width="{abs(end - start):.1f}" '
                f'height="{per_bar - 2}" fill="{colour}"/>'
            )
            label = series[number_of].get("label", {})
            if label.get("show"):
                suffix = str(label.get("formatter", "{c}")).replace("{c}", "")
                parts.append(
                    _text(max(start, end) + 4, y + per_bar / 2 - 1, number(value) + suffix)
                )
    parts.append(
        f'<line x1="{left:.1f}" y1="{plot_top:.1f}" x2="{left:.1f}" '
        f'y2="{height - 22:.1f}" stroke="{AXIS}"/>'
    )
    return parts, height


def _line(option: dict, width: float, height: float) -> list[str]:
    """A trend (``charts.line``): periods along the bottom, one line with points a series."""
    series = option.get("series", [])
    categories = [str(c) for c in option["xAxis"].get("data", [])]
    parts, top = _frame(option, width)
    data = [_values(s) for s in series]
    numbers = [v for row in data for v in row if v is not None]
    scale = _scale(option.get("yAxis", {}), numbers, False, data)
    left = max(text_width(number(t)) for t in scale) + 10
    right, plot_top, bottom = width - 16, top + 8, height - 24
    low, high = scale[0], scale[-1]
    step = (right - left) / max(len(categories), 1)

    def y_of(value: float) -> float:
        return bottom - (bottom - plot_top) * (value - low) / ((high - low) or 1)

    for tick in scale:
        y = y_of(tick)
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
        )
        parts.append(_text(left - 6, y, number(tick), anchor="end", fill=AXIS))
    widest = max([text_width(c) for c in categories] + [0]) + 8
    every = max(1, math.ceil(widest / (step or 1)))
    for index, category in enumerate(categories):
        if index % every == 0:
            x = left + step * (index + 0.5)
            parts.append(
                _text(x, bottom + 12, cut(category, step * every), anchor="middle", fill=AXIS)
            )
    parts.append(
        f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{right:.1f}" y2="{bottom:.1f}" stroke="{AXIS}"/>'
    )
    for number_of, values in enumerate(data):
        colour = PALETTE[number_of % len(PALETTE)]
        points = [(left + step * (i + 0.5), y_of(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        parts += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#fff" stroke="{colour}" stroke-width="1.5"/>'
            for x, y in points
        ]
    return parts


def svg(option: dict, *, width: int = 680, height: float = 240) -> SafeString:
    """The option of ``charts.line`` or ``charts.bars`` as an inline ``<svg>`` ``width`` px
    wide (horizontal bars take the height their rows need, a line chart ``height``); a chart
    with no value at all is a line saying so."""
    drawn = [v for item in option.get("series", []) for v in item.get("data", [])]
    if not any(v is not None for v in drawn):
        height = 36
        parts = [
            f'<rect x="0.5" y="0.5" width="{width - 1}" height="35" fill="none" stroke="{GRID}"/>',
            _text(width / 2, 18, _("Nothing to draw for this period."), anchor="middle", fill=AXIS),
        ]
    elif option.get("yAxis", {}).get("type") == "category":
        parts, height = _bars(option, width)
    else:
        parts = _line(option, width, height)
    body = "".join(parts)
    return mark_safe(  # noqa: S308 — every text above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" font-family="{FONT}">{body}</svg>'
    )
