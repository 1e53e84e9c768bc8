"""Alarms' background jobs (Huey). Each job only calls services; the schedule lives here."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def shelved_alarms_every_minute():
    """INC-2: shelved alarms whose expiry has passed return to the console."""
    return services.alarms_unshelve_expired()
