"""Customers' rest hours (CS-7): calls avoid them, and a retry after no answer is offered in
another time window.

The centre setting ``service.rest_hours`` lists windows in the centre's zone, e.g.
``12:00-14:00,21:00-08:00``; a window whose end is before its start crosses midnight, and
``24:00`` may end one. The setting is free text, so it is read leniently: a piece that is not
``HH:MM-HH:MM`` (or a window of no length) is left out, never raised at show time — a bad value
means fewer rest hours, not a broken call list. ``problems`` names the pieces left out.

The allowed windows are what the rest hours leave free (12:00–14:00 and 21:00–08:00 leave
08:00–12:00 and 14:00–21:00). The retry rule: after no answer the next try is offered from the
start of the next allowed window that begins at least ``RETRY_GAP`` (2 hours) after the call —
a call at 10:30 is tried again from 14:00, one at 15:00 from 08:00 the next morning — so the
customer is called at another time of day. Without rest hours the retry is simply 2 hours later.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

RETRY_GAP = timedelta(hours=2)
DAY = 24 * 60
_WINDOW = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*[-–~至]\s*(\d{1,2}):(\d{2})\s*$")


def _minutes(hours: str, minutes: str) -> int | None:
    h, m = int(hours), int(minutes)
    if m >= 60 or h > 24 or (h == 24 and m):
        return None
    return h * 60 + m


def _pieces(value) -> list[str]:
    return [p.strip() for p in re.split(r"[,，;；\n]+", str(value or "")) if p.strip()]


def parse(value) -> list[tuple[int, int]]:
    """The windows of a setting value as (start, end) minutes of the day; bad pieces left out."""
    windows = []
    for piece in _pieces(value):
        match = _WINDOW.match(piece)
        if match is None:
            continue
        start, end = _minutes(match[1], match[2]), _minutes(match[3], match[4])
        if start is None or end is None:
            continue
        if (start, end) == (0, DAY):
            windows.append((0, DAY))  # rest all day
        elif start % DAY != end % DAY:
            windows.append((start % DAY, end % DAY))
    return windows


def problems(value) -> list[str]:
    """The pieces of a setting value that ``parse`` leaves out."""
    return [p for p in _pieces(value) if not parse(p)]


def _inside_minute(minute: int, windows) -> bool:
    for start, end in windows:
        if start < end and start <= minute < end:
            return True
        if start > end and (minute >= start or minute < end):
            return True
    return False


def windows_of(centre) -> list[tuple[int, int]]:
    """The centre's rest hours; a setting that cannot be read at all is no rest hours."""
    try:
        return parse(centre.setting("service.rest_hours"))
    except (KeyError, TypeError, ValueError):
        return []


def inside(at: datetime, zone: ZoneInfo, windows) -> bool:
    """The moment falls in a rest window (CS-7)."""
    local = at.astimezone(zone)
    return _inside_minute(local.hour * 60 + local.minute, windows)


def _at(day: date, minute: int, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=zone) + timedelta(minutes=minute)


def allowed_starts(windows) -> list[int]:
    """The minutes of the day at which an allowed window begins: a rest window's end that is
    not itself inside another rest window."""
    ends = {end % DAY for _start, end in windows}
    return sorted(m for m in ends if not _inside_minute(m, windows))


def retry_after(at: datetime, zone: ZoneInfo, windows) -> datetime:
    """When to try again after no answer at ``at`` (the rule in the module's docstring)."""
    earliest = at + RETRY_GAP
    starts = allowed_starts(windows)
    if not starts:
        return earliest  # no rest hours, or rest all day: no other window to offer
    first_day = earliest.astimezone(zone).date()
    for offset in range(3):
        day = first_day + timedelta(days=offset)
        for minute in starts:
            candidate = _at(day, minute, zone)
            if candidate >= earliest:
                return candidate
    return earliest


def shown(windows) -> str:
    """The windows as the page shows them: 12:00–14:00, 21:00–08:00."""

    def hhmm(minute: int) -> str:
        return f"{minute // 60:02d}:{minute % 60:02d}"

    return ", ".join(f"{hhmm(s)}–{hhmm(e)}" for s, e in windows)
