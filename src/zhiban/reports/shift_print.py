"""The shift report and the daily log on paper and in a workbook (RPT-1, RPT-3): the PDF in
the layout of the duty book (值班记录: the shift, its people, the log by category, the shift's
figures, both signatures), a daily log being the day's shift reports bound, one after the
other; the .xlsx with one sheet per table — the shifts, the figures, the log entries."""

from __future__ import annotations

import tempfile
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhiban.core.exports import xlsx_file_response, xlsx_value
from zhiban.core.pdf import render_pdf
from zhiban.duty.selectors import crew

from .selectors.shift import ShownReport


def _people(report) -> dict:
    handover = report.handover
    return {"out": crew(handover.outgoing_shift), "in": crew(handover.incoming_shift)}


def shift_pdf(centre, reports: list[ShownReport], *, day: date | None = None) -> bytes:
    """One shift report (``day`` None) or the daily log of ``day``: A4, Chinese embedded."""
    return render_pdf(
        "reports/shift_pdf.html",
        {
            "centre": centre,
            "day": day,
            "reports": [(shown, _people(shown.report)) for shown in reports],
        },
        tz=centre.tz,
    )


def _sheet(workbook, title: str, headers: list[str], rows, widths: list[int]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([xlsx_value(v) for v in row])
    for index, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width


def _local(value, tz) -> str:
    return timezone.localtime(value, tz).strftime("%Y-%m-%d %H:%M") if value else ""


def shift_xlsx(centre, reports: list[ShownReport], filename: str):
    """The reports as a workbook: 班次 (one row a shift, with its signatures), 本班概况 (one row
    a figure) and 运行记事 (one row a log entry), one sheet each."""
    tz = centre.tz
    workbook = Workbook()
    workbook.remove(workbook.active)

    def shift_of(shown: ShownReport) -> str:
        return str(shown.handover.outgoing_shift)

    _sheet(
        workbook,
        _("Shifts"),
        [
            _("shift"),
            _("starts"),
            _("ends"),
            _("outgoing signed by"),
            _("outgoing signed"),
            _("incoming signed by"),
            _("incoming signed"),
            _("log entries"),
        ],
        [
            (
                shift_of(s),
                _local(s.report.starts_at, tz),
                _local(s.report.ends_at, tz),
                str(s.handover.outgoing_signed_by or ""),
                _local(s.handover.outgoing_signed_at, tz),
                str(s.handover.incoming_signed_by or ""),
                _local(s.handover.incoming_signed_at, tz),
                s.entry_count,
            )
            for s in reports
        ],
        [18, 18, 18, 16, 18, 16, 18, 10],
    )
    _sheet(
        workbook,
        _("Figures of the shift"),
        [_("shift"), _("section"), _("figure"), _("value"), _("unit"), _("rule")],
        [
            (shift_of(s), section.title, f.label, f.value, f.unit, f.rule)
            for s in reports
            for section in s.sections
            for f in section.figures
        ],
        [18, 20, 32, 10, 8, 10],
    )
    _sheet(
        workbook,
        _("Duty log"),
        [_("shift"), _("category"), _("time"), _("entry"), _("site"), _("equipment"), _("author")],
        [
            (shift_of(s), c.label, _local(e.at, tz), e.text, e.site, e.equipment, e.author)
            for s in reports
            for c in s.categories
            for e in c.entries
        ],
        [18, 16, 18, 60, 16, 20, 12],
    )
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes it
    workbook.save(handle)
    return xlsx_file_response(handle, filename)
