"""Contacts and cases (CS-1, CS-2, CS-6): the intake records a contact — the customer found
or created, a case opened or added to, a complaint's or an order's part — in one transaction;
whoever receives a case owns it to the end, a case nobody owns (a web lead) waits in the
morning queue on a first-response clock until an agent takes it; a transfer is an explicit,
logged hand-over with a reason; consultations are answered and closed, service requests go to
a department whose result must come back before the case closes."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhiban.core import audit, live
from zhiban.core.actors import SCHEDULER, is_system
from zhiban.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    MissingVersion,
    NotFound,
    Refused,
)
from zhiban.core.models import Deadline, DeadlineState
from zhiban.core.notify import Message, mail, notify
from zhiban.core.numbering import format_number, next_number
from zhiban.core.permissions import Action
from zhiban.core.scoping import can, require
from zhiban.core.services import (
    ANY_VERSION,
    content_type_of,
    create_in_centre,
    deadline_meet,
    deadline_set,
    locked,
    save_change,
    update_in_centre,
    validated,
)
from zhiban.duty.models import LogCategory
from zhiban.duty.services import log_write
from zhiban.org.models import Person

from ..forms.cases import (
    AnswerForm,
    DepartmentForm,
    IntakeForm,
    ResultForm,
    RouteForm,
    TransferForm,
)
from ..models import (
    OPEN_CASE_STATES,
    Case,
    CaseState,
    Category,
    Channel,
    Contact,
    CustomerType,
    Department,
)
from ..selectors.cases import may_report_result, may_work
from ..selectors.customers import customer_by_phone
from . import calls, complaints, orders
from .customers import customer_add

FIRST_RESPONSE = "首次响应 (CS-6)"  # the deadline's name, as the deadline pages show it
CUSTOMER_FIELDS = ("name", "address", "region", "customer_type", "is_member")


def case_number(centre, at: datetime) -> str:
    """Gap-free per centre and year: KF-2026-00001 (客服)."""
    year = timezone.localtime(at, centre.tz).year
    return format_number("KF", year, next_number(centre, "service_case", year), 5)


def _person(actor):
    return None if is_system(actor) else actor


def _subject(content: str) -> str:
    return (content.strip().splitlines() or [""])[0][:200]


def _log(*, actor, source, case: Case, verb: str, at=None, **params) -> None:
    log_write(
        actor=actor,
        source=source,
        centre=case.centre,
        category=LogCategory.PHONE,
        at=at,
        regarding=case,
        verb=verb,
        params={"number": case.number, **params},
    )


def _link(case: Case) -> str:
    return f"/c/{case.centre.code}/service/cases/{case.pk}/"


def _may_intake(actor, centre, channel: str) -> None:
    """Agents record contacts (CS-1); the web's gateway account posts web leads (CS-6)."""
    if channel == Channel.WEB and can(actor, Action.CALL_INGEST, centre):
        return
    require(actor, Action.SERVICE_INTAKE, centre)


def _receives(actor, centre, channel: str) -> bool:
    """CS-6: an agent answering a call, a visit or a chat owns the case and has responded at
    once; a web lead, or a contact posted by a system, waits for an owner."""
    return (
        channel != Channel.WEB
        and _person(actor) is not None
        and can(actor, Action.SERVICE_INTAKE, centre)
    )


def _meet_first_response(case: Case, *, at: datetime, source) -> None:
    """The first response given (CS-6): recorded on the case, its clock met (late if past)."""
    if case.first_response_at is None:
        case.first_response_at = at
    for deadline in Deadline.objects.filter(
        content_type=content_type_of(case),
        object_id=str(case.pk),
        name=FIRST_RESPONSE,
        state__in=[DeadlineState.OPEN, DeadlineState.BREACHED],
    ):
        deadline_meet(
            actor=SCHEDULER, source=source, deadline_id=deadline.pk, version=deadline.version
        )


def _nested(part: str, call):
    """Run the complaint's or the order's part; its per-field refusals name ``part.field``."""
    try:
        return call()
    except InvalidInput as error:
        error.fields = {f"{part}.{name}": messages for name, messages in error.fields.items()}
        raise


# --- the intake (CS-1, CS-6) --------------------------------------------------------------------


def _customer(*, actor, source, centre, data: dict):
    """The customer with the number, or a new one from the intake's fields (CS-1)."""
    found = customer_by_phone(centre=centre, phone=data["phone"])
    if found is not None:
        return found
    fields = {name: data.get(name) for name in CUSTOMER_FIELDS}
    fields["phone"] = data["phone"]
    fields["customer_type"] = fields["customer_type"] or CustomerType.RETAIL
    try:
        with transaction.atomic():
            return customer_add(actor=actor, source=source, centre=centre, data=fields)
    except IntegrityError:  # another agent added the same number a moment ago
        found = customer_by_phone(centre=centre, phone=data["phone"])
        if found is None:
            raise
        return found


def _open_case(*, actor, source, centre, customer, data: dict, at: datetime) -> Case:
    receives = _receives(actor, centre, data["channel"])
    due = (
        None
        if receives
        else at + timedelta(minutes=centre.setting("service.first_response_minutes"))
    )
    case = Case.objects.create(
        centre=centre,
        number=case_number(centre, at),
        customer=customer,
        channel=data["channel"],
        category=data["category"],
        subject=_subject(data["content"]),
        opened_at=at,
        owner=actor if receives else None,
        state=Case.FLOW.initial,
        first_response_at=at if receives else None,
        first_response_due=due,
        is_lead=bool(data.get("is_lead")),
    )
    audit.record(actor=actor, source=source, verb="case.open", obj=case, after=audit.snapshot(case))
    if due is not None:
        deadline_set(
            actor=SCHEDULER,
            source=source,
            centre=centre,
            target=case,
            data={"name": FIRST_RESPONSE, "due_at": due, "assignee": ""},
            reason="CS-6",
        )
    _log(
        actor=actor,
        source=source,
        case=case,
        verb="case.open",
        at=at,
        category=case.category,
        channel=case.channel,
        customer=customer.name,
        subject=case.subject,
    )
    return case


def _add_to_case(*, actor, source, centre, case_id: int, data: dict, at: datetime) -> Case:
    """A further contact on an open case of the customer (CS-1); an agent answering a case
    nobody owns yet takes it and has responded (CS-6)."""
    try:
        case = locked(
            Case.objects.filter(centre=centre).select_related("customer"), case_id, ANY_VERSION
        )
    except DomainError:
        case = None
    if case is None or case.state not in OPEN_CASE_STATES:
        message = _("Choose an open case of this customer (CS-1).")
        raise InvalidInput(fields={"case": [message]}, rule="CS-1")
    if data["phone"] and data["phone"] != case.customer.phone:
        message = _("Case %(number)s is %(name)s's, not this number's (CS-1).") % {
            "number": case.number,
            "name": case.customer.name,
        }
        raise InvalidInput(fields={"case": [message]}, rule="CS-1")
    before = audit.snapshot(case)
    case.state = Case.FLOW.next_state(case.state, "add_contact")
    if case.owner_id is None and _receives(actor, centre, data["channel"]):
        case.owner = actor
        _meet_first_response(case, at=at, source=source)
        save_change(case, actor=actor, source=source, verb="case.add_contact", before=before)
    _log(
        actor=actor,
        source=source,
        case=case,
        verb="case.contact",
        at=at,
        channel=data["channel"],
        customer=case.customer.name,
        subject=_subject(data["content"]),
    )
    return case


def _link_call(*, actor, source, call_id: int, case: Case) -> None:
    """The hotline call the contact was taken on belongs to the case (CS-1); it leaves the
    morning queue if it was missed (CS-6)."""
    try:
        calls.call_link_case(actor=actor, source=source, call_id=call_id, case=case)
    except NotFound:
        message = _("No call %(id)s of this centre (CS-1).") % {"id": call_id}
        raise InvalidInput(fields={"call": [message]}, rule="CS-1") from None


@transaction.atomic
def contact_record(*, actor, source, centre, data, complaint=None, order=None) -> Contact:
    """CS-1: one call, visit or online message, in one transaction: the customer found by
    the number or created, the contact added to an open case (``case``) or a new case
    opened (KF-2026-00001, owned by the agent who answered; a web lead waits in the queue on
    the first-response clock, CS-6), then a complaint's part (CS-4, CS-5) or an order's (CS-3).
    Anything refused leaves nothing written."""
    _may_intake(actor, centre, str(data.get("channel", "")))
    form = validated(IntakeForm, data, centre=centre)
    entry = form.cleaned_data
    at = entry["at"] or timezone.now()
    if entry["case"]:
        case = _add_to_case(
            actor=actor, source=source, centre=centre, case_id=entry["case"], data=entry, at=at
        )
        customer = case.customer
    else:
        customer = _customer(actor=actor, source=source, centre=centre, data=entry)
        case = _open_case(
            actor=actor, source=source, centre=centre, customer=customer, data=entry, at=at
        )
        if case.category == Category.COMPLAINT:
            _nested(
                "complaint",
                lambda: complaints.complaint_open(
                    actor=actor, source=source, case=case, data=complaint or {}
                ),
            )
    if entry["category"] == Category.ORDER and (order is not None or not entry["case"]):
        _nested(
            "order",
            lambda: orders.order_take(actor=actor, source=source, case=case, data=order or {}),
        )
    if entry["call"]:
        _link_call(actor=actor, source=source, call_id=entry["call"], case=case)
    contact = Contact.objects.create(
        centre=centre,
        customer=customer,
        case=case,
        at=at,
        channel=entry["channel"],
        category=entry["category"],
        content=entry["content"],
        received_by=_person(actor),
    )
    audit.record(
        actor=actor,
        source=source,
        verb="contact.record",
        obj=contact,
        after=audit.snapshot(contact),
    )
    live.refresh_on_commit(centre, "service")
    return contact


# --- ownership (CS-6) ------------------------------------------------------------------------------


def _require_worker(actor, case: Case) -> None:
    """CS-6: only the owner, or a group lead or supervisor of the centre, works a case."""
    require(actor, Action.SERVICE_INTAKE, case.centre)
    if may_work(actor, case):
        return
    if case.owner_id is None:
        message = _("Take case %(number)s from the queue first (CS-6).") % {"number": case.number}
    else:
        message = _(
            "Case %(number)s is %(owner)s's: only its owner, a group lead or a supervisor "
            "works it (CS-6)."
        ) % {"number": case.number, "owner": case.owner}
    raise Forbidden(message, rule="CS-6")


def _case(case_id, version) -> Case:
    return locked(
        Case.objects.select_related("centre", "owner", "customer", "department"), case_id, version
    )


@transaction.atomic
def case_take(*, actor, source, case_id, version: int) -> Case:
    """CS-6: an agent takes a case nobody owns from the queue, and that is its first
    response. Of two agents taking it at once the second is told who has it (409)."""
    if version is None:
        raise MissingVersion()
    case = _case(case_id, ANY_VERSION)
    require(actor, Action.SERVICE_INTAKE, case.centre)
    if case.owner_id is not None:
        error = Refused(
            _("Already taken by %(name)s (CS-6).") % {"name": case.owner},
            code="taken",
            rule="CS-6",
        )
        error.extra = {"taken_by": str(case.owner)}  # type: ignore[attr-defined]
        raise error
    if case.version != version:
        raise Conflict()
    before = audit.snapshot(case)
    case.state = Case.FLOW.next_state(case.state, "take")
    case.owner = actor
    _meet_first_response(case, at=timezone.now(), source=source)
    save_change(case, actor=actor, source=source, verb="case.take", before=before)
    _log(actor=actor, source=source, case=case, verb="case.take", person=actor)
    live.refresh_on_commit(case.centre, "service")
    return case


@transaction.atomic
def case_respond(*, actor, source, case_id, version: int) -> Case:
    """CS-6: the first response given to a case that waits for it (a web lead answered);
    who responds to a case nobody owns takes it."""
    case = _case(case_id, version)
    if case.owner_id is None:
        require(actor, Action.SERVICE_INTAKE, case.centre)
    else:
        _require_worker(actor, case)
    if case.first_response_at is not None:
        raise Refused(
            _("Case %(number)s had its first response already (CS-6).") % {"number": case.number},
            code="responded",
            rule="CS-6",
        )
    before = audit.snapshot(case)
    case.state = Case.FLOW.next_state(case.state, "respond")
    if case.owner_id is None:
        case.owner = actor
    _meet_first_response(case, at=timezone.now(), source=source)
    save_change(case, actor=actor, source=source, verb="case.respond", before=before)
    live.refresh_on_commit(case.centre, "service")
    return case


@transaction.atomic
def case_transfer(*, actor, source, case_id, version: int, data) -> Case:
    """CS-6: the case handed over to another agent of the centre, with its reason — logged in
    the audit and the duty log; the new owner is told."""
    case = _case(case_id, version)
    _require_worker(actor, case)
    form = validated(TransferForm, data, centre=case.centre)
    to, reason = form.cleaned_data["to_person"], form.cleaned_data["reason"]
    if to.pk == case.owner_id:
        message = _("%(name)s owns this case already (CS-6).") % {"name": to}
        raise InvalidInput(fields={"to_person": [message]}, rule="CS-6")
    before = audit.snapshot(case)
    previous = case.owner
    case.state = Case.FLOW.next_state(case.state, "transfer")
    case.owner = to
    save_change(
        case, actor=actor, source=source, verb="case.transfer", before=before, reason=reason
    )
    _log(
        actor=actor,
        source=source,
        case=case,
        verb="case.transfer",
        reason=reason,
        **{"from": previous or "—", "to": to},
    )
    notify(
        actor=actor,
        source=source,
        people=[to],
        centre=case.centre,
        title=Message(
            gettext_lazy("Case %(number)s is now yours: %(subject)s"),
            {"number": case.number, "subject": case.subject},
        ),
        body=Message(
            gettext_lazy("Handed over by %(who)s: %(reason)s"), {"who": actor, "reason": reason}
        ),
        link=_link(case),
        regarding=case,
    )
    live.refresh_on_commit(case.centre, "service")
    return case


# --- departments' part (CS-2) ------------------------------------------------------------------


def _tell_department(*, actor, source, case: Case, department: Department) -> list[str]:
    """The department's head and its team's people are told of the case (in-app and their
    e-mail); an outside department with an address is e-mailed."""
    people = [department.head] if department.head else []
    if department.team_id:
        people += list(
            Person.objects.filter(
                is_active=True, memberships__team_id=department.team_id, memberships__active=True
            ).distinct()
        )
    title = Message(
        gettext_lazy("Case %(number)s for %(department)s: %(note)s"),
        {"number": case.number, "department": department.name, "note": case.route_note},
    )
    body = Message(
        gettext_lazy("%(customer)s, %(phone)s, %(address)s — %(subject)s"),
        {
            "customer": case.customer.name,
            "phone": case.customer.phone,
            "address": case.customer.address or "—",
            "subject": case.subject,
        },
    )
    told = [str(p) for p in people]
    if people:
        notify(
            actor=actor,
            source=source,
            people=people,
            centre=case.centre,
            title=title,
            body=body,
            link=_link(case),
            regarding=case,
        )
    told += mail(centre=case.centre, addresses=[department.email], title=title, body=body)
    return told


@transaction.atomic
def case_route(*, actor, source, case_id, version: int, data) -> Case:
    """CS-2: a service request sent to a department — a team of the centre or a named outside
    department — with what it is asked; it is told at once and its result must come back
    before the case closes."""
    case = _case(case_id, version)
    _require_worker(actor, case)
    form = validated(RouteForm, data, centre=case.centre)
    before = audit.snapshot(case)
    case.state = Case.FLOW.next_state(case.state, "route")
    department = form.cleaned_data["department"]
    case.department = department
    case.route_note = form.cleaned_data["note"]
    case.routed_at = timezone.now()
    case.result, case.result_at = "", None
    told = _tell_department(actor=actor, source=source, case=case, department=department)
    save_change(
        case, actor=actor, source=source, verb="case.route", before=before, noted={"told": told}
    )
    _log(
        actor=actor,
        source=source,
        case=case,
        verb="case.route",
        department=department.name,
        note=case.route_note,
    )
    live.refresh_on_commit(case.centre, "service")
    return case


@transaction.atomic
def case_report_result(*, actor, source, case_id, version: int, data) -> Case:
    """CS-2: the department's result, reported back by its people (a team of the centre) or
    recorded by the agent as it came back (an outside department); the owner is told."""
    case = _case(case_id, version)
    require(actor, Action.SERVICE_RESULT, case.centre)
    department = case.department
    if case.state != CaseState.ROUTED or department is None:
        Case.FLOW.next_state(case.state, "report_result")  # refused naming the state (CS-2)
        raise Refused(code="transition_refused", rule="CS-2")  # routed without a department
    if not may_report_result(actor, case):
        message = _("Only %(department)s's people report its result on case %(number)s (CS-2).")
        raise Forbidden(message % {"department": department, "number": case.number}, rule="CS-2")
    form = validated(ResultForm, data)
    before = audit.snapshot(case)
    case.state = Case.FLOW.next_state(case.state, "report_result")
    case.result, case.result_at = form.cleaned_data["result"], timezone.now()
    save_change(case, actor=actor, source=source, verb="case.result", before=before)
    _log(
        actor=actor,
        source=source,
        case=case,
        verb="case.result",
        department=department.name,
        result=case.result[:300],
    )
    if case.owner and case.owner_id != getattr(actor, "pk", None):
        notify(
            actor=actor,
            source=source,
            people=[case.owner],
            centre=case.centre,
            title=Message(
                gettext_lazy("%(department)s reported back on case %(number)s"),
                {"department": department.name, "number": case.number},
            ),
            body=case.result[:1000],
            link=_link(case),
            regarding=case,
        )
    live.refresh_on_commit(case.centre, "service")
    return case


# --- answer and close (CS-2, CS-4) -------------------------------------------------------------


def _close(*, actor, source, case_id, version: int, data, answer_required: bool) -> Case:
    case = _case(case_id, version)
    _require_worker(actor, case)
    if case.state == CaseState.ROUTED:
        raise Refused(
            _(
                "Case %(number)s waits for %(department)s's result: it closes once the "
                "result is back (CS-2)."
            )
            % {"number": case.number, "department": case.department},
            code="result_missing",
            rule="CS-2",
        )
    complaint = case.category == Category.COMPLAINT
    needs_answer = answer_required or not (complaint or case.answer)
    form = validated(AnswerForm, data, required=needs_answer)
    if complaint:
        complaints.complaint_closable(case)
    before = audit.snapshot(case)
    case.state = Case.FLOW.next_state(case.state, "close")
    case.answer = form.cleaned_data["answer"] or case.answer
    case.closed_at, case.closed_by = timezone.now(), actor
    if case.first_response_at is None:
        _meet_first_response(case, at=case.closed_at, source=source)
    save_change(case, actor=actor, source=source, verb="case.close", before=before)
    _log(actor=actor, source=source, case=case, verb="case.close", answer=case.answer[:300] or "—")
    live.refresh_on_commit(case.centre, "service")
    return case


@transaction.atomic
def case_answer(*, actor, source, case_id, version: int, data) -> Case:
    """CS-2: a consultation or a suggestion answered — the answer recorded — and closed."""
    return _close(
        actor=actor,
        source=source,
        case_id=case_id,
        version=version,
        data=data,
        answer_required=True,
    )


@transaction.atomic
def case_close(*, actor, source, case_id, version: int, data) -> Case:
    """Close a case: refused while a department's result is missing (CS-2) and, for a
    complaint, until its reply and handling record are in (CS-4); a case without an answer
    needs one (CS-2)."""
    return _close(
        actor=actor,
        source=source,
        case_id=case_id,
        version=version,
        data=data,
        answer_required=False,
    )


# --- departments (CS-2) ------------------------------------------------------------------------


@transaction.atomic
def department_create(*, actor, source, centre, data) -> Department:
    return create_in_centre(
        actor=actor,
        source=source,
        centre=centre,
        data=data,
        form_class=DepartmentForm,
        action=Action.SERVICE_CONFIGURE,
        verb="department.create",
    )


@transaction.atomic
def department_update(*, actor, source, department_id, version: int, changes) -> Department:
    return update_in_centre(
        actor=actor,
        source=source,
        model=Department,
        pk=department_id,
        version=version,
        changes=changes,
        form_class=DepartmentForm,
        action=Action.SERVICE_CONFIGURE,
        verb="department.update",
    )
