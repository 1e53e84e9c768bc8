"""Operation counters (CNT-1 … CNT-3): counting from alarms and gateway events, the limit the
team keeps, the month-end figures the centre enters or imports (which replace what the
alarms counted), 满次 when a count reaches its limit — the centre told, the team notified,
the defect offered (CNT-2) — and the team's reset after maintenance."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live
from zhiban.core.errors import Forbidden, Refused
from zhiban.core.models import Level
from zhiban.core.notify import Message, notify, people_with_roles
from zhiban.core.permissions import Action, Role, roles_allow
from zhiban.core.scoping import can, require
from zhiban.core.services import ANY_VERSION, locked, validated
from zhiban.org.models import Membership, Person

from ..forms.counters import (
    CounterLimitForm,
    CounterMonthForm,
    CounterOpenForm,
    CounterResetForm,
)
from ..models import CounterKind, CounterMonth, DefectState, OperationCounter

PANEL = "upkeep"
# CNT-2: a defect in these states no longer holds the counter back from its reset
DEFECT_DONE = frozenset({DefectState.ELIMINATED, DefectState.VERIFIED, DefectState.CLOSED})


def _counters():
    return OperationCounter.objects.select_related("equipment__site", "equipment__centre")


def _snapshot(counter: OperationCounter) -> dict:
    return audit.snapshot(counter)


def _save(counter: OperationCounter, *fields: str) -> None:
    """Save a locked counter's changed fields with its next version (DESIGN rule 1)."""
    counter.version += 1
    counter.save(update_fields=[*fields, "version", "updated_at"])


def serving_members(site):
    """Active people of the teams serving ``site`` (CNT-1, CNT-2)."""
    return list(
        Person.objects.filter(
            memberships__team__sites=site,
            memberships__team__active=True,
            memberships__active=True,
            is_active=True,
        )
        .distinct()
        .order_by("name")
    )


def keeps_limit(person, site) -> bool:
    """CNT-1: whether the person keeps limits here — a team leader or field operator of a
    team serving the station."""
    if person is None or getattr(person, "is_system", False):
        return False
    roles = Membership.objects.filter(
        person=person,
        active=True,
        team__active=True,
        team__sites=site,
    ).values_list("role", flat=True)
    return roles_allow(set(roles), Action.COUNTER_LIMIT)


def _require_team(actor, counter_site, centre) -> None:
    """CNT-1: limits and resets are the team's: out of scope 404, anyone else 403 naming
    the rule."""
    if not can(actor, Action.COUNTER_LIMIT, centre):
        require(actor, Action.ORG_VIEW, centre)  # 404 out of scope
    if not keeps_limit(actor, counter_site):
        raise Forbidden(
            _("Only the team serving %(site)s keeps its counters' limits and resets them (CNT-1).")
            % {"site": counter_site.name},
            code="not_team",
            rule="CNT-1",
        )


def counter_url(counter: OperationCounter) -> str:
    return reverse("upkeep:counter_detail", args=[counter.equipment.centre.code, counter.pk])


def _check_full(*, actor, source, counter: OperationCounter, at=None) -> bool:
    """CNT-2: the first time a count reaches its limit (满次) it is marked, the centre's chief
    and deputy operators told and the serving team notified, with a link to the counter page
    that offers the defect prefilled. A count below its limit again (a lower month-end
    figure, a higher limit) is no longer full. Returns whether it became full now."""
    full = counter.limit is not None and counter.count >= counter.limit
    if not full:
        if counter.full_at is not None:
            counter.full_at = None
            counter.save(update_fields=["full_at"])
        return False
    if counter.full_at is not None:
        return False
    counter.full_at = at or timezone.now()
    counter.save(update_fields=["full_at"])
    equipment = counter.equipment
    centre = equipment.centre
    params = {
        "equipment": equipment.double_name,
        "site": equipment.site.name,
        "kind": CounterKind(counter.kind).label,
        "count": counter.count,
        "limit": counter.limit,
    }
    title = Message(
        gettext_lazy("%(site)s %(equipment)s: %(kind)s at its limit (满次, CNT-2)"), params
    )
    body = Message(
        gettext_lazy(
            "%(count)s of %(limit)s operations: report the defect for maintenance (满次检修) "
            "from the counter's page (CNT-2)."
        ),
        params,
    )
    centre_people = people_with_roles(centre, [Role.CHIEF_OPERATOR, Role.DEPUTY_OPERATOR])
    notify(
        actor=actor,
        source=source,
        people=[*centre_people, *serving_members(equipment.site)],
        centre=centre,
        title=title,
        body=body,
        link=counter_url(counter),
        level=Level.WARNING,
        regarding=counter,
    )
    audit.record(
        actor=actor,
        source=source,
        verb="counter.full",
        obj=counter,
        centre=centre,
        after={"count": counter.count, "limit": counter.limit},
    )
    return True


@transaction.atomic
def counter_add(*, actor, source, equipment, kind: str, at) -> OperationCounter:
    """Adds one to the equipment's counter of this kind and to its month (a breaker trip adds
    a trip, INC-5; a capacitor switching or tap change from the gateway adds to theirs, CNT-1);
    reaching the limit is 满次 (CNT-2)."""
    counter, _created = OperationCounter.objects.select_for_update().get_or_create(
        equipment=equipment, kind=kind
    )
    before = _snapshot(counter)
    OperationCounter.objects.filter(pk=counter.pk).update(
        count=F("count") + 1, last_at=at, version=F("version") + 1
    )
    month = timezone.localtime(at, equipment.centre.tz).date().replace(day=1)
    month_row, _created = CounterMonth.objects.get_or_create(counter=counter, month=month)
    CounterMonth.objects.filter(pk=month_row.pk).update(counted=F("counted") + 1)
    counter.refresh_from_db()
    counter.equipment = equipment
    audit.record(
        actor=actor,
        source=source,
        verb="counter.add",
        obj=counter,
        centre=equipment.centre,
        before=before,
        after=_snapshot(counter),
    )
    _check_full(actor=actor, source=source, counter=counter, at=at)
    live.refresh_on_commit(equipment.centre, PANEL)
    return counter


@transaction.atomic
def counter_open(*, actor, source, centre, data) -> OperationCounter:
    """CNT-1: a counter for equipment that has none of this kind yet (the centre before its
    first month-end figure, or the team with the limit). A limit given is the team's."""
    if not (can(actor, Action.COUNTER_ENTER, centre) or can(actor, Action.COUNTER_LIMIT, centre)):
        require(actor, Action.COUNTER_ENTER, centre)
    form = validated(CounterOpenForm, data, centre=centre)
    equipment, kind = form.cleaned_data["equipment"], form.cleaned_data["kind"]
    limit = form.cleaned_data.get("limit")
    if limit is not None:
        _require_team(actor, equipment.site, centre)
    if OperationCounter.objects.filter(equipment=equipment, kind=kind).exists():
        raise Refused(
            _("%(equipment)s has a %(kind)s counter already (CNT-1).")
            % {"equipment": equipment.double_name, "kind": CounterKind(kind).label},
            code="exists",
            rule="CNT-1",
        )
    counter = OperationCounter.objects.create(equipment=equipment, kind=kind, limit=limit)
    audit.record(
        actor=actor,
        source=source,
        verb="counter.open",
        obj=counter,
        centre=centre,
        after=_snapshot(counter),
    )
    live.refresh_on_commit(centre, PANEL)
    return counter


@transaction.atomic
def counter_limit_set(*, actor, source, counter_id, version: int, limit) -> OperationCounter:
    """CNT-1: the team serving the station keeps the limit (极限次数); a limit below the current
    count is refused (CNT-2: the count would be past its limit unnoticed)."""
    counter = locked(_counters(), counter_id, version)
    centre = counter.equipment.centre
    _require_team(actor, counter.equipment.site, centre)
    form = validated(CounterLimitForm, {"limit": limit})
    limit = form.cleaned_data["limit"]
    if limit < counter.count:
        raise Refused(
            _(
                "A limit of %(limit)s is below the current count %(count)s; reset the counter "
                "after maintenance first (CNT-2, CNT-1)."
            )
            % {"limit": limit, "count": counter.count},
            code="limit_below_count",
            rule="CNT-2",
        )
    before = _snapshot(counter)
    counter.limit = limit
    _save(counter, "limit")
    audit.record(
        actor=actor,
        source=source,
        verb="counter.limit",
        obj=counter,
        centre=centre,
        before=before,
        after=_snapshot(counter),
    )
    _check_full(actor=actor, source=source, counter=counter)
    live.refresh_on_commit(centre, PANEL)
    return counter


def _enter(
    *, actor, source, counter: OperationCounter, month: date, count: int, reason: str = ""
) -> int:
    """The month-end figure of one month on a locked counter; the count moves by the new
    figure less the month's figure before (CNT-1, CNT-3). Returns that difference."""
    row, _created = CounterMonth.objects.select_for_update().get_or_create(
        counter=counter, month=month
    )
    before = {"month": f"{month:%Y-%m}", "figure": row.figure, "count": counter.count}
    delta = count - row.figure
    row.entered = count
    row.entered_by = None if getattr(actor, "is_system", False) else actor
    row.entered_at = timezone.now()
    row.save()
    counter.count = max(0, counter.count + delta)
    _save(counter, "count")
    audit.record(
        actor=actor,
        source=source,
        verb="counter.month",
        obj=counter,
        centre=counter.equipment.centre,
        before=before,
        after={"month": f"{month:%Y-%m}", "figure": count, "count": counter.count},
        reason=reason,
    )
    _check_full(actor=actor, source=source, counter=counter)
    return delta


@transaction.atomic
def counter_month_enter(
    *, actor, source, counter_id, version: int, month, count
) -> OperationCounter:
    """CNT-1, CNT-3: the centre enters a month's figure from the monitoring system; it replaces
    what the alarms counted that month and moves the count by the difference."""
    counter = locked(_counters(), counter_id, version)
    centre = counter.equipment.centre
    require(actor, Action.COUNTER_ENTER, centre)
    month_text = month.strftime("%Y-%m") if isinstance(month, date) else month
    form = validated(CounterMonthForm, {"month": month_text, "count": count}, centre=centre)
    _enter(
        actor=actor,
        source=source,
        counter=counter,
        month=form.cleaned_data["month"],
        count=form.cleaned_data["count"],
    )
    live.refresh_on_commit(centre, PANEL)
    return counter


@transaction.atomic
def counter_reset(*, actor, source, counter_id, version: int, reason) -> OperationCounter:
    """CNT-2: after maintenance the team sets the count back to 0 with the reason — only once
    the defect reported for the limit is eliminated, or when there is none."""
    counter = locked(_counters().select_related("defect"), counter_id, version)
    centre = counter.equipment.centre
    _require_team(actor, counter.equipment.site, centre)
    form = validated(CounterResetForm, {"reason": reason})
    defect = counter.defect
    if defect is not None and defect.state not in DEFECT_DONE:
        raise Refused(
            _(
                "Defect %(number)s reported for this limit is %(state)s: the counter is reset "
                "once it is eliminated (CNT-2)."
            )
            % {"number": defect.number, "state": defect.get_state_display()},
            code="defect_open",
            rule="CNT-2",
        )
    before = _snapshot(counter)
    counter.count, counter.full_at, counter.defect = 0, None, None
    _save(counter, "count", "full_at", "defect")
    audit.record(
        actor=actor,
        source=source,
        verb="counter.reset",
        obj=counter,
        centre=centre,
        before=before,
        after=_snapshot(counter),
        reason=form.cleaned_data["reason"],
    )
    live.refresh_on_commit(centre, PANEL)
    return counter


def counter_import(*, actor, source, centre, upload, progress=None) -> dict[str, int]:
    """CNT-1, CNT-3: the monitoring system's month-end counts from an .xlsx, every row or
    none (a row-by-row report, nothing written if any row is bad); ``progress`` hears the rows
    written (issue 15)."""
    from ..counter_import import run

    return run(actor=actor, source=source, centre=centre, upload=upload, progress=progress)


def import_rows(*, actor, source, centre, rows, reason: str = "", progress=None) -> dict[str, int]:
    """The checked rows of an import, written inside its transaction: each (equipment, kind,
    month, count) enters its month on the counter (opened when missing)."""
    require(actor, Action.COUNTER_ENTER, centre)
    result = {"rows": 0, "changed": 0, "opened": 0, "full": 0}
    for done, (equipment, kind, month, count) in enumerate(rows):
        if progress is not None:
            progress(done, len(rows))
        counter = OperationCounter.objects.filter(equipment=equipment, kind=kind).first()
        if counter is None:
            counter = OperationCounter.objects.create(equipment=equipment, kind=kind)
            audit.record(
                actor=actor,
                source=source,
                verb="counter.open",
                obj=counter,
                centre=centre,
                after=_snapshot(counter),
            )
            result["opened"] += 1
        counter = locked(_counters(), counter.pk, ANY_VERSION)  # the import's own rows
        was_full = counter.full_at is not None
        delta = _enter(
            actor=actor, source=source, counter=counter, month=month, count=count, reason=reason
        )
        result["rows"] += 1
        result["changed"] += 1 if delta else 0
        result["full"] += 1 if counter.full_at is not None and not was_full else 0
    live.refresh_on_commit(centre, PANEL)
    return result
