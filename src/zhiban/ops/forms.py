"""Forms of power operations; ``ops.services`` validates with them (422 per field)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhiban.core.forms import LOCAL_DATETIME, CentreModelForm, MonthForm
from zhiban.core.timewindow import Kind
from zhiban.work.forms import ActionForm, ReasonForm, SiteEquipmentMixin, equipment_label
from zhiban.work.selectors import with_tag_flag

from .models import (
    AskedTo,
    DispatchOrder,
    Executor,
    Interruption,
    OperationTicket,
    TaskKind,
    TypicalTicket,
)


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


def guardian_differs(form, operator, guardian) -> None:
    """OPS-6: the guardian (监护人) watches the operator (操作人): two different people."""
    if operator and operator == guardian:
        form.add_error(
            "guardian",
            forms.ValidationError(
                _("The guardian watches the operator: two different people (OPS-6)."),
                code="OPS-6",
            ),
        )


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
            self.add_error(
                "task",
                forms.ValidationError(
                    _("Name the one task of this ticket (OPS-15)."), code="OPS-15"
                ),
            )
        lines = [line.strip() for line in data.get("steps", "").splitlines() if line.strip()]
        if not lines:
            self.add_error(
                "steps",
                forms.ValidationError(_("A ticket needs at least one step (OPS-6)."), code="OPS-6"),
            )
        if any(len(line) > 300 for line in lines):
            self.add_error("steps", _("A step is at most 300 characters."))
        data["step_lines"] = lines
        executor, team = data.get("executor"), data.get("team")
        if executor == Executor.TEAM and team is None:
            self.add_error("team", _("Name the team that executes the ticket."))
        if data.get("task_kind") in (TaskKind.CAPACITOR_SELF_STOP,) and executor == Executor.CENTRE:
            self.add_error(
                "executor",
                forms.ValidationError(
                    _("Capacitor self-stop operations are done by the team (OPS-5)."), code="OPS-5"
                ),
            )
        if data.get("sequence_control") and (
            executor != Executor.CENTRE or data.get("task_kind") != TaskKind.LINE_MAINTENANCE
        ):
            self.add_error(
                "sequence_control",
                forms.ValidationError(
                    _(
                        "Sequence control by the centre is only for pure "
                        "line-maintenance tasks (OPS-9)."
                    ),
                    code="OPS-9",
                ),
            )
        guardian_differs(self, data.get("operator"), data.get("guardian"))
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
        guardian_differs(self, data.get("operator"), data.get("guardian"))
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
        self.fields["equipment"].label_from_instance = equipment_label


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
