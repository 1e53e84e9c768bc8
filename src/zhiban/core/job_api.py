"""A job's state and file through the API (issue 15; core.jobs): another centre's job, or one
the caller's roles do not let them see, is 404 (ORG-3)."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from django.http import FileResponse
from ninja import Router, Schema

from . import jobs
from .api import Id, centre_of
from .errors import NotFound

router = Router()


class JobOut(Schema):
    id: int
    kind: str
    title: str
    state: str
    done: int
    total: int
    percent: int
    message: str
    report: dict
    file_name: str
    download_url: str
    page_url: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _out(job) -> dict:
    return {
        **{f: getattr(job, f) for f in JobOut.model_fields if hasattr(job, f)},
        "percent": jobs.percent(job),
        "download_url": f"/api/centres/{job.centre.code}/jobs/{job.pk}/file"
        if job.file_key
        else "",
        "page_url": jobs.page_url(job),
    }


@router.get("/centres/{code}/jobs/{pk}", response=JobOut, tags=["jobs"], operation_id="job_get")
def job_get(request, code: str, pk: Id):
    """A job's state and progress; ``download_url`` once its file is ready (RPT-2, RPT-3)."""
    job = jobs.job_get(user=request.user, centre=centre_of(request, code), pk=pk)
    return _out(job)


@router.get(
    "/centres/{code}/jobs/{pk}/file",
    tags=["jobs"],
    operation_id="job_file",
    openapi_extra={"responses": {200: {"description": "The job's file"}}},
)
def job_file(request, code: str, pk: Id):
    """The job's file (404 until it is ready)."""
    job = jobs.job_get(user=request.user, centre=centre_of(request, code), pk=pk)
    path = jobs.stored(job.file_key)
    if not path.is_file():
        raise NotFound()
    response = FileResponse(path.open("rb"), content_type=job.file_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.file_name)}"
    return response
