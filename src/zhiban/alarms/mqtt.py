"""The MQTT gateway (``zhiban ingest mqtt``, INC-1; ADR 0008).

Each process subscribes to the MQTT 5 shared subscription ``$share/<group>/<topic>`` at QoS 1,
so the broker spreads the stream over every gateway of the group. Payloads are one event
object or an array of them (``events.decode``); they are stored in batches through
``services.events_ingest``, and what cannot be read becomes a dead letter. Nothing is lost
and nothing is stored twice, even under ``kill -9``:

- a message is acknowledged (PUBACK) only after its batch is committed; the session is
  persistent (clean start off, a session expiry), so the broker sends again whatever was not
  acknowledged when the process died, and events are idempotent by (source, id);
- only messages that arrived on the current connection are acknowledged: after a reconnect
  the broker sends the earlier ones again, under packet ids that may by then mean others.
- a client id names a session, so two processes must never share one (the second connection
  takes the session over, and they take it from each other for ever), and a restarted process
  must take its own again (an abandoned session keeps getting its share of the stream until
  it expires, ADR 0008): ``claim_client_id`` gives each process of a host the lowest number
  that no running process of its data folder holds (a lock file there), the same after a
  restart.

paho-mqtt is used directly: it can hold back the acknowledgement (``manual_ack``), which
aiomqtt 2.5 does not expose. Its network thread receives; the database work runs on the
command's own thread.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import unquote, urlparse

import paho.mqtt.client as paho
from django.conf import settings
from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

from zhiban.core.actors import GATEWAY, Source

from . import events, services

log = logging.getLogger(__name__)
CHANNEL = "mqtt"


@dataclass(frozen=True)
class Received:
    """A message, what it holds (``events.decode``: the items or why it cannot be read) and
    the connection it arrived on (``generation``)."""

    generation: int
    message: paho.MQTTMessage
    items: list | str

    @property
    def size(self) -> int:
        return len(self.items) if isinstance(self.items, list) else 1


@dataclass
class Tally:
    messages: int = 0
    events: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    dead_letters: int = 0

    def __str__(self) -> str:
        return (
            f"{self.messages} messages, {self.events} events: {self.accepted} accepted, "
            f"{self.duplicate} duplicate, {self.rejected} rejected; "
            f"{self.dead_letters} dead letters"
        )


def store_batch(batch: list[Received]) -> Tally:
    """One transaction for the batch: its events, and the dead letters of the payloads and
    items that cannot be read (INC-1). It commits before anything is acknowledged."""
    tally = Tally(messages=len(batch))
    letters: list[services.Letter] = []
    items: list[tuple[paho.MQTTMessage, Any]] = []
    for received in batch:
        message = received.message
        if isinstance(received.items, str):
            letters.append(
                services.Letter(message.topic, message.payload, received.items, message.dup)
            )
        else:
            items += [(message, raw) for raw in received.items]
    tally.events = len(items)
    with transaction.atomic():
        results = (
            services.events_ingest(
                actor=GATEWAY,
                source=Source.GATEWAY,
                items=[events.parse(raw) for _, raw in items],
                channel=CHANNEL,
            )
            if items
            else []
        )
        for result in results:
            setattr(tally, result.status, getattr(tally, result.status) + 1)
            if result.status == "rejected":
                message, raw = items[result.index]
                payload = json.dumps(raw, ensure_ascii=False)
                letters.append(services.Letter(message.topic, payload, result.reason, message.dup))
        if letters:
            tally.dead_letters = services.dead_letters_record(
                actor=GATEWAY, source=Source.GATEWAY, channel=CHANNEL, letters=letters
            )
    return tally


def claim_client_id(name: Callable[[int], str], index: int | None = None) -> tuple[str, IO]:
    """``name(n)`` for the lowest ``n`` (or exactly ``index``) that no other process with
    this data folder holds, and the open lock file that holds it until it is closed or the
    process ends (ADR 0008: one session per process, the same one after a restart).
    ValueError if ``index`` is held."""
    folder = settings.DATA_DIR / "mqtt-clients"
    folder.mkdir(exist_ok=True)
    for n in itertools.count() if index is None else [index]:
        client_id = name(n)
        path = folder / f"{client_id.replace('/', '_')}.lock"
        lock = open(path, "w")  # noqa: SIM115 (held until it is closed)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        return client_id, lock
    raise ValueError(f"another gateway process of this host runs as {client_id}")


def _topic_filter(topic: str) -> bool:
    """MQTT's rule: ``+`` and ``#`` fill a whole level, ``#`` only the last."""
    levels = topic.split("/")
    whole = all(level in ("+", "#") or not set(level) & {"+", "#"} for level in levels)
    return bool(topic) and whole and "#" not in levels[:-1]


class MqttGateway:
    """One gateway process: ``run()`` until ``stop()`` (SIGTERM/SIGINT); then the batch in
    hand is finished and acknowledged, and the session stays on the broker for the next run.
    ``report`` gets a line when subscribed and, when ``verbose``, one per batch; ``claim``
    (the lock of ``claim_client_id``) is let go when ``run()`` ends."""

    def __init__(
        self,
        url: str,
        *,
        topic: str,
        group: str,
        client_id: str,
        batch: int,
        linger: float,
        session_expiry: int,
        report=print,
        verbose: bool = False,
        claim: IO | None = None,
    ):
        self.url = urlparse(url)
        if self.url.scheme not in ("mqtt", "mqtts") or not self.url.hostname:
            raise ValueError(f"not an mqtt:// or mqtts:// URL: {url}")
        if not _topic_filter(topic) or not group or set(group) & set("/+#"):
            raise ValueError(f"not a topic filter and share group: {topic!r}, {group!r}")
        self.subscription = f"$share/{group}/{topic}"
        self.batch, self.linger, self.session_expiry = batch, linger, session_expiry
        self.report, self.verbose, self.claim = report, verbose, claim
        self.inbox: queue.Queue[tuple[int, paho.MQTTMessage]] = queue.Queue()
        self.stopping = threading.Event()
        self.failure = ""
        self.generation = 0
        self.client = paho.Client(
            paho.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=paho.MQTTv5,
            manual_ack=True,
        )
        self.client.on_connect = self._on_connect
        self.client.on_connect_fail = self._on_connect_fail
        self.client.on_subscribe = self._on_subscribe
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        if self.url.username:
            self.client.username_pw_set(
                unquote(self.url.username), unquote(self.url.password or "")
            )
        if self.url.scheme == "mqtts":
            self.client.tls_set()

    def stop(self, *_) -> None:
        self.stopping.set()

    def run(self) -> None:
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.session_expiry
        # room for the batch in hand and the next: the broker holds back (queues) the rest
        properties.ReceiveMaximum = min(2 * self.batch, 65535)
        self.client.connect_async(
            self.url.hostname,
            self.url.port or (8883 if self.url.scheme == "mqtts" else 1883),
            clean_start=False,
            properties=properties,
        )
        self.client.loop_start()
        try:
            while not self.stopping.is_set():
                batch = self._collect()
                if batch:
                    self._store_and_ack(batch)
        finally:
            self.client.disconnect()
            self.client.loop_stop()
            close_old_connections()
            if self.claim is not None:
                self.claim.close()
        if self.failure:
            raise RuntimeError(self.failure)

    # --- paho's network thread ----------------------------------------------------------------

    def _on_connect(self, client, userdata, flags, reason, properties) -> None:
        if reason.is_failure:
            log.warning("the MQTT broker refused the connection: %s", reason)
            return
        self.generation += 1
        client.subscribe(self.subscription, options=SubscribeOptions(qos=1))

    def _on_connect_fail(self, client, userdata) -> None:
        log.warning("cannot reach the MQTT broker at %s; retrying", self.url.netloc)

    def _on_subscribe(self, client, userdata, mid, reasons, properties) -> None:
        refused = [r for r in reasons if r.is_failure]
        if refused:
            self.failure = f"the broker refused the subscription {self.subscription}: {refused[0]}"
            self.stop()
        else:
            self.report(f"subscribed to {self.subscription}")

    def _on_disconnect(self, client, userdata, flags, reason, properties) -> None:
        if reason.is_failure:
            log.warning("lost the MQTT connection (%s); reconnecting", reason)

    def _on_message(self, client, userdata, message) -> None:
        self.inbox.put((self.generation, message))

    # --- the command's thread: decoding and the database --------------------------------------

    def _collect(self) -> list[Received]:
        """Messages until the batch holds ``batch`` events or ``linger`` seconds have passed
        since its first message."""
        batch: list[Received] = []
        size, deadline = 0, None
        while size < self.batch and not self.stopping.is_set():
            wait = 0.2 if deadline is None else deadline - time.monotonic()
            if wait <= 0:
                break
            try:
                generation, message = self.inbox.get(timeout=wait)
            except queue.Empty:
                continue
            received = Received(generation, message, events.decode(message.payload))
            batch.append(received)
            size += received.size
            deadline = deadline or time.monotonic() + self.linger
        return batch

    def _store_and_ack(self, batch: list[Received]) -> None:
        """Stores the batch, retrying while the database is unreachable (nothing is
        acknowledged meanwhile), then acknowledges what arrived on the current connection.
        A batch that fails otherwise is stored message by message, and a message that still
        fails becomes a dead letter: one bad message never stops the stream."""
        delay = 0.5
        while True:
            close_old_connections()
            try:
                tally = store_batch(batch)
                break
            except (OperationalError, InterfaceError) as error:
                log.warning("database unavailable (%s); retrying the batch in %.1f s", error, delay)
                close_old_connections()
                if self.stopping.wait(delay):
                    return  # unacknowledged: the broker sends it again to the next run
                delay = min(delay * 2, 10)
            except Exception as error:
                if len(batch) > 1:
                    for received in batch:
                        self._store_and_ack([received])
                    return
                log.exception("a message could not be stored; it becomes a dead letter")
                tally = self._dead_letter(batch[0], error)
                break
        for received in batch:
            if received.generation == self.generation:
                self.client.ack(received.message.mid, received.message.qos)
        if self.verbose:
            self.report(f"batch: {tally}")

    @staticmethod
    def _dead_letter(received: Received, error: Exception) -> Tally:
        message = received.message
        reason = f"could not be stored: {type(error).__name__}: {error}"
        letter = services.Letter(message.topic, message.payload, reason, message.dup)
        kept = services.dead_letters_record(
            actor=GATEWAY, source=Source.GATEWAY, channel=CHANNEL, letters=[letter]
        )
        return Tally(messages=1, events=received.size, dead_letters=kept)
