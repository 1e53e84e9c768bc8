"""The figures of a centre over a period, by app, in the order its kind reads them (RPT-1,
RPT-4). Each app counts its own records once (``period_figures(centre=, start=, end=)`` in
its selectors, ``zhiban.core.figures``); this module only chooses the apps a centre's kind
has — a hotel desk sees no tickets, a power centre no cases — and titles their sections.
The shift report, the daily log, the monthly report and the dashboards all read it:

    for title, figures in app_figures(centre, start, end):
        ...  # title: lazy text; figures: list[Figure]
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from zhiban.alarms import selectors as alarms
from zhiban.core.figures import Figure
from zhiban.duty import selectors as duty
from zhiban.emergency import selectors as emergency
from zhiban.ops import selectors as ops
from zhiban.patrols import selectors as patrols
from zhiban.registers.selectors import figures as registers
from zhiban.service.selectors import figures as service
from zhiban.upkeep.selectors import figures as upkeep

Counter = Callable[..., list[Figure]]

# app → (section title, its period_figures)
SECTIONS: dict[str, tuple[Any, Counter]] = {
    "duty": (_("Duty and handover"), duty.period_figures),
    "ops": (_("Tickets and orders"), ops.period_figures),
    "alarms": (_("Alarms and incidents"), alarms.period_figures),
    "upkeep": (_("Defects, counters and acceptance"), upkeep.period_figures),
    "patrols": (_("Patrols"), patrols.period_figures),
    "registers": (_("Registers"), registers.period_figures),
    "emergency": (_("Emergency plans"), emergency.period_figures),
    "service": (_("Customer service"), service.period_figures),
}

# centre kind → its apps, in the order the reports show them (ORG-1)
KINDS: dict[str, list[str]] = {
    "power": ["duty", "ops", "alarms", "upkeep", "patrols"],
    "security": ["duty", "alarms", "patrols", "registers", "emergency"],
    "customer_service": ["duty", "service"],
    "housekeeping": ["duty", "registers", "patrols", "emergency"],
    "engineering": ["duty", "upkeep"],
}


def apps_of(centre) -> list[str]:
    """The apps whose figures a centre of this kind reads (duty alone for an unknown kind)."""
    return KINDS.get(centre.kind, ["duty"])


def app_figures(centre, start: datetime, end: datetime) -> list[tuple[Any, list[Figure]]]:
    """(section title, figures) of each of the centre's apps for start ≤ time < end."""
    return [(title, figures) for _app, title, figures in keyed_figures(centre, start, end)]


def keyed_figures(centre, start: datetime, end: datetime) -> list[tuple[str, Any, list[Figure]]]:
    """The same with each section's app key ("duty", "ops" …), for records that keep it."""
    return [
        (app, SECTIONS[app][0], SECTIONS[app][1](centre=centre, start=start, end=end))
        for app in apps_of(centre)
    ]
