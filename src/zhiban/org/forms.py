"""Forms of the organisation records. ``org.services`` validates with them, so the web UI and
the API answer bad input with the same per-field messages."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import CentreModelForm

from .models import Centre, Equipment, Membership, Person, Site, Team

TIME_ZONES = sorted(zoneinfo.available_timezones())


class CentreForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("time zone"), choices=[(z, z) for z in TIME_ZONES])

    class Meta:
        model = Centre
        fields = ["code", "name", "kind", "time_zone", "address", "phone", "active"]


class TeamForm(CentreModelForm):
    class Meta:
        model = Team
        fields = ["name", "kind", "phone", "sites", "active"]
        widgets = {"sites": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = Site.objects.filter(centre=self.centre)

    def clean_name(self):
        name = self.cleaned_data["name"]
        clash = Team.objects.filter(centre=self.centre, name=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This centre already has a team of that name."))
        return name


class TreeParentMixin:
    """The parent must be of the same centre and not the node itself or below it."""

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        node = self.instance
        if (
            parent
            and node.pk
            and (parent.pk == node.pk or parent.tree_path.startswith(node.tree_path))
        ):
            raise forms.ValidationError(_("A node cannot be placed under itself."))
        return parent


class SiteForm(TreeParentMixin, CentreModelForm):
    class Meta:
        model = Site
        fields = ["parent", "code", "name", "kind", "voltage_level", "address", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Site.objects.filter(centre=self.centre)

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        clash = Site.objects.filter(centre=self.centre, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("This centre already has a site with code %(code)s."), params={"code": code}
            )
        return code


class EquipmentForm(TreeParentMixin, CentreModelForm):
    class Meta:
        model = Equipment
        fields = [
            "site",
            "parent",
            "kind",
            "name",
            "dispatch_number",
            "voltage_level",
            "model_number",
            "active",
        ]
        # choosing a site reloads the parent list with that site's equipment (htmx)
        widgets = {
            "site": forms.Select(
                attrs={
                    "hx-get": "",
                    "hx-select": "#id_parent",
                    "hx-target": "#id_parent",
                    "hx-swap": "outerHTML",
                }
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre)
        parents = Equipment.objects.filter(centre=self.centre).select_related("site")
        site = self.data.get("site") or self.initial.get("site") or self.instance.site_id
        if site and str(site).isdigit():
            parents = parents.filter(site_id=site)
        self.fields["parent"].queryset = parents.order_by("site__tree_path", "tree_path")
        self.fields["parent"].label_from_instance = lambda e: f"{e.site.name} · {e.double_name}"

    def clean(self):
        data = super().clean()
        site, parent = data.get("site"), data.get("parent")
        if site and parent and parent.site_id != site.pk:
            self.add_error("parent", _("The parent equipment must be at the same site."))
        if site and data.get("name"):
            clash = Equipment.objects.filter(
                site=site, name=data["name"], dispatch_number=data.get("dispatch_number", "")
            )
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error("name", _("This site already has equipment with that double name."))
        return data


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["username", "name", "phone", "employee_no", "email", "language", "is_active"]

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["is_active"].label = _("may log in")


class NewPersonForm(PersonForm):
    """A new person with a first password and a first role in the centre."""

    password = forms.CharField(
        label=_("password"), widget=forms.PasswordInput, strip=False, max_length=128
    )
    role = forms.ChoiceField(label=_("role"), choices=Membership._meta.get_field("role").choices)
    team = forms.ModelChoiceField(label=_("team"), queryset=Team.objects.none(), required=False)
    post = forms.CharField(label=_("post"), max_length=40, required=False)

    class Meta(PersonForm.Meta):
        pass

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(centre=centre)

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("new password"), widget=forms.PasswordInput, strip=False, max_length=128
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class MembershipForm(CentreModelForm):
    class Meta:
        model = Membership
        fields = ["person", "team", "role", "post", "active"]

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(centre=self.centre)
        if people is not None:
            self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        person, team, role = data.get("person"), data.get("team"), data.get("role")
        if person and role:
            clash = Membership.objects.filter(
                person=person, centre=self.centre, team=team, role=role
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("role", _("This person already holds this role here."))
        return data


class SettingsForm(forms.Form):
    """The centre's settings, one field per documented setting (built from centre_settings)."""

    def __init__(self, *args, centre, **kwargs):
        from .centre_settings import SETTINGS

        super().__init__(*args, **kwargs)
        for setting in SETTINGS:
            label = f"{setting.label} ({setting.rule})" if setting.rule else setting.label
            if setting.text:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=setting.max_length,
                    validators=list(setting.validators),
                )
            elif setting.is_time:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=5,
                    validators=[time_of_day_validator],
                    widget=forms.TimeInput(attrs={"type": "time"}),
                )
            else:
                field = forms.IntegerField(
                    label=label,
                    required=False,
                    min_value=setting.minimum,
                    max_value=setting.maximum,
                )
            field.help_text = _("Default: %(default)s") % {"default": setting.default}
            field.initial = centre.setting(setting.key)
            self.fields[setting.key] = field


time_of_day_validator = RegexValidator(
    r"^([01]\d|2[0-3]):[0-5]\d$", _("Enter a time as HH:MM, e.g. 14:30.")
)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
