"""Background jobs (Huey). Each job only calls services; the schedule lives here."""

from __future__ import annotations

import logging

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


@HUEY.on_startup()
def worker_started():
    """A worker thread starts: its heartbeat at once, not a minute later (issue 16)."""
    health.beat()


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat():
    """The job worker is alive (``/readyz``, ``zhiban doctor``; core/health.py); the jobs a
    stopped worker left running are failed (``jobs.fail_orphans``)."""
    from . import jobs

    health.beat()
    jobs.fail_orphans()


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
