"""A Mosquitto of the tests' own, on a free port, with the settings ADR 0008 asks of a site's
broker (docs/broker.md): no broker needs to be running already, and none is shared with
another test run. ``scripts/setup.sh --test`` installs Debian's ``mosquitto`` package."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .fresh import free_port, stop

MOSQUITTO = "/usr/sbin/mosquitto"
# ADR 0008 / docs/broker.md: queues that do not drop a stalled gateway's messages
ADR_0008 = {
    "persistence": "true",
    "max_queued_messages": "1000000",
    "max_queued_bytes": "1073741824",
}


@dataclass(frozen=True)
class Broker:
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"


@contextlib.contextmanager
def mosquitto(**settings: str) -> Iterator[Broker]:
    """Runs ``mosquitto -c <conf>`` with the ADR 0008 settings (``settings`` change them) on a
    free port of 127.0.0.1 until the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="zhiban-mosquitto-"))
    port = free_port()
    lines = [f"listener {port} 127.0.0.1", "allow_anonymous true"]
    lines += [f"persistence_location {folder}/", f"log_dest file {folder}/mosquitto.log"]
    lines += [f"{name} {value}" for name, value in {**ADR_0008, **settings}.items()]
    (folder / "mosquitto.conf").write_text("\n".join(lines) + "\n")
    process = subprocess.Popen(
        [MOSQUITTO, "-c", str(folder / "mosquitto.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            log = folder / "mosquitto.log"
            assert process.poll() is None, log.read_text() if log.exists() else "exited"
            assert time.monotonic() < deadline, "mosquitto did not listen within 30 s"
            time.sleep(0.05)
        yield Broker("127.0.0.1", port)
    finally:
        stop(process)
        shutil.rmtree(folder, ignore_errors=True)
