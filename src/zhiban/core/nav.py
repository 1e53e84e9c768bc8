"""The console's navigation: one list of areas. An area whose page is not installed yet
shows greyed out; later capabilities light theirs up by adding the named URL."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .scoping import can

POWER, SECURITY, SERVICE, HOUSEKEEPING, ENGINEERING = (
    "power",
    "security",
    "customer_service",
    "housekeeping",
    "engineering",
)
ALL = frozenset({POWER, SECURITY, SERVICE, HOUSEKEEPING, ENGINEERING})


@dataclass(frozen=True)
class Area:
    key: str
    label: str
    url_name: str
    icon: str
    kinds: frozenset = ALL
    action: str = "org.view"


AREAS = [
    Area("console", _("Console"), "core:centre_home", "layout-dashboard"),
    Area("duty", _("Duty & handover"), "duty:home", "clock-hour-8"),
    Area(
        "alarms",
        _("Alarms & incidents"),
        "alarms:home",
        "alarm",
        frozenset({POWER, SECURITY, ENGINEERING}),
    ),
    Area("ops", _("Orders & tickets"), "ops:home", "list-check", frozenset({POWER})),
    Area(
        "upkeep",
        _("Defects, counters & acceptance"),
        "upkeep:home",
        "tool",
        frozenset({POWER, ENGINEERING}),
    ),
    Area(
        "patrols", _("Patrols"), "patrols:home", "route", frozenset({POWER, SECURITY, HOUSEKEEPING})
    ),
    Area(
        "registers",
        _("Registers"),
        "registers:home",
        "notebook",
        frozenset({SECURITY, HOUSEKEEPING}),
    ),
    Area(
        "emergency",
        _("Emergency plans"),
        "emergency:home",
        "urgent",
        frozenset({POWER, SECURITY, HOUSEKEEPING}),
    ),
    Area("service", _("Customer service"), "service:home", "headset", frozenset({SERVICE})),
    Area("phone", _("Phone contacts"), "core:phone_list", "phone"),
    Area("deadlines", _("Deadlines"), "core:deadline_list", "hourglass"),
    Area("reports", _("Reports"), "reports:home", "chart-bar", action="report.view"),
    Area("org", _("Organisation"), "org:overview", "building"),
    Area("audit", _("Audit trail"), "core:audit_list", "shield-check", action="audit.view"),
]


@functools.lru_cache(maxsize=4096)
def area_url(url_name: str, code: str) -> str:
    """The area's page for a centre, or "" while no capability provides it (URLs are fixed
    for the life of the process, so the answer is kept)."""
    try:
        return reverse(url_name, kwargs={"code": code})
    except NoReverseMatch:
        return ""


def areas_for(user, centre, active: str = "") -> list[dict]:
    return [
        {"area": area, "url": area_url(area.url_name, centre.code), "active": area.key == active}
        for area in AREAS
        if centre.kind in area.kinds and can(user, area.action, centre)
    ]
