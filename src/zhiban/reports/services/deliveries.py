"""Scheduled delivery of reports to their subscriptions (RPT-1), run by the jobs in
``reports/tasks.py``.

The monthly report goes out on the 1st of each month for the month before, the daily log the
next morning; both from ``SEND_FROM`` o'clock in each centre's own time zone. A message with
the report's link goes into the core outbox (e-mail, WeCom, DingTalk, Feishu), which sends and
retries it; the outbox has no attachments, so the report is linked. A ``Delivery`` row per
subscription and period makes each send happen once, however often the job runs. It keeps the
outbox message, so ``bounces_check`` finds the messages the outbox gave up on (DEAD), records
the failure on the subscription and tells the person who subscribed — once."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core import audit
from zhiban.core.actors import SCHEDULER, Source
from zhiban.core.models import Level, OutboxState
from zhiban.core.notify import Message, notify, send

from ..models import Delivery, ReportKind, Subscription

SEND_FROM = 6  # o'clock, in the centre's zone: the reports are there when the day starts


def due_period(report: str, local: datetime) -> date | None:
    """The period a report is sent for at this local time, or None when it is not sent now:
    yesterday for the daily log, the month before on the 1st for the monthly report."""
    if local.hour < SEND_FROM:
        return None
    today = local.date()
    if report == ReportKind.DAILY_LOG:
        return today - timedelta(days=1)
    if today.day == 1:
        return (today - timedelta(days=1)).replace(day=1)
    return None


def report_path(subscription: Subscription, period: date) -> str:
    """The page of the report's PDF (the link delivered)."""
    code = subscription.centre.code
    if subscription.report == ReportKind.MONTHLY:
        return reverse("reports:monthly_pdf", args=[code, f"{period:%Y-%m}"])
    return reverse("reports:daily_log_pdf", args=[code, f"{period:%Y-%m-%d}"])


def _texts(subscription: Subscription, period: date, link: str) -> tuple[Message, Message]:
    shown = f"{period:%Y-%m}" if subscription.report == ReportKind.MONTHLY else f"{period}"
    params = {
        "centre": subscription.centre.name,
        "report": subscription.get_report_display(),
        "period": shown,
        "link": link,
    }
    title = Message(_("%(centre)s: %(report)s %(period)s"), params)
    body = Message(_("%(report)s of %(centre)s for %(period)s: %(link)s"), params)
    return title, body


def delivery_send(subscription_id: int, period: date, *, now: datetime) -> bool:
    """One subscription's report of one period into the outbox, unless already sent (RPT-1)."""
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("centre", "person")
            .filter(pk=subscription_id, active=True)
            .first()
        )
        if subscription is None or subscription.deliveries.filter(period=period).exists():
            return False
        link = settings.ZHIBAN_BASE_URL + report_path(subscription, period)
        title, body = _texts(subscription, period, link)
        language = subscription.person.language if subscription.person else None
        language = language or settings.LANGUAGE_CODE
        message = send(
            centre=subscription.centre,
            channel=subscription.channel,
            target=subscription.target,
            title=title,
            body=body,
            language=language,
        )
        Delivery.objects.create(
            subscription=subscription, period=period, message=message, link=link
        )
        subscription.last_sent_at = now  # bookkeeping of the job: the version stays (DESIGN-1)
        subscription.save(update_fields=["last_sent_at"])
        audit.record(
            actor=SCHEDULER,
            source=Source.JOB,
            verb="report_subscription.deliver",
            obj=subscription,
            centre=subscription.centre,
            after={"period": period.isoformat(), "link": link, "message": message.pk},
        )
    return True


def deliveries_send(*, now: datetime | None = None) -> dict[str, int]:
    """The job: every active subscription whose report is due in its centre's zone now."""
    now = now or timezone.now()
    sent = {kind.value: 0 for kind in ReportKind}
    for pk, report, tz in _active():
        period = due_period(report, timezone.localtime(now, tz))
        if period is not None and delivery_send(pk, period, now=now):
            sent[report] += 1
    return sent


def _active():
    rows = Subscription.objects.filter(active=True, centre__active=True).select_related("centre")
    return [(s.pk, s.report, s.centre.tz) for s in rows.only("pk", "report", "centre")]


def bounces_check(*, now: datetime | None = None) -> int:
    """RPT-1: deliveries the outbox gave up on are recorded on their subscription and reported
    to the person who subscribed it, once each. Returns how many were reported."""
    now = now or timezone.now()
    dead = Delivery.objects.filter(bounce_reported_at=None, message__state=OutboxState.DEAD)
    return sum(_bounce(pk, now) for pk in dead.values_list("pk", flat=True))


def _bounce(delivery_id: int, now: datetime) -> bool:
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("message", "subscription__centre", "subscription__created_by")
            .get(pk=delivery_id)
        )
        if delivery.bounce_reported_at is not None:
            return False
        subscription = delivery.subscription
        before = audit.snapshot(subscription)
        error = delivery.message.last_error if delivery.message else ""
        subscription.last_failed_at, subscription.last_error = now, error
        subscription.save(update_fields=["last_failed_at", "last_error"])
        delivery.bounce_reported_at = now
        delivery.save(update_fields=["bounce_reported_at"])
        audit.record(
            actor=SCHEDULER,
            source=Source.JOB,
            verb="report_subscription.bounce",
            obj=subscription,
            centre=subscription.centre,
            before=before,
            after={**audit.snapshot(subscription), "period": delivery.period.isoformat()},
        )
        notify(
            actor=SCHEDULER,
            source=Source.JOB,
            people=[subscription.created_by],
            centre=subscription.centre,
            title=Message(
                _("%(report)s could not be delivered to %(target)s (RPT-1)"),
                {"report": subscription.get_report_display(), "target": subscription.target},
            ),
            body=error,
            level=Level.WARNING,
            link=reverse("reports:home", args=[subscription.centre.code]) + "#subscriptions",
            email=False,
            chat=False,
            regarding=subscription,
        )
    return True
