"""Customers (客户) of a customer-service centre, found by any part of their phone number, and
the agents' skills that return-visit campaigns assign by (CS-1, CS-7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.models import VersionedModel


class PhoneKind(models.TextChoices):
    """CS-1: the numbers a customer may give — checked by ``service.phones.normalise``."""

    MOBILE = "mobile", _("Mobile (手机)")
    LANDLINE = "landline", _("Landline (固话)")
    HOTLINE = "hotline", _("400/800 number")


class CustomerType(models.TextChoices):
    """CS-3: the day's orders go to the sales desk of the customer's type."""

    RETAIL = "retail", _("Household (零售客户)")
    BUSINESS = "business", _("Business (团购客户)")
    DEALER = "dealer", _("Dealer (经销商)")


class Customer(VersionedModel):
    """A customer (客户) of the centre (CS-1): name, phone — stored as digits only, one
    customer per number — address and region; members (会员) are visited by every
    return-visit campaign of the members rule (CS-7)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20)
    phone_kind = models.CharField(
        _("kind of number"), max_length=10, choices=PhoneKind.choices, default=PhoneKind.MOBILE
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    region = models.CharField(
        _("region"), max_length=40, blank=True, help_text=_("e.g. 苏州市 or 吴中区")
    )
    customer_type = models.CharField(
        _("customer type"),
        max_length=10,
        choices=CustomerType.choices,
        default=CustomerType.RETAIL,
    )
    is_member = models.BooleanField(_("member (会员)"), default=False)
    shop = models.CharField(
        _("shop"), max_length=60, blank=True, help_text=_("The shop whose records brought it")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("customer (客户)")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "phone"], name="service_customer_phone")
        ]
        indexes = [models.Index(fields=["centre", "is_member"], name="service_cust_member")]

    def __str__(self) -> str:
        return f"{self.name} {self.phone}"


class Skill(models.TextChoices):
    """CS-7: what an agent is good at; a campaign may ask for one."""

    CONSULTATION = "consultation", _("Consultations (咨询)")
    COMPLAINT = "complaint", _("Complaints (投诉)")
    ORDER = "order", _("Orders (订货)")
    RETURN_VISIT = "return_visit", _("Return visits (回访)")
    MEMBER_CARE = "member_care", _("Member care (会员关怀)")


class AgentSkill(models.Model):
    """One skill of one agent in one centre (CS-7)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agent"),
    )
    skill = models.CharField(_("skill"), max_length=20, choices=Skill.choices)

    class Meta:
        verbose_name = _("agent skill")
        verbose_name_plural = _("agent skills")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "person", "skill"], name="service_agentskill_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_skill_display()}"
