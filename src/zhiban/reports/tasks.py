"""Reports' jobs (Huey): delivering the subscribed reports and noting the ones that bounced
(RPT-1). Each job only calls services; the schedule lives here."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhiban.core.actors import SCHEDULER, Source

from .services import deliveries, shift


@db_periodic_task(crontab(minute="5"))
def reports_deliver_hourly():
    """Every hour: the daily logs and monthly reports due in some centre's morning (each
    centre's own zone, so every hour may be some centre's 06:05)."""
    return deliveries.deliveries_send()


@db_periodic_task(crontab(minute="*/10"))
def report_bounces_every_10_minutes():
    """Deliveries the outbox gave up on: recorded and reported to who subscribed."""
    return deliveries.bounces_check()


@db_periodic_task(crontab(minute="*/10"))
def shift_reports_catch_up_every_10_minutes():
    """A shift report for any handover whose take-over could not assemble one (RPT-1)."""
    since = timezone.now() - timedelta(days=2)
    return shift.shift_reports_catch_up(actor=SCHEDULER, source=Source.JOB, since=since)
