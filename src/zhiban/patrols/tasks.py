"""Patrol jobs (Huey): the rounds due from the plans, and the missed ones (PAT-2, PAT-3).
Each job only calls services."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhiban.core.actors import SCHEDULER, Source
from zhiban.org.models import Centre

from . import services
from .panels import PATROL_CENTRES


@db_periodic_task(crontab(minute="*/5"))
def rounds_every_5_minutes() -> dict:
    """Generate the rounds due within a day for every patrol centre, then mark the rounds
    whose window has ended undone as missed and tell the shift leaders."""
    added = 0
    for centre in Centre.objects.filter(active=True, kind__in=PATROL_CENTRES):
        added += services.rounds_generate(actor=SCHEDULER, source=Source.JOB, centre=centre)
    missed = services.rounds_mark_missed(actor=SCHEDULER, source=Source.JOB)
    return {"added": added, "missed": missed}
