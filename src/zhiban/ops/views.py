"""Operations pages: the order board (OPS-1, OPS-2, OPS-4) with the open work beside it, the
ticket page and its actions (OPS-3 … OPS-8), step-by-step execution on a phone (OPS-6), locks
(OPS-5) and single operations (OPS-12). Each action on an order or ticket is one ``Act``
(``work.acts``)."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.job_views import start_and_show
from zhiban.core.pdf import pdf_response
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline_of
from zhiban.core.web import attempt, back, centre_page, required_version, run_service
from zhiban.work.acts import Act, act_page, now, offered
from zhiban.work.selectors import tags_on
from zhiban.work.views import work_board

from . import forms, interlock, pdf, selectors, services
from .jobs import MONTH_PDF, month_pdf_title
from .models import (
    OPEN_ORDER_STATES,
    AskedTo,
    DispatchOrder,
    Executor,
    OrderState,
    StepState,
    TicketState,
)

WEB = Source.WEB


def _versioned(call):
    """An act whose service takes the version the person read."""
    return lambda request, obj, data: call(
        actor=request.user,
        source=WEB,
        **{_id_arg(obj): obj.pk},
        version=required_version(request),
        data=data,
    )


def _continues_interrupted(ticket) -> bool:
    return ticket.continues_id is not None and bool(ticket.continues.interruption)


def _id_arg(obj) -> str:
    return "order_id" if isinstance(obj, DispatchOrder) else "ticket_id"


ORDER_ACTS = [
    Act(
        "notify",
        _("Notify the team"),
        Action.OPS_DISPATCH,
        _versioned(services.order_notify_team),
        flow="notify",
        form=forms.NotifyTeamForm,
        initial=lambda request, order: {"at": now()},
        style="btn-primary",
        rule="OPS-2",
    ),
    Act(
        "question",
        _("Record a question"),
        Action.OPS_DISPATCH,
        lambda request, order, data: services.order_question(
            actor=request.user, source=WEB, order_id=order.pk, data=data
        ),
        form=forms.QuestionForm,
        when=lambda request, order: order.state in OPEN_ORDER_STATES,
        initial=lambda request, order: {"at": now(), "asked_to": AskedTo.CENTRE},
        rule="OPS-2",
    ),
    Act(
        "formal",
        _("Record the formal order"),
        Action.OPS_DISPATCH,
        _versioned(services.order_formal),
        flow="formal",
        form=forms.FormalOrderForm,
        initial=lambda request, order: {"at": now(), "received_by": request.user.pk},
        style="btn-primary",
        rule="OPS-4",
    ),
    Act(
        "cancel",
        _("Cancel the order"),
        Action.OPS_DISPATCH,
        _versioned(services.order_cancel),
        flow="cancel",
        form=forms.ReasonForm,
        style="btn-outline-danger",
    ),
]

TICKET_ACTS = [
    Act(
        "review",
        _("Review: correct"),
        Action.OPS_REVIEW,
        lambda request, ticket, data: services.ticket_review(
            actor=request.user, source=WEB, ticket_id=ticket.pk, version=required_version(request)
        ),
        flow="review",
        style="btn-success",
        rule="OPS-3",
        when=lambda request, t: t.filled_by_id != request.user.pk,  # another person reviews
    ),
    Act(
        "return",
        _("Return to the filler"),
        Action.OPS_REVIEW,
        lambda request, ticket, data: services.ticket_return(
            actor=request.user, source=WEB, ticket_id=ticket.pk, version=required_version(request)
        ),
        flow="return",
    ),
    Act(
        "order",
        _("Record the order to operate (发令)"),
        Action.OPS_EXECUTE,
        _versioned(services.ticket_order),
        flow="order",
        form=forms.OrderTicketForm,
        initial=lambda request, ticket: {
            "ordered_at": now(),
            "receiver": request.user.pk,
            "issuer": ticket.order.dispatcher if ticket.order else "",
        },
        style="btn-primary",
        rule="OPS-6",
    ),
    Act(
        "notify_centre",
        _("Tell the centre before operating"),
        Action.OPS_DISPATCH,
        _versioned(services.ticket_notify_centre),
        flow="notify_centre",
        form=forms.NotifyCentreForm,
        style="btn-primary",
        rule="OPS-4",
        when=lambda request, t: t.executor == Executor.TEAM and t.centre_notified_at is None,
        initial=lambda request, ticket: {"at": now(), "caller": request.user.name},
    ),
    Act(
        "note",
        _("Report an anomaly"),
        Action.OPS_EXECUTE,
        lambda request, ticket, data: services.ticket_note(
            actor=request.user, source=WEB, ticket_id=ticket.pk, data=data
        ),
        flow="note",
        form=forms.NoteForm,
        rule="OPS-8",
    ),
    Act(
        "void",
        _("Void (作废)"),
        Action.OPS_FILL,
        _versioned(services.ticket_void),
        flow="void",
        form=forms.ReasonForm,
        style="btn-outline-danger",
        rule="OPS-7",
    ),
    Act(
        "terminate",
        _("Terminate (终止操作)"),
        Action.OPS_EXECUTE,
        _versioned(services.ticket_terminate),
        flow="terminate",
        form=forms.TerminateForm,
        style="btn-outline-danger",
        rule="OPS-7",
    ),
    Act(
        "interrupt",
        _("Sequence control interrupted"),
        Action.OPS_EXECUTE,
        _versioned(services.ticket_interrupt),
        flow="interrupt",
        form=forms.InterruptForm,
        style="btn-outline-danger",
        rule="OPS-10",
        when=lambda request, t: t.sequence_control,
    ),
    Act(
        "consent",
        _("Record the dispatcher's consent"),
        Action.OPS_DISPATCH,
        _versioned(services.ticket_consent),
        flow="consent",
        form=forms.ConsentForm,
        style="btn-primary",
        rule="OPS-10",
        when=lambda request, t: _continues_interrupted(t) and t.dispatcher_consent_at is None,
        initial=lambda request, ticket: {"at": now(), "dispatcher": ticket.continues.reported_to},
    ),
    Act(
        "abort",
        _("Dispatcher aborts the task"),
        Action.OPS_DISPATCH,
        _versioned(services.ticket_abort),
        flow="abort",
        form=forms.AbortForm,
        style="btn-outline-danger",
        rule="OPS-10",
        when=lambda request, t: _continues_interrupted(t),
    ),
    Act(
        "override",
        _("Override the interlock"),
        Action.OPS_OVERRIDE,
        _versioned(interlock.ticket_energise_override),
        flow="override",
        form=forms.ReasonForm,
        style="btn-outline-danger",
        rule="WORK-3",
        when=lambda request, t: bool(interlock.holds(t)),
        explain="ops/_override_holds.html",
    ),
    Act(
        "assess",
        _("Assess (合格/不合格)"),
        Action.OPS_ASSESS,
        _versioned(services.ticket_assess),
        form=forms.AssessForm,
        rule="OPS-14",
        when=lambda request, t: (
            t.state in (TicketState.COMPLETED, TicketState.TERMINATED, TicketState.VOIDED)
        ),
    ),
]

ACTS = {"orders": {a.key: a for a in ORDER_ACTS}, "tickets": {a.key: a for a in TICKET_ACTS}}
GETTERS = {"orders": selectors.order_get, "tickets": selectors.ticket_get}


DETAIL_URLS = {"orders": "ops:order_detail", "tickets": "ops:ticket_detail"}


@centre_page("ops")
def home(request, centre):
    """The order board: every open order with its stage, the tickets in progress, the locks in
    force."""
    orders = selectors.open_orders(user=request.user, centre=centre)
    columns = [(state, [o for o in orders if o.state == state]) for state in OPEN_ORDER_STATES]
    return render(
        request,
        "ops/home.html",
        {
            "columns": columns,
            "tickets": selectors.open_tickets(user=request.user, centre=centre)[:50],
            "locks": selectors.lock_list(user=request.user, centre=centre).filter(released_at=None),
            "can_receive": can(request.user, Action.OPS_RECEIVE_ORDER, centre),
            "can_fill": can(request.user, Action.OPS_FILL, centre),
            "month_form": forms.TicketMonthForm(centre=centre),
            **work_board(request, centre),
        },
    )


@centre_page("ops")
def order_detail(request, centre, pk):
    order = selectors.order_get(user=request.user, centre=centre, pk=pk)
    tickets = selectors.ticket_list(user=request.user, centre=centre).filter(order=order)
    stages = [OrderState.RECEIVED, OrderState.NOTIFIED, OrderState.ORDERED, OrderState.DONE]
    reached = stages.index(order.state) if order.state in stages else -1
    return render(
        request,
        "ops/order.html",
        {
            "order": order,
            "stages": [(s, i <= reached) for i, s in enumerate(stages)],
            "tickets": tickets,
            "questions": order.questions.all(),
            "equipment": order.equipment.select_related("site"),
            "tags_on": tags_on(order.equipment.all()),
            "acts": offered(request, ORDER_ACTS, order),
            "can_fill": order.state in OPEN_ORDER_STATES
            and can(request.user, Action.OPS_FILL, centre),
            "events": timeline_of(user=request.user, centre=centre, objects=[order])[:100],
        },
    )


@centre_page("ops")
def ticket_detail(request, centre, pk):
    ticket = selectors.ticket_get(user=request.user, centre=centre, pk=pk)
    return render(
        request,
        "ops/ticket.html",
        {
            "ticket": ticket,
            "tags_on": tags_on(ticket.equipment.all()),
            "acts": offered(request, TICKET_ACTS, ticket),
            "can_edit": ticket.state == TicketState.DRAFT
            and can(request.user, Action.OPS_FILL, centre),
            "can_execute": ticket.state in (TicketState.ORDERED, TicketState.EXECUTING)
            and can(request.user, Action.OPS_EXECUTE, centre),
            "events": timeline_of(user=request.user, centre=centre, objects=[ticket])[:100],
        },
    )


# --- printing and statistics (OPS-13, OPS-14) ----------------------------------------------------


@centre_page("ops")
def ticket_pdf(request, centre, pk):
    """The ticket on A4 in the standard layout, with its stamps (OPS-13)."""
    ticket = selectors.ticket_print(user=request.user, centre=centre, pk=pk)
    return pdf_response(pdf.ticket_pdf(ticket), f"{ticket.number}.pdf")


@centre_page("ops")
def tickets_month_pdf(request, centre):
    """A month's tickets of a team (or the centre's own, or all) as one bound file in number
    order (月底统一装订, OPS-13). A bad month answers 422 with the form and its message. A POST
    (the statistics page's button) prepares it as a job and shows its progress (issue 15)."""
    form = forms.TicketMonthForm(request.GET, centre=centre)
    if not form.is_valid():
        return _statistics_page(request, centre, form)
    month, team = form.cleaned_data["month"], form.cleaned_data["team"]
    if request.method == "POST":
        return start_and_show(
            request,
            centre,
            kind=MONTH_PDF,
            title=month_pdf_title(centre, month, team),
            params={"month": f"{month:%Y-%m}", "team": request.GET.get("team", "")},
        )
    tickets = selectors.ticket_month(user=request.user, centre=centre, month=month, team=team)
    return pdf_response(
        pdf.month_pdf(tickets, centre=centre, month=month, team=team),
        f"{centre.code}-tickets-{month:%Y-%m}.pdf",
    )


@centre_page("ops")
def statistics(request, centre):
    """The month's tickets per team, the centre's own and in total, with the qualified rate
    (合格率, OPS-14); each row prints its month as one bound file (OPS-13)."""
    chosen = {"month": request.GET.get("month", "")}  # the rows are every team's
    return _statistics_page(request, centre, forms.TicketMonthForm(chosen, centre=centre))


def _statistics_page(request, centre, form):
    if not form.is_valid():
        return render(request, "ops/statistics.html", {"form": form}, status=422)
    month = form.cleaned_data["month"]
    return render(
        request,
        "ops/statistics.html",
        {
            "form": form,
            "month": month,
            "previous": (month - timedelta(days=1)).replace(day=1),
            "next": (month + timedelta(days=31)).replace(day=1),
            "rows": selectors.ticket_statistics(user=request.user, centre=centre, month=month),
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


def _posted_pk(request, name: str) -> int | None:
    """The person chosen in a refused form, so that it stays chosen on the page again."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


@centre_page("ops")
def ticket_execute(request, centre, pk):
    """OPS-6 on a phone: the next step large, ticked with the time by the operator with the
    guardian named; the steps before it with their times, the steps after it greyed. A tick
    comes back scrolled to the next step (``#current``), its button on the screen."""
    ticket = selectors.ticket_get(user=request.user, centre=centre, pk=pk)
    form = forms.TickForm(request.POST or None, centre=centre)
    status = 200
    if request.method == "POST":
        done, status = run_service(
            form,
            lambda: services.ticket_tick(
                actor=request.user,
                source=WEB,
                ticket_id=ticket.pk,
                version=required_version(request),
                data=request.POST,
            ),
        )
        if done is not None:  # back at the next step, not the top of the page (issue 11)
            return HttpResponseRedirect(
                reverse("ops:ticket_execute", args=[centre.code, pk]) + "#current"
            )
        ticket = selectors.ticket_get(user=request.user, centre=centre, pk=pk)
    steps = list(ticket.steps.all())
    current = next((s for s in steps if s.state == StepState.PENDING), None)
    return render(
        request,
        "ops/execute.html",
        {
            "ticket": ticket,
            "steps": steps,
            "current": current,
            "form": form,
            "operator": _posted_pk(request, "operator") or ticket.operator_id or request.user.pk,
            "guardian": _posted_pk(request, "guardian") or ticket.guardian_id,
            "people": form.fields["operator"].queryset,
            "can_execute": ticket.state in (TicketState.ORDERED, TicketState.EXECUTING)
            and can(request.user, Action.OPS_EXECUTE, centre),
            "needs_centre": ticket.executor == Executor.TEAM and ticket.centre_notified_at is None,
            "needs_consent": _continues_interrupted(ticket) and not ticket.dispatcher_consent_at,
            "acts": [
                a
                for a in offered(request, TICKET_ACTS, ticket)
                if a.key
                in ("notify_centre", "consent", "override", "note", "terminate", "interrupt")
            ],
        },
        status=status,
    )


@centre_page("ops", Action.OPS_LOCK)
@require_POST
def lock_release(request, centre, pk):
    lock = selectors.lock_get(user=request.user, centre=centre, pk=pk)
    attempt(
        request,
        lambda: services.lock_release(
            actor=request.user, source=WEB, lock_id=lock.pk, version=required_version(request)
        ),
    )
    return back(request, reverse("ops:lock_detail", args=[centre.code, lock.pk]))
