"""The "done" of a follow-up (CS-3 apology call, CS-5 visit after bodily harm): what came of
it. ``follow_up_done`` checks the result itself (422 naming the rule of the follow-up's kind)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class FollowUpDoneForm(forms.Form):
    result = forms.CharField(
        label=_("result (结果)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the customer said, what was agreed, what follows."),
    )
