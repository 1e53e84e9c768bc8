"""Forms of operation counters (CNT-1 … CNT-3): opening a counter, the team's limit, the
centre's month-end figure, the reset after maintenance, the import upload and the list's
filters. The services validate with them, so pages and API give the same messages."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import MonthForm
from zhiban.org.models import Equipment, EquipmentKind, Site

from ..models import CounterKind

# CNT-1: which equipment each counter belongs to (a capacitor's switching may be counted on
# its own breaker, a tap changer's steps on its main transformer)
COUNTED_KINDS: dict[str, tuple[str, ...]] = {
    CounterKind.TRIP: (EquipmentKind.BREAKER,),
    CounterKind.SWITCHING: (EquipmentKind.CAPACITOR, EquipmentKind.BREAKER),
    CounterKind.TAP: (EquipmentKind.TAP_CHANGER, EquipmentKind.MAIN_TRANSFORMER),
}
COUNTED_EQUIPMENT = tuple({k for kinds in COUNTED_KINDS.values() for k in kinds})
MAX_COUNT = 10_000_000
MAX_UPLOAD = 10 * 1024 * 1024


def kind_fits(kind: str, equipment_kind: str) -> bool:
    return equipment_kind in COUNTED_KINDS.get(kind, ())


class CounterOpenForm(forms.Form):
    """A counter for equipment that has none of this kind yet, with its limit if known."""

    equipment = forms.ModelChoiceField(label=_("equipment"), queryset=Equipment.objects.none())
    kind = forms.ChoiceField(label=_("counter"), choices=CounterKind.choices)
    limit = forms.IntegerField(
        label=_("limit (极限次数)"),
        required=False,
        min_value=1,
        max_value=MAX_COUNT,
        help_text=_("Kept by the team serving the station (CNT-1)."),
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["equipment"].queryset = (
            Equipment.objects.filter(centre=centre, active=True, kind__in=COUNTED_EQUIPMENT)
            .select_related("site")
            .order_by("site__name", "tree_path")
        )

    def clean(self):
        data = super().clean()
        equipment, kind = data.get("equipment"), data.get("kind")
        if equipment is not None and kind and not kind_fits(kind, equipment.kind):
            self.add_error(
                "kind",
                forms.ValidationError(
                    _("%(equipment)s (%(kind)s) has no such counter (CNT-1).")
                    % {"equipment": equipment.double_name, "kind": equipment.get_kind_display()},
                    code="CNT-1",
                ),
            )
        return data


class CounterLimitForm(forms.Form):
    limit = forms.IntegerField(
        label=_("limit (极限次数)"),
        min_value=1,
        max_value=MAX_COUNT,
        help_text=_(
            "The operations allowed before maintenance (CNT-1); not below the current count "
            "(CNT-2)."
        ),
    )


class CounterMonthForm(MonthForm):
    """The month-end figure of one month from the monitoring system (CNT-1, CNT-3)."""

    count = forms.IntegerField(
        label=_("month-end figure"),
        min_value=0,
        max_value=MAX_COUNT,
        help_text=_(
            "The month's operations as the monitoring system counted them; it replaces the "
            "figure counted from alarms (CNT-3)."
        ),
    )

    def clean_month(self) -> date:
        if not self.cleaned_data["month"].strip():
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-11."))
        month = super().clean_month()
        if month > timezone.localdate(timezone=self.centre.tz).replace(day=1):
            raise forms.ValidationError(_("The month has not begun yet (CNT-3)."), code="CNT-3")
        return month


class CounterResetForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The maintenance done, e.g. the work ticket's number (CNT-2)."),
    )


class CounterImportForm(forms.Form):
    file = forms.FileField(
        label=_("month-end counts (.xlsx)"),
        help_text=_(
            "Columns: station, equipment (double name or dispatch number), counter, month "
            "(YYYY-MM), count (CNT-3)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


STATE_CHOICES = [
    ("", _("all")),
    ("full", _("at the limit (满次)")),
    ("near", _("near the limit (≥ 90%)")),
    ("no_limit", _("no limit set")),
]


class CounterFilterForm(forms.Form):
    """The counter list's filters: station, counter kind, state, search."""

    site = forms.ModelChoiceField(label=_("station"), queryset=Site.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("counter"), choices=[("", _("all")), *CounterKind.choices], required=False
    )
    state = forms.ChoiceField(label=_("state"), choices=STATE_CHOICES, required=False)
    q = forms.CharField(label=_("search"), max_length=100, required=False)

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = (
            Site.objects.filter(centre=centre, equipment__counters__isnull=False)
            .distinct()
            .order_by("name")
        )

    def chosen(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class CounterStatsForm(forms.Form):
    """The statistics' span: the months from … to (YYYY-MM), by default the last six ended."""

    start = forms.CharField(
        label=_("from"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-06"}),
    )
    end = forms.CharField(
        label=_("to"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
    )
    site = forms.ModelChoiceField(label=_("station"), queryset=Site.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("counter"), choices=[("", _("all")), *CounterKind.choices], required=False
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.fields["site"].queryset = (
            Site.objects.filter(centre=centre, equipment__counters__isnull=False)
            .distinct()
            .order_by("name")
        )

    def _month(self, name: str, default: date) -> date:
        raw = (self.cleaned_data.get(name) or "").strip()
        if not raw:
            return default
        form = MonthForm({"month": raw}, centre=self.centre)
        if not form.is_valid():
            raise forms.ValidationError(list(form.errors["month"]))
        return form.cleaned_data["month"]

    def _last_month(self) -> date:
        return add_months(timezone.localdate(timezone=self.centre.tz).replace(day=1), -1)

    def clean_start(self) -> date:
        return self._month("start", add_months(self._last_month(), -5))

    def clean_end(self) -> date:
        return self._month("end", self._last_month())

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The span ends before it starts."))
            elif months_between(start, end) > 36:
                self.add_error("end", _("At most 36 months at a time."))
        return data


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """How many months from ``start`` to ``end``, both counted."""
    return (end.year - start.year) * 12 + end.month - start.month + 1
