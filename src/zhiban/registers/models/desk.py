"""The desk registers kept by a security room and a hotel room centre alike: item lending
(借物登记, REG-4), lost and found (遗留物品, REG-5), phone messages (电话记录, REG-3) and
equipment faults and repairs (设备维修记录, REG-6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition

from .common import RegisterRecord


class LoanState(models.TextChoices):
    LENT = "lent", _("Lent (借出)")
    RETURNED = "returned", _("Returned (已归还)")


class Loan(RegisterRecord):
    """An item lent (REG-4): what, to whom, where, when, due back, returned."""

    FLOW = Flow(
        "register_loan",
        LoanState,
        initial=LoanState.LENT,
        rule="REG-4",
        transitions=[Transition("return", (LoanState.LENT,), LoanState.RETURNED)],
    )

    item = models.CharField(_("item (物品)"), max_length=100)
    borrower = models.CharField(_("borrower (借用人)"), max_length=60)
    place = models.CharField(_("room or place (房号/地点)"), max_length=60)
    lent_at = models.DateTimeField(_("lent at (借出时间)"))
    due_at = models.DateTimeField(_("due back (应还时间)"))
    state = models.CharField(
        _("state"), max_length=10, choices=LoanState.choices, default=LoanState.LENT
    )
    returned_at = models.DateTimeField(_("returned at (归还时间)"), null=True, blank=True)
    chased_at = models.DateTimeField(_("desk reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("item lent (借物)")
        verbose_name_plural = _("Item lending (借物登记)")
        ordering = ["-lent_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "-lent_at", "-id"], name="reg_loan_list"),
            models.Index(fields=["state", "due_at"], name="reg_loan_due"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.borrower}"


class FoundState(models.TextChoices):
    KEPT = "kept", _("Kept (保管中)")
    HANDED_BACK = "handed_back", _("Handed back (已领回)")


class ProofKind(models.TextChoices):
    ID_CARD = "id_card", _("ID card (身份证)")
    PASSPORT = "passport", _("Passport (护照)")
    OTHER_ID = "other_id", _("Other ID document (其他证件)")
    OTHER = "other", _("Other proof (其他凭证)")


class FoundItem(RegisterRecord):
    """A found item (REG-5): found where and when, by whom, kept where; handed back to whom
    against which proof."""

    FLOW = Flow(
        "register_found_item",
        FoundState,
        initial=FoundState.KEPT,
        rule="REG-5",
        transitions=[Transition("hand_back", (FoundState.KEPT,), FoundState.HANDED_BACK)],
    )

    item = models.CharField(_("item (物品)"), max_length=200)
    found_where = models.CharField(_("found where (拾获地点)"), max_length=100)
    found_at = models.DateTimeField(_("found at (拾获时间)"))
    found_by = models.CharField(_("found by (拾获人)"), max_length=60)
    kept_where = models.CharField(_("kept where (存放位置)"), max_length=100)
    state = models.CharField(
        _("state"), max_length=12, choices=FoundState.choices, default=FoundState.KEPT
    )
    claimant = models.CharField(_("handed back to (领取人)"), max_length=60, blank=True)
    proof_kind = models.CharField(
        _("proof (凭证)"), max_length=10, choices=ProofKind.choices, blank=True
    )
    proof_number = models.CharField(
        _("proof number or description (凭证号码/说明)"), max_length=100, blank=True
    )
    handed_back_at = models.DateTimeField(_("handed back at (领回时间)"), null=True, blank=True)

    class Meta:
        verbose_name = _("found item (遗留物品)")
        verbose_name_plural = _("Lost and found (遗留物品)")
        ordering = ["-found_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "-found_at", "-id"], name="reg_found_list"),
            models.Index(fields=["centre", "state"], name="reg_found_state"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.found_where}"


class FollowState(models.TextChoices):
    OPEN = "open", _("Open (待处理)")
    DONE = "done", _("Done (已处理)")


class PhoneMessage(RegisterRecord):
    """A phone message (REG-3): when, who called from where, what they said, what was read
    back to them, the person of the centre who must act, and the result once done."""

    FLOW = Flow(
        "register_phone_message",
        FollowState,
        initial=FollowState.OPEN,
        rule="REG-3",
        transitions=[Transition("done", (FollowState.OPEN,), FollowState.DONE)],
    )

    at = models.DateTimeField(_("time of call (来电时间)"))
    caller = models.CharField(_("caller (来电人)"), max_length=60)
    place = models.CharField(_("calling from (来电单位/地点)"), max_length=100)
    phone = models.CharField(_("caller's phone (来电号码)"), max_length=20, blank=True)
    content = models.TextField(_("message (内容)"))
    read_back = models.TextField(
        _("read back to the caller (复述)"),
        help_text=_("What the desk repeated to the caller and the caller confirmed (REG-3)."),
    )
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("passed to (转告)"),
    )
    state = models.CharField(
        _("state"), max_length=8, choices=FollowState.choices, default=FollowState.OPEN
    )
    result = models.CharField(_("result (处理结果)"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phone message (电话记录)")
        verbose_name_plural = _("Phone messages (电话记录)")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["centre", "-at", "-id"], name="reg_phone_list"),
            models.Index(fields=["centre", "state"], name="reg_phone_state"),
        ]

    def __str__(self) -> str:
        return f"{self.caller} · {self.place}"


class Repair(RegisterRecord):
    """An equipment fault and its repair (REG-6): what, the fault, reported when and by whom,
    who repairs, the result and when it was closed."""

    FLOW = Flow(
        "register_repair",
        FollowState,
        initial=FollowState.OPEN,
        rule="REG-6",
        transitions=[Transition("done", (FollowState.OPEN,), FollowState.DONE)],
    )

    equipment = models.CharField(_("equipment or place (设备/部位)"), max_length=100)
    fault = models.CharField(_("fault (故障现象)"), max_length=500)
    reported_at = models.DateTimeField(_("reported at (报修时间)"))
    reported_by = models.CharField(_("reported by (报修人)"), max_length=60)
    repairer = models.CharField(_("repaired by (维修人/单位)"), max_length=100)
    state = models.CharField(
        _("state"), max_length=8, choices=FollowState.choices, default=FollowState.OPEN
    )
    result = models.CharField(_("result (维修结果)"), max_length=500, blank=True)
    done_at = models.DateTimeField(_("closed at (完成时间)"), null=True, blank=True)

    class Meta:
        verbose_name = _("equipment repair (设备维修)")
        verbose_name_plural = _("Equipment faults and repairs (设备维修记录)")
        ordering = ["-reported_at", "-id"]
        indexes = [
            models.Index(fields=["centre", "-reported_at", "-id"], name="reg_repair_list"),
            models.Index(fields=["centre", "state"], name="reg_repair_state"),
        ]

    def __str__(self) -> str:
        return f"{self.equipment} · {self.fault[:20]}"
