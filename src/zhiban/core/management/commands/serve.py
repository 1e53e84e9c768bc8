"""``zhiban serve``: migrate if needed, then serve web and websockets (uvicorn) with the
in-process job worker (Huey threads) — the one-room shape of DESIGN.md.

``--workers N`` serves from N uvicorn processes sharing the port. They are spawned, not
forked, so the job worker runs once, in this supervising process. Live pushes must reach
consoles connected to any of them, so several processes need ``REDIS_URL`` (the channel
layer in Redis)."""

from __future__ import annotations

import logging

import uvicorn
from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command


class Command(BaseCommand):
    help = "Migrate if needed, then serve Zhiban (web, websockets, background jobs)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not run jobs in this process (run `zhiban worker` instead).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Web processes sharing the port (1); more than one needs REDIS_URL.",
        )

    def handle(self, *args, host, port, no_worker, workers, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if workers > 1 and not settings.REDIS_URL:
            raise CommandError(
                "--workers above 1 needs REDIS_URL: live pushes must reach the consoles "
                "connected to every process"
            )
        call_command("migrate", interactive=False, verbosity=0)
        consumer = None
        if not no_worker:
            from huey.contrib.djhuey import HUEY

            consumer = HUEY.create_consumer(
                workers=2, worker_type="thread", periodic=True, check_worker_health=False
            )
            consumer.start()
        self.stdout.write(f"Zhiban on http://{host}:{port}/  (data: {settings.DATA_DIR})")
        try:
            uvicorn.run(
                "zhiban.asgi:application",
                host=host,
                port=port,
                workers=workers,
                lifespan="off",
                log_level=logging.getLevelName(logging.getLogger().level).lower(),
                proxy_headers=True,
                forwarded_allow_ips="127.0.0.1",
            )
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)
