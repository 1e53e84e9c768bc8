"""Forms of work tickets, limit changes and setting sheets; ``work.services`` validates with
them (422 per field). The equipment chooser that shows the maintenance tag (OPS-15, WORK-3) and
the forms of one action are shared with ``ops``, which sits above this app (ADR 0012)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATE, LOCAL_DATETIME, CentreForm, CentreModelForm
from zhiban.core.timewindow import Kind

from .models import (
    CheckResult,
    CopyHolder,
    LimitChange,
    LimitReason,
    RemoteKind,
    SettingSheet,
    WorkKind,
    WorkTicket,
)
from .selectors import with_tag_flag


def equipment_label(equipment) -> str:
    """Equipment by its station and double name (OPS-15), with its maintenance tag when the
    queryset carries it (``with_tag_flag``, WORK-3)."""
    label = f"{equipment.site.name} · {equipment.double_name}"
    if getattr(equipment, "tagged", False):
        label += " 【" + str(_("maintenance tag (检修牌)")) + "】"
    return label


class SiteEquipmentMixin:
    """Stations of the centre; equipment of the chosen station, by its double name (OPS-15)."""

    def chosen_site(self) -> int | None:
        site = (
            self.data.get("site")
            or self.initial.get("site")
            or getattr(self.instance, "site_id", None)
        )
        text = str(site or "")
        return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None

    def limit_site_and_equipment(self):
        from zhiban.org.models import Equipment, Site

        self.fields["site"].queryset = Site.objects.filter(centre=self.centre)
        equipment = Equipment.objects.filter(centre=self.centre).select_related("site")
        if self.chosen_site():
            equipment = equipment.filter(site_id=self.chosen_site())
        self.fields["equipment"].queryset = with_tag_flag(
            equipment.order_by("site__tree_path", "tree_path")
        )
        self.fields["equipment"].label_from_instance = equipment_label

    def clean(self):
        data = super().clean()
        site, equipment = data.get("site"), data.get("equipment") or []
        wrong = [e for e in equipment if site and e.site_id != site.pk]
        if wrong:
            self.add_error(
                "equipment",
                _("%(equipment)s is not at %(site)s.")
                % {"equipment": wrong[0].double_name, "site": site},
            )
        return data


class ActionForm(CentreForm):
    """A form of one action on an order or ticket; people and equipment come from its centre,
    times lie in its window (ORG-4)."""


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("reason"), max_length=300)


# --- work tickets (WORK-1 … WORK-7, ACC-1) -------------------------------------------------------


def same_person(a, b) -> bool:
    """Names on a paper ticket compare without spaces (“王 强” is “王强”)."""
    if not a or not b:
        return False
    return "".join(str(a).split()) == "".join(str(b).split())


def work_roles_differ(form, issuer, leader, permitter) -> None:
    """WORK-7: issuer (签发人), work leader (工作负责人) and permitter (工作许可人) are three
    different people; the message goes to the later of two equal fields."""
    equal = {
        "work_leader": same_person(issuer, leader),
        "permitter": permitter is not None
        and (same_person(permitter.name, issuer) or same_person(permitter.name, leader)),
    }
    for field in (name for name, clash in equal.items() if clash):
        form.add_error(
            field,
            forms.ValidationError(
                _(
                    "Issuer, work leader and permitter are three different people on one "
                    "ticket (WORK-7)."
                ),
                code="WORK-7",
            ),
        )


def centre_people(centre):
    """The people of the centre itself (not of its teams), e.g. the centre's checker."""
    from zhiban.org.models import Person

    return (
        Person.objects.filter(
            memberships__centre=centre, memberships__team__isnull=True, memberships__active=True
        )
        .distinct()
        .order_by("name")
    )


def team_people(centre):
    """The people of the centre's teams."""
    from zhiban.org.models import Person

    return (
        Person.objects.filter(
            memberships__centre=centre, memberships__team__isnull=False, memberships__active=True
        )
        .distinct()
        .order_by("name")
    )


class WorkTicketForm(SiteEquipmentMixin, CentreModelForm):
    """A work ticket with its standard fields as the team receives it (WORK-1, WORK-7); the
    safety measures one per line, each later ticked done (WORK-2)."""

    time_kinds = {"planned_start": Kind.PLANNED, "planned_end": Kind.PLANNED}
    safety_measures = forms.CharField(
        label=_("safety measures, one per line (安全措施)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    field_order = [
        "kind",
        "team",
        "order",
        "site",
        "task",
        "location",
        "equipment",
        "planned_start",
        "planned_end",
        "work_leader",
        "crew_size",
        "members",
        "issuer",
        "issued_at",
        "received_at",
        "permitter",
        "safety_measures",
    ]

    class Meta:
        model = WorkTicket
        fields = [
            "kind",
            "team",
            "order",
            "site",
            "equipment",
            "task",
            "location",
            "planned_start",
            "planned_end",
            "work_leader",
            "crew_size",
            "members",
            "issuer",
            "issued_at",
            "received_at",
            "permitter",
        ]
        widgets = {
            "planned_start": LOCAL_DATETIME,
            "planned_end": LOCAL_DATETIME,
            "issued_at": LOCAL_DATETIME,
            "received_at": LOCAL_DATETIME,
        }

    def __init__(self, *args, user=None, **kwargs):
        from zhiban.org.models import Team

        super().__init__(*args, **kwargs)
        self.limit_site_and_equipment()
        self.fields["team"].queryset = Team.objects.filter(centre=self.centre)
        orders = self.fields["order"].queryset.filter(centre=self.centre)  # ops.DispatchOrder
        self.fields["order"].queryset = orders.exclude(state="cancelled")
        self.fields["permitter"].queryset = team_people(self.centre)
        if user is not None and not self.is_bound and not self.instance.pk:
            mine = user.memberships.filter(centre=self.centre, team__isnull=False, active=True)
            self.initial.setdefault("team", mine.values_list("team", flat=True).first())
            self.initial.setdefault("kind", WorkKind.FIRST)
        self.fields["equipment"].required = False  # clean() names the rule instead
        self.fields["received_at"].required = False  # empty: now
        self.fields["received_at"].help_text = _("Empty: now.")
        if self.instance.pk and not self.is_bound:
            self.initial["safety_measures"] = "\n".join(
                m.text for m in self.instance.measures.all()
            )

    def clean_work_leader(self):
        return " ".join(self.cleaned_data["work_leader"].split())

    def clean_issuer(self):
        return " ".join(self.cleaned_data["issuer"].split())

    def clean_crew_size(self):
        size = self.cleaned_data["crew_size"]
        if not 1 <= size <= 500:
            raise forms.ValidationError(_("Between 1 and 500 people."))
        return size

    def clean(self):
        data = super().clean()
        start, end = data.get("planned_start"), data.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", _("The planned end comes after the planned start."))
        if not data.get("equipment") and "equipment" not in self.errors:
            self.add_error(
                "equipment",
                forms.ValidationError(
                    _("Name the equipment worked on: it gets the maintenance tag (WORK-2)."),
                    code="WORK-2",
                ),
            )
        lines = [
            line.strip() for line in data.get("safety_measures", "").splitlines() if line.strip()
        ]
        if "safety_measures" in data and not lines:
            self.add_error(
                "safety_measures",
                forms.ValidationError(
                    _("A work ticket lists its safety measures (WORK-2)."), code="WORK-2"
                ),
            )
        if any(len(line) > 300 for line in lines):
            self.add_error("safety_measures", _("A safety measure is at most 300 characters."))
        data["measure_lines"] = lines
        order, site = data.get("order"), data.get("site")
        if order is not None and site is not None and order.site_id != site.pk:
            self.add_error("order", _("This order is for %(site)s.") % {"site": order.site})
        team, permitter = data.get("team"), data.get("permitter")
        if (
            team is not None
            and permitter is not None
            and not permitter.memberships.filter(team=team, active=True).exists()
        ):
            self.add_error(
                "permitter",
                forms.ValidationError(
                    _("The permitter is a person of %(team)s (WORK-2).") % {"team": team},
                    code="WORK-2",
                ),
            )
        work_roles_differ(self, data.get("issuer"), data.get("work_leader"), permitter)
        return data


class MeasureDoneForm(ActionForm):
    """One safety measure done (已执行, WORK-2)."""

    seq = forms.IntegerField(label=_("safety measure"), min_value=1, max_value=10_000)


class PermitForm(ActionForm):
    """The dispatcher's permit reached the station; the team's permitter received it, the
    safety measures are done and the centre is told (WORK-2)."""

    permitted_at = forms.DateTimeField(label=_("work permitted (许可时间)"), widget=LOCAL_DATETIME)
    dispatcher = forms.CharField(label=_("dispatcher who gave the permit"), max_length=60)
    permitter = forms.ModelChoiceField(label=_("permitter (工作许可人)"), queryset=None)
    centre_person = forms.ModelChoiceField(
        label=_("centre operator told the measures are done"), queryset=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permitter"].queryset = team_people(self.centre)
        self.fields["centre_person"].queryset = centre_people(self.centre)


class WorkInterruptForm(ActionForm):
    at = forms.DateTimeField(label=_("work interrupted (间断时间)"), widget=LOCAL_DATETIME)
    reason = forms.CharField(label=_("reason"), max_length=300)


class WorkResumeForm(ActionForm):
    at = forms.DateTimeField(label=_("work resumed (恢复时间)"), widget=LOCAL_DATETIME)


class ExtendForm(ActionForm):
    """One extension (延期), asked before the ticket expires (WORK-7)."""

    time_kinds = {"extended_to": Kind.PLANNED}
    extended_to = forms.DateTimeField(label=_("extended to (延期至)"), widget=LOCAL_DATETIME)
    reason = forms.CharField(label=_("why extended"), max_length=300)


class RemoteCheckForm(ActionForm):
    """Points of the four-remote acceptance (or a remote-control test) checked by the centre
    with the team, one per line, all with the same result (WORK-4, ACC-1)."""

    kind = forms.ChoiceField(label=_("check"), choices=RemoteKind.choices)
    points = forms.CharField(
        label=_("points, one per line (信息点)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    result = forms.ChoiceField(label=_("result"), choices=CheckResult.choices)
    at = forms.DateTimeField(label=_("time"), widget=LOCAL_DATETIME)
    centre_checker = forms.ModelChoiceField(label=_("checker at the centre"), queryset=None)
    team_checker = forms.ModelChoiceField(label=_("checker of the team"), queryset=None)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre_checker"].queryset = centre_people(self.centre)
        self.fields["team_checker"].queryset = team_people(self.centre)

    def clean_points(self):
        lines = [p.strip() for p in self.cleaned_data["points"].splitlines() if p.strip()]
        if not lines:
            raise forms.ValidationError(_("Name at least one point."))
        if any(len(p) > 200 for p in lines):
            raise forms.ValidationError(_("A point is at most 200 characters."))
        if len(lines) > 500:
            raise forms.ValidationError(_("At most 500 points at once."))
        return lines


class WorkEndForm(ActionForm):
    """Work end (工作终结): the team accepted the work (WORK-4)."""

    at = forms.DateTimeField(label=_("work ended (工作终结时间)"), widget=LOCAL_DATETIME)
    acceptance = forms.CharField(label=_("acceptance (验收情况)"), max_length=500, required=False)


class FinalCheckForm(ActionForm):
    """WORK-5: before leaving the station the team checks with the centre that nothing is
    abnormal (操作汇报)."""

    at = forms.DateTimeField(label=_("time of call"), widget=LOCAL_DATETIME)
    centre_person = forms.ModelChoiceField(label=_("checked with (centre)"), queryset=None)
    checked = forms.CharField(
        label=_("what was checked"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. 信号已复归，遥测正常，无异常"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre_person"].queryset = centre_people(self.centre)


class WorkTicketEndForm(ActionForm):
    at = forms.DateTimeField(label=_("ticket ended (终结时间)"), widget=LOCAL_DATETIME)


# --- limit changes and setting sheets (WORK-6) ---------------------------------------------------


class LimitChangeForm(CentreModelForm):
    """New limit values of equipment, e.g. after a CT replacement, as the team tells the
    centre (WORK-6)."""

    person_fields = ("reported_by",)
    time_kinds = {"effective_at": Kind.PLANNED}

    class Meta:
        model = LimitChange
        fields = [
            "equipment",
            "reason",
            "work_ticket",
            "quantity",
            "old_value",
            "new_value",
            "unit",
            "ct_ratio_old",
            "ct_ratio_new",
            "effective_at",
            "reported_by",
            "reported_at",
            "note",
        ]
        widgets = {"effective_at": LOCAL_DATETIME, "reported_at": LOCAL_DATETIME}

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Equipment

        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = (
            Equipment.objects.filter(centre=self.centre)
            .select_related("site")
            .order_by("site__tree_path", "tree_path")
        )
        self.fields["equipment"].label_from_instance = equipment_label
        self.fields["work_ticket"].queryset = WorkTicket.objects.filter(centre=self.centre)

    def clean(self):
        data = super().clean()
        if data.get("reason") == LimitReason.CT_REPLACEMENT and not data.get("ct_ratio_new"):
            self.add_error(
                "ct_ratio_new",
                forms.ValidationError(
                    _("A CT replacement gives the new CT ratio, e.g. 1200/5 (WORK-6)."),
                    code="WORK-6",
                ),
            )
        ticket, equipment = data.get("work_ticket"), data.get("equipment")
        if ticket is not None and equipment is not None and equipment.site_id != ticket.site_id:
            self.add_error(
                "work_ticket",
                _("%(equipment)s is not at %(site)s.")
                % {"equipment": equipment.double_name, "site": ticket.site},
            )
        return data


class SettingSheetForm(CentreModelForm):
    """A protection setting sheet (继保定值单); its three copies are added with it (WORK-6)."""

    class Meta:
        model = SettingSheet
        fields = ["number", "site", "equipment", "subject", "issued_on", "limit_change"]
        widgets = {"issued_on": LOCAL_DATE}

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Equipment, Site

        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre)
        self.fields["equipment"].queryset = (
            Equipment.objects.filter(centre=self.centre)
            .select_related("site")
            .order_by("site__tree_path", "tree_path")
        )
        self.fields["equipment"].label_from_instance = equipment_label
        self.fields["limit_change"].queryset = LimitChange.objects.filter(
            centre=self.centre
        ).select_related("equipment")

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        taken = SettingSheet.objects.filter(centre=self.centre, number=number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                _("This centre has setting sheet %(number)s already.") % {"number": number}
            )
        return number

    def clean(self):
        data = super().clean()
        site, equipment = data.get("site"), data.get("equipment")
        if site is not None and equipment is not None and equipment.site_id != site.pk:
            self.add_error(
                "equipment",
                _("%(equipment)s is not at %(site)s.")
                % {"equipment": equipment.double_name, "site": site},
            )
        return data


class CopyReceiptForm(ActionForm):
    """One copy of a setting sheet received (WORK-6)."""

    holder = forms.ChoiceField(label=_("copy for"), choices=CopyHolder.choices)
    received_at = forms.DateTimeField(label=_("received"), widget=LOCAL_DATETIME)
    received_by = forms.ModelChoiceField(label=_("received by"), queryset=None)

    def __init__(self, *args, **kwargs):
        from zhiban.org.selectors import people_of_centre

        super().__init__(*args, **kwargs)
        self.fields["received_by"].queryset = people_of_centre(self.centre)
