"""Forms of return-visit campaigns and their call lists (CS-7, CS-9); the services validate
with them, so the pages and the API give the same per-field messages (422)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import CentreForm, CentreModelForm
from zhiban.core.permissions import Action, roles_allow
from zhiban.core.scoping import grants

from ..models import CallResult, Campaign, Script, ScriptKind, Skill
from ..selectors.campaigns import agents_of

RECORDED = [(r.value, r.label) for r in CallResult if r != CallResult.PENDING]


class CampaignForm(CentreModelForm):
    """A new campaign: its rule, the skill its agents need, the return-visit script read on
    its calls and the follow-up offer its calls may make (CS-7, CS-9)."""

    class Meta:
        model = Campaign
        fields = ["name", "rule", "skill", "script", "offer"]

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, centre=centre, **kwargs)
        self.fields["script"].queryset = Script.objects.filter(
            centre=centre, kind=ScriptKind.RETURN_VISIT, active=True
        )
        self.fields["script"].help_text = _("A return-visit script (回访话术) of the centre")


class CallForm(forms.Form):
    """What came of a return-visit call (CS-7)."""

    result = forms.ChoiceField(label=_("result"), choices=RECORDED)
    note = forms.CharField(
        label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _person(value, message: str, rule: str):
    try:
        return get_user_model().objects.get(pk=int(value), is_active=True)
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
        raise ValidationError(message, code=rule) from None


def _agent(centre, value):
    """An active agent of the centre, or a message naming CS-7."""
    message = _("Choose an agent (客服专员) of %(centre)s (CS-7).") % {"centre": centre.name}
    person = _person(value, message, "CS-7")
    if not any(a.pk == person.pk for a in agents_of(centre)):
        raise ValidationError(message, code="CS-7")
    return person


class ReassignForm(CentreForm):
    """The entry moves to another agent of the campaign's centre (CS-7)."""

    agent = forms.IntegerField(label=_("agent"), min_value=1)

    def clean_agent(self):
        return _agent(self.centre, self.cleaned_data["agent"])


class OfferForm(CentreForm):
    """Who approved the follow-up offer: a group lead, supervisor or department head of the
    centre, who may approve offers (CS-9)."""

    approved_by = forms.IntegerField(label=_("approved by"), min_value=1)

    def clean_approved_by(self):
        message = _(
            "The offer must be approved by a group lead, supervisor or department head of "
            "%(centre)s (CS-9)."
        ) % {"centre": self.centre.name}
        person = _person(self.cleaned_data["approved_by"], message, "CS-9")
        if not roles_allow(
            grants(person).get(self.centre.pk, frozenset()), Action.SERVICE_CAMPAIGN
        ):
            raise ValidationError(message, code="CS-9")
        return person


class AgentSkillForm(CentreForm):
    """One skill of one agent of the centre (CS-7)."""

    agent = forms.IntegerField(label=_("agent"), min_value=1)
    skill = forms.ChoiceField(label=_("skill"), choices=Skill.choices)

    def clean_agent(self):
        return _agent(self.centre, self.cleaned_data["agent"])
