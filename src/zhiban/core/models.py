"""Core records every capability reuses: the audit chain (ORG-4), gap-free numbers,
deadlines, notifications with their outbox, chat robots and phone contacts.

Fields, constraints and transition tables only; writes live in ``core.services`` and the
modules it names.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from .flow import Flow, Transition


class VersionedModel(models.Model):
    """Base of every domain record: a version for optimistic concurrency (409 on a stale
    write) and creation/update times."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One append-only, hash-chained entry of the audit trail (ORG-4).

    ``hash`` = HMAC-SHA256 with the audit key over this row's fields and ``prev_hash`` (plain
    SHA-256 for rows written before the key, see ``AuditHead.keyed_from``); ``seq`` has no gaps,
    so a deleted row, an edited row or a re-ordered chain is found by ``zhiban audit verify``
    (docs/audit.md).
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=80)
    source = models.CharField(_("source"), max_length=12)
    verb = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40)
    object_repr = models.CharField(_("object"), max_length=200)
    centre = models.ForeignKey(
        "org.Centre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("centre"),
    )
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object_idx"),
            models.Index(fields=["centre", "seq"], name="audit_centre_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.verb} {self.object_repr}"

    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for the fields this event changed."""
        if not isinstance(self.before, dict) or not isinstance(self.after, dict):
            return []
        skip = {"version", "updated_at", "created_at", "tree_path"}
        return [
            (k, self.before.get(k), v)
            for k, v in self.after.items()
            if k not in skip and self.before.get(k) != v
        ]


class AuditHead(models.Model):
    """The single row holding the chain's tip. Appending locks it, so the chain stays linear
    under concurrent writers, and truncating the table's tail is detected.

    ``keyed_from``: the first event hashed with the audit key (the ones before it were written
    before issue 10, with SHA-256 alone); ``keyed_mac`` is that number's HMAC, so the start of
    keyed hashing cannot be moved without the key (docs/audit.md).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    keyed_from = models.PositiveBigIntegerField(default=1)
    keyed_mac = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash}"


class NumberSequence(models.Model):
    """The last number handed out per centre, kind and year (gap-free numbering)."""

    centre = models.ForeignKey("org.Centre", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "kind", "year"], name="number_sequence_key")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


class DeadlineState(models.TextChoices):
    OPEN = "open", _("Open")
    MET = "met", _("Met")
    BREACHED = "breached", _("Breached")
    MET_LATE = "met_late", _("Met late")
    CANCELLED = "cancelled", _("Cancelled")


class Deadline(models.Model):
    """A named deadline on any record (e.g. “first response”, “elimination”). The scheduler
    warns before it, records the breach and escalates (core.deadlines)."""

    FLOW = Flow(
        "deadline",
        DeadlineState,
        initial=DeadlineState.OPEN,
        transitions=[
            Transition("meet", (DeadlineState.OPEN,), DeadlineState.MET),
            Transition("breach", (DeadlineState.OPEN,), DeadlineState.BREACHED),
            Transition("meet", (DeadlineState.BREACHED,), DeadlineState.MET_LATE),
            Transition(
                "cancel", (DeadlineState.OPEN, DeadlineState.BREACHED), DeadlineState.CANCELLED
            ),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="deadlines", verbose_name=_("centre")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40)
    target = GenericForeignKey("content_type", "object_id")
    name = models.CharField(_("name"), max_length=80)
    due_at = models.DateTimeField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
        verbose_name=_("responsible"),
    )
    state = models.CharField(
        _("state"), max_length=12, choices=DeadlineState.choices, default=DeadlineState.OPEN
    )
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["state", "due_at"], name="deadline_due_idx")]

    def __str__(self) -> str:
        return self.name


class Level(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    URGENT = "urgent", _("Urgent")


class Notification(models.Model):
    """An in-app notification for one person; pushed live to the bell (core.notify)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    centre = models.ForeignKey(
        "org.Centre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("centre"),
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.INFO)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    WECOM = "wecom", _("WeCom robot (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk robot (钉钉)")
    FEISHU = "feishu", _("Feishu robot (飞书)")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Given up")


class OutboxMessage(models.Model):
    """A message waiting to leave the machine (e-mail, chat robot). Written in the same
    transaction as the change that caused it; delivered afterwards with retries, so a failing
    receiver never blocks or loses a write."""

    FLOW = Flow(
        "outbox",
        OutboxState,
        initial=OutboxState.PENDING,
        transitions=[
            Transition("deliver", (OutboxState.PENDING,), OutboxState.SENT),
            Transition("fail", (OutboxState.PENDING,), OutboxState.PENDING),
            Transition("give_up", (OutboxState.PENDING,), OutboxState.DEAD),
            Transition("retry", (OutboxState.DEAD,), OutboxState.PENDING),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    target = models.CharField(_("to"), max_length=500)
    secret = models.CharField(max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.channel}: {self.subject}"


class ChatRobot(models.Model):
    """A group-chat robot webhook of a centre (WeCom, DingTalk or Feishu)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="chat_robots", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=60)
    channel = models.CharField(
        _("kind"), max_length=10, choices=[c for c in Channel.choices if c[0] != Channel.EMAIL]
    )
    url = models.URLField(_("webhook address"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=200,
        blank=True,
        help_text=_("DingTalk “加签” or Feishu signature secret, if set."),
    )
    min_level = models.CharField(
        _("send from level"), max_length=10, choices=Level.choices, default=Level.WARNING
    )
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("chat robot")
        verbose_name_plural = _("chat robots")
        ordering = ["centre", "name"]

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("We called")
    INCOMING = "incoming", _("They called")


class PhoneContact(models.Model):
    """A phone contact (电话联系): who phoned whom, when, about what, and the read-back (复诵)
    the other side gave. Later capabilities attach these to tickets and incidents."""

    centre = models.ForeignKey(
        "org.Centre",
        on_delete=models.PROTECT,
        related_name="phone_contacts",
        verbose_name=_("centre"),
    )
    number = models.CharField(_("number"), max_length=30)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    at = models.DateTimeField(_("time of call"))
    our_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="phone_contacts",
        verbose_name=_("our side"),
    )
    party_name = models.CharField(
        _("other party"), max_length=80, help_text=_("e.g. 地调 王调度, 操作一队 张三")
    )
    party_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("other party (person)"),
    )
    party_phone = models.CharField(_("other party's phone"), max_length=20, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("what was said"), blank=True)
    read_back = models.TextField(
        _("read-back"), blank=True, help_text=_("What the receiving side repeated (复诵).")
    )
    read_back_confirmed_at = models.DateTimeField(_("read-back confirmed"), null=True, blank=True)
    read_back_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40, blank=True)
    regarding = GenericForeignKey("content_type", "object_id")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("phone contact (电话联系)")
        verbose_name_plural = _("phone contacts")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="phone_contact_number")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="phone_regarding_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A piece of long work run in the background (a month's PDF, an import, a big export),
    with its progress, its file or its row-by-row report (RPT-2, RPT-3; core.jobs)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jobs",
        verbose_name=_("requested by"),
    )
    source = models.CharField(_("source"), max_length=12)
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    file_key = models.CharField(max_length=80, blank=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="job_mine_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
