"""Work-ticket demo (``zhiban demo``, after ``ops.demo``): a work ticket permitted at 苏吴变
with the maintenance tag on 苏越线开关 751 (naming ops.demo's order of that line); a CT
replacement at 东吴变 ended with its four-remote checks, its limit change and its setting
sheet."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhiban.core.actors import Source

from . import services
from .models import WorkTicket

CLI = Source.CLI

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


def load(ctx: dict) -> None:
    """A work ticket permitted at 苏吴变 with the maintenance tag on 苏越线开关 751; a CT
    replacement at 东吴变 ended with its four-remote checks (one point wrong at first), its
    limit change still to be set by the centre, and its setting sheet with the centre's copy
    outstanding."""
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
    order = ctx.get("orders", {}).get("SW110-751")  # ops.demo's order, when it made it now
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
