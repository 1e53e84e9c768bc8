"""Work-ticket pages: a work ticket as the standard form shows it, with its acts (WORK-1 …
WORK-7, ACC-1); the acts of limit changes and setting sheets (WORK-6); the open work shown on
the operations board. The pages stay under /c/<code>/ops/ (one desk, ADR 0012)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline_of
from zhiban.core.web import centre_page, required_version

from . import forms, selectors, services
from .acts import Act, act_page, now, offered
from .models import RemoteKind, WorkState

WEB = Source.WEB


def _work_run(call):
    """A work-ticket act whose service takes the version the person read."""
    return lambda request, ticket, data: call(
        actor=request.user,
        source=WEB,
        ticket_id=ticket.pk,
        version=required_version(request),
        data=data,
    )


def _work_button(call):
    return lambda request, ticket, data: call(
        actor=request.user, source=WEB, ticket_id=ticket.pk, version=required_version(request)
    )


def _permit_initial(request, ticket) -> dict:
    permitter = ticket.permitter_id or (
        request.user.pk if selectors.is_team_member(request.user, ticket.team_id) else None
    )
    return {
        "permitted_at": now(),
        "permitter": permitter,
        "dispatcher": ticket.order.dispatcher if ticket.order else "",
    }


def _check_initial(request, ticket) -> dict:
    mine = (
        "team_checker"
        if selectors.is_team_member(request.user, ticket.team_id)
        else "centre_checker"
    )
    return {"at": now(), "result": "ok", mine: request.user.pk}


WORK_ACTS = [
    Act(
        "measure",
        _("Safety measure done (已执行)"),
        Action.WORK_HOLD,
        _work_run(services.work_measure_done),
        flow="measure",
        form=forms.MeasureDoneForm,
        rule="WORK-2",
    ),
    Act(
        "permit",
        _("Record the work permit"),
        Action.WORK_HOLD,
        _work_run(services.work_permit),
        flow="permit",
        form=forms.PermitForm,
        initial=_permit_initial,
        style="btn-primary",
        rule="WORK-2",
    ),
    Act(
        "tag",
        _("Place the maintenance tag (检修牌)"),
        Action.WORK_TAG,
        _work_button(services.work_tag_place),
        flow="tag",
        style="btn-danger",
        rule="WORK-2",
        when=lambda request, t: not t.tags.all(),
    ),
    Act(
        "check",
        _("Record four-remote checks (四遥验收)"),
        Action.WORK_CHECK,
        lambda request, ticket, data: services.work_remote_check(
            actor=request.user, source=WEB, ticket_id=ticket.pk, data=data
        ),
        flow="check",
        form=forms.RemoteCheckForm,
        initial=_check_initial,
        style="btn-primary",
        rule="WORK-4",
    ),
    Act(
        "interrupt",
        _("Interrupt the work (间断)"),
        Action.WORK_HOLD,
        _work_run(services.work_interrupt),
        flow="interrupt",
        form=forms.WorkInterruptForm,
        initial=lambda request, ticket: {"at": now()},
        rule="WORK-7",
    ),
    Act(
        "resume",
        _("Resume the work"),
        Action.WORK_HOLD,
        _work_run(services.work_resume),
        flow="resume",
        form=forms.WorkResumeForm,
        initial=lambda request, ticket: {"at": now()},
        style="btn-primary",
        rule="WORK-7",
    ),
    Act(
        "extend",
        _("Extend (延期)"),
        Action.WORK_HOLD,
        _work_run(services.work_extend),
        flow="extend",
        form=forms.ExtendForm,
        rule="WORK-7",
        when=lambda request, t: t.extended_to is None,
    ),
    Act(
        "work_end",
        _("Work end (工作终结)"),
        Action.WORK_HOLD,
        _work_run(services.work_end),
        flow="work_end",
        form=forms.WorkEndForm,
        initial=lambda request, ticket: {"at": now()},
        style="btn-success",
        rule="WORK-4",
    ),
    Act(
        "untag",
        _("Remove the maintenance tag"),
        Action.WORK_TAG,
        _work_button(services.work_tag_remove),
        flow="untag",
        style="btn-danger",
        rule="WORK-4",
        when=lambda request, t: any(tag.removed_at is None for tag in t.tags.all()),
    ),
    Act(
        "final_check",
        _("Final check with the centre (操作汇报)"),
        Action.WORK_HOLD,
        _work_run(services.work_final_check),
        flow="final_check",
        form=forms.FinalCheckForm,
        initial=lambda request, ticket: {"at": now()},
        style="btn-primary",
        rule="WORK-5",
        when=lambda request, t: t.final_check_at is None,
    ),
    Act(
        "end",
        _("End the ticket (工作票终结)"),
        Action.WORK_HOLD,
        _work_run(services.work_ticket_end),
        flow="end",
        form=forms.WorkTicketEndForm,
        initial=lambda request, ticket: {"at": now()},
        style="btn-success",
        rule="WORK-5",
    ),
    Act(
        "void",
        _("Void (作废)"),
        Action.WORK_HOLD,
        _work_run(services.work_ticket_void),
        flow="void",
        form=forms.ReasonForm,
        style="btn-outline-danger",
    ),
]


def _limit_apply(request, change, data):
    return services.limit_change_apply(
        actor=request.user, source=WEB, limit_id=change.pk, version=required_version(request)
    )


LIMIT_ACTS = [
    Act(
        "apply",
        _("Set in the monitoring system"),
        Action.WORK_TAG,
        _limit_apply,
        style="btn-primary",
        rule="WORK-6",
        when=lambda request, change: change.applied_at is None,
    )
]

SHEET_ACTS = [
    Act(
        "receive",
        _("Record a copy received"),
        Action.WORK_RECORD,
        lambda request, sheet, data: services.setting_copy_receive(
            actor=request.user,
            source=WEB,
            sheet_id=sheet.pk,
            version=required_version(request),
            data=data,
        ),
        form=forms.CopyReceiptForm,
        initial=lambda request, sheet: {
            "holder": request.GET.get("holder", ""),
            "received_at": now(),
            "received_by": request.user.pk,
        },
        style="btn-primary",
        rule="WORK-6",
        when=lambda request, sheet: any(c.received_at is None for c in sheet.copies.all()),
    )
]

ACTS = {
    "work": {a.key: a for a in WORK_ACTS},
    "limits": {a.key: a for a in LIMIT_ACTS},
    "sheets": {a.key: a for a in SHEET_ACTS},
}
GETTERS = {
    "work": selectors.work_ticket_get,
    "limits": selectors.limit_change_get,
    "sheets": selectors.setting_sheet_get,
}
DETAIL_URLS = {
    "work": "work:work_detail",
    "limits": "work:limit_detail",
    "sheets": "work:sheet_detail",
}

# the acts of a work ticket shown in its buttons bar; the others sit next to what they change
_INLINE_ACTS = {"measure"}
WORK_STAGES = [
    WorkState.RECEIVED,
    WorkState.PERMITTED,
    WorkState.WORK_ENDED,
    WorkState.ENDED,
]


def work_board(request, centre) -> dict:
    """The ops home's work-ticket part: open tickets, tags in place, limits to set and setting
    sheets with a copy outstanding."""
    return {
        "work_tickets": selectors.open_work_tickets(user=request.user, centre=centre)[:50],
        "tags": selectors.active_tags(user=request.user, centre=centre)[:50],
        "limits_to_set": selectors.limits_to_set(user=request.user, centre=centre)[:20],
        "sheets_outstanding": selectors.sheets_outstanding(user=request.user, centre=centre)[:20],
        "can_receive_work": can(request.user, Action.WORK_HOLD, centre),
    }


@centre_page("ops")
def work_detail(request, centre, pk):
    """A work ticket as the standard form shows it, with its safety measures and their
    “done” column (WORK-2), the tags (WORK-3), interruptions and extension (WORK-7), the
    four-remote acceptance (WORK-4, ACC-1) and the final check (WORK-5)."""
    ticket = selectors.work_ticket_get(user=request.user, centre=centre, pk=pk)
    acts = offered(request, WORK_ACTS, ticket)
    state = ticket.state if ticket.state != WorkState.INTERRUPTED else WorkState.PERMITTED
    reached = WORK_STAGES.index(state) if state in WORK_STAGES else -1
    checks = list(ticket.remote_checks.all())
    return render(
        request,
        "work/work.html",
        {
            "ticket": ticket,
            "acts": [a for a in acts if a.key not in _INLINE_ACTS],
            "can_tick": any(a.key == "measure" for a in acts),
            "stages": [(s, i <= reached) for i, s in enumerate(WORK_STAGES)],
            "equipment": ticket.equipment.all(),
            "tags_on": selectors.tags_on(ticket.equipment.all()),
            "measures": ticket.measures.all(),
            "checks": checks,
            "four": selectors.acceptance(ticket),
            "remote_kinds": RemoteKind,
            "can_edit": ticket.state == WorkState.RECEIVED
            and can(request.user, Action.WORK_HOLD, centre),
            "limit_changes": ticket.limit_changes.select_related("equipment"),
            "events": timeline_of(user=request.user, centre=centre, objects=[ticket])[:100],
        },
    )


@centre_page("ops")
def act(request, centre, kind, pk, key):
    """The page of one act with a form (GET), or doing it (POST)."""
    return act_page(
        request,
        centre,
        found=ACTS.get(kind, {}).get(key),
        get=GETTERS[kind],
        pk=pk,
        detail_url=DETAIL_URLS[kind],
    )
