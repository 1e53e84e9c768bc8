"""Forms of the monthly customer records (CS-10): the upload (month, shop, file) and a spot
check of one imported customer."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core import timewindow
from zhiban.core.forms import MonthForm
from zhiban.core.timewindow import Kind

RULE = "CS-10"


class RecordsMonthForm(MonthForm):
    """A month of the records, as YYYY-MM (empty: this month in the centre's zone)."""


class CustomerImportForm(RecordsMonthForm):
    """A shop's sheet for a month: not a month to come (CS-10), nor one before the centre's
    window (ORG-4)."""

    shop = forms.CharField(
        label=_("shop"),
        max_length=60,
        help_text=_("The shop whose customer records these are, e.g. 吴中万达店"),
    )
    file = forms.FileField(
        label=_("file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, centre=centre, **kwargs)
        self.fields["month"].required = True

    def clean_month(self) -> date:
        month = super().clean_month()
        today = timezone.localdate(timezone=self.centre.tz)
        if month > today.replace(day=1):
            raise forms.ValidationError(
                _("The records of a month to come cannot be imported yet (CS-10)."), code=RULE
            )
        earliest, _latest = timewindow.bounds(self.centre, Kind.CALENDAR)
        first = earliest.astimezone(self.centre.tz).date().replace(day=1)
        if month < first:
            raise forms.ValidationError(
                _("The month must lie between %(earliest)s and %(latest)s (%(rule)s).")
                % {"earliest": f"{first:%Y-%m}", "latest": f"{today:%Y-%m}", "rule": "ORG-4"},
                code="ORG-4",
            )
        return month

    def clean_shop(self) -> str:
        shop = self.cleaned_data["shop"].strip()
        if not shop:
            raise forms.ValidationError(_("Name the shop (CS-10)."), code=RULE)
        return shop


class SpotCheckForm(forms.Form):
    """The regional manager's check of one customer of an import (CS-10): correct or not, and
    what is wrong when not."""

    customer = forms.IntegerField(label=_("customer"), min_value=1, widget=forms.HiddenInput)
    correct = forms.TypedChoiceField(
        label=_("record correct"),
        choices=[("true", _("correct")), ("false", _("not correct"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
    )
    note = forms.CharField(
        label=_("note"),
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={"placeholder": _("What is wrong, when the record is not correct")}
        ),
    )

    def clean(self):
        data = super().clean()
        if data.get("correct") is False and not (data.get("note") or "").strip():
            self.add_error(
                "note",
                forms.ValidationError(_("Say what is wrong with the record (CS-10)."), code=RULE),
            )
        return data
