"""A job the job worker was running when it stopped (SIGKILL, a restart of the machine) does
not stay "running" for ever (issue 15's job, issue 16's company shape): when a worker starts,
it fails every job a stopped worker left running, with the reason, tells the requester with the
link, and the import it ran wrote nothing (one transaction). Jobs queued but not started wait
for the new worker."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from zhiban.core import jobs, tasks
from zhiban.core.models import AuditEvent, Job, JobState, Notification
from zhiban.upkeep.models import AcceptancePoint

from ..upkeep.point_tables import GOOD as POINTS
from ..upkeep.point_tables import sheet_of, xlsx
from ..upkeep.test_point_table import PAGE

INTERRUPTED = "Interrupted: the job worker stopped while this ran. Start it again."


class WorkerKilled(BaseException):
    """What a killed worker thread looks like from inside a job: no ``except Exception``
    catches it, so the job is never finished."""


@pytest.fixture
def killed_mid_import(world, web, settings, monkeypatch, django_capture_on_commit_callbacks):
    """The point-table import as a job (ACC-2), its worker dying at the first progress note;
    the page of the job, still "running"."""
    settings.IMPORT_INLINE_BYTES = 0
    sheet = sheet_of(world)
    client = web(world.people["chief_a"])

    def dies(self, done, total=None, message=""):
        raise WorkerKilled

    monkeypatch.setattr(jobs.Progress, "__call__", dies)
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        client.post(PAGE.format(pk=sheet.pk), {"file": xlsx(POINTS), "version": sheet.version})
    monkeypatch.undo()
    job = Job.objects.get(kind="upkeep.points_import")
    assert job.state == JobState.RUNNING
    monkeypatch.setattr(tasks, "_worker", {})  # the next worker of this deployment
    return client, job, sheet


def test_a_starting_worker_fails_the_job_a_stopped_worker_left_running__issue_16(
    world, killed_mid_import, django_capture_on_commit_callbacks
):
    client, job, sheet = killed_mid_import
    with django_capture_on_commit_callbacks(execute=False):  # queued for the new worker
        client.post(PAGE.format(pk=sheet.pk), {"file": xlsx(POINTS), "version": sheet.version})
    queued = Job.objects.get(state=JobState.QUEUED)
    tasks.worker_started()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_at is not None
    with translation.override(world.people["chief_a"].language):  # in the requester's words
        assert job.message == gettext(INTERRUPTED)
    assert not AcceptancePoint.objects.filter(sheet=sheet).exists()  # ACC-2: nothing written
    page = client.get(jobs.page_url(job))
    assert page.status_code == 200
    assert 'data-state="failed"' in page.content.decode() and job.message in page.content.decode()
    told = Notification.objects.get(recipient=world.people["chief_a"], link=jobs.page_url(job))
    assert job.title in told.title
    assert AuditEvent.objects.filter(verb="job.failed", object_id=str(job.pk)).count() == 1
    tasks.worker_started()  # the worker's second thread: nothing more to do
    assert AuditEvent.objects.filter(verb="job.failed", object_id=str(job.pk)).count() == 1
    queued.refresh_from_db()
    assert queued.state == JobState.QUEUED  # waits for the new worker, untouched
