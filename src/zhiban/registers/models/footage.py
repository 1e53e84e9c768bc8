"""Footage access (调阅录像, REG-2): a request — who asks (name and unit), why, which place and
camera, the footage's time span, and the window the access is valid for — approved or refused
by the department leader before any viewing, copying or download; then every access (view,
copy, download: by whom, when, note) recorded against the approved request. Neither is ever
deleted or overwritten: there is no delete path, and an access is written once."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition

from .common import ApprovalState, ApprovedRecord


class FootageRequest(ApprovedRecord):
    """A request to access recorded video (调阅录像申请, REG-2)."""

    FLOW = Flow(
        "register_footage",
        ApprovalState,
        initial=ApprovalState.PENDING,
        rule="REG-2",
        transitions=[
            Transition("approve", (ApprovalState.PENDING,), ApprovalState.APPROVED),
            Transition("refuse", (ApprovalState.PENDING,), ApprovalState.REFUSED),
        ],
    )

    requester_name = models.CharField(_("requested by (申请人)"), max_length=60)
    requester_unit = models.CharField(_("unit (单位)"), max_length=100)
    reason = models.CharField(_("reason (调阅事由)"), max_length=500)
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("place (地点)")
    )
    camera = models.ForeignKey(
        "org.Equipment",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("camera (摄像机)"),
    )
    span_from = models.DateTimeField(_("footage from"))
    span_until = models.DateTimeField(_("footage until"))
    window_from = models.DateTimeField(_("access allowed from"))
    window_until = models.DateTimeField(_("access allowed until"))
    state = models.CharField(
        _("state"), max_length=12, choices=ApprovalState.choices, default=ApprovalState.PENDING
    )

    class Meta:
        verbose_name = _("footage access request (调阅录像申请)")
        verbose_name_plural = _("Footage access (调阅录像)")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the list: a centre's requests, newest first (REG-2, bench/footage_scale.py)
            models.Index(fields=["centre", "-created_at", "-id"], name="reg_footage_list"),
            models.Index(fields=["centre", "state", "-created_at"], name="reg_footage_state"),
            # footage about to be overwritten (the retention end follows the span's end)
            models.Index(fields=["centre", "span_until"], name="reg_footage_span"),
        ]

    def __str__(self) -> str:
        return f"{self.requester_name}（{self.requester_unit}）· {self.camera}"


class AccessKind(models.TextChoices):
    VIEW = "view", _("Viewing (查看)")
    COPY = "copy", _("Copy (拷贝)")
    DOWNLOAD = "download", _("Download (下载)")


class FootageAccess(models.Model):
    """One viewing, copy or download of the footage of an approved request, inside its access
    window (REG-2). Written once: it has no version because nothing ever changes it."""

    request = models.ForeignKey(
        FootageRequest,
        on_delete=models.PROTECT,
        related_name="accesses",
        verbose_name=_("request"),
    )
    kind = models.CharField(_("access"), max_length=10, choices=AccessKind.choices)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("footage access (调阅记录)")
        verbose_name_plural = _("footage accesses")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["request", "-at"], name="reg_footage_access")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.request}"

    @property
    def centre(self):
        return self.request.centre
