"""The script form (CS-11): kind, title and text; the services validate with it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import CentreModelForm

from ..models import Script

MAX_TEXT = 4000


class ScriptForm(CentreModelForm):
    """A script (话术) of the centre: what agents read on the intake and call-list screens."""

    body = forms.CharField(
        label=_("text"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the agent says; an empty line starts a new paragraph."),
    )

    class Meta:
        model = Script
        fields = ["kind", "title", "body"]

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_body(self) -> str:
        return self.cleaned_data["body"].strip()
