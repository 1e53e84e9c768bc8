"""Operation counters (动作次数, CNT-1 … CNT-3): how often a capacitor was switched, an on-load
tap changer moved or a breaker tripped, against the limit the team keeps, and the month-end
figures the centre enters or imports from the monitoring system."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.models import VersionedModel


class CounterKind(models.TextChoices):
    """CNT-1: the three counts of the seed's production MIS (六、七)."""

    TRIP = "trip", _("Trips (跳闸次数)")
    SWITCHING = "switching", _("Capacitor switching (电容器投切)")
    TAP = "tap", _("On-load tap changes (有载调压分接头)")


class OperationCounter(VersionedModel):
    """How often something happened to one piece of equipment since its last maintenance,
    with the limit (极限次数) the team keeps (CNT-1). Reaching the limit is 满次 (CNT-2)."""

    equipment = models.ForeignKey(
        "org.Equipment",
        on_delete=models.PROTECT,
        related_name="counters",
        verbose_name=_("equipment"),
    )
    kind = models.CharField(_("counter"), max_length=10, choices=CounterKind.choices)
    count = models.PositiveIntegerField(_("count"), default=0)
    last_at = models.DateTimeField(_("last"), null=True, blank=True)
    limit = models.PositiveIntegerField(
        _("limit (极限次数)"),
        null=True,
        blank=True,
        help_text=_("Kept by the team (CNT-1); reaching it is 满次 (CNT-2)."),
    )
    full_at = models.DateTimeField(_("limit reached"), null=True, blank=True)
    defect = models.ForeignKey(
        "upkeep.Defect",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("defect reported for the limit"),
    )

    class Meta:
        verbose_name = _("operation counter (动作次数)")
        verbose_name_plural = _("operation counters")
        ordering = ["equipment", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["equipment", "kind"], name="counter_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.equipment} {self.get_kind_display()} {self.count}"

    @property
    def is_full(self) -> bool:
        return self.limit is not None and self.count >= self.limit


class CounterMonth(VersionedModel):
    """One counter's operations in one month (CNT-1, CNT-3): what the gateway counted as it
    happened, and the month-end figure the centre entered or imported, which replaces it."""

    counter = models.ForeignKey(
        OperationCounter,
        on_delete=models.CASCADE,
        related_name="months",
        verbose_name=_("counter"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    counted = models.PositiveIntegerField(_("counted from alarms"), default=0)
    entered = models.PositiveIntegerField(_("month-end figure"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), null=True, blank=True)

    class Meta:
        verbose_name = _("month's operations (月度次数)")
        verbose_name_plural = _("months' operations")
        ordering = ["-month", "counter"]
        constraints = [
            models.UniqueConstraint(fields=["counter", "month"], name="counter_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.counter} {self.month:%Y-%m}"

    @property
    def figure(self) -> int:
        """The month's operations: the entered month-end figure where there is one."""
        return self.entered if self.entered is not None else self.counted
