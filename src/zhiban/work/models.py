"""Work tickets (工作票) with their safety measures and interruptions, maintenance tags (检修牌),
four-remote checks (四遥验收), limit changes (越限值变更) and protection setting sheets (定值单)
with their copies (WORK-1 … WORK-7, ACC-1). Split out of ``ops`` (ADR 0012): a work ticket may
name the dispatch order it came with (``ops.DispatchOrder``, by label: this app imports nothing
of ops).

Fields, constraints and transition tables only; every change goes through ``work.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel


class WorkKind(models.TextChoices):
    FIRST = "first", _("First kind (第一种工作票)")
    SECOND = "second", _("Second kind (第二种工作票)")


class WorkState(models.TextChoices):
    RECEIVED = "received", _("Received (已接收)")
    PERMITTED = "permitted", _("Permitted, at work (已许可)")
    INTERRUPTED = "interrupted", _("Interrupted (间断)")
    WORK_ENDED = "work_ended", _("Work ended (工作终结)")
    ENDED = "ended", _("Ticket ended (工作票终结)")
    VOIDED = "voided", _("Voided (作废)")


OPEN_WORK_STATES = [
    WorkState.RECEIVED,
    WorkState.PERMITTED,
    WorkState.INTERRUPTED,
    WorkState.WORK_ENDED,
]


class WorkTicket(VersionedModel):
    """A work ticket (工作票, first or second kind) with its standard fields, received by the
    operations team (WORK-1). Issuer (签发人) and work leader (工作负责人) are usually people of
    the maintenance unit who do not log in, so they are recorded by name like a dispatcher;
    the permitter (工作许可人) is the team's person who receives the dispatcher's permit.
    Those three are different people and a work leader holds one open ticket (WORK-7).

    Permit (WORK-2) → interruptions and resumptions, at most one extension before expiry
    (WORK-7) → work end after the four-remote check or a remote-control test (WORK-4, ACC-1)
    → the centre removes the maintenance tag → final check with the centre (WORK-5) → end."""

    FLOW = Flow(
        "work_ticket",
        WorkState,
        initial=WorkState.RECEIVED,
        rule="WORK-2",
        transitions=[
            Transition("edit", (WorkState.RECEIVED,), WorkState.RECEIVED, rule="WORK-1"),
            Transition("measure", (WorkState.RECEIVED,), WorkState.RECEIVED),
            Transition("permit", (WorkState.RECEIVED,), WorkState.PERMITTED),
            Transition("tag", (WorkState.PERMITTED,), WorkState.PERMITTED),
            Transition("interrupt", (WorkState.PERMITTED,), WorkState.INTERRUPTED, rule="WORK-7"),
            Transition("resume", (WorkState.INTERRUPTED,), WorkState.PERMITTED, rule="WORK-7"),
            Transition("extend", (WorkState.PERMITTED,), WorkState.PERMITTED, rule="WORK-7"),
            Transition("extend", (WorkState.INTERRUPTED,), WorkState.INTERRUPTED, rule="WORK-7"),
            Transition("check", (WorkState.PERMITTED,), WorkState.PERMITTED, rule="WORK-4"),
            Transition("work_end", (WorkState.PERMITTED,), WorkState.WORK_ENDED, rule="WORK-4"),
            Transition("untag", (WorkState.WORK_ENDED,), WorkState.WORK_ENDED, rule="WORK-4"),
            Transition("final_check", (WorkState.WORK_ENDED,), WorkState.WORK_ENDED, rule="WORK-5"),
            Transition("end", (WorkState.WORK_ENDED,), WorkState.ENDED, rule="WORK-5"),
            Transition("void", (WorkState.RECEIVED,), WorkState.VOIDED, rule="WORK-1"),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre",
        on_delete=models.PROTECT,
        related_name="work_tickets",
        verbose_name=_("centre"),
    )
    number = models.CharField(_("number"), max_length=30)
    kind = models.CharField(_("kind of work ticket"), max_length=6, choices=WorkKind.choices)
    state = models.CharField(
        _("state"), max_length=12, choices=WorkState.choices, default=WorkState.RECEIVED
    )
    team = models.ForeignKey(
        "org.Team",
        on_delete=models.PROTECT,
        related_name="work_tickets",
        verbose_name=_("operations team"),
    )
    order = models.ForeignKey(
        "ops.DispatchOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_tickets",
        verbose_name=_("dispatch order"),
        help_text=_("The order the centre pre-received and passed to the team (WORK-1)."),
    )
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    equipment = models.ManyToManyField(
        "org.Equipment", related_name="work_tickets", verbose_name=_("equipment")
    )
    task = models.CharField(_("work task (工作任务)"), max_length=300)
    location = models.CharField(_("work location (工作地点)"), max_length=200)
    planned_start = models.DateTimeField(_("planned start (计划开始)"))
    planned_end = models.DateTimeField(_("planned end (计划结束)"))
    work_leader = models.CharField(_("work leader (工作负责人)"), max_length=60)
    members = models.CharField(_("work crew (工作班成员)"), max_length=500, blank=True)
    crew_size = models.PositiveSmallIntegerField(_("people in all (共几人)"), default=1)
    issuer = models.CharField(_("issuer (签发人)"), max_length=60)
    issued_at = models.DateTimeField(_("issued (签发时间)"), null=True, blank=True)
    received_at = models.DateTimeField(_("received (收到时间)"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )
    permitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("permitter (工作许可人)"),
    )
    permit_dispatcher = models.CharField(
        _("dispatcher who gave the permit"), max_length=60, blank=True
    )
    permitted_at = models.DateTimeField(_("work permitted (许可时间)"), null=True, blank=True)
    centre_told_at = models.DateTimeField(
        _("centre told the measures are done"), null=True, blank=True
    )
    extended_to = models.DateTimeField(_("extended to (延期至)"), null=True, blank=True)
    extension_reason = models.CharField(_("why extended"), max_length=300, blank=True)
    work_ended_at = models.DateTimeField(_("work ended (工作终结时间)"), null=True, blank=True)
    acceptance = models.CharField(_("acceptance (验收情况)"), max_length=500, blank=True)
    final_check_at = models.DateTimeField(
        _("final check with the centre (操作汇报)"), null=True, blank=True
    )
    final_check = models.CharField(_("what was checked"), max_length=500, blank=True)
    final_check_with = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked with (centre)"),
    )
    ended_at = models.DateTimeField(_("ticket ended (终结时间)"), null=True, blank=True)
    void_reason = models.CharField(_("why voided"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("work ticket (工作票)")
        verbose_name_plural = _("work tickets")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="work_number_unique"),
            models.UniqueConstraint(
                fields=["centre", "work_leader"],
                condition=models.Q(
                    state__in=["received", "permitted", "interrupted", "work_ended"]
                ),
                name="one_open_work_ticket_per_leader",
            ),
        ]
        indexes = [models.Index(fields=["centre", "state"], name="work_centre_state_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.task}"

    @property
    def ends_at(self):
        """When the ticket expires: the extension if any, else the planned end."""
        return self.extended_to or self.planned_end


class WorkSafetyMeasure(models.Model):
    """A safety measure (安全措施) of a work ticket with its “done” column (已执行, WORK-2)."""

    ticket = models.ForeignKey(
        WorkTicket, on_delete=models.CASCADE, related_name="measures", verbose_name=_("work ticket")
    )
    seq = models.PositiveSmallIntegerField(_("order (顺序)"))
    text = models.CharField(_("safety measure (安全措施)"), max_length=300)
    done = models.BooleanField(_("done (已执行)"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("done by"),
    )

    class Meta:
        verbose_name = _("safety measure")
        verbose_name_plural = _("safety measures")
        ordering = ["ticket", "seq"]
        constraints = [models.UniqueConstraint(fields=["ticket", "seq"], name="measure_seq_unique")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.text}"


class WorkInterruption(models.Model):
    """An interruption (间断) of the work and its resumption (WORK-7)."""

    ticket = models.ForeignKey(
        WorkTicket,
        on_delete=models.CASCADE,
        related_name="interruptions",
        verbose_name=_("work ticket"),
    )
    interrupted_at = models.DateTimeField(_("work interrupted (间断时间)"))
    reason = models.CharField(_("reason"), max_length=300)
    interrupted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    resumed_at = models.DateTimeField(_("work resumed (恢复时间)"), null=True, blank=True)
    resumed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("resumption recorded by"),
    )

    class Meta:
        verbose_name = _("interruption (间断)")
        verbose_name_plural = _("interruptions")
        ordering = ["ticket", "interrupted_at", "id"]

    def __str__(self) -> str:
        return self.reason


class MaintenanceTag(models.Model):
    """The maintenance tag (检修牌) the centre places on equipment once the team has reported
    the safety measures of a permitted work ticket done (WORK-2); it shows wherever the
    equipment appears (WORK-3) and is removed after work end (WORK-4)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    equipment = models.ForeignKey(
        "org.Equipment",
        on_delete=models.PROTECT,
        related_name="maintenance_tags",
        verbose_name=_("equipment"),
    )
    work_ticket = models.ForeignKey(
        WorkTicket, on_delete=models.PROTECT, related_name="tags", verbose_name=_("work ticket")
    )
    placed_at = models.DateTimeField(_("placed"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placed by"),
    )
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("removed by"),
    )

    class Meta:
        verbose_name = _("maintenance tag (检修牌)")
        verbose_name_plural = _("maintenance tags")
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["equipment"],
                condition=models.Q(removed_at=None),
                name="one_active_tag_per_equipment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.equipment} 检修牌"


class RemoteKind(models.TextChoices):
    """The four remotes (四遥) checked with the centre, or the remote-control test that may
    replace them (WORK-4, ACC-1)."""

    TELESIGNAL = "telesignal", _("Telesignal (遥信)")
    TELEMETRY = "telemetry", _("Telemetry (遥测)")
    TELECONTROL = "telecontrol", _("Telecontrol (遥控)")
    TELEADJUST = "teleadjust", _("Teleadjust (遥调)")
    CONTROL_TEST = "control_test", _("Remote-control test (遥控试验)")


FOUR_REMOTES = [
    RemoteKind.TELESIGNAL,
    RemoteKind.TELEMETRY,
    RemoteKind.TELECONTROL,
    RemoteKind.TELEADJUST,
]


class CheckResult(models.TextChoices):
    OK = "ok", _("Correct (正确)")
    FAILED = "failed", _("Wrong (不正确)")


class RemoteCheck(models.Model):
    """One point of the four-remote acceptance (四遥验收) of a work ticket, or a remote-control
    test, checked by a person of the centre with a person of the team (WORK-4, ACC-1)."""

    ticket = models.ForeignKey(
        WorkTicket,
        on_delete=models.CASCADE,
        related_name="remote_checks",
        verbose_name=_("work ticket"),
    )
    kind = models.CharField(_("check"), max_length=12, choices=RemoteKind.choices)
    point = models.CharField(_("point (信息点)"), max_length=200)
    result = models.CharField(_("result"), max_length=6, choices=CheckResult.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"))
    centre_checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checker at the centre"),
    )
    team_checker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checker of the team"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("four-remote check (四遥验收)")
        verbose_name_plural = _("four-remote checks")
        ordering = ["ticket", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.point}"


# --- limit changes and setting sheets (WORK-6) ---------------------------------------------------


class LimitReason(models.TextChoices):
    CT_REPLACEMENT = "ct_replacement", _("CT replacement (流变更换)")
    SETTING_CHANGE = "setting_change", _("Protection setting change (定值调整)")
    OTHER = "other", _("Other (其他)")


class LimitChange(VersionedModel):
    """New limit values (越限值) of equipment, e.g. after a current-transformer replacement
    (流变更换): the team tells the centre when the work ends and the change is recorded
    against the equipment; the centre sets them in the monitoring system (WORK-6)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    equipment = models.ForeignKey(
        "org.Equipment",
        on_delete=models.PROTECT,
        related_name="limit_changes",
        verbose_name=_("equipment"),
    )
    work_ticket = models.ForeignKey(
        WorkTicket,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="limit_changes",
        verbose_name=_("work ticket"),
    )
    reason = models.CharField(
        _("reason"), max_length=16, choices=LimitReason.choices, default=LimitReason.CT_REPLACEMENT
    )
    quantity = models.CharField(
        _("limit (越限值)"), max_length=60, help_text=_("e.g. 电流上限, 有功上限")
    )
    old_value = models.DecimalField(
        _("old value"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    new_value = models.DecimalField(_("new value"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=12, help_text=_("e.g. A, MW, Mvar, kV"))
    ct_ratio_old = models.CharField(_("CT ratio before (原变比)"), max_length=20, blank=True)
    ct_ratio_new = models.CharField(_("CT ratio after (新变比)"), max_length=20, blank=True)
    effective_at = models.DateTimeField(_("effective from"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("told the centre"),
    )
    reported_at = models.DateTimeField(_("centre told at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    contact = models.ForeignKey(
        "core.PhoneContact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phone contact"),
    )
    applied_at = models.DateTimeField(_("set in the monitoring system"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("set by"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("limit change (越限值变更)")
        verbose_name_plural = _("limit changes")
        ordering = ["-effective_at", "-id"]

    def __str__(self) -> str:
        return f"{self.equipment} {self.quantity} {self.new_value.normalize():f}{self.unit}"


class SettingSheet(VersionedModel):
    """A protection setting sheet (继保定值单) handed over at the monthly meeting in three
    copies — station, team, centre — each with its receipt (WORK-6)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    number = models.CharField(_("setting sheet number (定值单编号)"), max_length=40)
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    equipment = models.ForeignKey(
        "org.Equipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="setting_sheets",
        verbose_name=_("equipment"),
    )
    subject = models.CharField(_("what it sets"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    limit_change = models.ForeignKey(
        LimitChange,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="setting_sheets",
        verbose_name=_("limit change"),
    )

    class Meta:
        verbose_name = _("setting sheet (定值单)")
        verbose_name_plural = _("setting sheets")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="setting_sheet_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def task(self) -> str:
        """What the sheet sets (the action pages show an object's number and task)."""
        return self.subject


class CopyHolder(models.TextChoices):
    STATION = "station", _("Station (变电站)")
    TEAM = "team", _("Operations team (操作队)")
    CENTRE = "centre", _("Monitoring centre (监控中心)")


class SettingSheetCopy(models.Model):
    """One of the three copies of a setting sheet and its receipt (WORK-6)."""

    sheet = models.ForeignKey(
        SettingSheet,
        on_delete=models.CASCADE,
        related_name="copies",
        verbose_name=_("setting sheet"),
    )
    holder = models.CharField(_("copy for"), max_length=8, choices=CopyHolder.choices)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )

    class Meta:
        verbose_name = _("setting sheet copy")
        verbose_name_plural = _("setting sheet copies")
        ordering = ["sheet", "id"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "holder"], name="setting_copy_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sheet.number} · {self.get_holder_display()}"
