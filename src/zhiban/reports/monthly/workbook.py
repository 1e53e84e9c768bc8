"""The monthly report as a workbook (RPT-1, RPT-2): a first sheet of every figure with the
month, the month before and the same month last year, then one sheet per table. openpyxl's
write-only mode; each cell through ``core.exports.xlsx_value`` (no formula from a name)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from zhiban.core.exports import xlsx_value

from . import MonthlyReport
from .render import all_rows, months

NOT_IN_NAME = re.compile(r"[\[\]:*?/\\]")


def sheet_title(title: str, taken: set[str]) -> str:
    """A sheet name Excel accepts (31 characters, none of []:*?/\\), unique in the book."""
    base = NOT_IN_NAME.sub(" ", title).strip()[:31] or "-"
    name, number = base, 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _header(sheet, labels) -> None:
    cells = [WriteOnlyCell(sheet, value=xlsx_value(str(label))) for label in labels]
    for cell in cells:
        cell.font = Font(bold=True)
    sheet.append(cells)


def monthly_xlsx(report: MonthlyReport, path_or_handle) -> None:
    """RPT-1: the report written to ``path_or_handle`` as .xlsx."""
    book = Workbook(write_only=True)
    taken: set[str] = set()
    names = months(report)
    figures = book.create_sheet(sheet_title(str(_("Figures")), taken))
    figures.freeze_panes = "A2"
    _header(
        figures,
        [
            _("Section"),
            _("Figure"),
            _("Unit"),
            names["month"],
            names["previous"],
            names["last_year"],
            _("Rule"),
        ],
    )
    for row in all_rows(report):
        values = (row.section, row.label, row.unit, row.value, row.previous, row.last_year)
        figures.append([xlsx_value(v) for v in (*values, row.rule)])
    for section in report.sections:
        for table in section.tables:
            sheet = book.create_sheet(sheet_title(str(table.title), taken))
            sheet.freeze_panes = "A2"
            _header(sheet, table.headers)
            for cells in table.rows:
                sheet.append([xlsx_value(v) for v in cells])
    book.save(path_or_handle)
