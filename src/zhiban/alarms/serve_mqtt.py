"""The MQTT gateway inside ``zhiban serve --mqtt`` (INC-1, ADR 0008), registered with
``core.background`` by the app's ready (ADR 0013: core's serve imports no app)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable

from .mqtt import MqttGateway, claim_client_id


def start(*, url: str, topic: str, report: Callable[[str], None]) -> MqttGateway:
    """The gateway on a thread of this process, in the share group ``zhiban`` under a client
    id of its own: ``zhiban-<host>-serve`` for the first serve process of the data folder (the
    id before issue 11, so its session is taken up again), ``-serve-1``, ``-serve-2`` … for
    the others (``claim_client_id``). ValueError for a bad URL or topic."""
    host = socket.gethostname()
    client_id, claim = claim_client_id(lambda n: f"zhiban-{host}-serve" + (f"-{n}" if n else ""))
    gateway = MqttGateway(
        url,
        topic=topic,
        group="zhiban",
        client_id=client_id,
        batch=1000,
        linger=0.05,
        session_expiry=7 * 24 * 3600,
        report=report,
        claim=claim,
    )
    threading.Thread(target=gateway.run, name="mqtt-gateway", daemon=True).start()
    return gateway
