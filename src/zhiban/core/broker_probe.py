"""What ``zhiban doctor`` can see of the MQTT broker the alarm gateways use (ADR 0008,
docs/broker.md): the broker's name and version from ``$SYS``, and whether it keeps every
message for a gateway that is offline. Mosquitto does not publish its queue limits, so the
probe measures them: a persistent session subscribes and goes away, another client publishes
``PROBE`` messages at QoS 1, the session comes back and counts what the broker kept. Fewer
than sent is what lost 7,144 of 20,000 events across two gateway kills (issue 10)."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from urllib.parse import ParseResult, unquote

import paho.mqtt.client as paho
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.subscribeoptions import SubscribeOptions

PROBE = 2000  # more than Mosquitto's default max_queued_messages (1000)
WAIT = 10.0  # seconds at most for each step


@dataclass(frozen=True)
class Outcome:
    version: str  # "$SYS/broker/version", or "" when the broker does not say
    sent: int
    kept: int


class _Client:
    """A paho MQTT 5 client that connects, runs its loop and collects messages."""

    def __init__(self, url: ParseResult, client_id: str):
        self.client = paho.Client(
            paho.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=paho.MQTTv5
        )
        if url.username:
            self.client.username_pw_set(unquote(url.username), unquote(url.password or ""))
        if url.scheme == "mqtts":
            self.client.tls_set()
        self.received: list[paho.MQTTMessage] = []
        self.arrived = threading.Condition()
        self.client.on_message = self._on_message
        self.url = url

    def _on_message(self, client, userdata, message) -> None:
        with self.arrived:
            self.received.append(message)
            self.arrived.notify_all()

    def connect(self, *, clean_start: bool, expiry: int) -> None:
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = expiry
        port = self.url.port or (8883 if self.url.scheme == "mqtts" else 1883)
        self.client.connect(
            self.url.hostname, port, clean_start=clean_start, properties=properties, keepalive=30
        )
        self.client.loop_start()

    def subscribe(self, topic: str) -> None:
        result, mid = self.client.subscribe(topic, options=SubscribeOptions(qos=1))
        if result != paho.MQTT_ERR_SUCCESS:
            raise ConnectionError(f"subscribe {topic}: {paho.error_string(result)}")

    def wait_for(self, count: int, idle: float) -> int:
        """Waits until ``count`` messages arrived or none came for ``idle`` seconds."""
        deadline = time.monotonic() + WAIT
        with self.arrived:
            while len(self.received) < count and time.monotonic() < deadline:
                before = len(self.received)
                self.arrived.wait(idle)
                if len(self.received) == before:
                    break
            return len(self.received)

    def close(self, expiry: int | None = None) -> None:
        properties = None
        if expiry is not None:
            properties = Properties(PacketTypes.DISCONNECT)
            properties.SessionExpiryInterval = expiry
        self.client.disconnect(properties=properties)
        self.client.loop_stop()


def probe(url: ParseResult) -> Outcome:
    """Reads ``$SYS/broker/version`` and counts what a persistent session that was offline
    gets of ``PROBE`` messages; its session is ended afterwards."""
    name = f"zhiban-doctor-{uuid.uuid4().hex[:10]}"
    topic = f"zhiban-doctor/{name}"
    gateway = _Client(url, name)
    gateway.connect(clean_start=True, expiry=300)
    gateway.subscribe("$SYS/broker/version")
    gateway.subscribe(topic)
    gateway.wait_for(1, idle=1.0)  # retained: it comes at once if the broker has it
    version = next(
        (m.payload.decode(errors="replace") for m in gateway.received if m.topic.startswith("$")),
        "",
    )
    gateway.close()
    publisher = _Client(url, f"{name}-pub")
    publisher.connect(clean_start=True, expiry=0)
    try:
        for n in range(PROBE):
            info = publisher.client.publish(topic, str(n).encode(), qos=1)
        info.wait_for_publish(WAIT)
    finally:
        publisher.close()
    again = _Client(url, name)
    again.connect(clean_start=False, expiry=300)
    try:
        kept = again.wait_for(PROBE, idle=2.0)
    finally:
        again.close(expiry=0)  # the probe's session ends with it
    return Outcome(version, PROBE, kept)
