"""What the security, service and hotel builders share (RPT-1, RPT-4): the days of a period
for a chart's axis and a table's rows, and the figures of a list picked by key."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from zhiban.core.figures import Figure, by_key


def days(centre, start: datetime, end: datetime) -> list[date]:
    """The centre's days from ``start`` up to ``end`` (exclusive)."""
    first = start.astimezone(centre.tz).date()
    last = (end - timedelta(microseconds=1)).astimezone(centre.tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def pick(figures: list[Figure], keys: Iterable[str]) -> list[Figure]:
    """The figures of ``keys``, in that order (a key the list lacks is left out)."""
    found = by_key(figures)
    return [found[key] for key in keys if key in found]


def day_label(day: date) -> str:
    return f"{day:%m-%d}"
