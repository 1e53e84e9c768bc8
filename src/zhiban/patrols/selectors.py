"""Scoped reads of checkpoints, plans and rounds (ORG-3), and the completion of rounds per
plan, person and shift (PAT-3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.figures import Figure, rate
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import can, grants, limit
from zhiban.core.selectors import get_or_404
from zhiban.org.models import SiteKind

from .models import (
    OPEN_ROUND_STATES,
    Checkpoint,
    PatrolPlan,
    PatrolRound,
    Result,
    RoundCheck,
    RoundPhoto,
    RoundState,
)


def checkpoint_list(*, user, centre):
    return (
        limit(Checkpoint.objects.filter(centre=centre), user)
        .select_related("site", "equipment")
        .prefetch_related("items")
    )


def checkpoint_get(*, user, centre, pk):
    return get_or_404(checkpoint_list(user=user, centre=centre), pk)


def plan_list(*, user, centre):
    return (
        limit(PatrolPlan.objects.filter(centre=centre), user)
        .select_related("team")
        .annotate(checkpoint_count=Count("checkpoints", distinct=True))
        .order_by("name", "id")
    )


def plan_get(*, user, centre, pk):
    return get_or_404(plan_list(user=user, centre=centre).prefetch_related("checkpoints__site"), pk)


def round_list(*, user, centre):
    return (
        limit(PatrolRound.objects.filter(centre=centre), user)
        .select_related("plan", "walker", "answered_by")
        .annotate(
            check_count=Count("checks"),
            checked_count=Count("checks", filter=~Q(checks__result=Result.PENDING)),
            abnormal_count=Count("checks", filter=Q(checks__result=Result.ABNORMAL)),
        )
        .order_by("-window_start", "-id")
    )


def round_get(*, user, centre, pk):
    """One round with its checkpoints, their items, results and photos."""
    checks = RoundCheck.objects.select_related("checkpoint__site", "checked_by").prefetch_related(
        "checkpoint__items", "photos"
    )
    rounds = limit(PatrolRound.objects.filter(centre=centre), user).select_related(
        "plan", "walker", "answered_by"
    )
    return get_or_404(rounds.prefetch_related(Prefetch("checks", queryset=checks)), pk)


def may_walk(user, rnd: PatrolRound) -> bool:
    """Whether the person may walk the round (PAT-2): the centre's own patrol only a chief
    operator (PAT-5)."""
    if not can(user, Action.PATROL_WALK, rnd.centre):
        return False
    return not rnd.plan.centre_own or Role.CHIEF_OPERATOR in grants(user).get(rnd.centre_id, ())


def centre_own_plans(centre):
    """PAT-5: the centre's own patrol — its plans whose checkpoints are at the centre's own
    unit (监控单元)."""
    return PatrolPlan.objects.filter(
        centre=centre, active=True, checkpoints__site__kind=SiteKind.CENTRE_UNIT
    ).distinct()


def photo_get(*, user, centre, pk) -> RoundPhoto:
    """A round's photo in the person's scope (404 otherwise, ORG-3)."""
    return get_or_404(limit(RoundPhoto.objects.filter(centre=centre), user), pk)


def open_rounds(centre, now: datetime | None = None):
    """Rounds due now (their window open) or in progress (PAT-2)."""
    now = now or timezone.now()
    return (
        PatrolRound.objects.filter(centre=centre)
        .filter(
            Q(state=RoundState.IN_PROGRESS)
            | Q(state=RoundState.DUE, window_start__lte=now, window_end__gt=now)
        )
        .select_related("plan", "walker")
        .order_by("window_end", "id")
    )


def missed_since(centre, since: datetime):
    """Rounds missed whose window ended after ``since`` (PAT-3)."""
    return (
        PatrolRound.objects.filter(centre=centre, state=RoundState.MISSED, window_end__gt=since)
        .select_related("plan", "walker")
        .order_by("-window_end", "-id")
    )


@dataclass(frozen=True)
class Completion:
    label: str
    total: int
    done: int
    missed: int
    open: int

    @property
    def percent(self) -> int:
        closed = self.done + self.missed
        return round(100 * self.done / closed) if closed else 100


def completion(*, user, centre, since: datetime, until: datetime) -> dict[str, list[Completion]]:
    """PAT-3: rounds done, missed and open per plan, per person (who walked them) and per
    shift, among rounds whose window started in [since, until)."""
    rounds = limit(
        PatrolRound.objects.filter(centre=centre, window_start__gte=since, window_start__lt=until),
        user,
    )
    figures = {
        "total": Count("id"),
        "done": Count("id", filter=Q(state=RoundState.DONE)),
        "missed": Count("id", filter=Q(state=RoundState.MISSED)),
        "open": Count("id", filter=Q(state__in=OPEN_ROUND_STATES)),
    }

    def grouped(field: str, label) -> list[Completion]:
        rows = rounds.order_by().values(field).annotate(**figures).order_by(field)
        return [
            Completion(label(r[field]), r["total"], r["done"], r["missed"], r["open"]) for r in rows
        ]

    from zhiban.org.models import Person

    names = dict(Person.objects.filter(memberships__centre=centre).values_list("pk", "name"))
    return {
        "plan": grouped("plan__name", lambda v: v),
        "person": grouped("walker", lambda v: names.get(v, "—") if v else "—"),
        "shift": grouped("shift", lambda v: v or "—"),
    }


def default_span(centre) -> tuple[datetime, datetime]:
    """The last seven days up to now's end of day, in the centre's zone."""
    today = timezone.localdate(timezone=centre.tz)
    until = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=centre.tz)
    return until - timedelta(days=7), until


def has_plans(centre) -> bool:
    return PatrolPlan.objects.filter(centre=centre, active=True).exists()


FIRST_DAY, LAST_DAY = "1970-01-01", "2999-12-31"


def span(centre, query) -> tuple[datetime, datetime]:
    """The [since, until) of the ``since``/``until`` dates given, in the centre's zone (the
    last seven days if none or bad; at most a year)."""
    default = default_span(centre)
    since, until = default
    if any(
        not FIRST_DAY <= str(query.get(key))[:10] <= LAST_DAY
        for key in ("since", "until")
        if query.get(key)
    ):
        return default  # a day no centre's figures can hold (ORG-4)
    try:
        if query.get("since"):
            since = _day_start(date.fromisoformat(query["since"]), centre)
        if query.get("until"):
            until = _day_start(date.fromisoformat(query["until"]) + timedelta(days=1), centre)
        if not timedelta(0) < until - since <= timedelta(days=366):
            return default
    except (ValueError, OverflowError):
        return default
    return since, until


def _day_start(day: date, centre) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=centre.tz)


# --- figures over a period (RPT-1) ----------------------------------------------------------


def _rounds_in(centre, start: datetime, end: datetime):
    return PatrolRound.objects.filter(centre=centre, window_start__gte=start, window_start__lt=end)


ROUND_COUNTS = {
    "planned": Count("id"),
    "done": Count("id", filter=Q(state=RoundState.DONE)),
    "missed": Count("id", filter=Q(state=RoundState.MISSED)),
    "late": Count("id", filter=Q(state=RoundState.DONE, ended_at__gt=F("window_end"))),
}


def period_figures(*, centre, start: datetime, end: datetime) -> list[Figure]:
    """RPT-1, PAT-3: the rounds whose window started in [start, end) — planned, done, missed,
    done after their window (late) — the completion rate (done of those done or missed) and
    the checkpoint results found abnormal. Two queries."""
    rounds = _rounds_in(centre, start, end)
    found = rounds.aggregate(**ROUND_COUNTS)
    abnormal = RoundCheck.objects.filter(
        round__in=rounds.values("pk"), result=Result.ABNORMAL
    ).count()
    return [
        Figure("rounds_planned", _("Rounds planned"), found["planned"], rule="PAT-1"),
        Figure("rounds_done", _("Rounds done"), found["done"], better="up", rule="PAT-2"),
        Figure("rounds_missed", _("Rounds missed"), found["missed"], better="down", rule="PAT-3"),
        Figure("rounds_late", _("Rounds ended late"), found["late"], better="down", rule="PAT-3"),
        Figure(
            "patrol_completion",
            _("Patrol completion"),
            rate(found["done"], found["done"] + found["missed"]),
            unit="%",
            better="up",
            rule="PAT-3",
        ),
        Figure(
            "abnormal_results",
            _("Abnormal checkpoint results"),
            abnormal,
            better="down",
            rule="PAT-2",
        ),
    ]


@dataclass(frozen=True)
class PlanRounds:
    plan: str
    planned: int
    done: int
    missed: int
    late: int

    @property
    def completion(self) -> float | None:
        return rate(self.done, self.done + self.missed)


def rounds_by_plan(*, centre, start: datetime, end: datetime) -> list[PlanRounds]:
    """RPT-1, PAT-3: the period's rounds per plan, by the plan's name."""
    rows = (
        _rounds_in(centre, start, end)
        .order_by()
        .values("plan__name")
        .annotate(**ROUND_COUNTS)
        .order_by("plan__name")
    )
    return [
        PlanRounds(r["plan__name"], r["planned"], r["done"], r["missed"], r["late"]) for r in rows
    ]
