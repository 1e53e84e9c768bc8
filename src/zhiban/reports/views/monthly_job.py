"""The monthly report's "prepare PDF" button: the month checked, the PDF prepared as a job and
its page shown with the progress (issue 15; RPT-1, RPT-3)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiban.core.job_views import start_and_show
from zhiban.core.permissions import Action
from zhiban.core.web import centre_page

from .. import monthly
from ..jobs import MONTHLY_PDF


@centre_page("reports", Action.REPORT_VIEW)
@require_POST
def monthly_pdf_job(request, centre, month):
    """A month ahead or before the centre is refused (422, RPT-1) before any job starts."""
    chosen = monthly.parse_month(month)
    monthly.check_month(centre, chosen)
    return start_and_show(
        request,
        centre,
        kind=MONTHLY_PDF,
        title=f"{centre.name} · {_('Monthly report')} {chosen:%Y-%m} · PDF",
        params={"month": f"{chosen:%Y-%m}"},
    )


URLS: list = [
    path(
        "c/<str:code>/reports/monthly/<str:month>/prepare-pdf/",
        monthly_pdf_job,
        name="monthly_pdf_job",
    )
]
