"""Forms of customers, the intake and the case actions (CS-1, CS-2, CS-6); the services
validate with them, so the pages and the API give the same per-field messages (422)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreForm, CentreModelForm
from zhiban.core.scoping import people_of_centre
from zhiban.org.models import Team

from .. import phones
from ..models import Category, Channel, Customer, CustomerType, Department
from ..selectors.cases import agents_of


def _required(value: str, message, rule: str) -> str:
    """A text the rule needs: empty (or blank) is refused naming the rule."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code=rule)
    return value


class CustomerForm(CentreModelForm):
    """A customer of the centre (CS-1): a valid number — an 11-digit mobile, a landline with
    its area code or a 400/800 number — stored as digits, one customer per number."""

    class Meta:
        model = Customer
        fields = [
            "name",
            "phone",
            "address",
            "region",
            "customer_type",
            "is_member",
            "shop",
            "note",
        ]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel"})}

    def clean_phone(self) -> str:
        number, kind = phones.normalise(self.cleaned_data["phone"])
        same = Customer.objects.filter(centre=self.centre, phone=number)
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        existing = same.first()
        if existing is not None:
            raise ValidationError(
                _("%(name)s (customer #%(id)s) already has the number %(number)s (CS-1).")
                % {"name": existing.name, "id": existing.pk, "number": phones.shown(number)},
                code="CS-1",
            )
        self.instance.phone_kind = kind
        return number


class IntakeForm(CentreForm):
    """One contact as the agent takes it (CS-1): the customer's number (any known customer
    is found by it; a new one needs a name), channel, category and content; the contact time
    (default now, in the centre's window, ORG-4); an open case of the customer to add it to."""

    phone = forms.CharField(
        label=_("phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    case = forms.IntegerField(label=_("open case"), required=False, min_value=1)
    name = forms.CharField(label=_("name"), max_length=60, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    region = forms.CharField(label=_("region"), max_length=40, required=False)
    customer_type = forms.ChoiceField(
        label=_("customer type"),
        choices=CustomerType.choices,
        initial=CustomerType.RETAIL,
        required=False,
    )
    is_member = forms.BooleanField(label=_("member (会员)"), required=False)
    channel = forms.ChoiceField(label=_("channel"), choices=Channel.choices)
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    content = forms.CharField(label=_("content"), max_length=4000, widget=forms.Textarea)
    at = forms.DateTimeField(label=_("contact time"), required=False, widget=LOCAL_DATETIME)
    is_lead = forms.BooleanField(label=_("sales lead (CS-9)"), required=False)
    call = forms.IntegerField(label=_("call"), required=False, min_value=1)

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        return phones.normalise(raw)[0] if raw.strip() else ""

    def clean_content(self) -> str:
        return _required(
            self.cleaned_data["content"], _("Write down what the customer said (CS-1)."), "CS-1"
        )

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("case") and "phone" not in self.errors:
            self.add_error("phone", ValidationError(phones.INVALID, code="CS-1"))
        return data


class AnswerForm(forms.Form):
    """The answer given to the customer (CS-2)."""

    answer = forms.CharField(
        label=_("answer to the customer"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer_required = required

    def clean_answer(self) -> str:
        if not self.answer_required:
            return (self.cleaned_data["answer"] or "").strip()
        return _required(
            self.cleaned_data["answer"],
            _("Record the answer given to the customer (CS-2)."),
            "CS-2",
        )


class RouteForm(CentreForm):
    """Where a service request goes and what the department is asked (CS-2)."""

    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.none())
    note = forms.CharField(
        label=_("what the department is asked"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, centre=centre, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            centre=centre, active=True
        ).order_by("name")

    def clean_note(self) -> str:
        return _required(
            self.cleaned_data["note"], _("Say what the department is asked to do (CS-2)."), "CS-2"
        )


class ResultForm(forms.Form):
    """The department's result, reported back to customer service (CS-2)."""

    result = forms.CharField(
        label=_("department's result"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_result(self) -> str:
        return _required(
            self.cleaned_data["result"], _("Say what the department found or did (CS-2)."), "CS-2"
        )


class TransferForm(CentreForm):
    """An explicit hand-over of a case to another agent of the centre, with its reason (CS-6)."""

    to_person = forms.IntegerField(label=_("new owner"), min_value=1)
    reason = forms.CharField(
        label=_("reason"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, centre=centre, **kwargs)
        agents = [(p.pk, p.name or p.username) for p in agents_of(centre)]
        self.fields["to_person"].widget = forms.Select(choices=[("", "—"), *agents])

    def clean_to_person(self):
        person = agents_of(self.centre).filter(pk=self.cleaned_data["to_person"]).first()
        if person is None:
            raise ValidationError(
                _("A case is handed over only to an agent of %(centre)s (CS-6).")
                % {"centre": self.centre.name},
                code="CS-6",
            )
        return person

    def clean_reason(self) -> str:
        return _required(
            self.cleaned_data["reason"], _("Give the reason for the hand-over (CS-6)."), "CS-6"
        )


class DepartmentForm(CentreModelForm):
    """A department cases are routed to (CS-2): a team of the centre or a named outside
    department (its e-mail is told of each case); a sales desk takes the orders of its
    customer types (CS-3)."""

    person_fields = ("head",)
    customer_types = forms.MultipleChoiceField(
        label=_("customer types"),
        choices=CustomerType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A sales desk takes the orders of these customer types (CS-3)"),
    )

    class Meta:
        model = Department
        fields = ["name", "function", "team", "head", "email", "phone", "customer_types", "active"]

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, centre=centre, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(centre=centre).order_by("name")
        self.fields["head"].queryset = people_of_centre(centre)

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"]
        return phones.normalise(raw)[0] if raw.strip() else ""
