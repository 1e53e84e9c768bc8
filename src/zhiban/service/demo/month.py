"""The demo's month at 吴越客服中心 (issue 12 item 11), after ``cases``: the centre's set-up
(sales area, a month of history allowed back, the department head, the QC head, the sales
desks, the 售后 team's department, CS-2, CS-3), a month of contacts of every channel answered
and closed by the agents, complaints (CS-4, CS-5) and orders (CS-3). Through the services, as
the centre's people; loading again adds nothing twice (people and departments by name, the
month once its first contact exists, complaints and orders by their content)."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from zhiban.core.actors import Source
from zhiban.org import services as org_services
from zhiban.org.demo import PASSWORD
from zhiban.org.models import Centre, Person, Team

from ..models import Contact, Department, Order
from ..services import cases, complaints, orders

CENTRE = "kefu"
CLI = Source.CLI
SALES_AREA = "姑苏区,吴中区,相城区,虎丘区,工业园区,吴江区"
OUTSIDE = "昆山市"  # a district the centre does not deliver to (CS-3)
MONTH_MARK = "月初咨询：鲜奶订购流程"  # the month's first contact

# login, name, phone, employee no., role, team, post
PEOPLE = [
    ("zhouting", "周婷", "13800000055", "KF5005", "department_head", "", "客服部经理"),
    ("qiancheng", "钱程", "13800000056", "KF5006", "department_head", "", "质检部主管"),
    ("xunuo", "许诺", "13800000057", "KF5007", "department_head", "", "零售内勤"),
    ("lumin", "陆敏", "13800000058", "KF5008", "department_head", "", "团购及经销内勤"),
    ("gaoxiang", "高翔", "13800000059", "KF5009", "team_leader", "售后服务部", "售后队长"),
]
# name, function, head, customer types, e-mail
DESKS = [
    ("零售内勤", "sales_desk", "xunuo", ["retail"], "lingshou@hengkang.example"),
    ("团购及经销内勤", "sales_desk", "lumin", ["business", "dealer"], "tuangou@hengkang.example"),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
GIVEN = ["芳", "伟", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛"]
REGIONS = SALES_AREA.split(",")
STREETS = ["人民路", "干将路", "东吴北路", "星湖街", "长江路", "中山路", "金鸡湖大道", "狮山路"]
# channel, category, what the customer said, the answer
TOPICS = [
    ("hotline", "consultation", "咨询低脂鲜奶的保质期", "冷藏 2–6 ℃ 保存，保质期 7 天。"),
    ("hotline", "consultation", "咨询儿童奶的适用年龄", "三岁以上儿童适用，已告知每日饮用量。"),
    ("phone", "consultation", "问送奶时间能否提前", "已告知各区的送奶时段，可在小程序调整。"),
    ("chat", "consultation", "会员积分怎么兑换", "积分满 500 分可兑换酸奶礼盒，已告知步骤。"),
    ("web", "consultation", "网上留言：企业团购价格", "已回电介绍团购价格与起订量。"),
    ("visit", "consultation", "来访咨询订奶卡办理", "已现场办理订奶卡并说明使用方法。"),
    ("hotline", "suggestion", "建议增加无糖酸奶", "感谢建议，已转产品部门评估。"),
    ("chat", "suggestion", "建议小程序支持暂停配送", "感谢建议，已转信息部门。"),
    ("hotline", "service_request", "暂停配送一周（出差）", "已为客户暂停配送一周。"),
    ("phone", "service_request", "变更送奶地址", "已更新送奶地址，下周一起生效。"),
    ("web", "service_request", "网上留言：发票开具", "已开具电子发票并发送至客户邮箱。"),
]


def _people(centre, admin) -> dict[str, Person]:
    team = Team.objects.filter(centre=centre, name="售后服务部").first()
    if team is None:
        team = org_services.team_create(
            actor=admin,
            source=CLI,
            centre=centre,
            data={"name": "售后服务部", "kind": "service", "phone": "051265520110", "active": True},
        )
    known = {p.username: p for p in Person.objects.filter(username__in=[p[0] for p in PEOPLE])}
    for login, name, phone, number, role, team_name, post in PEOPLE:
        if login in known:
            continue
        known[login] = org_services.person_create(
            actor=admin,
            source=CLI,
            centre=centre,
            data={
                "username": login,
                "name": name,
                "phone": phone,
                "employee_no": number,
                "email": f"{login}@hengkang.example",
                "language": "zh-hans",
                "is_active": True,
                "password": PASSWORD,
                "role": role,
                "team": team.pk if team_name else "",
                "post": post,
            },
        )
    return known


def _departments(centre, supervisor, people) -> None:
    existing = {d.name: d for d in Department.objects.filter(centre=centre)}
    for name, function, head, types, email in DESKS:
        if name not in existing:
            cases.department_create(
                actor=supervisor,
                source=CLI,
                centre=centre,
                data={
                    "name": name,
                    "function": function,
                    "head": people[head].pk,
                    "customer_types": types,
                    "email": email,
                    "active": True,
                },
            )
    for name, changes in (
        ("质检部", {"head": people["qiancheng"].pk}),
        ("售后服务部", {"team": Team.objects.get(centre=centre, name="售后服务部").pk}),
    ):
        department = existing.get(name)
        if department is not None and not getattr(department, f"{next(iter(changes))}_id"):
            cases.department_update(
                actor=supervisor,
                source=CLI,
                department_id=department.pk,
                version=department.version,
                changes=changes,
            )


def _settings(centre, admin) -> Centre:
    """The sales area and a month back, through the settings form as an admin sets them."""
    wanted = {"service.sales_regions": SALES_AREA, "time.past_days": 35}
    if all(centre.setting(k) == v for k, v in wanted.items()):
        return centre
    return org_services.centre_settings_update(
        actor=admin,
        source=CLI,
        centre_id=centre.pk,
        version=centre.version,
        changes=wanted,
        reason="演示：送货范围与一个月的历史记录",
    )


def load(ctx: dict) -> None:
    centre = Centre.objects.filter(code=CENTRE, kind="customer_service").first()
    admin = Person.objects.filter(username="admin").first()
    staff = {
        p.username: p
        for p in Person.objects.filter(username__in=["tangyu", "luoqing", "linxiao", "hemei"])
    }
    if centre is None or admin is None or len(staff) < 4:
        return
    centre = _settings(centre, admin)
    people = _people(centre, admin)
    _departments(centre, staff["tangyu"], people)
    if not Contact.objects.filter(centre=centre, content=MONTH_MARK).exists():
        _month(centre, staff)
    if not Contact.objects.filter(centre=centre, content__startswith=COMPLAINT_MARK).exists():
        _complaints(centre, staff)
    if not Order.objects.filter(centre=centre).exists():
        _orders(centre, staff)


# --- a month of contacts ------------------------------------------------------------------------


def _customer(draw: random.Random, index: int) -> dict:
    name = draw.choice(SURNAMES) + draw.choice(GIVEN) + ("" if draw.random() < 0.5 else "女士")
    region = OUTSIDE if index % 60 == 7 else draw.choice(REGIONS)
    kind = "retail" if index % 9 else draw.choice(["business", "dealer"])
    return {
        "phone": f"139{62000000 + index * 37:08d}",
        "name": name,
        "region": region,
        "address": f"苏州市{region}{draw.choice(STREETS)} {draw.randint(1, 400)} 号",
        "customer_type": kind,
        "is_member": draw.random() < 0.35,
    }


def _month(centre, staff) -> None:
    """About 250 contacts over the last 30 days by 林晓, 何美 and 罗青, about 190 customers,
    each answered and closed the same day; a customer now and then calls again."""
    draw = random.Random(2026)
    now = timezone.now().replace(second=0, microsecond=0)
    agents = [staff["linxiao"], staff["hemei"], staff["linxiao"], staff["hemei"], staff["luoqing"]]
    known: list[dict] = []
    first = True
    for day in range(30, 0, -1):
        for _ in range(draw.randint(6, 10)):
            if known and draw.random() < 0.25:
                who = draw.choice(known)
            else:
                who = _customer(draw, len(known))
                known.append(who)
            channel, category, said, answer = draw.choice(TOPICS)
            at = now - timedelta(days=day, hours=draw.randint(0, 9), minutes=draw.randint(0, 59))
            agent = draw.choice(agents)
            contact = cases.contact_record(
                actor=agent,
                source=CLI,
                centre=centre,
                data={
                    **who,
                    "channel": channel,
                    "category": category,
                    "content": MONTH_MARK if first else said,
                    "at": at,
                    "case": "",
                    "is_lead": category == "consultation" and draw.random() < 0.15,
                },
            )
            first = False
            case = contact.case
            if case.owner_id is None:
                case = cases.case_take(
                    actor=agent, source=CLI, case_id=case.pk, version=case.version
                )
            cases.case_answer(
                actor=case.owner or agent,
                source=CLI,
                case_id=case.pk,
                version=case.version,
                data={"answer": answer},
            )


# --- complaints (CS-4, CS-5) ---------------------------------------------------------------------

COMPLAINT_MARK = "投诉："
PRODUCT = {
    "kind": "product",
    "complained_of": "恒康乳业",
    "reason": "买回的酸奶开盖有异味、结块，要求退换",
    "symptom": "酸奶开盖有异味、结块",
    "bought_where": "吴中万达店",
    "bought_how": "门店购买",
    "batch_number": "HK20261128A03",
    "production_date": "",
    "service_fault": "",
    "staff": "",
}


def _complaints(centre, staff) -> None:
    linxiao, hemei = staff["linxiao"], staff["hemei"]
    today = timezone.localdate(timezone=centre.tz)
    now = timezone.now().replace(second=0, microsecond=0)

    def complaint(agent, phone, name, at, content, **facts):
        return cases.contact_record(
            actor=agent,
            source=CLI,
            centre=centre,
            data={
                "phone": phone,
                "name": name,
                "region": "姑苏区",
                "channel": "hotline",
                "category": "complaint",
                "content": COMPLAINT_MARK + content,
                "at": at,
                "case": "",
            },
            complaint={"major": False, "bodily_harm": False, **facts},
        ).case

    def reply(agent, case, **answer):
        complaint = case.complaint
        complaint.refresh_from_db()
        complaints.complaint_reply(
            actor=agent, source=CLI, case_id=case.pk, version=complaint.version, data=answer
        )

    # a product-quality complaint with its batch number, solved and closed
    closed = complaint(
        hemei,
        "13962110001",
        "钱女士",
        now - timedelta(days=12, hours=3),
        "酸奶开盖有异味",
        **{**PRODUCT, "production_date": (today - timedelta(days=16)).isoformat()},
    )
    reply(
        hemei,
        closed,
        reply="已向客户致歉，上门更换同批次产品并赠送一箱。",
        handling="质检部抽检同批次 HK20261128A03，冷链运输温度超标，已追责物流。",
        solved=True,
    )
    closed.refresh_from_db()
    cases.case_answer(
        actor=hemei,
        source=CLI,
        case_id=closed.pk,
        version=closed.version,
        data={"answer": "已更换产品，客户表示满意。"},
    )
    # a major complaint (bodily harm): reported at once, the visit due
    complaint(
        linxiao,
        "13962110002",
        "孙先生",
        now - timedelta(hours=6),
        "孩子喝了牛奶后腹泻就医",
        **{
            **PRODUCT,
            "reason": "孩子饮用后腹泻就医，要求说明原因并赔偿",
            "symptom": "饮用后腹泻，已就医",
            "batch_number": "HK20261201B11",
            "production_date": (today - timedelta(days=3)).isoformat(),
            "major": True,
            "bodily_harm": True,
        },
    )
    # a service complaint answered but unsolved: the next reply is promised for tomorrow
    open_reply = complaint(
        hemei,
        "13962110003",
        "刘女士",
        now - timedelta(days=2, hours=4),
        "送奶员态度恶劣",
        kind="service",
        complained_of="物流配送中心",
        reason="送奶员摔门并出言不逊",
        service_fault="attitude",
        staff="送奶员 037 号",
    )
    promised = timezone.localtime(now + timedelta(days=1), centre.tz).replace(hour=16, minute=0)
    reply(
        hemei,
        open_reply,
        reply="已致歉，配送中心正在核实，明天下午给您答复。",
        handling="已转物流配送中心核实送奶员 037 号的情况。",
        solved=False,
        next_reply_at=promised,
    )


# --- orders (CS-3) ------------------------------------------------------------------------------

ORDERS = [
    # phone, name, region, type, product, spec, quantity, price
    ("13962120001", "陈阿姨", "姑苏区", "retail", "低脂鲜奶", "950ml", 4, "15.80"),
    ("13962120002", "吴中实验小学", "吴中区", "business", "学生奶", "200ml×24", 30, "48.00"),
    ("13962120003", "相城便民超市", "相城区", "dealer", "原味酸奶", "100g×8", 50, "22.00"),
    ("13962120004", "杨先生", "虎丘区", "retail", "高钙中老年奶", "250ml×12", 2, "39.90"),
    (
        "13962120005",
        "园区星湖幼儿园",
        "工业园区",
        "business",
        "儿童成长奶",
        "190ml×15",
        20,
        "45.00",
    ),
    ("13962120006", "黄女士", "吴江区", "retail", "有机纯牛奶", "250ml×12", 1, "69.00"),
    ("13962120007", "昆山朱先生", OUTSIDE, "retail", "低脂鲜奶", "950ml", 2, "15.80"),
]


def _take(centre, agent, row, at):
    phone, name, region, kind, product, spec, quantity, price = row
    return cases.contact_record(
        actor=agent,
        source=CLI,
        centre=centre,
        data={
            "phone": phone,
            "name": name,
            "region": region,
            "address": f"苏州市{region}{STREETS[len(name) % len(STREETS)]} 8 号",
            "customer_type": kind,
            "channel": "hotline",
            "category": "order",
            "content": f"订购{product} {spec} × {quantity}",
            "at": at,
            "case": "",
        },
        order={"product": product, "spec": spec, "quantity": quantity, "unit_price": price},
    )


def _orders(centre, staff) -> None:
    """Three orders handed to the desks this morning (two delivered since), then today's new
    ones waiting for the next hand-over and one outside the sales area (apology call due)."""
    now = timezone.now().replace(second=0, microsecond=0)
    agents = [staff["linxiao"], staff["hemei"]]
    for index, row in enumerate(ORDERS[:3]):
        _take(centre, agents[index % 2], row, now - timedelta(minutes=50 - index * 5))
    orders.orders_hand_over(actor=staff["luoqing"], source=CLI, centre=centre)
    for order in Order.objects.filter(centre=centre).order_by("pk")[:2]:
        orders.order_deliver(
            actor=staff["tangyu"], source=CLI, order_id=order.pk, version=order.version, data={}
        )
    for index, row in enumerate(ORDERS[3:]):
        _take(centre, agents[index % 2], row, now - timedelta(minutes=20 - index * 4))
