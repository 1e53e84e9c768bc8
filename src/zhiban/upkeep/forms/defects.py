"""The defect report form (DEF-1, DEF-2): where, what, how grave."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import CentreForm, CentreModelForm
from zhiban.org.models import Equipment, Person, Site

from ..models import Defect, DefectGrade, DefectKind


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


class ClassifyForm(CentreForm):
    """定性 (DEF-1, DEF-2): the grade and kind confirmed or changed; a changed kind re-routes."""

    grade = forms.ChoiceField(label=_("grade"), choices=DefectGrade.choices)
    kind = forms.ChoiceField(label=_("kind"), choices=DefectKind.choices)


class MeasureForm(CentreForm):
    """A temporary measure (临时措施): recorded, the grade stays (DEF-1)."""

    temporary_measure = forms.CharField(
        label=_("temporary measure (临时措施)"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A temporary measure does not lower the grade (DEF-1)."),
    )


class AssignForm(CentreForm):
    """Who eliminates it: one of the owner side (DEF-2)."""

    assignee = forms.ModelChoiceField(label=_("assign to"), queryset=Person.objects.none())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = people if people is not None else Person.objects.none()
        self.fields["assignee"].error_messages["invalid_choice"] = _(
            "Assign it to someone of the side that handles it (DEF-2)."
        )


class EliminateForm(CentreForm):
    """消缺: what was done (DEF-1)."""

    elimination = forms.CharField(
        label=_("how it was eliminated"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RejectForm(CentreForm):
    """Verification failed: why, back to the assignee (DEF-1)."""

    reason = forms.CharField(
        label=_("why it is not eliminated"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
