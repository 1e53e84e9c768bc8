"""INC-1: the IEC 60870-5-104 bridge (``python -m zhiban_iec104``) between a c104 station
started here and a real Zhiban with the demo data: a breaker trip, a DC earth fault and a bus
voltage over its limit become alarms with the point table's site, equipment, signal and class;
events wait while Zhiban cannot be reached; the clears arrive; a restarted bridge's
interrogation does not count an occurrence twice; and a batch Zhiban refuses is kept aside
while the next goes on."""

import http.server
import json
import os
import re
import socket
import socketserver
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import c104
import httpx
import pytest

from tests.fresh import demo_token, free_port, fresh_env, live_server
from zhiban_iec104 import points

BEIJING = ZoneInfo("Asia/Shanghai")
# an hour ago on the station's clock: its reports lie in the centre's window (ORG-4)
HOUR_AGO = (datetime.now(BEIJING) - timedelta(hours=1)).replace(tzinfo=None, minute=0)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
CA = 7
# breaker 752: the demo's 751 at 苏吴变 is under a maintenance tag, so its trip is suppressed
TABLE = """ioa,type,site,equipment,signal,class,raise_on,high,low
1,double,SW110,752,开关事故跳闸,accident,off,,
5,single,SW110,,直流系统接地,异常,,,
0x4001,M_ME_TF_1,SW110,10kV I段母线,10kV I段母线电压越限,,,10.7,9.3
"""
SIGNALS = ["开关事故跳闸", "直流系统接地", "10kV I段母线电压越限"]
SOURCE = "sw110-rtu"  # one alarm source per 104 link: event ids are unique within it


def clock(minute: int) -> datetime:
    """The station's wall clock (CP56Time2a has no zone; the bridge reads it as Beijing time)."""
    return HOUR_AGO.replace(minute=minute, second=5, microsecond=678000)


class Station:
    """An RTU: a c104 server with the three points of the table."""

    def __init__(self):
        self.server = c104.Server(ip="127.0.0.1", port=free_port())
        station = self.server.add_station(common_address=CA)
        self.breaker = station.add_point(io_address=1, type=c104.Type.M_DP_TB_1)
        self.earth = station.add_point(io_address=5, type=c104.Type.M_SP_TB_1)
        self.voltage = station.add_point(io_address=0x4001, type=c104.Type.M_ME_TF_1)
        self.breaker.info = c104.DoubleInfo(state=c104.Double.ON, recorded_at=clock(0))
        self.earth.info = c104.SingleInfo(on=False, recorded_at=clock(0))
        self.voltage.info = c104.ShortInfo(actual=10.4, recorded_at=clock(0))
        self.server.start()

    def send(self, point, info):
        point.info = info
        point.transmit(cause=c104.Cot.SPONTANEOUS)


class Line(socketserver.ThreadingTCPServer):
    """The network between the bridge and Zhiban: a TCP forwarder, down until started."""

    daemon_threads = True
    allow_reuse_address = True
    running = False

    def __init__(self, port: int, target: int):
        self.target = target
        super().__init__(("127.0.0.1", port), Pipe, bind_and_activate=False)

    def up(self):
        self.server_bind()
        self.server_activate()
        threading.Thread(target=self.serve_forever, daemon=True).start()
        self.running = True

    def down(self):
        if self.running:
            self.shutdown()
        self.server_close()


class Pipe(socketserver.BaseRequestHandler):
    def handle(self):
        with socket.create_connection(("127.0.0.1", self.server.target)) as upstream:
            back = threading.Thread(target=pump, args=(upstream, self.request), daemon=True)
            back.start()
            pump(self.request, upstream)
            back.join(timeout=30)


def pump(source: socket.socket, sink: socket.socket):
    while data := source.recv(65536):
        sink.sendall(data)
    sink.shutdown(socket.SHUT_WR)


class Bridge:
    """``python -m zhiban_iec104`` as its own process, with its log."""

    def __init__(self, env, log: Path, *args):
        self.log = log
        with open(log, "a") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "zhiban_iec104", *args],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text()

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(timeout=20)


def wait_for(what, check, timeout=30):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


class Zhiban:
    """The real Zhiban's API, read as its administrator."""

    def __init__(self, base: str, token: str):
        self.http = httpx.Client(base_url=f"{base}/api/centres/suwu", timeout=30)
        self.http.headers["Authorization"] = f"Bearer {token}"

    def alarms(self) -> dict[str, dict]:
        """The open alarms of the bridge's source, by signal."""
        found, offset = {}, 0
        while True:
            answer = self.http.get("/alarms", params={"limit": 500, "offset": offset})
            assert answer.status_code == 200, answer.text
            page = answer.json()
            found.update({a["signal"]: a for a in page["items"] if a["source"] == SOURCE})
            if not page["more"]:
                return found
            offset += 500

    def event_ids(self, alarm: dict) -> list[str]:
        answer = self.http.get(f"/alarms/{alarm['id']}")
        assert answer.status_code == 200, answer.text
        return sorted(event["event_id"] for event in answer.json()["events"])

    def wait_for_alarms(self, what, condition, timeout=30) -> dict[str, dict]:
        deadline = time.monotonic() + timeout
        while not condition(found := self.alarms()):
            assert time.monotonic() < deadline, f"timed out waiting for {what}: {found}"
            time.sleep(0.3)
        return found


def ms(minute: int) -> int:
    """The station's time as the event ids carry it: milliseconds since 1970 (UTC)."""
    return (clock(minute).replace(tzinfo=BEIJING) - EPOCH) // timedelta(milliseconds=1)


def test_bridge_turns_station_reports_into_alarms_once__INC_1(tmp_path):
    table = tmp_path / "points.csv"
    table.write_text(TABLE, encoding="utf-8")
    log = tmp_path / "bridge.log"
    with fresh_env(start="demo") as env, live_server(env) as base:
        api = Zhiban(base, demo_token(env))
        created = api.http.post(
            "/alarm-sources",
            json={"code": SOURCE, "name": "苏吴变远动 (IEC 104)", "kind": "scada"},
        )
        assert created.status_code in (200, 201), created.text
        gateway = demo_token(env, "gw-suwu-scada", [SOURCE])  # the link's own source
        station, line = Station(), Line(free_port(), target=int(base.rsplit(":", 1)[1]))
        args = [
            *("--server", f"127.0.0.1:{station.server.port}", "--common-address", str(CA)),
            *("--points", str(table), "--source", SOURCE, "--batch-ms", "100"),
            *("--zhiban", f"http://127.0.0.1:{line.server_address[1]}", "--token", gateway),
        ]
        bridge = Bridge(env, log, *args)
        try:
            # the trip is seen while Zhiban cannot be reached: the events wait for it
            wait_for("the link", lambda: station.server.has_active_connections)
            station.send(station.breaker, c104.DoubleInfo(c104.Double.OFF, recorded_at=clock(1)))
            station.send(station.earth, c104.SingleInfo(on=True, recorded_at=clock(1)))
            station.send(station.voltage, c104.ShortInfo(actual=11.2, recorded_at=clock(1)))
            wait_for("the reports", lambda: "10kV I段母线电压越限: raise" in bridge.output())
            wait_for("a failed post", lambda: "failed" in bridge.output())
            line.up()
            raised = api.wait_for_alarms("the alarms", lambda found: len(found) == 3)
            trip = raised["开关事故跳闸"]
            assert (trip["site_name"], trip["equipment_name"]) == ("苏吴变", "吴东线开关 752")
            assert (trip["klass"], trip["state"], trip["count"], trip["value"]) == (
                "accident",
                "unacked",
                1,
                "分",
            )
            assert datetime.fromisoformat(trip["first_at"]) == clock(1).replace(tzinfo=BEIJING)
            earth = raised["直流系统接地"]
            assert (earth["equipment_name"], earth["klass"]) == ("", "abnormal")
            voltage = raised["10kV I段母线电压越限"]
            assert (voltage["equipment_name"], voltage["klass"], voltage["value"]) == (
                "10kV I段母线",
                "limit",
                "11.2",
            )

            # restarted while the voltage came back: its interrogation clears the limit
            # alarm and repeats the trip and the earth fault with the same ids
            assert bridge.stop() == 0
            station.voltage.info = c104.ShortInfo(actual=10.5, recorded_at=clock(2))
            bridge = Bridge(env, log, *args)
            api.wait_for_alarms("the clear", lambda found: not found[SIGNALS[2]]["active"])
            station.send(station.breaker, c104.DoubleInfo(c104.Double.ON, recorded_at=clock(3)))
            station.send(station.earth, c104.SingleInfo(on=False, recorded_at=clock(3)))
            final = api.wait_for_alarms(
                "the clears", lambda found: not any(a["active"] for a in found.values())
            )
            events = {signal: api.event_ids(alarm) for signal, alarm in final.items()}
        finally:
            bridge.stop()
            line.down()
            station.server.stop()
    assert {signal: (a["state"], a["count"]) for signal, a in final.items()} == {
        signal: ("cleared_unacked", 1) for signal in SIGNALS
    }
    assert events == {
        "开关事故跳闸": [f"{CA}:1:off:{ms(1)}", f"{CA}:1:on:{ms(3)}"],
        "直流系统接地": [f"{CA}:5:off:{ms(3)}", f"{CA}:5:on:{ms(1)}"],
        "10kV I段母线电压越限": [f"{CA}:16385:high:{ms(1)}", f"{CA}:16385:normal:{ms(2)}"],
    }
    # the restart's interrogation repeated the trip and the earth fault: Zhiban's duplicates
    assert sum(map(int, re.findall(r"(\d+) duplicate", bridge.output()))) == 2


def test_bridge_stands_apart_from_django__INC_1():
    """c104 is GPLv3: the bridge imports neither Django nor Zhiban."""
    code = (
        "import sys, zhiban_iec104.bridge; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'zhiban'}))"
    )
    answer = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert answer.stdout.strip() == "[]", answer.stderr


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_bad_point_table_is_refused_with_its_line__INC_1(tmp_path, suffix):
    rows = [
        ["ioa", "type", "site", "equipment", "signal", "class", "high"],
        ["1", "double", "SW110", "751", "开关事故跳闸", "事故", ""],
        ["0x4001", "measured", "SW110", "10kV I段母线", "10kV I段母线电压越限", "", ""],
    ]
    table = tmp_path / f"points{suffix}"
    if suffix == ".csv":
        table.write_text("\n".join(",".join(row) for row in rows), encoding="utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(table)
    answer = subprocess.run(
        [sys.executable, "-m", "zhiban_iec104", "--server", "127.0.0.1:1", "--common-address"]
        + ["1", "--points", str(table), "--zhiban", "http://127.0.0.1:1", "--token", "zb_x"]
        + ["--source", "suwu-scada"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert answer.returncode != 0
    assert f"points{suffix} line 3: a measured point needs a high or a low limit" in answer.stderr


def test_example_point_table_reads__INC_1():
    """The README's sample table for the demo's stations stays readable."""
    table = points.load(Path(__file__).parents[2] / "docs/iec104-points.example.csv")
    trip, voltage = table[1], table[0x4001]
    assert (trip.kind, trip.equipment, trip.klass, trip.raise_on) == (
        "double",
        "751",
        "accident",
        "off",
    )
    assert (voltage.kind, voltage.high, voltage.low) == ("measured", 10.7, 9.3)
    assert trip.state_of("OFF") == "off" and voltage.state_of(9.0) == "low"


class Answers(http.server.BaseHTTPRequestHandler):
    """A Zhiban that refuses (422) every batch naming the earth fault, answers the first
    post of the breaker trip 503, and takes the rest (200), noting what it took."""

    def do_POST(self):
        batch = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        ids = [event["id"] for event in batch]
        server = self.server
        if any(i.startswith(f"{CA}:5:") for i in ids):
            status, body = (
                422,
                {"code": "invalid", "message": "直流系统接地: 未知的设备", "rule": None},
            )
        elif any(i.startswith(f"{CA}:1:off:") for i in ids) and not server.unavailable:
            server.unavailable = True
            status, body = 503, {"code": "unavailable", "message": "稍后再试", "rule": None}
        else:
            server.taken += ids
            status = 200
            body = {"accepted": len(ids), "duplicate": 0, "rejected": 0, "items": []}
        answer = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def test_a_refused_batch_is_kept_aside_and_the_next_is_delivered__INC_1(tmp_path):
    """A batch Zhiban refuses (4xx) goes to --refused with its status and reason, and the
    bridge goes on; a 5xx is still retried (issue 11 item 8)."""
    table = tmp_path / "points.csv"
    table.write_text(TABLE, encoding="utf-8")
    zhiban_ = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answers)
    zhiban_.taken, zhiban_.unavailable = [], False
    threading.Thread(target=zhiban_.serve_forever, daemon=True).start()
    refused = tmp_path / "refused"
    station = Station()
    args = [
        *("--server", f"127.0.0.1:{station.server.port}", "--common-address", str(CA)),
        *("--points", str(table), "--source", SOURCE, "--batch-ms", "100"),
        *("--zhiban", f"http://127.0.0.1:{zhiban_.server_address[1]}", "--token", "zb_x"),
        *("--refused", str(refused)),
    ]
    bridge = Bridge(os.environ.copy(), tmp_path / "bridge.log", *args)
    try:
        # the interrogation's first batch names the earth fault: refused
        wait_for("the refusal", lambda: list(refused.glob("*.json")), timeout=60)
        station.send(station.breaker, c104.DoubleInfo(c104.Double.OFF, recorded_at=clock(1)))
        trip = f"{CA}:1:off:{ms(1)}"
        wait_for("the trip", lambda: trip in zhiban_.taken, timeout=60)
    finally:
        bridge.stop()
        station.server.stop()
        zhiban_.shutdown()
    assert zhiban_.unavailable  # its first post was answered 503, and it was sent again
    [kept] = [json.loads(path.read_text(encoding="utf-8")) for path in refused.glob("*.json")]
    assert kept["status"] == 422
    assert json.loads(kept["reason"])["message"] == "直流系统接地: 未知的设备"
    assert any(event["id"].startswith(f"{CA}:5:") for event in kept["events"])
    assert trip not in [event["id"] for event in kept["events"]]
    assert "Zhiban refused" in bridge.output() and str(refused) in bridge.output()
