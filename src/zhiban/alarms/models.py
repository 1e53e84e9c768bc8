"""Incidents (事故及异常): for now the minimal record other capabilities open — e.g. a
sequence-control task the dispatcher aborted (OPS-10). The alarms capability extends it.

Fields, constraints and transition tables only; every change goes through ``alarms.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel


class IncidentState(models.TextChoices):
    OPEN = "open", _("Being handled (处理中)")
    CLOSED = "closed", _("Closed (已结束)")


class Incident(VersionedModel):
    """An incident being handled at a centre; while open it blocks the handover (DUTY-10)."""

    FLOW = Flow(
        "incident",
        IncidentState,
        initial=IncidentState.OPEN,
        rule="DUTY-10",
        transitions=[Transition("close", (IncidentState.OPEN,), IncidentState.CLOSED)],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("centre")
    )
    site = models.ForeignKey(
        "org.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site"),
    )
    title = models.CharField(_("incident"), max_length=200)
    description = models.TextField(_("what happened"), max_length=4000, blank=True)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=IncidentState.choices, default=IncidentState.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closing_note = models.CharField(_("how it ended"), max_length=500, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40, blank=True)
    origin = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("incident (事故)")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["centre", "state"], name="incident_centre_state_idx")]

    def __str__(self) -> str:
        return self.title
