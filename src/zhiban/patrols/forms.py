"""Forms of patrol plans, checkpoints and a round's acts. The services validate with them, so
the pages and the API give the same per-field messages (ADR 0003)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import CentreForm, CentreModelForm
from zhiban.core.nav import POWER
from zhiban.org.models import Equipment, Site, Team

from .models import Checkpoint, CheckpointKind, PatrolPlan, PlanKind, Result

# "消火栓 >= 2" or "消火栓 ≥2": a counted item with its minimum
_COUNTED = re.compile(r"^(?P<text>.+?)\s*(?:>=|≥)\s*(?P<minimum>\d{1,4})$")
MAX_ITEMS = 50
MAX_COUNT = 10_000


def parse_items(text: str) -> list[tuple[str, int | None]]:
    """Check items, one per line; ``text >= N`` is counted with a minimum N (PAT-2)."""
    items = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        match = _COUNTED.match(line)
        if match:
            items.append((match["text"].strip()[:200], int(match["minimum"])))
        else:
            items.append((line[:200], None))
    return items


class CheckpointForm(CentreModelForm):
    """A checkpoint at one of the centre's sites, with its check items (PAT-1)."""

    items = forms.CharField(
        label=_("check items"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line; a counted item ends with its minimum, e.g. “fire hydrants >= 2” (PAT-2)."
        ),
    )

    class Meta:
        model = Checkpoint
        fields = ["site", "equipment", "kind", "name", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre, active=True)
        self.fields["equipment"].queryset = Equipment.objects.filter(
            centre=self.centre, active=True
        ).select_related("site")
        if self.instance.pk and not self.is_bound:
            self.initial["items"] = self.instance.items_text

    def clean_items(self):
        items = parse_items(self.cleaned_data.get("items", ""))
        if len(items) > MAX_ITEMS:
            raise forms.ValidationError(
                _("At most %(n)d check items.") % {"n": MAX_ITEMS}, code="PAT-1"
            )
        return items

    def clean(self):
        data = super().clean()
        site, equipment = data.get("site"), data.get("equipment")
        if site and equipment and equipment.site_id != site.pk:
            self.add_error("equipment", _("The equipment is not at this site."))
        if data.get("kind") in (CheckpointKind.EQUIPMENT, CheckpointKind.CAMERA) and not equipment:
            self.add_error(
                "equipment",
                forms.ValidationError(
                    _("Name the equipment or camera checked (PAT-1)."), code="PAT-1"
                ),
            )
        return data


class PlanForm(CentreModelForm):
    """A patrol plan: what, where, by whom and how often (PAT-1). Left empty, the numbers
    take the centre's settings (DESIGN rule 6)."""

    class Meta:
        model = PatrolPlan
        fields = [
            "name",
            "what",
            "kind",
            "times",
            "interval_minutes",
            "window_starts",
            "window_ends",
            "role",
            "team",
            "station_patrol",
            "checkpoints",
            "active",
        ]
        widgets = {
            "window_starts": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "window_ends": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "checkpoints": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(centre=self.centre, active=True)
        self.fields["checkpoints"].queryset = Checkpoint.objects.filter(
            centre=self.centre, active=True
        ).select_related("site")
        if self.centre.kind != POWER:  # the field operator's call to the centre (PAT-4)
            del self.fields["station_patrol"]
        self.fields["times"].widget.attrs.update({"min": 1, "max": 10_000})
        self.fields["interval_minutes"].widget.attrs.update({"min": 5, "max": 1440})

    def _time_of_day(self, name):
        value = self.cleaned_data.get(name)
        if value is not None and value.tzinfo is not None:
            raise forms.ValidationError(
                _("A time of day in the centre's zone, without an offset (PAT-1)."), code="PAT-1"
            )
        return value

    def clean_window_starts(self):
        return self._time_of_day("window_starts")

    def clean_window_ends(self):
        return self._time_of_day("window_ends")

    def clean(self):
        data = super().clean()
        kind, centre = data.get("kind"), self.centre
        if kind == PlanKind.PER_SHIFT and not data.get("times"):
            data["times"] = centre.setting("patrols.station_checks_per_shift")
        if kind == PlanKind.SAMPLED and not data.get("times"):
            data["times"] = centre.setting("patrols.sampled_per_shift")
        if kind == PlanKind.INTERVAL:
            data["interval_minutes"] = data.get("interval_minutes") or centre.setting(
                "patrols.camera_sweep_minutes"
            )
            if not 5 <= data["interval_minutes"] <= 1440:
                self.add_error(
                    "interval_minutes",
                    forms.ValidationError(_("Between 5 and 1440 minutes (PAT-1)."), code="PAT-1"),
                )
        if kind in (PlanKind.PER_SHIFT, PlanKind.SAMPLED) and data.get("times", 0) > 10_000:
            self.add_error(
                "times", forms.ValidationError(_("At most 10000 (PAT-1)."), code="PAT-1")
            )
        if kind == PlanKind.PER_SHIFT and data.get("times", 0) > 96:
            self.add_error(
                "times",
                forms.ValidationError(_("At most 96 rounds per shift (PAT-1)."), code="PAT-1"),
            )
        if kind == PlanKind.WINDOW:
            starts, ends = data.get("window_starts"), data.get("window_ends")
            if starts is None:
                self.add_error(
                    "window_starts",
                    forms.ValidationError(
                        _("A fixed-window plan needs its window (PAT-1)."), code="PAT-1"
                    ),
                )
            if ends is None:
                self.add_error(
                    "window_ends",
                    forms.ValidationError(
                        _("A fixed-window plan needs its window (PAT-1)."), code="PAT-1"
                    ),
                )
            if starts is not None and ends is not None and starts == ends:
                self.add_error(
                    "window_ends",
                    forms.ValidationError(
                        _("The window ends after it starts (PAT-1)."), code="PAT-1"
                    ),
                )
        if not data.get("role") and not data.get("team"):
            self.add_error(
                "role",
                forms.ValidationError(
                    _("Name the role or the team that walks the plan (PAT-1)."), code="PAT-1"
                ),
            )
        if "checkpoints" in data and not data["checkpoints"]:
            self.add_error(
                "checkpoints",
                forms.ValidationError(
                    _("A plan checks at least one checkpoint (PAT-1)."), code="PAT-1"
                ),
            )
        return data


class AnswerForm(CentreForm):
    """The centre's answer to the field operator's question before a station patrol (PAT-4)."""

    question = forms.CharField(
        label=_("field operator's question"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer = forms.CharField(
        label=_("centre's answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anomalies to check or signals to reset; “none” if there are none (PAT-4)."),
    )


class ResultForm(CentreForm):
    """A checkpoint's result in a round (PAT-2); the counted items come beside it."""

    checkpoint = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    result = forms.ChoiceField(
        label=_("result"),
        choices=[(Result.NORMAL, Result.NORMAL.label), (Result.ABNORMAL, Result.ABNORMAL.label)],
        widget=forms.RadioSelect,
        initial=Result.NORMAL,
    )
    note = forms.CharField(
        label=_("note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("result") == Result.ABNORMAL and not data.get("note", "").strip():
            self.add_error(
                "note", forms.ValidationError(_("Say what is abnormal (PAT-2)."), code="PAT-2")
            )
        return data


class ConfirmForm(CentreForm):
    """A checkpoint's QR code read by the phone's camera, or its short code typed (PAT-2)."""

    code = forms.CharField(label=_("code on the checkpoint"), max_length=60)
