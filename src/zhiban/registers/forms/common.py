"""Forms every register shares: the leader's decision and the time of a moment recorded."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreForm


class DecisionForm(forms.Form):
    """The department leader's approval or refusal (REG-1, REG-2, REG-9): a note, required
    for a refusal (the service says so)."""

    decision_note = forms.CharField(
        label=_("note (审批意见)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MomentForm(CentreForm):
    """When something happened; empty is now. The centre's window applies (ORG-4)."""

    at = forms.DateTimeField(label=_("time"), required=False, widget=LOCAL_DATETIME)


def ordered(form, start: str, end: str, rule: str) -> None:
    """``end`` comes after ``start`` (per-field message on ``end``)."""
    data = form.cleaned_data
    if data.get(start) and data.get(end) and data[end] <= data[start]:
        form.add_error(
            end,
            forms.ValidationError(
                _("Must be after “%(start)s” (%(rule)s).")
                % {"start": form.fields[start].label, "rule": rule},
                code=rule,
            ),
        )
