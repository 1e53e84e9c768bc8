"""Subscriptions to the monthly report and the daily log (RPT-1): subscribe, change (with the
version read: 409 if stale), cancel. Each is one transaction with its audit event; only those
whose roles allow ``report.subscribe`` in the centre may do it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from zhiban.core import audit
from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.core.services import create_from_form, locked, update_from_form, validated

from ..models import Subscription
from ..subscription_forms import SubscriptionForm

VERBS = {
    "report_subscription.create": _("subscribed to a report"),
    "report_subscription.update": _("changed a report subscription"),
    "report_subscription.cancel": _("cancelled a report subscription"),
    "report_subscription.deliver": _("sent a report to its subscription"),
    "report_subscription.bounce": _("recorded a report that could not be delivered"),
}


@transaction.atomic
def subscription_create(*, actor, source, centre, data) -> Subscription:
    """RPT-1: someone (an address or a robot) receives a report of the centre from now on."""
    require(actor, Action.REPORT_SUBSCRIBE, centre)
    form = validated(SubscriptionForm, data, centre=centre)

    def prepare(subscription: Subscription) -> None:
        subscription.centre = centre
        subscription.created_by = actor

    return create_from_form(
        actor=actor,
        source=source,
        form=form,
        verb="report_subscription.create",
        prepare=prepare,
    )


@transaction.atomic
def subscription_update(*, actor, source, subscription_id, version: int, changes) -> Subscription:
    """RPT-1: a changed report, channel, address, reader or pause. A new address starts
    without the old one's failure."""
    subscription = locked(Subscription.objects.all(), subscription_id, version)
    require(actor, Action.REPORT_SUBSCRIBE, subscription.centre)
    old = (subscription.channel, subscription.target)

    def prepare(changed: Subscription) -> None:
        if (changed.channel, changed.target) != old:
            changed.last_failed_at, changed.last_error = None, ""

    return update_from_form(
        actor=actor,
        source=source,
        obj=subscription,
        form_class=SubscriptionForm,
        changes=changes,
        verb="report_subscription.update",
        prepare=prepare,
        centre=subscription.centre,
    )


@transaction.atomic
def subscription_cancel(*, actor, source, subscription_id, version: int) -> Subscription:
    """RPT-1: the subscription ends; its record stays in the audit trail."""
    subscription = locked(Subscription.objects.all(), subscription_id, version)
    require(actor, Action.REPORT_SUBSCRIBE, subscription.centre)
    audit.record(
        actor=actor,
        source=source,
        verb="report_subscription.cancel",
        obj=subscription,
        before=audit.snapshot(subscription),
        centre=subscription.centre,
    )
    subscription.delete()
    return subscription
