"""Forms of incidents: what the pages show and what the services validate (ADR 0003)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreModelForm

from .models import AlarmSource, Incident


class AlarmSourceForm(CentreModelForm):
    class Meta:
        model = AlarmSource
        fields = ["code", "name", "kind", "active"]


class IncidentForm(CentreModelForm):
    class Meta:
        model = Incident
        fields = ["site", "title", "description", "opened_at"]
        widgets = {"opened_at": LOCAL_DATETIME, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Site

        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre)


class IncidentCloseForm(forms.Form):
    note = forms.CharField(label=_("how it ended"), max_length=500)
