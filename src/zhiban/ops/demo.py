"""Operations demo (``zhiban demo``): the typical-ticket library of 苏吴监控中心's stations and
orders at every stage — a pre-order just received, one passed to 越溪操作队 with its ticket in
draft, and one carried out end to end by 吴中操作队 (ticket filled, reviewed, ordered, the
centre told, every step ticked), a sequence control of the centre interrupted by a
communication loss and forwarded to 吴中操作队 (waiting for the dispatcher's consent), plus a
single operation of the centre."""

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
    load_work(ctx)


# --- work tickets (WORK-1 … WORK-7, ACC-1), limit changes and setting sheets (WORK-6) ----------

LINE_MEASURES = """拉开苏越线751开关
拉开苏越线7513线路闸刀、7511母线闸刀
在751开关与两侧闸刀间验明确无电压后合上75130、75110接地闸刀
取下苏越线751开关控制电源熔丝
在751开关操作把手上悬挂“禁止合闸，有人工作！”标示牌
在751开关间隔设置围栏，悬挂“在此工作！”标示牌"""

CT_MEASURES = """拉开1号主变10kV开关101
将101开关手车摇至检修位置
在101开关出线侧验明确无电压后装设接地线一组（#3）
在101开关柜门上悬挂“禁止合闸，有人工作！”标示牌"""


def load_work(ctx: dict) -> None:
    """A work ticket permitted at 苏吴变 with the maintenance tag on 苏越线开关 751; a CT
    replacement at 东吴变 ended with its four-remote checks (one point wrong at first), its
    limit change still to be set by the centre, and its setting sheet with the centre's copy
    outstanding."""
    from .models import WorkTicket

    centre, people, teams = ctx["centres"]["suwu"], ctx["people"], ctx["teams"]
    if WorkTicket.objects.filter(centre=centre).exists():
        return
    sites = {s.code: s for s in centre.sites.all()}
    team = teams["吴中操作队"]
    chief, deputy = people["zhangwei"], people["liuyang"]
    zhaogang, sunli, zhoujie = people["zhaogang"], people["sunli"], people["zhoujie"]
    now = timezone.now().replace(second=0, microsecond=0)

    def equipment(site, *numbers):
        return [e.pk for e in sites[site].equipment.filter(dispatch_number__in=numbers)]

    def carry(ticket, actor, call, **data):
        kwargs = {"data": data} if data else {}
        return call(actor=actor, source=CLI, ticket_id=ticket.pk, version=ticket.version, **kwargs)

    def received(site, numbers, **data):
        ticket = services.work_ticket_receive(
            actor=sunli,
            source=CLI,
            centre=centre,
            data={
                "kind": "first",
                "team": team.pk,
                "site": sites[site].pk,
                "equipment": equipment(site, *numbers),
                "crew_size": 4,
                "permitter": zhaogang.pk,
                **data,
            },
        )
        for measure in ticket.measures.all():
            ticket = carry(ticket, sunli, services.work_measure_done, seq=measure.seq)
        return ticket

    def permitted(ticket, at):
        ticket = carry(
            ticket,
            zhaogang,
            services.work_permit,
            permitted_at=at,
            dispatcher="地调 王调度",
            permitter=zhaogang.pk,
            centre_person=chief.pk,
        )
        return carry(ticket, chief, services.work_tag_place)

    # 1. 苏越线751开关及线路检修: permitted, the tag on the line breaker
    order = DispatchOrder.objects.filter(
        centre=centre, task__contains="751开关由运行转检修"
    ).first()
    line = received(
        "SW110",
        ["751"],
        order=order.pk if order else None,
        task="110kV苏越线751开关及线路检修，开关机构检查、保护校验",
        location="苏吴变110kV苏越线751开关间隔及出线",
        planned_start=now - timedelta(hours=2),
        planned_end=now + timedelta(hours=6),
        work_leader="王建国",
        members="检修一班：周涛、吴斌、钱力",
        issuer="陈立新",
        issued_at=now - timedelta(days=1),
        received_at=now - timedelta(hours=20),
        safety_measures=LINE_MEASURES,
    )
    permitted(line, now - timedelta(hours=1, minutes=40))

    # 2. 1号主变10kV开关101流变更换 at 东吴变: ended with its four-remote checks
    ct = received(
        "DW110",
        ["101"],
        task="1号主变10kV开关101流变更换（600/5改1200/5）",
        location="东吴变10kV高压室101开关柜",
        planned_start=now - timedelta(hours=9),
        planned_end=now - timedelta(hours=2),
        work_leader="李明",
        members="检修二班：孙浩、郑伟",
        issuer="陈立新",
        issued_at=now - timedelta(days=2),
        received_at=now - timedelta(days=1, hours=2),
        safety_measures=CT_MEASURES,
    )
    ct = permitted(ct, now - timedelta(hours=8, minutes=30))
    checks = [
        ("telesignal", ["101开关位置", "101保护动作信号"], "ok", ""),
        ("telemetry", ["101电流"], "failed", "显示电流偏小一半，遥测系数未改"),
        ("telemetry", ["101电流", "101有功功率"], "ok", "监控更新遥测系数后核对正确"),
        ("telecontrol", ["101开关遥控分合"], "ok", ""),
        ("teleadjust", ["1号主变有载分接头升降档"], "ok", ""),
    ]
    for i, (kind, points, result, note) in enumerate(checks):
        services.work_remote_check(
            actor=zhoujie,
            source=CLI,
            ticket_id=ct.pk,
            data={
                "kind": kind,
                "points": "\n".join(points),
                "result": result,
                "note": note,
                "at": now - timedelta(hours=3, minutes=30) + timedelta(minutes=5 * i),
                "centre_checker": deputy.pk,
                "team_checker": zhoujie.pk,
            },
        )
    ct.refresh_from_db()
    ct = carry(
        ct,
        zhaogang,
        services.work_end,
        at=now - timedelta(hours=3),
        acceptance="流变更换完毕，试验合格",
    )
    ct = carry(ct, chief, services.work_tag_remove)
    ct = carry(
        ct,
        zhaogang,
        services.work_final_check,
        at=now - timedelta(hours=2, minutes=20),
        centre_person=chief.pk,
        checked="101开关已复电，信号已复归，遥测正常，无异常",
    )
    ct = carry(ct, zhaogang, services.work_ticket_end, at=now - timedelta(hours=2, minutes=10))

    # 3. its limit change, told to the centre, still to be set in the monitoring system
    change = services.limit_change_record(
        actor=chief,
        source=CLI,
        centre=centre,
        data={
            "equipment": equipment("DW110", "101")[0],
            "reason": "ct_replacement",
            "work_ticket": ct.pk,
            "quantity": "电流上限",
            "old_value": "540",
            "new_value": "1080",
            "unit": "A",
            "ct_ratio_old": "600/5",
            "ct_ratio_new": "1200/5",
            "effective_at": now - timedelta(hours=3),
            "reported_by": zhaogang.pk,
            "reported_at": now - timedelta(hours=2, minutes=50),
        },
    )

    # 4. its setting sheet: station and team copies received, the centre's at the monthly meeting
    sheet = services.setting_sheet_create(
        actor=zhaogang,
        source=CLI,
        centre=centre,
        data={
            "number": "苏继2026-118",
            "site": sites["DW110"].pk,
            "equipment": equipment("DW110", "101")[0],
            "subject": "1号主变10kV开关101过流保护定值（流变1200/5）",
            "issued_on": timezone.localdate() - timedelta(days=10),
            "limit_change": change.pk,
        },
    )
    for holder, at in [("station", timedelta(hours=8)), ("team", timedelta(hours=7))]:
        sheet = services.setting_copy_receive(
            actor=zhaogang,
            source=CLI,
            sheet_id=sheet.pk,
            version=sheet.version,
            data={"holder": holder, "received_at": now - at, "received_by": zhaogang.pk},
        )
