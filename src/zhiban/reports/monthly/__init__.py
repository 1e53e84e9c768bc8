"""The monthly operation report of a centre (RPT-1, RPT-3, RPT-4): one builder per centre
kind turns the apps' period figures into sections of figures, tables and charts; ``build``
runs the builder for the month, the month before and the same month last year and sets each
figure beside its two comparisons (``build``; a month ahead or before the centre existed is
refused, ``check_month``).

A builder is ``builder(centre, start, end) -> list[Section]`` for one period (``start``
inclusive, ``end`` exclusive, aware datetimes at the centre's midnight); it reads the other
apps only through their selectors. ``kinds.KINDS`` maps a centre kind to its builder."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zhiban.core.errors import InvalidInput
from zhiban.core.figures import Figure, by_key

RULE = "RPT-1"
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass
class TableData:
    """One table of the report: a page table, a PDF table and one workbook sheet."""

    key: str  # the workbook sheet's name comes from the title; key is for tests and ids
    title: Any
    headers: list[Any]
    rows: list[list[Any]]


@dataclass
class Compared:
    """A figure of the month beside the month before and the same month last year."""

    figure: Figure
    previous: int | float | None = None
    last_year: int | float | None = None


@dataclass
class Section:
    key: str
    title: Any
    figures: list[Figure] = field(default_factory=list)
    tables: list[TableData] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)  # core.charts.chart(...) dicts
    compared: list[Compared] = field(default_factory=list)  # filled by build()


@dataclass
class MonthlyReport:
    centre: Any
    month: date  # the first day of the month
    sections: list[Section]
    generated_at: datetime


Builder = Callable[[Any, datetime, datetime], list[Section]]


def month_start(centre, month: date) -> datetime:
    """The first moment of ``month`` at the centre's midnight (an aware datetime)."""
    return datetime(month.year, month.month, 1, tzinfo=centre.tz)


def shift_month(month: date, months: int) -> date:
    """The first day of the month ``months`` after (or before) ``month``."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def this_month(centre) -> date:
    today = timezone.localtime(timezone.now(), centre.tz).date()
    return today.replace(day=1)


def last_full_month(centre) -> date:
    return shift_month(this_month(centre), -1)


def since(centre) -> date:
    """RPT-1: the first month a report exists for: the month the centre was created, or the
    earlier month of its ``report.since`` setting (a centre whose records go back before it
    was entered in Zhiban, as the demo's do)."""
    created = timezone.localtime(centre.created_at, centre.tz).date().replace(day=1)
    chosen = MONTH.match(str(centre.setting("report.since") or ""))
    if chosen:
        return min(created, date(int(chosen[1]), int(chosen[2]), 1))
    return created


def _refuse(message: str) -> InvalidInput:
    text = f"{message} ({RULE})"
    return InvalidInput(text, rule=RULE, fields={"month": [text]})


def parse_month(text: str) -> date:
    """``YYYY-MM`` as the month's first day; anything else is refused on ``month`` (RPT-1)."""
    match = MONTH.match(text or "")
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1:
        raise _refuse(_("Enter a month as YYYY-MM, e.g. 2026-11."))
    return date(int(match[1]), int(match[2]), 1)


def check_month(centre, month: date) -> None:
    """RPT-1: the current month (partial) and the months since the centre existed have a
    report; a month ahead or before the centre is refused on ``month``."""
    if month > this_month(centre):
        raise _refuse(_("The month %(month)s has not begun yet.") % {"month": f"{month:%Y-%m}"})
    first = since(centre)
    if month < first:
        raise _refuse(
            _("There is no report before %(first)s: the centre did not exist yet.")
            % {"first": f"{first:%Y-%m}"}
        )


def _sections(centre, month: date) -> list[Section]:
    start = month_start(centre, month)
    end = month_start(centre, shift_month(month, 1))
    return builder_for(centre)(centre, start, end)


def _values(sections: list[Section] | None) -> dict[tuple[str, str], Any]:
    return {
        (section.key, key): figure.value
        for section in sections or []
        for key, figure in by_key(section.figures).items()
    }


def build(centre, month: date) -> MonthlyReport:
    """RPT-1: the report of ``month`` (its first day): the kind's builder run for the month,
    the month before and the same month last year (a month before the centre existed is not
    compared: its values stay None), each figure beside its two comparisons."""
    check_month(centre, month)
    first = since(centre)
    sections = _sections(centre, month)
    before = shift_month(month, -1)
    year_ago = shift_month(month, -12)
    previous = _values(_sections(centre, before) if before >= first else None)
    last_year = _values(_sections(centre, year_ago) if year_ago >= first else None)
    for section in sections:
        section.compared = [
            Compared(
                figure,
                previous.get((section.key, figure.key)),
                last_year.get((section.key, figure.key)),
            )
            for figure in section.figures
        ]
    return MonthlyReport(centre, month, sections, timezone.now())


# The builders import the dataclasses above, so the table of kinds comes last.
from .kinds import KINDS, builder_for  # noqa: E402

__all__ = ["KINDS", "Builder", "Compared", "MonthlyReport", "Section", "TableData", "build"]
