"""The demo's customers, contacts and cases at 吴越客服中心 (CS-1, CS-2, CS-6, issue 12 item 11):
the departments cases are routed to, a dozen customers of the dairy hotline, the last days'
consultations answered and closed, open cases of 林晓 and 何美, a service request waiting
for 售后服务部's result and one whose result came back, a complaint being handled, and this
morning's web leads in the queue — one of them past its first-response time. Everything goes
through the services as the centre's people would; loading the demo again adds nothing twice
(the departments by name, the rest once the first customer exists)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhiban.core.actors import Source
from zhiban.org.models import Centre, Person

from ..models import Customer, Department
from ..services import cases

CENTRE = "kefu"
CLI = Source.CLI

DEPARTMENTS = [
    {
        "name": "售后服务部",
        "function": "service",
        "email": "shouhou@hengkang.example",
        "phone": "0512-65520110",
    },
    {
        "name": "物流配送中心",
        "function": "service",
        "email": "peisong@hengkang.example",
        "phone": "0512-65520120",
    },
    {"name": "质检部", "function": "quality", "email": "zhijian@hengkang.example"},
    {"name": "总经办", "function": "general_office", "email": "zongjingban@hengkang.example"},
]

# (phone, name, region, address, customer type, member)
CUSTOMERS = [
    ("13912345678", "王芳", "姑苏区", "苏州市姑苏区十全街 88 号", "retail", True),
    ("13862001234", "李强", "吴中区", "苏州市吴中区东吴北路 301 号", "retail", False),
    ("051265881234", "张记便利店", "工业园区", "苏州市工业园区星湖街 12 号", "business", False),
    ("13706205566", "陈静", "相城区", "苏州市相城区元和街道 56 号", "retail", True),
    ("18912348765", "赵敏", "虎丘区", "苏州市虎丘区狮山路 199 号", "retail", False),
    ("4008208820", "姑苏乳品经销部", "姑苏区", "苏州市姑苏区人民路 520 号", "dealer", False),
    ("15850001122", "周洁", "吴江区", "苏州市吴江区松陵镇中山路 8 号", "retail", True),
    ("13327771234", "孙丽", "吴中区", "苏州市吴中区木渎镇 36 号", "retail", False),
]


def _ago(now, **delta):
    return (now - timedelta(**delta)).replace(second=0, microsecond=0)


def _contact(
    actor, centre, phone, *, at, channel, category, content, case=None, complaint=None, **extra
):
    data = {
        "phone": phone,
        "channel": channel,
        "category": category,
        "content": content,
        "at": at,
        "case": case or "",
        **extra,
    }
    return cases.contact_record(
        actor=actor, source=CLI, centre=centre, data=data, complaint=complaint
    )


def _departments(centre, supervisor) -> dict[str, Department]:
    known = {d.name: d for d in Department.objects.filter(centre=centre)}
    for values in DEPARTMENTS:
        if values["name"] not in known:
            known[values["name"]] = cases.department_create(
                actor=supervisor,
                source=CLI,
                centre=centre,
                data={"customer_types": [], "active": True, **values},
            )
    return known


def load(ctx: dict) -> None:
    centre = Centre.objects.filter(code=CENTRE, kind="customer_service").first()
    if centre is None:
        return
    people = {p.username: p for p in Person.objects.filter(memberships__centre=centre)}
    if not {"tangyu", "luoqing", "linxiao", "hemei"} <= set(people):
        return
    supervisor, lead = people["tangyu"], people["luoqing"]
    linxiao, hemei = people["linxiao"], people["hemei"]
    departments = _departments(centre, supervisor)
    if Customer.objects.filter(centre=centre, phone=CUSTOMERS[0][0]).exists():
        return
    now = timezone.now()

    def new(actor, index, *, at, channel, category, content, **extra):
        phone, name, region, address, kind, member = CUSTOMERS[index]
        return _contact(
            actor,
            centre,
            phone,
            at=at,
            channel=channel,
            category=category,
            content=content,
            name=name,
            region=region,
            address=address,
            customer_type=kind,
            is_member=member,
            **extra,
        )

    def close(case, actor, answer):
        case.refresh_from_db()
        cases.case_answer(
            actor=actor,
            source=CLI,
            case_id=case.pk,
            version=case.version,
            data={"answer": answer},
        )

    # the last days: consultations and a suggestion, answered and closed (CS-2)
    first = new(
        linxiao,
        0,
        at=_ago(now, days=5, hours=3),
        channel="hotline",
        category="consultation",
        content="咨询低脂鲜奶的保质期和储存温度",
    )
    close(first.case, linxiao, "低脂鲜奶冷藏 2–6 ℃ 保存，保质期 7 天，开封后 24 小时内饮用。")
    second = new(
        hemei,
        3,
        at=_ago(now, days=4, hours=6),
        channel="phone",
        category="consultation",
        content="会员积分如何兑换酸奶礼盒",
        is_lead=True,
    )
    close(second.case, hemei, "积分满 500 分可在会员小程序兑换，已告知操作步骤。")
    idea = new(
        linxiao,
        4,
        at=_ago(now, days=3, hours=2),
        channel="chat",
        category="suggestion",
        content="建议送奶时间提前到早上七点前",
    )
    close(idea.case, linxiao, "感谢建议，已转配送中心评估早班配送。")

    # a service request with the result back, answered and closed; another waiting (CS-2)
    fixed = new(
        hemei,
        1,
        at=_ago(now, days=2, hours=5),
        channel="hotline",
        category="service_request",
        content="家门口的奶箱锁坏了，请派人维修",
    ).case
    cases.case_route(
        actor=hemei,
        source=CLI,
        case_id=fixed.pk,
        version=fixed.version,
        data={"department": departments["售后服务部"].pk, "note": "上门更换奶箱锁"},
    )
    fixed.refresh_from_db()
    cases.case_report_result(
        actor=hemei,
        source=CLI,
        case_id=fixed.pk,
        version=fixed.version,
        data={"result": "售后服务部回复：已于次日上午上门更换新锁。"},
    )
    close(fixed, hemei, "已回访客户，奶箱锁已更换，客户满意。")
    waiting = new(
        linxiao,
        2,
        at=_ago(now, days=1, hours=4),
        channel="phone",
        category="service_request",
        content="门店冷柜温度偏高，请派人检修",
    ).case
    cases.case_route(
        actor=linxiao,
        source=CLI,
        case_id=waiting.pk,
        version=waiting.version,
        data={"department": departments["售后服务部"].pk, "note": "检修门店冷柜"},
    )

    # open cases of the agents: one with the result back to pass on, one being worked
    back = new(
        hemei,
        6,
        at=_ago(now, hours=20),
        channel="hotline",
        category="service_request",
        content="上周订的酸奶少送了一箱",
    ).case
    cases.case_route(
        actor=hemei,
        source=CLI,
        case_id=back.pk,
        version=back.version,
        data={"department": departments["物流配送中心"].pk, "note": "核实并补送一箱"},
    )
    back.refresh_from_db()
    cases.case_report_result(
        actor=hemei,
        source=CLI,
        case_id=back.pk,
        version=back.version,
        data={"result": "物流配送中心：核实少送属实，今日下午补送。"},
    )
    new(
        linxiao,
        7,
        at=_ago(now, hours=3),
        channel="visit",
        category="consultation",
        content="来访咨询儿童成长奶粉的适用年龄",
    )
    again = _contact(
        linxiao,
        centre,
        CUSTOMERS[0][0],
        at=_ago(now, hours=2),
        channel="hotline",
        category="consultation",
        content="想给父母订中老年高钙奶，问有没有送货上门",
    )
    _contact(
        lead,
        centre,
        CUSTOMERS[0][0],
        at=_ago(now, hours=1),
        channel="hotline",
        category="consultation",
        content="客户回电补充：每周一、三、五送",
        case=again.case_id,
    )

    # a complaint being handled (CS-4, CS-5)
    new(
        hemei,
        5,
        at=_ago(now, hours=5),
        channel="hotline",
        category="complaint",
        content="经销部投诉本周两次送货迟到",
        complaint={
            "kind": "service",
            "complained_of": "物流配送中心",
            "reason": "本周一、周三送货均迟到两小时以上，影响门店早市",
            "service_fault": "late_delivery",
            "staff": "",
            "major": False,
            "bodily_harm": False,
        },
    )

    # this morning's web leads, nobody's yet: one past its first response (CS-6)
    web = {"channel": "web", "category": "consultation"}
    _contact(
        supervisor,
        centre,
        "13500001111",
        at=_ago(now, hours=2),
        content="网上留言：想了解企业团购鲜奶的价格",
        name="吴先生",
        customer_type="business",
        is_lead=True,
        **web,
    )
    _contact(
        supervisor,
        centre,
        "13600002222",
        at=_ago(now, minutes=10),
        content="网上留言：会员卡丢失如何补办",
        name="郑女士",
        **web,
    )
