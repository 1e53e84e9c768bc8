"""The monthly operation report over HTTP (RPT-1, RPT-3) under
/api/centres/{code}/reports/monthly/{month}: its sections with each figure against the month
before and the same month last year and its tables (JSON), its PDF and its workbook. Another
centre's: 404; a month ahead or before the centre existed: 422 on ``month``."""

import tempfile
from typing import Annotated, Any

from ninja import Field, Router, Schema

from zhiban.core.api import XLSX, centre_of
from zhiban.core.exports import xlsx_file_response
from zhiban.core.pdf import PDF, pdf_response
from zhiban.core.permissions import Action
from zhiban.core.tables import plain

from .. import monthly
from ..monthly import render as shown
from ..monthly.pdf import monthly_pdf
from ..monthly.workbook import monthly_xlsx

router = Router()
TAG = "reports: monthly"
BASE = "/centres/{code}/reports/monthly/{month}"
Month = Annotated[str, Field(max_length=7, pattern=r"^\d{4}-\d{2}$", examples=["2026-11"])]
Number = int | float | None


class MonthlyFigureOut(Schema):
    key: str
    label: str
    unit: str
    better: str
    rule: str
    value: Number
    previous: Number
    last_year: Number


class MonthlyTableOut(Schema):
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


class MonthlySectionOut(Schema):
    key: str
    title: str
    figures: list[MonthlyFigureOut]
    tables: list[MonthlyTableOut]


class MonthlyReportOut(Schema):
    centre: str
    month: str
    previous: str
    last_year: str
    generated_at: str
    sections: list[MonthlySectionOut]


def _out(report) -> dict:
    names = shown.months(report)
    return {
        "centre": report.centre.code,
        "month": names["month"],
        "previous": names["previous"],
        "last_year": names["last_year"],
        "generated_at": report.generated_at.isoformat(),
        "sections": [
            {
                "key": section.key,
                "title": str(section.title),
                "figures": [
                    {
                        "key": c.figure.key,
                        "label": str(c.figure.label),
                        "unit": c.figure.unit,
                        "better": c.figure.better,
                        "rule": c.figure.rule,
                        "value": c.figure.value,
                        "previous": c.previous,
                        "last_year": c.last_year,
                    }
                    for c in section.compared
                ],
                "tables": [
                    {
                        "key": table.key,
                        "title": str(table.title),
                        "headers": [str(h) for h in table.headers],
                        "rows": [[plain(v) for v in cells] for cells in table.rows],
                    }
                    for table in section.tables
                ],
            }
            for section in report.sections
        ],
    }


def _report(request, code: str, month: str):
    centre = centre_of(request, code, Action.REPORT_VIEW)
    return monthly.build(centre, monthly.parse_month(month))


# the files' paths first: ``{month}`` would take "2026-11.pdf" and refuse it
@router.get(
    BASE + ".pdf",
    tags=[TAG],
    operation_id="monthly_report_pdf",
    openapi_extra={"responses": {200: {"description": "PDF", "content": {PDF: {}}}}},
)
def monthly_report_pdf(request, code: str, month: Month):
    """RPT-3: the month's report as PDF (A4, Chinese text, the charts drawn)."""
    report = _report(request, code, month)
    return pdf_response(monthly_pdf(report), shown.filename(report, "pdf"))


@router.get(
    BASE + ".xlsx",
    tags=[TAG],
    operation_id="monthly_report_xlsx",
    openapi_extra={"responses": {200: {"description": "xlsx", "content": {XLSX: {}}}}},
)
def monthly_report_xlsx(request, code: str, month: Month):
    """RPT-1: the month's report as a workbook: the figures, then a sheet per table."""
    report = _report(request, code, month)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes it
    monthly_xlsx(report, handle)
    return xlsx_file_response(handle, shown.filename(report, "xlsx").removesuffix(".xlsx"))


@router.get(BASE, response=MonthlyReportOut, tags=[TAG], operation_id="monthly_report")
def monthly_report(request, code: str, month: Month):
    """RPT-1: the month's report (the current month so far), each figure beside the month
    before and the same month last year (null before the centre existed)."""
    return _out(_report(request, code, month))
