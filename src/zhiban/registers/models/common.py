"""What every register record shares: its centre, who wrote it, and — for the registers a named
department leader approves (REG-1, REG-2, REG-9) — the decision: by whom, when, with what
note. Register records are never deleted: no service, page or endpoint removes one."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.models import VersionedModel


class ApprovalState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval (待审批)")
    APPROVED = "approved", _("Approved (已批准)")
    REFUSED = "refused", _("Refused (未批准)")


class RegisterRecord(VersionedModel):
    """An entry of a centre's register, with the person who wrote it."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        abstract = True


class ApprovedRecord(RegisterRecord):
    """An entry that waits for a named department leader's decision (``register.approve``)
    before what it asks for may happen (REG-1, REG-2, REG-9)."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or refused by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.state == ApprovalState.PENDING
