"""Reads of report subscriptions (RPT-1), always within the person's centres (ORG-3)."""

from __future__ import annotations

from django.db.models import QuerySet

from zhiban.core.errors import NotFound
from zhiban.core.permissions import Action
from zhiban.core.scoping import limit

from ..models import Subscription


def subscription_list(*, user, centre) -> QuerySet[Subscription]:
    """The centre's subscriptions, for those who may read its reports."""
    rows = limit(Subscription.objects.all(), user, Action.REPORT_VIEW)
    return rows.filter(centre=centre).select_related("person", "created_by")


def subscription_get(*, user, centre, pk) -> Subscription:
    try:
        return subscription_list(user=user, centre=centre).get(pk=pk)
    except (Subscription.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
