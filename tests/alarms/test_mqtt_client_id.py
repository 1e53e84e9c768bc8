"""MQTT client ids of the gateways (INC-1, ADR 0008; issue 11 item 8): a client id names a
persistent session, so two gateway processes of one host must not share one (the second
takes the session over, and they take it from each other again and again), and a restarted
process must take up its own again (an abandoned session keeps its share of the stream)."""

from __future__ import annotations

import io
import os
import subprocess
import time
import uuid

from zhiban.alarms.mqtt import MqttGateway
from zhiban.core.management.commands.serve import Command as Serve

from ..fresh import ZHIBAN, stop


def wait_until(what, check, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_two_serve_gateways_of_one_host_keep_their_sessions__INC_1(
    broker, settings, tmp_path, monkeypatch
):
    """`zhiban serve --mqtt` twice on one host: both stay connected in the share group, each
    under its own client id; a restarted first one takes up its id (and session) again."""
    settings.DATA_DIR = tmp_path
    dropped: list[tuple[str, str]] = []
    real = MqttGateway._on_disconnect

    def on_disconnect(self, client, userdata, flags, reason, properties):
        dropped.append((client._client_id.decode(), str(reason)))
        real(self, client, userdata, flags, reason, properties)

    monkeypatch.setattr(MqttGateway, "_on_disconnect", on_disconnect)
    topic = f"zhiban-test/{uuid.uuid4().hex[:8]}/events"

    def serve():
        out = io.StringIO()
        gateway = Serve(stdout=out)._gateway(broker.url, topic)
        wait_until("the subscription", lambda: "subscribed to $share/zhiban/" in out.getvalue())
        return gateway

    first, second = serve(), serve()
    try:
        time.sleep(3)  # paho reconnects a kicked client within a second or two
        assert dropped == []
        assert first.client.is_connected() and second.client.is_connected()
        ids = [g.client._client_id.decode() for g in (first, second)]
        assert ids[0].startswith("zhiban-") and ids[0].endswith("-serve")  # as before issue 11
        assert ids[1] == ids[0] + "-1"
        first.stop()  # as a restart: the next process takes up the first one's session
        wait_until("the first gateway's end", lambda: first.claim.closed)
        again = serve()
        again.stop()
        assert again.client._client_id.decode() == ids[0]
    finally:
        for gateway in (first, second):
            gateway.stop()


def test_ingest_processes_without_index_take_numbers_of_their_own__INC_1(broker, tmp_path):
    """Two `zhiban ingest mqtt` of one host without --index: -0 and -1, both connected; an
    --index that a running gateway holds is refused rather than taken over."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update(ZHIBAN_DATA=str(tmp_path), DJANGO_SETTINGS_MODULE="zhiban.settings")
    command = [*ZHIBAN, "ingest", "mqtt", "--url", broker.url, "--group", "g" + uuid.uuid4().hex]
    logs, processes = [], []
    try:
        for n in range(2):
            logs.append(tmp_path / f"ingest-{n}.log")
            with open(logs[-1], "w") as out:
                processes.append(
                    subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
                )
            wait_until("the subscription", lambda: "subscribed to" in logs[-1].read_text(), 60)
        taken = subprocess.run(
            [*command, "--index", "1"], env=env, capture_output=True, text=True, timeout=30
        )
        time.sleep(3)
        texts = [log.read_text() for log in logs]
        assert all(p.poll() is None for p in processes), texts
    finally:
        for process in processes:
            stop(process)
    assert [t.split("Zhiban MQTT gateway ")[1].split()[0][-2:] for t in texts] == ["-0", "-1"]
    assert not any("lost the MQTT connection" in t for t in texts), texts
    assert taken.returncode != 0
    assert "another gateway process of this host runs as" in taken.stderr
