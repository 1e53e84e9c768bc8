"""The customer-service centre's monthly report (RPT-1, RPT-4): contacts by channel and
category (CS-1), first-response compliance (CS-6), complaint handling time (CS-4), return-visit
completion (CS-7) and satisfaction (CS-8) — each section's figures, a table and a chart, read
through the service selectors."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from zhiban.core import charts
from zhiban.service.models import Category, Channel
from zhiban.service.selectors import figures as service

from . import Section, TableData
from .daily import day_label, days, pick


def _contacts(centre, start, end, figures) -> Section:
    per_day = service.contacts_per_day(centre=centre, start=start, end=end)
    categories = service.contacts_by_category(centre=centre, start=start, end=end)
    period = days(centre, start, end)
    channel_figures = pick(figures, [f"contacts_{c.value}" for c in Channel])
    category_labels = dict(Category.choices)
    return Section(
        "contacts",
        _("Contacts"),
        figures=pick(figures, ["contacts"]) + channel_figures,
        tables=[
            TableData(
                "contacts-channels",
                _("Contacts by channel"),
                [_("Channel"), _("Contacts")],
                [[f.label, f.value] for f in channel_figures],
            ),
            TableData(
                "contacts-categories",
                _("Contacts by category"),
                [_("Category"), _("Contacts")],
                [[category_labels[key], n] for key, n in categories.items()],
            ),
        ],
        charts=[
            charts.chart(
                "contacts-days",
                charts.line(
                    [day_label(day) for day in period],
                    [
                        (
                            str(channel.label),
                            [per_day.get(day, {}).get(channel.value, 0) for day in period],
                        )
                        for channel in Channel
                    ],
                ),
                label=str(_("Contacts by day and channel")),
                height=280,
            ),
            charts.chart(
                "contacts-categories",
                charts.bars(
                    [str(category_labels[key]) for key in categories],
                    [(str(_("Contacts")), list(categories.values()))],
                ),
                label=str(_("Contacts by category")),
                height=charts.bars_height(len(categories)),
            ),
        ],
    )


def _scores(centre, start, end, figures) -> Section:
    scores = service.scores_by_value(centre=centre, start=start, end=end)
    return Section(
        "satisfaction",
        _("Satisfaction"),
        figures=pick(figures, ["survey_scores", "satisfaction_average", "satisfied_share"]),
        tables=[
            TableData(
                "satisfaction-scores",
                _("Survey scores given"),
                [_("Score"), _("Answers")],
                [[score, n] for score, n in scores.items()],
            )
        ],
        charts=[
            charts.chart(
                "satisfaction-scores",
                charts.bars(
                    [str(score) for score in scores], [(str(_("Answers")), list(scores.values()))]
                ),
                label=str(_("Survey scores given")),
                height=charts.bars_height(len(scores)),
            )
        ],
    )


def build(centre, start: datetime, end: datetime) -> list[Section]:
    """RPT-1: the customer-service centre's month."""
    figures = service.period_figures(centre=centre, start=start, end=end)
    return [
        _contacts(centre, start, end, figures),
        Section(
            "first_response",
            _("First response"),
            figures=pick(figures, ["cases_opened", "first_response_in_time"]),
        ),
        Section(
            "complaints",
            _("Complaint handling"),
            figures=pick(
                figures,
                [
                    "complaints",
                    "complaints_closed",
                    "complaint_hours_mean",
                    "complaint_hours_median",
                ],
            ),
        ),
        Section(
            "return_visits",
            _("Return visits"),
            figures=pick(
                figures, ["return_visits", "return_visits_reached", "return_visit_completion"]
            ),
        ),
        _scores(centre, start, end, figures),
    ]
