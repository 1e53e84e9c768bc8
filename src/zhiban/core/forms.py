"""Forms of the core records. Services validate with them, so the web UI and the API give
the same per-field messages (422)."""

from __future__ import annotations

import re
from datetime import date, datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import timewindow
from .models import ChatRobot, Deadline, PhoneContact
from .scoping import people_of_centre
from .timewindow import Kind

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
# <input type=date> takes only ISO dates: the locale's 2026/11/20 would show an empty box
LOCAL_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)


def month_span(centre, month: date) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, in the centre's zone."""
    after = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return (
        datetime(month.year, month.month, 1, tzinfo=centre.tz),
        datetime(after.year, after.month, 1, tzinfo=centre.tz),
    )


class MonthForm(forms.Form):
    """A calendar month of a centre, as YYYY-MM; empty is the current month in the centre's
    zone. ``cleaned_data["month"]`` is the month's first day."""

    month = forms.CharField(
        label=_("month"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["month"].initial = f"{timezone.localdate(timezone=centre.tz):%Y-%m}"

    def clean_month(self) -> date:
        raw = self.cleaned_data["month"].strip()
        if not raw:
            return timezone.localdate(timezone=self.centre.tz).replace(day=1)
        match = _MONTH.match(raw)
        if match is None or not (1900 <= int(match[1]) <= 2999 and 1 <= int(match[2]) <= 12):
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-11."))
        return date(int(match[1]), int(match[2]), 1)


class CentreForm(forms.Form):
    """A form of one action in a centre. Its dates and times must lie in the centre's window
    (``time_kinds`` names the planned ones; DESIGN rule 5, ORG-4): ``centre`` is required, so
    no form falls back to the default window."""

    time_kinds: dict[str, Kind] = {}
    do_not_call_in_templates = True  # a template given the class must not call it centre-less

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        timewindow.guard(self, centre)


class CentreModelForm(forms.ModelForm):
    """A ModelForm for a record of one centre: person choices are limited to its people; its
    dates and times must lie in the centre's window (``time_kinds``, ORG-4)."""

    person_fields: tuple[str, ...] = ()
    time_kinds: dict[str, Kind] = {}

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        timewindow.guard(self, centre)
        if self.person_fields:
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
    time_kinds = {"due_at": Kind.PLANNED}

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
