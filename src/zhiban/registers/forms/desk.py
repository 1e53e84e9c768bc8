"""The desk registers' forms: item lending (REG-4), lost and found (REG-5), phone messages
(REG-3), equipment faults and repairs (REG-6), and the step closing each."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreForm, CentreModelForm
from zhiban.core.timewindow import Kind

from ..models import FoundItem, Loan, PhoneMessage, ProofKind, Repair
from .common import ordered


class LoanForm(CentreModelForm):
    time_kinds = {"due_at": Kind.PLANNED}

    class Meta:
        model = Loan
        fields = ["item", "borrower", "place", "lent_at", "due_at"]
        widgets = {"lent_at": LOCAL_DATETIME, "due_at": LOCAL_DATETIME}
        help_texts = {"due_at": _("Items not back by then are chased (REG-4).")}

    def clean(self):
        data = super().clean()
        ordered(self, "lent_at", "due_at", "REG-4")
        return data


class FoundItemForm(CentreModelForm):
    class Meta:
        model = FoundItem
        fields = ["item", "found_where", "found_at", "found_by", "kept_where"]
        widgets = {"found_at": LOCAL_DATETIME}
        help_texts = {
            "kept_where": _("Handed back once, to a person named against a proof (REG-5).")
        }


class PhoneMessageForm(CentreModelForm):
    person_fields = ("routed_to",)

    class Meta:
        model = PhoneMessage
        fields = ["at", "caller", "place", "phone", "content", "read_back", "routed_to"]
        widgets = {
            "at": LOCAL_DATETIME,
            "content": forms.Textarea(attrs={"rows": 3}),
            "read_back": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "routed_to": _(
                "The person who must act is told and the message stays open until done (REG-3)."
            )
        }


class RepairForm(CentreModelForm):
    class Meta:
        model = Repair
        fields = ["equipment", "fault", "reported_at", "reported_by", "repairer"]
        widgets = {"reported_at": LOCAL_DATETIME, "fault": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"repairer": _("Open until the result is recorded (REG-6).")}


class ReturnForm(CentreForm):
    """An item lent comes back (REG-4); empty: now."""

    at = forms.DateTimeField(
        label=_("returned at (归还时间)"), required=False, widget=LOCAL_DATETIME
    )


class HandBackForm(CentreForm):
    """A found item handed back to whom, against which proof (REG-5); empty time: now."""

    claimant = forms.CharField(label=_("handed back to (领取人)"), max_length=60)
    proof_kind = forms.ChoiceField(label=_("proof (凭证)"), choices=ProofKind.choices)
    proof_number = forms.CharField(
        label=_("proof number or description (凭证号码/说明)"),
        max_length=100,
        help_text=_("The document's number, or what proved the item is theirs (REG-5)."),
    )
    at = forms.DateTimeField(
        label=_("handed back at (领回时间)"), required=False, widget=LOCAL_DATETIME
    )


class ResultForm(CentreForm):
    """A phone message or a repair done, with its result (REG-3, REG-6); empty time: now."""

    result = forms.CharField(
        label=_("result (处理结果)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    at = forms.DateTimeField(label=_("done at"), required=False, widget=LOCAL_DATETIME)
