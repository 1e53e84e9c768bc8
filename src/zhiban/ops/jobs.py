"""Operation tickets' long work as jobs (issue 15; core.jobs): a month's tickets bound as one
PDF (月底统一装订, OPS-13, RPT-3), with the tickets laid out so far as its progress."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhiban.core import jobs
from zhiban.core.pdf import PDF
from zhiban.core.services import validated

from . import pdf, selectors
from .forms import TicketMonthForm
from .models import Executor

MONTH_PDF = "ops.month_pdf"


def month_pdf_title(centre, month, team) -> str:
    whose = Executor.CENTRE.label if team == Executor.CENTRE else (team.name if team else "")
    return " ".join(
        str(p)
        for p in (centre.name, whose, _("tickets of %(month)s") % {"month": f"{month:%Y-%m}"})
        if p
    )


def month_pdf(job, progress):
    """The month and team the person chose, checked again as the API checks them."""
    chosen = validated(TicketMonthForm, job.params, centre=job.centre).cleaned_data
    month, team = chosen["month"], chosen["team"]
    tickets = list(
        selectors.ticket_month(user=job.requested_by, centre=job.centre, month=month, team=team)
    )
    progress(0, len(tickets))
    content = pdf.month_pdf(tickets, centre=job.centre, month=month, team=team, progress=progress)
    return f"{job.centre.code}-tickets-{month:%Y-%m}.pdf", PDF, content


jobs.register(MONTH_PDF, month_pdf)
