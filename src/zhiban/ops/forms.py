"""Forms of power operations; ``ops.services`` validates with them (422 per field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreForm, CentreModelForm, MonthForm
from zhiban.core.timewindow import Kind

from .models import (
    AskedTo,
    CheckResult,
    CopyHolder,
    DispatchOrder,
    Executor,
    Interruption,
    LimitChange,
    LimitReason,
    OperationTicket,
    OrderState,
    RemoteKind,
    SettingSheet,
    TaskKind,
    TypicalTicket,
    WorkKind,
    WorkTicket,
)
from .selectors import with_tag_flag


def _equipment_label(equipment) -> str:
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
        self.fields["equipment"].label_from_instance = _equipment_label

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


class OrderForm(SiteEquipmentMixin, CentreModelForm):
    """A pre-order as the chief operator takes it down and reads it back (OPS-1); it is
    received now, planned at most ``time.planned_days`` ahead (ORG-4)."""

    time_kinds = {"planned_at": Kind.PLANNED}

    class Meta:
        model = DispatchOrder
        fields = [
            "dispatcher",
            "received_at",
            "task",
            "task_kind",
            "site",
            "equipment",
            "planned_at",
            "read_back",
            "team",
        ]
        widgets = {
            "received_at": LOCAL_DATETIME,
            "planned_at": LOCAL_DATETIME,
            "read_back": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Team

        super().__init__(*args, **kwargs)
        self.limit_site_and_equipment()
        self.fields["team"].queryset = Team.objects.filter(centre=self.centre)
        self.fields["read_back"].required = True


class NotifyTeamForm(ActionForm):
    """The centre phones the team on duty, who read the task back (OPS-2)."""

    person = forms.ModelChoiceField(label=_("team member told"), queryset=None)
    at = forms.DateTimeField(label=_("time of call"), widget=LOCAL_DATETIME)
    read_back = forms.CharField(
        label=_("the team's read-back"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Person

        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(
            memberships__centre=self.centre,
            memberships__team__isnull=False,
            memberships__active=True,
        ).distinct()


class QuestionForm(ActionForm):
    """A doubt of the team: to the centre first, then to the dispatcher (OPS-2)."""

    asked_to = forms.ChoiceField(label=_("asked"), choices=AskedTo.choices)
    question = forms.CharField(label=_("question"), max_length=500)
    answer = forms.CharField(label=_("answer"), max_length=500)
    at = forms.DateTimeField(label=_("time"), widget=LOCAL_DATETIME)


class FormalOrderForm(ActionForm):
    """The formal order reaches the station; the team's chief receives it (OPS-4)."""

    at = forms.DateTimeField(label=_("formal order time"), widget=LOCAL_DATETIME)
    received_by = forms.ModelChoiceField(label=_("received by"), queryset=None)

    def __init__(self, *args, **kwargs):
        from zhiban.org.selectors import people_of_centre

        super().__init__(*args, **kwargs)
        self.fields["received_by"].queryset = people_of_centre(self.centre)


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("reason"), max_length=300)


class TicketForm(SiteEquipmentMixin, CentreModelForm):
    """A ticket: one task, equipment by double name, ordered steps (OPS-6, OPS-15)."""

    person_fields = ("operator", "guardian", "in_charge")
    steps = forms.CharField(
        label=_("steps, one per line (操作项目)"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    typical = forms.ModelChoiceField(
        label=_("start from a typical ticket"),
        queryset=TypicalTicket.objects.none(),
        required=False,
        help_text=_("Leave the task or the steps empty to take them from the typical ticket."),
    )

    field_order = [
        "executor",
        "team",
        "order",
        "site",
        "typical",
        "task_kind",
        "task",
        "equipment",
        "steps",
        "sequence_control",
        "operator",
        "guardian",
        "in_charge",
    ]

    class Meta:
        model = OperationTicket
        fields = [
            "executor",
            "team",
            "order",
            "site",
            "task_kind",
            "task",
            "equipment",
            "sequence_control",
            "operator",
            "guardian",
            "in_charge",
        ]

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Team

        super().__init__(*args, **kwargs)
        self.limit_site_and_equipment()
        self.fields["team"].queryset = Team.objects.filter(centre=self.centre)
        self.fields["order"].queryset = DispatchOrder.objects.filter(centre=self.centre)
        typical = TypicalTicket.objects.filter(centre=self.centre, active=True)
        if self.chosen_site():
            typical = typical.filter(site_id=self.chosen_site())
        self.fields["typical"].queryset = typical.select_related("site")
        self.fields["typical"].label_from_instance = lambda t: f"{t.site.name} · {t.name}"
        self.fields["steps"].required = False
        self.fields["task"].required = False  # may come from the typical ticket
        if self.instance.pk and not self.is_bound:
            self.initial["steps"] = "\n".join(s.text for s in self.instance.steps.all())

    def clean(self):
        data = super().clean()
        typical = data.get("typical")
        if typical is not None and data.get("site") and typical.site_id != data["site"].pk:
            self.add_error(
                "typical", _("This typical ticket is for %(site)s.") % {"site": typical.site}
            )
        elif typical is not None:
            if not data.get("steps", "").strip():
                data["steps"] = typical.steps
            data["task"] = data.get("task") or typical.task
        if not data.get("task"):
            self.add_error("task", _("Name the one task of this ticket (OPS-15)."))
        lines = [line.strip() for line in data.get("steps", "").splitlines() if line.strip()]
        if not lines:
            self.add_error("steps", _("A ticket needs at least one step (OPS-6)."))
        if any(len(line) > 300 for line in lines):
            self.add_error("steps", _("A step is at most 300 characters."))
        data["step_lines"] = lines
        executor, team = data.get("executor"), data.get("team")
        if executor == Executor.TEAM and team is None:
            self.add_error("team", _("Name the team that executes the ticket."))
        if data.get("task_kind") in (TaskKind.CAPACITOR_SELF_STOP,) and executor == Executor.CENTRE:
            self.add_error(
                "executor", _("Capacitor self-stop operations are done by the team (OPS-5).")
            )
        if data.get("sequence_control") and (
            executor != Executor.CENTRE or data.get("task_kind") != TaskKind.LINE_MAINTENANCE
        ):
            self.add_error(
                "sequence_control",
                _(
                    "Sequence control by the centre is only for pure "
                    "line-maintenance tasks (OPS-9)."
                ),
            )
        operator, guardian = data.get("operator"), data.get("guardian")
        if operator and guardian and operator == guardian:
            self.add_error(
                "guardian", _("The guardian watches the operator: two different people (OPS-6).")
            )
        return data


class OrderTicketForm(ActionForm):
    """Who gave the order, who received it and when (OPS-6)."""

    issuer = forms.CharField(label=_("order given by (发令人)"), max_length=60)
    receiver = forms.ModelChoiceField(label=_("order received by (受令人)"), queryset=None)
    ordered_at = forms.DateTimeField(label=_("order time (发令时间)"), widget=LOCAL_DATETIME)

    def __init__(self, *args, **kwargs):
        from zhiban.org.selectors import people_of_centre

        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = people_of_centre(self.centre)


class NotifyCentreForm(ActionForm):
    """The team's chief tells the centre before the first step (OPS-4)."""

    at = forms.DateTimeField(label=_("time of call"), widget=LOCAL_DATETIME)
    caller = forms.CharField(label=_("who called"), max_length=60)


class TickForm(ActionForm):
    """One step done, by the operator with the guardian named (OPS-6)."""

    step = forms.IntegerField(label=_("step"), min_value=1, max_value=10_000)
    operator = forms.ModelChoiceField(label=_("operator (操作人)"), queryset=None)
    guardian = forms.ModelChoiceField(label=_("guardian (监护人)"), queryset=None)

    def __init__(self, *args, **kwargs):
        from zhiban.org.selectors import people_of_centre

        super().__init__(*args, **kwargs)
        people = people_of_centre(self.centre)
        self.fields["operator"].queryset = people
        self.fields["guardian"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("operator") and data.get("operator") == data.get("guardian"):
            self.add_error(
                "guardian", _("The guardian watches the operator: two different people (OPS-6).")
            )
        return data


class TerminateForm(ReasonForm):
    remote_refused = forms.BooleanField(
        label=_("the device refused the remote operation (拒动): continue on site"), required=False
    )


class InterruptForm(ActionForm):
    """OPS-10: why the sequence control stopped, whom the centre reported to, the device state."""

    cause = forms.ChoiceField(label=_("interrupted by"), choices=Interruption.choices)
    reported_to = forms.CharField(label=_("reported to dispatcher"), max_length=60)
    device_state = forms.CharField(label=_("device state when interrupted"), max_length=200)
    reason = forms.CharField(label=_("reason"), max_length=300)


class ConsentForm(ActionForm):
    """OPS-10: the dispatcher's consent to continue on site."""

    dispatcher = forms.CharField(label=_("dispatcher who consented (调度同意)"), max_length=60)
    at = forms.DateTimeField(label=_("time"), widget=LOCAL_DATETIME)


class AbortForm(ActionForm):
    """OPS-10: the dispatcher aborts a task the site cannot continue."""

    dispatcher = forms.CharField(label=_("dispatcher"), max_length=60)
    reason = forms.CharField(label=_("reason"), max_length=200)


class NoteForm(ActionForm):
    text = forms.CharField(label=_("anomaly reported to the centre"), max_length=500)


class AssessForm(ActionForm):
    qualified = forms.TypedChoiceField(
        label=_("assessment"),
        coerce=lambda v: v == "True",
        choices=[("True", _("Qualified (合格)")), ("False", _("Not qualified (不合格)"))],
    )


class LockForm(ActionForm):
    equipment = forms.ModelChoiceField(label=_("equipment"), queryset=None)
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Equipment

        super().__init__(*args, **kwargs)
        self.fields["equipment"].queryset = with_tag_flag(
            Equipment.objects.filter(centre=self.centre).select_related("site")
        )
        self.fields["equipment"].label_from_instance = _equipment_label


class SingleOperationForm(LockForm):
    """OPS-12: what was done, on which equipment, when."""

    reason = None
    action = forms.CharField(label=_("operation"), max_length=200)
    at = forms.DateTimeField(label=_("time"), widget=LOCAL_DATETIME)


class TypicalTicketForm(CentreModelForm):
    class Meta:
        model = TypicalTicket
        fields = ["site", "name", "task_kind", "task", "steps", "active"]
        widgets = {"steps": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Site

        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre)


class TicketMonthForm(MonthForm):
    """Which month, and whose tickets, to print or count (OPS-13, OPS-14). The team is one of
    the centre's teams, ``Executor.CENTRE`` for the tickets the centre executes itself, or
    empty for all."""

    team = forms.ChoiceField(label=_("team"), required=False)

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Team

        super().__init__(*args, **kwargs)
        self.teams = {str(t.pk): t for t in Team.objects.filter(centre=self.centre)}
        self.fields["team"].choices = [
            ("", _("Whole centre")),
            (Executor.CENTRE.value, Executor.CENTRE.label),
            *((pk, team.name) for pk, team in self.teams.items()),
        ]

    def clean_team(self):
        value = self.cleaned_data["team"]
        return self.teams.get(value, value or None)  # a Team, Executor.CENTRE or None


# --- work tickets (WORK-1 … WORK-7, ACC-1) -------------------------------------------------------


def same_person(a, b) -> bool:
    """Names on a paper ticket compare without spaces (“王 强” is “王强”)."""
    if not a or not b:
        return False
    return "".join(str(a).split()) == "".join(str(b).split())


def work_roles_differ(form, issuer, leader, permitter) -> None:
    """WORK-7: issuer (签发人), work leader (工作负责人) and permitter (工作许可人) are three
    different people; the message goes to the later of two equal fields."""
    message = _(
        "Issuer, work leader and permitter are three different people on one ticket (WORK-7)."
    )
    if same_person(issuer, leader):
        form.add_error("work_leader", message)
    if permitter is not None and (
        same_person(permitter.name, issuer) or same_person(permitter.name, leader)
    ):
        form.add_error("permitter", message)


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
        self.fields["order"].queryset = DispatchOrder.objects.filter(centre=self.centre).exclude(
            state=OrderState.CANCELLED
        )
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
                _("Name the equipment worked on: it gets the maintenance tag (WORK-2)."),
            )
        lines = [
            line.strip() for line in data.get("safety_measures", "").splitlines() if line.strip()
        ]
        if "safety_measures" in data and not lines:
            self.add_error(
                "safety_measures", _("A work ticket lists its safety measures (WORK-2).")
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
                _("The permitter is a person of %(team)s (WORK-2).") % {"team": team},
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
        self.fields["equipment"].label_from_instance = _equipment_label
        self.fields["work_ticket"].queryset = WorkTicket.objects.filter(centre=self.centre)

    def clean(self):
        data = super().clean()
        if data.get("reason") == LimitReason.CT_REPLACEMENT and not data.get("ct_ratio_new"):
            self.add_error(
                "ct_ratio_new", _("A CT replacement gives the new CT ratio, e.g. 1200/5 (WORK-6).")
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
        widgets = {"issued_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        from zhiban.org.models import Equipment, Site

        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(centre=self.centre)
        self.fields["equipment"].queryset = (
            Equipment.objects.filter(centre=self.centre)
            .select_related("site")
            .order_by("site__tree_path", "tree_path")
        )
        self.fields["equipment"].label_from_instance = _equipment_label
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
