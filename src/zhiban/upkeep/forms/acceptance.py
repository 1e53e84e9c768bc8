"""Acceptance sheet forms (ACC-2 … ACC-4): prepare a sheet, name its two checkers, add a check
item, tick a point, raise a defect of a wrong point, sign, close."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import CentreForm, CentreModelForm
from zhiban.org.models import CentreKind, Membership, Site, SiteKind, Team

from ..checklists import PARTIES
from ..models import (
    AcceptancePoint,
    AcceptanceSheet,
    DefectGrade,
    PointMethod,
    PointResult,
    SheetKind,
)
from ..models.acceptance import STAGE_KINDS


def kinds_for(centre) -> list[tuple[str, str]]:
    """The kinds a centre may prepare: the four-remote commissioning only at a power centre."""
    kinds = list(STAGE_KINDS)
    if centre.kind == CentreKind.POWER:
        kinds.insert(0, SheetKind.COMMISSIONING)
    return [(k.value, k.label) for k in kinds]


class SheetForm(CentreModelForm):
    """A sheet prepared by the centre: kind, title, station or site and the team (ACC-2)."""

    class Meta:
        model = AcceptanceSheet
        fields = ["kind", "title", "site", "team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds_for(self.centre)
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre, active=True).exclude(
            kind=SiteKind.CENTRE_UNIT
        )
        self.fields["site"].required = True
        self.fields["team"].queryset = Team.objects.filter(centre=self.centre, active=True)
        self.fields["team"].required = True
        self.fields["team"].help_text = _(
            "The team names one of its members as the team's checker (ACC-2)."
        )


def _people():
    return get_user_model().objects.filter(is_active=True).order_by("name")


class CheckersForm(CentreForm):
    """ACC-2: the centre and the team each name one checker — the centre's a person of the
    centre outside every team, the team's a member of the sheet's team."""

    centre_checker = forms.ModelChoiceField(queryset=_people(), label=_("centre's checker"))
    team_checker = forms.ModelChoiceField(queryset=_people(), label=_("team's checker"))

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        members = Membership.objects.filter(centre=self.centre, active=True)
        self.fields["centre_checker"].queryset = _people().filter(
            pk__in=members.filter(team__isnull=True).values("person")
        )
        self.fields["team_checker"].queryset = _people().filter(
            pk__in=members.filter(team=sheet.team_id).values("person")
        )
        self.fields["centre_checker"].error_messages["invalid_choice"] = _(
            "The centre's checker must be a person of the centre outside the teams (ACC-2)."
        )
        self.fields["team_checker"].error_messages["invalid_choice"] = _(
            "The team's checker must be a member of the sheet's team (ACC-2)."
        )

    def clean(self):
        data = super().clean()
        if data.get("centre_checker") and data.get("centre_checker") == data.get("team_checker"):
            raise ValidationError(
                _("The two checkers must be two different people (ACC-2)."), code="ACC-2"
            )
        return data


class PointForm(CentreModelForm):
    """A row of the sheet: a stage acceptance's check item, or a four-remote point added by
    hand (most come from the point table's import)."""

    class Meta:
        model = AcceptancePoint
        fields = ["bay", "name", "remote_type", "address", "klass", "low", "high", "unit"]


class TickForm(CentreForm):
    """A checker's tick of one point: result, method, remark (ACC-2)."""

    result = forms.ChoiceField(choices=PointResult.choices, label=_("result"))
    method = forms.ChoiceField(
        choices=[("", "—"), *PointMethod.choices], required=False, label=_("method")
    )
    remark = forms.CharField(max_length=200, required=False, label=_("remark"))


class PointDefectForm(CentreForm):
    """ACC-3: the defect of a wrong point, prefilled from the point; the grade and what was
    seen may be changed."""

    grade = forms.ChoiceField(
        choices=DefectGrade.choices, initial=DefectGrade.GENERAL, label=_("grade")
    )
    phenomenon = forms.CharField(
        max_length=1000,
        required=False,
        label=_("phenomenon"),
        help_text=_("Empty: the point and both checkers' remarks (ACC-3)."),
    )


class SignForm(CentreForm):
    """ACC-4: a named party signs the stage acceptance."""

    party = forms.ChoiceField(choices=list(PARTIES.items()), label=_("party (签字方)"))
    name = forms.CharField(max_length=60, label=_("name"))
    remark = forms.CharField(max_length=200, required=False, label=_("remark"))

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        if parties:
            self.fields["party"].choices = [(p, PARTIES[p]) for p in parties]


class CloseForm(CentreForm):
    conclusion = forms.CharField(
        max_length=2000,
        required=False,
        label=_("conclusion (验收结论)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
