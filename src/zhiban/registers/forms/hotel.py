"""The hotel room centre's forms: wake-up calls and their attempts and attendant visits
(REG-7), the do-not-disturb check (REG-8)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreForm, CentreModelForm
from zhiban.core.timewindow import Kind

from ..models import CallResult, DndCheck, WakeUpCall


class WakeUpCallForm(CentreModelForm):
    """A wake-up call booked: room, time (not in the past, REG-7), guest, requested by and
    when (empty: now)."""

    time_kinds = {"wake_at": Kind.PLANNED}

    class Meta:
        model = WakeUpCall
        fields = ["room", "wake_at", "guest_name", "requested_by", "requested_at"]
        widgets = {"wake_at": LOCAL_DATETIME, "requested_at": LOCAL_DATETIME}
        help_texts = {
            "wake_at": _(
                "Not in the past. A missed call is called again, then a floor attendant is "
                "sent (REG-7)."
            ),
            "requested_at": _("Empty: now. Given when a booking is written down afterwards."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requested_at"].required = False

    def clean(self):
        """The wake-up time may not lie before the booking (REG-7): a call booked now is for a
        time still to come; a booking written down afterwards (the night's sheet) gives when
        it was requested."""
        data = super().clean()
        at = data.get("wake_at")
        booked = data.get("requested_at") or timezone.now().replace(second=0, microsecond=0)
        if at and at < booked and "requested_at" not in self.errors:
            self.add_error(
                "wake_at",
                forms.ValidationError(
                    _("The wake-up time has passed: book a time still to come (REG-7)."),
                    code="REG-7",
                ),
            )
        return data


class AttemptForm(CentreForm):
    """A call made to a room (REG-7, REG-8): its result and when (empty: now)."""

    result = forms.ChoiceField(label=_("result (结果)"), choices=CallResult.choices)
    at = forms.DateTimeField(label=_("called at (拨打时间)"), required=False, widget=LOCAL_DATETIME)
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class AttendantForm(CentreForm):
    """The floor attendant sent to the room after two missed calls (REG-7)."""

    attendant = forms.CharField(label=_("floor attendant sent (派往服务员)"), max_length=60)
    sent_at = forms.DateTimeField(label=_("attendant sent"), required=False, widget=LOCAL_DATETIME)
    found = forms.CharField(
        label=_("what the attendant found (上门情况)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DndCheckForm(CentreModelForm):
    """A room still showing do-not-disturb at the afternoon check (REG-8); seen at, empty:
    now."""

    class Meta:
        model = DndCheck
        fields = ["room", "listed_at"]
        widgets = {"listed_at": LOCAL_DATETIME}
        help_texts = {
            "room": _(
                "Rooms still showing DND at the afternoon check are phoned; no answer tells the "
                "assistant manager and the floor supervisor (REG-8)."
            ),
            "listed_at": _("Empty: now."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listed_at"].required = False


class OutcomeForm(CentreForm):
    """What was found after a room did not answer (REG-8)."""

    outcome = forms.CharField(
        label=_("outcome (处理结果)"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
