"""Complaints by 五清楚一报告 (CS-4, CS-5): the facts heard and asked at the intake, the report
at once (一报告: a major complaint to the department head, a product-quality one to the QC
manager, the CS manager and the general office), the visit after bodily harm, and the replies
to the customer until the complaint may close. An unsolved complaint carries the next reply
time promised to the customer as a deadline "答复客户 (CS-4)" that warns and escalates."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live
from zhiban.core.actors import SCHEDULER
from zhiban.core.errors import Forbidden, Refused
from zhiban.core.models import Deadline, DeadlineState, Level
from zhiban.core.notify import Message, mail, notify, people_with_roles
from zhiban.core.permissions import Action, Role
from zhiban.core.scoping import require
from zhiban.core.services import (
    content_type_of,
    deadline_meet,
    deadline_set,
    locked,
    save_change,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write

from ..forms.complaints import ComplaintForm, ComplaintReplyForm
from ..models import (
    Case,
    CaseState,
    Category,
    Complaint,
    ComplaintKind,
    Department,
    DepartmentFunction,
    FollowUpKind,
)
from ..selectors.cases import may_work
from ..selectors.complaints import REPLY_DEADLINE
from .followups import follow_up_create

RULE = "CS-4"


def _link(complaint: Complaint) -> str:
    return f"/c/{complaint.case.centre.code}/service/complaints/{complaint.pk}/"


# --- 听清楚 / 问清楚 and 一报告 (CS-4, CS-5) --------------------------------------------------


@transaction.atomic
def complaint_open(*, actor, source, case, data: dict) -> Complaint:
    """The complaint part of a new complaint case, in the intake's transaction: the facts its
    kind needs (CS-5, 422 per field), the report at once (CS-4, CS-5), the visit after bodily
    harm with its deadline (CS-5), the audit and the duty log. Anything refused writes nothing."""
    centre = case.centre
    require(actor, Action.SERVICE_INTAKE, centre)
    form = validated(ComplaintForm, data, centre=centre)
    complaint = form.save(commit=False)
    complaint.case = case
    complaint.save()
    audit.record(
        actor=actor,
        source=source,
        verb="complaint.open",
        obj=complaint,
        after=audit.snapshot(complaint),
        centre=centre,
    )
    told = _report(actor=actor, source=source, complaint=complaint)
    if complaint.bodily_harm:
        follow_up_create(actor=actor, source=source, case=case, kind=FollowUpKind.INJURY_VISIT)
    log_write(
        actor=actor,
        source=source,
        centre=centre,
        category=LogCategory.PHONE,
        regarding=complaint,
        verb="complaint.open",
        params={
            "number": case.number,
            "customer": case.customer,
            "kind": complaint.kind,
            "object": complaint.complained_of,
            "reason": complaint.reason[:200],
        },
    )
    if told:
        log_write(
            actor=actor,
            source=source,
            centre=centre,
            category=LogCategory.PHONE,
            regarding=complaint,
            verb="complaint.report",
            params={"number": case.number, "people": told},
        )
    live.refresh_on_commit(centre, "service")
    return complaint


def _departments(centre, function: str) -> list[Department]:
    return list(
        Department.objects.filter(centre=centre, function=function, active=True).select_related(
            "head"
        )
    )


def _report(*, actor, source, complaint: Complaint) -> list[str]:
    """一报告 (CS-4, CS-5), in the intake's transaction (sent after commit): a major
    complaint to the department heads at once; a product-quality one to the QC manager (the
    head of the quality department, and its e-mail), the CS manager (the supervisors) and the
    general office (its head and e-mail). A department not set up is no error: the
    supervisors are told so. Returns the names of those told."""
    case = complaint.case
    centre = case.centre
    supervisors = people_with_roles(centre, {Role.CS_SUPERVISOR})
    params = {
        "number": case.number,
        "object": complaint.complained_of,
        "customer": case.customer,
        "reason": complaint.reason[:300],
        "kind": complaint.get_kind_display(),
    }
    body = Message(gettext_lazy("%(customer)s — %(kind)s: %(reason)s"), params)
    told: dict[int, str] = {}
    mailed: list[str] = []
    missing: list[str] = []
    if complaint.major:
        heads = people_with_roles(centre, {Role.DEPARTMENT_HEAD})
        if heads:
            notify(
                actor=actor,
                source=source,
                people=heads,
                centre=centre,
                title=Message(
                    gettext_lazy("Major complaint %(number)s: %(object)s (CS-4)"), params
                ),
                body=body,
                link=_link(complaint),
                level=Level.URGENT,
                regarding=complaint,
            )
            told |= {p.pk: p.name for p in heads}
        else:
            missing.append("department_head")
    if complaint.kind == ComplaintKind.PRODUCT:
        people = list(supervisors)
        for function in (DepartmentFunction.QUALITY, DepartmentFunction.GENERAL_OFFICE):
            departments = _departments(centre, function)
            if not departments:
                missing.append(function)
            people += [d.head for d in departments if d.head_id]
            mailed += [d.email for d in departments if d.email]
        title = Message(
            gettext_lazy("Product-quality complaint %(number)s: %(object)s (CS-5)"), params
        )
        facts = Message(
            gettext_lazy(
                "%(customer)s — %(reason)s. Symptom: %(symptom)s; bought at %(where)s "
                "(%(how)s); batch %(batch)s, produced %(made)s."
            ),
            params
            | {
                "symptom": complaint.symptom,
                "where": complaint.bought_where,
                "how": complaint.bought_how,
                "batch": complaint.batch_number,
                "made": complaint.production_date,
            },
        )
        if people:
            notify(
                actor=actor,
                source=source,
                people=people,
                centre=centre,
                title=title,
                body=facts,
                link=_link(complaint),
                level=Level.URGENT if complaint.major else Level.WARNING,
                regarding=complaint,
            )
            told |= {p.pk: p.name for p in people}
        personal = {p.email for p in people if p.email}
        mailed = sorted({a for a in mailed if a not in personal})
        mail(centre=centre, addresses=mailed, title=title, body=facts)
    if missing:
        _tell_missing(actor=actor, source=source, complaint=complaint, missing=missing)
    if told or mailed or missing:
        audit.record(
            actor=actor,
            source=source,
            verb="complaint.report",
            obj=complaint,
            centre=centre,
            after={"told": sorted(told.values()), "mailed": mailed, "not_set_up": missing},
        )
    return sorted(told.values()) + mailed


MISSING = {
    "department_head": gettext_lazy("no department head"),
    DepartmentFunction.QUALITY: gettext_lazy("no quality-control department (质检)"),
    DepartmentFunction.GENERAL_OFFICE: gettext_lazy("no general office (总经办)"),
}


def _tell_missing(*, actor, source, complaint: Complaint, missing: list[str]) -> None:
    """The report could not reach everyone: the supervisors hear whom to tell themselves."""
    centre = complaint.case.centre
    supervisors = people_with_roles(centre, {Role.CS_SUPERVISOR, Role.CS_GROUP_LEAD})
    if not supervisors:
        supervisors = people_with_roles(centre, {Role.ADMIN})
    notify(
        actor=actor,
        source=source,
        people=supervisors,
        centre=centre,
        title=Message(
            gettext_lazy("Complaint %(number)s could not be reported to everyone (CS-5)"),
            {"number": complaint.case.number},
        ),
        body=Message(
            gettext_lazy("Not set up in this centre: %(missing)s. Tell them yourself."),
            {"missing": _Listed([MISSING[m] for m in missing])},
        ),
        link=_link(complaint),
        level=Level.WARNING,
        regarding=complaint,
    )


class _Listed:
    """Names read in the language ``Message.render`` is in (甲、乙)."""

    def __init__(self, names):
        self.names = names

    def __str__(self) -> str:
        return "、".join(str(n) for n in self.names)


# --- 答复清楚 / 记录清楚 and closing (CS-4) ----------------------------------------------------


def _may_work(actor, case: Case) -> None:
    """CS-6: whoever receives a case owns it to the end; its owner, a group lead or a
    supervisor replies to its complaint."""
    require(actor, Action.SERVICE_INTAKE, case.centre)
    if may_work(actor, case):
        return
    raise Forbidden(
        _(
            "Case %(number)s is %(owner)s's: only its owner, a group lead or a supervisor "
            "replies to its complaint (CS-6)."
        )
        % {"number": case.number, "owner": case.owner or "—"},
        rule="CS-6",
    )


def _reply_deadlines(complaint: Complaint):
    """The promised replies still open or breached (a later reply meets them)."""
    return Deadline.objects.filter(
        content_type=content_type_of(complaint),
        object_id=str(complaint.pk),
        name=REPLY_DEADLINE,
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    )


@transaction.atomic
def complaint_reply(*, actor, source, case_id, version: int, data) -> Complaint:
    """答复清楚 / 记录清楚 (CS-4): the reply given to the customer and the handling record;
    solved, unjustified (无理投诉, answered politely and recorded as such), or unsolved with the
    next reply time promised (ahead, in the centre's window), which becomes the deadline
    "答复客户 (CS-4)" of the case's owner. A reply meets the promised one before it."""
    complaint_id = (
        Complaint.objects.filter(case_id=case_id).values_list("pk", flat=True).first()
        if isinstance(case_id, int)
        else None
    )
    complaint = locked(
        Complaint.objects.select_related("case", "case__centre", "case__owner"),
        complaint_id,
        version,
    )
    case = complaint.case
    centre = case.centre
    _may_work(actor, case)
    if case.state == CaseState.CLOSED:
        raise Refused(
            _("The case is closed; its complaint takes no more replies (%(rule)s).")
            % {"rule": RULE},
            code="closed",
            rule=RULE,
        )
    form = validated(ComplaintReplyForm, data, centre=centre)
    answer = form.cleaned_data
    before = audit.snapshot(complaint)
    complaint.reply = answer["reply"].strip()
    complaint.handling = answer["handling"].strip()
    complaint.solved = answer["solved"]
    complaint.unjustified = answer["unjustified"]
    complaint.next_reply_at = answer["next_reply_at"]
    complaint.replied_at = timezone.now()
    save_change(
        complaint, actor=actor, source=source, verb="complaint.reply", before=before, centre=centre
    )
    for deadline in _reply_deadlines(complaint):
        deadline_meet(
            actor=SCHEDULER, source=source, deadline_id=deadline.pk, version=deadline.version
        )
    if complaint.next_reply_at is not None:
        deadline_set(
            actor=SCHEDULER,
            source=source,
            centre=centre,
            target=complaint,
            data={
                "name": REPLY_DEADLINE,
                "due_at": complaint.next_reply_at,
                "assignee": case.owner_id or "",
            },
            reason=RULE,
        )
    _log_reply(actor=actor, source=source, complaint=complaint)
    live.refresh_on_commit(centre, "service")
    return complaint


def _log_reply(*, actor, source, complaint: Complaint) -> None:
    case = complaint.case
    params: dict[str, object] = {"number": case.number, "reply": complaint.reply[:200]}
    if complaint.unjustified:
        verb, category = "complaint.reply_unjustified", LogCategory.PHONE
    elif complaint.solved:
        verb, category = "complaint.reply_solved", LogCategory.PHONE
    else:
        verb, category = "complaint.reply_pending", LogCategory.OTHER  # for the next shift
        params["next"] = timezone.localtime(complaint.next_reply_at, case.centre.tz)
    log_write(
        actor=actor,
        source=source,
        centre=case.centre,
        category=category,
        regarding=complaint,
        verb=verb,
        params=params,
    )


def complaint_closable(case) -> None:
    """CS-4: a complaint closes only with the reply given to the customer and the handling
    record, and solved or recorded as unjustified; otherwise Refused naming what is missing.
    Runs in the closing transaction (the complaint row is locked against a reply meanwhile)."""
    complaint = Complaint.objects.select_for_update().filter(case=case).first()
    if complaint is None:
        if case.category != Category.COMPLAINT:
            return
        missing = [_("the complaint's facts")]
    else:
        missing = []
        if not complaint.reply.strip():
            missing.append(_("the reply to the customer (答复)"))
        if not complaint.handling.strip():
            missing.append(_("the handling record (处理记录)"))
        if not (complaint.solved or complaint.unjustified):
            missing.append(_("solved, or recorded as unjustified (未解决)"))
    if missing:
        raise Refused(
            _("The complaint cannot close yet: %(missing)s is missing (%(rule)s).")
            % {"missing": "、".join(str(m) for m in missing), "rule": RULE},
            code="complaint_open",
            rule=RULE,
        )
