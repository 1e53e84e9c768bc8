"""Operations pages: the order board (OPS-1, OPS-2, OPS-4), the ticket page and its actions
(OPS-3 … OPS-8), step-by-step execution on a phone (OPS-6), locks (OPS-5) and single
operations (OPS-12).

Each action on an order or ticket is one ``Act``: the detail page offers the acts the record's
state and the person's roles allow; an act with a form has its own page (per-field messages,
the rule named on a refusal), an act without one is a button."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.errors import InvalidInput
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.selectors import timeline_of
from zhiban.core.web import attempt, back, centre_page, run_service, version_of

from . import forms, selectors, services
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


def _now():
    return timezone.now().replace(second=0, microsecond=0)


@dataclass(frozen=True)
class Act:
    """One thing a person can do to an order or a ticket."""

    key: str
    label: Any
    action: str  # the permission it needs
    run: Callable  # (request, obj, data) -> result; raises DomainError on a refusal
    flow: str = ""  # the transition of the record's FLOW it needs ("" = any open state)
    form: Any = None  # None: a button
    initial: Callable = lambda request, obj: {}
    style: str = ""
    rule: str = ""
    when: Callable = lambda request, obj: True

    def allowed(self, request, obj) -> bool:
        if self.flow and not type(obj).FLOW.allows(obj.state, self.flow):
            return False
        return self.when(request, obj) and can(request.user, self.action, obj.centre)


def _version(request) -> int:
    """The version the person read: a stale one answers 409, a missing one 422."""
    version = version_of(request.POST)
    if version is None:
        raise InvalidInput(fields={"version": [_("Reload the page and try again.")]})
    return version


def _versioned(call):
    """An act whose service takes the version the person read."""
    return lambda request, obj, data: call(
        actor=request.user,
        source=WEB,
        **{_id_arg(obj): obj.pk},
        version=_version(request),
        data=data,
    )


def _id_arg(obj) -> str:
    return "order_id" if isinstance(obj, DispatchOrder) else "ticket_id"


ORDER_ACTS = [
    Act(
        "notify",
        _("Notify the team (OPS-2)"),
        Action.OPS_DISPATCH,
        _versioned(services.order_notify_team),
        flow="notify",
        form=forms.NotifyTeamForm,
        initial=lambda request, order: {"at": _now()},
        style="btn-primary",
        rule="OPS-2",
    ),
    Act(
        "question",
        _("Record a question (OPS-2)"),
        Action.OPS_DISPATCH,
        lambda request, order, data: services.order_question(
            actor=request.user, source=WEB, order_id=order.pk, data=data
        ),
        form=forms.QuestionForm,
        when=lambda request, order: order.state in OPEN_ORDER_STATES,
        initial=lambda request, order: {"at": _now(), "asked_to": AskedTo.CENTRE},
        rule="OPS-2",
    ),
    Act(
        "formal",
        _("Record the formal order (OPS-4)"),
        Action.OPS_DISPATCH,
        _versioned(services.order_formal),
        flow="formal",
        form=forms.FormalOrderForm,
        initial=lambda request, order: {"at": _now(), "received_by": request.user.pk},
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
        _("Review: correct (OPS-3)"),
        Action.OPS_REVIEW,
        lambda request, ticket, data: services.ticket_review(
            actor=request.user, source=WEB, ticket_id=ticket.pk, version=_version(request)
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
            actor=request.user, source=WEB, ticket_id=ticket.pk, version=_version(request)
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
            "ordered_at": _now(),
            "receiver": request.user.pk,
            "issuer": ticket.order.dispatcher if ticket.order else "",
        },
        style="btn-primary",
        rule="OPS-6",
    ),
    Act(
        "notify_centre",
        _("Tell the centre before operating (OPS-4)"),
        Action.OPS_DISPATCH,
        _versioned(services.ticket_notify_centre),
        flow="notify_centre",
        form=forms.NotifyCentreForm,
        style="btn-primary",
        rule="OPS-4",
        when=lambda request, t: t.executor == Executor.TEAM and t.centre_notified_at is None,
        initial=lambda request, ticket: {"at": _now(), "caller": request.user.name},
    ),
    Act(
        "note",
        _("Report an anomaly (OPS-8)"),
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


def _detail_url(kind: str, obj) -> str:
    name = "ops:order_detail" if kind == "orders" else "ops:ticket_detail"
    return reverse(name, args=[obj.centre.code, obj.pk])


def _offered(request, acts, obj) -> list[Act]:
    return [a for a in acts if a.allowed(request, obj)]


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
            "acts": _offered(request, ORDER_ACTS, order),
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
            "acts": _offered(request, TICKET_ACTS, ticket),
            "can_edit": ticket.state == TicketState.DRAFT
            and can(request.user, Action.OPS_FILL, centre),
            "can_execute": ticket.state in (TicketState.ORDERED, TicketState.EXECUTING)
            and can(request.user, Action.OPS_EXECUTE, centre),
            "events": timeline_of(user=request.user, centre=centre, objects=[ticket])[:100],
        },
    )


@centre_page("ops")
def act(request, centre, kind, pk, key):
    """The page of one act with a form (GET), or doing it (POST)."""
    found = ACTS.get(kind, {}).get(key)
    if found is None:
        raise Http404
    obj = GETTERS[kind](user=request.user, centre=centre, pk=pk)
    if not found.allowed(request, obj):
        raise Http404
    if found.form is None:
        if request.method == "POST":
            attempt(request, lambda: found.run(request, obj, request.POST))
        return HttpResponseRedirect(_detail_url(kind, obj))
    form = found.form(request.POST or None, centre=centre, initial=found.initial(request, obj))
    status = 200
    if request.method == "POST":
        done, status = run_service(form, lambda: found.run(request, obj, request.POST))
        if done is not None:
            return HttpResponseRedirect(_detail_url(kind, obj))
    return render(
        request,
        "ops/act.html",
        {"act": found, "obj": obj, "form": form, "back_url": _detail_url(kind, obj)},
        status=status,
    )


@centre_page("ops")
def ticket_execute(request, centre, pk):
    """OPS-6 on a phone: the next step large, ticked with the time by the operator with the
    guardian named; the steps before it with their times, the steps after it greyed."""
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
                version=_version(request),
                data=request.POST,
            ),
        )
        if done is not None:
            return HttpResponseRedirect(reverse("ops:ticket_execute", args=[centre.code, pk]))
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
            "operator": ticket.operator_id or request.user.pk,
            "guardian": ticket.guardian_id,
            "people": form.fields["operator"].queryset,
            "can_execute": ticket.state in (TicketState.ORDERED, TicketState.EXECUTING)
            and can(request.user, Action.OPS_EXECUTE, centre),
            "needs_centre": ticket.executor == Executor.TEAM and ticket.centre_notified_at is None,
            "acts": [
                a
                for a in _offered(request, TICKET_ACTS, ticket)
                if a.key in ("notify_centre", "note", "terminate")
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
            actor=request.user, source=WEB, lock_id=lock.pk, version=_version(request)
        ),
    )
    return back(request, reverse("ops:lock_detail", args=[centre.code, lock.pk]))
