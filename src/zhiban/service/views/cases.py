"""Case pages (CS-1, CS-2, CS-6): the service desk's home, the morning queue, a case with its
contacts, clock, parts and the actions its state and the person's rights offer (one view per
action, each calling one service), and a department's queue. The list is the Resource's."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline
from zhiban.core.web import attempt, back, centre_page, required_version, run_service, submitted

from ..forms.cases import AnswerForm, ResultForm, RouteForm, TransferForm
from ..models import CaseState, Category
from ..selectors import cases as reads
from ..services import cases as writes

AREA = "service"
WEB = Source.WEB


def _detail_url(centre, case) -> str:
    return reverse("service:case_detail", args=[centre.code, case.pk])


@centre_page(AREA)
def home(request, centre):
    """The service desk: the person's open cases with their clocks, the queue, the links."""
    mine = list(reads.my_open_cases(user=request.user, centre=centre)[:50])
    return render(
        request,
        "service/home.html",
        {
            "mine": [(case, reads.clock(case)) for case in mine],
            "queue_count": reads.queue(user=request.user, centre=centre).count(),
            "late_count": reads.open_breached(centre).count(),
            "routed_count": reads.routed_without_result(centre).count(),
            "can_intake": can(request.user, Action.SERVICE_INTAKE, centre),
            "can_configure": can(request.user, Action.SERVICE_CONFIGURE, centre),
        },
    )


@centre_page(AREA)
def queue_page(request, centre):
    """CS-6: the cases nobody owns, web leads first, then the oldest; each taken in one click
    (the missed calls of the hotline beside them, ``_queue_calls.html``)."""
    cases = list(reads.queue(user=request.user, centre=centre)[:200])
    return render(
        request,
        "service/queue.html",
        {
            "cases": [(case, reads.clock(case)) for case in cases],
            "can_take": can(request.user, Action.SERVICE_INTAKE, centre),
        },
    )


def _offered(request, case) -> dict[str, bool]:
    """The actions the case's state and the person's rights offer (CS-2, CS-6)."""
    user, open_ = request.user, case.state in (CaseState.OPEN, CaseState.ROUTED)
    works = reads.may_work(user, case)
    return {
        "take": case.owner_id is None
        and case.state == CaseState.OPEN
        and can(user, Action.SERVICE_INTAKE, case.centre),
        "transfer": works and open_,
        "route": works and case.state == CaseState.OPEN,
        "result": case.state == CaseState.ROUTED and reads.may_report_result(user, case),
        "answer": works and case.state == CaseState.OPEN and case.category != Category.COMPLAINT,
        "close": works and case.state == CaseState.OPEN and case.category == Category.COMPLAINT,
    }


def _case_page(request, centre, case, *, forms=None, status=200):
    offered = _offered(request, case)
    forms = forms or {}
    context = {
        "case": case,
        "clock": reads.clock(case),
        "contacts": list(case.contacts.all()),
        "offered": offered,
        "transfer_form": forms.get("transfer") or TransferForm(centre=centre),
        "route_form": forms.get("route") or RouteForm(centre=centre),
        "result_form": forms.get("result") or ResultForm(),
        "answer_form": forms.get("answer") or AnswerForm(),
        "close_form": forms.get("close") or AnswerForm(required=False),
        "open_form": next(iter(forms), ""),
        "events": timeline(user=request.user, centre=centre, obj=case)[:100],
    }
    return render(request, "service/case_detail.html", context, status=status)


@centre_page(AREA)
def case_detail(request, centre, pk):
    case = reads.case_get(user=request.user, centre=centre, pk=pk)
    return _case_page(request, centre, case)


def _with_form(request, centre, pk, key, form, call):
    """Run an action with a form: a success goes back to the case; a refusal shows on the
    case page beside the form (422 per field, 409 above it)."""
    case = reads.case_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    done, status = run_service(form, lambda: call(case, version))
    if done is not None:
        return redirect(_detail_url(centre, case))
    return _case_page(request, centre, case, forms={key: form}, status=status)


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def case_take(request, centre, pk):
    """CS-6: take a case from the queue; a case someone took first says who (a message)."""
    case = reads.case_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    taken = attempt(
        request,
        lambda: writes.case_take(actor=request.user, source=WEB, case_id=case.pk, version=version),
    )
    if taken:
        return redirect(_detail_url(centre, case))
    return back(request, reverse("service:queue", args=[centre.code]))


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def case_transfer(request, centre, pk):
    """CS-6: hand the case over to another agent, with the reason."""
    form = TransferForm(request.POST, centre=centre)
    data = submitted(TransferForm, request.POST)
    return _with_form(
        request,
        centre,
        pk,
        "transfer",
        form,
        lambda case, version: writes.case_transfer(
            actor=request.user, source=WEB, case_id=case.pk, version=version, data=data
        ),
    )


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def case_route(request, centre, pk):
    """CS-2: send the case to a department with what it is asked."""
    form = RouteForm(request.POST, centre=centre)
    data = submitted(RouteForm, request.POST)
    return _with_form(
        request,
        centre,
        pk,
        "route",
        form,
        lambda case, version: writes.case_route(
            actor=request.user, source=WEB, case_id=case.pk, version=version, data=data
        ),
    )


@centre_page(AREA, Action.SERVICE_RESULT)
@require_POST
def case_result(request, centre, pk):
    """CS-2: the department's result, reported back."""
    form = ResultForm(request.POST)
    data = submitted(ResultForm, request.POST)
    return _with_form(
        request,
        centre,
        pk,
        "result",
        form,
        lambda case, version: writes.case_report_result(
            actor=request.user, source=WEB, case_id=case.pk, version=version, data=data
        ),
    )


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def case_answer(request, centre, pk):
    """CS-2: the answer recorded and the case closed."""
    form = AnswerForm(request.POST)
    data = submitted(AnswerForm, request.POST)
    return _with_form(
        request,
        centre,
        pk,
        "answer",
        form,
        lambda case, version: writes.case_answer(
            actor=request.user, source=WEB, case_id=case.pk, version=version, data=data
        ),
    )


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def case_close(request, centre, pk):
    """Close a complaint case once its reply and handling are recorded (CS-4)."""
    form = AnswerForm(request.POST, required=False)
    data = submitted(AnswerForm, request.POST)
    return _with_form(
        request,
        centre,
        pk,
        "close",
        form,
        lambda case, version: writes.case_close(
            actor=request.user, source=WEB, case_id=case.pk, version=version, data=data
        ),
    )


@centre_page(AREA)
def department_queue(request, centre, pk):
    """CS-2: the cases routed to one department, those waiting for its result first."""
    department = reads.department_get(user=request.user, centre=centre, pk=pk)
    cases = reads.department_queue(user=request.user, centre=centre, department=department)
    return render(
        request,
        "service/department_queue.html",
        {
            "department": department,
            "cases": list(cases[:200]),
            "is_member": reads.is_department_member(request.user, department),
        },
    )
