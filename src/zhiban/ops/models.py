"""Power operations: dispatch orders (调度令), operation tickets (操作票) with their steps and
the typical-ticket library (典型票), equipment locks (封锁), single operations (单一操作)
(OPS-1 … OPS-15).

Fields, constraints and transition tables only; every change goes through ``ops.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel


class TaskKind(models.TextChoices):
    """What the task is; it decides locks (OPS-5), who may execute (OPS-3) and whether
    sequence control is allowed (OPS-9)."""

    GENERAL = "general", _("General operation")
    LINE_MAINTENANCE = "line_maintenance", _("Pure line maintenance (纯线路检修)")
    CAPACITOR_MAINTENANCE = "capacitor_maintenance", _("Capacitor maintenance (电容器检修)")
    TRANSFORMER_MAINTENANCE = (
        "transformer_maintenance",
        _("Main transformer maintenance (主变检修)"),
    )
    CAPACITOR_COLD_BUS = "capacitor_cold_bus", _("Capacitor cold bus transfer (电容器冷倒母线)")
    CAPACITOR_SELF_STOP = "capacitor_self_stop", _("Capacitor self-stop (电容器自停)")
    LOOP = "loop", _("Loop closing or opening (合解环)")


# OPS-5: the centre consents only after it has locked the equipment in the monitoring system.
NEEDS_LOCK = {
    TaskKind.CAPACITOR_MAINTENANCE,
    TaskKind.TRANSFORMER_MAINTENANCE,
    TaskKind.CAPACITOR_COLD_BUS,
}
# OPS-5: capacitor self-stop operations are done by the team.
TEAM_ONLY = {TaskKind.CAPACITOR_SELF_STOP}
LOCKED_KINDS = {"capacitor", "main_transformer"}


class OrderState(models.TextChoices):
    RECEIVED = "received", _("Pre-order received (预令已接)")
    NOTIFIED = "notified", _("Team notified (已通知操作队)")
    ORDERED = "ordered", _("Formal order given (已正式发令)")
    DONE = "done", _("Done (已完成)")
    CANCELLED = "cancelled", _("Cancelled (已取消)")


OPEN_ORDER_STATES = [OrderState.RECEIVED, OrderState.NOTIFIED, OrderState.ORDERED]


class DispatchOrder(VersionedModel):
    """A dispatcher's order (调度令): received as a pre-order by the chief operator and read back
    (OPS-1), passed to the team on duty with its read-back (OPS-2), then given formally to the
    station (OPS-4). The order is also the centre's task ticket (任务票)."""

    FLOW = Flow(
        "dispatch_order",
        OrderState,
        initial=OrderState.RECEIVED,
        rule="OPS-2",
        transitions=[
            Transition("notify", (OrderState.RECEIVED, OrderState.NOTIFIED), OrderState.NOTIFIED),
            Transition("formal", (OrderState.NOTIFIED,), OrderState.ORDERED, rule="OPS-4"),
            Transition("finish", (OrderState.ORDERED,), OrderState.DONE),
            Transition(
                "cancel",
                (OrderState.RECEIVED, OrderState.NOTIFIED, OrderState.ORDERED),
                OrderState.CANCELLED,
            ),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="orders", verbose_name=_("centre")
    )
    number = models.CharField(_("task ticket number"), max_length=30)
    dispatcher = models.CharField(
        _("dispatcher"), max_length=60, help_text=_("Who gave the order, e.g. 地调 王调度")
    )
    task = models.CharField(_("task"), max_length=300)
    task_kind = models.CharField(
        _("kind of task"), max_length=24, choices=TaskKind.choices, default=TaskKind.GENERAL
    )
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    equipment = models.ManyToManyField(
        "org.Equipment", blank=True, related_name="+", verbose_name=_("equipment")
    )
    planned_at = models.DateTimeField(_("planned for"), null=True, blank=True)
    received_at = models.DateTimeField(_("pre-order received"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("received by"),
    )
    read_back = models.TextField(_("read back to the dispatcher"), max_length=1000)
    team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("team"),
    )
    formal_at = models.DateTimeField(_("formal order"), null=True, blank=True)
    formal_received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("formal order received by"),
    )
    state = models.CharField(
        _("stage"), max_length=10, choices=OrderState.choices, default=OrderState.RECEIVED
    )
    cancel_reason = models.CharField(_("why cancelled"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("dispatch order (调度令)")
        verbose_name_plural = _("dispatch orders")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="order_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.task}"


class AskedTo(models.TextChoices):
    CENTRE = "centre", _("the centre")
    DISPATCHER = "dispatcher", _("the dispatcher")


class OrderQuestion(models.Model):
    """A doubt about an order: the team asks the centre first, then the centre the dispatcher
    (OPS-2); each is a recorded phone contact."""

    order = models.ForeignKey(
        DispatchOrder,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("dispatch order"),
    )
    asked_to = models.CharField(_("asked"), max_length=10, choices=AskedTo.choices)
    question = models.CharField(_("question"), max_length=500)
    answer = models.CharField(_("answer"), max_length=500)
    at = models.DateTimeField(_("time"))
    contact = models.ForeignKey(
        "core.PhoneContact",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("phone contact"),
    )

    class Meta:
        verbose_name = _("question about an order")
        verbose_name_plural = _("questions about orders")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.question


class Executor(models.TextChoices):
    CENTRE = "centre", _("The centre (监控中心)")
    TEAM = "team", _("The team on site (操作队)")


class Interruption(models.TextChoices):
    """Why a sequence-control operation stopped (OPS-10, OPS-11)."""

    COMMUNICATION_LOST = "communication_lost", _("Communication lost (通信中断)")
    DEVICE_REFUSED = "device_refused", _("Device refused (设备拒动)")
    TIMEOUT = "timeout", _("No completed signal in time (顺控超时)")


class TicketState(models.TextChoices):
    DRAFT = "draft", _("Draft (待审核)")
    REVIEWED = "reviewed", _("Reviewed (已审核)")
    ORDERED = "ordered", _("Ordered (已发令)")
    EXECUTING = "executing", _("Executing (执行中)")
    COMPLETED = "completed", _("Completed (已执行)")
    VOIDED = "voided", _("Voided (作废)")
    TERMINATED = "terminated", _("Terminated (终止操作)")


OPEN_TICKET_STATES = [TicketState.REVIEWED, TicketState.ORDERED, TicketState.EXECUTING]
UNFINISHED_TICKET_STATES = [TicketState.DRAFT, *OPEN_TICKET_STATES]
FINISHED_TICKET_STATES = [TicketState.COMPLETED, TicketState.VOIDED, TicketState.TERMINATED]


class OperationTicket(VersionedModel):
    """An operation ticket (操作票, OPS-6): one task, its ordered steps, who filled and reviewed
    it, who gave and received the order, operator, guardian and person in charge."""

    FLOW = Flow(
        "operation_ticket",
        TicketState,
        initial=TicketState.DRAFT,
        rule="OPS-7",
        transitions=[
            Transition("edit", (TicketState.DRAFT,), TicketState.DRAFT),
            Transition("review", (TicketState.DRAFT,), TicketState.REVIEWED),
            Transition("return", (TicketState.REVIEWED,), TicketState.DRAFT),
            Transition("order", (TicketState.REVIEWED,), TicketState.ORDERED),
            Transition("notify_centre", (TicketState.ORDERED,), TicketState.ORDERED),
            Transition("tick", (TicketState.ORDERED, TicketState.EXECUTING), TicketState.EXECUTING),
            Transition("complete", (TicketState.EXECUTING,), TicketState.COMPLETED),
            Transition(
                "void",
                (TicketState.DRAFT, TicketState.REVIEWED, TicketState.ORDERED),
                TicketState.VOIDED,
            ),
            Transition("terminate", (TicketState.EXECUTING,), TicketState.TERMINATED),
            Transition(
                "interrupt", (TicketState.EXECUTING,), TicketState.TERMINATED, rule="OPS-10"
            ),
            Transition("consent", (TicketState.ORDERED,), TicketState.ORDERED, rule="OPS-10"),
            Transition(
                "abort",
                (TicketState.DRAFT, TicketState.REVIEWED, TicketState.ORDERED),
                TicketState.VOIDED,
                rule="OPS-10",
            ),
            Transition("note", (TicketState.ORDERED, TicketState.EXECUTING), TicketState.EXECUTING),
            Transition("override", (TicketState.ORDERED,), TicketState.ORDERED, rule="WORK-3"),
            Transition("override", (TicketState.EXECUTING,), TicketState.EXECUTING, rule="WORK-3"),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("centre")
    )
    number = models.CharField(_("number"), max_length=30)
    executor = models.CharField(_("executed by"), max_length=6, choices=Executor.choices)
    team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("team"),
    )
    order = models.ForeignKey(
        DispatchOrder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("dispatch order"),
    )
    continues = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="continued_by",
        verbose_name=_("continues ticket"),
    )
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    task_kind = models.CharField(
        _("kind of task"), max_length=24, choices=TaskKind.choices, default=TaskKind.GENERAL
    )
    task = models.CharField(_("task (操作任务)"), max_length=300)
    equipment = models.ManyToManyField(
        "org.Equipment", blank=True, related_name="tickets", verbose_name=_("equipment")
    )
    sequence_control = models.BooleanField(_("sequence control (顺控)"), default=False)
    state = models.CharField(
        _("state"), max_length=10, choices=TicketState.choices, default=TicketState.DRAFT
    )
    filled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filled by (填票人)"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by (审核人)"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    issuer = models.CharField(_("order given by (发令人)"), max_length=60, blank=True)
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("order received by (受令人)"),
    )
    ordered_at = models.DateTimeField(_("order time (发令时间)"), null=True, blank=True)
    centre_notified_at = models.DateTimeField(_("centre notified"), null=True, blank=True)
    started_at = models.DateTimeField(_("started (操作开始时间)"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended (操作结束时间)"), null=True, blank=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("operator (操作人)"),
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("guardian (监护人)"),
    )
    in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person in charge (值班负责人)"),
    )
    remarks = models.TextField(_("remarks (备注)"), blank=True, max_length=2000)
    interruption = models.CharField(
        _("interrupted by"), max_length=20, choices=Interruption.choices, blank=True
    )
    interrupted_at = models.DateTimeField(_("interrupted"), null=True, blank=True)
    reported_to = models.CharField(_("reported to dispatcher"), max_length=60, blank=True)
    device_state = models.CharField(_("device state when interrupted"), max_length=200, blank=True)
    dispatcher_consent = models.CharField(
        _("dispatcher who consented (调度同意)"), max_length=60, blank=True
    )
    dispatcher_consent_at = models.DateTimeField(_("dispatcher consented"), null=True, blank=True)
    end_reason = models.CharField(_("why voided or terminated"), max_length=300, blank=True)
    qualified = models.BooleanField(_("qualified (合格)"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessed by"),
    )

    class Meta:
        verbose_name = _("operation ticket (操作票)")
        verbose_name_plural = _("operation tickets")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="ticket_number_unique")
        ]
        indexes = [models.Index(fields=["centre", "state"], name="ticket_centre_state_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.task}"


class StepState(models.TextChoices):
    PENDING = "pending", _("To do")
    DONE = "done", _("Done (√)")
    STAMPED = "stamped", _("Stamped executed (已执行)")
    NOT_DONE = "not_done", _("Not executed (未执行)")


class TicketStep(models.Model):
    """One ordered step (操作项目) of a ticket, ticked with the time (OPS-6)."""

    ticket = models.ForeignKey(
        OperationTicket, on_delete=models.CASCADE, related_name="steps", verbose_name=_("ticket")
    )
    seq = models.PositiveSmallIntegerField(_("order (顺序)"))
    text = models.CharField(_("step (操作项目)"), max_length=300)
    state = models.CharField(
        _("state"), max_length=10, choices=StepState.choices, default=StepState.PENDING
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("operator"),
    )
    guardian = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("guardian"),
    )

    class Meta:
        verbose_name = _("ticket step")
        verbose_name_plural = _("ticket steps")
        ordering = ["ticket", "seq"]
        constraints = [models.UniqueConstraint(fields=["ticket", "seq"], name="step_seq_unique")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.text}"


class TicketNote(models.Model):
    """Something that happened during an operation and was reported to the centre (OPS-8)."""

    ticket = models.ForeignKey(
        OperationTicket, on_delete=models.CASCADE, related_name="notes", verbose_name=_("ticket")
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by"),
    )
    text = models.CharField(_("anomaly"), max_length=500)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text


class TypicalTicket(VersionedModel):
    """A typical ticket (典型票) of a station: a task and its steps to start a ticket from."""

    centre = models.ForeignKey(
        "org.Centre",
        on_delete=models.PROTECT,
        related_name="typical_tickets",
        verbose_name=_("centre"),
    )
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    name = models.CharField(_("name"), max_length=100)
    task_kind = models.CharField(
        _("kind of task"), max_length=24, choices=TaskKind.choices, default=TaskKind.GENERAL
    )
    task = models.CharField(_("task"), max_length=300)
    steps = models.TextField(_("steps, one per line"), max_length=20000)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("typical ticket (典型票)")
        verbose_name_plural = _("typical tickets")
        ordering = ["site", "name"]

    def __str__(self) -> str:
        return self.name

    def step_lines(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]


class EquipmentLock(models.Model):
    """The centre's lock (封锁) of equipment in the monitoring system (OPS-5)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    equipment = models.ForeignKey(
        "org.Equipment", on_delete=models.PROTECT, related_name="locks", verbose_name=_("equipment")
    )
    reason = models.CharField(_("reason"), max_length=200)
    locked_at = models.DateTimeField(_("locked"), auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("locked by"),
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("released by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("equipment lock (封锁)")
        verbose_name_plural = _("equipment locks")
        ordering = ["-locked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["equipment"],
                condition=models.Q(released_at=None),
                name="one_active_lock_per_equipment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.equipment} 封锁"


class SingleOperation(models.Model):
    """A single operation (单一操作) recorded by whoever performed it (OPS-12)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    equipment = models.ForeignKey(
        "org.Equipment", on_delete=models.PROTECT, related_name="+", verbose_name=_("equipment")
    )
    action = models.CharField(_("operation"), max_length=200)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("performed by"),
    )
    order = models.ForeignKey(
        DispatchOrder,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dispatch order"),
    )

    class Meta:
        verbose_name = _("single operation (单一操作)")
        verbose_name_plural = _("single operations")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.equipment} {self.action}"


# --- work tickets (WORK-1 … WORK-7, ACC-1) -------------------------------------------------------


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
        DispatchOrder,
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
    def is_open(self) -> bool:
        return self.state in OPEN_WORK_STATES

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


class InterlockOverride(models.Model):
    """The centre's recorded decision to put a ticket's equipment towards service although a
    work ticket or its maintenance tag still holds it (WORK-3, DESIGN rule 8): who, when, why,
    and the work tickets it covers. Shown on the ticket and written to the duty log."""

    ticket = models.ForeignKey(
        OperationTicket,
        on_delete=models.PROTECT,
        related_name="overrides",
        verbose_name=_("operation ticket"),
    )
    work_tickets = models.ManyToManyField(
        WorkTicket, related_name="+", verbose_name=_("work tickets overridden")
    )
    reason = models.CharField(_("reason"), max_length=300)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("interlock override (强制解锁)")
        verbose_name_plural = _("interlock overrides")
        ordering = ["ticket", "at", "id"]

    def __str__(self) -> str:
        return self.reason


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
