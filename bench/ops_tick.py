"""Ticking an operation ticket step by step on a phone (OPS-6), each tick against a floor
measured in the same run.

Target (the issue): a ticket from a typical ticket (典型票) of 40 steps, executed step by step
from a phone — each tick round-trips in under 100 ms p95 on the demo server.

Set-up (through the services, not measured): the demo organisation (``zhiban demo``); a
typical ticket of 40 steps for 苏吴变 (110kV 1号主变由运行转检修); the centre's lock on 1号主变
(张伟, OPS-5); ``--tickets`` (6) tickets of 吴中操作队 started from it — filled by 孙丽, reviewed
by 赵刚 (OPS-3), ordered, the centre told (OPS-4) — so the first step may be ticked. One more
ticket is ticked first as warm-up; its ticks also count the SQL statements of a tick.

Measured: 孙丽 logged in through the login page, on her phone's execute page
(/c/suwu/ops/tickets/<id>/execute/), ticks every step in order as the page does it: POST of the
tick form (step, operator, guardian, the version and CSRF token read from the page) → 302 →
GET of the page again, which shows the next step. Per tick: the POST, the page after it, and
the round trip (both: what the operator waits for before the next tick can be given); p50 and
p95 in ms over all ticks (``--tickets`` × 40 ≥ 200). By default the phone is
``django.test.Client`` in this process (CSRF checks on), like the other benches; with
``--server`` it is a keep-alive HTTP connection to a real ``zhiban serve`` (uvicorn, its job
worker, the same database) started on a free port.

Floor: the rows a tick has to write, as raw SQL on this process's connection in one
transaction — UPDATE of the step row, UPDATE of the ticket row, INSERT of the duty-log row
(its search index maintained: SQLite's FTS5 trigger, PostgreSQL's trigram index) — on the steps
of draft tickets made for the purpose. Each tick is followed by its floor, so a disturbance of
the machine hits both alike. Not in the floor: the two audit rows (ticket.tick, log.write) and
the reads a tick needs (session, scope, locks, the form's choices, the page).

SQLite runs in a throw-away data folder. With DATABASE_URL (PostgreSQL) the database must be
empty (freshly created); it is emptied again at the end unless ``--keep``.

Prints one JSON line and a one-line summary (ratios: lower is better; 1.0 = the floor).
"""

from __future__ import annotations

import argparse
import http.client
import io
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--tickets", type=int, default=6, help="measured tickets of 40 steps (6)")
parser.add_argument("--server", action="store_true", help="tick against a real `zhiban serve`")
parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
args = parser.parse_args()
own_data_dir = "ZHIBAN_DATA" not in os.environ
filled = False  # set once this run put data in the database (only then is it emptied)

from _setup import report  # noqa: E402  (configures Django and migrates)
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhiban.core.actors import Source  # noqa: E402
from zhiban.ops import services  # noqa: E402
from zhiban.ops.models import EquipmentLock, OperationTicket, TaskKind  # noqa: E402
from zhiban.org.models import Centre, Person  # noqa: E402

SQLITE = connection.vendor == "sqlite"
CLI = Source.CLI
PASSWORD = "Zhiban#2026"  # every demo person's password (zhiban.org.demo)
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
TASK = "110kV苏吴变1号主变由运行转检修"
STEPS = """检查2号主变确能带全站负荷
合上1号主变110kV中性点7010接地闸刀
检查1号主变110kV中性点7010接地闸刀确已合上
合上10kV分段100开关
检查10kV分段100开关确已合上
拉开1号主变10kV侧101开关
检查1号主变10kV侧101开关确已拉开
检查10kV I段母线电压正常
拉开1号主变110kV侧701开关
检查1号主变110kV侧701开关确已拉开
将1号主变10kV侧101开关手车由工作位置摇至试验位置
检查1号主变10kV侧101开关手车确在试验位置
拉开1号主变110kV侧7013主变闸刀
检查1号主变110kV侧7013主变闸刀确已拉开
拉开1号主变110kV侧7011母线闸刀
检查1号主变110kV侧7011母线闸刀确已拉开
拉开1号主变110kV中性点7010接地闸刀
检查1号主变110kV中性点7010接地闸刀确已拉开
在1号主变110kV侧7013闸刀主变侧验明确无电压
合上1号主变110kV侧70130接地闸刀
检查1号主变110kV侧70130接地闸刀确已合上
在1号主变10kV侧101开关主变侧验明确无电压
在1号主变10kV侧101开关主变侧装设1号接地线
检查1号主变10kV侧1号接地线确已装设
取下1号主变10kV侧101开关控制电源熔丝
取下1号主变10kV侧101开关合闸电源熔丝
取下1号主变110kV侧701开关控制电源熔丝
断开1号主变有载调压电源空气开关
检查1号主变有载调压电源空气开关确已断开
断开1号主变冷却器电源空气开关
检查1号主变冷却器电源空气开关确已断开
退出1号主变差动保护跳10kV分段100开关压板1LP8
退出1号主变后备保护跳10kV分段100开关压板1LP9
退出1号主变后备保护跳110kV分段710开关压板1LP12
检查1号主变保护装置运行正常
在1号主变110kV侧7013闸刀操作把手上悬挂“禁止合闸，有人工作”标示牌
在1号主变10kV侧101开关柜门上悬挂“禁止合闸，有人工作”标示牌
在1号主变本体四周设置遮栏并悬挂“止步，高压危险”标示牌
在1号主变本体爬梯上悬挂“在此工作”标示牌
全面检查操作质量，汇报调度操作完毕"""
STEP_COUNT = len(STEPS.splitlines())
assert STEP_COUNT == 40
PEOPLE = ["zhangwei", "zhaogang", "sunli"]  # the chief operator, 吴中操作队's leader, its operator


# --- the demo centre and its tickets ---------------------------------------------------------


class Demo:
    """The demo organisation, a 40-step typical ticket, the lock, and tickets from it."""

    def __init__(self):
        call_command("demo", stdout=io.StringIO())
        self.centre = Centre.objects.get(code="suwu")
        self.p = {p.username: p for p in Person.objects.filter(username__in=PEOPLE)}
        self.site = self.centre.sites.get(code="SW110")
        self.transformer = self.site.equipment.get(kind="main_transformer", dispatch_number="#1")
        self.team = self.p["zhaogang"].memberships.get(centre=self.centre).team
        self.typical = services.typical_ticket_create(
            actor=self.p["zhaogang"],
            source=CLI,
            centre=self.centre,
            data={
                "site": self.site.pk,
                "name": "1号主变运行转检修（全站）",
                "task_kind": TaskKind.TRANSFORMER_MAINTENANCE,
                "task": TASK,
                "steps": STEPS,
                "active": True,
            },
        )
        if not EquipmentLock.objects.filter(equipment=self.transformer, released_at=None).exists():
            services.lock_place(
                actor=self.p["zhangwei"],
                source=CLI,
                centre=self.centre,
                data={"equipment": self.transformer.pk, "reason": "1号主变检修，遥控封锁"},
            )

    def draft(self) -> OperationTicket:
        """孙丽 fills a ticket from the typical ticket (task and steps taken from it)."""
        return services.ticket_create(
            actor=self.p["sunli"],
            source=CLI,
            centre=self.centre,
            data={
                "executor": "team",
                "team": self.team.pk,
                "site": self.site.pk,
                "task_kind": TaskKind.TRANSFORMER_MAINTENANCE,
                "typical": self.typical.pk,
                "equipment": [self.transformer.pk],
                "operator": self.p["sunli"].pk,
                "guardian": self.p["zhaogang"].pk,
                "in_charge": self.p["zhaogang"].pk,
            },
        )

    def ready(self) -> OperationTicket:
        """Reviewed by 赵刚, ordered, the centre told: the first step may be ticked."""
        leader, now = self.p["zhaogang"], timezone.now()
        t = self.draft()
        t = services.ticket_review(actor=leader, source=CLI, ticket_id=t.pk, version=t.version)
        t = services.ticket_order(
            actor=leader,
            source=CLI,
            ticket_id=t.pk,
            version=t.version,
            data={"issuer": "地调 王调度", "receiver": leader.pk, "ordered_at": now},
        )
        t = services.ticket_notify_centre(
            actor=leader,
            source=CLI,
            ticket_id=t.pk,
            version=t.version,
            data={"at": now, "caller": "吴中操作队 赵刚"},
        )
        assert t.steps.count() == STEP_COUNT
        return t


# --- the phone ---------------------------------------------------------------------------------


class InProcess:
    """The phone's browser as django.test.Client in this process, CSRF checked as for a
    browser."""

    label = "client"

    def __init__(self):
        self.client = Client(enforce_csrf_checks=True, headers={"user-agent": PHONE_UA})

    def get(self, path: str) -> tuple[int, str, str]:
        r = self.client.get(path)
        return r.status_code, r.headers.get("Location", ""), r.content.decode()

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        r = self.client.post(path, data)
        return r.status_code, r.headers.get("Location", ""), r.content.decode()

    def close(self) -> None:
        pass


class OverHttp:
    """The phone's browser as one keep-alive HTTP/1.1 connection to a real server, with its
    cookies (session, CSRF)."""

    label = "server"

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def _send(self, method: str, path: str, data: dict | None = None) -> tuple[int, str, str]:
        headers = {"User-Agent": PHONE_UA, "Accept": "text/html", "Accept-Language": "zh-CN"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        answer = self.conn.getresponse()
        text = answer.read().decode()
        for value in answer.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(value)
            self.cookies.update({k: m.value for k, m in jar.items()})
        return answer.status, answer.getheader("Location", ""), text

    def get(self, path: str) -> tuple[int, str, str]:
        return self._send("GET", path)

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        return self._send("POST", path, data)

    def close(self) -> None:
        self.conn.close()


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no {name} on the page"
    return found.group(1)


def login(phone, username: str) -> None:
    """Through the login page, as a person would."""
    status, _, html = phone.get("/login/")
    assert status == 200, status
    status, location, _ = phone.post(
        "/login/",
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
        },
    )
    assert status == 302 and "/login/" not in location, (status, location)


def tick_form(html: str) -> dict:
    """What the execute page's tick form sends: its hidden fields and the selected people."""
    form = html.split('data-testid="tick-form"', 1)[1].split("</form>", 1)[0]

    def selected(name: str) -> str:
        select = form.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
        found = re.search(r'<option value="(\d+)" selected>', select)
        assert found, f"no {name} selected"
        return found.group(1)

    return {
        "csrfmiddlewaretoken": hidden(form, "csrfmiddlewaretoken"),
        "version": hidden(form, "version"),
        "step": hidden(form, "step"),
        "operator": selected("operator"),
        "guardian": selected("guardian"),
    }


# --- the floor ---------------------------------------------------------------------------------


class Floor:
    """The three writes of a tick, raw, on steps of draft tickets made for the purpose."""

    def __init__(self, demo: Demo, tickets: list[OperationTicket]):
        self.demo = demo
        self.steps = [(t, s) for t in tickets for s in t.steps.order_by("seq")]
        self.ct = ContentType.objects.get_for_model(OperationTicket).pk
        self.op, self.guardian = demo.p["sunli"], demo.p["zhaogang"]
        self.statements = 3

    def __call__(self) -> None:
        ticket, step = self.steps.pop(0)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        text = (
            f"{ticket.number} 第 {step.seq} 步：{step.text}"
            f"（操作人 {self.op.name}，监护人 {self.guardian.name}）"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ops_ticketstep SET state = %s, done_at = %s, done_by_id = %s, "
                "guardian_id = %s WHERE id = %s",
                ["done", now, self.op.pk, self.guardian.pk, step.pk],
            )
            cursor.execute(
                "UPDATE ops_operationticket SET state = %s, version = version + 1, "
                "started_at = COALESCE(started_at, %s), operator_id = %s, guardian_id = %s "
                "WHERE id = %s",
                ["executing", now, self.op.pk, self.guardian.pk, ticket.pk],
            )
            cursor.execute(
                "INSERT INTO duty_logentry (centre_id, at, recorded_at, author_id, "
                "author_label, category, text, site_id, equipment_id, content_type_id, "
                "object_id, corrects_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL, %s, "
                "%s, NULL)",
                [
                    self.demo.centre.pk,
                    now,
                    now,
                    self.op.pk,
                    self.op.name,
                    "operation",
                    text,
                    self.demo.site.pk,
                    self.ct,
                    str(ticket.pk),
                ],
            )


# --- measuring ---------------------------------------------------------------------------------


def pct(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {
        "p50": round(statistics.median(ms), 2),
        "p95": round(ms[max(0, math.ceil(0.95 * len(ms)) - 1)], 2),
        "max": round(ms[-1], 2),
    }


class Recorder:
    """Counts the SQL statements Django sends while active, by their first word."""

    def __init__(self):
        self.kinds: dict[str, int] = {}

    def __call__(self, execute, sql, params, many, context):
        word = sql.lstrip().split(None, 1)[0].upper()
        self.kinds[word] = self.kinds.get(word, 0) + 1
        return execute(sql, params, many, context)


def execute_url(demo: Demo, ticket) -> str:
    return f"/c/{demo.centre.code}/ops/tickets/{ticket.pk}/execute/"


def tick_through(phone, demo: Demo, ticket, each=None) -> None:
    """Every step of ``ticket`` ticked from its execute page; ``each(post, page)`` gets the
    two calls of each tick (to time or to count them)."""
    url = execute_url(demo, ticket)
    status, _, html = phone.get(url)
    assert status == 200, status
    for n in range(1, STEP_COUNT + 1):
        data = tick_form(html)
        assert data["step"] == str(n), (data["step"], n)
        answer: dict = {}

        def post(data=data, answer=answer):
            answer["post"] = phone.post(url, data)

        def page(answer=answer):
            status, location, _ = answer["post"]
            assert status == 302, (status, answer["post"][2][:300])
            answer["page"] = phone.get(location)

        (each or (lambda a, b: (a(), b())))(post, page)
        status, _, html = answer["page"]
        assert status == 200, status
    assert f"{STEP_COUNT}/{STEP_COUNT}" in html and 'data-testid="tick-form"' not in html


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """`zhiban serve` on the same database (its job worker included, as the demo runs)."""
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
                raise SystemExit("ops_tick: zhiban serve did not start") from None
            time.sleep(0.3)


def main() -> None:
    global filled
    t_start = time.perf_counter()
    load_before = os.getloadavg()[0]
    if Centre.objects.exists():
        raise SystemExit("ops_tick: the database already holds centres; give a fresh database")
    filled = True
    demo = Demo()
    n = args.tickets
    warm_up = demo.ready()
    measured = [demo.ready() for _ in range(n)]
    floor = Floor(demo, [demo.draft() for _ in range(n + 1)])
    t_setup = time.perf_counter() - t_start

    # warm-up ticket, in process: the SQL statements of one tick (the 2nd: an ordinary one)
    counted: dict = {}
    count = iter(range(STEP_COUNT))

    def count_second(post, page):
        if next(count) != 1:
            post()
            page()
            floor()
            return
        for name, call in (("tick_post", post), ("next_page", page)):
            recorder = Recorder()
            with connection.execute_wrapper(recorder):
                call()
            counted[name] = recorder.kinds
        floor()

    phone_warm = InProcess()
    login(phone_warm, "sunli")
    tick_through(phone_warm, demo, warm_up, count_second)

    server = None
    if args.server:
        port = free_port()
        server = start_server(port)
        phone = OverHttp(port)
    else:
        phone = phone_warm
    try:
        if args.server:
            login(phone, "sunli")
        posts, pages, trips, floors, cpu = [], [], [], [], []

        def timed(post, page):
            start, thread = time.perf_counter(), time.thread_time()
            post()
            middle = time.perf_counter()
            page()
            end = time.perf_counter()
            cpu.append(time.thread_time() - thread)
            floor()
            floors.append(time.perf_counter() - end)
            posts.append(middle - start)
            pages.append(end - middle)
            trips.append(end - start)

        for ticket in measured:
            tick_through(phone, demo, ticket, timed)
    finally:
        phone.close()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)

    done = OperationTicket.objects.filter(pk__in=[t.pk for t in measured], state="completed")
    assert done.count() == n, "every measured ticket is completed"
    trip, post, page, flo = pct(trips), pct(posts), pct(pages), pct(floors)
    results = {
        "tick_round_trip": {
            **trip,
            "floor": flo,
            "ratio_p50": round(trip["p50"] / flo["p50"], 1),
            "ratio_p95": round(trip["p95"] / flo["p95"], 1),
            "cpu": pct(cpu) if not args.server else None,  # the server's CPU is elsewhere
        },
        "tick_post": {
            **post,
            "ratio_p50": round(post["p50"] / flo["p50"], 1),
            "ratio_p95": round(post["p95"] / flo["p95"], 1),
            "statements": counted.get("tick_post"),
        },
        "next_page": {**page, "statements": counted.get("next_page")},
        "floor": {**flo, "statements": floor.statements},
    }
    report(
        "ops_tick",
        {
            "phone": phone.label,
            "tickets": n,
            "steps_per_ticket": STEP_COUNT,
            "ticks": len(trips),
            "target": {"tick_round_trip_p95_ms": 100, "met": trip["p95"] < 100},
            "results": results,
            "cores": os.cpu_count(),
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "setup_s": round(t_setup, 1),
            "total_s": round(time.perf_counter() - t_start, 1),
        },
    )
    print(
        f"ops_tick ({connection.vendor}, {phone.label}, {len(trips)} ticks of {n} × "
        f"{STEP_COUNT}-step tickets): round trip p50 {trip['p50']} / p95 {trip['p95']} ms "
        f"(POST p95 {post['p95']}, next page p95 {page['p95']}); floor p50 {flo['p50']} / "
        f"p95 {flo['p95']} ms; ×{results['tick_round_trip']['ratio_p50']}/"
        f"×{results['tick_round_trip']['ratio_p95']} (p50/p95 vs. the raw floor in the same "
        f"run); target p95 < 100 ms {'met' if trip['p95'] < 100 else 'MISSED'}"
    )


def cleanup() -> None:
    if args.keep or not filled:
        return
    if SQLITE:
        connection.close()
        if own_data_dir:
            shutil.rmtree(os.environ["ZHIBAN_DATA"], ignore_errors=True)
        return
    tables = [
        t
        for t in connection.introspection.django_table_names(only_existing=True)
        if t != "django_migrations"
    ]
    with connection.cursor() as cursor:  # the database was empty when we started
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


try:
    main()
finally:
    cleanup()
