"""Forms of the core records. Services validate with them, so the web UI and the API give
the same per-field messages (422)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChatRobot, Deadline, PhoneContact

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CentreModelForm(forms.ModelForm):
    """A ModelForm for a record of one centre: person choices are limited to its people."""

    person_fields: tuple[str, ...] = ()

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        if self.person_fields:
            from zhiban.org.selectors import people_of_centre

            people = people_of_centre(centre)
            for name in self.person_fields:
                if name in self.fields:
                    self.fields[name].queryset = people


class PhoneContactForm(CentreModelForm):
    person_fields = ("our_person", "party_person")

    class Meta:
        model = PhoneContact
        fields = [
            "direction",
            "at",
            "our_person",
            "party_name",
            "party_person",
            "party_phone",
            "subject",
            "content",
            "read_back",
        ]
        widgets = {
            "at": LOCAL_DATETIME,
            "content": forms.Textarea(attrs={"rows": 3}),
            "read_back": forms.Textarea(attrs={"rows": 2}),
        }


class ReadBackForm(forms.Form):
    read_back = forms.CharField(
        label=_("read-back"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeadlineForm(CentreModelForm):
    person_fields = ("assignee",)

    class Meta:
        model = Deadline
        fields = ["name", "due_at", "assignee"]
        widgets = {"due_at": LOCAL_DATETIME}


class ChatRobotForm(CentreModelForm):
    url = forms.URLField(label=_("webhook address"), max_length=500, assume_scheme="https")

    class Meta:
        model = ChatRobot
        fields = ["name", "channel", "url", "secret", "min_level", "active"]
        widgets = {"secret": forms.PasswordInput(render_value=True)}
