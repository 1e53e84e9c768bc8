"""The customer-service bench's data (``bench/service_scale.py``): two hotline centres, their
people, a million customers, their cases and contacts, written straight into the tables.

Customers, cases and contacts go in by raw ``executemany`` (SQLite, one transaction per
50,000 rows) or ``COPY`` (PostgreSQL) — NOT through ``service.services``, which is the door of
people's writes, one audited contact at a time. The phone search index is filled as the app
fills it: on SQLite the FTS5 trigram table by migration service 0002's insert trigger, row by
row; on PostgreSQL the pg_trgm GIN index is dropped for the load and created again with the
migration's own statement (the index is the same either way; building it once is faster).
The organisation (centres, people, memberships, departments, gateway tokens) goes through the
ORM and the org services.
"""

from __future__ import annotations

import contextlib
import importlib
import random
import time
from datetime import UTC, datetime

import _setup  # noqa: F401  (configures Django and migrates, before the models are imported)
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from zhiban.core.actors import CLI, Source
from zhiban.core.models import NumberSequence
from zhiban.core.permissions import Role
from zhiban.org import services as org
from zhiban.org.models import Membership, Person
from zhiban.service.models import Case, Contact, Customer, Department

SQLITE = connection.vendor == "sqlite"
SEARCH_INDEX = importlib.import_module("zhiban.service.migrations.0002_customer_phone_search")
TZ = "Asia/Shanghai"
PASSWORD = "Bench#pass-2026"
MAIN, OTHER = "kf01", "kf02"  # the measured centre and a second one (ORG-3: never found)
MAIN_SHARE = 0.9  # of the customers, cases and contacts
DAYS = 730  # cases over the last two years
OPEN_DAYS = 10  # cases opened in the last days are still open (or with a department)
AGENTS = 20  # CS agents per centre (agent01 … agent20 of kf01)
GATEWAYS = 16  # telephone-system accounts of kf01, a token each
BATCH = 50_000

rnd = random.Random(20261204)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰飞鹏辉宇浩凯健俊帆晨阳文斌琳雪梅"
REGIONS = [
    "姑苏区",
    "吴中区",
    "相城区",
    "吴江区",
    "工业园区",
    "高新区",
    "昆山市",
    "常熟市",
    "张家港市",
    "太仓市",
]
ROADS = "人民干将十全凤凰东环南环金鸡湖星湖现代苏州塔园竹辉石湖宝带友新长江珠江运河"
SHOPS = ["观前店", "石路店", "园区店", "新区店", "吴江店", "昆山店", "常熟店", "网上商城"]
MOBILE = [
    *(f"13{d}" for d in range(10)),
    *(f"15{d}" for d in "012356789"),
    *(f"18{d}" for d in range(10)),
    "177",
    "176",
    "199",
    "198",
    "166",
    "147",
]
LANDLINE = [("0512", 8), ("0512", 8), ("0512", 8), ("021", 8), ("010", 8), ("025", 8)]
LANDLINE += [("0510", 8), ("0519", 7)]
PRODUCTS = ["纯牛奶", "酸奶", "鲜牛奶", "奶粉", "低脂牛奶", "儿童成长奶", "奶酪棒", "早餐奶"]
SPECS = ["250ml×12盒", "1L装", "200g×6杯", "900g罐装", "950ml瓶装", "125ml×20盒"]
CHANNELS = [("phone", 45), ("hotline", 35), ("visit", 5), ("web", 10), ("chat", 5)]
CATEGORIES = [
    ("consultation", 40),
    ("complaint", 12),
    ("order", 25),
    ("suggestion", 5),
    ("service_request", 18),
]


def _subject(category: str) -> str:
    product, spec = rnd.choice(PRODUCTS), rnd.choice(SPECS)
    if category == "consultation":
        return rnd.choice(
            [
                f"咨询{product}{spec}的保质期和储存方法",
                f"询问{product}在{rnd.choice(REGIONS)}哪里能买到",
                f"咨询会员积分兑换{product}",
                f"{product}是否适合老人和孩子饮用",
            ]
        )
    if category == "complaint":
        return rnd.choice(
            [
                f"{product}{spec}胀包，批号{rnd.randint(20250101, 20261130)}",
                f"{product}有异味，在{rnd.choice(SHOPS)}购买",
                f"送奶员送货晚了{rnd.randint(1, 5)}小时，态度不好",
                f"{product}喝后孩子腹泻，要求说法",
            ]
        )
    if category == "order":
        return f"订购{product}{spec}{rnd.randint(1, 40)}箱，送到{rnd.choice(REGIONS)}"
    if category == "suggestion":
        return rnd.choice([f"建议{product}出小包装", "建议增加晚间配送时段", "希望开通微信订奶"])
    return rnd.choice(
        [
            "更改送奶地址",
            f"暂停订奶{rnd.randint(3, 14)}天",
            "开具发票",
            f"会员卡补办，原卡号{rnd.randint(100000, 999999)}",
        ]
    )


def _value(dt: datetime | None):
    """A datetime as the backend stores it (SQLite: Django's UTC text)."""
    if dt is None:
        return None
    return str(dt.astimezone(UTC).replace(tzinfo=None)) if SQLITE else dt


def stamp(ts: float | None) -> str | None:
    """Epoch seconds as the backend takes them: SQLite Django's UTC text, PostgreSQL's COPY
    an ISO time with its zone."""
    if ts is None:
        return None
    moment = datetime.fromtimestamp(ts, UTC)
    return moment.replace(tzinfo=None).isoformat(" ") if SQLITE else moment.isoformat(" ")


def columns(model, names: list[str]) -> str:
    return ", ".join(model._meta.get_field(n).column for n in names)


def load_rows(model, names: list[str], rows: list[tuple]) -> int:
    """``rows`` (tuples in ``names`` order, values as the backend takes them) into the model's
    table: one ``executemany`` in one transaction on SQLite (the FTS5 trigger fills the index
    as for any insert), ``COPY`` on PostgreSQL."""
    if not rows:
        return 0
    table, cols = model._meta.db_table, columns(model, names)
    with transaction.atomic(), connection.cursor() as cursor:
        if SQLITE:
            marks = ", ".join(["?"] * len(names))
            cursor.cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
        else:
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    return len(rows)


@contextlib.contextmanager
def bulk_loading():
    """SQLite: no foreign-key checks (the rows are made consistent) and a 256 MB page cache
    while loading; the app's settings again afterwards. PostgreSQL: the pg_trgm index dropped
    and created again with migration service 0002's statement."""
    with connection.cursor() as cursor:
        if SQLITE:
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
        else:
            for sql in SEARCH_INDEX.POSTGRES_REVERSE:
                cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if SQLITE:
                cursor.execute(f"PRAGMA cache_size={cache}")
                cursor.execute("PRAGMA foreign_keys=ON")
            else:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                for sql in SEARCH_INDEX.POSTGRES:
                    cursor.execute(sql)
                cursor.execute("RESET maintenance_work_mem")


# --- the organisation -----------------------------------------------------------------------------


def make_org() -> dict:
    """Two hotline centres; per centre AGENTS agents, 2 group leads, a supervisor, a department
    head; GATEWAYS telephone-system accounts of the main centre with a token each; four
    departments of the main centre. Returns what the measurements need."""
    centres = {}
    for code, name in ((MAIN, "华东客服中心"), (OTHER, "华北客服中心")):
        data = {"code": code, "name": name, "kind": "customer_service", "time_zone": TZ}
        centres[code] = org.centre_create(
            actor=CLI, source=Source.CLI, data={**data, "active": True}
        )
    password, now = make_password(PASSWORD), timezone.now()
    plan = [("agent", Role.CS_AGENT, AGENTS), ("lead", Role.CS_GROUP_LEAD, 2)]
    plan += [("super", Role.CS_SUPERVISOR, 1), ("head", Role.DEPARTMENT_HEAD, 1)]
    people, roles = [], []
    for code in centres:
        prefix = "" if code == MAIN else "b_"
        for stem, role, count in plan:
            for n in range(1, count + 1):
                username = f"{prefix}{stem}{n:02d}"
                people.append(Person(username=username, name=_name(), password=password))
                roles.append((code, role))
    for n in range(1, GATEWAYS + 1):
        people.append(
            Person(username=f"pbx{n:02d}", name=f"呼叫中心接口{n:02d}", password=password)
        )
        roles.append((MAIN, Role.GATEWAY))
    for p in people:
        p.language, p.date_joined = "zh-hans", now
    people = Person.objects.bulk_create(people)
    Membership.objects.bulk_create(
        Membership(person=p, centre=centres[code], role=role)
        for p, (code, role) in zip(people, roles, strict=True)
    )
    main = centres[MAIN]
    departments = Department.objects.bulk_create(
        Department(centre=main, name=name, function=function, customer_types=types)
        for name, function, types in [
            ("售后服务部", "service", []),
            ("配送中心", "service", []),
            ("零售销售内勤", "sales_desk", ["retail"]),
            ("质检部", "quality", []),
        ]
    )
    gateways = [p for p in people if p.username.startswith("pbx")]
    tokens = [org.api_token_create(actor=g, source=Source.CLI, name="bench")[1] for g in gateways]
    by_centre: dict[str, dict[str, list]] = {c: {} for c in centres}
    for p, (code, role) in zip(people, roles, strict=True):
        by_centre[code].setdefault(role, []).append(p)
    return {
        "centres": centres,
        "people": by_centre,
        "departments": [d.pk for d in departments if d.function == "service"],
        "tokens": tokens,
    }


def _name() -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choices(GIVEN, k=rnd.choice((1, 2, 2))))


# --- customers ------------------------------------------------------------------------------------


def _phone(used: set) -> tuple[str, str]:
    while True:
        r = rnd.random()
        if r < 0.88:
            number, kind = rnd.choice(MOBILE) + f"{rnd.randrange(10**8):08d}", "mobile"
        elif r < 0.98:
            area, width = rnd.choice(LANDLINE)
            first = str(rnd.choice((5, 6, 8)))
            number = area + first + f"{rnd.randrange(10 ** (width - 1)):0{width - 1}d}"
            kind = "landline"
        else:
            number, kind = rnd.choice(("400", "800")) + f"{rnd.randrange(10**7):07d}", "hotline"
        if number not in used:
            used.add(number)
            return number, kind


def _address() -> tuple[str, str]:
    region = rnd.choice(REGIONS)
    road = rnd.choice(ROADS) + rnd.choice(ROADS)
    return f"苏州市{region}{road}路{rnd.randint(1, 999)}号{rnd.randint(1, 30)}幢", region


CUSTOMER_FIELDS = [
    "id",
    "version",
    "created_at",
    "updated_at",
    "centre",
    "name",
    "phone",
    "phone_kind",
    "address",
    "region",
    "customer_type",
    "is_member",
    "shop",
    "note",
]


def make_customers(org_: dict, total: int, members: int) -> tuple[list[int], int]:
    """``total`` customers, MAIN_SHARE of them in the main centre, ``members`` of those
    members (会员), numbers unique per centre. Returns the centre id of each customer (by id,
    0 unused) and the count written."""
    main, other = org_["centres"][MAIN].pk, org_["centres"][OTHER].pk
    n_main = round(total * MAIN_SHARE)
    member_ids = set(rnd.sample(range(1, n_main + 1), min(members, n_main)))
    now = stamp(time.time())
    names = [_name() for _ in range(20_000)]
    addresses = [_address() for _ in range(50_000)]
    types = rnd.choices(["retail", "business", "dealer"], [85, 10, 5], k=1000)
    shops = [rnd.choice(SHOPS) if rnd.random() < 0.3 else "" for _ in range(1000)]
    centre_of = [0] * (total + 1)
    used: dict[int, set] = {main: set(), other: set()}
    written, rows = 0, []
    for pk in range(1, total + 1):
        centre = main if pk <= n_main else other
        centre_of[pk] = centre
        phone, kind = _phone(used[centre])
        address, region = rnd.choice(addresses)
        rows.append(
            (pk, 1, now, now, centre, rnd.choice(names), phone, kind, address, region)
            + (rnd.choice(types), pk in member_ids, rnd.choice(shops), "")
        )
        if len(rows) >= BATCH:
            written += load_rows(Customer, CUSTOMER_FIELDS, rows)
            rows = []
    written += load_rows(Customer, CUSTOMER_FIELDS, rows)
    return centre_of, written


# --- cases and contacts ---------------------------------------------------------------------------

CASE_FIELDS = [
    "id",
    "version",
    "created_at",
    "updated_at",
    "centre",
    "number",
    "customer",
    "channel",
    "category",
    "subject",
    "opened_at",
    "owner",
    "state",
    "first_response_at",
    "first_response_due",
    "is_lead",
    "department",
    "routed_at",
    "route_note",
    "result",
    "result_at",
    "answer",
    "closed_at",
    "closed_by",
]
CONTACT_FIELDS = [
    "id",
    "centre",
    "customer",
    "case",
    "at",
    "channel",
    "category",
    "content",
    "received_by",
    "created_at",
]
CONTENT = [
    "客户来电：{}。已记录，答复客户1个工作日内回复。",
    "{}。客户要求尽快处理，已告知处理流程。",
    "{}，客户留言，请回电。",
    "客户来电：{}。已当场答复。",
]
AGAIN = "客户再次来电：{}"


def _year_starts() -> list[tuple[float, int]]:
    """(epoch seconds, year) of each new year in Shanghai (UTC+8), newest first."""
    return [
        (datetime(year, 1, 1, tzinfo=UTC).timestamp() - 8 * 3600, year)
        for year in range(2040, 2000, -1)
    ]


def make_cases(org_: dict, centre_of: list[int], cases: int, contacts: int) -> dict:
    """``cases`` cases over the last DAYS days up to now, ids in time order, each of a random
    customer (of that customer's centre) with 1–4 contacts (about ``contacts`` in all); the
    last OPEN_DAYS days' cases still open or with a department, the rest closed. Owners are
    the centre's agents and group leads; 3 % of the open ones and the open web leads wait
    unowned in the queue."""
    now = time.time()
    customers = len(centre_of) - 1
    per_case = contacts / cases
    weights = [0.4, 0.3, 0.2, 0.1] if abs(per_case - 2) < 0.01 else None
    staff = {}
    for code, centre in org_["centres"].items():
        roles = org_["people"][code]
        staff[centre.pk] = [p.pk for p in roles[Role.CS_AGENT] + roles[Role.CS_GROUP_LEAD]]
    departments = org_["departments"]
    main = org_["centres"][MAIN].pk
    subjects = {c: [_subject(c) for _ in range(3000)] for c, _w in CATEGORIES}
    pool = 100_000
    channels = rnd.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS], k=pool)
    categories = rnd.choices([c for c, _w in CATEGORIES], [w for _c, w in CATEGORIES], k=pool)
    counts = rnd.choices((1, 2, 3, 4), weights, k=pool) if weights else [round(per_case)] * pool
    years = _year_starts()
    counters: dict[tuple[int, int], int] = {}
    case_rows: list[tuple] = []
    contact_rows: list[tuple] = []
    written = {"cases": 0, "contacts": 0, "open": 0}
    contact_id = 0
    open_from = now - OPEN_DAYS * 86400
    span = DAYS * 86400
    step = span / cases
    random_ = rnd.random
    for pk in range(1, cases + 1):
        customer = rnd.randint(1, customers)
        centre = centre_of[customer]
        opened = now - span + (pk - 1 + random_()) * step - 30
        year = next(y for start, y in years if opened >= start)
        counters[(centre, year)] = number = counters.get((centre, year), 0) + 1
        k = pk % pool
        channel, category = channels[k], categories[(k * 7 + pk // pool) % pool]
        subject = rnd.choice(subjects[category])
        owner = rnd.choice(staff[centre])
        is_open = opened >= open_from
        unowned = is_open and (channel == "web" or random_() < 0.03)
        due = opened + 1800 if unowned or channel == "web" else None
        responded = None if unowned else opened + random_() * 2400
        state, dept, routed, result, result_at = "open", None, None, "", None
        answer, closed, closed_by = "", None, None
        if not is_open:
            state, answer = "closed", "已答复客户，客户表示满意。"
            closed, closed_by = opened + 600 + random_() * 259_200, owner
            if random_() < 0.2:
                dept = rnd.choice(departments) if centre == main else None
                routed = opened + 300 + random_() * 7200
                result, result_at = "已上门处理完毕。", routed + 3600 + random_() * 172_800
        elif not unowned and random_() < 0.25 and centre == main:
            state, dept = "routed", rnd.choice(departments)
            routed = opened + 300 + random_() * 7200
        written["open"] += is_open
        at = stamp(opened)
        case_rows.append(
            (pk, 1, at, at, centre, f"KF-{year}-{number:05d}", customer, channel, category)
            + (subject, at, None if unowned else owner, state, stamp(responded), stamp(due))
            + (category == "consultation" and random_() < 0.05, dept, stamp(routed))
            + ("请上门查看处理" if routed else "", result, stamp(result_at), answer)
            + (stamp(closed), closed_by)
        )
        receiver = None if unowned else owner
        moment = opened
        for n in range(counts[(k * 13 + pk // pool) % pool]):
            contact_id += 1
            text = CONTENT[n % 4].format(subject) if n == 0 else AGAIN.format(subject)
            when = stamp(moment)
            contact_rows.append(
                (contact_id, centre, customer, pk, when, channel, category, text, receiver, when)
            )
            moment = min(now, moment + 1800 + random_() * 100_000)
        if len(contact_rows) >= BATCH:  # the cases first: the contacts refer to them
            written["cases"] += load_rows(Case, CASE_FIELDS, case_rows)
            written["contacts"] += load_rows(Contact, CONTACT_FIELDS, contact_rows)
            case_rows, contact_rows = [], []
    written["cases"] += load_rows(Case, CASE_FIELDS, case_rows)
    written["contacts"] += load_rows(Contact, CONTACT_FIELDS, contact_rows)
    NumberSequence.objects.bulk_create(
        NumberSequence(centre_id=centre, kind="service_case", year=year, last=last)
        for (centre, year), last in counters.items()
    )
    return written


def fill(org_: dict, customers: int, cases: int, contacts: int, members: int) -> dict:
    """Customers, cases and contacts; the phone index as the app keeps it; on PostgreSQL the
    sequences moved past the ids given and the statistics brought up to date. The times each
    step took are in the result."""
    t0 = time.perf_counter()
    with bulk_loading():
        centre_of, n_customers = make_customers(org_, customers, members)
        t1 = time.perf_counter()
        found = make_cases(org_, centre_of, cases, contacts)
        t2 = time.perf_counter()
    t3 = time.perf_counter()
    if not SQLITE:  # SQLite: no ANALYZE, as the app never runs one
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Customer, Case, Contact]):
                cursor.execute(sql)
            cursor.execute("VACUUM ANALYZE")
    return {
        "customers": n_customers,
        **found,
        "customers_s": round(t1 - t0, 1),
        "cases_contacts_s": round(t2 - t1, 1),
        "index_s": round(t3 - t2, 1),
        "analyze_s": round(time.perf_counter() - t3, 1),
    }
