"""Reads of shift reports and daily logs (RPT-1), always within the person's centres (ORG-3),
and the frozen report as it reads in the reader's language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from zhiban.core.errors import InvalidInput
from zhiban.core.permissions import Action
from zhiban.core.scoping import limit
from zhiban.core.selectors import get_or_404
from zhiban.duty import logtexts

from ..models import ShiftReport
from ..monthly import since

DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def shift_report_list(*, user, centre, day: date | None = None) -> QuerySet[ShiftReport]:
    """The centre's shift reports, newest first; of one day's shifts with ``day``."""
    reports = limit(ShiftReport.objects.filter(centre=centre), user, Action.REPORT_VIEW)
    if day is not None:
        reports = reports.filter(handover__outgoing_shift__day=day)
    return reports.select_related(
        "centre",
        "handover__outgoing_shift__pattern",
        "handover__incoming_shift__pattern",
        "handover__outgoing_signed_by",
        "handover__incoming_signed_by",
    )


def shift_report_get(*, user, centre, pk) -> ShiftReport:
    return get_or_404(shift_report_list(user=user, centre=centre), pk)


def daily_log(*, user, centre, day: date) -> list[ShiftReport]:
    """RPT-1: the day's shift reports bound together, the first shift first."""
    return list(shift_report_list(user=user, centre=centre, day=day).order_by("starts_at"))


def first_day(centre) -> date:
    """The first day a daily log exists for: the centre's first month of reports (RPT-1)."""
    return since(centre)


def parse_day(centre, text: str, field: str = "day") -> date:
    """``YYYY-MM-DD`` of a day the centre has a daily log for; anything else, a day ahead or a
    day before the centre existed is refused on ``field`` (422, RPT-1)."""

    def refuse(message: str) -> InvalidInput:
        text = f"{message} (RPT-1)"
        return InvalidInput(text, rule="RPT-1", fields={field: [text]})

    match = DAY.match(text or "")
    try:
        day = date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:
        day = None
    if day is None:
        raise refuse(_("Enter a day as YYYY-MM-DD, e.g. 2026-11-27."))
    if day > timezone.localdate(timezone=centre.tz):
        raise refuse(_("The day %(day)s has not come yet.") % {"day": f"{day:%Y-%m-%d}"})
    first = first_day(centre)
    if day < first:
        raise refuse(
            _("There is no daily log before %(first)s: the centre did not exist yet.")
            % {"first": f"{first:%Y-%m-%d}"}
        )
    return day


def recent_days(centre) -> list[date]:
    """Today and yesterday in the centre's zone, for the links to their daily logs."""
    today = timezone.localdate(timezone=centre.tz)
    return [today, today - timedelta(days=1)]


# --- the frozen report in the reader's language ---------------------------------------------


def _text(texts: dict, fallback: str = "") -> str:
    """A text kept in every language, in the reader's (or the first kept)."""
    language = (translation.get_language() or "").lower()
    return texts.get(language) or next(iter(texts.values()), fallback)


@dataclass
class ShownFigure:
    key: str
    label: str
    value: int | float | None
    unit: str
    rule: str


class Row(list):
    """Figures of one printed row, with ``pad`` empty places to fill the row."""

    pad: range = range(0)


@dataclass
class ShownSection:
    app: str
    title: str
    figures: list[ShownFigure]

    def rows(self, size: int = 3) -> list[Row]:
        """The figures ``size`` to a row, as the PDF prints them."""
        rows = []
        for start in range(0, len(self.figures), size):
            row = Row(self.figures[start : start + size])
            row.pad = range(size - len(row))
            rows.append(row)
        return rows


@dataclass
class ShownEntry:
    at: datetime | None
    author: str
    text: str
    site: str
    equipment: str
    correction: bool


@dataclass
class ShownCategory:
    category: str
    label: str
    entries: list[ShownEntry]


@dataclass
class ShownReport:
    report: ShiftReport
    sections: list[ShownSection]
    categories: list[ShownCategory]

    def __getattr__(self, name: str):
        """The frozen record's own fields (id, handover, starts_at …), read through."""
        if name.startswith("__") or name == "report":  # copying: no record yet
            raise AttributeError(name)
        return getattr(self.report, name)

    @property
    def entry_count(self) -> int:
        return sum(len(c.entries) for c in self.categories)


def _entry(raw: dict) -> ShownEntry:
    text = (logtexts.render(raw["verb"], raw["params"]) if raw.get("verb") else None) or raw["text"]
    return ShownEntry(
        at=parse_datetime(raw.get("at") or ""),
        author=raw.get("author", ""),
        text=text,
        site=raw.get("site", ""),
        equipment=raw.get("equipment", ""),
        correction=bool(raw.get("corrects")),
    )


def shown(report: ShiftReport) -> ShownReport:
    """The report as it was frozen, its texts in the reader's language (RPT-1)."""
    sections = [
        ShownSection(
            app=s["app"],
            title=_text(s["title"], s["app"]),
            figures=[
                ShownFigure(f["key"], _text(f["label"], f["key"]), f["value"], f["unit"], f["rule"])
                for f in s["figures"]
            ],
        )
        for s in report.figures
    ]
    categories = [
        ShownCategory(
            c["category"], _text(c["label"], c["category"]), [_entry(e) for e in c["entries"]]
        )
        for c in report.entries
    ]
    return ShownReport(report, sections, categories)
