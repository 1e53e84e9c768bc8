"""Follow-up tasks a case leaves behind (CS-3 apology call, CS-5 visit after bodily harm),
each with a foundation deadline that warns and escalates, and their completion."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core import audit, live
from zhiban.core.actors import SCHEDULER
from zhiban.core.errors import InvalidInput, Refused
from zhiban.core.models import Deadline, DeadlineState
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import content_type_of, deadline_meet, deadline_set, locked, save_change
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from ..models import FollowUp, FollowUpKind

# Deadline names, as the deadline pages show them (the centre's language, like OPS-11's).
DEADLINE_NAMES: dict[str, str] = {
    FollowUpKind.APOLOGY_CALL: "致歉电话 (CS-3)",
    FollowUpKind.INJURY_VISIT: "人身伤害上门探访 (CS-5)",
}
RULES: dict[str, str] = {FollowUpKind.APOLOGY_CALL: "CS-3", FollowUpKind.INJURY_VISIT: "CS-5"}
HOURS_SETTING: dict[str, str] = {
    FollowUpKind.APOLOGY_CALL: "service.apology_call_hours",
    FollowUpKind.INJURY_VISIT: "service.injury_visit_hours",
}


def follow_up_create(*, actor, source, case, kind: str) -> FollowUp:
    """A follow-up of the case, due within its setting's hours, owned by the case's owner;
    its deadline warns and escalates (CS-3, CS-5). Runs inside the caller's transaction."""
    centre = case.centre
    due = timezone.now() + timedelta(hours=centre.setting(HOURS_SETTING[kind]))
    follow_up = FollowUp.objects.create(
        centre=centre, kind=kind, case=case, due_at=due, owner=case.owner
    )
    audit.record(
        actor=actor,
        source=source,
        verb="follow_up.create",
        obj=follow_up,
        after=audit.snapshot(follow_up),
    )
    deadline_set(
        actor=SCHEDULER,
        source=source,
        centre=centre,
        target=follow_up,
        data={"name": DEADLINE_NAMES[kind], "due_at": due, "assignee": case.owner_id or ""},
        reason=kind,
    )
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.OTHER,  # an open task for whoever is on duty next
        regarding=follow_up,
        verb="follow_up.create",
        params={"number": case.number, "kind": kind, "due": timezone.localtime(due, centre.tz)},
    )
    live.refresh_on_commit(centre, "service")
    return follow_up


@transaction.atomic
def follow_up_done(*, actor, source, follow_up_id, version: int, result: str) -> FollowUp:
    """The apology call was made or the visit paid: what came of it, and its deadline met."""
    follow_up = locked(FollowUp.objects.select_related("centre", "case"), follow_up_id, version)
    require(actor, Action.SERVICE_INTAKE, follow_up.centre)
    rule = RULES[follow_up.kind]
    if follow_up.done_at is not None:
        raise Refused(_("This follow-up is done already."), code="done_already", rule=rule)
    if not (result or "").strip():
        message = _("Say what came of it (%(rule)s).") % {"rule": rule}
        raise InvalidInput(fields={"result": [message]}, rule=rule)
    before = audit.snapshot(follow_up)
    follow_up.done_at, follow_up.done_by, follow_up.result = timezone.now(), actor, result
    save_change(follow_up, actor=actor, source=source, verb="follow_up.done", before=before)
    for deadline in Deadline.objects.filter(
        content_type=content_type_of(follow_up),
        object_id=str(follow_up.pk),
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    ):
        deadline_meet(
            actor=SCHEDULER, source=source, deadline_id=deadline.pk, version=deadline.version
        )
    log_write(
        actor=actor,
        source=source,
        centre=follow_up.centre,
        category=LogCategory.PHONE,
        regarding=follow_up,
        verb="follow_up.done",
        params={"number": follow_up.case.number, "kind": follow_up.kind, "result": result[:200]},
    )
    live.refresh_on_commit(follow_up.centre, "service")
    return follow_up
