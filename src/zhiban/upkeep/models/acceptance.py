"""Acceptance sheets (验收): a new station's four-remote points accepted one by one by two
checkers, one named by the centre and one by the team (ACC-2, ACC-3), and the engineering
stage acceptances on the same checklist (ACC-4): materials on entry, concealed works,
mid-term, completion, each with the signatures of the named parties."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel


class SheetKind(models.TextChoices):
    COMMISSIONING = "commissioning", _("New station four-remote acceptance (新站四遥验收)")
    MATERIALS = "materials", _("Materials on entry (材料进场验收)")
    CONCEALED = "concealed", _("Concealed works (隐蔽工程验收)")
    MIDTERM = "midterm", _("Mid-term (中期验收)")
    COMPLETION = "completion", _("Completion (竣工验收)")


STAGE_KINDS = [SheetKind.MATERIALS, SheetKind.CONCEALED, SheetKind.MIDTERM, SheetKind.COMPLETION]


class SheetState(models.TextChoices):
    DRAFT = "draft", _("Being prepared (准备中)")
    CHECKING = "checking", _("Checking (验收中)")
    CLOSED = "closed", _("Closed (已结束)")


def _person(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )


class AcceptanceSheet(VersionedModel):
    """One acceptance (验收表): its points or check items, the two named checkers and, for a
    stage acceptance, the parties who sign. While a commissioning sheet is being checked its
    points are held back from the alarm console (commissioning mode, ACC-2)."""

    FLOW = Flow(
        "acceptance_sheet",
        SheetState,
        initial=SheetState.DRAFT,
        transitions=[
            Transition("open", (SheetState.DRAFT,), SheetState.CHECKING),
            Transition("close", (SheetState.CHECKING,), SheetState.CLOSED),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    number = models.CharField(_("number"), max_length=20)
    kind = models.CharField(_("kind"), max_length=16, choices=SheetKind.choices)
    title = models.CharField(_("title"), max_length=200)
    site = models.ForeignKey(
        "org.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("station or site"),
    )
    team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team"),
    )
    centre_checker = _person(_("centre's checker"))
    team_checker = _person(_("team's checker"))
    state = models.CharField(
        _("state"), max_length=10, choices=SheetState.choices, default=SheetState.DRAFT
    )
    prepared_by = _person(_("prepared by"))
    opened_at = models.DateTimeField(_("checking began"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = _person(_("closed by"))
    conclusion = models.TextField(_("conclusion (验收结论)"), blank=True)

    class Meta:
        verbose_name = _("acceptance sheet (验收表)")
        verbose_name_plural = _("acceptance sheets")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="acceptance_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class RemoteType(models.TextChoices):
    """The four remotes (四遥) of a point table row."""

    YX = "yx", _("Remote signal (遥信)")
    YC = "yc", _("Remote measurement (遥测)")
    YK = "yk", _("Remote control (遥控)")
    YT = "yt", _("Remote adjustment (遥调)")


class PointMethod(models.TextChoices):
    REAL = "real", _("Real transmission (实传)")
    SIMULATED = "simulated", _("Simulated value (模拟置数)")


class PointResult(models.TextChoices):
    OK = "ok", _("Correct (正确)")
    FAIL = "fail", _("Wrong (有误)")


class AcceptancePoint(VersionedModel):
    """One row of the sheet: a four-remote point (station, bay or device, signal, type,
    information object address, class, limits, unit) or a stage acceptance's check item
    (``name`` only). Each side's checker ticks it with method, result and remark (ACC-2);
    a wrong point becomes a defect or goes to the summary list (ACC-3)."""

    sheet = models.ForeignKey(
        AcceptanceSheet, on_delete=models.CASCADE, related_name="points", verbose_name=_("sheet")
    )
    seq = models.PositiveIntegerField(_("order"))
    site = models.ForeignKey(
        "org.Site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("station"),
    )
    bay = models.CharField(_("bay or device (间隔/装置)"), max_length=100, blank=True)
    name = models.CharField(_("signal name or check item"), max_length=200)
    remote_type = models.CharField(_("type"), max_length=2, choices=RemoteType.choices, blank=True)
    address = models.PositiveIntegerField(_("information object address"), null=True, blank=True)
    klass = models.CharField(_("class"), max_length=10, blank=True)
    low = models.FloatField(_("lower limit"), null=True, blank=True)
    high = models.FloatField(_("upper limit"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    centre_result = models.CharField(
        _("centre's result"), max_length=4, choices=PointResult.choices, blank=True
    )
    centre_method = models.CharField(
        _("centre's method"), max_length=10, choices=PointMethod.choices, blank=True
    )
    centre_remark = models.CharField(_("centre's remark"), max_length=200, blank=True)
    centre_by = _person(_("ticked by (centre)"))
    centre_at = models.DateTimeField(_("ticked (centre)"), null=True, blank=True)
    team_result = models.CharField(
        _("team's result"), max_length=4, choices=PointResult.choices, blank=True
    )
    team_method = models.CharField(
        _("team's method"), max_length=10, choices=PointMethod.choices, blank=True
    )
    team_remark = models.CharField(_("team's remark"), max_length=200, blank=True)
    team_by = _person(_("ticked by (team)"))
    team_at = models.DateTimeField(_("ticked (team)"), null=True, blank=True)
    defect = models.ForeignKey(
        "upkeep.Defect",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("defect"),
    )
    summarised = models.BooleanField(_("on the summary list (汇总)"), default=False)
    last_value = models.CharField(_("last value received"), max_length=60, blank=True)
    last_value_at = models.DateTimeField(_("received"), null=True, blank=True)

    class Meta:
        verbose_name = _("acceptance point (验收点)")
        verbose_name_plural = _("acceptance points")
        ordering = ["sheet", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "seq"], name="acceptance_point_seq_unique"),
            models.UniqueConstraint(
                fields=["sheet", "address"],
                condition=models.Q(address__isnull=False),
                name="acceptance_point_address_unique",
            ),
        ]
        indexes = [models.Index(fields=["site", "name"], name="acceptance_point_signal_idx")]

    def __str__(self) -> str:
        return f"{self.bay} {self.name}".strip()


class Signature(models.Model):
    """A named party's signature on a sheet (ACC-4: 工长, 监理, 客户 …). Append-only."""

    sheet = models.ForeignKey(
        AcceptanceSheet,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("sheet"),
    )
    party = models.CharField(_("party (签字方)"), max_length=40)
    name = models.CharField(_("name"), max_length=60)
    person = _person(_("person"))
    signed_at = models.DateTimeField(_("signed"))
    remark = models.CharField(_("remark"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("signature (签字)")
        verbose_name_plural = _("signatures")
        ordering = ["sheet", "signed_at", "id"]

    def __str__(self) -> str:
        return f"{self.party} {self.name}"
