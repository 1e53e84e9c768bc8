"""``zhiban serve``: migrate if needed, then serve web and websockets (uvicorn) with the
in-process job worker (Huey threads) — the one-room shape of DESIGN.md.

``--workers N`` serves from N uvicorn processes sharing the port. They are spawned, not
forked, so the job worker runs once, in this supervising process. Live pushes must reach
consoles connected to any of them, so several processes need ``REDIS_URL`` (the channel
layer in Redis).

``--mqtt URL`` also runs the MQTT gateway (INC-1, ADR 0008) in this
process, in the same share group as any ``zhiban ingest mqtt``: in one room, without Redis,
its live pushes then reach the open consoles."""

from __future__ import annotations

import logging

import uvicorn
from django.conf import settings
from django.core.management import BaseCommand, CommandError, call_command

from zhiban.core import background

log = logging.getLogger("zhiban.serve")


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
        parser.add_argument(
            "--mqtt",
            help="mqtt://host:1883: also take alarm events from this broker, in this process",
        )
        parser.add_argument("--mqtt-topic", default="zhiban/events/#", help="topic filter")

    def handle(self, *args, host, port, no_worker, workers, mqtt, mqtt_topic, **options):
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
        gateway = self._gateway(mqtt, mqtt_topic) if mqtt else None
        log.info("Zhiban on http://%s:%s/  (data: %s)", host, port, settings.DATA_DIR)
        try:
            uvicorn.run(
                "zhiban.asgi:application",
                host=host,
                port=port,
                workers=workers,
                lifespan="off",
                log_level=logging.getLevelName(logging.getLogger().level).lower(),
                proxy_headers=bool(settings.ZHIBAN_TRUSTED_PROXIES),
                forwarded_allow_ips=settings.ZHIBAN_TRUSTED_PROXIES,
                access_log=False,  # core/metrics.py writes them, with the request id
                # JSON logs: uvicorn's lines go to the root logger's JSON handler too
                **({"log_config": None} if settings.ZHIBAN_LOG_FORMAT == "json" else {}),
            )
        finally:
            if gateway is not None:
                gateway.stop()
            if consumer is not None:
                consumer.stop(graceful=True)

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def _gateway(self, url: str, topic: str):
        """The alarms' MQTT gateway on a thread of this process (INC-1, alarms/serve_mqtt.py),
        started through ``core.background`` (ADR 0013)."""
        try:
            return background.start("mqtt", url=url, topic=topic, report=self._say)
        except ValueError as error:
            raise CommandError(str(error)) from error
