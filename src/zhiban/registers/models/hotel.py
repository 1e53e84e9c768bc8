"""The hotel room centre's registers (房务中心): wake-up calls (叫醒服务, REG-7).

A wake-up call is booked for a room at a time; each call made is an attempt (answered, no
answer, line busy). A missed answer makes the second call due a few minutes later (the centre
setting ``registers.wakeup_retry_minutes``); if that is missed too, a floor attendant is sent
to the room and what they found is recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition

from .common import RegisterRecord


class WakeUpState(models.TextChoices):
    BOOKED = "booked", _("Booked (待叫醒)")
    SECOND_CALL = "second_call", _("Second call due (待再次叫醒)")
    SEND_ATTENDANT = "send_attendant", _("Floor attendant to be sent (待派服务员)")
    ANSWERED = "answered", _("Woken (已叫醒)")
    VISITED = "visited", _("Attendant went to the room (服务员已上门)")


class CallResult(models.TextChoices):
    ANSWERED = "answered", _("Answered (已接听)")
    NO_ANSWER = "no_answer", _("No answer (无人接听)")
    BUSY = "busy", _("Line busy (占线)")


class WakeUpCall(RegisterRecord):
    """A wake-up call booked for a room (REG-7)."""

    FLOW = Flow(
        "register_wake_up_call",
        WakeUpState,
        initial=WakeUpState.BOOKED,
        rule="REG-7",
        transitions=[
            Transition(
                "answered", (WakeUpState.BOOKED, WakeUpState.SECOND_CALL), WakeUpState.ANSWERED
            ),
            Transition("missed", (WakeUpState.BOOKED,), WakeUpState.SECOND_CALL),
            Transition("missed_again", (WakeUpState.SECOND_CALL,), WakeUpState.SEND_ATTENDANT),
            Transition("attendant", (WakeUpState.SEND_ATTENDANT,), WakeUpState.VISITED),
        ],
    )

    room = models.CharField(_("room (房号)"), max_length=20)
    guest_name = models.CharField(_("guest (客人姓名)"), max_length=60, blank=True)
    wake_at = models.DateTimeField(_("wake-up time (叫醒时间)"))
    requested_by = models.CharField(
        _("requested by (预约人)"),
        max_length=60,
        help_text=_("e.g. the guest by phone, the front desk"),
    )
    requested_at = models.DateTimeField(_("requested (预约时间)"))
    state = models.CharField(
        _("state"), max_length=16, choices=WakeUpState.choices, default=WakeUpState.BOOKED
    )
    due_at = models.DateTimeField(_("next call due"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("desk reminded"), null=True, blank=True)
    attendant = models.CharField(_("floor attendant sent (派往服务员)"), max_length=60, blank=True)
    attendant_sent_at = models.DateTimeField(_("attendant sent"), null=True, blank=True)
    attendant_found = models.CharField(
        _("what the attendant found (上门情况)"), max_length=500, blank=True
    )

    class Meta:
        verbose_name = _("wake-up call (叫醒服务)")
        verbose_name_plural = _("Wake-up calls (叫醒服务)")
        ordering = ["-wake_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "-wake_at", "-id"], name="reg_wakeup_list"),
            models.Index(fields=["state", "due_at"], name="reg_wakeup_due"),
        ]

    def __str__(self) -> str:
        return f"{self.room} · {self.wake_at:%H:%M}" if self.wake_at else self.room


class WakeUpAttempt(models.Model):
    """One call made to the room (REG-7): its result, when and by whom."""

    call = models.ForeignKey(
        WakeUpCall,
        on_delete=models.PROTECT,
        related_name="attempts",
        verbose_name=_("wake-up call"),
    )
    result = models.CharField(_("result (结果)"), max_length=12, choices=CallResult.choices)
    at = models.DateTimeField(_("called at (拨打时间)"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("called by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("wake-up attempt")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.call} · {self.get_result_display()}"


class DndState(models.TextChoices):
    TO_CALL = "to_call", _("To be phoned (待致电)")
    ESCALATED = "escalated", _("No answer: managers told (无人接听，已通知)")
    DONE = "done", _("Done (已处理)")


class DndCheck(RegisterRecord):
    """A room still showing do-not-disturb at the afternoon check (REG-8): the clerk lists
    it, phones it; answered is done, no answer tells the assistant manager and the floor
    supervisor, and what they found is recorded."""

    FLOW = Flow(
        "register_dnd_check",
        DndState,
        initial=DndState.TO_CALL,
        rule="REG-8",
        transitions=[
            Transition("answered", (DndState.TO_CALL,), DndState.DONE),
            Transition("missed", (DndState.TO_CALL,), DndState.ESCALATED),
            Transition("outcome", (DndState.ESCALATED,), DndState.DONE),
        ],
    )

    room = models.CharField(_("room (房号)"), max_length=20)
    day = models.DateField(_("day"))
    listed_at = models.DateTimeField(_("seen showing DND at (发现时间)"))
    state = models.CharField(
        _("state"), max_length=12, choices=DndState.choices, default=DndState.TO_CALL
    )
    called_at = models.DateTimeField(_("phoned at (致电时间)"), null=True, blank=True)
    call_result = models.CharField(
        _("call result"), max_length=12, choices=CallResult.choices, blank=True
    )
    notified_at = models.DateTimeField(_("managers told at"), null=True, blank=True)
    outcome = models.CharField(_("outcome (处理结果)"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("do-not-disturb check (请勿打扰跟进)")
        verbose_name_plural = _("Do-not-disturb checks (请勿打扰跟进)")
        ordering = ["-day", "room", "-id"]
        indexes = [models.Index(fields=["centre", "-day", "room"], name="reg_dnd_list")]

    def __str__(self) -> str:
        return f"{self.room} · {self.day:%m-%d}" if self.day else self.room
