"""The monthly operation report of a centre (RPT-1, RPT-3, RPT-4): one builder per centre
kind turns the apps' period figures into sections of figures, tables and charts; ``build``
runs the builder for the month, the month before and the same month last year and sets each
figure beside its two comparisons.

A builder is ``builder(centre, start, end) -> list[Section]`` for one period (``start``
inclusive, ``end`` exclusive, aware datetimes at the centre's midnight); it reads the other
apps only through their selectors. ``KINDS`` maps a centre kind to its builder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from zhiban.core.figures import Figure


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
KINDS: dict[str, Builder] = {}
