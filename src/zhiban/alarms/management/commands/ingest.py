"""``zhiban ingest mqtt``: the MQTT gateway (INC-1, ``alarms/mqtt.py``, ADR 0008). Run as
many as needed in one share group: each process of a host takes the lowest ``--index`` no
running one holds (the same after a restart, so it takes up its session again), or the one
given, which must be free. SIGTERM or SIGINT finishes the batch in hand and exits 0."""

from __future__ import annotations

import signal
import socket

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from zhiban.alarms.mqtt import MqttGateway, claim_client_id

DEFAULT_TOPIC = "zhiban/events/#"


class Command(BaseCommand):
    help = "Take alarm events in from an MQTT broker (shared subscription, QoS 1)."

    def add_arguments(self, parser):
        parser.add_argument("channel", choices=["mqtt"])
        parser.add_argument(
            "--url",
            default=settings.MQTT_URL,
            help="mqtt://[user:password@]host:1883 (or mqtts://)",
        )
        parser.add_argument(
            "--topic", default=DEFAULT_TOPIC, help=f"topic filter ({DEFAULT_TOPIC})"
        )
        parser.add_argument("--group", default="zhiban", help="share group (zhiban)")
        parser.add_argument(
            "--index", type=int, help="this gateway's number (the lowest free on this host)"
        )
        parser.add_argument(
            "--client-id", help="MQTT client id (default: zhiban-<host>-<group>-<index>)"
        )
        parser.add_argument("--batch", type=int, default=1000, help="events per batch (1000)")
        parser.add_argument(
            "--linger-ms", type=int, default=50, help="longest wait to fill a batch (50)"
        )
        parser.add_argument(
            "--session-expiry",
            type=int,
            default=7 * 24 * 3600,
            help="seconds the broker keeps this gateway's messages while it is away (7 days)",
        )

    def handle(self, *args, url, topic, group, index, client_id, batch, **options):
        if not url:
            raise CommandError("give --url mqtt://host:1883 or set ZHIBAN_MQTT_URL")
        if not 1 <= batch <= 10_000 or options["linger_ms"] < 0:
            raise CommandError("--batch must be 1…10000 and --linger-ms 0 or more")
        claim = None
        try:
            if not client_id:
                host = socket.gethostname()
                client_id, claim = claim_client_id(lambda n: f"zhiban-{host}-{group}-{n}", index)
            gateway = MqttGateway(
                url,
                topic=topic,
                group=group,
                client_id=client_id,
                batch=batch,
                linger=options["linger_ms"] / 1000,
                session_expiry=options["session_expiry"],
                report=self.say,
                verbose=options["verbosity"] >= 2,
                claim=claim,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        signal.signal(signal.SIGTERM, gateway.stop)
        signal.signal(signal.SIGINT, gateway.stop)
        self.say(f"Zhiban MQTT gateway {client_id} at {gateway.url.hostname}")
        try:
            gateway.run()
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.say("stopped")

    def say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()
