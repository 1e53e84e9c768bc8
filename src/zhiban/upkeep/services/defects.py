"""Defects (DEF-1 … DEF-3): reported from anywhere, routed to the team or the centre by DEF-2,
with an elimination deadline per grade that warns and escalates (core deadlines, DEF-3).
A defect that affects monitoring is written to the duty log's other column (DUTY-8)."""

from __future__ import annotations

from datetime import timedelta

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live
from zhiban.core.actors import SCHEDULER
from zhiban.core.errors import InvalidInput, NotFound, Refused
from zhiban.core.models import Deadline, DeadlineState
from zhiban.core.notify import Message, notify
from zhiban.core.numbering import format_number, next_number
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import can, grants, is_platform_admin, require
from zhiban.core.services import (
    ANY_VERSION,
    content_type_of,
    deadline_cancel,
    deadline_meet,
    deadline_set,
    locked,
    save_change,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.org.models import Membership, Person, SiteKind

from ..forms.defects import (
    AssignForm,
    ClassifyForm,
    DefectForm,
    EliminateForm,
    MeasureForm,
    RejectForm,
)
from ..models import (
    GRADE_ORDER,
    AcceptancePoint,
    Defect,
    DefectGrade,
    DefectKind,
    DefectOrigin,
    DefectState,
    OperationCounter,
    Owner,
)

# DEF-1: the setting holding each grade's elimination time
GRADE_HOURS_SETTING: dict[str, str] = {
    DefectGrade.CRITICAL: "upkeep.defect_critical_hours",
    DefectGrade.SERIOUS: "upkeep.defect_serious_hours",
    DefectGrade.GENERAL: "upkeep.defect_general_hours",
}

# DEF-2: the monitoring system's own defects are the centre's
CENTRE_KINDS = frozenset(
    {
        DefectKind.CHANNEL,
        DefectKind.MONITOR_COMPUTER,
        DefectKind.SYSTEMIC,
        DefectKind.FOUR_REMOTE,
    }
)

# Why a defect went where it went (DEF-2), stored as the code, read in the reader's language.
ROUTING_REASONS = {
    "monitoring_system": gettext_lazy(
        "A defect of the monitoring system (channel, monitoring computer, systemic or "
        "four-remote problem) is classified and eliminated by the centre (DEF-2)."
    ),
    "centre_unit": gettext_lazy(
        "The equipment is the centre's own unit, so the centre handles it (DEF-2)."
    ),
    "local_team": gettext_lazy(
        "Local equipment with the four remotes working: the team serving the station "
        "classifies and eliminates it (DEF-2)."
    ),
    "counter_full": gettext_lazy(
        "An operation count at its limit (满次检修): the centre counted it, the team serving "
        "the station reports and eliminates the defect (DEF-2, CNT-2)."
    ),
    "no_team": gettext_lazy("No team serves this site, so the centre handles the defect (DEF-2)."),
}

DEADLINE_NAME = "消缺 (DEF-1)"


def route(*, site, kind: str):
    """DEF-2: (owner, team, reason code) for a defect of this kind at this site."""
    if kind in CENTRE_KINDS:
        return Owner.CENTRE, None, "monitoring_system"
    if site.kind == SiteKind.CENTRE_UNIT:
        return Owner.CENTRE, None, "centre_unit"
    team = site.teams.filter(active=True).order_by("name").first()
    if team is None:
        return Owner.CENTRE, None, "no_team"
    return Owner.TEAM, team, ("counter_full" if kind == DefectKind.COUNTER_FULL else "local_team")


def routing_reason_text(code: str) -> str:
    return str(ROUTING_REASONS.get(code, code))


def team_leader(team):
    """The team's leader (队长), told first of the team's defects (DEF-3)."""
    if team is None:
        return None
    membership = (
        team.memberships.filter(role=Role.TEAM_LEADER, active=True, person__is_active=True)
        .select_related("person")
        .order_by("person__name")
        .first()
    )
    return membership.person if membership else None


def due_at(centre, grade: str, reported_at):
    """DEF-1: when a defect of this grade must be eliminated, by the centre's setting."""
    return reported_at + timedelta(hours=centre.setting(GRADE_HOURS_SETTING[grade]))


@transaction.atomic
def defect_report(
    *, actor, source, centre, data, origin: str = DefectOrigin.MANUAL, origin_id: str = ""
) -> Defect:
    """DEF-1, DEF-2: a defect reported from anywhere (an alarm, an incident, a patrol
    checkpoint, an acceptance point, a counter at its limit, or by hand), numbered, routed to
    the team or the centre with the reason shown, its elimination deadline set by its grade
    (warns and escalates, DEF-3); one that affects monitoring goes to the duty log's other
    column (DUTY-8)."""
    require(actor, Action.DEFECT_REPORT, centre)
    form = validated(DefectForm, data, centre=centre)
    if origin not in DefectOrigin.values:
        raise InvalidInput(fields={"origin": [_("Choose where the defect was reported from.")]})
    now = timezone.now()
    defect = form.save(commit=False)
    owner, team, reason = route(site=defect.site, kind=defect.kind)
    year = timezone.localtime(now, centre.tz).year
    defect.centre = centre
    defect.number = format_number("QX", year, next_number(centre, "defect", year))
    defect.owner, defect.team, defect.routing_reason = owner, team, reason
    defect.origin, defect.origin_id = origin, str(origin_id or "")[:40]
    defect.reported_by = None if getattr(actor, "is_system", False) else actor
    defect.reported_at = now
    defect.due_at = due_at(centre, defect.grade, now)
    defect.save()
    audit.record(
        actor=actor, source=source, verb="defect.report", obj=defect, after=audit.snapshot(defect)
    )
    _link_origin(actor=actor, source=source, centre=centre, defect=defect)
    _deadline(defect, source=source)
    if defect.affects_monitoring:
        log_write(
            actor=actor,
            source=source,
            centre=centre,
            category=LogCategory.OTHER,  # DUTY-8: defects that affect monitoring
            site=defect.site,
            equipment=defect.equipment,
            regarding=defect,
            verb="defect.report",
            params={
                "number": defect.number,
                "grade": defect.grade,
                "phenomenon": defect.phenomenon[:200],
            },
        )
    live.refresh_on_commit(centre, "upkeep")
    return defect


# --- the origin, the deadline -----------------------------------------------------------------

# where a defect reported from a counter or an acceptance point is noted on that record
ORIGIN_RECORDS: dict[str, tuple[type[models.Model], str]] = {
    DefectOrigin.COUNTER: (OperationCounter, "equipment__centre"),
    DefectOrigin.ACCEPTANCE: (AcceptancePoint, "sheet__centre"),
}


def _link_origin(*, actor, source, centre, defect: Defect) -> None:
    """CNT-2, ACC-3: a defect reported for a counter at its limit or a failed acceptance point
    is noted on that record (of the same centre; another centre's is not found: 422)."""
    if defect.origin not in ORIGIN_RECORDS:
        return
    model, centre_field = ORIGIN_RECORDS[defect.origin]
    try:
        record = locked(
            model._default_manager.filter(**{centre_field: centre}),
            int(defect.origin_id),
            ANY_VERSION,
        )
    except (NotFound, ValueError):
        raise InvalidInput(
            fields={"origin_id": [_("No such record in this centre to report the defect from.")]}
        ) from None
    before = audit.snapshot(record)
    record.defect = defect
    save_change(record, actor=actor, source=source, verb="defect.link", before=before)


def _deadline(defect: Defect, *, source, due=None) -> Deadline:
    """DEF-1, DEF-3: the elimination deadline, the owning team's leader responsible; the
    foundation's job warns, records the breach and escalates to the team leader and the
    centre (chief operators), then the department head."""
    leader = team_leader(defect.team)
    return deadline_set(
        actor=SCHEDULER,
        source=source,
        centre=defect.centre,
        target=defect,
        data={
            "name": DEADLINE_NAME,
            "due_at": due or defect.due_at,
            "assignee": leader.pk if leader else "",
        },
        reason=defect.grade,
    )


def open_deadlines(defect: Defect):
    return Deadline.objects.filter(
        content_type=content_type_of(defect),
        object_id=str(defect.pk),
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    )


def _close_deadlines(defect: Defect, *, source, met: bool, reason: str = "") -> None:
    for deadline in open_deadlines(defect):
        if met:
            deadline_meet(
                actor=SCHEDULER, source=source, deadline_id=deadline.pk, version=deadline.version
            )
        else:
            deadline_cancel(
                actor=SCHEDULER,
                source=source,
                deadline_id=deadline.pk,
                version=deadline.version,
                reason=reason,
            )


# --- who may handle it (DEF-2) -----------------------------------------------------------------


def owner_side(defect: Defect):
    """DEF-2: the people of the side that handles the defect — the owning team's members, or
    the centre's own people (a membership without a team) for a centre-owned one."""
    memberships = Membership.objects.filter(
        centre=defect.centre, active=True, person__is_active=True
    )
    if defect.owner == Owner.TEAM and defect.team_id:
        memberships = memberships.filter(team=defect.team_id)
    else:
        memberships = memberships.filter(team__isnull=True)
    return Person.objects.filter(pk__in=memberships.values("person")).order_by("name")


def may_handle(person, defect: Defect) -> bool:
    """DEF-2: the owner side or a department head of the centre classifies, assigns and
    eliminates (on top of ``defect.handle``)."""
    if is_platform_admin(person):
        return True
    if Role.DEPARTMENT_HEAD in grants(person).get(defect.centre_id, frozenset()):
        return True
    return owner_side(defect).filter(pk=person.pk).exists()


def _require_owner(actor, defect: Defect) -> None:
    require(actor, Action.DEFECT_HANDLE, defect.centre)
    if getattr(actor, "is_system", False) or may_handle(actor, defect):
        return
    if defect.owner == Owner.TEAM:
        message = _(
            "This defect is handled by %(team)s: only its members or a department head may "
            "classify, assign or eliminate it (DEF-2)."
        ) % {"team": defect.team}
    else:
        message = _(
            "This defect is handled by the centre: only the centre's own people or a department "
            "head may classify, assign or eliminate it (DEF-2)."
        )
    raise Refused(message, code="not_owner", rule="DEF-2")


# --- the lifecycle (DEF-1) ---------------------------------------------------------------------


def _defect(defect_id, version) -> Defect:
    return locked(Defect.objects.select_related("centre", "team", "site"), defect_id, version)


def _changed(defect: Defect, *, actor, source, verb, before, reason="") -> Defect:
    save_change(defect, actor=actor, source=source, verb=verb, before=before, reason=reason)
    live.refresh_on_commit(defect.centre, "upkeep")
    return defect


def _person_or_none(actor):
    return None if getattr(actor, "is_system", False) else actor


@transaction.atomic
def defect_classify(*, actor, source, defect_id, version: int, data) -> Defect:
    """定性 (DEF-1): the owner side confirms or changes the grade and kind; a changed kind is
    routed again (DEF-2) and a changed grade moves the elimination deadline. Once a temporary
    measure is recorded the grade is not lowered: a temporary measure does not lower it."""
    defect = _defect(defect_id, version)
    _require_owner(actor, defect)
    form = validated(ClassifyForm, data, centre=defect.centre)
    state = Defect.FLOW.next_state(defect.state, "classify")
    grade, kind = form.cleaned_data["grade"], form.cleaned_data["kind"]
    if defect.temporary_measure and GRADE_ORDER[grade] > GRADE_ORDER[defect.grade]:
        raise Refused(
            _(
                "A temporary measure does not lower the grade: the defect stays %(grade)s until "
                "it is eliminated (DEF-1)."
            )
            % {"grade": defect.get_grade_display()},
            code="grade_not_lowered",
            rule="DEF-1",
        )
    before = audit.snapshot(defect)
    rerouted = kind != defect.kind
    regraded = grade != defect.grade
    defect.grade, defect.kind, defect.state = grade, kind, state
    if rerouted:
        defect.owner, defect.team, defect.routing_reason = route(site=defect.site, kind=kind)
    if regraded:
        defect.due_at = due_at(defect.centre, grade, defect.reported_at)
    defect.classified_by, defect.classified_at = _person_or_none(actor), timezone.now()
    _changed(defect, actor=actor, source=source, verb="defect.classify", before=before)
    if rerouted or regraded:
        _close_deadlines(defect, source=source, met=False, reason=_("classified (DEF-1)"))
        _deadline(defect, source=source, due=max(defect.due_at, timezone.now()))
    return defect


@transaction.atomic
def defect_measure(*, actor, source, defect_id, version: int, data) -> Defect:
    """A temporary measure (临时措施) recorded on an open defect: the grade stays (DEF-1)."""
    defect = _defect(defect_id, version)
    _require_owner(actor, defect)
    form = validated(MeasureForm, data, centre=defect.centre)
    if not defect.is_open or defect.state == DefectState.ELIMINATED:
        raise Refused(
            _("A temporary measure is recorded on a defect not yet eliminated (DEF-1)."),
            code="transition_refused",
            rule="DEF-1",
        )
    before = audit.snapshot(defect)
    defect.temporary_measure = form.cleaned_data["temporary_measure"]
    return _changed(defect, actor=actor, source=source, verb="defect.measure", before=before)


@transaction.atomic
def defect_assign(*, actor, source, defect_id, version: int, data) -> Defect:
    """DEF-2: assigned to one of the owner side (a member of the owning team, or one of the
    centre's own people for a centre-owned defect); assigning again changes the assignee."""
    defect = _defect(defect_id, version)
    _require_owner(actor, defect)
    form = validated(AssignForm, data, centre=defect.centre, people=owner_side(defect))
    state = Defect.FLOW.next_state(defect.state, "assign")
    before = audit.snapshot(defect)
    defect.state = state
    defect.assignee, defect.assigned_at = form.cleaned_data["assignee"], timezone.now()
    _changed(defect, actor=actor, source=source, verb="defect.assign", before=before)
    if defect.assignee_id != getattr(actor, "pk", None):
        notify(
            actor=actor,
            source=source,
            people=[defect.assignee],
            centre=defect.centre,
            title=Message(gettext_lazy("Defect assigned to you: %(defect)s"), {"defect": defect}),
            body=Message(
                gettext_lazy("Phenomenon: %(phenomenon)s"), {"phenomenon": defect.phenomenon[:200]}
            ),
            link=f"/c/{defect.centre.code}/upkeep/defects/{defect.pk}/",
            regarding=defect,
        )
    return defect


@transaction.atomic
def defect_eliminate(*, actor, source, defect_id, version: int, data) -> Defect:
    """消缺 (DEF-1): what was done, by the owner side; the elimination deadline is met (late
    when it had been breached)."""
    defect = _defect(defect_id, version)
    _require_owner(actor, defect)
    form = validated(EliminateForm, data, centre=defect.centre)
    state = Defect.FLOW.next_state(defect.state, "eliminate")
    before = audit.snapshot(defect)
    defect.state = state
    defect.elimination = form.cleaned_data["elimination"]
    defect.eliminated_by, defect.eliminated_at = _person_or_none(actor), timezone.now()
    _changed(defect, actor=actor, source=source, verb="defect.eliminate", before=before)
    _close_deadlines(defect, source=source, met=True)
    return defect


@transaction.atomic
def defect_verify(*, actor, source, defect_id, version: int) -> Defect:
    """DEF-1: the elimination verified (验收) by someone other than the one who eliminated it."""
    defect = _defect(defect_id, version)
    require(actor, Action.DEFECT_HANDLE, defect.centre)
    state = Defect.FLOW.next_state(defect.state, "verify")
    if defect.eliminated_by_id and defect.eliminated_by_id == getattr(actor, "pk", None):
        raise Refused(
            _(
                "The elimination is verified by someone other than the one who eliminated it (DEF-1)."
            ),
            code="own_elimination",
            rule="DEF-1",
        )
    before = audit.snapshot(defect)
    defect.state = state
    defect.verified_by, defect.verified_at = _person_or_none(actor), timezone.now()
    return _changed(defect, actor=actor, source=source, verb="defect.verify", before=before)


@transaction.atomic
def defect_reject(*, actor, source, defect_id, version: int, data) -> Defect:
    """DEF-1: verification failed — back to the assignee with the reason; the elimination
    deadline runs again (due at once when its time has passed, so it escalates, DEF-3)."""
    defect = _defect(defect_id, version)
    require(actor, Action.DEFECT_HANDLE, defect.centre)
    form = validated(RejectForm, data, centre=defect.centre)
    state = Defect.FLOW.next_state(defect.state, "reject")
    if defect.eliminated_by_id and defect.eliminated_by_id == getattr(actor, "pk", None):
        raise Refused(
            _(
                "The elimination is verified by someone other than the one who eliminated it (DEF-1)."
            ),
            code="own_elimination",
            rule="DEF-1",
        )
    before = audit.snapshot(defect)
    defect.state = state
    defect.eliminated_by, defect.eliminated_at = None, None
    reason = form.cleaned_data["reason"]
    _changed(defect, actor=actor, source=source, verb="defect.reject", before=before, reason=reason)
    _deadline(defect, source=source, due=max(defect.due_at, timezone.now()))
    return defect


@transaction.atomic
def defect_close(*, actor, source, defect_id, version: int) -> Defect:
    """DEF-1: closed only once its elimination is verified."""
    defect = _defect(defect_id, version)
    require(actor, Action.DEFECT_HANDLE, defect.centre)
    if defect.state != DefectState.VERIFIED:
        raise Refused(
            _("A defect is closed only after its elimination is verified (DEF-1)."),
            code="not_verified",
            rule="DEF-1",
        )
    before = audit.snapshot(defect)
    defect.state = Defect.FLOW.next_state(defect.state, "close")
    defect.closed_by, defect.closed_at = _person_or_none(actor), timezone.now()
    return _changed(defect, actor=actor, source=source, verb="defect.close", before=before)


def allowed_actions(person, defect: Defect) -> list[str]:
    """The lifecycle actions this person may take on the defect now (the page's buttons)."""
    if not can(person, Action.DEFECT_HANDLE, defect.centre):
        return []
    owner = may_handle(person, defect)
    actions = []
    for action in Defect.FLOW.actions_from(defect.state):
        if action in ("classify", "assign", "eliminate") and not owner:
            continue
        if action in ("verify", "reject") and defect.eliminated_by_id == person.pk:
            continue
        actions.append(action)
    if owner and defect.state in (
        DefectState.REPORTED,
        DefectState.CLASSIFIED,
        DefectState.ASSIGNED,
    ):
        actions.append("measure")
    return actions
