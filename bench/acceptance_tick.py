"""Ticking an acceptance point from a phone with the other checker's screen updated live
(ACC-2).

Target (issue 14): ticking a point round-trips in under 100 ms p95 on a phone, with both
checkers' screens updated live.

Set-up (through the services, not measured): the demo organisation (``zhiban.org.demo``); a
four-remote acceptance sheet of ``--points`` (200) points at 苏吴变, served by 吴中操作队, its
checkers named — 张伟 for the centre, 孙丽 for the team — and being checked; then a real
``zhiban serve`` (uvicorn, one process, its in-memory or Redis channel layer) on a free port,
the same database.

Measured, for every point in order: 孙丽's phone — one keep-alive HTTP/1.1 connection logged
in through the login page — posts the row's tick form as htmx does (version and CSRF token
read from the row, result 正确, method 实传) and gets the row back (**tick round trip**).
Meanwhile 张伟's desk holds the live websocket (/ws/live/) open, logged in through the login
page on its own connection: the time from the phone's post to the refresh event naming that
row arriving on the desk's socket (**live push**), and to the desk having fetched the row
again as its page does on that event (**desk updated**). p50 / p95 / max in ms; the first
``--warm`` (10) ticks are not counted.

SQLite runs in a throw-away data folder. With DATABASE_URL (PostgreSQL) the database must be
empty (freshly created); it is left as it is. Prints one JSON line and a one-line summary.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--points", type=int, default=200, help="points ticked (200)")
parser.add_argument("--warm", type=int, default=10, help="first ticks not counted (10)")
args = parser.parse_args()

from _setup import report  # noqa: E402  (configures Django and migrates)
from websockets.sync.client import connect  # noqa: E402

from zhiban.core.actors import Source  # noqa: E402
from zhiban.org import demo as org_demo  # noqa: E402
from zhiban.org.models import Centre, Site  # noqa: E402
from zhiban.upkeep import services  # noqa: E402
from zhiban.upkeep.models import AcceptancePoint  # noqa: E402

PASSWORD = "Zhiban#2026"  # every demo person's password (zhiban.org.demo)
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
WEB = Source.WEB


class Browser:
    """One keep-alive HTTP/1.1 connection with its cookies (session, CSRF)."""

    def __init__(self, port: int, agent: str = PHONE_UA):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.agent = agent

    def send(self, method, path, data=None, headers=None) -> tuple[int, str, str]:
        head = {"User-Agent": self.agent, "Accept": "text/html", "Accept-Language": "zh-CN"}
        head.update(headers or {})
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            head["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=head)
        answer = self.conn.getresponse()
        text = answer.read().decode()
        for value in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            self.cookies.update({k: m.value for k, m in jar.items()})
        return answer.status, answer.getheader("Location", ""), text

    def login(self, username: str) -> None:
        status, _, html = self.send("GET", "/login/")
        assert status == 200, status
        status, location, _ = self.send(
            "POST",
            "/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
            },
        )
        assert status == 302 and "/login/" not in location, (status, location)


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} in the answer"
    return found.group(1)


def pct(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {
        "p50": round(statistics.median(ms), 2),
        "p95": round(ms[max(0, math.ceil(0.95 * len(ms)) - 1)], 2),
        "max": round(ms[-1], 2),
    }


def prepare(n: int):
    """The demo organisation and a sheet of ``n`` points being checked by 张伟 and 孙丽."""
    ctx: dict = {}
    org_demo.load(ctx)
    centre = Centre.objects.get(code="suwu")
    team = ctx["teams"]["吴中操作队"]
    chief, field = ctx["people"]["zhangwei"], ctx["people"]["sunli"]
    site = Site.objects.get(centre=centre, code="SW110")
    sheet = services.sheet_create(
        actor=chief,
        source=WEB,
        centre=centre,
        data={
            "kind": "commissioning",
            "title": "基准测试四遥验收",
            "site": site.pk,
            "team": team.pk,
        },
    )
    AcceptancePoint.objects.bulk_create(
        AcceptancePoint(
            sheet=sheet,
            seq=i,
            site=site,
            bay=f"{(i - 1) // 10 + 1}号间隔",
            name=f"信号{i}",
            remote_type="yx",
            address=i,
        )
        for i in range(1, n + 1)
    )
    sheet = services.sheet_checkers(
        actor=chief,
        source=WEB,
        sheet_id=sheet.pk,
        version=sheet.version,
        data={"centre_checker": chief.pk, "team_checker": field.pk},
    )
    sheet = services.sheet_open(actor=chief, source=WEB, sheet_id=sheet.pk, version=sheet.version)
    points = list(sheet.points.order_by("seq").values_list("pk", flat=True))
    return centre, sheet, points


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    log = open(Path(os.environ["ZHIBAN_DATA"]) / "bench-serve.log", "w")  # noqa: SIM115
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    process = subprocess.Popen(
        [sys.executable, "-m", "zhiban.cli", "serve", "--port", str(port)],
        env={**env, "DJANGO_SETTINGS_MODULE": "zhiban.settings"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("acceptance_tick: zhiban serve did not start") from None
            time.sleep(0.3)


class Desk:
    """张伟's desk: the live websocket, each refresh event's arrival time by panel, and the
    row fetched again on its own connection when its event arrives (as the page does)."""

    def __init__(self, port: int, browser: Browser, rows: dict[str, str]):
        cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        self.socket = connect(
            f"ws://127.0.0.1:{port}/ws/live/",
            additional_headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"},
        )
        self.browser = browser
        self.rows = rows  # panel → the row's address
        self.pushed: dict[str, float] = {}
        self.fetched: dict[str, float] = {}
        self.arrived = threading.Condition()
        self.thread = threading.Thread(target=self.listen, daemon=True)
        self.thread.start()

    def listen(self) -> None:
        import json

        try:
            for message in self.socket:
                at = time.perf_counter()
                event = json.loads(message)
                for panel in event.get("panels", []) if event.get("kind") == "refresh" else []:
                    if panel in self.rows:
                        status, _, html = self.browser.send(
                            "GET", self.rows[panel], headers={"HX-Request": "true"}
                        )
                        assert status == 200 and 'data-team="ok"' in html, status
                        with self.arrived:
                            self.pushed[panel] = at
                            self.fetched[panel] = time.perf_counter()
                            self.arrived.notify_all()
        except Exception:  # the socket closed at the end
            return

    def wait(self, panel: str, timeout: float = 10) -> tuple[float, float]:
        with self.arrived:
            if not self.arrived.wait_for(lambda: panel in self.fetched, timeout=timeout):
                raise SystemExit(f"acceptance_tick: no live refresh of {panel}")
            return self.pushed[panel], self.fetched[panel]

    def close(self) -> None:
        self.socket.close()


def main() -> None:
    t0 = time.perf_counter()
    load_before = os.getloadavg()[0]
    if Centre.objects.exists():
        raise SystemExit("acceptance_tick: the database already holds centres; give a fresh one")
    centre, sheet, points = prepare(args.points)
    base = f"/c/{centre.code}/upkeep/acceptance/{sheet.pk}"
    points_base = f"/c/{centre.code}/upkeep/acceptance/points"
    t_setup = time.perf_counter() - t0
    port = free_port()
    server = start_server(port)
    try:
        phone = Browser(port)
        phone.login("sunli")
        desk_browser = Browser(port, agent="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0")
        desk_browser.login("zhangwei")
        status, _, page = phone.send("GET", f"{base}/")
        assert status == 200 and 'data-testid="tick-form"' in page, status
        rows = {f"acceptance-{sheet.pk}-p{pk}": f"{points_base}/{pk}/" for pk in points}
        desk = Desk(port, desk_browser, rows)
        time.sleep(0.5)  # the socket joined its groups
        ticks, pushes, updated = [], [], []
        for i, pk in enumerate(points):
            _, _, row = phone.send("GET", f"{points_base}/{pk}/", headers={"HX-Request": "true"})
            data = {
                "csrfmiddlewaretoken": hidden(row, "csrfmiddlewaretoken"),
                "version": hidden(row, "version"),
                "method": "real",
                "result": "ok",
            }
            start = time.perf_counter()
            status, _, answer = phone.send(
                "POST", f"{points_base}/{pk}/tick/", data, headers={"HX-Request": "true"}
            )
            done = time.perf_counter()
            assert status == 200 and 'data-team="ok"' in answer, (status, answer[:300])
            pushed, fetched = desk.wait(f"acceptance-{sheet.pk}-p{pk}")
            if i >= args.warm:
                ticks.append(done - start)
                pushes.append(pushed - start)
                updated.append(fetched - start)
        desk.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    results = {
        "points": args.points,
        "counted": len(ticks),
        "tick_round_trip_ms": pct(ticks),
        "live_push_ms": pct(pushes),
        "desk_updated_ms": pct(updated),
        "target_p95_ms": 100,
        "setup_s": round(t_setup, 1),
        "load_before": round(load_before, 2),
    }
    report("acceptance_tick", results)
    t, p, u = results["tick_round_trip_ms"], results["live_push_ms"], results["desk_updated_ms"]
    print(
        f"acceptance tick (server, {len(ticks)} ticks): round trip p50 {t['p50']} / p95 "
        f"{t['p95']} ms (target < 100), live push to the other checker p95 {p['p95']} ms, "
        f"other screen updated p95 {u['p95']} ms"
    )


if __name__ == "__main__":
    main()
