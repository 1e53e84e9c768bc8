"""Patrols (巡视/巡查/巡逻): checkpoints with their check items and QR codes, patrol plans of
four kinds, the rounds due from them and each checkpoint's result in a round (PAT-1 … PAT-4).

Fields, constraints and the round's transition table only; every change goes through
``patrols.services``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel
from zhiban.core.permissions import Role
from zhiban.org.models import SiteKind

# an unambiguous alphabet for the code a guard types by hand (no 0/O, 1/I/L)
SHORT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_LENGTH = 8


def new_token() -> str:
    """The random text a checkpoint's QR code carries."""
    return secrets.token_urlsafe(18)


def new_short_code() -> str:
    """What a guard types on a phone without a camera (PAT-2)."""
    return "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))


class CheckpointKind(models.TextChoices):
    SITE = "site", _("Site (站点)")
    EQUIPMENT = "equipment", _("Equipment (设备)")
    CAMERA = "camera", _("Camera (摄像机)")
    PLACE = "place", _("Place (部位)")


class Checkpoint(VersionedModel):
    """A place a patrol checks (巡视点): a site, a piece of equipment, a camera or a place,
    with its check items and a QR code to confirm the guard was there (PAT-1, PAT-2)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    equipment = models.ForeignKey(
        "org.Equipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("equipment"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CheckpointKind.choices)
    name = models.CharField(_("name"), max_length=100)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    short_code = models.CharField(
        _("short code"), max_length=12, default=new_short_code, editable=False
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checkpoint (巡视点)")
        verbose_name_plural = _("checkpoints")
        ordering = ["site__code", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "short_code"], name="checkpoint_code_unique"),
            models.UniqueConstraint(fields=["site", "name"], name="checkpoint_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.site.name} · {self.name}"

    @property
    def items_text(self) -> str:
        return "\n".join(item.line for item in self.items.all())


class CheckItem(models.Model):
    """What is checked at a checkpoint, optionally counted with a minimum (e.g. fire hydrants
    checked ≥ 2, PAT-2). Replaced as a whole with the checkpoint's items."""

    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="items", verbose_name=_("checkpoint")
    )
    seq = models.PositiveSmallIntegerField(_("order"))
    text = models.CharField(_("check item"), max_length=200)
    minimum = models.PositiveSmallIntegerField(_("at least (counted)"), null=True, blank=True)

    class Meta:
        verbose_name = _("check item (检查项)")
        verbose_name_plural = _("check items")
        ordering = ["checkpoint", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "seq"], name="check_item_seq_unique")
        ]

    def __str__(self) -> str:
        return self.line

    @property
    def line(self) -> str:
        return f"{self.text} >= {self.minimum}" if self.minimum is not None else self.text


class PlanKind(models.TextChoices):
    PER_SHIFT = "per_shift", _("N times per shift (每班N次)")
    INTERVAL = "interval", _("Every N minutes (每N分钟)")
    SAMPLED = "sampled", _("Sampled per shift (每班抽查)")
    WINDOW = "window", _("Fixed daily window (定时)")


class PatrolPlan(VersionedModel):
    """A patrol plan (巡视计划, PAT-1): what is checked, where (its checkpoints), by whom (a
    role or a team) and how often — N times per shift, every N minutes, a sample of the
    checkpoints per shift, or a fixed window of the day. A station patrol asks the centre
    first (PAT-4)."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=100)
    what = models.CharField(_("what is checked"), max_length=300, blank=True)
    kind = models.CharField(_("how often"), max_length=12, choices=PlanKind.choices)
    times = models.PositiveSmallIntegerField(
        _("times or checkpoints per shift"),
        null=True,
        blank=True,
        help_text=_("Per shift: rounds per shift; sampled: checkpoints drawn per shift (PAT-1)."),
    )
    interval_minutes = models.PositiveSmallIntegerField(_("every (minutes)"), null=True, blank=True)
    window_starts = models.TimeField(_("window starts"), null=True, blank=True)
    window_ends = models.TimeField(_("window ends"), null=True, blank=True)
    role = models.CharField(_("walked by role"), max_length=20, choices=Role.choices, blank=True)
    team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("walked by team"),
    )
    station_patrol = models.BooleanField(
        _("station patrol: ask the centre first"),
        default=False,
        help_text=_("The round starts only after the centre's answer is recorded (PAT-4)."),
    )
    checkpoints = models.ManyToManyField(
        Checkpoint, related_name="plans", verbose_name=_("checkpoints")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("patrol plan (巡视计划)")
        verbose_name_plural = _("patrol plans")
        ordering = ["centre", "name"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "name"], name="patrol_plan_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def centre_own(self) -> bool:
        """PAT-5: the centre's own patrol (screens, UPS, hosts, VQC, video) is the plan whose
        checkpoints are at the centre's own unit (监控单元); only a chief operator walks it."""
        return self.checkpoints.filter(site__kind=SiteKind.CENTRE_UNIT).exists()


class RoundState(models.TextChoices):
    DUE = "due", _("Due (待巡)")
    IN_PROGRESS = "in_progress", _("In progress (巡视中)")
    DONE = "done", _("Done (已完成)")
    MISSED = "missed", _("Missed (漏巡)")


OPEN_ROUND_STATES = [RoundState.DUE, RoundState.IN_PROGRESS]


class PatrolRound(VersionedModel):
    """One round due from a plan in its window (巡视记录, PAT-2): who walked it, when it started
    and ended, each checkpoint's result; missed when not done by the window's end (PAT-3); a
    station patrol carries the centre's answer to the field operator's question (PAT-4)."""

    FLOW = Flow(
        "patrol_round",
        RoundState,
        initial=RoundState.DUE,
        rule="PAT-2",
        transitions=[
            Transition("answer", (RoundState.DUE,), RoundState.DUE, rule="PAT-4"),
            Transition("start", (RoundState.DUE,), RoundState.IN_PROGRESS),
            Transition("check", (RoundState.IN_PROGRESS,), RoundState.IN_PROGRESS),
            Transition("end", (RoundState.IN_PROGRESS,), RoundState.DONE),
            Transition("miss", tuple(OPEN_ROUND_STATES), RoundState.MISSED, rule="PAT-3"),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    plan = models.ForeignKey(
        PatrolPlan, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("plan")
    )
    shift = models.CharField(_("shift"), max_length=20, blank=True)
    window_start = models.DateTimeField(_("window starts"))
    window_end = models.DateTimeField(_("window ends"))
    state = models.CharField(
        _("state"), max_length=12, choices=RoundState.choices, default=RoundState.DUE
    )
    walker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("walked by"),
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    question = models.CharField(_("field operator's question"), max_length=500, blank=True)
    answer = models.TextField(_("centre's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("patrol round (巡视记录)")
        verbose_name_plural = _("patrol rounds")
        ordering = ["-window_start", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "window_start"], name="patrol_round_once")
        ]
        indexes = [
            models.Index(fields=["state", "window_end"], name="patrol_round_open_idx"),
            models.Index(fields=["centre", "window_start"], name="patrol_round_centre_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.name} {self.window_start:%m-%d %H:%M}"


class Result(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    NORMAL = "normal", _("Normal (正常)")
    ABNORMAL = "abnormal", _("Abnormal (异常)")


class RoundCheck(models.Model):
    """A checkpoint of a round and its result (PAT-2): one row per checkpoint drawn into the
    round when it is generated, so a result for a checkpoint outside the round has no row.
    Changed only under the round's lock, with the round's version."""

    round = models.ForeignKey(
        PatrolRound, on_delete=models.CASCADE, related_name="checks", verbose_name=_("round")
    )
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("checkpoint")
    )
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.PENDING
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    counts = models.JSONField(_("items counted"), default=dict, blank=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("checked by"),
    )
    confirmed_at = models.DateTimeField(_("QR code confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("checkpoint result")
        verbose_name_plural = _("checkpoint results")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "checkpoint"], name="round_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.checkpoint} · {self.get_result_display()}"


class RoundPhoto(models.Model):
    """A photo of a checkpoint's result (PAT-2): an image checked with Pillow, stored under
    MEDIA_ROOT with a random name and served only through the round's scoped page."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    check_row = models.ForeignKey(
        RoundCheck, on_delete=models.CASCADE, related_name="photos", verbose_name=_("result")
    )
    name = models.CharField(max_length=80, unique=True, editable=False)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(editable=False)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(_("taken"))

    class Meta:
        verbose_name = _("patrol photo")
        verbose_name_plural = _("patrol photos")
        ordering = ["check_row", "id"]

    def __str__(self) -> str:
        return self.name
