"""Defects (缺陷, DEF-1 … DEF-3): graded, routed to the team or the centre, and taken through
their lifecycle reported → classified (定性) → assigned → eliminated (消缺) → verified → closed
against an elimination deadline per grade."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.flow import Flow, Transition
from zhiban.core.models import VersionedModel


class DefectGrade(models.TextChoices):
    """DEF-1: the grade sets the elimination deadline (settings ``upkeep.defect_*_hours``)."""

    CRITICAL = "critical", _("Critical (危急)")
    SERIOUS = "serious", _("Serious (严重)")
    GENERAL = "general", _("General (一般)")


# lower number, graver defect: a grade may be raised, never lowered by a temporary measure
GRADE_ORDER: dict[str, int] = {
    DefectGrade.CRITICAL: 1,
    DefectGrade.SERIOUS: 2,
    DefectGrade.GENERAL: 3,
}


class DefectKind(models.TextChoices):
    """DEF-2 routes by kind: local equipment with the four remotes working goes to the team;
    the monitoring system's own problems go to the centre; a counter at its limit (满次检修)
    is reported by the team (CNT-2)."""

    LOCAL = "local", _("Local equipment, four remotes working (当地设备)")
    CHANNEL = "channel", _("Master-station channel (主站通道)")
    MONITOR_COMPUTER = "monitor_computer", _("Monitoring computer (监控机)")
    SYSTEMIC = "systemic", _("Systemic problem of the monitoring system (监控系统性问题)")
    FOUR_REMOTE = "four_remote", _("Four-remote problem of a station (四遥缺陷)")
    COUNTER_FULL = "counter_full", _("Operation count at its limit (满次检修)")


class Owner(models.TextChoices):
    TEAM = "team", _("Operation team (操作队)")
    CENTRE = "centre", _("Monitoring centre (监控中心)")


class DefectOrigin(models.TextChoices):
    """Where the defect was reported from; ``origin_id`` names that record."""

    MANUAL = "manual", _("Reported by hand")
    ALARM = "alarm", _("Alarm")
    INCIDENT = "incident", _("Incident")
    PATROL = "patrol", _("Patrol checkpoint")
    ACCEPTANCE = "acceptance", _("Acceptance point")
    COUNTER = "counter", _("Counter at its limit")


class DefectState(models.TextChoices):
    REPORTED = "reported", _("Reported (已上报)")
    CLASSIFIED = "classified", _("Classified (已定性)")
    ASSIGNED = "assigned", _("Assigned (已派发)")
    ELIMINATED = "eliminated", _("Eliminated (已消缺)")
    VERIFIED = "verified", _("Verified (已验收)")
    CLOSED = "closed", _("Closed (已关闭)")


OPEN_DEFECT_STATES = [
    DefectState.REPORTED,
    DefectState.CLASSIFIED,
    DefectState.ASSIGNED,
    DefectState.ELIMINATED,
]


def _person(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
    )


class Defect(VersionedModel):
    """A defect of a piece of equipment or of the monitoring system (缺陷, DEF-1 … DEF-3)."""

    FLOW = Flow(
        "defect",
        DefectState,
        initial=DefectState.REPORTED,
        transitions=[
            Transition("classify", (DefectState.REPORTED,), DefectState.CLASSIFIED),
            Transition(
                "assign", (DefectState.CLASSIFIED, DefectState.ASSIGNED), DefectState.ASSIGNED
            ),
            Transition("eliminate", (DefectState.ASSIGNED,), DefectState.ELIMINATED),
            Transition("verify", (DefectState.ELIMINATED,), DefectState.VERIFIED),
            Transition("reject", (DefectState.ELIMINATED,), DefectState.ASSIGNED),
            Transition("close", (DefectState.VERIFIED,), DefectState.CLOSED),
        ],
    )

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    number = models.CharField(_("number"), max_length=20)
    site = models.ForeignKey(
        "org.Site", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    equipment = models.ForeignKey(
        "org.Equipment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="defects",
        verbose_name=_("equipment"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=DefectKind.choices)
    grade = models.CharField(_("grade"), max_length=10, choices=DefectGrade.choices)
    phenomenon = models.TextField(_("phenomenon (缺陷现象)"), max_length=1000)
    affects_monitoring = models.BooleanField(
        _("affects monitoring"),
        default=False,
        help_text=_("Written to the duty log's other column by itself (DUTY-8)."),
    )
    owner = models.CharField(_("handled by"), max_length=10, choices=Owner.choices)
    team = models.ForeignKey(
        "org.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team"),
    )
    routing_reason = models.CharField(_("why it went there"), max_length=200, blank=True)
    origin = models.CharField(
        _("reported from"), max_length=12, choices=DefectOrigin.choices, default="manual"
    )
    origin_id = models.CharField(_("record reported from"), max_length=40, blank=True)
    temporary_measure = models.TextField(_("temporary measure (临时措施)"), blank=True)
    elimination = models.TextField(_("how it was eliminated"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=DefectState.choices, default=DefectState.REPORTED
    )
    due_at = models.DateTimeField(_("eliminate by"))
    reported_by = _person(_("reported by"))
    reported_at = models.DateTimeField(_("reported"))
    classified_by = _person(_("classified by"))
    classified_at = models.DateTimeField(_("classified"), null=True, blank=True)
    assignee = _person(_("assigned to"))
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    eliminated_by = _person(_("eliminated by"))
    eliminated_at = models.DateTimeField(_("eliminated"), null=True, blank=True)
    verified_by = _person(_("verified by"))
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    closed_by = _person(_("closed by"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("defect (缺陷)")
        verbose_name_plural = _("defects")
        ordering = ["reported_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "number"], name="defect_number_unique")
        ]
        indexes = [
            models.Index(fields=["centre", "state", "reported_at"], name="defect_list_idx"),
            models.Index(fields=["centre", "grade", "reported_at"], name="defect_grade_idx"),
            models.Index(fields=["centre", "reported_at", "id"], name="defect_age_idx"),
            models.Index(
                fields=["centre", "reported_at", "id"],
                condition=models.Q(state__in=OPEN_DEFECT_STATES),
                name="defect_open_age_idx",
            ),
            models.Index(
                fields=["centre", "grade", "reported_at"],
                condition=models.Q(state__in=OPEN_DEFECT_STATES),
                name="defect_open_grade_idx",
            ),
        ]

    def __str__(self) -> str:
        where = self.equipment or self.site
        return f"{self.number} {where}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_DEFECT_STATES
