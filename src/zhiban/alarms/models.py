"""Alarms and incidents (告警, 事故及异常处理).

- ``AlarmSource``: an outside system that sends events (SCADA, fire or intrusion panel, online
  monitoring instrument, video), owned by one centre (INC-1).
- ``AlarmEvent``: every event as it arrived, stored once per (source, event id) (INC-1).
- ``DeadLetter``: a payload that could not be read, with the reason; nothing is dropped.
- ``Alarm``: one open alarm per (source, site, equipment, signal) with its occurrence count
  (INC-1), class and priority (INC-11) and lifecycle state (INC-2).
- ``Commissioning``: equipment being commissioned (调试); its new alarms are suppressed (INC-2).
- ``Incident`` and ``IncidentStep``: an incident groups alarms and records each step with its
  time, following its kind's playbook (``playbooks.py``; INC-4, INC-6 … INC-10, DUTY-10).
- ``AccidentRecord``: the accident record (事故记录) a breaker trip opens as a draft (INC-5).

Fields, constraints and transition tables only; every change goes through ``alarms.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel
from zhiban.org.models import VoltageLevel

USER = settings.AUTH_USER_MODEL


def _person(verbose_name, related_name="+", null=True, db_index=True):
    return models.ForeignKey(
        USER,
        null=null,
        blank=null,
        db_index=db_index,
        on_delete=models.PROTECT,
        related_name=related_name,
        verbose_name=verbose_name,
    )


# --- ingestion (INC-1) ------------------------------------------------------------------------


class SourceKind(models.TextChoices):
    SCADA = "scada", _("Monitoring system (监控系统/SCADA)")
    FIRE = "fire", _("Fire panel (消防主机)")
    INTRUSION = "intrusion", _("Intrusion panel (防盗报警主机)")
    INSTRUMENT = "instrument", _("Online monitoring instrument (在线监测仪)")
    VIDEO = "video", _("Video analytics (视频分析)")
    OTHER = "other", _("Other (其他)")


class AlarmSource(VersionedModel):
    """An outside system that sends events to one centre (告警源, INC-1). Its code is what
    events name in ``source``; their ids are unique within it."""

    centre = models.ForeignKey(
        "org.Centre",
        on_delete=models.PROTECT,
        related_name="alarm_sources",
        verbose_name=_("centre"),
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=SourceKind.choices)
    active = models.BooleanField(_("active"), default=True)
    # the gateway's place in the source's event numbers (``sequences.py``): the highest seq
    # seen and the ranges still missing below it, as [[first, last], …]
    seq_last = models.BigIntegerField(_("last sequence number"), null=True, blank=True)
    seq_gaps = models.JSONField(_("missing sequence numbers"), default=list, blank=True)

    class Meta:
        verbose_name = _("alarm source (告警源)")
        verbose_name_plural = _("alarm sources")
        ordering = ["centre", "code"]

    def __str__(self) -> str:
        return self.name


class AlarmClass(models.TextChoices):
    """INC-11: the classes of power monitoring information; the class sets the priority."""

    ACCIDENT = "accident", _("Accident (事故)")
    ABNORMAL = "abnormal", _("Abnormal (异常)")
    LIMIT = "limit", _("Limit violation (越限)")
    CHANGE = "change", _("State change (变位)")
    INFO = "info", _("Information (告知)")


PRIORITY: dict[str, int] = {
    AlarmClass.ACCIDENT: 1,
    AlarmClass.ABNORMAL: 2,
    AlarmClass.LIMIT: 3,
    AlarmClass.CHANGE: 4,
    AlarmClass.INFO: 5,
}


class EventAction(models.TextChoices):
    RAISE = "raise", _("Raised (动作)")
    CLEAR = "clear", _("Cleared (复归)")


class AlarmEvent(models.Model):
    """One event exactly as it arrived; stored once per (source, event id) whatever the
    channel and however often it is replayed (INC-1). Append-only."""

    # every index is written for each event (docs/performance.md): the foreign keys' indexes
    # are in Meta, the source's is (source, event id), the equipment's leaves out events
    # without equipment; without them a deletion of a site or equipment scans the table
    id = models.BigAutoField(primary_key=True)
    source = models.ForeignKey(
        AlarmSource,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("source"),
    )
    event_id = models.CharField(_("event id"), max_length=100)
    seq = models.BigIntegerField(_("sequence number"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"))
    occurred_at = models.DateTimeField(_("occurred"))
    alarm_key = models.CharField(max_length=300)
    action = models.CharField(_("action"), max_length=5, choices=EventAction.choices)
    klass = models.CharField(_("class"), max_length=10, choices=AlarmClass.choices)
    site = models.ForeignKey(
        "org.Site",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("site"),
    )
    equipment = models.ForeignKey(
        "org.Equipment",
        null=True,
        blank=True,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("equipment"),
    )
    signal = models.CharField(_("signal"), max_length=100)
    value = models.CharField(_("value"), max_length=60, blank=True)
    text = models.CharField(_("text"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("alarm event (告警事件)")
        verbose_name_plural = _("alarm events")
        constraints = [
            models.UniqueConstraint(fields=["source", "event_id"], name="alarm_event_once")
        ]
        indexes = [
            models.Index(fields=["alarm_key", "occurred_at"], name="alarm_event_key_idx"),
            models.Index(fields=["site"], name="alarm_event_site_idx"),
            models.Index(
                fields=["equipment"],
                condition=models.Q(equipment__isnull=False),
                name="alarm_event_equipment_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signal} {self.get_action_display()}"


class DeadLetter(models.Model):
    """A payload the gateway could not read, kept with the reason (INC-1: nothing is lost)."""

    id = models.BigAutoField(primary_key=True)
    received_at = models.DateTimeField(_("received"))
    channel = models.CharField(_("channel"), max_length=10)  # http | mqtt | iec104
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    payload = models.TextField(_("payload"))
    reason = models.CharField(_("reason"), max_length=500)

    class Meta:
        verbose_name = _("dead letter (无法解析的报文)")
        verbose_name_plural = _("dead letters")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return self.reason


# --- alarms (INC-1, INC-2, INC-3, INC-11) -------------------------------------------------------


class AlarmState(models.TextChoices):
    """INC-2: the alarm-management lifecycle (ISA-18.2)."""

    UNACKED = "unacked", _("Active, unacknowledged (未确认)")
    ACKED = "acked", _("Active, acknowledged (已确认)")
    CLEARED_UNACKED = "cleared_unacked", _("Cleared, unacknowledged (已复归未确认)")
    CLEARED = "cleared", _("Cleared (已复归)")
    SHELVED = "shelved", _("Shelved (已搁置)")
    SUPPRESSED = "suppressed", _("Suppressed (已抑制)")


OPEN_STATES = [s for s in AlarmState if s != AlarmState.CLEARED]


class Alarm(VersionedModel):
    """One alarm per (source, site, equipment, signal) while it is open, counting its
    occurrences (INC-1). ``active`` is the process condition; ``state`` the lifecycle (INC-2).
    The gateway changes counts and conditions without touching ``version``; people's changes
    (acknowledge, shelve) are version-checked.

    ``FLOW`` is the one lifecycle table, used by the gateway's fold (``lifecycle.py``) and by
    people's actions (``services/actions.py``). "Cleared" is the normal state: no open alarm,
    so a raise from it opens a new alarm row (suppressed while the equipment is under a
    maintenance tag or commissioned). "raise" and "clear" are the condition's events (by event
    time: an event older than the alarm's latest one leaves the condition as it is);
    "unshelve" and "unshelve_cleared" are unshelving or the shelf's expiry, while the condition
    is present or after it ended."""

    FLOW = Flow(
        "alarm",
        AlarmState,
        initial=AlarmState.CLEARED,
        rule="INC-2",
        transitions=[
            Transition("raise", (AlarmState.CLEARED,), AlarmState.UNACKED),
            Transition("suppress", (AlarmState.CLEARED,), AlarmState.SUPPRESSED),
            Transition("raise", (AlarmState.CLEARED_UNACKED,), AlarmState.UNACKED),
            *(
                Transition("raise", (kept,), kept)
                for kept in (
                    AlarmState.UNACKED,
                    AlarmState.ACKED,
                    AlarmState.SHELVED,
                    AlarmState.SUPPRESSED,
                )
            ),
            Transition("clear", (AlarmState.UNACKED,), AlarmState.CLEARED_UNACKED),
            Transition("clear", (AlarmState.ACKED, AlarmState.SUPPRESSED), AlarmState.CLEARED),
            Transition("clear", (AlarmState.SHELVED,), AlarmState.SHELVED),
            Transition("acknowledge", (AlarmState.UNACKED,), AlarmState.ACKED),
            Transition("acknowledge", (AlarmState.CLEARED_UNACKED,), AlarmState.CLEARED),
            Transition(
                "shelve",
                (AlarmState.UNACKED, AlarmState.ACKED, AlarmState.CLEARED_UNACKED),
                AlarmState.SHELVED,
            ),
            Transition("unshelve", (AlarmState.SHELVED,), AlarmState.UNACKED),
            Transition("unshelve_cleared", (AlarmState.SHELVED,), AlarmState.CLEARED),
        ],
    )

    # few indexes: the gateway rewrites open alarms thousands of times a second, and every
    # index is written each time (docs/performance.md); the centre leads two indexes below,
    # each other foreign key has one (the people's only where set), so that a deletion of a
    # site, source or person does not scan the table
    id = models.BigAutoField(primary_key=True)
    centre = models.ForeignKey(
        "org.Centre",
        on_delete=models.PROTECT,
        related_name="alarms",
        db_index=False,
        verbose_name=_("centre"),
    )
    source = models.ForeignKey(
        AlarmSource,
        on_delete=models.PROTECT,
        related_name="alarms",
        db_index=False,
        verbose_name=_("source"),
    )
    key = models.CharField(max_length=300)
    site = models.ForeignKey(
        "org.Site",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        verbose_name=_("site"),
    )
    equipment = models.ForeignKey(
        "org.Equipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("equipment"),
    )
    signal = models.CharField(_("signal"), max_length=100)
    klass = models.CharField(_("class"), max_length=10, choices=AlarmClass.choices)
    priority = models.PositiveSmallIntegerField(_("priority"))
    state = models.CharField(_("state"), max_length=16, choices=AlarmState.choices)
    active = models.BooleanField(_("condition present"), default=True)
    count = models.PositiveIntegerField(_("occurrences"), default=1)
    first_at = models.DateTimeField(_("first"))
    last_at = models.DateTimeField(_("last"))
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    value = models.CharField(_("value"), max_length=60, blank=True)
    text = models.CharField(_("text"), max_length=300, blank=True)
    acked_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acked_by = _person(_("acknowledged by"), db_index=False)
    shelved_until = models.DateTimeField(_("shelved until"), null=True, blank=True)
    shelve_reason = models.CharField(_("reason for shelving"), max_length=200, blank=True)
    shelved_by = _person(_("shelved by"), db_index=False)
    suppressed_reason = models.CharField(_("suppressed because"), max_length=200, blank=True)
    incident = models.ForeignKey(
        "Incident",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alarms",
        verbose_name=_("incident"),
    )

    class Meta:
        verbose_name = _("alarm (告警)")
        verbose_name_plural = _("alarms")
        ordering = ["priority", "-last_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=~models.Q(state="cleared"),
                name="alarm_one_open_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["centre", "state", "-last_at"], name="alarm_centre_state_idx"),
            models.Index(fields=["centre", "first_at"], name="alarm_centre_first_idx"),
            models.Index(fields=["source"], name="alarm_source_idx"),
            models.Index(fields=["site"], name="alarm_site_idx"),
            models.Index(
                fields=["acked_by"],
                condition=models.Q(acked_by__isnull=False),
                name="alarm_acked_by_idx",
            ),
            models.Index(
                fields=["shelved_by"],
                condition=models.Q(shelved_by__isnull=False),
                name="alarm_shelved_by_idx",
            ),
        ]

    def __str__(self) -> str:
        where = self.equipment.double_name if self.equipment_id else self.site.name
        return f"{where} {self.signal}"

    def trip_records(self):
        """The accident records of the alarm's trips, first trip first (INC-5: a repeated trip
        while the alarm is open drafts its own)."""
        return self.accident_records.order_by("occurred_at", "id")


class Commissioning(VersionedModel):
    """Equipment being commissioned (调试): its new alarms are suppressed in this window, still
    stored and counted (INC-2)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    equipment = models.ForeignKey(
        "org.Equipment",
        on_delete=models.PROTECT,
        related_name="commissionings",
        verbose_name=_("equipment"),
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = _person(_("recorded by"), null=False)

    class Meta:
        verbose_name = _("commissioning (设备调试)")
        verbose_name_plural = _("commissionings")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return str(self.equipment)


# --- incidents (INC-4, INC-6 … INC-10, DUTY-10) -------------------------------------------------


class IncidentKind(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency (事故/异常, INC-4)")
    COMM_LOSS = "comm_loss", _("Communication loss / telecontrol out (通信中断/远动退出, INC-6)")
    REMOTE_HANDLING = "remote", _("Remote handling ordered by the dispatcher (遥控处理, INC-7)")
    FIRE = "fire", _("Fire alarm (火警, INC-8)")
    INTRUSION = "intrusion", _("Intrusion alarm (防盗报警, INC-8)")
    EXCEEDANCE = "exceedance", _("Exceedance of an instrument (超标报警, INC-9)")
    CAMERA = "camera", _("Seen on camera (视频发现, INC-10)")
    OTHER = "other", _("Other (其他)")


class Verdict(models.TextChoices):
    """INC-8, INC-9: what the patrol found."""

    REAL = "real", _("Real (真实报警)")
    FALSE = "false", _("False alarm (误报)")
    FAULT = "fault", _("Equipment fault (设备故障)")


class IncidentState(models.TextChoices):
    OPEN = "open", _("Being handled (处理中)")
    CLOSED = "closed", _("Closed (已结束)")


class Incident(VersionedModel):
    """An incident being handled at a centre; while open it blocks the handover (DUTY-10).
    Its kind chooses the playbook of steps it must record before it can close."""

    FLOW = Flow(
        "incident",
        IncidentState,
        initial=IncidentState.OPEN,
        rule="DUTY-10",
        transitions=[Transition("close", (IncidentState.OPEN,), IncidentState.CLOSED)],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="incidents", verbose_name=_("centre")
    )
    site = models.ForeignKey(
        "org.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site"),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=IncidentKind.choices, default=IncidentKind.OTHER
    )
    title = models.CharField(_("incident"), max_length=200)
    description = models.TextField(_("what happened"), max_length=4000, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    persons = models.CharField(_("persons involved"), max_length=500, blank=True)
    verdict = models.CharField(_("verdict"), max_length=6, choices=Verdict.choices, blank=True)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=IncidentState.choices, default=IncidentState.OPEN
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closing_note = models.CharField(_("how it ended"), max_length=500, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40, blank=True)
    origin = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("incident (事故)")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["centre", "state"], name="incident_centre_state_idx")]

    def __str__(self) -> str:
        return self.title


class StepKind(models.TextChoices):
    """The steps incidents record, each with its time (INC-4, INC-6 … INC-10)."""

    LOCATED = "located", _("Located (确定位置)")
    REPORTED_DISPATCHER = "reported_dispatcher", _("Reported to the dispatcher (汇报调度)")
    TEAM_SENT = "team_sent", _("Team phoned and sent on site (通知操作队赶赴现场)")
    VIDEO_CHECKED = "video_checked", _("Video checked (查看视频)")
    TEAM_INSPECTED = "team_inspected", _("Team reported after inspection (操作队检查汇报)")
    DETAILS_REPORTED = "details_reported", _("Details reported to the dispatcher (详细汇报调度)")
    MODE_CHECKED = "mode_checked", _("Operating mode checked with the team (核对运方)")
    TELECONTROL_TOLD = "telecontrol_told", _("Telecontrol team told (通知远动班)")
    REPAIRED = "repaired", _("Repair reported to the centre (告知已修复)")
    ORDER_RECEIVED = "order_received", _("Dispatcher's order received (接受调度指令)")
    OPERATED = "operated", _("Operated remotely (遥控操作)")
    REPORTED_DONE = "reported_done", _("Reported back to the dispatcher (汇报调度)")
    TEAM_TOLD = "team_told", _("Team phoned with what happened (电话告知操作队)")
    LEADER_REPORTED = "leader_reported", _("Reported to the shift leader (汇报值班长)")
    CAMERA_WATCHED = "camera_watched", _("Watched on camera (视频跟踪)")
    PATROL_SENT = "patrol_sent", _("Patrol sent to verify (派巡逻岗核实)")
    VERIFIED = "verified", _("Verified on site (现场核实)")
    RESET = "reset", _("False alarm reset (误报复位)")
    PLAN_STARTED = "plan_started", _("Emergency plan started (启动应急预案)")
    MAINTENANCE_CALLED = "maintenance_called", _("Sent to maintenance (报修)")
    APPROVED = "approved", _("Leader approved remote operation (领导批准遥控)")
    REMOTE_OPERATED = "remote_operated", _("Field instrument operated remotely (远程操作)")
    CALLED_110 = "called_110", _("Police called (报警 110)")
    CALLED_120 = "called_120", _("Ambulance called (急救 120)")
    NOTE = "note", _("Note (记录)")


class IncidentStep(models.Model):
    """One recorded step of an incident, with when it happened and who was contacted.
    Append-only: a wrong step is corrected by a later note."""

    incident = models.ForeignKey(
        Incident, on_delete=models.PROTECT, related_name="steps", verbose_name=_("incident")
    )
    kind = models.CharField(_("step"), max_length=20, choices=StepKind.choices)
    at = models.DateTimeField(_("time"))
    counterpart = models.CharField(_("contacted"), max_length=100, blank=True)
    text = models.CharField(_("what was said or done"), max_length=1000, blank=True)
    recorded_by = _person(_("recorded by"), null=False)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("incident step")
        verbose_name_plural = _("incident steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


# --- accident records (INC-5) -------------------------------------------------------------------


class AccidentKind(models.TextChoices):
    TRANSIENT_LINE = "transient_line", _("Transient line fault (线路瞬时故障)")
    PERMANENT_LINE = "permanent_line", _("Permanent line fault (线路永久故障)")
    BUS = "bus", _("Bus fault (母线故障)")
    MAIN_TRANSFORMER = "main_transformer", _("Main transformer fault (主变故障)")
    LOSS_OF_SUPPLY = "loss_of_supply", _("Loss of supply, automatic transfer (失电自投)")


class AccidentState(models.TextChoices):
    DRAFT = "draft", _("Draft (草稿)")
    COMPLETED = "completed", _("Completed (已完成)")


class AccidentRecord(VersionedModel):
    """事故记录 (INC-5): written by the centre for every breaker trip. A trip alarm opens a
    draft prefilled with station, equipment, time, operator on duty and breakers; the centre
    completes the rest."""

    FLOW = Flow(
        "accident_record",
        AccidentState,
        initial=AccidentState.DRAFT,
        rule="INC-5",
        transitions=[
            Transition("complete", (AccidentState.DRAFT,), AccidentState.COMPLETED, rule="INC-5")
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("station")
    )
    equipment = models.ForeignKey(
        "org.Equipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("equipment unit"),
    )
    # one record per trip: an alarm whose breaker trips again while it is open has several
    alarm = models.ForeignKey(
        Alarm,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accident_records",
        verbose_name=_("trip alarm"),
    )
    incident = models.ForeignKey(
        Incident,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accident_records",
        verbose_name=_("incident"),
    )
    occurred_at = models.DateTimeField(_("time"))
    operator = _person(_("operator on duty"))
    breakers = models.CharField(_("breakers tripped"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=AccidentKind.choices, blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    protection = models.CharField(_("protection operated"), max_length=300, blank=True)
    cause = models.CharField(_("brief cause"), max_length=300, blank=True)
    voltage_level = models.CharField(
        _("voltage level"), max_length=10, blank=True, choices=VoltageLevel.choices
    )
    dispatcher = models.CharField(_("reported to dispatcher"), max_length=60, blank=True)
    dispatcher_at = models.DateTimeField(_("reported to dispatcher at"), null=True, blank=True)
    superiors = models.CharField(_("reported to superiors"), max_length=200, blank=True)
    superiors_at = models.DateTimeField(_("reported to superiors at"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=AccidentState.choices, default=AccidentState.DRAFT
    )
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = _person(_("completed by"))

    class Meta:
        verbose_name = _("accident record (事故记录)")
        verbose_name_plural = _("accident records")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["centre", "state"], name="accident_centre_state_idx")]

    def __str__(self) -> str:
        return f"{self.site} {self.breakers}"
