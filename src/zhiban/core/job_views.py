"""A job's page (its progress bar polled with htmx, its file, its row-by-row report) and the
list of a person's recent jobs (issue 15; core.jobs)."""

from __future__ import annotations

from urllib.parse import quote

from django.http import FileResponse
from django.shortcuts import redirect, render

from . import jobs
from .actors import Source
from .errors import NotFound
from .models import JobState
from .web import centre_page


def start_and_show(request, centre, *, kind, title, params=None, upload=None):
    """A job the page starts as the person's web action (``jobs.job_start``), and its page,
    where its progress shows (RPT-2, RPT-3)."""
    job = jobs.job_start(
        actor=request.user,
        source=Source.WEB,
        centre=centre,
        kind=kind,
        title=title,
        params=params,
        upload=upload,
    )
    return redirect(jobs.page_url(job))


def _context(job) -> dict:
    return {
        "job": job,
        "percent": jobs.percent(job),
        "file_url": jobs.file_url(job),
        "running": job.state in (JobState.QUEUED, JobState.RUNNING),
    }


@centre_page("jobs")
def job(request, centre, pk):
    """The job's title, its progress, its file when done, its report (RPT-2, RPT-3)."""
    found = jobs.job_get(user=request.user, centre=centre, pk=pk)
    return render(request, "core/job.html", _context(found))


@centre_page("jobs")
def job_progress(request, centre, pk):
    """The progress part alone, polled every second until the job has ended."""
    found = jobs.job_get(user=request.user, centre=centre, pk=pk)
    return render(request, "core/job_progress.html", _context(found))


@centre_page("jobs")
def job_file(request, centre, pk):
    """The job's file, to people who may see the job (ORG-3); 404 while there is none."""
    found = jobs.job_get(user=request.user, centre=centre, pk=pk)
    path = jobs.stored(found.file_key)
    if not path.is_file():
        raise NotFound()
    response = FileResponse(path.open("rb"), content_type=found.file_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.file_name)}"
    return response


@centre_page("jobs")
def job_list(request, centre):
    """My recent jobs in this centre."""
    return render(
        request,
        "core/job_list.html",
        {"jobs": jobs.job_list_mine(user=request.user, centre=centre)},
    )


URLS = [
    ("c/<str:code>/jobs/", job_list, "jobs"),
    ("c/<str:code>/jobs/<int:pk>/", job, "job"),
    ("c/<str:code>/jobs/<int:pk>/progress/", job_progress, "job_progress"),
    ("c/<str:code>/jobs/<int:pk>/file/", job_file, "job_file"),
]
