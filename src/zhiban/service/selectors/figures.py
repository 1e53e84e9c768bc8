"""The customer-service figures over a period (RPT-1): contacts by channel and category
(CS-1), first-response compliance (CS-6), complaint handling time (CS-4), return-visit
completion (CS-7) and satisfaction (CS-8) in [start, end). One aggregate query each, so the
shift report and the monthly report read the same numbers."""

from __future__ import annotations

import statistics
from datetime import date, datetime, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from zhiban.core.figures import Figure, rate
from zhiban.org.models import CentreKind

from ..models import (
    DONE_RESULTS,
    CallResult,
    CampaignMember,
    Case,
    CaseState,
    Category,
    Channel,
    Complaint,
    Contact,
    SurveyAnswer,
)

SATISFIED = 4  # CS-8: a score of 4 (satisfied) or 5 (very satisfied)


def _contacts(centre, start: datetime, end: datetime):
    return Contact.objects.filter(centre=centre, at__gte=start, at__lt=end)


def complaint_hours(centre, start: datetime, end: datetime) -> list[float]:
    """CS-4: hours from each complaint's contact to its case closed, for the complaints whose
    case closed in [start, end)."""
    spans = Complaint.objects.filter(
        case__centre=centre,
        case__state=CaseState.CLOSED,
        case__closed_at__gte=start,
        case__closed_at__lt=end,
    ).values_list(
        ExpressionWrapper(
            F("case__closed_at") - F("case__opened_at"), output_field=DurationField()
        ),
        flat=True,
    )
    return [span.total_seconds() / 3600 for span in spans if span is not None]


def period_figures(*, centre, start: datetime, end: datetime) -> list[Figure]:
    """RPT-1 at a customer-service centre (none elsewhere): contacts in the period, per
    channel; cases opened and their first response within ``service.first_response_minutes``
    (CS-6); complaints opened, closed and the hours to close them (mean and median, CS-4);
    the return visits of the campaigns started in the period, called to an end (CS-7); the
    survey scores given in the period, their average and the share of 4 or 5 (CS-8)."""
    if centre.kind != CentreKind.CUSTOMER_SERVICE:
        return []
    contacts = _contacts(centre, start, end).aggregate(
        total=Count("pk"),
        **{channel.value: Count("pk", filter=Q(channel=channel)) for channel in Channel},
    )
    minutes = int(centre.setting("service.first_response_minutes"))
    cases = Case.objects.filter(centre=centre, opened_at__gte=start, opened_at__lt=end).aggregate(
        opened=Count("pk"),
        in_time=Count(
            "pk",
            filter=Q(first_response_at__lte=F("opened_at") + timedelta(minutes=minutes)),
        ),
        complaints=Count("pk", filter=Q(complaint__isnull=False)),
    )
    hours = complaint_hours(centre, start, end)
    visits = CampaignMember.objects.filter(
        campaign__centre=centre, campaign__starts_at__gte=start, campaign__starts_at__lt=end
    ).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(result__in=DONE_RESULTS)),
        reached=Count("pk", filter=Q(result=CallResult.REACHED)),
    )
    scores = SurveyAnswer.objects.filter(
        member__campaign__centre=centre, score__isnull=False, at__gte=start, at__lt=end
    ).aggregate(
        answers=Count("pk"),
        average=Avg("score"),
        satisfied=Count("pk", filter=Q(score__gte=SATISFIED)),
    )
    figures = [Figure("contacts", _("Contacts"), contacts["total"], rule="CS-1")]
    figures += [
        Figure(f"contacts_{channel.value}", channel.label, contacts[channel.value], rule="CS-1")
        for channel in Channel
    ]
    return figures + [
        Figure("cases_opened", _("Cases opened"), cases["opened"], rule="CS-1"),
        Figure(
            "first_response_in_time",
            _("First response in time"),
            rate(cases["in_time"], cases["opened"]),
            unit="%",
            better="up",
            rule="CS-6",
        ),
        Figure("complaints", _("Complaints received"), cases["complaints"], rule="CS-4"),
        Figure("complaints_closed", _("Complaints closed"), len(hours), rule="CS-4"),
        Figure(
            "complaint_hours_mean",
            _("Complaint handling time, mean"),
            round(statistics.fmean(hours), 1) if hours else None,
            unit="h",
            better="down",
            rule="CS-4",
        ),
        Figure(
            "complaint_hours_median",
            _("Complaint handling time, median"),
            round(statistics.median(hours), 1) if hours else None,
            unit="h",
            better="down",
            rule="CS-4",
        ),
        Figure("return_visits", _("Return visits planned"), visits["total"], rule="CS-7"),
        Figure("return_visits_reached", _("Customers reached"), visits["reached"], rule="CS-7"),
        Figure(
            "return_visit_completion",
            _("Return-visit completion"),
            rate(visits["done"], visits["total"]),
            unit="%",
            better="up",
            rule="CS-7",
        ),
        Figure("survey_scores", _("Survey scores given"), scores["answers"], rule="CS-8"),
        Figure(
            "satisfaction_average",
            _("Average satisfaction score"),
            round(scores["average"], 2) if scores["average"] is not None else None,
            better="up",
            rule="CS-8",
        ),
        Figure(
            "satisfied_share",
            _("Satisfied (score 4 or 5)"),
            rate(scores["satisfied"], scores["answers"]),
            unit="%",
            better="up",
            rule="CS-8",
        ),
    ]


# --- details for the monthly report's tables and charts -----------------------------------


def contacts_by_category(*, centre, start: datetime, end: datetime) -> dict[str, int]:
    """CS-1: the period's contacts per category, in the categories' order (zeros kept)."""
    counts = dict(
        _contacts(centre, start, end)
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    return {category.value: counts.get(category.value, 0) for category in Category}


def contacts_per_day(*, centre, start: datetime, end: datetime) -> dict[date, dict[str, int]]:
    """CS-1: the period's contacts per day and channel (days without contacts left out)."""
    rows = (
        _contacts(centre, start, end)
        .annotate(day=TruncDate("at", tzinfo=centre.tz))
        .order_by()
        .values("day", "channel")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    days: dict[date, dict[str, int]] = {}
    for row in rows:
        days.setdefault(row["day"], {})[row["channel"]] = row["n"]
    return days


def scores_by_value(*, centre, start: datetime, end: datetime) -> dict[int, int]:
    """CS-8: how many survey scores of each value 1 … 5 were given in the period."""
    counts = dict(
        SurveyAnswer.objects.filter(
            member__campaign__centre=centre, score__isnull=False, at__gte=start, at__lt=end
        )
        .order_by()
        .values("score")
        .annotate(n=Count("pk"))
        .values_list("score", "n")
    )
    return {score: counts.get(score, 0) for score in range(1, 6)}
