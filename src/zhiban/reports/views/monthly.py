"""The monthly operation report's pages (RPT-1, RPT-3, RPT-4): the last full month (or the
month a picker chose), one month's page of charts with its figures against the month before
and last year and its tables, its PDF and its workbook; the reports home's card."""

from __future__ import annotations

import tempfile
from functools import wraps

from django.shortcuts import redirect, render
from django.urls import path, reverse

from zhiban.core.errors import InvalidInput
from zhiban.core.exports import xlsx_file_response
from zhiban.core.pdf import pdf_response
from zhiban.core.permissions import Action
from zhiban.core.web import centre_page

from .. import monthly
from ..monthly import render as shown
from ..monthly.pdf import monthly_pdf
from ..monthly.workbook import monthly_xlsx

AREA = "reports"
C = "c/<str:code>/reports/monthly"


def _latest(centre):
    """The last full month, or the current one for a centre with no full month yet."""
    return max(monthly.last_full_month(centre), monthly.since(centre))


def _refused(request, centre, error: InvalidInput, month: str):
    context = {
        "centre": centre,
        "month": month,
        "errors": error.fields.get("month") or [error.text()],
        "latest": f"{_latest(centre):%Y-%m}",
    }
    return render(request, "reports/monthly.html", context, status=422)


def _month_report(view):
    """The view gets the report of the ``month`` in its address, or the page says why there is
    none (a month ahead or before the centre, 422, RPT-1)."""

    @wraps(view)
    def wrapper(request, centre, month):
        try:
            report = monthly.build(centre, monthly.parse_month(month))
        except InvalidInput as error:
            return _refused(request, centre, error, month)
        return view(request, centre, report)

    return wrapper


@centre_page(AREA, Action.REPORT_VIEW)
def monthly_latest(request, centre):
    """The month picker's answer (``?month=YYYY-MM``), else the last full month."""
    month = request.GET.get("month") or f"{_latest(centre):%Y-%m}"
    try:
        chosen = monthly.parse_month(month)
    except InvalidInput as error:
        return _refused(request, centre, error, month[:20])
    return redirect("reports:monthly", centre.code, f"{chosen:%Y-%m}")


@centre_page(AREA, Action.REPORT_VIEW)
@_month_report
def monthly_page(request, centre, report):
    """RPT-1, RPT-4: the month's charts, its figures against the month before and last year
    (▲ ▼ coloured by which way is better) and its tables."""
    context = {
        "centre": centre,
        "report": report,
        "month": f"{report.month:%Y-%m}",
        "months": shown.months(report),
        "sections": shown.sections(report),
        "latest": f"{_latest(centre):%Y-%m}",
        "previous": f"{monthly.shift_month(report.month, -1):%Y-%m}"
        if report.month > monthly.since(centre)
        else "",
        "next": f"{monthly.shift_month(report.month, 1):%Y-%m}"
        if report.month < monthly.this_month(centre)
        else "",
    }
    return render(request, "reports/monthly.html", context)


@centre_page(AREA, Action.REPORT_VIEW)
@_month_report
def monthly_pdf_view(request, centre, report):
    """RPT-3: the month's report as PDF (A4, Chinese text)."""
    return pdf_response(monthly_pdf(report), shown.filename(report, "pdf"))


@centre_page(AREA, Action.REPORT_VIEW)
@_month_report
def monthly_xlsx_view(request, centre, report):
    """RPT-1: the month's report as a workbook, a sheet per table."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes it
    monthly_xlsx(report, handle)
    return xlsx_file_response(handle, shown.filename(report, "xlsx").removesuffix(".xlsx"))


def home_context(request, centre) -> dict:
    """The reports home's card: last month's and this month's report."""
    last = monthly.last_full_month(centre)
    return {
        "monthly_last": f"{last:%Y-%m}" if last >= monthly.since(centre) else "",
        "monthly_this": f"{monthly.this_month(centre):%Y-%m}",
        "monthly_url": reverse("reports:monthly_latest", args=[centre.code]),
    }


URLS: list = [
    path(f"{C}/", monthly_latest, name="monthly_latest"),
    path(f"{C}/<str:month>.pdf", monthly_pdf_view, name="monthly_pdf"),
    path(f"{C}/<str:month>.xlsx", monthly_xlsx_view, name="monthly_xlsx"),
    path(f"{C}/<str:month>/", monthly_page, name="monthly"),
]
