"""``zhiban simulate``: a realistic stream of events for a centre (``alarms/simulate.py``), sent
in this process (``--to direct``), to a Zhiban's ``POST /api/events`` (``--to http://…``) or to
an MQTT broker (``--to mqtt://host:port``), then a one-line summary. ``--to -`` writes the
events as JSON lines to standard output instead (for other tools and the benchmarks).

The stream is built from this installation's database (the centre's sources, sites and
equipment). Its event ids come from the seed, so running it again stores nothing new (INC-1).

``--scenario calls`` is customer service's: a day of hotline calls for a customer-service
centre (default kefu), run by its own command ``simulate_calls`` (``service/simulate.py``),
called by name so that alarms imports nothing of the app above it (ADR 0013).
"""

from __future__ import annotations

import json
from urllib.parse import urlparse

from django.core.management import BaseCommand, CommandError, call_command
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhiban.alarms import simulate
from zhiban.core.actors import CLI, Source

DEFAULT_TOPIC = "zhiban/events"


class Command(BaseCommand):
    help = "Send a simulated stream of events (normal, storm, commloss, bench) for a centre."

    def add_arguments(self, parser):
        parser.add_argument("--centre", help="centre code (suwu; calls: kefu)")
        parser.add_argument("--scenario", choices=[*simulate.SCENARIOS, "calls"], default="normal")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same event ids (1)")
        parser.add_argument(
            "--count", type=int, help="bench: events (10 × signals); others: at most this many"
        )
        parser.add_argument("--signals", type=int, default=2000, help="bench: distinct signals")
        parser.add_argument("--hours", type=float, default=24.0, help="normal: hours of events")
        parser.add_argument(
            "--rate", type=float, default=0.0, help="events a second (0: as fast as possible)"
        )
        parser.add_argument(
            "--start",
            help="time of the first event, ISO 8601 (default: now; without a zone: the centre's)",
        )
        parser.add_argument(
            "--to", default="direct", help="direct | http://host:port | mqtt://host:port | -"
        )
        parser.add_argument("--token", help="API token for --to http://… (Bearer zb_…)")
        parser.add_argument("--topic", default=DEFAULT_TOPIC, help=f"MQTT topic ({DEFAULT_TOPIC})")
        parser.add_argument("--batch", type=int, default=1000, help="events per request (1000)")

    def handle(self, *args, **o):
        if o["scenario"] == "calls":  # the hotline's calls (customer service's own command)
            keys = ("seed", "count", "rate", "to", "token", "hours")
            call_command(
                "simulate_calls",
                centre=o["centre"] or "kefu",
                stdout=self.stdout,
                **{key: o[key] for key in keys},
            )
            return
        o["centre"] = o["centre"] or "suwu"
        try:
            plant = simulate.plant_of(o["centre"])
            spec = simulate.Spec(
                scenario=o["scenario"],
                seed=o["seed"],
                start=self._start(o["start"], o["centre"]),
                hours=o["hours"],
                count=o["count"],
                signals=o["signals"],
            )
            events = simulate.stream(plant, spec)
            size = max(1, min(o["batch"], simulate.MAX_BATCH))
            target = o["to"]
            if target == "-":
                for event in events:
                    self.stdout.write(json.dumps(event, ensure_ascii=False))
                return
            if target == "direct":
                tally = simulate.send_direct(
                    events, actor=CLI, source=Source.CLI, rate=o["rate"], size=size
                )
            elif target.startswith(("http://", "https://")):
                if not o["token"]:
                    raise CommandError("--to http://… needs --token")
                tally = _send_http(target, o["token"], events, rate=o["rate"], size=size)
            elif target.startswith("mqtt://"):
                tally = _send_mqtt(target, o["topic"], events, rate=o["rate"], size=size)
            else:
                raise CommandError(f"--to must be direct, http://… or mqtt://…, not {target!r}")
        except simulate.SimulationError as error:
            raise CommandError(str(error)) from error
        how = "direct" if target == "direct" else target
        self.stdout.write(
            f"simulate {spec.scenario} at {plant.centre} (seed {spec.seed}) → {how}: {tally}"
        )

    @staticmethod
    def _start(text, centre_code):
        if not text:
            return timezone.now()
        value = parse_datetime(text)
        if value is None:
            raise CommandError(f"--start is not an ISO 8601 time: {text!r}")
        if timezone.is_naive(value):
            from zhiban.org.models import Centre

            centre = Centre.objects.filter(code=centre_code).first()
            value = timezone.make_aware(value, centre.tz if centre else None)
        return value


def _send_http(base: str, token: str, events, *, rate: float, size: int) -> simulate.Tally:
    """Batches to ``POST /api/events``; the answer's tallies are added up."""
    import httpx

    tally = simulate.Tally()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base.rstrip("/"), headers=headers, timeout=60) as client:
        for group in simulate.batches(events, rate=rate, size=size):
            answer = client.post("/api/events", json=group)
            if answer.status_code != 200:
                raise CommandError(f"POST /api/events: HTTP {answer.status_code}: {answer.text}")
            body = answer.json()
            tally.sent += len(group)
            for status in ("accepted", "duplicate", "rejected"):
                setattr(tally, status, getattr(tally, status) + body[status])
    return tally


def _send_mqtt(url: str, topic: str, events, *, rate: float, size: int) -> simulate.Tally:
    """Each batch one JSON array, published at QoS 1 and confirmed by the broker (PUBACK).
    The gateway answers nothing back: only ``sent`` is known here."""
    import paho.mqtt.client as paho

    where = urlparse(url)
    client = paho.Client(paho.CallbackAPIVersion.VERSION2, protocol=paho.MQTTv5)
    if where.username:
        client.username_pw_set(where.username, where.password or "")
    client.connect(where.hostname or "127.0.0.1", where.port or 1883)
    client.loop_start()
    tally = simulate.Tally(answered=False)
    try:
        for group in simulate.batches(events, rate=rate, size=size):
            payload = json.dumps(group, ensure_ascii=False).encode()
            client.publish(topic, payload, qos=1).wait_for_publish(timeout=60)
            tally.sent += len(group)
    finally:
        client.loop_stop()
        client.disconnect()
    return tally
