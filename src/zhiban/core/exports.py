"""Excel export of any list with its filters applied (RPT-2). Rows are written in
openpyxl's write-only mode from an iterator, so a big export never holds the list in memory.

Every text cell is written as text: a value that a spreadsheet would read as a formula
(leading ``= + - @``, tab or carriage return — OWASP "CSV injection", ASVS 1.2.10) gets a
leading apostrophe, so a person named ``=HYPERLINK(…)`` stays a name in every export. Control
characters a worksheet cannot hold (XML 1.0) are left out instead of failing the export."""

from __future__ import annotations

import tempfile
from urllib.parse import quote

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .tables import Table, plain

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def xlsx_value(value):
    """A cell value for a spreadsheet: numbers stay numbers, text never starts a formula."""
    value = plain(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def write_xlsx(table: Table, rows, title: str, path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(table.columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    sheet.freeze_panes = "A2"
    header = [WriteOnlyCell(sheet, value=label) for label in table.headers()]
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    for obj in rows:
        sheet.append([xlsx_value(v) for v in table.cells(obj)])
    workbook.save(path)


def xlsx_response(table: Table, queryset, title: str, filename: str) -> FileResponse:
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes it
    write_xlsx(table, queryset.iterator(chunk_size=2000), title, handle)
    return xlsx_file_response(handle, filename)


def xlsx_file_response(handle, filename: str) -> FileResponse:
    """A written .xlsx file as a download named ``<filename>-<time>.xlsx``."""
    handle.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.xlsx"
    response = FileResponse(
        handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
