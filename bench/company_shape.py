"""The company shape under a storm with kills (issue 16): tests/company.py's processes —
PostgreSQL, Redis, Mosquitto, two ``zhiban serve --no-worker``, two ``zhiban ingest mqtt`` in
one share group, one ``zhiban worker`` — take a storm of events over MQTT and HTTP and
people's actions over the API (the same storm as tests/test_company_shape.py, bigger), while
one web process, one gateway and the worker are SIGKILLed in turn and started again.

Measured, each against its own calm phase in the same run (the baseline):

- storm throughput: events stored per second (by the time each was stored) in the calm phase
  (from 2 s into the storm to the first kill) and during the kills (from the first kill until
  the last process killed is ready again), while each process was down (SIGKILL to ready
  again) and after them; beside the rate offered;
- console push latency: from a probe event sent (a signal of its own, over MQTT or HTTP) to
  the push naming its new alarm on each open console, p50 / p95 / max, for probes sent in
  each of those phases (also by channel); and the probes an open console never got.

Also each process's restart (SIGKILL to ready again) and what the clients went through.
Nothing here asserts: the script prints one JSON line and a summary line with the ratios.
It builds its own demo (``zhiban demo`` into a fresh database on ``--postgres``, about two
minutes) and drops it; ``--quick`` runs a small storm.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.broker import mosquitto  # noqa: E402 (the tests' own broker and shape)
from tests.company import POSTGRES, Company, Plan, company_env  # noqa: E402

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--seconds", type=float, default=60, help="the storm's length (60)")
parser.add_argument("--mqtt-rate", type=int, default=1000, help="events/s over MQTT (1000)")
parser.add_argument("--http-gateways", type=int, default=4, help="HTTP gateways (4)")
parser.add_argument("--http-batch", type=int, default=25, help="events per request (25)")
parser.add_argument(
    "--http-interval", type=float, default=0.25, help="s between a gateway's requests (0.25)"
)
parser.add_argument("--probe-every", type=float, default=0.25, help="s between probes (0.25)")
parser.add_argument("--quick", action="store_true", help="a 30 s storm at a quarter of the rate")
parser.add_argument("--postgres", default=POSTGRES, help=f"a PostgreSQL server ({POSTGRES})")
parser.add_argument("--redis", default="redis://127.0.0.1:6379/6", help="Redis (db 6)")
args = parser.parse_args()
if args.quick:
    args.seconds, args.mqtt_rate, args.http_batch = 30, 250, 6


KILLS = (("web", 0.3), ("gateway", 0.45), ("worker", 0.6))  # when, as a share of the storm


def say(text: str) -> None:
    print(f"  … {text}", file=sys.stderr, flush=True)


def pct(seconds: list[float]) -> dict:
    """p50, p95 and max in ms."""
    if not seconds:
        return {"p50": None, "p95": None, "max": None, "n": 0}
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[max(0, math.ceil(0.95 * len(ms)) - 1)]
    return {
        "p50": round(statistics.median(ms), 1),
        "p95": round(p95, 1),
        "max": round(ms[-1], 1),
        "n": len(ms),
    }


def ratio(a, b) -> float | None:
    return round(a / b, 2) if a and b else None


def phases(shape: Company) -> dict[str, tuple[float, float]]:
    """Monotonic (from, to) of the calm phase, the kills (the first to the last process
    ready again), each kill (SIGKILL to ready again) and after them."""
    first, last = shape.kills[0].at, max(k.ready for k in shape.kills)
    spans = {"calm": (shape.begin + 2, first), "kills": (first, last)}
    spans.update({f"{k.kind}_down": (k.at, k.ready) for k in shape.kills})
    return {**spans, "after": (last, shape.storm_end)}


def throughput(shape: Company, spans: dict, offset: float) -> dict:
    """Events stored per second in each phase, by the time each was stored."""
    stored = [
        at
        for (at,) in shape.read(
            "SELECT received_at FROM alarms_alarmevent WHERE source_id = %s AND event_id LIKE %s",
            shape.tokens["source"],
            f"{shape.run}-%",
        )
    ]
    found = {}
    for name, (start, end) in spans.items():
        since = datetime.fromtimestamp(start + offset, UTC)
        until = datetime.fromtimestamp(end + offset, UTC)
        count = sum(since <= at < until for at in stored)
        found[name] = {
            "seconds": round(end - start, 1),
            "events": count,
            "events_per_s": round(count / (end - start), 1) if end > start else None,
        }
    return found


def latency(shape: Company, spans: dict) -> dict:
    """Each probe's latency to each console open from its sending to the end, by the phase
    it was sent in (also by channel); the probes such a console never got."""
    found = {}
    for name, (start, end) in spans.items():
        if name == "calm":
            start -= 2  # probes of the first seconds too
        times: dict[str, list[float]] = {"mqtt": [], "http": []}
        missed, probes = 0, 0
        for probe in shape.probes.all():
            if probe.closing or not start <= probe.sent < end:
                continue
            probes += 1
            for console in shape.consoles:
                if probe.signal in console.seen:
                    times[probe.channel].append(console.seen[probe.signal] - probe.sent)
                elif console.connected_through(probe.sent, shape.finished_at):
                    missed += 1
        found[name] = {
            "probes": probes,
            "latency_ms": pct(times["mqtt"] + times["http"]),
            "by_channel": {channel: pct(t) for channel, t in times.items()},
            "missed": missed,
        }
    return found


def duplicates(shape: Company) -> dict:
    """Events found stored already: over HTTP (answered "duplicate") and over MQTT (the
    gateways' batch lines), beside those of the first message and batches sent again at the
    end on purpose; the rest were stored by a process that died before it could say so."""
    http = sum(answers.count("duplicate") for g in shape.http for answers in g.answers.values())
    mqtt = sum(
        int(n)
        for g in shape.gateways
        for n in re.findall(r"^batch: .*?(\d+) duplicate", g.log_path.read_text(), re.M)
    )
    return {
        "http": http,
        "mqtt": mqtt,
        "sent_again_at_the_end": {
            "http": sum(len(g.first) for g in shape.http),
            "mqtt": len(shape.publisher.first),
        },
    }


def main() -> None:
    os.environ.pop("DATABASE_URL", None)  # a demo of its own on --postgres, dropped afterwards
    plan = Plan(
        seconds=args.seconds,
        mqtt_rate=args.mqtt_rate,
        http_gateways=args.http_gateways,
        http_batch=args.http_batch,
        http_interval=args.http_interval,
        probe_every=args.probe_every,
        log_every=1.0,
        kills=(
            ("web", args.seconds * 0.3),
            ("gateway", args.seconds * 0.45),
            ("worker", args.seconds * 0.6),
        ),
    )
    offered = plan.mqtt_rate + plan.http_gateways * plan.http_batch / plan.http_interval
    started = time.perf_counter()
    say("the demo in a database of its own (about two minutes)")
    with company_env(args.postgres, args.redis) as env, mosquitto() as broker:
        load_before = os.getloadavg()
        say(f"the storm: {offered:.0f} events/s offered for {plan.seconds:.0f} s")
        with Company(env, broker, plan) as shape:
            shape.storm()
        load_after = os.getloadavg()
        offset = time.time() - time.monotonic()
        spans = phases(shape)
        rates = throughput(shape, spans, offset)
        pushes = latency(shape, spans)
        sent, stored = len(shape.sent_ids()), shape.stored()
        found_again = duplicates(shape)  # while the gateways' logs are there
    actions = [a for p in shape.people for a in p.actions]
    calm, kills = rates["calm"]["events_per_s"], rates["kills"]["events_per_s"]
    calm_ms, kills_ms = pushes["calm"]["latency_ms"], pushes["kills"]["latency_ms"]
    result = {
        "bench": "company_shape",
        "quick": args.quick,
        "plan": {
            "seconds": plan.seconds,
            "offered_events_per_s": round(offered),
            "mqtt_events_per_s": plan.mqtt_rate,
            "http": f"{plan.http_gateways} gateways × {plan.http_batch} events every "
            f"{plan.http_interval} s",
            "probes": f"one every {plan.probe_every} s on MQTT and on HTTP",
            "consoles": len(shape.consoles),
            "people": len(shape.people),
        },
        "events": {"sent": sent, "stored": stored, "lost": sent - stored},
        "throughput": rates,
        "throughput_ratio_kills_to_calm": ratio(kills, calm),
        "push": pushes,
        "latency_ratio_kills_to_calm": {
            "p50": ratio(kills_ms["p50"], calm_ms["p50"]),
            "p95": ratio(kills_ms["p95"], calm_ms["p95"]),
        },
        "restarts_s": {
            k.kind: {"at": round(k.at - shape.begin, 1), "ready_after": round(k.ready - k.at, 1)}
            for k in shape.kills
        },
        "http_requests_refused_or_unanswered": sum(g.failures for g in shape.http),
        "http_events_resent": sum(len(g.resent) for g in shape.http),
        "http_requests_answered_503": sum(g.unavailable for g in shape.http),
        "duplicates_found": found_again,
        "actions": {
            kind: sum(a.kind == kind for a in actions) for kind in ("ack", "log", "weather")
        },
        "errors": shape.errors,
        "cores": os.cpu_count(),
        "load_average_1min": [round(load_before[0], 2), round(load_after[0], 2)],
        "total_s": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result, ensure_ascii=False))
    print(
        f"company_shape: {offered:.0f} events/s offered for {plan.seconds:.0f} s, "
        f"{stored}/{sent} stored; stored calm {calm}/s, during the kills {kills}/s "
        f"(×{result['throughput_ratio_kills_to_calm']}), after {rates['after']['events_per_s']}/s; "
        f"push calm p50 {calm_ms['p50']} / p95 {calm_ms['p95']} / max {calm_ms['max']} ms, "
        f"during the kills p50 {kills_ms['p50']} / p95 {kills_ms['p95']} / max {kills_ms['max']} ms "
        f"(p95 ×{result['latency_ratio_kills_to_calm']['p95']}; p95 while the web process, "
        f"the gateway, the worker was down: {pushes['web_down']['latency_ms']['p95']} / "
        f"{pushes['gateway_down']['latency_ms']['p95']} / "
        f"{pushes['worker_down']['latency_ms']['p95']} ms); missed "
        f"{pushes['calm']['missed']} calm, {pushes['kills']['missed']} during the kills; "
        f"load {result['load_average_1min'][0]} → {result['load_average_1min'][1]}"
    )


main()
