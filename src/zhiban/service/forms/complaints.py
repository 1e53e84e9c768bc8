"""The complaint part of the intake (CS-4, CS-5). PLACEHOLDER until the complaints work lands."""

from django import forms

from ..models import Complaint


class ComplaintForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = ["kind", "complained_of", "reason", "major", "bodily_harm"]
