"""Forms of the duty records; ``duty.services`` validates with them (422 per field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATE, LOCAL_DATETIME, CentreForm, CentreModelForm
from zhiban.core.timewindow import Kind

from .models import (
    POSTS,
    CarriedItem,
    CheckItem,
    CheckState,
    LogEntry,
    SevereWeather,
    ShiftPattern,
    log_categories,
)


class ShiftPatternForm(CentreModelForm):
    """DUTY-1: no zero-length shift, no two shifts of a centre at the same time."""

    class Meta:
        model = ShiftPattern
        fields = ["name", "starts", "ends", "active"]
        widgets = {
            "starts": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts is None or ends is None:
            return data
        if starts == ends:
            raise forms.ValidationError(
                _("A shift cannot start and end at the same time (DUTY-1)."), code="DUTY-1"
            )
        candidate = ShiftPattern(starts=starts, ends=ends)
        others = ShiftPattern.objects.filter(centre=self.centre, active=True).exclude(
            pk=self.instance.pk
        )
        for other in others if data.get("active", True) else []:
            if overlap(candidate, other):
                raise forms.ValidationError(
                    _("This shift overlaps %(other)s (DUTY-1).") % {"other": other}, code="DUTY-1"
                )
        name = data.get("name")
        if (
            name
            and ShiftPattern.objects.filter(centre=self.centre, name=name)
            .exclude(pk=self.instance.pk)
            .exists()
        ):
            self.add_error("name", _("This centre already has a shift of that name."))
        return data


def overlap(a: ShiftPattern, b: ShiftPattern) -> bool:
    """Do two daily shifts share any minute (shifts may cross midnight)?"""
    a0 = a.starts.hour * 60 + a.starts.minute
    b0 = b.starts.hour * 60 + b.starts.minute
    return any(
        a0 < b0 + shift + b.minutes and b0 + shift < a0 + a.minutes for shift in (-1440, 0, 1440)
    )


class RosterForm(CentreForm):
    """Put a person on a post in a shift (DUTY-1)."""

    pattern = forms.ModelChoiceField(label=_("shift"), queryset=ShiftPattern.objects.none())
    day = forms.DateField(label=_("date"), widget=LOCAL_DATE)
    person = forms.ModelChoiceField(label=_("person"), queryset=None)
    post = forms.CharField(
        label=_("post"), max_length=20, widget=forms.TextInput(attrs={"list": "posts"})
    )

    def __init__(self, *args, centre, **kwargs):
        from zhiban.org.selectors import people_of_centre

        super().__init__(*args, centre=centre, **kwargs)
        self.fields["pattern"].queryset = ShiftPattern.objects.filter(centre=centre, active=True)
        self.fields["person"].queryset = people_of_centre(centre).filter(is_active=True)
        self.posts = POSTS


class CopyWeekForm(CentreForm):
    week = forms.DateField(label=_("copy the week starting"), widget=LOCAL_DATE)


class SwapForm(forms.Form):
    first = forms.IntegerField(label=_("first place"), min_value=1, max_value=2**63 - 1)
    second = forms.IntegerField(label=_("second place"), min_value=1, max_value=2**63 - 1)
    reason = forms.CharField(label=_("reason"), max_length=200)


class CheckItemForm(CentreModelForm):
    class Meta:
        model = CheckItem
        fields = ["name", "order", "active"]

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = CheckItem.objects.filter(centre=self.centre, name=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This centre already checks an item of that name."))
        return name


class CarriedItemForm(CentreModelForm):
    class Meta:
        model = CarriedItem
        fields = ["text", "continued_by", "site"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Site

        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre)


class CloseForm(forms.Form):
    resolution = forms.CharField(
        label=_("how it was closed"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class HandoverNotesForm(forms.Form):
    work_done = forms.CharField(
        label=_("work done this shift"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(
        label=_("notes for the next shift"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckResultForm(forms.Form):
    """The outgoing side's result for one shared item; abnormal needs a note (DUTY-4)."""

    state = forms.ChoiceField(
        label=_("state"),
        choices=[
            (CheckState.NORMAL, CheckState.NORMAL.label),
            (CheckState.ABNORMAL, CheckState.ABNORMAL.label),
        ],
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("state") == CheckState.ABNORMAL and not data.get("note", "").strip():
            self.add_error(
                "note", forms.ValidationError(_("Say what is abnormal (DUTY-4)."), code="DUTY-4")
            )
        return data


class UnclearForm(forms.Form):
    note = forms.CharField(
        label=_("what is unclear"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RunningIncidentForm(CentreForm):
    """DUTY-10: who is on an incident handed over as running, and when it should end."""

    time_kinds = {"expected_at": Kind.PLANNED}

    handled_by = forms.CharField(
        label=_("who is on it"),
        max_length=100,
        help_text=_("The team or person handling it, e.g. 远动班 张工"),
    )
    expected_at = forms.DateTimeField(label=_("expected to end"), widget=LOCAL_DATETIME)


class ClarifyForm(forms.Form):
    clarification = forms.CharField(
        label=_("clarification"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class LogEntryForm(CentreModelForm):
    """A duty log entry written by a person (DUTY-6: the author is who did it)."""

    class Meta:
        model = LogEntry
        fields = ["category", "text", "at", "site", "equipment"]
        widgets = {"at": LOCAL_DATETIME, "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Equipment, Site

        super().__init__(*args, **kwargs)
        self.fields["at"].required = False
        self.fields["at"].help_text = _("Leave empty for now.")
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre)
        equipment = Equipment.objects.filter(centre=self.centre).select_related("site")
        self.fields["equipment"].queryset = equipment
        self.fields["equipment"].choices = by_site(equipment.order_by("site__name", "name"))
        self.fields["category"].choices = log_categories(self.centre.kind)

    def clean(self):
        """ORG-2: the equipment of an entry is equipment of the entry's site."""
        data = super().clean()
        site, equipment = data.get("site"), data.get("equipment")
        if site and equipment and equipment.site_id != site.pk:
            message = _("%(equipment)s is at %(its)s, not at %(site)s (ORG-2).") % {
                "equipment": equipment.double_name,
                "its": equipment.site,
                "site": site,
            }
            self.add_error("equipment", forms.ValidationError(message, code="ORG-2"))
        return data


def by_site(equipment) -> list:
    """Equipment choices as one group per site, each by its double name (OPS-15)."""
    groups: dict[str, list] = {}
    for item in equipment:
        groups.setdefault(str(item.site), []).append((item.pk, item.double_name))
    return [("", "---------"), *groups.items()]


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("corrected entry"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )


class WeatherForm(CentreModelForm):
    class Meta:
        model = SevereWeather
        fields = ["kind", "reason"]


class ConfirmOnPostForm(forms.Form):
    where = forms.CharField(label=_("where"), max_length=100, required=False)
