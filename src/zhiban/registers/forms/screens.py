"""The big-screen and remote-operation register's form (REG-9)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreModelForm
from zhiban.core.timewindow import Kind

from ..models import ScreenUse
from .common import ordered


class ScreenUseForm(CentreModelForm):
    time_kinds = {"starts_at": Kind.PLANNED, "ends_at": Kind.PLANNED}

    class Meta:
        model = ScreenUse
        fields = ["kind", "used_by", "purpose", "starts_at", "ends_at"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "starts_at": LOCAL_DATETIME,
            "ends_at": LOCAL_DATETIME,
        }
        help_texts = {
            "purpose": _(
                "Approved by a named department leader (REG-9). Entries are never deleted."
            ),
        }

    def clean(self):
        data = super().clean()
        ordered(self, "starts_at", "ends_at", "REG-9")
        return data
