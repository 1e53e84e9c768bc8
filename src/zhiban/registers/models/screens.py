"""Big-screen and remote-operation use (大屏及远程操作使用登记, REG-9): who, when (from, until),
why, approved by a named department leader."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition

from .common import ApprovalState, ApprovedRecord


class ScreenUseKind(models.TextChoices):
    BIG_SCREEN = "big_screen", _("Big screen / conference system (大屏及会议系统)")
    REMOTE_OPERATION = "remote_operation", _("Remote operation of field equipment (远程操作)")


class ScreenUse(ApprovedRecord):
    """One use of the big screen or one remote operation (REG-9)."""

    FLOW = Flow(
        "register_screen_use",
        ApprovalState,
        initial=ApprovalState.PENDING,
        rule="REG-9",
        transitions=[
            Transition("approve", (ApprovalState.PENDING,), ApprovalState.APPROVED),
            Transition("refuse", (ApprovalState.PENDING,), ApprovalState.REFUSED),
        ],
    )

    kind = models.CharField(_("use"), max_length=20, choices=ScreenUseKind.choices)
    used_by = models.CharField(_("used by (使用人)"), max_length=60)
    purpose = models.CharField(_("why (用途)"), max_length=500)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    state = models.CharField(
        _("state"), max_length=12, choices=ApprovalState.choices, default=ApprovalState.PENDING
    )

    class Meta:
        verbose_name = _("big-screen or remote-operation use (大屏及远程操作)")
        verbose_name_plural = _("Big screen and remote operation (大屏及远程操作)")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "-starts_at", "-id"], name="reg_screen_list"),
            models.Index(fields=["centre", "state"], name="reg_screen_state"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.used_by}"
