"""``zhiban serve``: migrate if needed, then serve web and websockets (uvicorn) with the
in-process job worker (Huey threads) — the one-room shape of DESIGN.md."""

from __future__ import annotations

import logging

import uvicorn
from django.conf import settings
from django.core.management import BaseCommand, call_command


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

    def handle(self, *args, host, port, no_worker, **options):
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
                lifespan="off",
                log_level=logging.getLevelName(logging.getLogger().level).lower(),
                proxy_headers=True,
                forwarded_allow_ips="127.0.0.1",
            )
        finally:
            if consumer is not None:
                consumer.stop(graceful=True)
