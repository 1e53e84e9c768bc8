"""Upkeep (缺陷, 次数, 验收). For now the operation counters: a breaker's trip count, which each
trip alarm adds to (INC-5, CNT). The upkeep capability completes counters, limits and defects.

Fields and constraints only; every change goes through ``upkeep.services``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CounterKind(models.TextChoices):
    TRIP = "trip", _("Trips (跳闸次数)")


class OperationCounter(models.Model):
    """How often something happened to one piece of equipment (e.g. a breaker's trips)."""

    equipment = models.ForeignKey(
        "org.Equipment",
        on_delete=models.PROTECT,
        related_name="counters",
        verbose_name=_("equipment"),
    )
    kind = models.CharField(_("counter"), max_length=10, choices=CounterKind.choices)
    count = models.PositiveIntegerField(_("count"), default=0)
    last_at = models.DateTimeField(_("last"), null=True, blank=True)

    class Meta:
        verbose_name = _("operation counter (动作次数)")
        verbose_name_plural = _("operation counters")
        constraints = [
            models.UniqueConstraint(fields=["equipment", "kind"], name="counter_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.equipment} {self.get_kind_display()} {self.count}"
