"""Per-centre settings with the defaults the documents state (DESIGN rule 6).

A centre stores only its overrides (``Centre.settings``); ``value`` falls back to the default
here. Each entry names the rule it configures. The centre settings page and API are generated
from this list, so adding a number here is all a capability needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from zhiban.core.timewindow import DEFAULTS as TIME_DEFAULTS


@dataclass(frozen=True)
class Setting:
    key: str
    default: int | str
    label: str
    rule: str = ""
    minimum: int = 0
    maximum: int = 100_000
    text: bool = False  # free text (e.g. a ticket prefix) rather than a number or a time
    max_length: int = 20  # of a text setting
    validators: tuple = ()  # of a text setting

    @property
    def is_time(self) -> bool:
        return isinstance(self.default, str) and not self.text


ticket_prefix_validator = RegexValidator(
    r"^[A-Za-z0-9\u4e00-\u9fff-]{0,20}$", _("Use letters, digits, Chinese characters or hyphens.")
)
time_windows_validator = RegexValidator(
    r"^\s*$|^(([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)"
    r"(\s*,\s*([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)*$",
    _("Enter time windows as HH:MM-HH:MM, separated by commas, e.g. 12:00-14:00,21:00-08:00."),
)
month_validator = RegexValidator(
    r"^$|^\d{4}-(0[1-9]|1[0-2])$", _("Enter a month as YYYY-MM, e.g. 2026-01.")
)

SETTINGS: list[Setting] = [
    Setting(
        "ops.ticket_prefix",
        "",
        _("Operation ticket number prefix (empty: the centre code)"),
        "OPS-6",
        text=True,
        validators=(ticket_prefix_validator,),
    ),
    Setting("ops.ticket_digits", 5, _("Digits of the operation ticket number"), "OPS-6", 3, 8),
    Setting(
        "ops.sequence_timeout_minutes",
        15,
        _("Sequence control without “completed successfully” after (minutes)"),
        "OPS-11",
        1,
        240,
    ),
    Setting(
        "duty.signin_lead_minutes",
        15,
        _("Sign in before the shift starts (minutes)"),
        "DUTY-2",
        0,
        240,
    ),
    Setting("alarms.flood_count", 10, _("Alarm flood: new alarms"), "INC-3", 1, 10_000),
    Setting(
        "alarms.flood_window_minutes", 10, _("Alarm flood: within (minutes)"), "INC-3", 1, 1440
    ),
    Setting(
        "alarms.shelve_max_hours", 24, _("Alarm shelved for at most (hours)"), "INC-2", 1, 24 * 7
    ),
    Setting(
        "upkeep.defect_critical_hours",
        24,
        _("Critical defect (危急) eliminated within (hours)"),
        "DEF-1",
        1,
        24 * 365,
    ),
    Setting(
        "upkeep.defect_serious_hours",
        7 * 24,
        _("Serious defect (严重) eliminated within (hours)"),
        "DEF-1",
        1,
        24 * 365,
    ),
    Setting(
        "upkeep.defect_general_hours",
        90 * 24,
        _("General defect (一般) eliminated within (hours)"),
        "DEF-1",
        1,
        24 * 730,
    ),
    Setting(
        "patrols.station_checks_per_shift",
        4,
        _("Monitoring-system checks of every station per shift"),
        "PAT-1",
        1,
        48,
    ),
    Setting(
        "patrols.camera_checks_per_shift", 2, _("Checks of all cameras per shift"), "PAT-1", 1, 48
    ),
    Setting(
        "patrols.camera_sweep_minutes",
        60,
        _("Lift and stair camera sweep every (minutes)"),
        "PAT-1",
        5,
        1440,
    ),
    Setting("patrols.sampled_per_shift", 20, _("Branches sampled per shift"), "PAT-1", 1, 10_000),
    Setting("patrols.photo_max_kb", 5120, _("Patrol photo at most (KB)"), "PAT-2", 50, 51_200),
    Setting(
        "service.first_response_minutes",
        30,
        _("First response to a customer within (minutes)"),
        "CS-6",
        1,
        1440,
    ),
    Setting(
        "service.return_visit_days",
        3,
        _("Return-visit campaign finished within (days)"),
        "CS-7",
        1,
        60,
    ),
    Setting("service.order_handoff_time", "10:00", _("Day's orders handed to sales by"), "CS-3"),
    Setting(
        "service.records_due_day", 25, _("Monthly customer records due on day"), "CS-10", 1, 28
    ),
    Setting(
        "service.rest_hours",
        "12:00-14:00,21:00-08:00",
        _("Customers' rest hours, not to be called (e.g. 12:00-14:00,21:00-08:00)"),
        "CS-7",
        text=True,
        max_length=100,
        validators=(time_windows_validator,),
    ),
    Setting(
        "service.sales_regions",
        "",
        _("Sales area: regions delivered to, comma-separated (empty: everywhere)"),
        "CS-3",
        text=True,
        max_length=500,
    ),
    Setting(
        "service.injury_visit_hours",
        24,
        _("Visit after a complaint of bodily harm within (hours)"),
        "CS-5",
        1,
        24 * 14,
    ),
    Setting(
        "service.apology_call_hours",
        4,
        _("Apology call for an order outside the sales area within (hours)"),
        "CS-3",
        1,
        24 * 7,
    ),
    Setting("registers.dnd_check_time", "14:30", _("Do-not-disturb rooms phoned at"), "REG-8"),
    Setting(
        "registers.wakeup_retry_minutes",
        5,
        _("Second wake-up call after a missed one (minutes)"),
        "REG-7",
        1,
        60,
    ),
    Setting(
        "registers.footage_retention_days",
        30,
        _("Recorded video kept for (days after the footage)"),
        "REG-2",
        1,
        3660,
    ),
    Setting(
        "registers.footage_warn_days",
        3,
        _("Warn before requested footage is overwritten (days)"),
        "REG-2",
        0,
        365,
    ),
    Setting(
        "time.past_days",
        TIME_DEFAULTS["time.past_days"],
        _("Times given may lie back at most (days)"),
        "ORG-4",
        1,
        3660,
    ),
    Setting(
        "time.future_minutes",
        TIME_DEFAULTS["time.future_minutes"],
        _("Times of events may lie ahead at most (minutes)"),
        "ORG-4",
        0,
        1440,
    ),
    Setting(
        "time.planned_days",
        TIME_DEFAULTS["time.planned_days"],
        _("Planned times may lie ahead at most (days)"),
        "ORG-4",
        1,
        3660,
    ),
    Setting(
        "time.history_days",
        TIME_DEFAULTS["time.history_days"],
        _("Days of rosters and documents may lie back at most (days)"),
        "ORG-4",
        1,
        36600,
    ),
    Setting(
        "report.since",
        "",
        _("Monthly reports from (YYYY-MM; empty: the month the centre was created)"),
        "RPT-1",
        text=True,
        max_length=7,
        validators=(month_validator,),
    ),
    Setting("deadlines.warn_minutes", 30, _("Warn before a deadline (minutes)"), "", 0, 10_080),
    Setting(
        "deadlines.escalate_minutes",
        60,
        _("Escalate to department head and manager after a breach (minutes)"),
        "",
        1,
        10_080,
    ),
]
BY_KEY = {s.key: s for s in SETTINGS}


def value(overrides: dict, key: str):
    setting = BY_KEY[key]
    if key in (overrides or {}):
        return overrides[key]
    return setting.default
