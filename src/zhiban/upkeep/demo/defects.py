"""Demo upkeep: defects at 苏吴监控中心 (DEF-1 … DEF-3) — open ones of every grade, one
overdue, and at least one in each state of the lifecycle (reported, classified, assigned,
eliminated, verified, closed), each taken there through the services by the people whose
side handles it (DEF-2). Run again, it adds nothing (a defect with the same phenomenon at the
centre is there already)."""

from __future__ import annotations

from datetime import timedelta

from zhiban.core.actors import Source
from zhiban.core.models import Deadline
from zhiban.org.models import Equipment, Site

from .. import services
from ..models import Defect

DEMO = Source.CLI

# (site code, equipment name, kind, grade, phenomenon, affects monitoring, the state to reach)
DEFECTS = [
    (
        "SW110",
        "1号电容器",
        "local",
        "critical",
        "1号电容器A相鼓肚，不平衡电流增大",
        False,
        "reported",
    ),
    (
        "DW110",
        "1号主变有载调压分接头",
        "local",
        "serious",
        "1号主变有载调压分接头档位遥信与实际不一致",
        False,
        "classified",
    ),
    (
        "XK35",
        "主控室摄像机",
        "local",
        "general",
        "主控室摄像机画面模糊，夜间无法看清表计",
        False,
        "assigned",
    ),
    (
        "YX110",
        "",
        "channel",
        "serious",
        "越溪变至主站104通道频繁中断，遥测数据不刷新",
        True,
        "eliminated",
    ),
    (
        "HJ35",
        "10kV 横泾1号线开关",
        "local",
        "general",
        "10kV横泾1号线开关储能指示灯不亮",
        False,
        "verified",
    ),
    (
        "SWJK",
        "3号监控机",
        "monitor_computer",
        "serious",
        "3号监控机告警窗频繁卡死，需重启",
        True,
        "closed",
    ),
    (
        "DS35",
        "1号电容器开关",
        "local",
        "critical",
        "1号电容器开关SF6气压低告警，已闭锁分合闸",
        False,
        "overdue",
    ),
]

ORDER = ["reported", "classified", "assigned", "eliminated", "verified", "closed"]
# who does each step: the team's leader and a field operator, or the centre's chief operators
TEAM_PEOPLE = {"吴中操作队": ("zhaogang", "sunli"), "越溪操作队": ("wuqiang", "zhengfang")}
CENTRE_PEOPLE = ("zhangwei", "liuyang")


def _act(service, defect, actor, **data):
    kwargs = {"data": data} if data else {}
    return service(actor=actor, source=DEMO, defect_id=defect.pk, version=defect.version, **kwargs)


def _take(defect, target: str, people) -> Defect:
    """Through the lifecycle to ``target``, each step by the side that handles it (DEF-2);
    verified and closed by the centre's chief operator (never the one who eliminated it)."""
    if defect.team_id:
        lead, worker = (people[login] for login in TEAM_PEOPLE[defect.team.name])
    else:
        lead, worker = (people[login] for login in CENTRE_PEOPLE)
    chief = people["zhangwei"] if worker != people["zhangwei"] else people["chenjing"]
    steps = ORDER[1 : ORDER.index(target) + 1] if target in ORDER else []
    for step in steps:
        if step == "classified":
            defect = _act(
                services.defect_classify, defect, lead, grade=defect.grade, kind=defect.kind
            )
        elif step == "assigned":
            defect = _act(services.defect_assign, defect, lead, assignee=worker.pk)
        elif step == "eliminated":
            defect = _act(services.defect_eliminate, defect, worker, elimination="已处理，恢复正常")
        elif step == "verified":
            defect = _act(services.defect_verify, defect, chief)
        elif step == "closed":
            defect = _act(services.defect_close, defect, chief)
    return defect


def _backdate(defect: Defect, days: int) -> None:
    """The overdue example: reported ``days`` ago, its elimination deadline past. The report
    service records now, so the demo moves the two times (and its deadline's) back with a
    plain UPDATE — demo data only; people's reports always record the time they are made. The
    deadline job then records the breach and escalates on its next run (DEF-3)."""
    shift = timedelta(days=days)
    Defect.objects.filter(pk=defect.pk).update(
        reported_at=defect.reported_at - shift, due_at=defect.due_at - shift
    )
    Deadline.objects.filter(
        content_type__app_label="upkeep", content_type__model="defect", object_id=str(defect.pk)
    ).update(due_at=defect.due_at - shift)


def load(ctx: dict) -> None:
    centre = ctx["centres"]["suwu"]
    people = ctx["people"]
    for code, equipment, kind, grade, phenomenon, affects, target in DEFECTS:
        if Defect.objects.filter(centre=centre, phenomenon=phenomenon).exists():
            continue
        site = Site.objects.get(centre=centre, code=code)
        piece = Equipment.objects.filter(site=site, name=equipment).first() if equipment else None
        reporter = people["zhangwei"] if kind != "local" else people["sunli"]
        defect = services.defect_report(
            actor=reporter,
            source=DEMO,
            centre=centre,
            data={
                "site": site.pk,
                "equipment": piece.pk if piece else "",
                "kind": kind,
                "grade": grade,
                "phenomenon": phenomenon,
                "affects_monitoring": affects,
                "temporary_measure": "已闭锁分合闸，加强监视" if target == "overdue" else "",
            },
        )
        if target == "overdue":
            _backdate(defect, days=2)
        else:
            _take(defect, target, people)
