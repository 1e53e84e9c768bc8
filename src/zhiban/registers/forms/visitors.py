"""The visitor register's form (REG-1)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import CentreModelForm

from ..models import Visitor


class VisitorForm(CentreModelForm):
    class Meta:
        model = Visitor
        fields = ["name", "organisation", "reason", "escort"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "escort": _(
                "Entry to the monitoring room only after a named department leader approved "
                "(REG-1). Entries are never deleted."
            ),
        }
