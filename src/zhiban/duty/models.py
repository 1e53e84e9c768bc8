"""Duty: shift patterns, the roster, sign-in/out, handover, carried-over items, the duty log
and severe-weather mode (DUTY-1 … DUTY-10).

Fields, constraints and transition tables only; every change goes through
``duty.services``.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel

from . import logtexts

POSTS = ["正值", "副值", "值班员", "班长", "监控员", "巡逻岗", "接线员", "房务文员"]


class ShiftPattern(VersionedModel):
    """A shift of the centre's day (早班, 中班, 夜班 or custom); it may cross midnight
    (DUTY-1). Patterns of one centre may not overlap."""

    centre = models.ForeignKey(
        "org.Centre",
        on_delete=models.PROTECT,
        related_name="shift_patterns",
        verbose_name=_("centre"),
    )
    name = models.CharField(_("name"), max_length=20)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"), help_text=_("Earlier than the start: ends the next day."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("shift pattern (班次)")
        verbose_name_plural = _("shift patterns")
        ordering = ["centre", "starts"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="shift_pattern_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.starts:%H:%M}–{self.ends:%H:%M}"

    @property
    def minutes(self) -> int:
        """Length in minutes; a shift ending at or before its start ends the next day."""
        start = self.starts.hour * 60 + self.starts.minute
        end = self.ends.hour * 60 + self.ends.minute
        return (end - start) % (24 * 60)

    def window(self, day, tz) -> tuple[datetime, datetime]:
        """The aware start and end of this shift on ``day`` in the centre's zone."""
        start = datetime.combine(day, self.starts, tzinfo=tz)
        return start, start + timedelta(minutes=self.minutes)


class Shift(models.Model):
    """One dated shift of a pattern (the roster's row)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="shifts", verbose_name=_("centre")
    )
    pattern = models.ForeignKey(
        ShiftPattern,
        on_delete=models.PROTECT,
        related_name="shifts",
        verbose_name=_("shift pattern"),
    )
    day = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("shift (班)")
        verbose_name_plural = _("shifts")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["pattern", "day"], name="shift_pattern_day_unique")
        ]
        indexes = [models.Index(fields=["centre", "starts_at"], name="shift_centre_start_idx")]

    def __str__(self) -> str:
        return f"{self.day:%m-%d} {self.pattern.name}"


class RosterEntry(VersionedModel):
    """A person on a post in a shift (DUTY-1), with sign-in and sign-out times (DUTY-2)."""

    shift = models.ForeignKey(
        Shift, on_delete=models.PROTECT, related_name="entries", verbose_name=_("shift")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="roster_entries",
        verbose_name=_("person"),
    )
    post = models.CharField(_("post"), max_length=20)
    signed_in_at = models.DateTimeField(_("signed in"), null=True, blank=True)
    late = models.BooleanField(
        _("late"), default=False, help_text=_("Signed in after the configured lead time (DUTY-2).")
    )
    signed_out_at = models.DateTimeField(_("signed out"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster entry (排班)")
        verbose_name_plural = _("roster")
        ordering = ["shift__starts_at", "post", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "person"], name="roster_person_once")
        ]

    def __str__(self) -> str:
        return f"{self.shift} · {self.post} · {self.person}"

    @property
    def centre(self):
        return self.shift.centre


class SwapState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ShiftSwap(VersionedModel):
    """Two people swap their places on the roster, approved by the shift leader (DUTY-1)."""

    FLOW = Flow(
        "shift_swap",
        SwapState,
        initial=SwapState.REQUESTED,
        rule="DUTY-1",
        transitions=[
            Transition("approve", (SwapState.REQUESTED,), SwapState.APPROVED),
            Transition("reject", (SwapState.REQUESTED,), SwapState.REJECTED),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    first = models.ForeignKey(
        RosterEntry, on_delete=models.PROTECT, related_name="+", verbose_name=_("first place")
    )
    second = models.ForeignKey(
        RosterEntry, on_delete=models.PROTECT, related_name="+", verbose_name=_("second place")
    )
    reason = models.CharField(_("reason"), max_length=200)
    state = models.CharField(
        _("state"), max_length=10, choices=SwapState.choices, default=SwapState.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("shift swap (换班)")
        verbose_name_plural = _("shift swaps")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.first.person} ⇄ {self.second.person}"


class CheckItem(VersionedModel):
    """A shared item or piece of equipment checked at every handover (公共物品, 钥匙,
    设备运行), configured per centre (DUTY-3)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="check_items", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("handover check item")
        verbose_name_plural = _("handover check items")
        ordering = ["centre", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="check_item_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CarriedState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CarriedItem(VersionedModel):
    """An open item (遗留问题) that carries over from shift to shift until it is closed
    (DUTY-3), with who must continue it."""

    FLOW = Flow(
        "carried_item",
        CarriedState,
        initial=CarriedState.OPEN,
        rule="DUTY-3",
        transitions=[Transition("close", (CarriedState.OPEN,), CarriedState.CLOSED)],
    )

    centre = models.ForeignKey(
        "org.Centre",
        on_delete=models.PROTECT,
        related_name="carried_items",
        verbose_name=_("centre"),
    )
    text = models.TextField(_("what is open"), max_length=2000)
    continued_by = models.CharField(
        _("to be continued by"),
        max_length=60,
        blank=True,
        help_text=_("Who must continue it, e.g. 下一班正值, 吴中操作队"),
    )
    site = models.ForeignKey(
        "org.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CarriedState.choices, default=CarriedState.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    resolution = models.TextField(_("how it was closed"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("carried-over item (遗留问题)")
        verbose_name_plural = _("carried-over items")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["centre", "state"], name="carried_open_idx")]

    def __str__(self) -> str:
        return self.text[:60]


class HandoverState(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    OFFERED = "offered", _("Signed by the outgoing side")
    ACCEPTED = "accepted", _("Taken over")


class Handover(VersionedModel):
    """The handover record (交接班记录) between two shifts (DUTY-3 … DUTY-5, DUTY-10)."""

    FLOW = Flow(
        "handover",
        HandoverState,
        initial=HandoverState.PREPARING,
        rule="DUTY-5",
        transitions=[
            Transition("refresh", (HandoverState.PREPARING,), HandoverState.PREPARING),
            Transition("offer", (HandoverState.PREPARING,), HandoverState.OFFERED),
            Transition("reopen", (HandoverState.OFFERED,), HandoverState.PREPARING),
            Transition("accept", (HandoverState.OFFERED,), HandoverState.ACCEPTED),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="handovers", verbose_name=_("centre")
    )
    outgoing_shift = models.OneToOneField(
        Shift,
        on_delete=models.PROTECT,
        related_name="handover_out",
        verbose_name=_("outgoing shift"),
    )
    incoming_shift = models.ForeignKey(
        Shift,
        on_delete=models.PROTECT,
        related_name="handover_in",
        verbose_name=_("incoming shift"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=HandoverState.choices, default=HandoverState.PREPARING
    )
    work_done = models.TextField(_("work done this shift"), blank=True, max_length=4000)
    notes = models.TextField(_("notes for the next shift"), blank=True, max_length=4000)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    outgoing_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("outgoing signature"),
    )
    outgoing_signed_at = models.DateTimeField(_("outgoing signed"), null=True, blank=True)
    incoming_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("incoming signature"),
    )
    incoming_signed_at = models.DateTimeField(_("incoming signed"), null=True, blank=True)

    class Meta:
        verbose_name = _("handover (交接班)")
        verbose_name_plural = _("handovers")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.outgoing_shift} → {self.incoming_shift}"


class ItemKind(models.TextChoices):
    CARRIED = "carried", _("Carried-over item")
    CHECK = "check", _("Shared item or equipment")
    DEADLINE = "deadline", _("Overdue deadline")
    ALARM = "alarm", _("Active alarm")
    TICKET = "ticket", _("Ticket in progress")
    INCIDENT = "incident", _("Open incident")
    PATROL = "patrol", _("Missed or unfinished patrol round")
    REGISTER = "register", _("Open register item")
    EMERGENCY = "emergency", _("Running emergency plan")
    OTHER = "other", _("Other open record")


class ItemState(models.TextChoices):
    PENDING = "pending", _("To acknowledge")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    UNCLEAR = "unclear", _("Unclear")


class HandoverItem(VersionedModel):
    """One thing the incoming side must acknowledge, or mark unclear (DUTY-4). An open incident
    the outgoing side hands over as running (who is on it, when it should end) no longer blocks
    the handover (DUTY-10): the outgoing side signs that declaration, the incoming side
    acknowledges it."""

    FLOW = Flow(
        "handover_item",
        ItemState,
        initial=ItemState.PENDING,
        rule="DUTY-4",
        transitions=[
            Transition("acknowledge", (ItemState.PENDING,), ItemState.ACKNOWLEDGED),
            Transition("mark_unclear", (ItemState.PENDING,), ItemState.UNCLEAR),
            Transition("clarify", (ItemState.UNCLEAR,), ItemState.PENDING),
            Transition("hand_over_running", (ItemState.PENDING,), ItemState.PENDING),
        ],
    )

    handover = models.ForeignKey(
        Handover, on_delete=models.CASCADE, related_name="items", verbose_name=_("handover")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    text = models.CharField(_("item"), max_length=300)
    detail = models.TextField(_("detail"), blank=True, max_length=2000)
    link = models.CharField(_("link"), max_length=300, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40, blank=True)
    ref = GenericForeignKey("content_type", "object_id")
    state = models.CharField(
        _("state"), max_length=12, choices=ItemState.choices, default=ItemState.PENDING
    )
    unclear_note = models.TextField(_("what is unclear"), blank=True, max_length=1000)
    clarification = models.TextField(_("clarification"), blank=True, max_length=1000)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    handled_by = models.CharField(
        _("who is on it"),
        max_length=100,
        blank=True,
        help_text=_("The team or person handling it, e.g. 远动班 张工"),
    )
    expected_at = models.DateTimeField(_("expected to end"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("handed over running by"),
    )
    handed_over_at = models.DateTimeField(_("handed over running"), null=True, blank=True)

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["handover", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def centre(self):
        return self.handover.centre

    @property
    def running(self) -> bool:
        """Handed over as a running incident (DUTY-10)."""
        return self.handed_over_at is not None


class CheckState(models.TextChoices):
    UNCHECKED = "unchecked", _("Not checked")
    NORMAL = "normal", _("Normal")
    ABNORMAL = "abnormal", _("Abnormal")


class HandoverCheck(models.Model):
    """The outgoing side's check of one shared item at a handover; an abnormal one is
    signed for by the outgoing side and must be acknowledged (DUTY-4)."""

    handover = models.ForeignKey(
        Handover, on_delete=models.CASCADE, related_name="checks", verbose_name=_("handover")
    )
    check_item = models.ForeignKey(
        CheckItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("check item")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CheckState.choices, default=CheckState.UNCHECKED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["check_item__order", "check_item__name"]
        constraints = [
            models.UniqueConstraint(fields=["handover", "check_item"], name="handover_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.check_item}: {self.get_state_display()}"


class LogCategory(models.TextChoices):
    """DUTY-6: the categories of the duty log (运行记事)."""

    OPERATION = "operation", _("Operation (操作)")
    ANOMALY = "anomaly", _("Anomaly (异常)")
    NOTICE = "notice", _("Notice from superiors (上级通知)")
    LOAD_LIMITING = "load_limiting", _("Load-limiting operation (限电操作)")
    GROUNDING = "grounding", _("Small-current grounding (小电流接地)")
    ACDC = "acdc", _("AC/DC system operation (交直流操作)")
    PHONE = "phone", _("Phone message (电话记录)")
    PATROL = "patrol", _("Patrol (巡视)")
    HANDOVER = "handover", _("Handover (交接班)")
    WEATHER = "weather", _("Severe weather (恶劣天气)")
    OTHER = "other", _("Other — for the next shift (其他栏)")


_POWER = [
    LogCategory.OPERATION,
    LogCategory.ANOMALY,
    LogCategory.NOTICE,
    LogCategory.LOAD_LIMITING,
    LogCategory.GROUNDING,
    LogCategory.ACDC,
    LogCategory.PHONE,
    LogCategory.PATROL,
    LogCategory.OTHER,
]
CATEGORIES_BY_KIND = {  # Centre.kind → what its people write (DUTY-6)
    "power": _POWER,
    "security": [
        LogCategory.ANOMALY,
        LogCategory.NOTICE,
        LogCategory.PHONE,
        LogCategory.PATROL,
        LogCategory.OTHER,
    ],
    "customer_service": [LogCategory.NOTICE, LogCategory.PHONE, LogCategory.OTHER],
    "housekeeping": [LogCategory.ANOMALY, LogCategory.NOTICE, LogCategory.PHONE, LogCategory.OTHER],
    "engineering": [
        LogCategory.OPERATION,
        LogCategory.ANOMALY,
        LogCategory.NOTICE,
        LogCategory.PHONE,
        LogCategory.PATROL,
        LogCategory.OTHER,
    ],
}


def log_categories(kind: str, *, written_by_zhiban: bool = False) -> list[tuple[str, str]]:
    """DUTY-6: the log categories a centre of this kind offers its people (a hotel desk has no
    small-current grounding); ``written_by_zhiban`` adds handover and severe weather, which
    only Zhiban writes, for filtering the log."""
    offered = CATEGORIES_BY_KIND.get(kind, _POWER)
    if written_by_zhiban:
        offered = [*offered, LogCategory.HANDOVER, LogCategory.WEATHER]
    return [(c.value, c.label) for c in offered]


class LogEntry(models.Model):
    """One append-only entry of the duty log (DUTY-6). Never edited: a correction is a new
    entry pointing at the one it corrects. Category ``other`` is the log's "other" column the
    next shift must watch (DUTY-8). A person's entry is its ``text``; a system entry (DUTY-7)
    is a ``verb`` and its ``params`` read in the reader's language, its ``text`` the same in
    the centre's language for the search index (``duty.logtexts``)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="log_entries", verbose_name=_("centre")
    )
    at = models.DateTimeField(_("time"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="log_entries",
        verbose_name=_("author"),
    )
    author_label = models.CharField(_("author"), max_length=80)
    category = models.CharField(_("category"), max_length=16, choices=LogCategory.choices)
    text = models.TextField(_("entry"), max_length=4000)
    verb = models.CharField(_("kind of entry"), max_length=60, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    site = models.ForeignKey(
        "org.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
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
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=40, blank=True)
    regarding = GenericForeignKey("content_type", "object_id")
    corrects = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrects"),
    )

    class Meta:
        verbose_name = _("duty log entry (运行记事)")
        verbose_name_plural = _("duty log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["centre", "-at", "-id"], name="log_centre_at_idx"),
            models.Index(fields=["centre", "category", "-at"], name="log_centre_category_idx"),
            models.Index(fields=["content_type", "object_id"], name="log_regarding_idx"),
        ]

    def __str__(self) -> str:
        return self.shown_text[:60]

    @property
    def shown_text(self) -> str:
        """The entry in the reader's language; an entry without a verb (a person's, or one
        written before verbs) or with a verb no longer known as stored."""
        return (logtexts.render(self.verb, self.params) if self.verb else None) or self.text

    @property
    def category_label(self) -> str:
        """The category in the reader's language (cheaper than get_category_display in a list
        of many entries)."""
        return _category_labels(get_language())[self.category]


@functools.cache
def _category_labels(language: str) -> dict[str, str]:
    with override(language):
        return {value: str(label) for value, label in LogCategory.choices}


class WeatherKind(models.TextChoices):
    TYPHOON = "typhoon", _("Typhoon (台风)")
    THUNDERSTORM = "thunderstorm", _("Thunderstorm (雷暴雨)")
    OTHER = "other", _("Other severe weather")


class SevereWeather(VersionedModel):
    """Severe-weather mode of a centre (DUTY-9): every team leader serving it must confirm
    being on post; a banner shows on every page of the centre until it is switched off."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    kind = models.CharField(_("kind"), max_length=14, choices=WeatherKind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("switched on by"),
    )
    ended_at = models.DateTimeField(_("switched off"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("switched off by"),
    )

    class Meta:
        verbose_name = _("severe-weather mode (恶劣天气)")
        verbose_name_plural = _("severe-weather modes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre"],
                condition=models.Q(ended_at=None),
                name="weather_one_active_per_centre",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reason}"


class WeatherConfirmation(models.Model):
    """A team leader's confirmation of being on post in severe weather (DUTY-9)."""

    weather = models.ForeignKey(
        SevereWeather,
        on_delete=models.PROTECT,
        related_name="confirmations",
        verbose_name=_("severe weather"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team leader"),
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("on post since"), null=True, blank=True)
    where = models.CharField(_("where"), max_length=100, blank=True)

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(fields=["weather", "person"], name="weather_confirm_once")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.confirmed_at or '—'}"
