"""Organisation: centres, teams, sites, equipment, people and their roles (ORG-1 … ORG-3).

Fields and constraints only; every change goes through ``org.services``.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhiban.core.models import VersionedModel
from zhiban.core.permissions import Role

from . import centre_settings

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{1,39}$",
    _("Use 2–40 lower-case letters, digits or hyphens, starting with a letter or digit."),
)
phone_validator = RegexValidator(
    r"^[0-9+\-() ]{3,20}$", _("Enter a phone number of digits (3–20 characters).")
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone “%(tz)s”."), params={"tz": value})


class CentreKind(models.TextChoices):
    """ORG-1: the kinds of centre a deployment holds."""

    POWER = "power", _("Power monitoring centre (监控中心)")
    SECURITY = "security", _("Security monitoring room (监控室)")
    CUSTOMER_SERVICE = "customer_service", _("Customer-service centre (客服中心)")
    HOUSEKEEPING = "housekeeping", _("Housekeeping / room centre (房务中心)")
    ENGINEERING = "engineering", _("Engineering (工程部)")


class Centre(VersionedModel):
    """A monitoring centre, monitoring room or service desk (ORG-1)."""

    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[code_validator],
        help_text=_("Short name used in addresses, e.g. suwu."),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CentreKind.choices)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        default=settings.DEFAULT_CENTRE_TIME_ZONE,
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(
        _("duty phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    settings = models.JSONField(
        _("settings"),
        default=dict,
        blank=True,
        help_text=_("Overrides of the documented defaults."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("centre (监控中心)")
        verbose_name_plural = _("centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def setting(self, key: str):
        """The centre's value for a documented setting, or its documented default."""
        return centre_settings.value(self.settings, key)


class TeamKind(models.TextChoices):
    """ORG-2: field teams."""

    OPERATION = "operation", _("Operation team (操作队)")
    PATROL = "patrol", _("Patrol team (巡逻队)")
    MAINTENANCE = "maintenance", _("Maintenance team (维修班)")
    SERVICE = "service", _("Service group (客服组)")
    HOUSEKEEPING = "housekeeping", _("Floor team (楼层组)")


class Team(VersionedModel):
    """A field team working with a centre and serving some of its sites (ORG-2)."""

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="teams", verbose_name=_("centre")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    phone = models.CharField(
        _("duty phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    sites = models.ManyToManyField(
        "Site", blank=True, related_name="teams", verbose_name=_("sites served")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team (班组)")
        verbose_name_plural = _("teams")
        ordering = ["centre", "name"]
        constraints = [models.UniqueConstraint(fields=["centre", "name"], name="team_name_unique")]

    def __str__(self) -> str:
        return self.name


class SiteKind(models.TextChoices):
    """ORG-2: what a centre supervises."""

    SUBSTATION = "substation", _("Substation (变电站)")
    BRANCH = "branch", _("Branch (网点)")
    BUILDING = "building", _("Building (楼宇)")
    FLOOR = "floor", _("Floor (楼层)")
    AREA = "area", _("Area (区域)")
    ROOM = "room", _("Room (房间)")
    CENTRE_UNIT = "centre_unit", _("Centre's own unit (监控单元)")


class VoltageLevel(models.TextChoices):
    KV500 = "500kV", "500 kV"
    KV220 = "220kV", "220 kV"
    KV110 = "110kV", "110 kV"
    KV35 = "35kV", "35 kV"
    KV10 = "10kV", "10 kV"
    V400 = "0.4kV", "0.4 kV"


class TreeNode(VersionedModel):
    """Adjacency-list tree node; ``tree_path`` (ancestor ids) keeps subtree reads one query."""

    tree_path = models.CharField(max_length=400, editable=False, default="", db_index=True)

    class Meta:
        abstract = True

    @property
    def depth(self) -> int:
        return self.tree_path.count("/") - 1 if self.tree_path else 0


class Site(TreeNode):
    """A place a centre supervises (ORG-2): substation, branch, building, floor…"""

    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="sites", verbose_name=_("centre")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent site"),
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    voltage_level = models.CharField(
        _("voltage level"), max_length=10, blank=True, choices=VoltageLevel.choices
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("site (站点)")
        verbose_name_plural = _("sites")
        ordering = ["tree_path", "code"]
        constraints = [models.UniqueConstraint(fields=["centre", "code"], name="site_code_unique")]

    def __str__(self) -> str:
        return self.name


class EquipmentKind(models.TextChoices):
    """ORG-2: equipment kinds in the documents."""

    BREAKER = "breaker", _("Breaker (开关)")
    DISCONNECTOR = "disconnector", _("Disconnector (刀闸)")
    CAPACITOR = "capacitor", _("Capacitor (电容器)")
    MAIN_TRANSFORMER = "main_transformer", _("Main transformer (主变)")
    TAP_CHANGER = "tap_changer", _("On-load tap changer (有载调压分接头)")
    BUS = "bus", _("Bus (母线)")
    LINE = "line", _("Line (线路)")
    CURRENT_TRANSFORMER = "current_transformer", _("Current transformer (流变)")
    PROTECTION = "protection", _("Protection device (保护装置)")
    RTU = "rtu", _("Telecontrol unit (远动装置)")
    CAMERA = "camera", _("Camera (摄像机)")
    DOME_CAMERA = "dome_camera", _("Dome camera (球机)")
    DVR = "dvr", _("DVR (录像机)")
    INTRUSION_PANEL = "intrusion_panel", _("Intrusion panel (报警主机)")
    FIRE_PANEL = "fire_panel", _("Fire panel (消防主机)")
    UPS = "ups", _("UPS")
    MONITOR_HOST = "monitor_host", _("Monitoring computer (监控机)")
    VQC = "vqc", _("VQC system")
    SCREEN = "screen", _("Video wall / screen (大屏)")
    INSTRUMENT = "instrument", _("Online monitoring instrument (在线监测仪)")
    OTHER = "other", _("Other (其他)")


class Equipment(TreeNode):
    """A piece of equipment at a site, in a tree (ORG-2), always shown by its double name
    (双重名称: name and dispatch number, OPS-15)."""

    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="equipment", verbose_name=_("site")
    )
    centre = models.ForeignKey(
        Centre,
        on_delete=models.PROTECT,
        related_name="equipment",
        verbose_name=_("centre"),
        editable=False,
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent equipment"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EquipmentKind.choices)
    name = models.CharField(_("name"), max_length=100)
    dispatch_number = models.CharField(
        _("dispatch number"),
        max_length=20,
        blank=True,
        help_text=_("The number in the double name, e.g. 751."),
    )
    voltage_level = models.CharField(
        _("voltage level"), max_length=10, blank=True, choices=VoltageLevel.choices
    )
    model_number = models.CharField(_("model"), max_length=60, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("equipment (设备)")
        verbose_name_plural = _("equipment")
        ordering = ["site", "tree_path"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "name", "dispatch_number"], name="equipment_double_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.double_name

    @property
    def double_name(self) -> str:
        """双重名称 (OPS-15): name and dispatch number, e.g. “苏吴线 751开关”."""
        return f"{self.name} {self.dispatch_number}".strip()


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class PersonManager(UserManager):
    pass


class Person(AbstractUser):
    """A person who logs in (人员). Login name is ``username``; the shown name is ``name``."""

    name = models.CharField(_("name"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    employee_no = models.CharField(_("employee number"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    REQUIRED_FIELDS = ["name"]

    objects = PersonManager()

    class Meta:
        verbose_name = _("person (人员)")
        verbose_name_plural = _("people")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee_no"],
                condition=~Q(employee_no=""),
                name="person_employee_no_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.username

    is_system = False

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name


class Membership(VersionedModel):
    """A role a person holds in one centre or one team (ORG-3)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("centre")
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("team"),
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    post = models.CharField(
        _("post"), max_length=40, blank=True, help_text=_("e.g. 正值, 副值, 值班员, 班长")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership (岗位)")
        verbose_name_plural = _("memberships")
        ordering = ["centre", "team", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "centre", "role"],
                condition=Q(team=None),
                name="membership_centre_role_unique",
            ),
            models.UniqueConstraint(
                fields=["person", "team", "role"],
                condition=~Q(team=None),
                name="membership_team_role_unique",
            ),
        ]

    def __str__(self) -> str:
        where = self.team or self.centre
        return f"{self.person} · {self.get_role_display()} · {where}"


class ApiToken(models.Model):
    """A per-person API token for integrations. Only its SHA-256 is stored. A gateway's token
    names the alarm sources it may send events for (INC-1, ORG-3)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("person")
    )
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # the alarm sources the token may send events for; none: it sends none (INC-1, ORG-3)
    sources = models.ManyToManyField(
        "alarms.AlarmSource",
        blank=True,
        related_name="tokens",
        verbose_name=_("alarm sources"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
