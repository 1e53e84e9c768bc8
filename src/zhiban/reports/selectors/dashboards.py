"""The dashboards' figures (RPT-4): a centre's figures of today and of this month, each
counted once by the app that owns the records (``reports.figures.app_figures``), set side by
side and drawn as charts; and the centres a person may see them for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import charts
from zhiban.core.figures import Figure
from zhiban.core.permissions import Action
from zhiban.core.scoping import centres_for

from ..figures import app_figures


@dataclass
class Row:
    """One figure today and this month (same key, same label)."""

    key: str
    label: Any
    unit: str
    rule: str
    today: int | float | None
    month: int | float | None


@dataclass
class Block:
    title: Any
    rows: list[Row] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)


@dataclass
class Dashboard:
    centre: Any
    day: date
    month: date
    blocks: list[Block]
    at: datetime


def spans(centre, now: datetime) -> tuple[tuple[datetime, datetime], tuple[datetime, datetime]]:
    """Today and this month, in the centre's zone (start inclusive, end exclusive)."""
    day = timezone.localtime(now, centre.tz).date()
    start = datetime(day.year, day.month, day.day, tzinfo=centre.tz)
    month = datetime(day.year, day.month, 1, tzinfo=centre.tz)
    after = (month.replace(tzinfo=None) + timedelta(days=32)).replace(day=1)
    return (
        (start, datetime.combine(day + timedelta(days=1), datetime.min.time(), centre.tz)),
        (month, after.replace(tzinfo=centre.tz)),
    )


def centre_dashboard(centre, now: datetime | None = None) -> Dashboard:
    """RPT-4: the centre's figures of today and of this month, with their charts."""
    now = now or timezone.now()
    (day_start, day_end), (month_start, month_end) = spans(centre, now)
    todays = app_figures(centre, day_start, day_end)
    months = app_figures(centre, month_start, month_end)  # the same sections, in order
    blocks = []
    for index, ((title, figures), (_title, month_figures)) in enumerate(
        zip(todays, months, strict=True)
    ):
        month_of = {f.key: f for f in month_figures}
        rows = [_row(f, month_of.get(f.key)) for f in figures]
        block = Block(title, rows)
        block.charts = _charts(f"dash-{centre.code}-{index}", rows)
        blocks.append(block)
    return Dashboard(centre, day_start.date(), month_start.date(), blocks, now)


def _row(today: Figure, month: Figure | None) -> Row:
    return Row(
        today.key, today.label, today.unit, today.rule, today.value, month.value if month else None
    )


def _charts(prefix: str, rows: list[Row]) -> list[dict]:
    """Counts in one chart, per cents in another, each without the figures that are nothing
    today and this month; those and other units (hours, minutes) stay in the table."""
    shown = []
    for key, unit in (("n", ""), ("p", "%")):
        picked = [r for r in rows if r.unit == unit and (r.today or r.month)]
        if not picked:
            continue
        labels = [str(r.label) for r in picked]
        option = charts.bars(
            labels,
            [(_("Today"), [r.today for r in picked]), (_("This month"), [r.month for r in picked])],
            x_max=100 if unit == "%" else None,
            suffix=unit,
        )
        label = _("Today and this month") + (" (%)" if unit else "")
        height = charts.bars_height(len(picked), 2)
        shown.append(charts.chart(f"{prefix}-{key}", option, label=label, height=height))
    return shown


def dashboard_centres(*, user):
    """The centres whose dashboards the person may see (ORG-3, RPT-4), by name."""
    return centres_for(user, Action.REPORT_VIEW).filter(active=True).order_by("name")
