"""Demo records of the core (``zhiban demo``): phone contacts with and without read-back,
deadlines (one overdue, one coming), so the console shows a living centre."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from . import services
from .actors import DEMO, Source
from .models import PhoneContact

CALLS = [
    # minutes ago, our login, direction, party, subject, content, read-back
    (
        95,
        "zhangwei",
        "incoming",
        "地调 王调度",
        "调度预发令：110kV 苏越线 751 开关由运行转检修",
        "计划明日 09:00 执行，请通知吴中操作队准备操作票。",
        "苏越线751开关由运行转检修，明日09:00，已复诵",
    ),
    (
        80,
        "zhangwei",
        "outgoing",
        "吴中操作队 赵刚",
        "通知操作队：苏越线 751 开关转检修预令",
        "监控中心已接调度预发令，请安排开票。",
        "赵刚复诵正确",
    ),
    (
        25,
        "liuyang",
        "outgoing",
        "越溪操作队 吴强",
        "东山变 10kV 1号电容器异常信号，请现场检查",
        "后台频繁报‘电容器不平衡’告知，请派员现场查看。",
        "",
    ),
    (
        10,
        "chenjing",
        "incoming",
        "远动班 钱工",
        "横泾变远动通道中断处理进展",
        "通道板卡已更换，正在联调。",
        "",
    ),
]


def load(ctx: dict) -> None:
    centre = ctx["centres"]["suwu"]
    people = ctx["people"]
    if PhoneContact.objects.filter(centre=centre).exists():
        return
    now = timezone.now()
    contacts = []
    for minutes, login, direction, party, subject, content, read_back in CALLS:
        contacts.append(
            services.phone_contact_record(
                actor=DEMO,
                source=Source.CLI,
                centre=centre,
                data={
                    "direction": direction,
                    "at": now - timedelta(minutes=minutes),
                    "our_person": people[login].pk,
                    "party_name": party,
                    "subject": subject,
                    "content": content,
                    "read_back": read_back,
                },
            )
        )
    services.deadline_set(
        actor=DEMO,
        source=Source.CLI,
        centre=centre,
        target=contacts[2],
        data={
            "name": "现场检查结果回报",
            "due_at": now + timedelta(minutes=20),
            "assignee": people["wuqiang"].pk,
        },
    )
    services.deadline_set(
        actor=DEMO,
        source=Source.CLI,
        centre=centre,
        target=contacts[3],
        data={
            "name": "远动通道恢复确认",
            "due_at": now - timedelta(minutes=5),
            "assignee": people["chenjing"].pk,
        },
    )
    # The scheduler has already noticed the overdue one (breach recorded, people notified).
    services.deadlines_check(now=now)
