"""Sites and equipment imports as jobs (issue 15; core.jobs, ORG-2): a row at a time with its
progress, every row or none, the row-by-row report on the job's page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhiban.core import jobs
from zhiban.core.permissions import Action

from . import importing

IMPORT = "org.import"


def import_sheet(job, progress) -> dict:
    with jobs.uploaded(job, "upload.xlsx") as upload:
        counts = importing.run(
            job.params["kind"],
            actor=job.requested_by,
            source=job.source,
            centre=job.centre,
            upload=upload,
            progress=progress,
        )
    summary = _("Imported: %(c)s new, %(u)s updated, %(n)s unchanged.") % {
        "c": counts["created"],
        "u": counts["updated"],
        "n": counts["unchanged"],
    }
    return {"summary": summary, "counts": counts}


jobs.register(IMPORT, import_sheet, action=Action.ORG_MANAGE)
