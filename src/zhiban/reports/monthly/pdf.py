"""The monthly report printed (RPT-3): A4 with Chinese text, its charts drawn as SVG
(``core.chart_svg``) beside the same figures and tables as the page. A plain function of the
report, so a background job can print it as well as a view."""

from __future__ import annotations

from zhiban.core.pdf import render_pdf

from . import MonthlyReport
from .render import months, sections


def monthly_pdf(report: MonthlyReport) -> bytes:
    """RPT-3: the report as PDF bytes."""
    context = {
        "report": report,
        "centre": report.centre,
        "months": months(report),
        "sections": sections(report, svg=True),
    }
    return render_pdf("reports/monthly_pdf.html", context, tz=report.centre.tz)
