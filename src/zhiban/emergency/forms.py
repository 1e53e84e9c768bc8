"""Forms of emergency plans, their runs, ticks and reports (EMG-1, EMG-2). The services
validate with them, so pages and the API give the same per-field messages (ADR 0003)."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhiban.alarms.models import AlarmClass, SourceKind
from zhiban.alarms.words import words_for
from zhiban.core.forms import LOCAL_DATETIME, CentreForm, CentreModelForm

from .models import EmergencyPlan, EmergencyRun

MAX_ITEMS = 60
_WHO = re.compile(r"\s*[|｜]\s*")
_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")
# an 11-digit mainland mobile, or a landline with its area code (010/02x + 8, 0xxx + 7 or 8)
_PHONE = re.compile(r"^1[3-9]\d{9}$|^0(?:10|2\d)\d{8}$|^0[3-9]\d{2}\d{7,8}$")


def items_text(plan: EmergencyPlan) -> str:
    """A plan's checklist as the form shows it: one item a line, "what | who"."""
    return "\n".join(
        f"{item.text} | {item.who}" if item.who else item.text for item in plan.items.all()
    )


def parse_items(text: str) -> list[tuple[str, str]]:
    """(what, who) of each non-empty line; "who" after a | (or ｜) is optional."""
    items = []
    for line in text.splitlines():
        if line.strip():
            what, *who = _WHO.split(line.strip(), maxsplit=1)
            items.append((what.strip(), who[0].strip() if who else ""))
    return items


class PlanForm(CentreModelForm):
    """An emergency plan with its checklist, one item a line (EMG-1)."""

    source_kinds = forms.MultipleChoiceField(
        label=_("started by alarms of these sources"),
        choices=SourceKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("An alarm of such a source starts a run of this plan (EMG-1)."),
    )
    alarm_classes = forms.MultipleChoiceField(
        label=_("started by alarms of these classes"),
        choices=AlarmClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    items = forms.CharField(
        label=_("checklist"),
        max_length=20000,
        required=False,  # empty is refused by clean_items, naming EMG-1
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One item a line, in order; who does it after a bar, e.g. "
            "“Call 119 and report the fire | shift leader” (EMG-1)."
        ),
    )

    class Meta:
        model = EmergencyPlan
        fields = [
            "name",
            "scenario",
            "source_kinds",
            "alarm_classes",
            "needs_report",
            "active",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "needs_report": _(
                "The run cannot close before the report is complete; a theft always needs "
                "one (EMG-2)."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alarm_classes"].choices = words_for(self.centre).choices()
        if self.instance.pk and not self.is_bound:
            self.fields["items"].initial = items_text(self.instance)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = EmergencyPlan.objects.filter(centre=self.centre, name=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("The centre has a plan of this name already."))
        return name

    def clean_items(self) -> list[tuple[str, str]]:
        items = parse_items(self.cleaned_data["items"])
        if not items:
            raise ValidationError(_("A plan needs at least one item (EMG-1)."), code="EMG-1")
        if len(items) > MAX_ITEMS:
            raise ValidationError(
                _("A plan has at most %(n)s items.") % {"n": MAX_ITEMS}, code="EMG-1"
            )
        for what, who in items:
            if len(what) > 300 or len(who) > 60:
                raise ValidationError(
                    _("An item is at most 300 characters, who does it at most 60."), code="EMG-1"
                )
        return items


class RunStartForm(CentreModelForm):
    """A plan started for an event (EMG-1)."""

    class Meta:
        model = EmergencyRun
        fields = ["plan", "event", "started_at"]
        widgets = {"started_at": LOCAL_DATETIME}
        help_texts = {
            "event": _("What happened, where: e.g. smoke on the 3rd floor, shop 3F-12."),
            "started_at": _("Now, unless the plan was started earlier."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plans = EmergencyPlan.objects.filter(centre=self.centre, active=True)
        self.fields["plan"].queryset = plans
        self.fields["started_at"].required = False


class TickForm(CentreForm):
    """An item ticked: when (now unless given) and a note (EMG-1)."""

    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    at = forms.DateTimeField(label=_("done at"), required=False, widget=LOCAL_DATETIME)
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class SkipForm(CentreForm):
    """An item skipped, with the reason (EMG-1)."""

    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("why it is skipped"), max_length=300)


def _phone(value: str) -> str:
    number = _PHONE_SEPARATORS.sub("", value or "")
    for prefix in ("+86", "0086"):
        number = number.removeprefix(prefix)
    if not _PHONE.match(number):
        raise ValidationError(
            _(
                "Enter an 11-digit mobile number or a landline with its area code, e.g. "
                "0512-62880119 (EMG-2)."
            ),
            code="EMG-2",
        )
    return number


class ReportForm(CentreModelForm):
    """The emergency or theft report (报案资料, EMG-2); it may be written in parts, the run
    closes only when it is complete."""

    class Meta:
        model = EmergencyRun
        fields = list(EmergencyRun.REPORT_FIELDS)
        widgets = {"reporter_phone": forms.TextInput(attrs={"type": "tel"})}

    def clean_reporter_phone(self) -> str:
        value = self.cleaned_data["reporter_phone"].strip()
        return _phone(value) if value else ""
