"""The visitor register (访客登记, REG-1): name, organisation, reason, escort, who approved (a
named department leader), arrived and left. Nobody enters the monitoring room before the
approval is recorded, and nobody leaves before arriving."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition

from .common import ApprovedRecord


class VisitorState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval (待审批)")
    APPROVED = "approved", _("Approved, not arrived (已批准)")
    REFUSED = "refused", _("Refused (未批准)")
    IN_ROOM = "in_room", _("In the room (在室)")
    LEFT = "left", _("Left (已离开)")


class Visitor(ApprovedRecord):
    """A visitor to the monitoring room (REG-1)."""

    FLOW = Flow(
        "register_visitor",
        VisitorState,
        initial=VisitorState.PENDING,
        rule="REG-1",
        transitions=[
            Transition("approve", (VisitorState.PENDING,), VisitorState.APPROVED),
            Transition("refuse", (VisitorState.PENDING,), VisitorState.REFUSED),
            Transition("arrive", (VisitorState.APPROVED,), VisitorState.IN_ROOM),
            Transition("leave", (VisitorState.IN_ROOM,), VisitorState.LEFT),
        ],
    )

    name = models.CharField(_("visitor (来访人)"), max_length=60)
    organisation = models.CharField(_("organisation (单位)"), max_length=100)
    reason = models.CharField(_("reason (来访事由)"), max_length=500)
    escort = models.CharField(_("escort (陪同人)"), max_length=60)
    state = models.CharField(
        _("state"), max_length=12, choices=VisitorState.choices, default=VisitorState.PENDING
    )
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        verbose_name = _("visitor (访客)")
        verbose_name_plural = _("Visitors (访客登记)")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "-created_at", "-id"], name="reg_visitor_list"),
            models.Index(fields=["centre", "state"], name="reg_visitor_state"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）"
