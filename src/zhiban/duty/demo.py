"""Duty demo (``zhiban demo``): shift patterns of every centre, this week's and next week's
roster of 苏吴监控中心 (two crews alternating), handover check items, open carried-over items
and today's duty log with an entry in the "other" column."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhiban.core.actors import DEMO, Source

from . import services
from .models import CarriedItem, CheckItem, LogEntry, RosterEntry, ShiftPattern

ACT = {"actor": DEMO, "source": Source.CLI}

PATTERNS = {
    "suwu": [("早班", "08:00", "16:00"), ("中班", "16:00", "00:00"), ("夜班", "00:00", "08:00")],
    "xinghu": [("白班", "08:00", "20:00"), ("夜班", "20:00", "08:00")],
    "kefu": [("早班", "08:30", "17:30"), ("晚班", "17:30", "21:30")],
    "fangwu": [("早班", "07:00", "15:00"), ("中班", "15:00", "23:00"), ("夜班", "23:00", "07:00")],
}
CHECKS = {
    "suwu": ["钥匙", "公共物品（对讲机、安全帽、绝缘手套）", "监控设备运行", "录音电话"],
    "xinghu": ["钥匙", "对讲机", "消防主机", "监控设备运行"],
}
CREWS = {
    "suwu": [
        [("zhangwei", "正值"), ("liuyang", "副值")],
        [("chenjing", "正值"), ("wanglei", "副值")],
    ],
    "xinghu": [[("xuhui", "班长"), ("zhuwen", "监控员")], [("mashuai", "巡逻岗")]],
}
LOG = [
    (-300, "operation", "遥控拉开东吴变10kV东吴3号线开关113（调度王调度令）", "DW110"),
    (-240, "anomaly", "横泾变远动通道中断，已汇报地调，通知远动班处理", "HJ35"),
    (-180, "grounding", "东山变10kV I段母线小电流接地告警，30秒后复归", "DS35"),
    (-120, "acdc", "苏吴变直流系统充电机切换至2号充电机运行", "SW110"),
    (-60, "other", "上级通知：今晚21:00至明早6:00加强对东山变、横泾变的监视", ""),
    (-30, "phone", "越溪操作队吴强来电：东山变1号电容器现场检查无异常", "DS35"),
]


def load(ctx: dict) -> None:
    centres, people = ctx["centres"], ctx["people"]
    for code, patterns in PATTERNS.items():
        centre = centres[code]
        for name, starts, ends in patterns:
            if not ShiftPattern.objects.filter(centre=centre, name=name).exists():
                services.shift_pattern_create(
                    centre=centre,
                    data={"name": name, "starts": starts, "ends": ends, "active": True},
                    **ACT,
                )
    for code, names in CHECKS.items():
        for order, name in enumerate(names):
            if not CheckItem.objects.filter(centre=centres[code], name=name).exists():
                services.check_item_create(
                    centre=centres[code], data={"name": name, "order": order, "active": True}, **ACT
                )
    for code, crews in CREWS.items():
        _roster(centres[code], crews, people)
    suwu = centres["suwu"]
    if not CarriedItem.objects.filter(centre=suwu).exists():
        for text, who in [
            ("横泾变远动通道中断，待远动班修复后核对四遥", "远动班 / 下一班正值"),
            ("东山变1号电容器不平衡告警原因待查，越溪操作队已到现场", "越溪操作队"),
        ]:
            services.carried_item_open(
                centre=suwu,
                actor=people["zhangwei"],
                source=Source.CLI,
                data={"text": text, "continued_by": who},
            )
    if not LogEntry.objects.filter(centre=suwu).exists():
        now = timezone.now()
        sites = {s.code: s for s in suwu.sites.all()}
        for minutes, category, text, site in LOG:
            services.log_write(
                centre=suwu,
                actor=people["zhangwei"],
                source=Source.CLI,
                category=category,
                text=text,
                at=now + timedelta(minutes=minutes),
                site=sites.get(site),
            )


def _roster(centre, crews, people) -> None:
    """This week and next: the crews take the shifts in turn."""
    today = timezone.localdate(timezone=centre.tz)
    monday = today - timedelta(days=today.weekday())
    patterns = list(ShiftPattern.objects.filter(centre=centre).order_by("starts"))
    for offset in range(14):
        day = monday + timedelta(days=offset)
        for index, pattern in enumerate(patterns):
            crew = crews[(offset * len(patterns) + index) % len(crews)]  # turn by turn
            for login, post in crew:
                person = people[login]
                if RosterEntry.objects.filter(
                    shift__pattern=pattern, shift__day=day, person=person
                ).exists():
                    continue
                services.roster_assign(
                    centre=centre,
                    data={"pattern": pattern.pk, "day": day, "person": person.pk, "post": post},
                    **ACT,
                )
