"""Reports pages: subscriptions (RPT-1) — the card on the reports home (who receives which
report, when it was last sent, the last failure), subscribing, a subscription's page to
change or cancel it. Each page calls one service."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.permissions import Action
from zhiban.core.scoping import can
from zhiban.core.web import centre_page, required_version, run_service

from ..selectors import subscriptions as selectors
from ..selectors.dashboards import dashboard_centres
from ..services import subscriptions as services
from ..subscription_forms import SubscriptionForm

AREA = "reports"
C = "c/<str:code>/reports/subscriptions"


def home_context(request, centre) -> dict:
    """The reports home's card: the centre's subscriptions and, for those who may, the form."""
    may = can(request.user, Action.REPORT_SUBSCRIBE, centre)
    return {
        "subscriptions": list(selectors.subscription_list(user=request.user, centre=centre)),
        "subscription_form": SubscriptionForm(centre=centre) if may else None,
        "several_centres": dashboard_centres(user=request.user)[:2].count() > 1,
    }


def _home(centre) -> str:
    return reverse("reports:home", args=[centre.code]) + "#subscriptions"


@centre_page(AREA, Action.REPORT_VIEW)
@require_POST
def subscription_create(request, centre):
    form = SubscriptionForm(request.POST, centre=centre)
    done, status = run_service(
        form,
        lambda: services.subscription_create(
            actor=request.user, source=Source.WEB, centre=centre, data=request.POST
        ),
    )
    if done is not None:
        return redirect(_home(centre))
    return render(
        request,
        "reports/subscription_form.html",
        {"form": form, "subscription": None},
        status=status,
    )


@centre_page(AREA, Action.REPORT_VIEW)
def subscription_detail(request, centre, pk):
    """A subscription: its form to change it (``report.subscribe``) and the cancel button."""
    subscription = selectors.subscription_get(user=request.user, centre=centre, pk=pk)
    may = can(request.user, Action.REPORT_SUBSCRIBE, centre)
    status = 200
    if request.method == "POST":
        form = SubscriptionForm(request.POST, centre=centre, instance=subscription)
        version = required_version(request)
        done, status = run_service(
            form,
            lambda: services.subscription_update(
                actor=request.user,
                source=Source.WEB,
                subscription_id=subscription.pk,
                version=version,
                changes={k: request.POST.get(k, "") for k in SubscriptionForm.Meta.fields},
            ),
        )
        if done is not None:
            return redirect(_home(centre))
    else:
        form = SubscriptionForm(centre=centre, instance=subscription)
    return render(
        request,
        "reports/subscription_form.html",
        {"form": form if may else None, "subscription": subscription},
        status=status,
    )


@centre_page(AREA, Action.REPORT_VIEW)
@require_POST
def subscription_cancel(request, centre, pk):
    subscription = selectors.subscription_get(user=request.user, centre=centre, pk=pk)
    version = required_version(request)
    form = SubscriptionForm(centre=centre, instance=subscription)
    done, status = run_service(
        form,
        lambda: services.subscription_cancel(
            actor=request.user,
            source=Source.WEB,
            subscription_id=subscription.pk,
            version=version,
        ),
    )
    if done is not None:
        return redirect(_home(centre))
    return render(
        request,
        "reports/subscription_form.html",
        {"form": form, "subscription": subscription},
        status=status,
    )


URLS = [
    path(f"{C}/new/", subscription_create, name="subscription_create"),
    path(f"{C}/<int:pk>/", subscription_detail, name="subscription_detail"),
    path(f"{C}/<int:pk>/cancel/", subscription_cancel, name="subscription_cancel"),
]
