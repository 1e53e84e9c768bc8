"""The month-end statistics of operation counters per station as .xlsx (CNT-3): one row per
station, one column per month, the totals last; the same figures as the page's table."""

from __future__ import annotations

import tempfile

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from zhiban.core.exports import xlsx_file_response, xlsx_value

from .selectors.counters import Stats, kind_label


def stats_xlsx(stats: Stats, centre):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Month-end counts")[:31])
    sheet.column_dimensions["A"].width = 24
    title = kind_label(stats.kind) or _("all counters")
    sheet.append([xlsx_value(f"{centre.name} · {title}")])
    header = [_("station"), *(f"{m:%Y-%m}" for m in stats.months), _("total")]
    cells = [WriteOnlyCell(sheet, value=xlsx_value(str(h))) for h in header]
    for cell in cells:
        cell.font = Font(bold=True)
    sheet.append(cells)
    for row in stats.stations:
        sheet.append([xlsx_value(row.site), *row.figures, row.total])
    sheet.append([xlsx_value(_("total")), *stats.totals, stats.total])
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes it
    workbook.save(handle)
    return xlsx_file_response(handle, f"{centre.code}-counters-{stats.start:%Y%m}-{stats.end:%Y%m}")
