"""The customer-service desk on the centre's console (issue 12 item 10): one panel, refreshed
live on the "service" key every service change sends, shown only at customer-service centres.
Each figure is one aggregate query: open cases by age and clock (CS-6, CS-4), the morning
queue (CS-6), today's first-response compliance (CS-6), complaint handling time over 30 days
(CS-4), the running campaigns' progress (CS-7) and the satisfaction trend by week (CS-8)."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import charts
from zhiban.core.console import Panel
from zhiban.core.permissions import Action
from zhiban.core.scoping import can

from .models import (
    DONE_RESULTS,
    OPEN_CASE_STATES,
    Campaign,
    CampaignState,
    Case,
    CaseState,
    Complaint,
    SurveyAnswer,
)

KIND = "customer_service"
WEEKS = 8
AGES = [("lt1h", 0, 1), ("h1_4", 1, 4), ("h4_24", 4, 24), ("gt1d", 24, None)]


def _start_of_day(centre, now: datetime) -> datetime:
    day = timezone.localtime(now, centre.tz).date()
    return datetime.combine(day, datetime.min.time(), tzinfo=centre.tz)


def open_cases(centre, now: datetime) -> dict:
    """Open cases by age and by clock: first response running or breached (CS-6), a
    promised reply to a complaint past due (CS-4); the morning queue (nobody's yet, CS-6)."""
    buckets = {}
    for key, low, high in AGES:
        older = Q(opened_at__lte=now - timedelta(hours=low))
        buckets[key] = Count(
            "pk", filter=older & Q(opened_at__gt=now - timedelta(hours=high)) if high else older
        )
    waiting = Q(first_response_at__isnull=True, first_response_due__isnull=False)
    return Case.objects.filter(centre=centre, state__in=OPEN_CASE_STATES).aggregate(
        total=Count("pk"),
        queue=Count("pk", filter=Q(owner__isnull=True)),
        running=Count("pk", filter=waiting & Q(first_response_due__gt=now)),
        breached=Count("pk", filter=waiting & Q(first_response_due__lte=now)),
        reply_late=Count(
            "pk",
            filter=Q(
                complaint__next_reply_at__lte=now,
                complaint__solved=False,
                complaint__unjustified=False,
            ),
        ),
        **buckets,
    )


def first_response_today(centre, now: datetime) -> dict:
    """CS-6: today's cases whose first response came within the centre's minutes."""
    minutes = int(centre.setting("service.first_response_minutes"))
    in_time = Q(first_response_at__lte=F("opened_at") + timedelta(minutes=minutes))
    found = Case.objects.filter(centre=centre, opened_at__gte=_start_of_day(centre, now)).aggregate(
        total=Count("pk"), in_time=Count("pk", filter=in_time)
    )
    total = found["total"]
    found["percent"] = round(100 * found["in_time"] / total) if total else None
    found["minutes"] = minutes
    return found


def complaint_hours(centre, now: datetime) -> dict:
    """CS-4: hours from a complaint's contact to its case closed, last 30 days."""
    spans = list(
        Complaint.objects.filter(
            case__centre=centre,
            case__state=CaseState.CLOSED,
            case__closed_at__gte=now - timedelta(days=30),
        ).values_list(
            ExpressionWrapper(
                F("case__closed_at") - F("case__opened_at"), output_field=DurationField()
            ),
            flat=True,
        )
    )
    hours = [span.total_seconds() / 3600 for span in spans if span is not None]
    return {
        "count": len(hours),
        "median": round(statistics.median(hours), 1) if hours else None,
        "average": round(statistics.fmean(hours), 1) if hours else None,
    }


def running_campaigns(centre) -> list[Campaign]:
    """CS-7: each running campaign with its entries called to an end and in all."""
    return list(
        Campaign.objects.filter(centre=centre, state=CampaignState.RUNNING)
        .annotate(
            total=Count("members"),
            done=Count("members", filter=Q(members__result__in=DONE_RESULTS)),
        )
        .order_by("due_at", "pk")[:5]
    )


def satisfaction_trend(centre, now: datetime) -> dict | None:
    """CS-8: the average score of each of the last eight weeks (Monday to Sunday)."""
    today = timezone.localtime(now, centre.tz).date()
    monday = today - timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    start = datetime.combine(monday, datetime.min.time(), tzinfo=centre.tz)
    days = (
        SurveyAnswer.objects.filter(
            member__campaign__centre=centre, score__isnull=False, at__gte=start
        )
        .annotate(day=TruncDate("at", tzinfo=centre.tz))
        .values("day")
        .annotate(average=Avg("score"), answers=Count("pk"))
    )
    weeks: dict = {monday + timedelta(weeks=w): [0.0, 0] for w in range(WEEKS)}
    for row in days:
        week = row["day"] - timedelta(days=row["day"].weekday())
        if week in weeks:
            weeks[week][0] += row["average"] * row["answers"]
            weeks[week][1] += row["answers"]
    if not any(n for _sum, n in weeks.values()):
        return None
    labels = [f"{week:%m-%d}" for week in weeks]
    values = [round(s / n, 2) if n else None for s, n in weeks.values()]
    return charts.chart(
        "service-satisfaction",
        charts.line(labels, [(_("Average score"), values)], y_min=1, y_max=5),
        label=_("Average satisfaction score by week"),
        height=220,
    )


def service(request, centre) -> dict | None:
    if centre.kind != KIND or not can(request.user, Action.ORG_VIEW, centre):
        return None
    now = timezone.now()
    cases = open_cases(centre, now)
    return {
        "centre": centre,
        "cases": cases,
        "ages": [(key, cases[key]) for key, _low, _high in AGES],
        "first": first_response_today(centre, now),
        "complaints": complaint_hours(centre, now),
        "campaigns": running_campaigns(centre),
        "trend": satisfaction_trend(centre, now),
        "now": now,
    }


PANELS = [Panel("service", "service/panel_service.html", service, order=12, width="col-12")]
