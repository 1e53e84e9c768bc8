"""The window every time given from outside must lie in, and showing a time safely.

DESIGN rule 5: a time a person or a gateway gives is checked against the centre's window when
it is written (the centre settings ``time.*``, their defaults in ``DEFAULTS``; rule ORG-4: the
record says *when* truly), so a value such as 9999-12-31T23:59:59Z never reaches the database;
and showing a stored time never raises, even for a row written before the window existed.

Three kinds of time:

- ``NOW``: something that happened (a log entry, a phone call, a step done): back
  ``time.past_days``, ahead ``time.future_minutes`` (clocks differ a little);
- ``PLANNED``: a time planned (a planned operation, a deadline, a shelving's end): back
  ``time.past_days``, ahead ``time.planned_days``;
- ``CALENDAR``: a day of a roster or of a document: back ``time.history_days``, ahead
  ``time.planned_days``.

Forms call ``guard(form, centre)`` once: every date and date-time field is then checked, with
the field's kind taken from the form's ``time_kinds`` (date-times default to ``NOW``, dates to
``CALENDAR``); a value outside gives a per-field message naming the field, the allowed range in
the centre's zone and the rule (422).
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from enum import StrEnum

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RULE = "ORG-4"
SHOWN = "%Y-%m-%d %H:%M"
# the defaults of the centre settings ``time.*`` (org/centre_settings.py reads them from here)
DEFAULTS = {
    "time.past_days": 7,
    "time.future_minutes": 5,
    "time.planned_days": 365,
    "time.history_days": 3660,
}


class Kind(StrEnum):
    NOW = "now"
    PLANNED = "planned"
    CALENDAR = "calendar"


def _setting(centre, key: str) -> int:
    return int(centre.setting(key)) if centre is not None else DEFAULTS[key]


def bounds(centre, kind: Kind, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The earliest and the latest instant a time of this kind may be (UTC)."""
    now = now or timezone.now()
    back = "time.history_days" if kind == Kind.CALENDAR else "time.past_days"
    if kind == Kind.NOW:
        ahead = timedelta(minutes=_setting(centre, "time.future_minutes"))
    else:
        ahead = timedelta(days=_setting(centre, "time.planned_days"))
    return now - timedelta(days=_setting(centre, back)), now + ahead


def zone_of(centre) -> zoneinfo.ZoneInfo:
    return centre.tz if centre is not None else zoneinfo.ZoneInfo(settings.TIME_ZONE)


class Window:
    """A validator: the value lies in the centre's window of ``kind`` (ORG-4)."""

    def __init__(self, centre, kind: Kind, label, stored=None):
        self.zone = zone_of(centre)
        self.earliest, self.latest = bounds(centre, kind)
        self.label = label
        self.stored = stored

    def __call__(self, value) -> None:
        if self.stored is not None and _minute(value) == _minute(self.stored):
            return  # the record's own time, unchanged (an edit of an older record)
        if isinstance(value, datetime):
            inside = self.earliest <= value <= self.latest
            shown = (
                f"{self.earliest.astimezone(self.zone):{SHOWN}}",
                f"{self.latest.astimezone(self.zone):{SHOWN}}",
            )
        elif isinstance(value, date):
            first, last = self.earliest.astimezone(self.zone), self.latest.astimezone(self.zone)
            inside = first.date() <= value <= last.date()
            shown = (f"{first:%Y-%m-%d}", f"{last:%Y-%m-%d}")
        else:
            return
        if not inside:
            raise ValidationError(
                _("%(field)s must lie between %(earliest)s and %(latest)s (%(rule)s).")
                % {"field": self.label, "earliest": shown[0], "latest": shown[1], "rule": RULE},
                code=RULE,
            )


def refusal(centre, value, kind: Kind = Kind.NOW, label="at") -> str:
    """Why ``value`` is refused, naming ``label`` and the window; empty if it lies inside (the
    gateway's per-event reason, ORG-4)."""
    try:
        Window(centre, kind, label)(value)
    except ValidationError as error:
        return error.messages[0]
    return ""


def _minute(value):
    """Pages give times to the minute; a stored time re-sent from a page is the same time."""
    return value.replace(second=0, microsecond=0) if isinstance(value, datetime) else value


def guard(form: forms.BaseForm, centre) -> None:
    """Check every date and date-time field of ``form`` against the centre's window; the
    form's ``time_kinds`` ({field: Kind}) names the fields that are not ``NOW`` / ``CALENDAR``;
    a value equal to the record's stored one (``form.initial``) passes (DESIGN rule 5, ORG-4)."""
    kinds = getattr(form, "time_kinds", {})
    for name, field in form.fields.items():
        if isinstance(field, forms.DateTimeField):
            kind = kinds.get(name, Kind.NOW)
        elif isinstance(field, forms.DateField):
            kind = kinds.get(name, Kind.CALENDAR)
        else:
            continue
        field.validators.append(Window(centre, kind, field.label or name, form.initial.get(name)))


def shown(value: datetime, zone=None, fmt: str = SHOWN) -> str:
    """A stored time in ``zone`` (default: the current zone) as text; a time the zone cannot
    hold (a row written before the window, e.g. 9999-12-31T23:59:59Z) is shown in UTC
    instead of failing the page (DESIGN rule 5)."""
    return safe_localtime(value, zone).strftime(fmt)


def safe_localtime(value: datetime, zone=None) -> datetime:
    """``timezone.localtime`` that never raises: a time the zone cannot hold stays as stored
    (UTC)."""
    try:
        return timezone.localtime(value, zone)
    except (OverflowError, ValueError):
        return value


def make_templates_safe() -> None:
    """Django's templates show every aware time in the current zone (``{{ at }}``,
    ``{{ at|date }}``); a time the zone cannot hold would fail the whole page, so it is shown
    as stored (UTC) instead (DESIGN rule 5). Called once from ``CoreConfig.ready``.

    It replaces ``django.template.base.template_localtime`` (the name ``base`` imports from
    ``django.utils.timezone`` and calls in ``render_value_in_context`` and
    ``FilterExpression.resolve``), then renders a far time to prove the patch took: a Django
    that renamed or stopped using it fails at start-up, not on a page (ADR 0011)."""
    from django.template import base  # noqa: PLC0415

    convert = base.template_localtime  # AttributeError: Django renamed it (ADR 0011)
    if not getattr(convert, "never_raises", False):

        def template_localtime(value, use_tz=None):
            try:
                return convert(value, use_tz)
            except (OverflowError, ValueError):
                return value

        template_localtime.never_raises = True
        base.template_localtime = template_localtime
    _prove_templates_safe()


def _prove_templates_safe() -> None:
    """A time no zone east of UTC can hold, rendered both ways in such a zone."""
    from django.core.exceptions import ImproperlyConfigured  # noqa: PLC0415
    from django.template import Context, Engine  # noqa: PLC0415

    far = datetime.max.replace(tzinfo=zoneinfo.ZoneInfo("UTC"))
    try:
        with timezone.override(zoneinfo.ZoneInfo("Asia/Shanghai")):
            Engine().from_string("{{ at }}{{ at|date:'Y' }}").render(Context({"at": far}))
    except (OverflowError, ValueError) as error:
        raise ImproperlyConfigured(
            "Templates fail on a far stored time: Django no longer converts times through "
            "django.template.base.template_localtime; see docs/decisions/0011-time-windows.md"
        ) from error
