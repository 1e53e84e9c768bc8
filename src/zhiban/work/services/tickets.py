"""Work tickets from receipt to end: safety measures and permit (WORK-1, WORK-2), the
maintenance tag (WORK-2 … WORK-4), interruptions and the one extension (WORK-7), four-remote
checks and work end (WORK-4, ACC-1), the final check with the centre (WORK-5). Every
milestone writes its duty-log entry (DUTY-7)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live, timewindow
from zhiban.core.errors import Conflict, Forbidden, InvalidInput, Refused
from zhiban.core.models import Direction, Level
from zhiban.core.notify import Message, notify, people_with_roles
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import require
from zhiban.core.services import (
    ANY_VERSION,
    form_data,
    locked,
    save_change,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from ..forms import (
    ExtendForm,
    FinalCheckForm,
    MeasureDoneForm,
    PermitForm,
    ReasonForm,
    RemoteCheckForm,
    WorkEndForm,
    WorkInterruptForm,
    WorkResumeForm,
    WorkTicketEndForm,
    WorkTicketForm,
    same_person,
)
from ..models import (
    OPEN_WORK_STATES,
    CheckResult,
    MaintenanceTag,
    RemoteCheck,
    RemoteKind,
    WorkInterruption,
    WorkSafetyMeasure,
    WorkTicket,
)
from ..selectors import acceptance, is_team_member
from .common import phone_call, ticket_number

# --- work tickets (WORK-1 … WORK-7, ACC-1) -------------------------------------------------------


def _locked_work(ticket_id, version) -> WorkTicket:
    return locked(
        WorkTicket.objects.select_related("centre", "site", "team", "order"), ticket_id, version
    )


def _work_log(ticket, *, actor, source, verb, params, at=None, equipment=None) -> None:
    """DUTY-7: each milestone of a work ticket writes its duty-log entry (开工令, 报竣工 …)."""
    log_write(
        actor=actor,
        source=source,
        centre=ticket.centre,
        category=LogCategory.OPERATION,
        site=ticket.site,
        equipment=equipment,
        at=at,
        regarding=ticket,
        verb=verb,
        params=params,
    )


def _require_team(actor, ticket_team) -> None:
    """WORK-1: work tickets are received and carried by the operations team."""
    if getattr(actor, "is_system", False):
        return
    if not is_team_member(actor, ticket_team):
        raise Forbidden(
            _("Work tickets are received by the operations team: only people of %(team)s.")
            % {"team": ticket_team},
            rule="WORK-1",
        )


def _require_hold(actor, centre) -> None:
    """WORK-1: the operations team receives and carries work tickets (the centre tags, checks
    and records, it does not hold the ticket)."""
    try:
        require(actor, Action.WORK_HOLD, centre)
    except Forbidden:
        raise Forbidden(
            _("Work tickets are received and carried by the operations team."), rule="WORK-1"
        ) from None


def _refuse_second_open(centre, leader, exclude=None) -> None:
    """WORK-7: a work leader holds one open ticket at a time."""
    open_ones = WorkTicket.objects.filter(
        centre=centre, work_leader=leader, state__in=OPEN_WORK_STATES
    )
    if exclude is not None:
        open_ones = open_ones.exclude(pk=exclude.pk)
    other = open_ones.first()
    if other is not None:
        raise Refused(
            _("%(leader)s already holds the open work ticket %(number)s.")
            % {"leader": leader, "number": other.number},
            code="leader_has_open_ticket",
            rule="WORK-7",
        )


def _write_measures(ticket, lines) -> None:
    if [m.text for m in ticket.measures.all()] == list(lines):
        return
    ticket.measures.all().delete()
    WorkSafetyMeasure.objects.bulk_create(
        WorkSafetyMeasure(ticket=ticket, seq=i, text=text) for i, text in enumerate(lines, 1)
    )


def _check_order(order) -> None:
    """WORK-1: an order that needs a ticket in advance flows through the centre — it is
    pre-received there and passed to the team before the team works on it (``order`` is an
    ``ops.DispatchOrder``: asked, not imported, ADR 0012)."""
    if order is None:
        return
    if order.cancelled:
        raise Refused(
            _("%(order)s was cancelled.") % {"order": order.number},
            code="order_cancelled",
            rule="WORK-1",
        )
    if not order.passed_to_team:
        raise Refused(
            _("The centre has not passed %(order)s to the team yet.") % {"order": order.number},
            code="order_not_passed",
            rule="WORK-1",
        )


def _save_unique_leader(ticket) -> None:
    """The database keeps one open ticket per work leader even for two requests at once."""
    try:
        with transaction.atomic():
            ticket.save()
    except IntegrityError:
        _refuse_second_open(ticket.centre, ticket.work_leader, exclude=ticket)
        raise Conflict() from None  # e.g. the same number taken by a request at the same time


@transaction.atomic
def work_ticket_receive(*, actor, source, centre, data) -> WorkTicket:
    """WORK-1: the operations team receives the work ticket with its standard fields; the
    three roles differ and the work leader holds no other open ticket (WORK-7)."""
    _require_hold(actor, centre)
    form = validated(WorkTicketForm, data, centre=centre)
    cleaned = form.cleaned_data
    _require_team(actor, cleaned["team"])
    _check_order(cleaned.get("order"))
    _refuse_second_open(centre, cleaned["work_leader"])
    ticket = form.save(commit=False)
    ticket.centre, ticket.received_by = centre, actor
    ticket.received_at = cleaned.get("received_at") or timezone.now()
    ticket.number = ticket_number(centre, ticket.received_at, kind="work_ticket", suffix="-G")
    _save_unique_leader(ticket)
    form.save_m2m()
    _write_measures(ticket, cleaned["measure_lines"])
    audit.record(
        actor=actor,
        source=source,
        verb="work.receive",
        obj=ticket,
        after={**audit.snapshot(ticket), "safety_measures": cleaned["measure_lines"]},
    )
    _work_log(
        ticket,
        actor=actor,
        source=source,
        verb="work.receive",
        params={
            "number": ticket.number,
            "team": ticket.team,
            "task": ticket.task,
            "leader": ticket.work_leader,
        },
    )
    live.refresh_on_commit(centre, "ops-work")
    return ticket


@transaction.atomic
def work_ticket_update(*, actor, source, ticket_id, version: int, changes) -> WorkTicket:
    """A received ticket may be corrected until the permit (WORK-1, WORK-7)."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "edit")
    data = form_data(ticket, WorkTicketForm)
    data["safety_measures"] = "\n".join(m.text for m in ticket.measures.all())
    data.update(changes)
    form = validated(WorkTicketForm, data, centre=ticket.centre, instance=ticket)
    cleaned = form.cleaned_data
    _require_team(actor, cleaned["team"])
    _check_order(cleaned.get("order"))
    _refuse_second_open(ticket.centre, cleaned["work_leader"], exclude=ticket)
    before = {**audit.snapshot(ticket), "safety_measures": [m.text for m in ticket.measures.all()]}
    before_received = ticket.received_at
    ticket = form.save(commit=False)
    ticket.received_at = ticket.received_at or before_received
    ticket.version += 1
    _save_unique_leader(ticket)
    form.save_m2m()
    _write_measures(ticket, cleaned["measure_lines"])
    audit.record(
        actor=actor,
        source=source,
        verb="work.update",
        obj=ticket,
        before=before,
        after={**audit.snapshot(ticket), "safety_measures": cleaned["measure_lines"]},
    )
    return ticket


@transaction.atomic
def work_measure_done(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-2: a safety measure is ticked done (已执行) by the team, one by one."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(MeasureDoneForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "measure")
    measure = ticket.measures.filter(seq=form.cleaned_data["seq"]).first()
    if measure is None:
        raise InvalidInput(fields={"seq": [_("This ticket has no such safety measure.")]})
    if measure.done:
        raise Refused(
            _("Safety measure %(n)s is done already.") % {"n": measure.seq}, rule="WORK-2"
        )
    measure.done, measure.done_at, measure.done_by = True, timezone.now(), actor
    measure.save()
    return save_change(
        ticket,
        actor=actor,
        source=source,
        verb="work.measure",
        before=before,
        reason=f"{measure.seq}. {measure.text}",
    )


def _notify_centre(ticket, *, actor, source, title: Message) -> None:
    """The centre's operators are asked to act on the ticket (tag, untag, set limits)."""
    notify(
        actor=actor,
        source=source,
        people=people_with_roles(ticket.centre, [Role.CHIEF_OPERATOR, Role.DEPUTY_OPERATOR]),
        centre=ticket.centre,
        title=title,
        link=f"/c/{ticket.centre.code}/ops/work/{ticket.pk}/",
        level=Level.WARNING,
        email=False,
        chat=False,
        regarding=ticket,
    )


@transaction.atomic
def work_permit(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-2: the dispatcher's permit reaches the station; the team's permitter receives it,
    the safety measures are all done, and the team tells the centre, which then places the
    maintenance tag. The permitter differs from issuer and work leader (WORK-7)."""
    ticket = _locked_work(ticket_id, version)
    centre = ticket.centre
    _require_hold(actor, centre)
    form = validated(PermitForm, data, centre=centre)
    cleaned = form.cleaned_data
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "permit")
    permitter = cleaned["permitter"]
    if not is_team_member(permitter, ticket.team):
        raise InvalidInput(
            fields={
                "permitter": [
                    _("The permitter is a person of %(team)s (WORK-2).") % {"team": ticket.team}
                ]
            },
            rule="WORK-2",
        )
    if same_person(permitter.name, ticket.issuer) or same_person(
        permitter.name, ticket.work_leader
    ):
        raise InvalidInput(
            fields={
                "permitter": [
                    _(
                        "Issuer, work leader and permitter are three different people "
                        "on one ticket (WORK-7)."
                    )
                ]
            },
            rule="WORK-7",
        )
    pending = [m for m in ticket.measures.all() if not m.done]
    if pending:
        raise Refused(
            _("Safety measure %(n)s “%(text)s” is not done: the permit waits for all of them.")
            % {"n": pending[0].seq, "text": pending[0].text},
            code="measures_not_done",
            rule="WORK-2",
        )
    at = cleaned["permitted_at"]
    ticket.permitter, ticket.permitted_at = permitter, at
    ticket.permit_dispatcher = cleaned["dispatcher"]
    ticket.centre_told_at = at
    phone_call(
        actor=actor,
        source=source,
        centre=centre,
        direction=Direction.INCOMING,
        party=ticket.permit_dispatcher,
        subject=_("Work permit for %(number)s") % {"number": ticket.number},
        at=at,
        regarding=ticket,
    )
    centre_person = cleaned["centre_person"]
    phone_call(
        actor=actor,
        source=source,
        centre=centre,
        direction=Direction.OUTGOING,
        party=str(centre_person),
        party_person=centre_person,
        subject=_("Safety measures of %(number)s done; please place the maintenance tag")
        % {"number": ticket.number},
        at=at,
        regarding=ticket,
    )
    save_change(ticket, actor=actor, source=source, verb="work.permit", before=before)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=at,
        verb="work.permit",
        params={
            "number": ticket.number,
            "dispatcher": ticket.permit_dispatcher,
            "permitter": permitter,
            "leader": ticket.work_leader,
            "person": centre_person,
        },
    )
    _notify_centre(
        ticket,
        actor=actor,
        source=source,
        title=Message(
            gettext_lazy("Place the maintenance tag for %(number)s"), {"number": ticket.number}
        ),
    )
    live.refresh_on_commit(centre, "ops-work")
    return ticket


@transaction.atomic
def work_tag_place(*, actor, source, ticket_id, version: int) -> WorkTicket:
    """WORK-2: told the safety measures are done, the centre places the maintenance tag
    (检修牌) on each equipment of the permitted ticket."""
    ticket = _locked_work(ticket_id, version)
    centre = ticket.centre
    require(actor, Action.WORK_TAG, centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "tag")
    if ticket.tags.exists():
        raise Refused(_("The maintenance tags of this ticket are placed already."), rule="WORK-2")
    equipment = list(ticket.equipment.select_related("site"))
    taken = {
        t.equipment_id: t
        for t in MaintenanceTag.objects.filter(
            equipment__in=equipment, removed_at=None
        ).select_related("work_ticket")
    }
    for item in equipment:
        if item.pk in taken:
            raise Refused(
                _("%(equipment)s carries the maintenance tag of %(number)s already.")
                % {"equipment": item.double_name, "number": taken[item.pk].work_ticket.number},
                code="tagged_already",
                rule="WORK-2",
            )
    now = timezone.now()
    MaintenanceTag.objects.bulk_create(
        MaintenanceTag(
            centre=centre, equipment=item, work_ticket=ticket, placed_at=now, placed_by=actor
        )
        for item in equipment
    )
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="work.tag",
        before=before,
        reason="、".join(e.double_name for e in equipment),
    )
    for item in equipment:
        _work_log(
            ticket,
            actor=actor,
            source=source,
            equipment=item,
            verb="work.tag",
            params={"equipment": item.double_name, "number": ticket.number},
        )
    live.refresh_on_commit(centre, "ops-work")
    return ticket


@transaction.atomic
def work_interrupt(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-7: an interruption of the work (间断) is recorded with its reason."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(WorkInterruptForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "interrupt")
    at, reason = form.cleaned_data["at"], form.cleaned_data["reason"]
    WorkInterruption.objects.create(
        ticket=ticket, interrupted_at=at, reason=reason, interrupted_by=actor
    )
    save_change(
        ticket, actor=actor, source=source, verb="work.interrupt", before=before, reason=reason
    )
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=at,
        verb="work.interrupt",
        params={"number": ticket.number, "reason": reason},
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def work_resume(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-7: the work resumes after an interruption."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(WorkResumeForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "resume")
    at = form.cleaned_data["at"]
    pause = ticket.interruptions.filter(resumed_at=None).order_by("-interrupted_at").first()
    if pause is not None and at < pause.interrupted_at:
        raise InvalidInput(fields={"at": [_("The work resumes after it was interrupted.")]})
    if pause is not None:
        pause.resumed_at, pause.resumed_by = at, actor
        pause.save()
    save_change(ticket, actor=actor, source=source, verb="work.resume", before=before)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=at,
        verb="work.resume",
        params={"number": ticket.number},
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def work_extend(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-7: a work ticket may be extended once, and only before it expires."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(ExtendForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "extend")
    if ticket.extended_to is not None:
        raise Refused(
            _("A work ticket is extended once only; this one was extended already."),
            code="extended_once",
            rule="WORK-7",
        )
    if timezone.now() >= ticket.planned_end:
        raise Refused(
            _("The ticket expired at %(end)s: an extension is asked for before it expires.")
            % {"end": timewindow.shown(ticket.planned_end)},
            code="expired",
            rule="WORK-7",
        )
    to = form.cleaned_data["extended_to"]
    if to <= ticket.planned_end:
        raise InvalidInput(
            fields={"extended_to": [_("The extension ends after the planned end (WORK-7).")]},
            rule="WORK-7",
        )
    ticket.extended_to, ticket.extension_reason = to, form.cleaned_data["reason"]
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="work.extend",
        before=before,
        reason=ticket.extension_reason,
    )
    _work_log(
        ticket,
        actor=actor,
        source=source,
        verb="work.extend",
        params={
            "number": ticket.number,
            "to": timewindow.safe_localtime(to, ticket.centre.tz),
            "reason": ticket.extension_reason,
        },
    )
    return ticket


@transaction.atomic
def work_remote_check(*, actor, source, ticket_id, data) -> list[RemoteCheck]:
    """WORK-4, ACC-1: points of the four-remote acceptance (遥信, 遥测, 遥控, 遥调) or a
    remote-control test, checked by the centre's checker with the team's, each with its
    result. The checks are records of their own: the ticket stays as it is, so no version
    applies (DESIGN-1)."""
    ticket = _locked_work(ticket_id, ANY_VERSION)
    require(actor, Action.WORK_CHECK, ticket.centre)
    WorkTicket.FLOW.next_state(ticket.state, "check")
    form = validated(RemoteCheckForm, data, centre=ticket.centre)
    cleaned = form.cleaned_data
    checks = RemoteCheck.objects.bulk_create(
        RemoteCheck(
            ticket=ticket,
            kind=cleaned["kind"],
            point=point,
            result=cleaned["result"],
            note=cleaned["note"],
            at=cleaned["at"],
            centre_checker=cleaned["centre_checker"],
            team_checker=cleaned["team_checker"],
            recorded_by=actor,
        )
        for point in cleaned["points"]
    )
    kind = RemoteKind(cleaned["kind"]).label
    result = CheckResult(cleaned["result"]).label
    audit.record(
        actor=actor,
        source=source,
        verb="work.remote_check",
        obj=ticket,
        after={"kind": cleaned["kind"], "points": cleaned["points"], "result": cleaned["result"]},
        reason=f"{kind} {'、'.join(cleaned['points'])}: {result}"[:500],
    )
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=cleaned["at"],
        verb="work.remote_check",
        params={
            "number": ticket.number,
            "kind": cleaned["kind"],
            "checker": cleaned["centre_checker"],
            "points": cleaned["points"],
            "result": cleaned["result"],
        },
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return checks


@transaction.atomic
def work_end(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-4, ACC-1: work end (工作终结, 报竣工) is refused until the team has verified the
    four remotes with the centre — each of 遥信, 遥测, 遥控, 遥调 checked correct — or a
    remote-control test came out correct, and no checked point is left wrong. The centre is
    then asked to remove the maintenance tag."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(WorkEndForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "work_end")
    state = acceptance(ticket)
    if state.failed:
        wrong = state.failed[0]
        raise Refused(
            _(
                "%(kind)s of “%(point)s” was wrong: check it again with the centre before "
                "the work ends."
            )
            % {"kind": wrong.get_kind_display(), "point": wrong.point},
            code="remote_check_failed",
            rule="WORK-4",
        )
    if not state.accepted:
        raise Refused(
            _(
                "Work end is refused until the four-remote check with the centre or a "
                "remote-control test is recorded; not yet correct: %(missing)s."
            )
            % {"missing": "、".join(str(RemoteKind(k).label) for k in state.missing)},
            code="remote_check_missing",
            rule="WORK-4",
        )
    ticket.work_ended_at = form.cleaned_data["at"]
    ticket.acceptance = form.cleaned_data["acceptance"]
    save_change(ticket, actor=actor, source=source, verb="work.work_end", before=before)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=ticket.work_ended_at,
        verb="work.work_end",
        params={"number": ticket.number, "task": ticket.task, "by": actor},
    )
    if ticket.tags.filter(removed_at=None).exists():
        _notify_centre(
            ticket,
            actor=actor,
            source=source,
            title=Message(
                gettext_lazy("Remove the maintenance tag of %(number)s"),
                {"number": ticket.number},
            ),
        )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def work_tag_remove(*, actor, source, ticket_id, version: int) -> WorkTicket:
    """WORK-4: after work end the centre removes the maintenance tags."""
    ticket = _locked_work(ticket_id, version)
    require(actor, Action.WORK_TAG, ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "untag")
    tags = list(ticket.tags.filter(removed_at=None).select_related("equipment"))
    if not tags:
        raise Refused(_("This ticket has no maintenance tag in place."), rule="WORK-4")
    now = timezone.now()
    MaintenanceTag.objects.filter(pk__in=[t.pk for t in tags]).update(
        removed_at=now, removed_by=actor
    )
    save_change(
        ticket,
        actor=actor,
        source=source,
        verb="work.untag",
        before=before,
        reason="、".join(t.equipment.double_name for t in tags),
    )
    for tag in tags:
        _work_log(
            ticket,
            actor=actor,
            source=source,
            equipment=tag.equipment,
            verb="work.untag",
            params={"equipment": tag.equipment.double_name, "number": ticket.number},
        )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def work_final_check(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """WORK-5: after all work and power restoration the team checks with the centre that
    nothing is abnormal before leaving the station (操作汇报) — a recorded phone contact."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(FinalCheckForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "final_check")
    person, at = form.cleaned_data["centre_person"], form.cleaned_data["at"]
    ticket.final_check_at, ticket.final_check = at, form.cleaned_data["checked"]
    ticket.final_check_with = person
    phone_call(
        actor=actor,
        source=source,
        centre=ticket.centre,
        direction=Direction.OUTGOING,
        party=str(person),
        party_person=person,
        subject=_("Final check before leaving the station: %(number)s") % {"number": ticket.number},
        content=ticket.final_check,
        at=at,
        regarding=ticket,
    )
    save_change(ticket, actor=actor, source=source, verb="work.final_check", before=before)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=at,
        verb="work.final_check",
        params={"number": ticket.number, "person": person, "checked": ticket.final_check},
    )
    return ticket


@transaction.atomic
def work_ticket_end(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """Ticket end (工作票终结): the centre has removed the maintenance tags (WORK-4) and the
    team has checked with the centre before leaving the station (WORK-5)."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    form = validated(WorkTicketEndForm, data, centre=ticket.centre)
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "end")
    tag = ticket.tags.filter(removed_at=None).select_related("equipment").first()
    if tag is not None:
        raise Refused(
            _("The centre removes the maintenance tag from %(equipment)s first.")
            % {"equipment": tag.equipment.double_name},
            code="tag_in_place",
            rule="WORK-4",
        )
    if ticket.final_check_at is None:
        raise Refused(
            _(
                "Check with the centre that nothing is abnormal before leaving the station "
                "(操作汇报)."
            ),
            code="final_check_missing",
            rule="WORK-5",
        )
    ticket.ended_at = form.cleaned_data["at"]
    save_change(ticket, actor=actor, source=source, verb="work.end", before=before)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        at=ticket.ended_at,
        verb="work.end",
        params={"number": ticket.number},
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket


@transaction.atomic
def work_ticket_void(*, actor, source, ticket_id, version: int, data) -> WorkTicket:
    """A received ticket that will not be carried out is voided with its reason."""
    ticket = _locked_work(ticket_id, version)
    _require_hold(actor, ticket.centre)
    reason = validated(ReasonForm, data, centre=ticket.centre).cleaned_data["reason"]
    before = audit.snapshot(ticket)
    ticket.state = WorkTicket.FLOW.next_state(ticket.state, "void")
    ticket.void_reason = reason
    save_change(ticket, actor=actor, source=source, verb="work.void", before=before, reason=reason)
    _work_log(
        ticket,
        actor=actor,
        source=source,
        verb="work.void",
        params={"number": ticket.number, "reason": reason},
    )
    live.refresh_on_commit(ticket.centre, "ops-work")
    return ticket
