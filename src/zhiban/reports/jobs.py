"""The monthly report's PDF as a job (issue 15; core.jobs, RPT-1, RPT-3): the figures
assembled, then the pages drawn, with the step as its progress; the file and a notification
with the link when done. Found by ``core.jobs`` (``autodiscover_modules("jobs")``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhiban.core import jobs
from zhiban.core.pdf import PDF
from zhiban.core.permissions import Action

from . import monthly
from .monthly.pdf import monthly_pdf
from .monthly.render import filename

MONTHLY_PDF = "reports.monthly_pdf"


def monthly_pdf_job(job, progress):
    """The month is checked again here (a month ahead or before the centre: refused, RPT-1)."""
    month = monthly.parse_month(job.params.get("month", ""))
    progress(0, 2, _("Assembling the figures"))
    report = monthly.build(job.centre, month)
    progress(1, 2, _("Drawing the PDF"))
    return filename(report, "pdf"), PDF, monthly_pdf(report)


jobs.register(MONTHLY_PDF, monthly_pdf_job, action=Action.REPORT_VIEW)
