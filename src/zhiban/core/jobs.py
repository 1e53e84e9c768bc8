"""Long work as background jobs with progress (issue 15; RPT-2, RPT-3): a month's tickets as
one PDF, the monthly report's PDF, the .xlsx imports, a big list export.

An app declares a kind in its ``jobs.py`` (found by ``autodiscover_modules``)::

    jobs.register("ops.month_pdf", runner, action=Action.OPS_VIEW)

``runner(job, progress)`` does the work as ``job.requested_by`` and returns either a file,
``(filename, content_type, bytes or Path)``, or a report (a dict shown on the job's page: an
import's ``summary`` and counts, a ``link`` to what it made). It calls ``progress(done, total, message="")`` as often as it likes; the count
is noted at most every ``PROGRESS_EVERY`` seconds. A refusal (``DomainError``, e.g. an import's
bad rows) fails the job with its message and its ``rows``; any other error fails it with a
plain message (the traceback goes to the log, never to the reader).

The one door for writes (DESIGN-1): ``job_start`` (a person's recorded action, audited) and the
job's end (done or failed, audited, the requester notified with the link). Progress counts are
not changes of record and are not audited: they are kept in Huey's key-value store, not the
database, so that they are seen while the work runs inside its own transaction (an import
writes all its rows or none), by the web process as by a separate ``zhiban worker``.

A job's file lives under ``DATA_DIR / "jobs"`` with a name this module makes (never a path
from input) and is served only to people of the job's centre whose roles allow its kind's
``action`` (ORG-3); an uploaded file the job reads is kept there too and deleted after."""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from huey.contrib.djhuey import HUEY

from . import audit, scoping
from .actors import Source, SystemActor
from .errors import DomainError, NotFound
from .models import Job, JobState, Level
from .notify import Message, notify

log = logging.getLogger(__name__)

JOBS = SystemActor("jobs")
PROGRESS_EVERY = 0.5  # seconds between two notes of a job's count
LEASE_EVERY = 30  # seconds between two notes that a running job's worker is alive
LEASE_LOST = 120  # a running job not noted alive for this long has lost its worker
INTERRUPTED = _("Interrupted: the job worker stopped while this ran. Start it again.")
KEY = re.compile(r"^[0-9]+-[0-9a-f]{16}(\.[a-z0-9]{1,8})?$")

Runner = Callable[[Job, "Progress"], object]


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Kind:
    runner: Runner
    action: str
    personal: bool  # seen by its requester only (an export of lists the roles filter)


_kinds: dict[str, Kind] = {}
_discovered: list[bool] = []


def register(kind: str, runner: Runner, *, action: str = "org.view", personal=False) -> None:
    """Declare a job kind; ``action`` is what a person needs in the centre to start it and to
    see its page and file; a ``personal`` kind's jobs are seen by their requester only."""
    _kinds[kind] = Kind(runner, action, personal)


def kind_of(name: str) -> Kind | None:
    if not _discovered:
        autodiscover_modules("jobs")
        _discovered.append(True)
    return _kinds.get(name)


# --- files ----------------------------------------------------------------------------------


def folder() -> Path:
    path = Path(settings.DATA_DIR) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _new_key(job_id: int, suffix: str) -> str:
    suffix = suffix.lower() if re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix or "") else ""
    return f"{job_id}-{secrets.token_hex(8)}{suffix}"


def stored(key: str) -> Path:
    """The file of a key this module made; anything else is not ours (404)."""
    if not KEY.match(key or ""):
        raise NotFound()
    return folder() / key


def upload_path(job: Job) -> Path:
    """The uploaded file a job reads (``job_start(upload=…)``)."""
    return stored(job.params.get("upload", ""))


@contextlib.contextmanager
def uploaded(job: Job, default_name: str):
    """The job's upload, open, as a file named as it was uploaded (``params["file_name"]``),
    for an import service that reads an uploaded file."""
    with upload_path(job).open("rb") as handle:
        yield File(handle, name=job.params.get("file_name", default_name))


# --- progress -------------------------------------------------------------------------------


def _progress_key(job_id: int) -> str:
    return f"zhiban-job-progress-{job_id}"


class Progress:
    """``progress(done, total, message="")``: noted at most every PROGRESS_EVERY seconds, and
    always when the count reaches the total."""

    def __init__(self, job: Job):
        self.job = job
        self.done, self.total, self.message = 0, job.total, ""
        self._noted = 0.0

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        self.done = done
        self.total = self.total if total is None else total
        self.message = str(message) or self.message
        now = time.monotonic()
        if now - self._noted >= PROGRESS_EVERY or self.done >= self.total:
            self._noted = now
            HUEY.put(_progress_key(self.job.pk), (self.done, self.total, self.message))


def _lease_key(job_id: int) -> str:
    return f"zhiban-job-lease-{job_id}"


@contextlib.contextmanager
def _leased(job_id: int):
    """While the job runs, a thread of its worker notes every LEASE_EVERY seconds that it is
    alive (in Huey's store, like the progress); a killed worker stops noting (fail_orphans)."""
    stop = threading.Event()

    def note():
        while True:
            HUEY.put(_lease_key(job_id), time.time())
            if stop.wait(LEASE_EVERY):
                return

    thread = threading.Thread(target=note, name=f"job-{job_id}-lease", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        HUEY.get(_lease_key(job_id))  # read without peeking: removed


def live(job: Job) -> Job:
    """The job with its latest count while it runs (from the Huey store)."""
    if job.state == JobState.RUNNING:
        noted = HUEY.get(_progress_key(job.pk), peek=True)
        if noted:
            job.done, job.total, message = noted
            job.message = message or job.message
    return job


def percent(job: Job) -> int:
    if job.state == JobState.DONE:
        return 100
    return min(100, job.done * 100 // job.total) if job.total else 0


# --- reads ----------------------------------------------------------------------------------


def job_get(*, user, centre, pk) -> Job:
    """A job of the centre that the person's roles there let them see (ORG-3); else 404."""
    job = Job.objects.filter(centre=centre, pk=pk).select_related("centre").first()
    if job is None:
        raise NotFound()
    kind = kind_of(job.kind)
    if kind is None or not scoping.can(user, kind.action, centre):
        raise NotFound()
    if kind.personal and job.requested_by_id != user.pk:
        raise NotFound()
    return live(job)


def job_list_mine(*, user, centre, limit: int = 20) -> list[Job]:
    jobs = Job.objects.filter(centre=centre, requested_by=user)[:limit]
    return [live(j) for j in jobs]


def page_url(job: Job) -> str:
    return reverse("core:job", args=[job.centre.code, job.pk])


def file_url(job: Job) -> str:
    return reverse("core:job_file", args=[job.centre.code, job.pk]) if job.file_key else ""


# --- writes ---------------------------------------------------------------------------------


def job_start(
    *, actor, source, centre, kind: str, title: str, params: dict | None = None, upload=None
) -> Job:
    """Queue a job (a recorded action); it runs after commit. ``upload`` (an uploaded file) is
    kept for the job under a name of its own and deleted when the job ends."""
    declared = kind_of(kind)
    if declared is None:
        raise NotFound()
    scoping.require(actor, declared.action, centre)
    with transaction.atomic():
        job = Job.objects.create(
            centre=centre,
            requested_by=actor,
            source=str(source),
            kind=kind,
            title=str(title)[:200],
            params=dict(params or {}),
        )
        if upload is not None:
            key = _new_key(job.pk, Path(getattr(upload, "name", "")).suffix)
            with open(folder() / key, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            job.params["upload"] = key
            job.save(update_fields=["params"])
        audit.record(
            actor=actor,
            source=source,
            verb="job.start",
            obj=job,
            centre=centre,
            after={"kind": kind, "title": job.title, "params": job.params},
        )
        from .tasks import run_job

        transaction.on_commit(lambda: run_job(job.pk))
    return job


def _claim(job_id: int) -> Job | None:
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, state=JobState.QUEUED).first()
        if job is None:
            return None
        job.state, job.started_at = JobState.RUNNING, timezone.now()
        job.save(update_fields=["state", "started_at"])
    return Job.objects.select_related("centre", "requested_by").get(pk=job_id)


def run(job_id: int) -> str | None:
    """Run a queued job to its end (the Huey task ``core.tasks.run_job``)."""
    job = _claim(job_id)
    if job is None:
        return None
    progress = Progress(job)
    person = job.requested_by
    outcome: dict = {}
    with _leased(job.pk), translation.override(person.language), timezone.override(job.centre.tz):
        try:
            kind = kind_of(job.kind)
            if kind is None:
                raise LookupError(f"no job kind {job.kind}")
            result = kind.runner(job, progress)
            outcome = _outcome_of(job, result)
        except DomainError as refusal:
            outcome = {
                "state": JobState.FAILED,
                "message": refusal.text(),
                "report": {"rows": getattr(refusal, "rows", [])},
            }
        except Exception:  # the reader gets a plain message; the log gets the traceback
            log.exception("job %s (%s) failed", job.pk, job.kind)
            outcome = {
                "state": JobState.FAILED,
                "message": str(_("The work failed; the administrator can read why in the log.")),
                "error": "see the log",
            }
        finally:
            if "upload" in job.params:
                upload_path(job).unlink(missing_ok=True)
    _finish(job, progress, **outcome)
    return outcome["state"]


def fail_orphans() -> int:
    """Jobs whose worker stopped mid-run (killed, the machine restarted): running, started
    over LEASE_LOST seconds ago and not noted alive since (``_leased``). Each is failed with the
    reason and its requester told; an import in it wrote nothing (one transaction). The job
    worker looks every minute (core.tasks); a job of a live worker, of any number of workers,
    is noted alive and left alone. Returns how many were failed."""
    lost = time.time() - LEASE_LOST
    started = timezone.now() - timedelta(seconds=LEASE_LOST)
    failed = 0
    running = Job.objects.filter(state=JobState.RUNNING, started_at__lt=started)
    for pk in running.values_list("pk", flat=True):
        noted = HUEY.get(_lease_key(pk), peek=True)
        if noted is not None and noted > lost:
            continue
        with transaction.atomic():
            still = Job.objects.select_for_update(of=("self",)).filter(
                pk=pk, state=JobState.RUNNING
            )
            if still.first() is None:
                continue
            job = live(Job.objects.select_related("centre", "requested_by").get(pk=pk))
            progress = Progress(job)
            progress.done = job.done
            with translation.override(job.requested_by.language):
                message = str(INTERRUPTED)
            _finish(job, progress, state=JobState.FAILED, message=message, error="worker stopped")
        if "upload" in job.params:
            upload_path(job).unlink(missing_ok=True)
        failed += 1
    if failed:
        log.warning("%s job(s) whose worker stopped were failed", failed)
    return failed


def _outcome_of(job: Job, result) -> dict:
    if isinstance(result, dict):
        return {"state": JobState.DONE, "report": result}
    filename, content_type, content = result
    key = _new_key(job.pk, Path(filename).suffix)
    target = folder() / key
    if isinstance(content, Path):
        content.replace(target)
    else:
        target.write_bytes(content)
    return {
        "state": JobState.DONE,
        "file_key": key,
        "file_name": Path(filename).name[:200],
        "file_type": content_type,
    }


def _finish(job: Job, progress: Progress, *, state, message="", report=None, error="", **file):
    with transaction.atomic():
        job = (
            Job.objects.select_for_update(of=("self",))  # not its centre: see _deadline_step
            .select_related("centre", "requested_by")
            .get(pk=job.pk)
        )
        job.state, job.finished_at = state, timezone.now()
        job.total = max(progress.total, progress.done)
        job.done = job.total if state == JobState.DONE else progress.done
        job.message = str(message or progress.message)[:300]
        job.report = report or {}
        job.error = error
        for name, value in file.items():
            setattr(job, name, value)
        job.save()
        audit.record(
            actor=JOBS,
            source=Source.JOB,
            verb=f"job.{state}",
            obj=job,
            centre=job.centre,
            after={"state": state, "message": job.message, "file": job.file_name},
        )
        title = _("Ready: %(title)s") if state == JobState.DONE else _("Failed: %(title)s")
        notify(
            actor=JOBS,
            source=Source.JOB,
            people=[job.requested_by],
            centre=job.centre,
            title=Message(title, {"title": job.title}),
            body=job.message,
            link=page_url(job),
            level=Level.INFO if state == JobState.DONE else Level.WARNING,
            email=False,
            chat=False,
            regarding=job,
        )
    HUEY.delete(_progress_key(job.pk))


# --- a big list's export --------------------------------------------------------------------

EXPORT = "core.export"


def export_start(*, actor, centre, resource, query) -> Job:
    """A list longer than EXPORT_INLINE_ROWS exported as a job (RPT-2). The job keeps what the
    person asked for — the list's key and its filters — not the query: the worker builds the
    list again through the same scoped selector and FilterSet, as the person."""
    params = query.copy()
    for name in ("export", "page"):
        params.pop(name, None)
    job = job_start(
        actor=actor,
        source=Source.WEB,
        centre=centre,
        kind=EXPORT,
        title=f"{resource.label_plural} (.xlsx)",
        params={"resource": f"{resource.namespace}:{resource.key}", "query": params.urlencode()},
    )
    return job


def _export(job: Job, progress: Progress):
    from django.http import QueryDict
    from django.urls import get_resolver

    from .exports import write_xlsx
    from .web import RESOURCES

    get_resolver().url_patterns  # noqa: B018 — the URL modules declare the lists (resource_urls)
    r = RESOURCES[job.params["resource"]]
    query = QueryDict(job.params["query"])
    filters = r.filterset(
        query or None, queryset=r.list(user=job.requested_by, centre=job.centre), request=None
    )
    rows = filters.qs if filters.is_bound and filters.is_valid() else filters.queryset
    total = rows.count()
    progress(0, total)
    path = folder() / _new_key(job.pk, ".part")
    try:
        write_xlsx(
            r.table,
            rows.iterator(chunk_size=2000),
            str(r.label_plural),
            path,
            progress=lambda n: progress(n, total),
        )
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{job.centre.code}-{r.key}-{stamp}.xlsx", XLSX, path


register(EXPORT, _export, personal=True)
