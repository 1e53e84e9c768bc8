"""Forms of incidents: what the pages show and what the services validate (ADR 0003)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreForm, CentreModelForm
from zhiban.core.timewindow import Kind, shown

from .models import (
    AccidentRecord,
    Alarm,
    AlarmSource,
    Commissioning,
    Incident,
    IncidentKind,
    StepKind,
    Verdict,
)
from .playbooks import CLOCK_SKEW, kind_of_alarm, minute, playbook
from .words import words_for


class AlarmSourceForm(CentreModelForm):
    class Meta:
        model = AlarmSource
        fields = ["code", "name", "kind", "active"]


# --- incidents and accident records (INC-4 … INC-10, INC-5, DUTY-10) ---------------------------


def _ids(values) -> list[int]:
    """The well-formed ids among submitted values (the field reports the others)."""
    return [int(v) for v in values or () if str(v).isdigit() and 0 < int(v) < 2**63]


class AlarmsChoice:
    """A form choosing alarms of its centre to group into an incident: only the alarms named
    (in the link or the submitted data) are offered, so a flood does not fill the page."""

    def limit_alarms(self, alarm_ids, *, checked: bool = True) -> None:
        field = self.fields["alarms"]
        chosen = field.widget.value_from_datadict(self.data, self.files, self.add_prefix("alarms"))
        ids = _ids(chosen if self.is_bound else alarm_ids)
        field.queryset = (
            Alarm.objects.filter(centre=self.centre, pk__in=ids)
            .select_related("source", "site", "equipment")
            .order_by("first_at", "id")
        )
        words = words_for(self.centre)
        field.label_from_instance = lambda a: (
            f"{a} · {words.label(a.klass)} · {shown(a.first_at, fmt='%m-%d %H:%M')}"
        )
        if not ids:
            field.widget = forms.MultipleHiddenInput()
        elif checked and not self.is_bound:
            self.initial["alarms"] = ids

    def clean_alarms(self):
        alarms = self.cleaned_data["alarms"]
        taken = [a for a in alarms if a.incident_id and a.incident_id != self.instance_pk]
        if taken:
            raise forms.ValidationError(
                _("Already grouped into another incident: %(alarms)s")
                % {"alarms": "、".join(str(a) for a in taken)}
            )
        return alarms


def _alarms_field():
    return forms.ModelMultipleChoiceField(
        label=_("alarms"),
        queryset=Alarm.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class IncidentForm(AlarmsChoice, CentreModelForm):
    """An incident at the centre, of a kind whose playbook it follows (INC-4 … INC-10).
    Opened from alarms it groups them and takes the site, title and kind from the first of
    them; an incident seen on camera names the location and the persons (INC-10)."""

    alarms = _alarms_field()

    class Meta:
        model = Incident
        fields = ["kind", "site", "title", "location", "persons", "description", "opened_at"]
        widgets = {
            "opened_at": LOCAL_DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
            "persons": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, alarm_ids=(), **kwargs):
        from zhiban.org.models import Site

        super().__init__(*args, **kwargs)
        self.instance_pk = self.instance.pk
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre)
        self.fields["kind"].required = self.fields["title"].required = False
        self.fields["title"].help_text = _("Taken from the first alarm when left empty.")
        self.limit_alarms(alarm_ids)
        self.words = words_for(self.centre)
        if not self.is_bound:
            self._prefill()
        kind = self.fields["kind"]
        kind.choices = self.words.incident_choices(kind.choices, keep={self.instance.kind})

    def _prefill(self) -> None:
        self.initial.setdefault("opened_at", timezone.now().replace(second=0, microsecond=0))
        first = self.fields["alarms"].queryset.first() if self.initial.get("alarms") else None
        if first is not None:
            self.initial.update(
                site=first.site_id,
                title=str(first)[:200],
                kind=self.words.offered(kind_of_alarm(first)),
                description=first.text,
            )

    def clean(self):
        data = super().clean()
        first = next(iter(data.get("alarms") or ()), None)
        if first is not None:
            data["site"] = data.get("site") or first.site
            data["title"] = data.get("title") or str(first)[:200]
            data["kind"] = data.get("kind") or self.words.offered(kind_of_alarm(first))
        data["kind"] = data.get("kind") or IncidentKind.OTHER
        if not data.get("title") and "title" not in self.errors:
            self.add_error("title", forms.Field.default_error_messages["required"])
        for name in playbook(data["kind"]).requires:
            if not data.get(name):
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("Required for an incident seen on camera (INC-10)."), code="INC-10"
                    ),
                )
        opened = data.get("opened_at")
        if opened and opened > timezone.now() + CLOCK_SKEW:  # its steps could not follow it
            self.add_error("opened_at", _("The time is in the future."))
        return data


class IncidentCloseForm(forms.Form):
    note = forms.CharField(label=_("how it ended"), max_length=500)


class IncidentAlarmsForm(AlarmsChoice, forms.Form):
    """More alarms grouped into an incident."""

    alarms = _alarms_field()

    def __init__(self, *args, centre, incident, alarm_ids=(), offer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre, self.instance_pk = centre, incident.pk
        self.limit_alarms(alarm_ids, checked=not offer)

    def clean(self):
        data = super().clean()
        if not data.get("alarms") and "alarms" not in self.errors:
            self.add_error("alarms", forms.Field.default_error_messages["required"])
        return data


class StepForm(CentreForm):
    """One step of an incident with its time, who was contacted and what was said or done.
    On a page it is shaped by the playbook's line for that step (``line``)."""

    kind = forms.ChoiceField(label=_("step"), choices=StepKind.choices, widget=forms.HiddenInput)
    at = forms.DateTimeField(label=_("time"), required=False, widget=LOCAL_DATETIME)
    counterpart = forms.CharField(label=_("contacted"), max_length=100, required=False)
    location = forms.CharField(label=_("location"), max_length=200, required=False)
    text = forms.CharField(
        label=_("what was said or done"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        if line is None:
            return
        if line.contact:
            self.fields["counterpart"].label = line.contact
            self.fields["counterpart"].required = True
        else:
            del self.fields["counterpart"]
        if line.needs_location:
            self.fields["location"].required = True
        else:
            del self.fields["location"]
        self.fields["text"].required = line.needs_text


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(label=_("verdict"), choices=Verdict.choices)


class AccidentRecordForm(CentreModelForm):
    """What the centre completes on an accident record (INC-5)."""

    person_fields = ("operator",)

    class Meta:
        model = AccidentRecord
        fields = [
            "kind",
            "breakers",
            "description",
            "protection",
            "cause",
            "voltage_level",
            "dispatcher",
            "dispatcher_at",
            "superiors",
            "superiors_at",
            "operator",
            "incident",
        ]
        widgets = {
            "dispatcher_at": LOCAL_DATETIME,
            "superiors_at": LOCAL_DATETIME,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = Incident.objects.filter(centre=self.centre)

    def clean(self):
        data = super().clean()
        occurred = data.get("occurred_at") or self.instance.occurred_at
        for name in ("dispatcher_at", "superiors_at"):
            at = data.get(name)
            if at and occurred and at < minute(occurred):
                self.add_error(
                    name, forms.ValidationError(_("Before the trip (INC-5)."), code="INC-5")
                )
            elif at and at > timezone.now() + CLOCK_SKEW:
                self.add_error(name, _("The time is in the future."))
        return data


class AccidentRecordCreateForm(AccidentRecordForm):
    """An accident record written by hand, for a trip seen without an alarm (INC-5)."""

    class Meta(AccidentRecordForm.Meta):
        fields = ["site", "equipment", "occurred_at", *AccidentRecordForm.Meta.fields]
        widgets = {**AccidentRecordForm.Meta.widgets, "occurred_at": LOCAL_DATETIME}

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Equipment, Site

        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre)
        field = self.fields["equipment"]
        field.queryset = Equipment.objects.filter(site__centre=self.centre).select_related("site")
        field.label_from_instance = lambda e: f"{e.site.name} · {e.double_name}"
        self.initial.setdefault("occurred_at", timezone.now().replace(second=0, microsecond=0))
        self.fields["breakers"].required = False
        self.fields["breakers"].help_text = _("The equipment's double name when left empty.")

    def clean(self):
        data = super().clean()
        site, equipment, occurred = data.get("site"), data.get("equipment"), data.get("occurred_at")
        if site and equipment and equipment.site_id != site.pk:
            self.add_error("equipment", _("Not at this station."))
        data["breakers"] = data.get("breakers") or (equipment.double_name if equipment else "")
        if not data["breakers"] and "breakers" not in self.errors:
            self.add_error("breakers", forms.Field.default_error_messages["required"])
        if occurred and occurred > timezone.now() + CLOCK_SKEW:
            self.add_error("occurred_at", _("The time is in the future."))
        return data


# --- alarms: people's actions (INC-2) -----------------------------------------------------------


class AlarmShelveForm(CentreForm):
    """INC-2: a shelved alarm carries the reason and an expiry, at most the centre's
    ``alarms.shelve_max_hours`` ahead."""

    time_kinds = {"until": Kind.PLANNED}
    reason = forms.CharField(label=_("reason for shelving"), max_length=200)
    until = forms.DateTimeField(label=_("shelved until"), widget=LOCAL_DATETIME)

    def clean_until(self):
        until = self.cleaned_data["until"]
        now = timezone.now()
        hours = self.centre.setting("alarms.shelve_max_hours")
        if until <= now:
            raise forms.ValidationError(
                _("The expiry must be in the future (INC-2)."), code="INC-2"
            )
        if until > now + timedelta(hours=hours):
            raise forms.ValidationError(
                _("An alarm may be shelved for at most %(hours)s hours (INC-2).")
                % {"hours": hours},
                code="INC-2",
            )
        return until


class CommissioningForm(CentreModelForm):
    """INC-2: equipment of the centre being commissioned in a window; its new alarms are
    suppressed."""

    time_kinds = {"starts_at": Kind.PLANNED, "ends_at": Kind.PLANNED}

    class Meta:
        model = Commissioning
        fields = ["equipment", "starts_at", "ends_at", "note"]
        widgets = {"starts_at": LOCAL_DATETIME, "ends_at": LOCAL_DATETIME}

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Equipment

        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = Equipment.objects.filter(
            site__centre=self.centre
        ).select_related("site")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error(
                "ends_at",
                forms.ValidationError(
                    _("The end must come after the start (INC-2)."), code="INC-2"
                ),
            )
        return data
