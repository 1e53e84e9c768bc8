"""Operations demo (``zhiban demo``): the typical-ticket library of 苏吴监控中心's stations and
orders at every stage — a pre-order just received, one passed to 越溪操作队 with its ticket in
draft, and one carried out end to end by 吴中操作队 (ticket filled, reviewed, ordered, the
centre told, every step ticked), a sequence control of the centre interrupted by a
communication loss and forwarded to 吴中操作队 (waiting for the dispatcher's consent), plus a
single operation of the centre. The work tickets are ``work.demo``'s."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhiban.core.actors import DEMO, Source

from . import services
from .models import DispatchOrder, TaskKind

CLI = Source.CLI

LINE_OUT = """拉开苏越线751开关
检查苏越线751开关确已拉开
拉开苏越线7513线路闸刀
检查苏越线7513线路闸刀确已拉开
拉开苏越线7511母线闸刀
检查苏越线7511母线闸刀确已拉开
在苏越线751开关与7513闸刀间验明确无电压
合上苏越线75130接地闸刀
检查苏越线75130接地闸刀确已合上
在苏越线751开关与7511闸刀间验明确无电压
合上苏越线75110接地闸刀
检查苏越线75110接地闸刀确已合上
取下苏越线751开关控制电源熔丝"""

LINE_BACK = """装上苏越线751开关控制电源熔丝
拉开苏越线75110接地闸刀
检查苏越线75110接地闸刀确已拉开
拉开苏越线75130接地闸刀
检查苏越线75130接地闸刀确已拉开
检查苏越线751开关确在分闸位置
合上苏越线7511母线闸刀
检查苏越线7511母线闸刀确已合上
合上苏越线7513线路闸刀
检查苏越线7513线路闸刀确已合上
合上苏越线751开关
检查苏越线751开关确已合上"""

CAPACITOR_OUT = """拉开1号电容器开关131
检查1号电容器开关131确已拉开
将1号电容器开关131手车摇至试验位置
检查1号电容器开关131手车确在试验位置
在1号电容器开关131出线侧验明确无电压
合上1号电容器1310接地闸刀
检查1号电容器1310接地闸刀确已合上
对1号电容器逐个放电"""

TYPICAL = [
    (
        "SW110",
        "苏越线751开关运行转检修",
        TaskKind.LINE_MAINTENANCE,
        "110kV苏越线751开关由运行转检修",
        LINE_OUT,
    ),
    (
        "SW110",
        "苏越线751开关检修转运行",
        TaskKind.LINE_MAINTENANCE,
        "110kV苏越线751开关由检修转运行",
        LINE_BACK,
    ),
    (
        "DS35",
        "1号电容器运行转检修",
        TaskKind.CAPACITOR_MAINTENANCE,
        "10kV 1号电容器由运行转检修",
        CAPACITOR_OUT,
    ),
]


def load(ctx: dict) -> None:
    centre, people, teams = ctx["centres"]["suwu"], ctx["people"], ctx["teams"]
    if DispatchOrder.objects.filter(centre=centre).exists():
        return
    sites = {s.code: s for s in centre.sites.all()}
    typical = {}
    for site, name, kind, task, steps in TYPICAL:
        typical[name] = services.typical_ticket_create(
            actor=DEMO,
            source=CLI,
            centre=centre,
            data={
                "site": sites[site].pk,
                "name": name,
                "task_kind": kind,
                "task": task,
                "steps": steps,
                "active": True,
            },
        )
    now = timezone.now().replace(second=0, microsecond=0)
    chief, zhaogang, sunli = people["zhangwei"], people["zhaogang"], people["sunli"]

    def equipment(site, *numbers):
        return [e.pk for e in sites[site].equipment.filter(dispatch_number__in=numbers)]

    # 1. carried out end to end by 吴中操作队
    done = services.order_receive(
        actor=chief,
        source=CLI,
        centre=centre,
        data={
            "dispatcher": "地调 王调度",
            "received_at": now - timedelta(hours=3),
            "task": "110kV苏越线751开关由运行转检修",
            "task_kind": TaskKind.LINE_MAINTENANCE,
            "site": sites["SW110"].pk,
            "equipment": equipment("SW110", "751"),
            "read_back": "苏越线751开关由运行转检修，已复诵",
            "team": teams["吴中操作队"].pk,
        },
    )
    ctx["orders"] = {"SW110-751": done}  # the work ticket of that line names it (work.demo)
    done = services.order_notify_team(
        actor=chief,
        source=CLI,
        order_id=done.pk,
        version=done.version,
        data={
            "person": zhaogang.pk,
            "at": now - timedelta(hours=3) + timedelta(minutes=5),
            "read_back": "赵刚复诵正确",
        },
    )
    ticket = services.ticket_create(
        actor=sunli,
        source=CLI,
        centre=centre,
        data={
            "executor": "team",
            "team": teams["吴中操作队"].pk,
            "order": done.pk,
            "site": sites["SW110"].pk,
            "task_kind": TaskKind.LINE_MAINTENANCE,
            "typical": typical["苏越线751开关运行转检修"].pk,
            "equipment": equipment("SW110", "751"),
            "operator": sunli.pk,
            "guardian": zhaogang.pk,
            "in_charge": zhaogang.pk,
        },
    )
    ticket = services.ticket_review(
        actor=zhaogang, source=CLI, ticket_id=ticket.pk, version=ticket.version
    )
    done = services.order_formal(
        actor=zhaogang,
        source=CLI,
        order_id=done.pk,
        version=done.version,
        data={"at": now - timedelta(hours=2), "received_by": zhaogang.pk},
    )
    ticket = services.ticket_order(
        actor=zhaogang,
        source=CLI,
        ticket_id=ticket.pk,
        version=ticket.version,
        data={
            "issuer": "地调 王调度",
            "receiver": zhaogang.pk,
            "ordered_at": now - timedelta(hours=2),
        },
    )
    ticket = services.ticket_notify_centre(
        actor=zhaogang,
        source=CLI,
        ticket_id=ticket.pk,
        version=ticket.version,
        data={"at": now - timedelta(hours=2) + timedelta(minutes=3), "caller": "吴中操作队 赵刚"},
    )
    for step in ticket.steps.all():
        ticket = services.ticket_tick(
            actor=sunli,
            source=CLI,
            ticket_id=ticket.pk,
            version=ticket.version,
            data={"step": step.seq, "operator": sunli.pk, "guardian": zhaogang.pk},
        )
    services.ticket_assess(
        actor=people["heping"],
        source=CLI,
        ticket_id=ticket.pk,
        version=ticket.version,
        data={"qualified": True},
    )

    # 2. passed to 越溪操作队; the capacitor ticket waits for review and the centre's lock
    capacitor = services.order_receive(
        actor=chief,
        source=CLI,
        centre=centre,
        data={
            "dispatcher": "地调 李调度",
            "received_at": now - timedelta(minutes=50),
            "task": "10kV 1号电容器由运行转检修",
            "task_kind": TaskKind.CAPACITOR_MAINTENANCE,
            "site": sites["DS35"].pk,
            "equipment": equipment("DS35", "C1"),
            "planned_at": now + timedelta(hours=2),
            "read_back": "东山变1号电容器由运行转检修，已复诵",
        },
    )
    services.order_notify_team(
        actor=chief,
        source=CLI,
        order_id=capacitor.pk,
        version=capacitor.version,
        data={
            "person": people["wuqiang"].pk,
            "at": now - timedelta(minutes=45),
            "read_back": "吴强复诵正确",
        },
    )
    services.ticket_create(
        actor=people["zhengfang"],
        source=CLI,
        centre=centre,
        data={
            "executor": "team",
            "team": teams["越溪操作队"].pk,
            "order": capacitor.pk,
            "site": sites["DS35"].pk,
            "task_kind": TaskKind.CAPACITOR_MAINTENANCE,
            "typical": typical["1号电容器运行转检修"].pk,
            "equipment": equipment("DS35", "C1"),
            "operator": people["zhengfang"].pk,
            "guardian": people["wuqiang"].pk,
            "in_charge": people["wuqiang"].pk,
        },
    )

    # 3. a pre-order just taken down
    services.order_receive(
        actor=chief,
        source=CLI,
        centre=centre,
        data={
            "dispatcher": "地调 王调度",
            "received_at": now - timedelta(minutes=10),
            "task": "110kV苏越线751开关由检修转运行",
            "task_kind": TaskKind.LINE_MAINTENANCE,
            "site": sites["SW110"].pk,
            "equipment": equipment("SW110", "751"),
            "planned_at": now + timedelta(hours=20),
            "read_back": "苏越线751开关由检修转运行，明日执行，已复诵",
        },
    )

    # 4. the centre's sequence control, interrupted and forwarded to the team (OPS-9, OPS-10)
    deputy = people["liuyang"]
    sequence = services.ticket_create(
        actor=deputy,
        source=CLI,
        centre=centre,
        data={
            "executor": "centre",
            "team": teams["吴中操作队"].pk,
            "site": sites["DW110"].pk,
            "task_kind": TaskKind.LINE_MAINTENANCE,
            "task": "110kV吴东线752开关由运行转检修（顺控）",
            "equipment": equipment("DW110", "752"),
            "steps": LINE_OUT.replace("苏越线", "吴东线").replace("751", "752"),
            "sequence_control": True,
            "operator": deputy.pk,
            "guardian": chief.pk,
            "in_charge": chief.pk,
        },
    )
    sequence = services.ticket_review(
        actor=chief, source=CLI, ticket_id=sequence.pk, version=sequence.version
    )
    sequence = services.ticket_order(
        actor=chief,
        source=CLI,
        ticket_id=sequence.pk,
        version=sequence.version,
        data={
            "issuer": "地调 王调度",
            "receiver": chief.pk,
            "ordered_at": now - timedelta(minutes=40),
        },
    )
    for seq in (1, 2, 3):
        sequence = services.ticket_tick(
            actor=deputy,
            source=CLI,
            ticket_id=sequence.pk,
            version=sequence.version,
            data={"step": seq, "operator": deputy.pk, "guardian": chief.pk},
        )
    services.ticket_interrupt(
        actor=chief,
        source=CLI,
        ticket_id=sequence.pk,
        version=sequence.version,
        data={
            "cause": "communication_lost",
            "reported_to": "地调 王调度",
            "device_state": "752开关分位，7523线路闸刀分位，7521母线闸刀合位",
            "reason": "东吴变远动通道中断，顺控停止在第4步",
        },
    )

    # a single operation of the centre (OPS-12)
    breaker = sites["DW110"].equipment.filter(dispatch_number="113").first()
    services.single_operation_record(
        actor=people["liuyang"],
        source=CLI,
        centre=centre,
        data={
            "equipment": breaker.pk,
            "action": "遥控拉开（合解环操作）",
            "at": now - timedelta(hours=5),
        },
    )
