"""A job whose worker stopped mid-run (SIGKILL, a restart of the machine) does not stay
"running" for ever (issue 15's jobs, issue 16's company shape). A running job's worker notes
every 30 s that it is alive; every minute the job worker fails the jobs not noted alive for
two minutes, with the reason, tells the requester with the link, and the import such a job ran
wrote nothing (one transaction). A job another live worker is running, and a queued job, are
left alone."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.translation import gettext

from zhiban.core import jobs, tasks
from zhiban.core.models import AuditEvent, Job, JobState, Notification
from zhiban.upkeep.models import AcceptancePoint

from ..upkeep.point_tables import GOOD as POINTS
from ..upkeep.point_tables import sheet_of, xlsx
from ..upkeep.test_point_table import PAGE

INTERRUPTED = "Interrupted: the job worker stopped while this ran. Start it again."


class WorkerKilled(BaseException):
    """What a killed worker looks like from inside a job: no ``except Exception`` catches it,
    so the job is never finished."""


@pytest.fixture
def killed_mid_import(world, web, settings, monkeypatch, django_capture_on_commit_callbacks):
    """The point-table import as a job (ACC-2), its worker dying at the first progress note,
    and a second import queued behind it."""
    settings.IMPORT_INLINE_BYTES = 0
    sheet = sheet_of(world)
    client = web(world.people["chief_a"])

    def dies(self, done, total=None, message=""):
        raise WorkerKilled

    monkeypatch.setattr(jobs.Progress, "__call__", dies)
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        client.post(PAGE.format(pk=sheet.pk), {"file": xlsx(POINTS), "version": sheet.version})
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=False):  # no worker takes it yet
        client.post(PAGE.format(pk=sheet.pk), {"file": xlsx(POINTS), "version": sheet.version})
    job = Job.objects.get(state=JobState.RUNNING)
    return client, job, sheet


def _every_minute(at):
    with time_machine.travel(at, tick=False):
        tasks.worker_heartbeat.call_local()


def test_the_worker_fails_a_job_whose_worker_stopped__issue_16(world, killed_mid_import):
    client, job, sheet = killed_mid_import
    queued = Job.objects.get(state=JobState.QUEUED)
    now = timezone.now()
    _every_minute(now + timedelta(seconds=60))  # too soon to tell
    job.refresh_from_db()
    assert job.state == JobState.RUNNING

    with time_machine.travel(now + timedelta(seconds=150), tick=False):
        jobs.HUEY.put(jobs._lease_key(job.pk), time.time())  # as a live worker notes it
    _every_minute(now + timedelta(seconds=180))
    job.refresh_from_db()
    assert job.state == JobState.RUNNING  # another worker is running it: left alone

    _every_minute(now + timedelta(seconds=300))  # not noted alive for 150 s
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.finished_at is not None
    with translation.override(world.people["chief_a"].language):  # in the requester's words
        assert job.message == gettext(INTERRUPTED)
    assert not AcceptancePoint.objects.filter(sheet=sheet).exists()  # ACC-2: nothing written
    html = client.get(jobs.page_url(job)).content.decode()
    assert 'data-state="failed"' in html and job.message in html
    told = Notification.objects.get(recipient=world.people["chief_a"], link=jobs.page_url(job))
    assert job.title in told.title
    _every_minute(now + timedelta(seconds=360))  # failed once, not again
    assert AuditEvent.objects.filter(verb="job.failed", object_id=str(job.pk)).count() == 1
    queued.refresh_from_db()
    assert queued.state == JobState.QUEUED  # waits for a worker, untouched
