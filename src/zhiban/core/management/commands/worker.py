"""``zhiban worker``: a separate job process (deadlines, outbox, escalations), for when web
processes run with ``--no-worker`` (scale-out on Redis)."""

from __future__ import annotations

import logging

from django.core.management import BaseCommand
from huey.contrib.djhuey import HUEY

log = logging.getLogger("zhiban.worker")


class Command(BaseCommand):
    help = "Run the background job worker (Huey consumer with the periodic jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, workers, **options):
        consumer = HUEY.create_consumer(workers=workers, worker_type="thread", periodic=True)
        log.info("Zhiban worker: %s threads on %s", workers, type(HUEY.storage).__name__)
        consumer.run()
