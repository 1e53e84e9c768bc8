"""Duty at company scale: a year of history for 30 centres, and what one centre's people wait
for, each against a floor measured in the same run.

Generated (fast, straight into the tables — NOT through ``duty.services``: the services are
the door for people's writes, one audited entry at a time, and would take hours for two
million rows; here the point is the size of the tables, not the audit trail):

- 30 centres (``--centres``), 40 sites each, 600 people (20 per centre) with memberships;
- 3 shift patterns per centre (早班/中班/夜班) and one shift per pattern and day for 365 days
  (30 × 365 × 3 ≈ 33,000 shifts, up to tomorrow) with 3 people on each (roster entries,
  signed in and out for the past ones), 4 check items and 3 open carried-over items;
- 2,000,000 duty-log entries (``--entries``) spread over the last year up to now, ids in time
  order, Chinese texts built from a vocabulary (stations, 主变/开关/母线/线路/电容器/…,
  接地/跳闸/告警/复归/遥控/检修/…): "电容器" is in a few percent of the entries, "接地" in
  several percent, "消弧线圈" in well under one percent; 0.3 % are corrections.

Org records go through the ORM's bulk_create; log entries and roster places through raw
executemany (SQLite, one transaction per batch) or COPY (PostgreSQL). SQLite: the FTS5
insert trigger is dropped for the load, the index rebuilt in one go, and the trigger created
again exactly as migration duty 0002 defines it. PostgreSQL: the pg_trgm index is dropped
for the load and created again as the migration defines it, then VACUUM ANALYZE (what
autovacuum would have done by the time anyone searches).

Measured for one ordinary centre (not the first), ``--requests`` (200) requests each after
warm-up, p50 and p95 in ms, through django.test.Client as a chief operator of the centre:

- the console page GET /c/<code>/ — vs. the same SELECTs it sends, replayed raw (DB share);
- GET /api/centres/<code>/log?limit=50 — vs. the raw SELECT of the same 50 rows;
- the same with q=电容器, q=接地 (two characters: no trigram index can serve it), q=消弧线圈 —
  vs. the raw search query of the same 50 rows (SQLite: the FTS5 MATCH sub-select, or LIKE for
  two characters; PostgreSQL: UPPER(text) LIKE UPPER('%…%') served by pg_trgm, or LIKE).

For every API measurement the SQL Django sends is also replayed raw statement by statement,
so a ratio above the target can be traced to a statement (e.g. the COUNT(*) of pagination)
or to Python. Plans (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE) of the floors and of Django's
statements go into the JSON under "plans"; "index_used" says whether the trigram index
serves each search.

Run small for a quick check: ``python bench/duty_scale.py --entries 100000 --centres 5``.
With DATABASE_URL (PostgreSQL) the database must be empty (freshly created); it is emptied
again at the end unless ``--keep``. ``--reuse`` measures data kept by an earlier ``--keep``
run (SQLite: set ZHIBAN_DATA to the kept folder).

Prints one JSON line and a one-line summary of ratios (lower is better; 1.0 = the floor).
"""

from __future__ import annotations

import argparse
import importlib
import math
import os
import random
import shutil
import statistics
import time
import zoneinfo
from collections import deque
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("--entries", type=int, default=2_000_000, help="log entries (2,000,000)")
parser.add_argument("--centres", type=int, default=30, help="centres (30)")
parser.add_argument("--requests", type=int, default=200, help="requests per measurement (200)")
parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
parser.add_argument("--reuse", action="store_true", help="measure data kept by --keep")
args = parser.parse_args()
own_data_dir = "ZHIBAN_DATA" not in os.environ
filled = False  # set once this run put data in the database (only then is it emptied)

from _setup import report  # noqa: E402  (configures Django and migrates)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhiban.duty.models import (  # noqa: E402
    CarriedItem,
    CheckItem,
    LogEntry,
    RosterEntry,
    Shift,
    ShiftPattern,
)
from zhiban.duty.selectors import SHORT_SEARCH_DAYS  # noqa: E402
from zhiban.org.models import Centre, Membership, Person, Site  # noqa: E402

SQLITE = connection.vendor == "sqlite"
SEARCH_INDEX = importlib.import_module("zhiban.duty.migrations.0002_log_search_index")
TZ = "Asia/Shanghai"
DAYS = 365
PEOPLE_PER_CENTRE = 20
SITES_PER_CENTRE = 40
CODE = "z{:02d}"  # centre codes z01 … z30
rnd = random.Random(20260101)


def _pairs(text: str) -> list[str]:
    """Two-character names written one after the other."""
    return [text[i : i + 2] for i in range(0, len(text), 2)]


CITIES = _pairs(
    "苏吴星湖姑苏相城吴江昆山常熟太仓无锡江阴宜兴常州溧阳金坛南通海门启东如皋南京江宁"
    "六合镇江丹阳扬州泰州盐城淮安宿迁徐州高邮兴化句容"
)
PLACES = _pairs(
    "东吴横泾东山越溪木渎胥口光福藏书临湖甪直车坊郭巷尹山长桥龙西城南宝带石湖枫桥浒关"
    "通安东渚镇湖望亭黄桥北桥渭塘太平湘城阳澄唯亭胜浦斜塘娄葑跨塘金鸡独墅月亮天平灵岩"
    "穹窿渔洋旺山七子上方横塘新郭蠡墅友新南环盘门胥江平江观前山塘虎丘白洋黄埭"
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏辉宇浩凯健俊帆晨阳文斌"
TEAMS = ["越溪操作队", "吴中操作队", "城区操作队", "远动班", "检修班", "继保班", "变电运维班"]
DISPATCH = ["地调", "县调", "配调"]
VOLTS = ["10kV", "10kV", "35kV", "110kV"]
SECTIONS = ["I段", "II段", "III段"]
ROLES = (
    ["chief_operator"] * 4
    + ["deputy_operator"] * 4
    + ["field_operator"] * 8
    + ["team_leader"] * 2
    + ["department_head", "manager"]
)
CATEGORIES = [  # (category, weight)
    ("operation", 30),
    ("patrol", 15),
    ("anomaly", 12),
    ("phone", 10),
    ("handover", 7),
    ("notice", 6),
    ("other", 5),
    ("grounding", 4),
    ("acdc", 4),
    ("load_limiting", 2),
    ("weather", 1),
]
CAT_NAMES = [c for c, _ in CATEGORIES]
CAT_WEIGHTS = [w for _, w in CATEGORIES]


def _line() -> str:
    return rnd.choice(PLACES) + rnd.choice(["线", "一线", "二线", f"{rnd.randint(1, 9)}号线"])


def _breaker() -> str:
    return f"{rnd.randint(101, 399)}"


EQUIPMENT = [  # (phrase maker, weight) — weights set the share of each word
    (lambda: f"{rnd.randint(1, 3)}号主变", 14),
    (lambda: f"{rnd.choice(VOLTS)}{_line()}{_breaker()}开关", 26),
    (lambda: f"{rnd.choice(VOLTS)}{rnd.choice(SECTIONS)}母线", 12),
    (lambda: f"{rnd.choice(VOLTS)}{_line()}", 14),
    (lambda: f"{rnd.choice(VOLTS[:2])}{rnd.randint(1, 4)}号电容器", 5),
    (lambda: f"{rnd.randint(1, 2)}号站用变", 5),
    (lambda: f"{rnd.randint(1, 2)}号电抗器", 3),
    (lambda: f"{rnd.randint(1, 2)}号消弧线圈", 0.6),
    (lambda: "直流系统", 5),
    (lambda: f"{rnd.choice(VOLTS)}{rnd.choice(SECTIONS)}母线PT", 3),
    (lambda: f"{_line()}保护装置", 6),
    (lambda: "远动通道", 3),
    (lambda: f"{rnd.choice(VOLTS)}{rnd.choice(SECTIONS)}母线避雷器", 2),
    (lambda: f"{_line()}{_breaker()}{rnd.randint(1, 4)}刀闸", 4),
]
EQ_MAKERS = [m for m, _ in EQUIPMENT]
EQ_WEIGHTS = [w for _, w in EQUIPMENT]
ALARMS = [
    "过负荷告警",
    "控制回路断线告警",
    "不平衡告警",
    "油温高告警",
    "通信中断",
    "装置异常告警",
    "事故跳闸，重合成功",
    "事故跳闸，重合不成功",
    "SF6压力低告警",
    "弹簧未储能告警",
]


def _eq() -> str:
    return rnd.choices(EQ_MAKERS, EQ_WEIGHTS)[0]()


def _who() -> str:
    return rnd.choice(SURNAMES) + rnd.choice(GIVEN)


def log_text(category: str, station: str) -> str:
    """One entry in the words of a power monitoring centre's duty log."""
    r = rnd.random()
    if category == "operation":
        if r < 0.12:
            line = _line()
            return (
                f"{station}{rnd.choice(VOLTS)}{line}{_breaker()}开关由运行转检修，"
                f"合上{line}{_breaker()}{rnd.randint(4, 7)}接地刀闸（{_who()}操作，{_who()}监护）"
            )
        if r < 0.2:
            return f"{station}{_eq()}检修工作结束，拆除接地线{rnd.randint(1, 6)}组，恢复运行"
        verb = rnd.choice(["遥控拉开", "遥控合上", "遥控拉开", "遥控合上", "投入", "退出"])
        return f"{verb}{station}{_eq()}（{rnd.choice(DISPATCH)}{_who()}令，{_who()}操作）"
    if category == "anomaly":
        tail = rnd.choice(
            [
                f"，{rnd.randint(5, 90)}秒后复归",
                f"，已汇报{rnd.choice(DISPATCH)}，通知{rnd.choice(TEAMS)}处理",
                "，现场检查中",
                "，已复归，原因待查",
            ]
        )
        return f"{station}{_eq()}{rnd.choice(ALARMS)}{tail}"
    if category == "grounding":
        return (
            f"{station}{rnd.choice(VOLTS[:3])}{rnd.choice(SECTIONS)}母线小电流接地告警，"
            f"接地选线为{_line()}，{rnd.randint(10, 120)}秒后复归"
        )
    if category == "phone":
        return f"{rnd.choice(TEAMS)}{_who()}来电：{station}{_eq()}现场检查" + rnd.choice(
            ["无异常", "发现渗油，已登记缺陷", "正常，可以送电"]
        )
    if category == "patrol":
        if r < 0.5:
            return f"监控巡视：{station}各设备运行正常，无告警"
        return f"{station}{_eq()}红外测温正常，最高温度{rnd.randint(25, 68)}℃"
    if category == "handover":
        return f"交接班完成，遗留问题{rnd.randint(0, 4)}项，{station}工作票{rnd.randint(0, 3)}张"
    if category == "notice":
        return f"上级通知：今晚{rnd.randint(18, 23)}:00起加强对{station}的监视，{_eq()}重点关注"
    if category == "other":
        return f"请下一班关注：{station}{_eq()}{rnd.choice(ALARMS)}，{rnd.choice(TEAMS)}跟进"
    if category == "acdc":
        return rnd.choice(
            [
                f"{station}直流系统充电机切换至{rnd.randint(1, 2)}号充电机运行",
                f"{station}站用电由{rnd.randint(1, 2)}号站用变切换至备用电源",
                f"{station}蓄电池组核对性充放电开始",
            ]
        )
    if category == "load_limiting":
        return (
            f"执行{rnd.choice(DISPATCH)}限电指令：遥控拉开{station}{_line()}{_breaker()}开关，"
            f"限负荷{rnd.randint(2, 30)}MW"
        )
    return f"台风预警：加强{station}监视，{rnd.choice(TEAMS)}值守到位"


# --- generation ------------------------------------------------------------------------------


def make_org(n_centres: int):
    now = timezone.now()
    centres = Centre.objects.bulk_create(
        Centre(
            code=CODE.format(i + 1),
            name=f"{CITIES[i % len(CITIES)]}{'' if i < len(CITIES) else i}监控中心",
            kind="power",
            time_zone=TZ,
        )
        for i in range(n_centres)
    )
    sites = []
    for centre in centres:
        for j, place in enumerate(rnd.sample(PLACES, SITES_PER_CENTRE)):
            sites.append(
                Site(
                    centre=centre,
                    code=f"S{j + 1:02d}",
                    name=f"{place}变",
                    kind="substation",
                    voltage_level=rnd.choice(["35kV", "110kV", "220kV"]),
                )
            )
    sites = Site.objects.bulk_create(sites, batch_size=500)
    for s in sites:
        s.tree_path = f"/{s.pk:010d}/"
    Site.objects.bulk_update(sites, ["tree_path"], batch_size=500)
    password = make_password("Bench#pass-2026")  # one hash: PBKDF2 for 600 people is slow
    people = Person.objects.bulk_create(
        (
            Person(
                username=f"{CODE.format(i + 1)}p{j:02d}",
                name=_who(),
                password=password,
                language="zh-hans",
                date_joined=now,
            )
            for i in range(n_centres)
            for j in range(PEOPLE_PER_CENTRE)
        ),
        batch_size=500,
    )
    Membership.objects.bulk_create(
        (
            Membership(person=p, centre=centres[k // PEOPLE_PER_CENTRE], role=ROLES[k % 20])
            for k, p in enumerate(people)
        ),
        batch_size=500,
    )
    for centre in centres:
        CheckItem.objects.bulk_create(
            CheckItem(centre=centre, name=name, order=o)
            for o, name in enumerate(["钥匙", "对讲机", "监控设备运行", "录音电话"])
        )
    return centres, sites, people


def make_roster(centres, people, today: date) -> tuple[int, int]:
    """3 patterns a centre, one shift per pattern and day (a year up to tomorrow), 3 people on
    each: four crews take the shifts in turn."""
    tz = zoneinfo.ZoneInfo(TZ)
    now = timezone.now()
    patterns = ShiftPattern.objects.bulk_create(
        ShiftPattern(centre=c, name=name, starts=dtime(s), ends=dtime(e))
        for c in centres
        for name, s, e in [("夜班", 0, 8), ("早班", 8, 16), ("中班", 16, 0)]
    )
    days = [today + timedelta(days=1 - d) for d in range(DAYS)][::-1]
    shifts = []
    for p in patterns:
        for day in days:
            starts, ends = p.window(day, tz)
            shifts.append(
                Shift(centre=p.centre, pattern=p, day=day, starts_at=starts, ends_at=ends)
            )
    shifts.sort(key=lambda s: (s.starts_at, s.centre_id))
    shifts = Shift.objects.bulk_create(shifts, batch_size=2000)
    by_centre = {}
    for k, person in enumerate(people):
        by_centre.setdefault(centres[k // PEOPLE_PER_CENTRE].pk, []).append(person)
    first_day = days[0]
    rows = []
    for s in shifts:
        staff = by_centre[s.centre_id]
        slot = (s.day - first_day).days * 3 + s.starts_at.astimezone(tz).hour // 8
        crew = slot % 4  # crew k: chief k, deputy 4+k, operator 8+k
        signed_in = (
            s.starts_at - timedelta(minutes=rnd.randint(5, 25)) if s.starts_at < now else None
        )
        signed_out = s.ends_at + timedelta(minutes=rnd.randint(2, 20)) if s.ends_at < now else None
        for post, person in (
            ("正值", staff[crew]),
            ("副值", staff[4 + crew]),
            ("值班员", staff[8 + crew]),
        ):
            rows.append((1, now, now, s.pk, person.pk, post, signed_in, False, signed_out))
    cols = (
        "version, created_at, updated_at, shift_id, person_id, post, signed_in_at, late, "
        "signed_out_at"
    )
    load_rows("duty_rosterentry", cols, rows)
    for centre in centres:
        centre_sites = list(centre.sites.all()[:3])
        opener = by_centre[centre.pk][0]
        CarriedItem.objects.bulk_create(
            CarriedItem(
                centre=centre,
                text=f"{site.name}{_eq()}{rnd.choice(ALARMS)}原因待查，{rnd.choice(TEAMS)}已到现场",
                continued_by=rnd.choice(TEAMS),
                site=site,
                opened_by=opener,
            )
            for site in centre_sites
        )
    return len(shifts), len(rows)


def _value(dt: datetime):
    """A UTC datetime as the backend stores it (SQLite: Django's text form)."""
    return str(dt.astimezone(UTC).replace(tzinfo=None)) if SQLITE else dt


def load_rows(table: str, cols: str, rows) -> None:
    """Insert ``rows`` (tuples in ``cols`` order): one executemany per transaction on SQLite,
    COPY on PostgreSQL."""
    if not rows:
        return
    if SQLITE:
        rows = [tuple(_value(v) if isinstance(v, datetime) else v for v in r) for r in rows]
        marks = ", ".join(["%s"] * len(rows[0]))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
        return
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


LOG_COLS = (
    "id, centre_id, at, recorded_at, author_id, author_label, category, text, site_id, "
    "equipment_id, content_type_id, object_id, corrects_id"
)


def make_log(centres, sites, people, total: int, today: date) -> int:
    """``total`` entries over the last DAYS days up to now, ids in time order."""
    tz = zoneinfo.ZoneInfo(TZ)
    now = timezone.now()
    per_centre = [
        total // len(centres) + (1 if i < total % len(centres) else 0) for i in range(len(centres))
    ]
    # day weights: busier on weekdays and in summer and winter peaks, some noise
    days = [today - timedelta(days=DAYS - 1 - d) for d in range(DAYS)]
    alloc = []  # alloc[c][d]
    for n in per_centre:
        w = [
            (1.1 if day.weekday() < 5 else 0.8)
            * (1 + 0.25 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 200) / 182.5))
            * rnd.uniform(0.8, 1.2)
            for day in days
        ]
        s, acc, prev, counts = sum(w), 0.0, 0, []
        for x in w:
            acc += x
            cum = round(acc / s * n)
            counts.append(cum - prev)
            prev = cum
        alloc.append(counts)
    site_lists = {}
    for s in sites:
        site_lists.setdefault(s.centre_id, []).append((s.pk, s.name))
    staff = {}
    for k, p in enumerate(people):
        staff.setdefault(centres[k // PEOPLE_PER_CENTRE].pk, []).append((p.pk, p.name))
    hours = list(range(24))
    hour_w = [0.4] * 7 + [1.6] * 11 + [1.0] * 6
    recent = {c.pk: deque(maxlen=300) for c in centres}
    next_id, batch, written = 1, [], 0
    if SQLITE:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS duty_logentry_fts_ai")
    else:
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_INDEX.POSTGRES_REVERSE[0])
    try:
        for d, day in enumerate(days):
            midnight = datetime.combine(day, dtime.min, tzinfo=tz)
            span = 86400 if day < today else max(60, int((now - midnight).total_seconds()) - 60)
            day_rows = []
            for ci, centre in enumerate(centres):
                for _ in range(alloc[ci][d]):
                    if span == 86400:
                        sec = rnd.choices(hours, hour_w)[0] * 3600 + rnd.randrange(3600)
                    else:
                        sec = rnd.randrange(span)
                    day_rows.append((sec, centre.pk))
            day_rows.sort()
            for sec, cid in day_rows:
                at = (midnight + timedelta(seconds=sec)).astimezone(UTC)
                recorded = at + timedelta(seconds=rnd.randint(5, 600))
                author_id, author_name = rnd.choice(staff[cid])
                site_id, site_name = rnd.choice(site_lists[cid])
                category = rnd.choices(CAT_NAMES, CAT_WEIGHTS)[0]
                text = log_text(category, site_name)
                corrects = None
                if rnd.random() < 0.003 and recent[cid]:
                    corrects = rnd.choice(recent[cid])
                    text = "更正：" + text
                if rnd.random() < 0.08:
                    site_id = None
                batch.append(
                    (
                        next_id,
                        cid,
                        at,
                        recorded,
                        author_id,
                        author_name,
                        category,
                        text,
                        site_id,
                        None,
                        None,
                        "",
                        corrects,
                    )
                )
                recent[cid].append(next_id)
                next_id += 1
            if len(batch) >= 50_000 or d == DAYS - 1:
                load_rows("duty_logentry", LOG_COLS, batch)
                written += len(batch)
                batch = []
    finally:
        with connection.cursor() as cursor:
            if SQLITE:
                cursor.execute("INSERT INTO duty_logentry_fts(duty_logentry_fts) VALUES('rebuild')")
                cursor.execute(SEARCH_INDEX.SQLITE[1])  # the insert trigger, as migrated
            else:
                cursor.execute("SET maintenance_work_mem = '1GB'")
                cursor.execute(SEARCH_INDEX.POSTGRES[1])
                cursor.execute("RESET maintenance_work_mem")
    if not SQLITE:
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [LogEntry]):
                cursor.execute(sql)
    return written


# --- measuring -------------------------------------------------------------------------------


def pct(times: list[float]) -> dict:
    ms = sorted(t * 1000 for t in times)
    return {
        "p50": round(statistics.median(ms), 2),
        "p95": round(ms[max(0, math.ceil(0.95 * len(ms)) - 1)], 2),
    }


CPU: list[float] = []  # thread CPU time of each measured request (see sample_pair)


def sample_pair(fn, floor=None, n: int = 200, warm: int = 5):
    """Measured and floor in turn, so that a disturbance of the machine hits both alike.
    The measured call's thread CPU time goes to CPU: on a busy machine it shows what the
    request costs undisturbed (with SQLite it includes the database's work; with PostgreSQL
    the server's share is not in it)."""
    for _ in range(warm):
        fn()
        if floor:
            floor()
    a, b = [], []
    CPU.clear()
    for _ in range(n):
        start, cpu = time.perf_counter(), time.thread_time()
        fn()
        middle = time.perf_counter()
        CPU.append(time.thread_time() - cpu)
        a.append(middle - start)
        if floor:
            floor()
            b.append(time.perf_counter() - middle)
    return a, b


class Recorder:
    """Records the (sql, params) Django sends while active."""

    def __init__(self):
        self.calls = []

    def __call__(self, execute, sql, params, many, context):
        self.calls.append((sql, params))
        return execute(sql, params, many, context)


def statements(fn) -> list:
    rec = Recorder()
    with connection.execute_wrapper(rec):
        fn()
    return rec.calls


def run_raw(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def explain(sql, params) -> list[str]:
    with connection.cursor() as cursor:
        if SQLITE:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return [row[3] for row in cursor.fetchall()]
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + sql, params)
        return [row[0] for row in cursor.fetchall()]


def replay(calls, n: int) -> dict:
    """The SELECTs of one request replayed raw, n times: total p50/p95, the duty-log
    statements' share (p50 summed) and the slowest statements."""
    selects = [(s, p) for s, p in calls if s.lstrip().upper().startswith("SELECT")]
    per = [[] for _ in selects]
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
        "selects": len(selects),
        "sql": pct(totals),
        "log_sql_p50": round(sum(t for t, s in p50s if '"duty_logentry"' in s), 2),
        "slowest": [{"p50": round(t, 2), "sql": s[:160]} for t, s in sorted(p50s)[::-1][:3]],
    }


def is_index_used(plan: list[str]) -> bool:
    text = " ".join(plan)
    return (
        ("duty_logentry_fts VIRTUAL TABLE INDEX" in text)
        if SQLITE
        else ("duty_log_text_trgm" in text)
    )


def main() -> None:
    t_start = time.perf_counter()
    load_before = os.getloadavg()[0]
    existing = Centre.objects.count()
    if existing and not args.reuse:
        raise SystemExit(
            "duty_scale: the database already holds centres; give a fresh database "
            "(or --reuse to measure data kept by --keep)"
        )
    centre_count = existing or args.centres
    today = timezone.localdate(timezone=zoneinfo.ZoneInfo(TZ))
    generated = {}
    if not existing:
        global filled
        filled = True
        t0 = time.perf_counter()
        centres, sites, people = make_org(args.centres)
        n_shifts, n_roster = make_roster(centres, people, today)
        t1 = time.perf_counter()
        n_log = make_log(centres, sites, people, args.entries, today)
        t2 = time.perf_counter()
        if not SQLITE:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        generated = {
            "inserted": {"shifts": n_shifts, "roster": n_roster, "log": n_log},
            "org_roster_s": round(t1 - t0, 1),
            "log_s": round(t2 - t1, 1),
            "analyze_s": round(time.perf_counter() - t2, 1),
        }
    counts = {
        "centres": Centre.objects.count(),
        "people": Person.objects.count(),
        "sites": Site.objects.count(),
        "shifts": Shift.objects.count(),
        "roster_entries": RosterEntry.objects.count(),
        "log_entries": LogEntry.objects.count(),
    }
    centre = Centre.objects.get(code=CODE.format(centre_count // 2 + 1 if centre_count > 1 else 1))
    person = Person.objects.filter(
        memberships__centre=centre, memberships__role="chief_operator"
    ).first()
    client = Client()
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    n = args.requests
    results: dict = {}
    plans: dict = {}
    index_used: dict = {}
    centre_rows = LogEntry.objects.filter(centre=centre).count()

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return response

        return call

    # (a) the console page
    console = get(f"/c/{centre.code}/")
    times, _ = sample_pair(console, None, n)
    cpu = pct(CPU)
    calls = statements(console)
    rep = replay(calls, max(20, n // 4))
    m = pct(times)
    results["console"] = {
        **m,
        "cpu": cpu,
        "db_replay": rep["sql"],
        "queries": rep["statements"],
        "db_share_p50": round(rep["sql"]["p50"] / m["p50"], 2),
        "slowest_sql": rep["slowest"],
    }

    cols = (
        "id, centre_id, at, recorded_at, author_id, author_label, category, text, site_id, "
        "equipment_id, corrects_id"
    )
    list_floor = (
        f"SELECT {cols} FROM duty_logentry WHERE centre_id = %s ORDER BY at DESC, id DESC LIMIT 50"
    )

    recent = _value(timezone.now() - timedelta(days=SHORT_SEARCH_DAYS))

    def search_floor(word: str) -> tuple[str, list]:
        if len(word) < 3:  # below three characters: a substring scan of the recent days
            cond, params = "at >= %s AND text LIKE %s", [recent, f"%{word}%"]
        elif SQLITE:
            cond = "id IN (SELECT rowid FROM duty_logentry_fts WHERE duty_logentry_fts MATCH %s)"
            params = ['"' + word + '"']
        else:
            cond, params = "UPPER(text) LIKE UPPER(%s)", [f"%{word}%"]
        return (
            f"SELECT {cols} FROM duty_logentry WHERE centre_id = %s AND {cond} "
            "ORDER BY at DESC, id DESC LIMIT 50",
            [centre.pk, *params],
        )

    def count_of(floor_sql: str, params: list) -> int:
        """How many rows match, whatever the page (for the report only)."""
        where = floor_sql.split(" FROM duty_logentry ", 1)[1].split(" ORDER BY ")[0]
        return run_raw(f"SELECT COUNT(*) FROM duty_logentry {where}", params)[0][0]

    cases = {"log_list": ("", (list_floor, [centre.pk]))}
    for word in ["电容器", "接地", "消弧线圈"]:
        cases[f"search_{word}"] = (word, search_floor(word))
    for name, (word, (floor_sql, floor_params)) in cases.items():
        url = f"/api/centres/{centre.code}/log?limit=50" + (f"&q={word}" if word else "")
        api = get(url)
        body = api().json()
        floor_rows = run_raw(floor_sql, floor_params)
        assert [r["id"] for r in body["items"]] == [r[0] for r in floor_rows], name
        times, floor_times = sample_pair(api, lambda s=floor_sql, p=floor_params: run_raw(s, p), n)
        cpu = pct(CPU)
        calls = statements(api)
        rep = replay(calls, max(20, n // 4))
        m, f = pct(times), pct(floor_times)
        results[name] = {
            **m,
            "floor": f,
            "cpu": cpu,
            "ratio_p50": round(m["p50"] / f["p50"], 2),
            "ratio_p95": round(m["p95"] / f["p95"], 2),
            "db_ratio_p50": round(rep["log_sql_p50"] / f["p50"], 2),
            "rows": len(floor_rows),
            "count": body["count"],  # null for a search: the API does not count matches
            "matches": (matches := count_of(floor_sql, floor_params)),
            "share_of_centre": round(matches / centre_rows, 4),
            "db_replay": rep["sql"],
            "log_sql_p50": rep["log_sql_p50"],
            "queries": rep["statements"],
            "slowest_sql": rep["slowest"],
        }
        plans[name] = {"floor": explain(floor_sql, floor_params)}
        django_sql = [
            ("django_items", next(c for c in calls if "LIMIT" in c[0] and "duty_logentry" in c[0]))
        ]
        django_sql += [
            ("django_count", c) for c in calls if "COUNT(" in c[0] and "duty_logentry" in c[0]
        ][:1]
        for label, (s, p) in django_sql:
            plans[name][label] = explain(s, p)
            plans[name][label + "_sql"] = s % tuple(repr(x) for x in p) if p else s
        if word and len(word) >= 3:
            index_used[name] = {
                k: is_index_used(v) for k, v in plans[name].items() if not k.endswith("_sql")
            }

    report(
        "duty_scale",
        {
            "generated": {
                **counts,
                **generated,
                "centre": centre.code,
                "centre_log_entries": centre_rows,
            },
            "requests": n,
            "cores": os.cpu_count(),
            "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "results": results,
            "index_used": index_used,
            "plans": plans,
            "total_s": round(time.perf_counter() - t_start, 1),
            **({"data": os.environ["ZHIBAN_DATA"]} if args.keep and SQLITE else {}),
        },
    )
    c = results["console"]
    print(
        f"duty_scale ({connection.vendor}, {counts['log_entries']:,} entries): "
        f"console p50 {c['p50']} / p95 {c['p95']} ms; "
        + "; ".join(
            f"{k} p95 {v['p95']} ms ×{v['ratio_p50']}/×{v['ratio_p95']}"
            for k, v in results.items()
            if k != "console"
        )
        + " (p50/p95 vs. the raw floor in the same run)"
    )


def cleanup() -> None:
    if args.keep or not filled:
        return
    if SQLITE:
        connection.close()
        if own_data_dir:
            shutil.rmtree(os.environ["ZHIBAN_DATA"], ignore_errors=True)
        return
    with connection.cursor() as cursor:  # the database was empty when we started
        cursor.execute(
            "TRUNCATE duty_logentry, duty_rosterentry, duty_shift, duty_shiftpattern, "
            "duty_carrieditem, duty_checkitem, org_membership, org_site, org_centre, "
            "org_person, django_session CASCADE"
        )


try:
    main()
finally:
    cleanup()
