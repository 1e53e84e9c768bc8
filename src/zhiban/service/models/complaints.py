"""Complaints (投诉) handled by 五清楚一报告 (CS-4) with the facts each kind needs (CS-5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.models import VersionedModel


class ComplaintKind(models.TextChoices):
    """CS-5: product quality and service quality each ask their own questions (问清楚)."""

    PRODUCT = "product", _("Product quality (产品质量)")
    SERVICE = "service", _("Service quality (服务质量)")
    OTHER = "other", _("Other (其他)")


class ServiceFault(models.TextChoices):
    """CS-5: what went wrong with the service."""

    LATE_DELIVERY = "late_delivery", _("Late delivery (送货不及时)")
    SHORT_DELIVERY = "short_delivery", _("Short delivery (少送漏送)")
    ATTITUDE = "attitude", _("Attitude (服务态度)")
    BILLING = "billing", _("Billing error (收费错误)")
    OTHER = "other", _("Other (其他)")


class Complaint(VersionedModel):
    """The complaint part of a case (CS-4, CS-5): what the agent heard and asked, whether it
    is major (the department head is told at once) or caused bodily harm (a visit follows),
    and what was replied and done. It cannot close without the reply and the handling record;
    unsolved, it carries the next reply time promised to the customer, which is a deadline."""

    case = models.OneToOneField(
        "service.Case",
        on_delete=models.PROTECT,
        related_name="complaint",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ComplaintKind.choices)
    complained_of = models.CharField(
        _("complaint object"), max_length=100, help_text=_("The product, shop or person")
    )
    reason = models.TextField(_("reason"))
    symptom = models.CharField(_("symptom"), max_length=200, blank=True)
    bought_where = models.CharField(_("where bought"), max_length=100, blank=True)
    bought_how = models.CharField(_("how bought"), max_length=100, blank=True)
    batch_number = models.CharField(_("batch number"), max_length=40, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    service_fault = models.CharField(
        _("service fault"), max_length=20, choices=ServiceFault.choices, blank=True
    )
    staff = models.CharField(_("staff name or number"), max_length=60, blank=True)
    major = models.BooleanField(_("major complaint (重大投诉)"), default=False)
    bodily_harm = models.BooleanField(_("bodily harm (人身伤害)"), default=False)
    unjustified = models.BooleanField(_("unjustified (无理投诉)"), default=False)
    reply = models.TextField(_("reply to the customer"), blank=True)
    handling = models.TextField(_("handling record"), blank=True)
    solved = models.BooleanField(_("solved"), default=False)
    next_reply_at = models.DateTimeField(_("next reply promised"), null=True, blank=True)
    replied_at = models.DateTimeField(_("last reply"), null=True, blank=True)

    class Meta:
        verbose_name = _("complaint (投诉)")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return f"{self.case.number} {self.get_kind_display()} · {self.complained_of}"
