"""Upkeep imports as jobs (issue 15; core.jobs): the month-end counts (CNT-3) and a
commissioning sheet's four-remote point table (ACC-2), each checked and written with its
progress, every row or none, the row-by-row report on the job's page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhiban.core import jobs
from zhiban.core.permissions import Action

from .services import counters as services
from .services import point_table as point_table_services

COUNTS_IMPORT = "upkeep.counts_import"
POINTS_IMPORT = "upkeep.points_import"


def counts_import(job, progress) -> dict:
    with jobs.uploaded(job, "counts.xlsx") as upload:
        result = services.counter_import(
            actor=job.requested_by,
            source=job.source,
            centre=job.centre,
            upload=upload,
            progress=progress,
        )
    summary = _(
        "Imported %(n)s rows: %(c)s changed a count, %(o)s counters opened, %(f)s reached "
        "their limit."
    ) % {"n": result["rows"], "c": result["changed"], "o": result["opened"], "f": result["full"]}
    return {"summary": summary, "counts": result}


def points_import(job, progress) -> dict:
    """ACC-2: the table into the sheet and version the page checked before starting the job;
    a sheet changed or no longer being prepared since then fails the job (409's message)."""
    with jobs.uploaded(job, "points.xlsx") as upload:
        done = point_table_services.points_import(
            actor=job.requested_by,
            source=job.source,
            sheet_id=job.params["sheet"],
            version=job.params["version"],
            file=upload,
            progress=progress,
        )
    summary = _("%(count)s points imported (ACC-2).") % {"count": done.points}
    return {
        "summary": summary,
        "counts": {"points": done.points},
        "sheet": done.sheet.pk,
        "version": done.sheet.version,
    }


jobs.register(COUNTS_IMPORT, counts_import, action=Action.COUNTER_ENTER)
jobs.register(POINTS_IMPORT, points_import, action=Action.ACCEPTANCE_PREPARE)
