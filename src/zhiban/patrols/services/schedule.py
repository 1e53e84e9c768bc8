"""The rounds due from the plans (PAT-1, PAT-2) and the missed ones (PAT-3): both run as jobs
(``patrols.tasks``) and may run again at any time — generation is idempotent (one round per
plan and window start), and detection changes only rounds still open."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live
from zhiban.core.models import Level
from zhiban.core.notify import Message, notify, people_with_roles
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import require
from zhiban.duty.models import ShiftPattern

from ..models import OPEN_ROUND_STATES, PatrolPlan, PatrolRound, PlanKind, RoundCheck, RoundState

EPOCH = date(2000, 1, 1)
LOOKAHEAD = timedelta(hours=24)
LEADERS = (Role.TEAM_LEADER, Role.CHIEF_OPERATOR)


@dataclass(frozen=True)
class Window:
    start: datetime
    end: datetime
    shift: str = ""
    ordinal: int = 0  # the shift's number since EPOCH, for the sampled rotation


def _shift_windows(patterns, day: date, tz) -> list[Window]:
    """The centre's shifts of ``day`` (the whole day when it keeps no shift patterns)."""
    if not patterns:
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        return [Window(start, start + timedelta(days=1), "", (day - EPOCH).days)]
    base = (day - EPOCH).days * len(patterns)
    windows = []
    for i, pattern in enumerate(patterns):
        start, end = pattern.window(day, tz)
        windows.append(Window(start, end, pattern.name, base + i))
    return windows


def plan_windows(plan: PatrolPlan, patterns, day: date, tz) -> Iterator[Window]:
    """The windows of ``plan`` starting on ``day`` in the centre's zone (PAT-1)."""
    if plan.kind == PlanKind.WINDOW:
        if plan.window_starts is None or plan.window_ends is None:
            return  # the form requires both: a row written by hand without them has no rounds
        start = datetime.combine(day, plan.window_starts, tzinfo=tz)
        end = datetime.combine(day, plan.window_ends, tzinfo=tz)
        yield Window(start, end if end > start else end + timedelta(days=1))
    elif plan.kind == PlanKind.INTERVAL:
        step = timedelta(minutes=plan.interval_minutes or 60)
        start = datetime.combine(day, datetime.min.time(), tzinfo=tz)
        stop = start + timedelta(days=1)
        while start < stop:
            yield Window(start, start + step)
            start += step
    else:
        for shift in _shift_windows(patterns, day, tz):
            if plan.kind == PlanKind.SAMPLED:
                yield shift
                continue
            parts = max(1, plan.times or 1)
            length = (shift.end - shift.start) / parts
            for i in range(parts):
                yield Window(shift.start + length * i, shift.start + length * (i + 1), shift.shift)


def sample(checkpoint_ids: list[int], size: int, ordinal: int, shifts_per_week: int) -> list[int]:
    """PAT-1: the checkpoints a sampled plan's shift checks — at least ``size``, drawn by a
    rotation so that every checkpoint comes round within a week (the size grows to
    ``ceil(n / shifts a week)`` where the plan's own number would not cover them)."""
    n = len(checkpoint_ids)
    size = max(size, math.ceil(n / max(1, shifts_per_week)))
    if size >= n:
        return list(checkpoint_ids)
    start = (ordinal * size) % n
    return [checkpoint_ids[(start + i) % n] for i in range(size)]


@transaction.atomic
def rounds_generate(*, actor, source, centre, now=None, since=None) -> int:
    """PAT-2: the rounds due from the centre's active plans whose window ends after ``since``
    (default: now) and starts within a day; each with a row per checkpoint to check. Runs
    again without doubling anything (the job every 5 minutes, a planner at once after a
    change). Returns how many rounds were added."""
    require(actor, Action.PATROL_PLAN, centre)
    now = now or timezone.now()
    since = since or now
    tz = centre.tz
    patterns = list(ShiftPattern.objects.filter(centre=centre, active=True).order_by("starts"))
    shifts_per_week = 7 * max(1, len(patterns))
    plans = PatrolPlan.objects.filter(centre=centre, active=True).prefetch_related("checkpoints")
    first = timezone.localtime(since, tz).date() - timedelta(days=1)
    last = timezone.localtime(now + LOOKAHEAD, tz).date()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    wanted: list[tuple[PatrolPlan, Window, list[int]]] = []
    for plan in plans:
        ids = sorted(c.pk for c in plan.checkpoints.all() if c.active)
        if not ids:
            continue
        for day in days:
            for w in plan_windows(plan, patterns, day, tz):
                if w.end <= since or w.start >= now + LOOKAHEAD:
                    continue
                chosen = ids
                if plan.kind == PlanKind.SAMPLED:
                    chosen = sample(ids, plan.times or 1, w.ordinal, shifts_per_week)
                wanted.append((plan, w, chosen))
    if not wanted:
        return 0
    existing = set(
        PatrolRound.objects.filter(
            plan__in={p.pk for p, _w, _c in wanted},
            window_start__gte=min(w.start for _p, w, _c in wanted),
        ).values_list("plan_id", "window_start")
    )
    new = [(p, w, c) for p, w, c in wanted if (p.pk, w.start) not in existing]
    rounds = PatrolRound.objects.bulk_create(
        PatrolRound(
            centre=centre, plan=p, shift=w.shift[:20], window_start=w.start, window_end=w.end
        )
        for p, w, _c in new
    )
    RoundCheck.objects.bulk_create(
        RoundCheck(round=r, checkpoint_id=cid)
        for r, (_p, _w, chosen) in zip(rounds, new, strict=True)
        for cid in chosen
    )
    if rounds:
        audit.record(
            actor=actor,
            source=source,
            verb="patrol_round.generate",
            centre=centre,
            object_type="patrols.patrolround",
            object_repr=str(gettext_lazy("%(n)d patrol rounds due") % {"n": len(rounds)}),
            after={"rounds": [r.pk for r in rounds]},
        )
        live.refresh_on_commit(centre, "patrols")
    return len(rounds)


@transaction.atomic
def rounds_mark_missed(*, actor, source, now=None, centre=None) -> int:
    """PAT-3: every round still due or in progress when its window has ended is missed, in
    two set-based queries for all plans (of one centre, or of all); each is audited and the
    shift leaders of its centre are told. Returns how many rounds were marked."""
    now = now or timezone.now()
    late = PatrolRound.objects.filter(state__in=OPEN_ROUND_STATES, window_end__lte=now)
    if centre is not None:
        late = late.filter(centre=centre)
    rows = list(
        late.select_for_update(of=("self",)).values_list(
            "pk", "centre_id", "plan__name", "window_start", "state"
        )
    )
    if not rows:
        return 0
    PatrolRound.objects.filter(pk__in=[r[0] for r in rows]).update(
        state=RoundState.MISSED, version=F("version") + 1
    )
    by_centre: dict[int, list] = defaultdict(list)
    for row in rows:
        by_centre[row[1]].append(row)
    from zhiban.org.models import Centre

    for c in Centre.objects.filter(pk__in=by_centre):
        missed = by_centre[c.pk]
        for pk, _c, name, at, state in missed:
            audit.record(
                actor=actor,
                source=source,
                verb="patrol_round.miss",
                centre=c,
                object_type="patrols.patrolround",
                object_id=str(pk),
                object_repr=f"{name} {timezone.localtime(at, c.tz):%m-%d %H:%M}",
                before={"state": state},
                after={"state": RoundState.MISSED},
            )
        names = "、".join(
            sorted(
                {f"{name} {timezone.localtime(at, c.tz):%H:%M}" for _p, _c, name, at, _s in missed}
            )
        )
        notify(
            actor=actor,
            source=source,
            people=people_with_roles(c, LEADERS),
            centre=c,
            title=Message(gettext_lazy("%(n)s patrol rounds missed (PAT-3)"), {"n": len(missed)}),
            body=names[:2000],
            link=f"/c/{c.code}/patrols/completion/",
            level=Level.WARNING,
            email=False,
        )
        live.refresh_on_commit(c, "patrols")
    return len(rows)
