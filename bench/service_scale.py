"""Customer service at scale (issue 12 "Performance"): a hotline centre with a million customers
and three million contacts — the lookup while a number is typed, the case list, the call
events of the telephone system and a 50,000-member campaign — each against a floor measured in
the same run.

Generated (``bench/_service_data.py``; straight into the tables after ``migrate``, NOT through
the services, which write one audited contact at a time):

- two hotline centres, ``kf01`` (measured, 90 % of everything) and ``kf02`` (ORG-3: its
  customers must never be found from kf01); per centre 20 agents, 2 group leads, a supervisor,
  a department head; 16 telephone-system (gateway) accounts of kf01 with a token each;
- ``--customers`` (1,000,000) with valid numbers (88 % mobile, 10 % landline with area code,
  2 % 400/800), unique per centre; ``--members`` (50,000) of kf01's are members (会员);
- ``--cases`` (1,500,000) over two years, ids in time order, each with 1–4 contacts
  (``--contacts``, about 3,000,000); the last 10 days' cases open (a quarter of kf01's with a
  department, 3 % and the web leads unowned in the queue), the older ones closed;
- the phone search index filled as the app fills it: SQLite's FTS5 trigram table by migration
  service 0002's insert trigger, row by row; PostgreSQL's pg_trgm GIN index created again with
  the migration's statement after ``COPY``, then ``VACUUM ANALYZE`` (autovacuum's work).

Measured (p50 / p95 in ms unless said), on whatever database ``DATABASE_URL`` names (SQLite in a
throw-away data folder without it):

1. ``lookup`` — CS-1, while typing: for ``--numbers`` random numbers of kf01 every prefix of 4,
   5, … digits up to the whole number, and two random inner pieces of 4–6 digits. Each typed
   string through ``selectors.customers.customer_lookup`` (the real selector) and through the
   intake page's htmx endpoint ``GET /c/kf01/service/intake/lookup/?phone=…`` (django.test.Client
   logged in as agent01), in turn with the floor: the raw index query the selector sends, with
   the same LIMIT (SQLite: the FTS5 ``MATCH`` joined to the centre; PostgreSQL: ``phone LIKE
   '%…%'`` on the centre, served by pg_trgm). Target: p95 < 50 ms and ≤ 3× the floor.
2. ``cases`` — ``GET /api/service/kf01/cases`` (first page of 50, newest first) as agent01:
   default, ``mine``, ``open``, ``category=complaint``, ``mine`` + ``open``; floor: the raw
   SELECT of the same page (the selector's joins, WHERE, ORDER BY, LIMIT 50). Django's own
   statements are replayed raw too (the page's COUNT shows there). Target: p95 < 100 ms.
3. ``campaign`` — CS-7: ``services.campaigns.campaign_create`` with the members rule over the
   ``--members`` member customers and the 20 agents, as the supervisor (``--campaigns`` times,
   each a new campaign of every member); floor: a raw bulk insert of the same number of
   call-list rows (``executemany`` in one transaction / ``COPY``). Target: < 10 s.
4. ``calls`` — ``POST /api/service/calls`` on a real ``zhiban serve --workers 2`` (uvicorn,
   Redis channel layer) on the same database: ``--events`` (20,000) generic CTI events,
   one per request, from 16 clients each with its own gateway token, each client's calls in
   order (newCall → answer → hangup, about 5 % missed, 8 % outgoing, three calls in flight);
   floor: the same harness (16 clients, as many requests) on ``GET /healthz``. Target:
   ≥ 500 events/s.

Prints one JSON line and a summary line per part. ``--quick``: 50,000 customers, a tenth of
the events, fewer requests (what ``make bench`` runs). ``--keep`` keeps the data; ``--reuse``
measures data kept by ``--keep`` (SQLite: set ZHIBAN_DATA to the kept folder). With
DATABASE_URL the database must be empty; it is emptied again at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlparse

PARTS = ("lookup", "cases", "campaign", "calls")
parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--quick", action="store_true", help="small sizes (~1 minute)")
parser.add_argument("--part", action="append", choices=PARTS, help="run this part (repeatable)")
parser.add_argument("--customers", type=int, help="customers (1,000,000; quick 50,000)")
parser.add_argument("--cases", type=int, help="cases (1.5 per customer)")
parser.add_argument("--contacts", type=int, help="contacts (2 per case)")
parser.add_argument("--members", type=int, help="member customers of kf01 (50,000; quick 5,000)")
parser.add_argument("--numbers", type=int, help="numbers typed in the lookup (40; quick 10)")
parser.add_argument("--requests", type=int, help="requests per case-list query (200; quick 50)")
parser.add_argument("--campaigns", type=int, help="campaigns created (3; quick 2)")
parser.add_argument("--events", type=int, help="call events (20,000; quick 2,000)")
parser.add_argument("--redis", default="redis://127.0.0.1:6379/8", help="Redis for the server")
parser.add_argument(
    "--seconds", type=float, default=30, help="at most this long per case-list query (30)"
)
parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
parser.add_argument(
    "--generate-only", action="store_true", help="generate and keep the data, measure nothing"
)
parser.add_argument("--reuse", action="store_true", help="measure data kept by --keep")
args = parser.parse_args()
args.keep = args.keep or args.generate_only
Q = args.quick
customers_n = args.customers or (50_000 if Q else 1_000_000)
sizes = {
    "customers": customers_n,
    "cases": args.cases or customers_n * 3 // 2,
    "contacts": args.contacts or customers_n * 3,
    "members": args.members or (5_000 if Q else 50_000),
    "numbers": args.numbers or (10 if Q else 40),
    "requests": args.requests or (50 if Q else 200),
    "campaigns": args.campaigns or (2 if Q else 3),
    "events": args.events or (2_000 if Q else 20_000),
}
own_data_dir = "ZHIBAN_DATA" not in os.environ
filled = False  # set once this run put data in the database (only then is it emptied)

import _service_data as data  # noqa: E402
from _setup import report  # noqa: E402  (configures Django and migrates)
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402

from zhiban.core.actors import Source  # noqa: E402
from zhiban.core.permissions import Role  # noqa: E402
from zhiban.org import services as org  # noqa: E402
from zhiban.org.models import Centre, Person  # noqa: E402
from zhiban.service.models import Call, Campaign, CampaignMember, Customer  # noqa: E402
from zhiban.service.selectors import customers as customer_reads  # noqa: E402
from zhiban.service.services import campaigns as campaign_writes  # noqa: E402

SQLITE = connection.vendor == "sqlite"
ROOT = Path(__file__).resolve().parents[1]
RUN = f"{os.getpid()}"
rnd = random.Random(7)


def say(text: str) -> None:
    print(f"  … {text}", file=sys.stderr, flush=True)


def pct(seconds: list[float]) -> dict:
    if not seconds:
        return {"p50": None, "p95": None}
    ms = sorted(s * 1000 for s in seconds)
    return {
        "p50": round(statistics.median(ms), 2),
        "p95": round(ms[max(0, math.ceil(0.95 * len(ms)) - 1)], 2),
    }


def ratio(a, b) -> float | None:
    return round(a / b, 2) if a and b else None


def run_raw(sql: str, params) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def explain(sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        if SQLITE:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[3] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


class Recorder:
    """The (sql, params) Django sends while active."""

    def __init__(self):
        self.calls: list = []

    def __call__(self, execute, sql, params, many, context):
        self.calls.append((sql, params))
        return execute(sql, params, many, context)


def statements(fn) -> list:
    rec = Recorder()
    with connection.execute_wrapper(rec):
        fn()
    return rec.calls


def replay(calls: list, n: int) -> dict:
    """The SELECTs of one request replayed raw ``n`` times: total p50/p95, the slowest."""
    selects = [(s, p) for s, p in calls if s.lstrip().upper().startswith("SELECT")]
    per: list[list[float]] = [[] for _ in selects]
    totals = []
    for _ in range(n):
        t0 = time.perf_counter()
        for k, (s, p) in enumerate(selects):
            t = time.perf_counter()
            run_raw(s, p)
            per[k].append(time.perf_counter() - t)
        totals.append(time.perf_counter() - t0)
    p50s = [(statistics.median(ts) * 1000, s) for ts, (s, _) in zip(per, selects, strict=True)]
    return {
        "statements": len(calls),
        "sql": pct(totals),
        "slowest": [{"p50": round(t, 2), "sql": s[:200]} for t, s in sorted(p50s)[::-1][:3]],
    }


# --- the world ------------------------------------------------------------------------------------


def world() -> tuple[dict, dict]:
    """The organisation (made, or found again with ``--reuse``, with fresh gateway tokens) and
    what generating took."""
    global filled
    existing = Centre.objects.filter(code=data.MAIN).first()
    if existing is not None and not args.reuse:
        raise SystemExit(
            "service_scale: the database already holds the bench's centres; give a fresh "
            "database (or --reuse to measure data kept by --keep)"
        )
    if existing is None and args.reuse:
        raise SystemExit("service_scale: --reuse, but no data kept by an earlier --keep run")
    if existing is not None:
        centres = {c.code: c for c in Centre.objects.filter(code__in=[data.MAIN, data.OTHER])}
        people: dict = {code: {} for code in centres}
        for person in Person.objects.filter(memberships__centre__code__in=list(centres)):
            membership = person.memberships.get()
            role = membership.role
            people[membership.centre.code].setdefault(role, []).append(person)
        gateways = sorted(people[data.MAIN][Role.GATEWAY], key=lambda p: p.username)
        tokens = [
            org.api_token_create(actor=g, source=Source.CLI, name="bench")[1] for g in gateways
        ]
        return {"centres": centres, "people": people, "tokens": tokens}, {}
    filled = True
    t0, cpu = time.perf_counter(), time.process_time()
    made = data.make_org()
    say(f"generating {sizes['customers']:,} customers, {sizes['cases']:,} cases")
    counts = data.fill(
        made, sizes["customers"], sizes["cases"], sizes["contacts"], sizes["members"]
    )
    return made, {
        "inserted": counts,
        "generate_s": round(time.perf_counter() - t0, 1),
        # the bench's own CPU time: on SQLite all of the work, on PostgreSQL the client's part
        "generate_cpu_s": round(time.process_time() - cpu, 1),
    }


def login(username: str) -> Client:
    client = Client()
    person = Person.objects.get(username=username)
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    return client


# --- 1. the lookup while typing (CS-1) ------------------------------------------------------------


def floor_lookup(centre_id: int, digits: str) -> tuple[str, list]:
    """The raw index query of ``customer_lookup``: same index, same LIMIT."""
    limit = customer_reads.LOOKUP_LIMIT
    if SQLITE:
        return (
            "SELECT c.id FROM service_customer_fts f "
            "CROSS JOIN service_customer c ON c.id = f.rowid "
            "WHERE service_customer_fts MATCH %s AND c.centre_id = %s LIMIT %s",
            [f'"{digits}"', centre_id, limit],
        )
    return (
        "SELECT id FROM service_customer WHERE centre_id = %s AND phone LIKE %s LIMIT %s",
        [centre_id, f"%{digits}%", limit],
    )


def typed_strings(centre) -> list[tuple[str, str]]:
    """(group, digits): every prefix of 4+ digits of random numbers, and inner pieces."""
    last = Customer.objects.filter(centre=centre).order_by("-pk").values_list("pk", flat=True)[0]
    numbers: list[str] = []
    while len(numbers) < sizes["numbers"]:
        phone = Customer.objects.filter(centre=centre, pk=rnd.randint(1, last)).values_list(
            "phone", flat=True
        )
        numbers += list(phone)
    typed = []
    for number in numbers:
        for k in range(4, len(number) + 1):
            group = f"prefix {k}" if k < 7 else ("prefix 7-9" if k < 10 else "prefix 10+")
            typed.append((group, number[:k]))
        for _ in range(2):
            k = rnd.randint(4, 6)
            start = rnd.randint(1, len(number) - k)
            typed.append((f"inner {k}", number[start : start + k]))
    return typed


def part_lookup(made: dict) -> dict:
    centre = made["centres"][data.MAIN]
    user = Person.objects.get(username="agent01")
    client = login("agent01")
    typed = typed_strings(centre)
    url = f"/c/{centre.code}/service/intake/lookup/"
    headers = {"HTTP_HX_REQUEST": "true"}

    def selector(digits):
        return customer_reads.customer_lookup(user=user, centre=centre, digits=digits)

    def page(digits):
        response = client.get(url, {"phone": digits}, **headers)
        assert response.status_code == 200, response.status_code
        return response

    for _group, digits in typed[:20]:  # warm-up
        selector(digits), page(digits), run_raw(*floor_lookup(centre.pk, digits))
    rows: dict[str, dict[str, list[float]]] = {}
    same, found, other_centre = 0, 0, 0
    for group, digits in typed:
        sql, params = floor_lookup(centre.pk, digits)
        t0 = time.perf_counter()
        got = selector(digits)
        t1 = time.perf_counter()
        ids = [r[0] for r in run_raw(sql, params)]
        t2 = time.perf_counter()
        body = page(digits).content
        t3 = time.perf_counter()
        times = rows.setdefault(group, {"selector": [], "page": [], "floor": []})
        times["selector"].append(t1 - t0)
        times["floor"].append(t2 - t1)
        times["page"].append(t3 - t2)
        same += {c.pk for c in got} == set(ids)
        found += len(got)
        other_centre += sum(c.centre_id != centre.pk for c in got)
        assert body.count(b'data-testid="match"') == len(got), digits
    every = {k: [t for g in rows.values() for t in g[k]] for k in ("selector", "page", "floor")}
    overall = {k: pct(v) for k, v in every.items()}
    groups = {
        group: {k: pct(v) for k, v in times.items()} | {"n": len(times["floor"])}
        for group, times in sorted(rows.items())
    }
    plans = {}
    for label, digits in (("prefix 4", typed[0][1]), ("inner", typed[-1][1])):
        plans[label] = explain(*floor_lookup(centre.pk, digits))
    index = "VIRTUAL TABLE INDEX" if SQLITE else "service_customer_phone_trgm"
    worst = max(overall["selector"]["p95"], overall["page"]["p95"])
    return {
        "typed": len(typed),
        "numbers": sizes["numbers"],
        "matches_per_lookup": round(found / len(typed), 2),
        "same_ids_as_floor": f"{same}/{len(typed)}",
        "other_centre_found": other_centre,
        "overall": overall,
        "ratio_p50": {k: ratio(overall[k]["p50"], overall["floor"]["p50"]) for k in every},
        "ratio_p95": {k: ratio(overall[k]["p95"], overall["floor"]["p95"]) for k in every},
        "groups": groups,
        "plans": plans,
        "index_used": {k: any(index in line for line in v) for k, v in plans.items()},
        "target": {
            "p95_ms_below": 50,
            "ratio_at_most": 3,
            "met_p95": worst < 50,
            "met_ratio": max(
                ratio(overall["selector"]["p95"], overall["floor"]["p95"]) or 0,
                ratio(overall["page"]["p95"], overall["floor"]["p95"]) or 0,
            )
            <= 3,
        },
    }


# --- 2. the case list API (CS-1, CS-2, CS-6) ------------------------------------------------------

CASE_FLOOR = (
    "SELECT k.*, c.*, o.id, o.name, o.username, d.id, d.name FROM service_case k "
    "INNER JOIN service_customer c ON c.id = k.customer_id "
    "LEFT JOIN org_person o ON o.id = k.owner_id "
    "LEFT JOIN service_department d ON d.id = k.department_id "
    "WHERE k.centre_id = %s{where} ORDER BY k.opened_at DESC, k.id DESC LIMIT 50"
)


def part_cases(made: dict) -> dict:
    centre = made["centres"][data.MAIN]
    me = Person.objects.get(username="agent01")
    client = login("agent01")
    mine, open_ = " AND k.owner_id = %s", " AND k.state IN ('open', 'routed')"
    complaint = " AND k.category = 'complaint'"
    queries = {  # name: (query string, extra WHERE, extra params)
        "default": ("", "", []),
        "mine": ("mine=true", mine, [me.pk]),
        "open": ("open=true", open_, []),
        "category": ("category=complaint", complaint, []),
        "mine_open": ("mine=true&open=true", mine + open_, [me.pk]),
    }
    n = sizes["requests"]
    results = {}
    for name, (query, where, params) in queries.items():
        url = f"/api/service/{centre.code}/cases" + (f"?{query}" if query else "")
        sql, sql_params = CASE_FLOOR.format(where=where), [centre.pk, *params]

        def api(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        body = api().json()
        floor_rows = run_raw(sql, sql_params)
        assert [c["id"] for c in body["items"]] == [r[0] for r in floor_rows], name
        for _ in range(5):
            api(), run_raw(sql, sql_params)
        a, f = [], []
        until = time.monotonic() + args.seconds
        while len(a) < n and (len(a) < 20 or time.monotonic() < until):
            t0 = time.perf_counter()
            api()
            t1 = time.perf_counter()
            run_raw(sql, sql_params)
            f.append(time.perf_counter() - t1)
            a.append(t1 - t0)
        rep = replay(statements(api), max(5, len(a) // 4))
        m, fl = pct(a), pct(f)
        results[name] = {
            "path": url,
            "requests": len(a),
            **m,
            "floor": fl,
            "ratio_p50": ratio(m["p50"], fl["p50"]),
            "ratio_p95": ratio(m["p95"], fl["p95"]),
            "count": body["count"],
            "items": len(body["items"]),
            "db_replay": rep["sql"],
            "queries": rep["statements"],
            "slowest_sql": rep["slowest"],
            "plan": explain(sql, sql_params),
            "target": {"p95_ms_below": 100, "met": m["p95"] < 100},
        }
    return results


# --- 3. a campaign of every member (CS-7) ---------------------------------------------------------


def raw_members(campaign_id: int, rows: list[tuple]) -> float:
    """The floor: the same call-list rows by a raw bulk insert, committed."""
    names = ["version", "created_at", "updated_at", "campaign", "result", "attempts", "note"]
    names += ["offer", "customer", "agent"]
    cols = data.columns(CampaignMember, names)
    table = CampaignMember._meta.db_table
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if SQLITE:
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
        else:
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    return time.perf_counter() - started


def part_campaign(made: dict) -> dict:
    centre = made["centres"][data.MAIN]
    supervisor = Person.objects.get(username="super01")
    runs = []
    for k in range(sizes["campaigns"]):
        form = {"name": f"会员回访 {RUN}-{k + 1}", "rule": "members", "skill": "", "offer": ""}
        rec = Recorder()
        started = time.perf_counter()
        with connection.execute_wrapper(rec):
            campaign = campaign_writes.campaign_create(
                actor=supervisor, source=Source.CLI, centre=centre, data=form
            )
        elapsed = time.perf_counter() - started
        members = list(
            CampaignMember.objects.filter(campaign=campaign).values_list("customer_id", "agent_id")
        )
        per_agent: dict[int, int] = {}
        for _customer, agent in members:
            per_agent[agent] = per_agent.get(agent, 0) + 1
        runs.append(
            {
                "s": round(elapsed, 2),
                "members": len(members),
                "agents": len(per_agent),
                "per_agent_min_max": [min(per_agent.values()), max(per_agent.values())],
                "statements": len(rec.calls),
            }
        )
        # the floor: the same rows raw, into a campaign of its own, then removed
        shadow = Campaign.objects.create(
            centre=centre,
            name=f"floor {RUN}-{k}",
            rule="members",
            starts_at=campaign.starts_at,
            due_at=campaign.due_at,
        )
        now = data._value(campaign.starts_at)
        rows = [(1, now, now, shadow.pk, "pending", 0, "", "", c, a) for c, a in members]
        runs[-1]["floor_s"] = round(raw_members(shadow.pk, rows), 3)
        CampaignMember.objects.filter(campaign=shadow).delete()
        shadow.delete()
    times = [r["s"] for r in runs]
    floors = [r["floor_s"] for r in runs]
    return {
        "members": runs[0]["members"],
        "runs": runs,
        "best_s": min(times),
        "median_s": round(statistics.median(times), 2),
        "floor_best_s": min(floors),
        "ratio_best": ratio(min(times), min(floors)),
        "target": {"s_below": 10, "met": max(times) < 10},
    }


# --- 4. the telephone system's events (issue 12 item 9) -------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_reachable() -> bool:
    where = urlparse(args.redis)
    try:
        with socket.create_connection((where.hostname, where.port or 6379), timeout=2):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def serve(workers: int):
    """``zhiban serve --workers N`` on the bench's database (its data folder or DATABASE_URL);
    several workers share the live pushes through Redis."""
    sys.path.insert(0, str(ROOT))
    from tests.fresh import stop

    p = free_port()
    env = dict(os.environ)
    env.update(ZHIBAN_REDIS_PREFIX=f"zb_bench_service_{RUN}", ZHIBAN_LOG_LEVEL="WARNING")
    if workers > 1:
        env["REDIS_URL"] = args.redis
    log = Path(os.environ["ZHIBAN_DATA"]) / f"serve-{p}.log"
    connection.close()  # SQLite: the server's writers must not wait for the bench's
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "zhiban.cli", "serve", "--port", str(p)]
            + ["--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", p, timeout=3)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"service_scale: zhiban serve did not start:\n{log.read_text()}")
            time.sleep(0.3)
        time.sleep(3)  # the second worker boots
        yield p
    finally:
        stop(process)


class Sender(threading.Thread):
    """One client on a keep-alive connection sending its own requests in order."""

    def __init__(self, port: int, requests: list[tuple[str, str, bytes | None]], headers):
        super().__init__(daemon=True)
        self.port, self.requests, self.headers = port, requests, headers
        self.times: list[float] = []
        self.statuses: dict[int, int] = {}

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        for method, path, body in self.requests:
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=self.headers)
                answer = conn.getresponse()
                answer.read()
                status = answer.status
                if answer.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            self.times.append(time.perf_counter() - start)
            self.statuses[status] = self.statuses.get(status, 0) + 1
        conn.close()


def send_all(port: int, per_client: list[list], headers: list[dict]) -> dict:
    senders = [Sender(port, r, h) for r, h in zip(per_client, headers, strict=True)]
    started = time.perf_counter()
    for s in senders:
        s.start()
    for s in senders:
        s.join()
    elapsed = time.perf_counter() - started
    statuses: dict[int, int] = {}
    for s in senders:
        for status, k in s.statuses.items():
            statuses[status] = statuses.get(status, 0) + k
    total = sum(len(r) for r in per_client)
    return {
        "requests": total,
        "elapsed_s": round(elapsed, 2),
        "per_s": round(total / elapsed, 1),
        "latency_ms": pct([t for s in senders for t in s.times])
        | {"p99": round(sorted(t for s in senders for t in s.times)[int(0.99 * total)] * 1000, 2)},
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "http_5xx": sum(k for code, k in statuses.items() if code >= 500),
    }


def call_events(clients: int, total: int, agents: list[str], numbers: list[str]) -> list[list]:
    """Each client's events: its calls' newCall → answer → hangup in order, three calls in
    flight; ~5 % missed (no answer), ~8 % outgoing, ~20 % from numbers not yet customers."""
    per_client: list[list] = [[] for _ in range(clients)]
    calls = total // 3 + 1
    made = 0
    for c in range(clients):
        flight: deque = deque()
        events: list[dict] = []
        k = 0
        while made * 3 < total and (k < calls // clients + 1):
            call_id = f"bench-{RUN}-{c}-{k}"
            number = rnd.choice(numbers) if rnd.random() < 0.8 else f"139{rnd.randrange(10**8):08d}"
            rung = rnd.sample(agents, 2)
            outgoing = rnd.random() < 0.08
            new = {"event": "newCall", "callId": call_id, "queue": "hotline"}
            if outgoing:
                new |= {"from": "4008200365", "to": number, "direction": "out", "user": rung[:1]}
            else:
                new |= {"from": number, "to": "4008200365", "direction": "in", "user": rung}
            if not outgoing and rnd.random() < 0.05:
                cause = rnd.choice(["cancel", "noAnswer", "busy"])
                steps = [new, {"event": "hangup", "callId": call_id, "cause": cause}]
            else:
                recording = f"/var/spool/asterisk/monitor/{call_id}.wav"
                steps = [
                    new,
                    {"event": "answer", "callId": call_id, "user": rung[0]},
                    {
                        "event": "hangup",
                        "callId": call_id,
                        "cause": "normalClearing",
                        "recording": recording,
                    },
                ]
            flight.append(iter(steps))
            k += 1
            made += 1
            while len(flight) >= 3:
                step = next(flight[0], None)
                if step is None:
                    flight.popleft()
                else:
                    events.append(step)
                    flight.rotate(-1)
        while flight:
            step = next(flight[0], None)
            if step is None:
                flight.popleft()
            else:
                events.append(step)
                flight.rotate(-1)
        per_client[c] = events
    return per_client


def part_calls(made: dict) -> dict:
    centre = made["centres"][data.MAIN]
    tokens = made["tokens"]
    agents = sorted(p.username for p in made["people"][data.MAIN][Role.CS_AGENT])
    last = Customer.objects.filter(centre=centre).order_by("-pk").values_list("pk", flat=True)[0]
    picks = [rnd.randint(1, last) for _ in range(2000)]
    numbers = list(
        Customer.objects.filter(centre=centre, pk__in=picks).values_list("phone", flat=True)
    )
    clients = len(tokens)
    events = call_events(clients, sizes["events"], agents, numbers)
    bodies = [
        [("POST", "/api/service/calls", json.dumps(e).encode()) for e in client]
        for client in events
    ]
    sent = sum(len(b) for b in bodies)
    headers = [{"Content-Type": "application/json", "Authorization": f"Bearer {t}"} for t in tokens]
    kinds: dict[str, int] = {}
    for client in events:
        for e in client:
            kinds[e["event"]] = kinds.get(e["event"], 0) + 1
    load = os.getloadavg()[0]
    workers = 2 if redis_reachable() else 1
    with serve(workers) as port:
        per = sent // clients
        health = [[("GET", "/healthz", None)] * per for _ in range(clients)]
        say(f"floor: {per * clients} GET /healthz from {clients} clients")
        floor = send_all(port, health, [{} for _ in range(clients)])
        say(f"{sent} call events from {clients} clients, a token each")
        ours = send_all(port, bodies, headers)
    stored = Call.objects.filter(centre=centre, call_id__startswith=f"bench-{RUN}-")
    return {
        "events": sent,
        "kinds": kinds,
        "clients": clients,
        "tokens": len(set(tokens)),
        "server": f"zhiban serve --workers {workers} (uvicorn)"
        + (", Redis channel layer" if workers > 1 else f", no Redis at {args.redis}"),
        "load_before": round(load, 2),
        "calls": ours,
        "calls_stored": stored.count(),
        "calls_sent": sum(1 for client in events for e in client if e["event"] == "newCall"),
        "missed_stored": stored.filter(missed=True).count(),
        "floor_healthz": floor,
        "ratio_to_floor": ratio(ours["per_s"], floor["per_s"]),
        "target": {"events_per_s_at_least": 500, "met": ours["per_s"] >= 500},
    }


# --- the run --------------------------------------------------------------------------------------


def main() -> None:
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    made, generated = world()
    counts = {
        "customers": Customer.objects.count(),
        "customers_kf01": Customer.objects.filter(centre=made["centres"][data.MAIN]).count(),
        "members_kf01": Customer.objects.filter(
            centre=made["centres"][data.MAIN], is_member=True
        ).count(),
    }
    with connection.cursor() as cursor:
        for table in ("service_case", "service_contact"):
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table.split("_")[1] + "s"] = cursor.fetchone()[0]
    parts = [] if args.generate_only else (args.part or list(PARTS))
    results: dict = {}
    loads: dict = {}
    for name in parts:
        loads[name] = round(os.getloadavg()[0], 2)
        say(f"{name} (1-minute load {loads[name]})")
        t0 = time.perf_counter()
        results[name] = globals()[f"part_{name}"](made)
        results[name]["part_s"] = round(time.perf_counter() - t0, 1)
    report(
        "service_scale",
        {
            "quick": Q,
            "sizes": sizes,
            "generated": {**counts, **generated},
            "cores": os.cpu_count(),
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "load_at_part": loads,
            "results": results,
            "total_s": round(time.perf_counter() - started, 1),
            **({"data": os.environ["ZHIBAN_DATA"]} if args.keep and SQLITE else {}),
        },
    )
    summary(results, counts)


def summary(results: dict, counts: dict) -> None:
    head = f"service_scale ({connection.vendor}, {counts['customers']:,} customers, "
    head += f"{counts['contacts']:,} contacts, {counts['cases']:,} cases)"
    met = {True: "met", False: "MISSED"}
    if r := results.get("lookup"):
        o = r["overall"]
        print(
            f"{head}: lookup ({r['typed']} typed) selector p50 {o['selector']['p50']} / p95 "
            f"{o['selector']['p95']} ms, page p50 {o['page']['p50']} / p95 {o['page']['p95']} "
            f"ms, floor {o['floor']['p50']} / {o['floor']['p95']} ms; p95 ×{r['ratio_p95']['page']}"
            f" (page) ×{r['ratio_p95']['selector']} (selector) of the floor (target p95 < 50 ms: "
            f"{met[r['target']['met_p95']]}; ≤ 3×: {met[r['target']['met_ratio']]})"
        )
    if r := results.get("cases"):
        print(
            f"{head}: case list "
            + "; ".join(
                f"{k} p50 {v['p50']} / p95 {v['p95']} ms (floor {v['floor']['p50']} / "
                f"{v['floor']['p95']})"
                for k, v in r.items()
                if isinstance(v, dict) and "p95" in v
            )
            + f" (target p95 < 100 ms: "
            f"{met[all(v['target']['met'] for v in r.values() if isinstance(v, dict))]})"
        )
    if r := results.get("campaign"):
        print(
            f"{head}: campaign of {r['members']:,} members "
            + ", ".join(f"{x['s']} s" for x in r["runs"])
            + f" (floor {r['floor_best_s']} s, ×{r['ratio_best']}; target < 10 s: "
            f"{met[r['target']['met']]})"
        )
    if r := results.get("calls"):
        c, f = r["calls"], r["floor_healthz"]
        print(
            f"{head}: call events {c['per_s']}/s p50 {c['latency_ms']['p50']} p95 "
            f"{c['latency_ms']['p95']} ms, 5xx {c['http_5xx']}, {r['calls_stored']}/"
            f"{r['calls_sent']} calls stored; /healthz {f['per_s']}/s p95 "
            f"{f['latency_ms']['p95']} ms (×{r['ratio_to_floor']}; target ≥ 500/s: "
            f"{met[r['target']['met']]})"
        )


def cleanup() -> None:
    if args.keep or not filled:
        return
    if SQLITE:
        connection.close()
        if own_data_dir:
            shutil.rmtree(os.environ["ZHIBAN_DATA"], ignore_errors=True)
        return
    keep = {"django_migrations", "django_content_type", "auth_permission"}
    tables = [t for t in connection.introspection.table_names() if t not in keep]
    with connection.cursor() as cursor:  # the database was empty when we started
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


try:
    main()
finally:
    cleanup()
