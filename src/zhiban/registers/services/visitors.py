"""The visitor register (访客登记, REG-1): a visitor is written down, a named department leader
approves or refuses, and only then does the visitor enter the monitoring room; leaving is
recorded after arriving. An arrival before the approval, or a leaving before the arrival, is
refused naming REG-1 and writes nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.errors import Refused
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import locked, save_change
from zhiban.core.timewindow import shown

from ..forms.visitors import VisitorForm
from ..models import Visitor, VisitorState
from .common import PANEL, decide, entry_create, moment

RULE = "REG-1"


@transaction.atomic
def visitor_create(*, actor, source, centre, data) -> Visitor:
    """A visitor written down: name, organisation, reason, escort; awaiting approval."""
    return entry_create(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=VisitorForm,
        verb="visitor.create",
    )


def visitor_decide(*, actor, source, pk, version: int, approve: bool, data) -> Visitor:
    return decide(
        actor=actor,
        source=source,
        model=Visitor,
        pk=pk,
        version=version,
        approve=approve,
        data=data,
        verb="visitor",
    )


@transaction.atomic
def visitor_arrive(*, actor, source, visitor_id, version: int, data) -> Visitor:
    """The visitor enters the monitoring room — only once approved (REG-1)."""
    visitor = locked(Visitor.objects.select_related("centre"), visitor_id, version)
    require(actor, Action.REGISTER_KEEP, visitor.centre)
    at = moment(visitor.centre, data)
    if visitor.state == VisitorState.PENDING:
        raise Refused(
            _(
                "%(name)s may enter the monitoring room only after a department leader approved (%(rule)s)."
            )
            % {"name": visitor.name, "rule": RULE},
            code="not_approved",
            rule=RULE,
        )
    state = Visitor.FLOW.next_state(visitor.state, "arrive")
    if visitor.decided_at and at < visitor.decided_at:
        raise Refused(
            _("The arrival (%(at)s) is before the approval (%(approved)s) (%(rule)s).")
            % {
                "at": shown(at, visitor.centre.tz),
                "approved": shown(visitor.decided_at, visitor.centre.tz),
                "rule": RULE,
            },
            code="before_approval",
            rule=RULE,
        )
    return _move(visitor, state=state, field="arrived_at", at=at, actor=actor, source=source)


@transaction.atomic
def visitor_leave(*, actor, source, visitor_id, version: int, data) -> Visitor:
    """The visitor leaves — only after arriving, and not before the arrival time (REG-1)."""
    visitor = locked(Visitor.objects.select_related("centre"), visitor_id, version)
    require(actor, Action.REGISTER_KEEP, visitor.centre)
    at = moment(visitor.centre, data)
    if visitor.state in (VisitorState.PENDING, VisitorState.APPROVED):
        raise Refused(
            _("%(name)s has not arrived: a visitor leaves only after arriving (%(rule)s).")
            % {"name": visitor.name, "rule": RULE},
            code="not_arrived",
            rule=RULE,
        )
    state = Visitor.FLOW.next_state(visitor.state, "leave")
    if visitor.arrived_at and at < visitor.arrived_at:
        raise Refused(
            _("Leaving (%(at)s) before arriving (%(arrived)s) (%(rule)s).")
            % {
                "at": shown(at, visitor.centre.tz),
                "arrived": shown(visitor.arrived_at, visitor.centre.tz),
                "rule": RULE,
            },
            code="left_before_arriving",
            rule=RULE,
        )
    return _move(visitor, state=state, field="left_at", at=at, actor=actor, source=source)


def _move(visitor: Visitor, *, state, field: str, at, actor, source) -> Visitor:
    before = audit.snapshot(visitor)
    visitor.state = state
    setattr(visitor, field, at)
    verb = "visitor.arrive" if field == "arrived_at" else "visitor.leave"
    save_change(visitor, actor=actor, source=source, verb=verb, before=before)
    live.refresh_on_commit(visitor.centre, PANEL)
    return visitor
