"""Background jobs (Huey). Each job only calls services; the schedule lives here."""

from __future__ import annotations

import logging
import threading

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import audit, health, services

log = logging.getLogger(__name__)


@db_task()
def deliver_outbox():
    return services.outbox_deliver_due()


def kick_outbox() -> None:
    """After commit: deliver new messages now rather than at the next minute."""
    deliver_outbox()


@db_task()
def run_job(job_id: int):
    """A long piece of work with its progress (core.jobs, issue 15)."""
    from . import jobs

    return jobs.run(job_id)


_worker: dict = {}  # when this process's job worker started
_worker_lock = threading.Lock()


@HUEY.on_startup()
def worker_started():
    """A worker thread starts: its heartbeat at once, not a minute later (issue 16). The first
    thread of a worker fails the jobs that a stopped worker left running (``jobs.fail_orphans``);
    a job this worker claims starts after that moment."""
    health.beat()
    with _worker_lock:
        if "started" in _worker:
            return
        _worker["started"] = timezone.now()
    from . import jobs

    jobs.fail_orphans(before=_worker["started"])


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat():
    """The job worker is alive (``/readyz``, ``zhiban doctor``; core/health.py)."""
    health.beat()


@db_periodic_task(crontab(minute="*"))
def outbox_every_minute():
    """Retries: messages whose next attempt is due."""
    return services.outbox_deliver_due()


@db_periodic_task(crontab(minute="*"))
def deadlines_every_minute():
    """Warn, record breaches and escalate deadlines (core.services.deadlines_check)."""
    return services.deadlines_check()


@db_periodic_task(crontab(minute="*/5"))
def audit_checkpoint_every_5_minutes():
    """Note the audit chain's head outside the database (issue 10, docs/audit.md)."""
    return audit.checkpoint()


@db_periodic_task(crontab(minute="0"))
def backup_nightly():
    """Every hour on the hour: at ZHIBAN_BACKUP_HOUR, the nightly backup (issue 16)."""
    from . import backup

    made = backup.nightly() if backup.nightly_due() else None
    return made.name if made else None
