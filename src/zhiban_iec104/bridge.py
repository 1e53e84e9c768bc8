"""The bridge's link (INC-1): a c104 client with one station and a point per table row, a
tracker that turns state changes into events, and a poster that sends them to Zhiban in
batches until they are answered. The rules are in the package docstring."""

# No ``from __future__ import annotations``: c104 checks the callbacks' annotations.

import argparse
import json
import logging
import os
import queue
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from http.client import HTTPException
from pathlib import Path
from zoneinfo import ZoneInfo

import c104

from . import points

log = logging.getLogger("zhiban_iec104")
MAX_BATCH = 1000  # Zhiban's limit for one POST /api/events
AGAIN = {408, 425, 429}  # refusals of the moment (time-out, too early, throttled): retried


class Tracker:
    """The last state sent per address, so that only a change becomes an event (an
    interrogation's repeat of the current state sends nothing)."""

    def __init__(self, *, source: str, common_address: int, zone: ZoneInfo, outbox: queue.Queue):
        self.source = source
        self.common_address = common_address
        self.zone = zone  # of the station's clock
        self.outbox = outbox
        self.last: dict[int, str] = {}
        self.lock = threading.Lock()

    def report(self, row: points.PointRow, value, recorded_at: datetime | None) -> None:
        state = row.state_of(value)
        with self.lock:
            if state is None or self.last.get(row.ioa) == state:
                return
            self.last[row.ioa] = state
            # CP56Time2a carries no zone: c104 gives the station's wall-clock time
            at = recorded_at.replace(tzinfo=self.zone) if recorded_at else datetime.now(UTC)
            event = row.event(
                source=self.source,
                common_address=self.common_address,
                state=state,
                value=value,
                at=at,
            )
            self.outbox.put(event)
        log.info("IOA %s %s: %s %s", row.ioa, row.signal, event["action"], event["value"])


class Poster:
    """Posts the outbox to ``POST /api/events`` in batches (lingering ``batch_ms`` to fill
    one). A batch is retried with backoff until Zhiban answers 200, unless Zhiban refuses it
    (4xx but 408, 425 and 429): sending it again would be refused again, so it is kept aside in
    ``refused`` (a JSON file: the HTTP status, Zhiban's answer and the events) and the next
    batch goes on. Nothing is dropped."""

    def __init__(self, *, url: str, token: str, batch_ms: int, outbox: queue.Queue, refused: Path):
        self.url, self.token, self.linger, self.outbox = url, token, batch_ms / 1000, outbox
        self.refused = refused

    def run(self) -> None:
        while True:
            batch = [self.outbox.get()]
            deadline = time.monotonic() + self.linger
            while len(batch) < MAX_BATCH and (wait := deadline - time.monotonic()) > 0:
                try:
                    batch.append(self.outbox.get(timeout=wait))
                except queue.Empty:
                    break
            self.send(batch)
            for _ in batch:
                self.outbox.task_done()

    def send(self, batch: list[dict]) -> None:
        delay = 0.5
        while True:
            try:
                answer = self.post(batch)
            except urllib.error.HTTPError as error:
                reason = error.read().decode(errors="replace")
                problem = f"HTTP {error.code} {reason[:300]}"
                if 400 <= error.code < 500 and error.code not in AGAIN:
                    try:
                        self.keep_aside(batch, error.code, reason)
                        return
                    except OSError as cannot:  # retried until it can be kept
                        problem += f"; cannot keep it aside: {cannot}"
            except (OSError, HTTPException, ValueError) as error:  # refused, cut, not JSON
                problem = str(error)
            else:
                self.note(batch, answer)
                return
            log.warning(
                "posting %d events failed (%s); again in %.1f s", len(batch), problem, delay
            )
            time.sleep(delay)
            delay = min(delay * 2, 30)

    def keep_aside(self, batch: list[dict], status: int, reason: str) -> None:
        """The refused batch as ``refused/<UTC time>.json``, written whole or not at all."""
        now = datetime.now(UTC)
        self.refused.mkdir(parents=True, exist_ok=True)
        path = self.refused / f"{now:%Y%m%dT%H%M%S%fZ}.json"
        letter = {"refused_at": now.isoformat(), "url": self.url, "status": status}
        letter.update(reason=reason, events=batch)
        part = path.with_suffix(".part")
        part.write_text(json.dumps(letter, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(part, path)
        log.error(
            "Zhiban refused %d events (HTTP %s: %s); kept aside in %s",
            len(batch),
            status,
            reason[:300],
            path,
        )

    def post(self, batch: list[dict]) -> dict:
        request = urllib.request.Request(
            self.url,
            data=json.dumps(batch, ensure_ascii=False).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.load(response)
        if not isinstance(answer, dict):
            raise ValueError("the answer is not a JSON object")
        return answer

    def note(self, batch: list[dict], answer: dict) -> None:
        for item in answer.get("items", []):
            if item.get("status") == "rejected":
                log.error("Zhiban rejected event %s: %s", item.get("id"), item.get("reason"))
        log.info(
            "posted %d events: %s accepted, %s duplicate, %s rejected",
            len(batch),
            answer.get("accepted"),
            answer.get("duplicate"),
            answer.get("rejected"),
        )

    def unsent(self) -> int:
        return self.outbox.unfinished_tasks  # queued or in the batch being sent


def plain(row: points.PointRow, value):
    """c104's value as the table compares it: bool, ``ON``/``OFF``/…, or a number."""
    if row.kind == "single":
        return bool(value)
    if row.kind == "double":
        return value.name
    return float(value)


def connect(
    host: str, port: int, common_address: int, table: dict[int, points.PointRow], tracker: Tracker
) -> c104.Client:
    """A running c104 client; it sends a general interrogation on every (re)connection."""
    client = c104.Client()
    connection = client.add_connection(ip=host, port=port, init=c104.Init.INTERROGATION)
    station = connection.add_station(common_address=common_address)

    def on_state_change(connection: c104.Connection, state: c104.ConnectionState) -> None:
        log.info("link to %s:%s: %s", connection.ip, connection.port, state.name)

    def on_receive(
        point: c104.Point, previous_info: c104.Information, message: c104.IncomingMessage
    ) -> c104.ResponseState:
        info = point.info
        row = table[point.io_address]
        if c104.Quality.Invalid in info.quality:
            log.warning("IOA %s %s: invalid quality, ignored", row.ioa, row.signal)
        else:
            tracker.report(row, plain(row, info.value), info.recorded_at)
        return c104.ResponseState.SUCCESS

    connection.on_state_change(callable=on_state_change)
    for row in table.values():
        asdu = getattr(c104.Type, row.asdu, None)
        if asdu is None:
            raise points.TableError(f"IOA {row.ioa}: c104 has no type {row.asdu}")
        point = station.add_point(io_address=row.ioa, type=asdu)
        point.on_receive(callable=on_receive)
    client.start()
    return client


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="zhiban-iec104",
        description="Bridge an IEC 60870-5-104 station to Zhiban's POST /api/events (INC-1).",
    )
    parser.add_argument("--server", required=True, help="the station, HOST[:PORT] (port 2404)")
    parser.add_argument("--common-address", type=int, required=True, help="ASDU address")
    parser.add_argument("--points", required=True, help="point table, .csv or .xlsx")
    parser.add_argument("--zhiban", required=True, help="Zhiban's address, http://host:port")
    parser.add_argument(
        "--token",
        default=os.environ.get("ZHIBAN_TOKEN"),
        help="API token of a gateway account (default: $ZHIBAN_TOKEN)",
    )
    parser.add_argument("--source", required=True, help="the alarm source's code in Zhiban")
    parser.add_argument("--batch-ms", type=int, default=200, help="linger to fill a batch")
    parser.add_argument(
        "--refused",
        default="zhiban-iec104-refused",
        help="folder for the batches Zhiban refuses (4xx), one JSON file each, with the reason",
    )
    parser.add_argument(
        "--time-zone", default="Asia/Shanghai", help="zone of the station's clock (CP56Time2a)"
    )
    args = parser.parse_args(argv)
    if not args.token:
        parser.error("--token (or $ZHIBAN_TOKEN) is required")
    return args


def main(argv=None) -> None:
    args = arguments(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    server = urllib.parse.urlsplit(f"//{args.server}")  # host, host:port, [::1]:port
    outbox: queue.Queue = queue.Queue()
    try:
        table = points.load(args.points)
        tracker = Tracker(
            source=args.source,
            common_address=args.common_address,
            zone=ZoneInfo(args.time_zone),
            outbox=outbox,
        )
        client = connect(
            server.hostname or "", server.port or 2404, args.common_address, table, tracker
        )
    except (OSError, ValueError, KeyError) as error:  # TableError is a ValueError
        sys.exit(f"zhiban-iec104: {error}")
    poster = Poster(
        url=args.zhiban.rstrip("/") + "/api/events",
        token=args.token,
        batch_ms=args.batch_ms,
        outbox=outbox,
        refused=Path(args.refused),
    )
    threading.Thread(target=poster.run, name="poster", daemon=True).start()
    log.info(
        "bridging %s (%d points) to %s as %s", args.server, len(table), args.zhiban, args.source
    )

    stopping = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: stopping.set())
    while not stopping.wait(1):
        pass
    client.stop()
    deadline = time.monotonic() + 10
    while poster.unsent() and time.monotonic() < deadline:
        time.sleep(0.1)
    if left := poster.unsent():
        log.error(
            "stopped with %d events unsent; the next start's interrogation resends states", left
        )
