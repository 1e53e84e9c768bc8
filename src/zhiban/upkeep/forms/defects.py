"""The defect report form (DEF-1, DEF-2): where, what, how grave."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import CentreModelForm
from zhiban.org.models import Equipment, Site

from ..models import Defect


class DefectForm(CentreModelForm):
    """A defect reported from anywhere: site, equipment, kind, grade and phenomenon (DEF-1)."""

    class Meta:
        model = Defect
        fields = [
            "site",
            "equipment",
            "kind",
            "grade",
            "phenomenon",
            "affects_monitoring",
            "temporary_measure",
        ]
        widgets = {
            "phenomenon": forms.Textarea(attrs={"rows": 3}),
            "temporary_measure": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre, active=True)
        self.fields["equipment"].queryset = Equipment.objects.filter(
            centre=self.centre, active=True
        ).select_related("site")

    def clean(self):
        data = super().clean()
        site, equipment = data.get("site"), data.get("equipment")
        if site and equipment and equipment.site_id != site.pk:
            self.add_error("equipment", _("The equipment is not at this site."))
        return data
