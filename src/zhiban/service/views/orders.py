"""Order pages (CS-3): the day's orders with filters and the .xlsx export, one order with its
delivery, cancelling and audit timeline, the group lead's hand-over page (what would go to
which sales desk, and one button), and the hand-overs done."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.errors import DomainError
from zhiban.core.exports import xlsx_response
from zhiban.core.permissions import Action
from zhiban.core.scoping import can, require
from zhiban.core.selectors import timeline, timeline_of
from zhiban.core.web import centre_page, required_version, run_service

from ..forms.orders import CancelForm, DeliverForm
from ..models import OrderState
from ..resources.orders import HANDOFFS, ORDER_DETAIL, ORDER_LIST, ORDERS
from ..selectors import orders as selectors
from ..services import orders as services

AREA = "service"
WEB = Source.WEB


def _order_url(centre, pk) -> str:
    return reverse("service:order_detail", args=[centre.code, pk])


def case_url(centre, case_id) -> str:
    """The page of the order's case (the cases work's), or nothing while it has none."""
    try:
        return reverse("service:case_detail", args=[centre.code, case_id])
    except NoReverseMatch:
        return ""


@centre_page(AREA)
def order_list(request, centre):
    """The day's orders (today's when the page is opened without filters) by state, sales
    desk, customer type and day, and the same as .xlsx (``?export=xlsx``)."""
    query = request.GET.copy()
    if not query:
        query["day"] = timezone.localdate().isoformat()
    filters = ORDER_LIST.filterset(
        query, queryset=selectors.order_list(user=request.user, centre=centre), request=request
    )
    rows = filters.qs if filters.is_valid() else filters.queryset.none()
    if request.GET.get("export") == "xlsx":
        return xlsx_response(ORDERS, rows, str(ORDER_LIST.label_plural), f"{centre.code}-orders")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "r": ORDER_LIST,
        "filters": filters,
        "page": page,
        "rows": [
            (o, _order_url(centre, o.pk), list(zip(ORDERS.columns, ORDERS.cells(o), strict=True)))
            for o in page.object_list
        ],
        "waiting": selectors.new_orders(centre).count(),
        "can_hand_over": can(request.user, Action.SERVICE_HANDOFF, centre),
    }
    template = "core/resource_table.html" if request.htmx else "service/orders.html"
    return render(request, template, context)


def _order_page(request, centre, pk, *, bound=None, status=200):
    """The order page; ``bound`` = (what, form) shows a refused form again with its message."""
    order = selectors.order_get(user=request.user, centre=centre, pk=pk)
    what, form = bound or ("", None)
    can_deliver = order.state == OrderState.HANDED and can(
        request.user, Action.SERVICE_RESULT, centre
    )
    can_cancel = order.FLOW.allows(order.state, "cancel") and can(
        request.user, Action.SERVICE_INTAKE, centre
    )
    context = {
        "order": order,
        "fields": list(zip(ORDER_DETAIL.headers(), ORDER_DETAIL.cells(order), strict=True)),
        "notice": services.order_notice(order),
        "case_url": case_url(centre, order.case_id),
        "deliver_form": (form if what == "deliver" else None)
        or (DeliverForm(centre=centre, order=order) if can_deliver else None),
        "cancel_form": (form if what == "cancel" else None)
        or (CancelForm(centre=centre) if can_cancel else None),
        "events": timeline(user=request.user, centre=centre, obj=order)[:100],
    }
    return render(request, "service/order.html", context, status=status)


@centre_page(AREA)
def order_detail(request, centre, pk):
    return _order_page(request, centre, pk)


def _order_post(request, centre, pk, what: str, form, service):
    order = selectors.order_get(user=request.user, centre=centre, pk=pk)
    done, status = run_service(
        form,
        lambda: service(
            actor=request.user,
            source=WEB,
            order_id=order.pk,
            version=required_version(request),
            data=request.POST,
        ),
    )
    if done is not None:
        return redirect(_order_url(centre, order.pk))
    return _order_page(request, centre, order.pk, bound=(what, form), status=status)


@centre_page(AREA, Action.SERVICE_RESULT)
@require_POST
def order_deliver(request, centre, pk):
    """The sales desk reports the order delivered (CS-3)."""
    order = selectors.order_get(user=request.user, centre=centre, pk=pk)
    form = DeliverForm(request.POST, centre=centre, order=order)
    return _order_post(request, centre, pk, "deliver", form, services.order_deliver)


@centre_page(AREA, Action.SERVICE_INTAKE)
@require_POST
def order_cancel(request, centre, pk):
    """The customer cancels the order, with the reason (CS-3)."""
    form = CancelForm(request.POST, centre=centre)
    return _order_post(request, centre, pk, "cancel", form, services.order_cancel)


# --- the hand-over to the sales desks (CS-3) -------------------------------------------------


@centre_page(AREA)
def orders_hand_over(request, centre):
    """The group lead's page: each sales desk with the new orders it would get, what refuses
    the hand-over (a customer type without a desk), and the one button that does it (CS-3);
    a refusal comes back on the page with its rule."""
    if request.method == "POST":
        require(request.user, Action.SERVICE_HANDOFF, centre)  # 403 for an agent (ORG-3)
        try:
            handoff = services.orders_hand_over(actor=request.user, source=WEB, centre=centre)
        except DomainError as error:
            messages.error(request, error.text())
        else:
            messages.success(
                request,
                _("Orders handed to the sales desks: %(desks)s")
                % {"desks": "、".join(f"{name} {n}" for name, n in handoff.counts.items())},
            )
            return redirect(reverse("service:handoff_detail", args=[centre.code, handoff.pk]))
        return redirect(reverse("service:orders_hand_over", args=[centre.code]))
    plan = selectors.handoff_preview(user=request.user, centre=centre)
    waiting = selectors.handoff_next(centre)
    return render(
        request,
        "service/hand_over.html",
        {
            "plan": plan,
            "missing": plan.type_labels(plan.missing),
            "doubled": [
                (plan.type_labels([kind])[0], desks) for kind, desks in plan.doubled.items()
            ],
            "waiting": waiting,
            "late": waiting is not None and waiting.due_at < timezone.now(),
            "can_hand_over": can(request.user, Action.SERVICE_HANDOFF, centre),
            "recent": selectors.handoff_list(user=request.user, centre=centre).exclude(at=None)[:5],
        },
    )


@centre_page(AREA)
def handoff_list(request, centre):
    """The hand-overs done, latest first, with the next one waiting on top."""
    rows = selectors.handoff_list(user=request.user, centre=centre)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "service/handoffs.html",
        {
            "page": page,
            "rows": [
                (
                    h,
                    reverse("service:handoff_detail", args=[centre.code, h.pk]),
                    list(zip(HANDOFFS.columns, HANDOFFS.cells(h), strict=True)),
                )
                for h in page.object_list
            ],
            "headers": HANDOFFS.headers(),
        },
    )


@centre_page(AREA)
def handoff_detail(request, centre, pk):
    """One hand-over: its orders by desk, the deadline it met and its timeline."""
    handoff = selectors.handoff_get(user=request.user, centre=centre, pk=pk)
    orders = list(selectors.handoff_orders(handoff))
    desks: dict = {}
    for order in orders:
        desks.setdefault(order.desk, []).append(order)
    return render(
        request,
        "service/handoff.html",
        {
            "handoff": handoff,
            "desks": list(desks.items()),
            "fields": list(zip(HANDOFFS.headers(), HANDOFFS.cells(handoff), strict=True)),
            "events": timeline_of(user=request.user, centre=centre, objects=[handoff])[:100],
        },
    )
