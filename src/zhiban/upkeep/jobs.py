"""The month-end counts import as a job (issue 15; core.jobs, CNT-3): its rows written with
their progress, every row or none, the row-by-row report on the job's page."""

from __future__ import annotations

from django.core.files import File
from django.utils.translation import gettext as _

from zhiban.core import jobs
from zhiban.core.permissions import Action

from .services import counters as services

COUNTS_IMPORT = "upkeep.counts_import"


def counts_import(job, progress) -> dict:
    with jobs.upload_path(job).open("rb") as handle:
        result = services.counter_import(
            actor=job.requested_by,
            source=job.source,
            centre=job.centre,
            upload=File(handle, name=job.params.get("file_name", "counts.xlsx")),
            progress=progress,
        )
    summary = _(
        "Imported %(n)s rows: %(c)s changed a count, %(o)s counters opened, %(f)s reached "
        "their limit."
    ) % {"n": result["rows"], "c": result["changed"], "o": result["opened"], "f": result["full"]}
    return {"summary": summary, "counts": result}


jobs.register(COUNTS_IMPORT, counts_import, action=Action.COUNTER_ENTER)
