"""Emergency plans demo (``zhiban demo``, after ``alarms.demo``): the six plans of 星湖广场监控室
(the fire plan started by the fire panel, the theft plan by the intrusion panel), the fire and
power-cut plans of 金鸡湖酒店房务中心, 苏吴监控中心's own plans of a station without voltage and
of the monitoring system lost; and at 星湖 the fire plan run for the false alarm of 3F-12,
finished: its ticks in the duty log, its report complete (EMG-1, EMG-2)."""

from __future__ import annotations

from datetime import timedelta

from zhiban.alarms.models import Alarm, AlarmClass, SourceKind
from zhiban.core.actors import Source

from . import services
from .models import EmergencyPlan, EmergencyRun, Scenario

CLI = Source.CLI

XINGHU = [
    (
        "火警火灾应急处置",
        Scenario.FIRE,
        [SourceKind.FIRE],
        True,
        """在消防主机上确认报警位置 | 监控员
调出报警区域的监控画面观察 | 监控员
通知巡逻岗携灭火器赶赴现场核实 | 监控员
报告当班班长和秩序维护部经理 | 监控员
确认为火警：拨打119，启动灭火和疏散预案 | 当班班长
确认为误报：在消防主机上复位，恢复监控 | 监控员
记录处置经过 | 监控员""",
    ),
    (
        "停电应急处置",
        Scenario.POWER_CUT,
        [],
        False,
        """向管理处报告停电范围和故障地点 | 监控员
启用应急照明，避免使用明火照明 | 巡逻岗
检查电梯是否困人，安抚被困人员 | 巡逻岗
通知工程部抢修 | 当班班长
来电后检查消防、监控设备恢复正常 | 监控员""",
    ),
    (
        "发水应急处置",
        Scenario.FLOODING,
        [],
        False,
        """报告发水位置，安排抢修 | 监控员
不触及电器设备，通过绝缘体切断受浸部位电源 | 巡逻岗
转移重要物品、文件，关闭门窗 | 巡逻岗
疏散人员，尽快离开发水区域 | 当班班长
逐步抽去积水，检查财物损失 | 工程部
提高警惕，防止盗贼趁机进入 | 巡逻岗
请电工检查电路，防止短路、漏电 | 工程部""",
    ),
    (
        "盗窃案件处置",
        Scenario.THEFT,
        [SourceKind.INTRUSION],
        True,
        """用最近的电话向当地派出所报案 | 当班班长
通知管理处 | 监控员
保护现场，等候公安人员 | 巡逻岗
调取并保存现场录像 | 监控员
记录报案资料：姓名、电话、位置、地址、编号、伤亡、财损 | 监控员""",
    ),
    (
        "防台风措施",
        Scenario.TYPHOON,
        [],
        False,
        """缚紧容易被风吹倒的物件，搬回室外花盆、杂物 | 巡逻岗
扣紧门窗，窗户玻璃粘上胶布 | 巡逻岗
检查沟渠，防止杂物阻塞引致积水 | 巡逻岗
提醒人员远离玻璃门窗 | 监控员
台风过后检查玻璃破裂，报修更换 | 当班班长""",
    ),
    (
        "地震应急处置",
        Scenario.EARTHQUAKE,
        [],
        False,
        """广播提醒保持镇定，躲在坚固的结构下 | 监控员
远离窗户、玻璃隔板和悬挂物，不要躲在楼梯底下 | 巡逻岗
震后组织疏散到空旷地带 | 当班班长
防备余震，检查建筑和消防设施 | 巡逻岗""",
    ),
]

FANGWU = [
    (
        "客房火警处置",
        Scenario.FIRE,
        [],
        True,
        """记录报警房号、报告人和时间 | 房务中心文员
通知保安部、工程部赶到现场 | 房务中心文员
通知大堂副理和客房部经理 | 房务中心文员
按楼层疏散客人，不乘电梯 | 楼层主管
清点客人和员工人数 | 客房部经理""",
    ),
    (
        "客房停电处置",
        Scenario.POWER_CUT,
        [],
        False,
        """向工程部报告停电楼层和房号 | 房务中心文员
为在住客人送应急灯、手电 | 楼层服务员
逐层检查电梯是否困人 | 楼层主管
来电后回访受影响的客人 | 房务中心文员""",
    ),
]

SUWU = [
    (
        "变电站全站失压处置",
        Scenario.STATION_BLACKOUT,
        [],
        False,
        """核对母线电压、站用电，确认失压范围 | 正值
立即汇报地调，听候调度指令 | 正值
通知操作队赶赴现场 | 副值
检查站用直流和UPS运行 | 操作队
按调度令恢复送电，逐条记录 | 操作队
记入运行日志，交班时说明 | 正值""",
    ),
    (
        "监控系统失灵处置",
        Scenario.MONITORING_LOSS,
        [],
        False,
        """确认失灵范围：主站、通道或厂站 | 正值
汇报地调，由调度恢复对所辖站的监视 | 正值
通知远动班处理 | 副值
安排操作队有人值守重要变电站 | 正值
恢复后逐站核对遥信、遥测 | 副值""",
    ),
]


def _plans(centre, author, plans) -> dict:
    made = {}
    for name, scenario, kinds, report, items in plans:
        plan = EmergencyPlan.objects.filter(centre=centre, name=name).first()
        if plan is None:
            plan = services.plan_create(
                actor=author,
                source=CLI,
                centre=centre,
                data={
                    "name": name,
                    "scenario": scenario,
                    "source_kinds": kinds,
                    "alarm_classes": [],
                    "needs_report": report,
                    "active": True,
                    "note": "",
                    "items": items,
                },
            )
        made[scenario] = plan
    return made


def load(ctx: dict) -> None:
    centres, people = ctx["centres"], ctx["people"]
    xinghu = _plans(centres["xinghu"], people["huyan"], XINGHU)
    _plans(centres["fangwu"], people["hanxue"], FANGWU)
    _plans(centres["suwu"], people["admin"], SUWU)
    if not EmergencyRun.objects.filter(centre=centres["xinghu"]).exists():
        _finished_fire_run(xinghu[Scenario.FIRE], people)


def _finished_fire_run(plan, people) -> None:
    """The fire plan run for the false alarm of 3F-12 (alarms.demo): every item done or
    skipped, each in the duty log; the report complete; closed by the shift leader."""
    guard, patrol, leader = people["zhuwen"], people["mashuai"], people["xuhui"]
    alarm = Alarm.objects.filter(centre=plan.centre, klass=AlarmClass.ACCIDENT).first()
    at = alarm.first_at if alarm else None
    run = services.run_start(
        actor=guard,
        source=CLI,
        centre=plan.centre,
        data={"plan": plan.pk, "event": "三层粤菜馆后厨 3F-12号烟感报警", "started_at": at},
    )
    done = [
        (1, guard, "tick", "3F-12号感烟探测器"),
        (2, guard, "tick", "3F-02枪机：后厨有烟雾，未见明火"),
        (3, guard, "tick", "马帅携灭火器前往"),
        (4, guard, "tick", "已报徐辉、胡岩"),
        (5, leader, "skip", "误报：后厨炒菜油烟触发烟感，无明火，未报119"),
        (6, guard, "tick", "消防主机已复位"),
        (7, guard, "tick", ""),
    ]
    for n, person, action, note in done:
        item = run.items.get(position=n)
        if action == "tick":
            when = at + timedelta(minutes=n + 1) if at else None
            services.run_item_tick(
                actor=person,
                source=CLI,
                run_id=run.pk,
                version=item.version,
                data={"item": item.pk, "at": when, "note": note},
            )
        else:
            services.run_item_skip(
                actor=person,
                source=CLI,
                run_id=run.pk,
                version=item.version,
                data={"item": item.pk, "reason": note},
            )
    run = services.run_report(
        actor=patrol,
        source=CLI,
        run_id=run.pk,
        version=run.version,
        data={
            "reporter_name": "马帅",
            "reporter_phone": "13800000045",
            "location": "三层餐饮区 粤菜馆后厨",
            "address": "苏州工业园区星湖街 218 号 星湖广场",
            "unit": "3F-12",
            "injuries": "无人员受伤",
            "property_damage": "无财物损失",
        },
    )
    services.run_close(actor=leader, source=CLI, run_id=run.pk, version=run.version)
