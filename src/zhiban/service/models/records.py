"""The monthly customer records collected from the shops (CS-10): each import, and the
regional manager's spot checks of it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerImport(models.Model):
    """One shop's monthly records, imported whole or not at all (CS-10); ``late`` when it came
    after ``service.records_due_day`` of its month (in the centre's zone). ``customers`` are
    the customers its rows created or matched by phone: the regional manager's spot checks
    pick from them."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    shop = models.CharField(_("shop"), max_length=60)
    month = models.DateField(_("month"), help_text=_("The first day of the month"))
    file_name = models.CharField(_("file"), max_length=200)
    rows = models.PositiveIntegerField(_("rows"))
    created = models.PositiveIntegerField(_("new customers"), default=0)
    updated = models.PositiveIntegerField(_("updated customers"), default=0)
    late = models.BooleanField(_("late"), default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("imported by"),
    )
    at = models.DateTimeField(_("imported"))
    customers = models.ManyToManyField(
        "service.Customer", related_name="+", verbose_name=_("customers"), blank=True
    )

    class Meta:
        verbose_name = _("customer records import (客户资料收集)")
        verbose_name_plural = _("customer records imports")
        ordering = ["-at"]
        indexes = [models.Index(fields=["centre", "month"], name="service_import_month")]

    def __str__(self) -> str:
        return f"{self.shop} {self.month:%Y-%m}"


class SpotCheck(models.Model):
    """The regional manager's check of one imported customer (CS-10)."""

    batch = models.ForeignKey(
        "service.CustomerImport",
        on_delete=models.PROTECT,
        related_name="spot_checks",
        verbose_name=_("import"),
    )
    customer = models.ForeignKey(
        "service.Customer", on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    correct = models.BooleanField(_("record correct"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("spot check (抽查)")
        verbose_name_plural = _("spot checks")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "customer"], name="service_spotcheck_unique")
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.customer}"
