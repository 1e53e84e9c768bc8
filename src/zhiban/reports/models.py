"""Reports' own records: the shift report frozen when the handover is signed (RPT-1) and the
subscriptions that deliver the monthly report and the daily log (RPT-1, issue 15). Everything
else a report shows is read from the other apps' selectors when it is asked for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.models import Channel, VersionedModel


class ShiftReport(models.Model):
    """RPT-1: what happened in a shift — log entries by category, tickets and orders, alarms
    and incidents, patrols, register items, cases — assembled when the outgoing shift signs
    out and signed with the handover. ``figures`` and ``entries`` are frozen at signing, so
    the printed report is what both shifts signed; later corrections do not rewrite it."""

    centre = models.ForeignKey("org.Centre", on_delete=models.PROTECT, related_name="+")
    handover = models.OneToOneField(
        "duty.Handover", on_delete=models.PROTECT, related_name="+", verbose_name=_("handover")
    )
    starts_at = models.DateTimeField(_("shift starts"))
    ends_at = models.DateTimeField(_("shift ends"))
    figures = models.JSONField(_("figures"), default=list)
    entries = models.JSONField(_("log entries"), default=list)
    created_at = models.DateTimeField(_("assembled"), auto_now_add=True)

    class Meta:
        verbose_name = _("shift report")
        verbose_name_plural = _("shift reports")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["centre", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.centre.code} {self.starts_at:%Y-%m-%d %H:%M}"


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly operation report")
    DAILY_LOG = "daily_log", _("Daily log")


class Subscription(VersionedModel):
    """Someone who receives a report by e-mail or a chat robot when it is ready (RPT-1). The
    delivery goes through the outbox (retries); a target that keeps failing is recorded here
    and reported to the person who subscribed it."""

    centre = models.ForeignKey("org.Centre", on_delete=models.PROTECT, related_name="+")
    report = models.CharField(_("report"), max_length=12, choices=ReportKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    target = models.CharField(_("to"), max_length=500)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subscribed by"),
    )
    last_sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    last_failed_at = models.DateTimeField(_("last failed"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["report", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "report", "channel", "target"], name="reports_subscription_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_report_display()} → {self.target}"


class Delivery(models.Model):
    """One report of one period sent to one subscription (RPT-1): at most one per period, so
    a delivery job that runs twice sends once. It keeps the outbox message, so the job learns
    when the outbox gave up on it and records and reports the bounce once."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    period = models.DateField(_("period"))  # the day of a daily log, the 1st of a month
    message = models.ForeignKey(
        "core.OutboxMessage", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    link = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    bounce_reported_at = models.DateTimeField(_("bounce reported"), null=True, blank=True)

    class Meta:
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "period"], name="reports_delivery_once")
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id} {self.period}"
