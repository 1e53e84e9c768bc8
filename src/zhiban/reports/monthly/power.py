"""The power monitoring centre's monthly operation report (RPT-1, RPT-4): tickets and the
qualified rate (OPS-14), counters against their limits (CNT-2, CNT-3), trips (INC-5), defects
by grade and age (DEF-1), incidents, patrol completion (PAT-3), and alarms per operator-hour
with the share of time in flood (ISA-18.2, INC-3). Every number comes from the owning app's
selectors (``period_figures`` and its detail reads), each an aggregate query, so a month costs
a few dozen queries whatever its records."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from zhiban.alarms import selectors as alarms
from zhiban.core import charts
from zhiban.core.figures import Figure, by_key
from zhiban.ops import selectors as ops
from zhiban.patrols import selectors as patrols
from zhiban.upkeep.selectors import figures as upkeep

from . import Section, TableData


def _figures_table(key: str, title, figures: list[Figure]) -> TableData:
    return TableData(
        key,
        title,
        [_("Figure"), _("Value")],
        [[f.label, "—" if f.value is None else f"{f.value}{f.unit}"] for f in figures],
    )


def _pick(figures: list[Figure], *keys: str) -> list[Figure]:
    found = by_key(figures)
    return [found[k] for k in keys if k in found]


def _bars(key: str, label, categories: list[str], series, **options) -> dict:
    return charts.chart(
        key,
        charts.bars(categories, series, **options),
        label=label,
        height=charts.bars_height(len(categories), len(series)),
    )


def tickets_section(centre, start: datetime, end: datetime) -> Section:
    """OPS-1, OPS-14: orders and tickets, the qualified rate, and the tickets per team."""
    figures = ops.period_figures(centre=centre, start=start, end=end)
    teams = ops.tickets_per_team(centre=centre, start=start, end=end)
    rows = [
        [
            t.label,
            t.tickets,
            t.completed,
            t.voided,
            t.terminated,
            t.assessed,
            t.qualified,
            t.qualified_rate_display,
        ]
        for t in teams
    ]
    per_team = TableData(
        "tickets_per_team",
        _("Tickets per team"),
        [
            _("Team"),
            _("Tickets"),
            _("Completed"),
            _("Voided"),
            _("Terminated"),
            _("Assessed"),
            _("Qualified"),
            _("Qualified rate"),
        ],
        rows,
    )
    names = [t.label for t in teams if t.key != "total"]
    chart = _bars(
        "tickets-per-team",
        _("Tickets per team"),
        names,
        [
            (str(_("Completed")), [t.completed for t in teams if t.key != "total"]),
            (str(_("Voided")), [t.voided for t in teams if t.key != "total"]),
            (str(_("Terminated")), [t.terminated for t in teams if t.key != "total"]),
        ],
        stack=True,
    )
    return Section(
        "tickets",
        _("Operation tickets"),
        figures=figures,
        tables=[_figures_table("tickets_figures", _("Tickets"), figures), per_team],
        charts=[chart],
    )


def counters_section(centre, start: datetime, end: datetime, upkept: list[Figure]) -> Section:
    """CNT-2, CNT-3: the counters that reached their limit in the month, the operations
    counted, and the counters nearest their limits now."""
    figures = _pick(upkept, "counters_reached_limit", "operations_switching", "operations_tap")
    at = upkeep.counters_at_limits(centre=centre)
    nearest = upkeep.counters_nearest_limits(centre=centre)
    title = _("Counters nearest their limits now: %(full)s at the limit, %(near)s near it") % at
    table = TableData(
        "counters_nearest",
        title,
        [_("Station"), _("Equipment"), _("Counter"), _("Count"), _("Limit"), _("Share")],
        [
            [
                c.equipment.site.name,
                c.equipment.double_name,
                c.get_kind_display(),
                c.count,
                c.limit,
                f"{c.percent}%",  # type: ignore[attr-defined]
            ]
            for c in nearest
        ],
    )
    chart = _bars(
        "counters-nearest",
        _("Counters nearest their limits (share of the limit)"),
        [f"{c.equipment.site.name} {c.equipment.double_name}" for c in nearest],
        [(str(_("Share of the limit")), [c.percent for c in nearest])],  # type: ignore[attr-defined]
        x_max=100,
        suffix="%",
    )
    return Section(
        "counters",
        _("Counters against their limits"),
        figures=figures,
        tables=[_figures_table("counters_figures", _("Counters"), figures), table],
        charts=[chart],
    )


def trips_section(centre, start: datetime, end: datetime, alarmed, upkept) -> Section:
    """INC-5, CNT-1: the trips recorded (事故记录) per station, and the trip counts of the
    breakers' counters."""
    figures = _pick(alarmed, "trips") + _pick(upkept, "operations_trip")
    sites = alarms.trips_by_site(centre=centre, start=start, end=end)
    table = TableData(
        "trips_per_station",
        _("Trips per station"),
        [_("Station"), _("Trips")],
        list(map(list, sites)),
    )
    chart = _bars(
        "trips-per-station",
        _("Trips per station"),
        [name for name, _n in sites],
        [(str(_("Trips")), [n for _name, n in sites])],
    )
    return Section(
        "trips",
        _("Trips"),
        figures=figures,
        tables=[_figures_table("trips_figures", _("Trips"), figures), table],
        charts=[chart],
    )


def defects_section(centre, start: datetime, end: datetime, upkept: list[Figure]) -> Section:
    """DEF-1: defects reported and eliminated by grade, and those open at the month's end by
    grade and age, with the overdue ones."""
    figures = [f for f in upkept if f.key.startswith("defects_")]
    grades = upkeep.defects_by_grade_age(centre=centre, start=start, end=end)
    ages = upkeep.age_labels()
    table = TableData(
        "defects_by_age",
        _("Open defects by grade and age"),
        [_("Grade"), *ages, _("Total"), _("Overdue")],
        [[g.label, *g.ages, g.total, g.overdue] for g in grades],
    )
    chart = _bars(
        "defects-by-age",
        _("Open defects by grade and age"),
        [g.label for g in grades],
        [(age, [g.ages[i] for g in grades]) for i, age in enumerate(ages)],
        stack=True,
    )
    return Section(
        "defects",
        _("Defects"),
        figures=figures,
        tables=[_figures_table("defects_figures", _("Defects"), figures), table],
        charts=[chart],
    )


def incidents_section(centre, start: datetime, end: datetime, alarmed) -> Section:
    """The incidents opened in the month, by kind."""
    figures = _pick(alarmed, "incidents")
    kinds = alarms.incidents_by_kind(centre=centre, start=start, end=end)
    table = TableData(
        "incidents_by_kind",
        _("Incidents by kind"),
        [_("Kind"), _("Incidents")],
        list(map(list, kinds)),
    )
    chart = _bars(
        "incidents-by-kind",
        _("Incidents by kind"),
        [label for label, _n in kinds],
        [(str(_("Incidents")), [n for _label, n in kinds])],
    )
    return Section("incidents", _("Incidents"), figures=figures, tables=[table], charts=[chart])


def patrols_section(centre, start: datetime, end: datetime) -> Section:
    """PAT-3: the rounds planned, done and missed, and the completion per plan."""
    figures = patrols.period_figures(centre=centre, start=start, end=end)
    plans = patrols.rounds_by_plan(centre=centre, start=start, end=end)
    table = TableData(
        "rounds_per_plan",
        _("Rounds per plan"),
        [_("Plan"), _("Planned"), _("Done"), _("Missed"), _("Late"), _("Completion")],
        [
            [
                p.plan,
                p.planned,
                p.done,
                p.missed,
                p.late,
                "—" if p.completion is None else f"{p.completion}%",
            ]
            for p in plans
        ],
    )
    chart = _bars(
        "patrols-completion",
        _("Patrol completion per plan"),
        [p.plan for p in plans],
        [(str(_("Completion")), [p.completion for p in plans])],
        x_max=100,
        suffix="%",
    )
    return Section(
        "patrols",
        _("Patrols"),
        figures=figures,
        tables=[_figures_table("patrols_figures", _("Patrols"), figures), table],
        charts=[chart],
    )


def alarms_section(centre, start: datetime, end: datetime, alarmed) -> Section:
    """ISA-18.2, INC-3: alarms announced, per operator-hour and the share of flood windows;
    the alarms per day and per class."""
    figures = _pick(
        alarmed,
        "alarms",
        "operator_hours",
        "alarms_per_operator_hour",
        "flood_share",
        "alarms_suppressed",
    )
    days = alarms.alarms_per_day(centre=centre, start=start, end=end)
    classes = alarms.alarms_by_class(centre=centre, start=start, end=end)
    per_day = TableData(
        "alarms_per_day",
        _("Alarms per day"),
        [_("Day"), _("Alarms")],
        [[f"{day:%Y-%m-%d}", n] for day, n in days],
    )
    per_class = TableData(
        "alarms_per_class",
        _("Alarms per class"),
        [_("Class"), _("Alarms")],
        [[label, n] for _k, label, n in classes],
    )
    day_chart = charts.chart(
        "alarms-per-day",
        charts.line(
            [f"{day:%m-%d}" for day, _n in days], [(str(_("Alarms")), [n for _d, n in days])]
        ),
        label=str(_("Alarms per day")),
    )
    class_chart = _bars(
        "alarms-per-class",
        _("Alarms per class"),
        [label for _k, label, _n in classes],
        [(str(_("Alarms")), [n for _k, _label, n in classes])],
    )
    return Section(
        "alarms",
        _("Alarms"),
        figures=figures,
        tables=[_figures_table("alarms_figures", _("Alarms"), figures), per_day, per_class],
        charts=[day_chart, class_chart],
    )


def build(centre, start: datetime, end: datetime) -> list[Section]:
    """RPT-1: the power centre's sections for [start, end). The alarms' and upkeep's figures
    are read once and shared by the sections that show them."""
    alarmed = alarms.period_figures(centre=centre, start=start, end=end)
    upkept = upkeep.period_figures(centre=centre, start=start, end=end)
    return [
        tickets_section(centre, start, end),
        counters_section(centre, start, end, upkept),
        trips_section(centre, start, end, alarmed, upkept),
        defects_section(centre, start, end, upkept),
        incidents_section(centre, start, end, alarmed),
        patrols_section(centre, start, end),
        alarms_section(centre, start, end, alarmed),
    ]
