"""Follow-up tasks (跟进任务) a case leaves behind: the apology call for an order outside the
sales area (CS-3) and the visit after a complaint of bodily harm (CS-5). Each has a
foundation deadline that warns and escalates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.models import VersionedModel


class FollowUpKind(models.TextChoices):
    APOLOGY_CALL = "apology_call", _("Apology call (致歉电话)")
    INJURY_VISIT = "injury_visit", _("Visit after bodily harm (上门探访)")


class FollowUp(VersionedModel):
    """A task a case leaves behind, owned by the case's owner until done (CS-3, CS-5)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FollowUpKind.choices)
    case = models.ForeignKey(
        "service.Case",
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("case"),
    )
    due_at = models.DateTimeField(_("due"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("follow-up (跟进任务)")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.case.number}"
