"""Calls reported by the hotline's telephone system (呼叫中心对接): the generic CTI events
``newCall`` / ``answer`` / ``hangup`` keyed by the PBX's call id, stored once however often
they are replayed (``service/cti.py`` reads them, ``services/calls.py`` stores them). A call
hung up unanswered is a missed call that waits in the morning queue until an agent takes it
or the customer gets through later the same day (CS-6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiban.core.models import VersionedModel


class CallDirection(models.TextChoices):
    IN = "in", _("Incoming (呼入)")
    OUT = "out", _("Outgoing (呼出)")


class CallState(models.TextChoices):
    RINGING = "ringing", _("Ringing (振铃)")
    ANSWERED = "answered", _("Answered (通话中)")
    ENDED = "ended", _("Ended (已挂断)")


class Call(VersionedModel):
    """One telephone call as the PBX reported it; ``missed`` when it ended unanswered on an
    incoming line with a no-answer cause (``cti.MISSED_CAUSES``). ``number`` is the
    customer's side as digits (the caller's number on an incoming call, the called one on an
    outgoing call), matched to a ``customer`` of the centre. ``case`` is the case it was
    recorded on, or the one opened when an agent took the missed call from the queue
    (``taken_by``, first come, CS-6); ``callback`` is the later answered call with the same
    number the same day that settled a missed call."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    call_id = models.CharField(_("call id"), max_length=250)  # Zammad's limit
    direction = models.CharField(_("direction"), max_length=4, choices=CallDirection.choices)
    from_number = models.CharField(_("from"), max_length=40)
    to_number = models.CharField(_("to"), max_length=40)
    number = models.CharField(
        _("customer's number"),
        max_length=40,
        blank=True,
        help_text=_("The caller's number on an incoming call, the called one on an outgoing call"),
    )
    queue = models.CharField(_("queue"), max_length=60, blank=True)
    agents = models.JSONField(_("agents rung"), default=list, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=CallState.choices, default=CallState.RINGING
    )
    started_at = models.DateTimeField(_("started"))
    answered_at = models.DateTimeField(_("picked up"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    cause = models.CharField(_("hang-up cause"), max_length=30, blank=True)
    missed = models.BooleanField(_("missed"), default=False)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # found through the call; the gateway writes calls at hundreds a second
        verbose_name=_("taken by"),
    )
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    called_back_at = models.DateTimeField(_("called back"), null=True, blank=True)
    callback = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        verbose_name=_("call back"),
    )
    recording = models.CharField(_("recording"), max_length=500, blank=True)
    customer = models.ForeignKey(
        "service.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("customer"),
    )
    case = models.ForeignKey(
        "service.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("case"),
    )

    class Meta:
        verbose_name = _("call (通话)")
        verbose_name_plural = _("calls")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "call_id"], name="service_call_id")
        ]
        indexes = [
            models.Index(fields=["centre", "started_at"], name="service_call_started"),
            # the morning queue: missed calls not yet recorded on a case or called back (CS-6)
            models.Index(
                fields=["centre", "started_at"],
                name="service_call_waiting",
                condition=Q(missed=True, case=None, called_back_at=None),
            ),
            # a later answered call of the same number settles its missed calls (CS-6)
            models.Index(
                fields=["centre", "number"],
                name="service_call_missed_number",
                condition=Q(missed=True, called_back_at=None),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_number or '?'} → {self.to_number or '?'} ({self.call_id})"
