"""A shop's monthly customer records imported as a job (issue 15; core.jobs, CS-10): the
sheet's rows checked and written with their progress, every row or none, the row-by-row
report on the job's page, and the import made named and linked in the job's report."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from zhiban.core import jobs
from zhiban.core.permissions import Action

from .services import records as services

RECORDS_IMPORT = "service.records_import"


def records_import(job, progress) -> dict:
    """The month and shop the page's form took (validated there, and again here)."""
    with jobs.uploaded(job, "records.xlsx") as upload:
        batch = services.customer_import(
            actor=job.requested_by,
            source=job.source,
            centre=job.centre,
            data={"month": job.params["month"], "shop": job.params["shop"]},
            upload=upload,
            progress=progress,
        )
    summary = _(
        "Customer records of %(shop)s for %(month)s imported: %(rows)s rows, %(created)s "
        "created, %(updated)s updated (CS-10)."
    ) % {
        "shop": batch.shop,
        "month": f"{batch.month:%Y-%m}",
        "rows": batch.rows,
        "created": batch.created,
        "updated": batch.updated,
    }
    return {
        "summary": summary,
        "counts": {"rows": batch.rows, "created": batch.created, "updated": batch.updated},
        "import": batch.pk,
        "link": reverse("service:import_detail", args=[job.centre.code, batch.pk]),
    }


jobs.register(RECORDS_IMPORT, records_import, action=Action.SERVICE_RECORDS)
