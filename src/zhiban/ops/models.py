"""Power operations: dispatch orders (调度令), operation tickets (操作票) with their steps and
the typical-ticket library (典型票), equipment locks (封锁), single operations (单一操作)
(OPS-1 … OPS-15), and the centre's overrides of the interlock with work tickets (WORK-3; work
tickets and tags are the ``work`` app, ADR 0012).

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

    @property
    def passed_to_team(self) -> bool:
        """The centre has phoned the team about it (OPS-2); a work ticket may follow (WORK-1)."""
        return self.state not in (OrderState.RECEIVED, OrderState.CANCELLED)

    @property
    def cancelled(self) -> bool:
        return self.state == OrderState.CANCELLED


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
        "work.WorkTicket", related_name="+", verbose_name=_("work tickets overridden")
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
