"""``zhiban simulate_calls`` (also ``zhiban simulate --scenario calls``): a realistic day of
hotline calls for a customer-service centre (``service/simulate.py``) — the 24 hours before
now — sent in this process (``--to direct``), one event per request to a Zhiban's
``POST /api/service/calls`` (``--to http://…`` with a gateway's ``--token``), or written as
JSON lines (``--to -``), then a one-line summary. The same seed sends the same calls: a second
run stores nothing new."""

from __future__ import annotations

import json

from django.core.management import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from zhiban.core.actors import CLI, Source
from zhiban.service import simulate


class Command(BaseCommand):
    help = "Send a simulated day of hotline calls (generic CTI events) for a centre."

    def add_arguments(self, parser):
        parser.add_argument("--centre", default="kefu", help="centre code (kefu)")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same calls (1)")
        parser.add_argument("--count", type=int, help="at most this many calls a day")
        parser.add_argument("--hours", type=float, default=24.0, help="hours before --until (24)")
        parser.add_argument("--until", help="the end of what is sent (ISO 8601 with zone; now)")
        parser.add_argument("--scale", type=float, default=1.0, help="× the day's volume (1)")
        parser.add_argument("--rate", type=float, default=0.0, help="events a second (0: fast)")
        parser.add_argument("--to", default="direct", help="direct | http://host:port | -")
        parser.add_argument("--token", help="a gateway account's API token for --to http://…")

    def handle(self, *args, **o):
        until = timezone.now()
        if o["until"]:
            until = parse_datetime(o["until"])
            if until is None or timezone.is_naive(until):
                raise CommandError("--until is an ISO 8601 time with its zone")
        try:
            desk = simulate.Desk.of(o["centre"] or "kefu")
            spec = simulate.Spec(seed=o["seed"], scale=o["scale"], count=o["count"])
            events = simulate.stream(desk, spec, until=until, hours=o["hours"])
            target = o["to"]
            if target == "-":
                for event in events:
                    self.stdout.write(json.dumps(event, ensure_ascii=False))
                return
            if target == "direct":
                tally = simulate.send_direct(events, actor=CLI, source=Source.CLI, rate=o["rate"])
            elif target.startswith(("http://", "https://")):
                if not o["token"]:
                    raise CommandError("--to http://… needs --token (a gateway account's)")
                tally = simulate.send_http(target, o["token"], events, rate=o["rate"])
            else:
                raise CommandError(f"--to must be direct, http://… or -, not {target!r}")
        except simulate.SimulationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"simulate calls at {desk.centre} (seed {spec.seed}) → {target}: {tally}")
