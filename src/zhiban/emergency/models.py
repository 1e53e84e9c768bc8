"""Emergency plans (应急预案) as checklists, their runs and the emergency or theft report of a
run (EMG-1, EMG-2).

A plan names its scenario, its ordered items (what is done, by whom: a role or free text) and
the alarms that start it: the source kinds (a fire panel's alarm starts the fire plan) and the
alarm classes (an accident starts the power centre's plan of a station without voltage).
Starting a plan for an event makes a run: the plan's items copied, so a later change of the plan
leaves a run as it was done. Each item is ticked with time and person, or skipped with a reason;
the run is closed when none is left open and, where the plan asks for a report (always for a
theft), the report is complete (EMG-2).

Fields, constraints and the transition table only; every change goes through ``services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel


class Scenario(models.TextChoices):
    FIRE = "fire", _("Fire (火警)")
    POWER_CUT = "power_cut", _("Power cut (停电)")
    FLOODING = "flooding", _("Flooding (水浸)")
    THEFT = "theft", _("Theft (盗窃)")
    TYPHOON = "typhoon", _("Typhoon (台风)")
    EARTHQUAKE = "earthquake", _("Earthquake (地震)")
    STATION_BLACKOUT = "station_blackout", _("Station without voltage (全站失压)")
    MONITORING_LOSS = "monitoring_loss", _("Monitoring system lost (监控系统失灵)")
    OTHER = "other", _("Other (其他)")


class EmergencyPlan(VersionedModel):
    """An emergency plan of a centre (应急预案, EMG-1): a checklist for one scenario."""

    centre = models.ForeignKey(
        "org.Centre",
        on_delete=models.PROTECT,
        related_name="emergency_plans",
        verbose_name=_("centre"),
    )
    name = models.CharField(_("name"), max_length=100)
    scenario = models.CharField(_("scenario"), max_length=20, choices=Scenario.choices)
    source_kinds = models.JSONField(_("started by alarms of these sources"), default=list)
    alarm_classes = models.JSONField(_("started by alarms of these classes"), default=list)
    needs_report = models.BooleanField(_("needs an emergency report (EMG-2)"), default=False)
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["scenario", "name"]
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="emergency_plan_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def report_required(self) -> bool:
        """EMG-2: a theft always needs its report; another plan when it says so."""
        return self.needs_report or self.scenario == Scenario.THEFT


class PlanItem(models.Model):
    """One line of a plan's checklist: what is done and who does it (a role or free text)."""

    plan = models.ForeignKey(
        EmergencyPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("what is done"), max_length=300)
    who = models.CharField(_("who does it"), max_length=60, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="plan_item_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class RunState(models.TextChoices):
    RUNNING = "running", _("Running (进行中)")
    CLOSED = "closed", _("Closed (已结束)")


class EmergencyRun(VersionedModel):
    """A plan started for an event (EMG-1), by a person or by an alarm of a kind the plan
    names; with the emergency or theft report (EMG-2: reporter and phone, location, address,
    unit, injuries, property damage)."""

    FLOW = Flow(
        "emergency_run",
        RunState,
        initial=RunState.RUNNING,
        rule="EMG-1",
        transitions=[
            Transition("report", (RunState.RUNNING,), RunState.RUNNING, rule="EMG-2"),
            Transition("close", (RunState.RUNNING,), RunState.CLOSED),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre",
        on_delete=models.PROTECT,
        related_name="emergency_runs",
        verbose_name=_("centre"),
    )
    plan = models.ForeignKey(
        EmergencyPlan, on_delete=models.PROTECT, related_name="runs", verbose_name=_("plan")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=RunState.choices, default=RunState.RUNNING
    )
    event = models.CharField(_("what happened"), max_length=300)
    alarm = models.ForeignKey(
        "alarms.Alarm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emergency_runs",
        verbose_name=_("alarm that started it"),
    )
    started_at = models.DateTimeField(_("started"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    # the report (报案资料, EMG-2)
    reporter_name = models.CharField(_("reporter's name"), max_length=40, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    location = models.CharField(_("where it happened"), max_length=200, blank=True)
    address = models.CharField(_("address of the property"), max_length=200, blank=True)
    unit = models.CharField(_("unit (room or shop number)"), max_length=40, blank=True)
    injuries = models.CharField(_("injuries"), max_length=300, blank=True)
    property_damage = models.CharField(_("property damage"), max_length=300, blank=True)
    reported_at = models.DateTimeField(_("report written"), null=True, blank=True)

    REPORT_FIELDS = (
        "reporter_name",
        "reporter_phone",
        "location",
        "address",
        "unit",
        "injuries",
        "property_damage",
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("emergency plan run")
        verbose_name_plural = _("emergency plan runs")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=models.Q(state="running"),
                name="emergency_one_running_run_per_plan",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} · {self.event}"

    def missing_report_fields(self) -> list[str]:
        """The report's fields still empty (EMG-2), by their labels."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.REPORT_FIELDS
            if not getattr(self, name).strip()
        ]


class ItemState(models.TextChoices):
    OPEN = "open", _("To do (待执行)")
    TICKED = "ticked", _("Done (已执行)")
    SKIPPED = "skipped", _("Skipped (跳过)")


class RunItem(VersionedModel):
    """One checklist item of a run, copied from the plan; ticked with time and person or
    skipped with a reason, once (EMG-1)."""

    FLOW = Flow(
        "emergency_run_item",
        ItemState,
        initial=ItemState.OPEN,
        rule="EMG-1",
        transitions=[
            Transition("tick", (ItemState.OPEN,), ItemState.TICKED),
            Transition("skip", (ItemState.OPEN,), ItemState.SKIPPED),
        ],
    )

    run = models.ForeignKey(
        EmergencyRun, on_delete=models.CASCADE, related_name="items", verbose_name=_("run")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("what is done"), max_length=300)
    who = models.CharField(_("who does it"), max_length=60, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=ItemState.choices, default=ItemState.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["run", "position"]
        verbose_name = _("run item")
        verbose_name_plural = _("run items")
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="run_item_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"
