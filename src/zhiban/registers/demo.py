"""Demo registers of 星湖广场监控室 (``zhiban demo``): a week of footage requests (approved with
accesses, one whose footage is overwritten in two days, one pending, one refused), visitors
(gone, in the room, awaiting approval, refused) and big-screen and remote-operation use, filed
by the monitor 朱文 and the shift leader 徐辉 and decided by the department head 胡岩."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from zhiban.core.actors import Source
from zhiban.org.models import Equipment

from . import demo_desk
from .models import FootageRequest
from .services import footage, screens, visitors

S = Source.CLI


def _at(now: datetime, days: float, hour: int, minute: int = 0) -> datetime:
    """``days`` ago at the centre's hour and minute."""
    day = timezone.localtime(now) - timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _decide(service, leader, entry, approve: bool, note: str = ""):
    return service(
        actor=leader,
        source=S,
        pk=entry.pk,
        version=entry.version,
        approve=approve,
        data={"decision_note": note},
    )


FOOTAGE = [
    # requester, unit, reason, camera code, span (days ago, from hour, until hour),
    # window (hours from now: from, until), decision (None: pending), note, accesses
    (
        "李警官",
        "苏州市公安局园区分局星湖派出所",
        "一层商场顾客手机被盗报案，需调阅案发时段录像",
        "C1F02",
        (3, 14, 15),
        (-2, 48),
        True,
        "同意调阅，录像拷贝须登记编号",
        [("view", "民警现场查看，确认嫌疑人出入口"), ("copy", "拷贝至派出所U盘，编号XH-2026-118")],
    ),
    (
        "王丽",
        "一层商户 优品生活馆",
        "顾客与店员发生纠纷，商户申请查看店门口录像",
        "C1F01",
        (2, 19, 20),
        (-1, 24),
        None,
        "",
        [],
    ),
    (
        "周涛",
        "太平洋财产保险苏州分公司",
        "地下车库车辆剐蹭理赔，需调阅停车场录像",
        "CB101",
        (28, 9, 11),
        (-1, 72),
        True,
        "同意，录像两日内将被覆盖，请尽快拷贝",
        [],
    ),
    (
        "张某",
        "个人",
        "想查看朋友前几天的行踪",
        "D2F",
        (4, 10, 12),
        (-1, 24),
        False,
        "非公务需要，涉及他人隐私，不予调阅",
        [],
    ),
    (
        "钱工",
        "星湖物业工程部",
        "三层餐饮区天花漏水，需确认漏水开始时间",
        "C3F03",
        (5, 6, 9),
        (-3, 6),
        True,
        "同意",
        [("download", "下载片段交工程部存档")],
    ),
]

VISITORS = [
    # name, organisation, reason, escort, decision, note, steps
    (
        "陈建华",
        "苏州安泰消防维保有限公司",
        "消防主机年度检测",
        "徐辉",
        True,
        "",
        ["arrive", "leave"],
    ),
    ("赵敏", "苏州市公安局园区分局星湖派出所", "现场查看被盗案录像", "徐辉", True, "", ["arrive"]),
    ("孙晓", "星湖商业管理公司", "新员工参观监控中心", "朱文", None, "", []),
    ("刘强", "某安防设备公司", "上门推销监控设备", "朱文", False, "无公务事由，不予进入", []),
]

SCREENS = [
    # kind, used by, why, (hours from now: from, until), decision, note
    ("big_screen", "徐辉", "商场安全周例会视频会议", (-26, -25), True, ""),
    ("remote_operation", "朱文", "远程重启二层电梯厅球机（画面冻结）", (1, 2), None, ""),
    ("big_screen", "朱文", "大屏播放消防演练宣传片", (20, 22), False, "与开业时段冲突，改期"),
]


def load(ctx: dict) -> None:
    demo_desk.load(ctx)  # the desk registers (REG-3 … REG-8, demo_desk.py)
    centre = ctx["centres"]["xinghu"]
    people = ctx["people"]
    if FootageRequest.objects.filter(centre=centre).exists():
        return
    now = timezone.now()
    monitor, leader, head = people["zhuwen"], people["xuhui"], people["huyan"]
    cameras = {e.dispatch_number: e for e in Equipment.objects.filter(centre=centre)}
    for name, unit, reason, code, span, window, approve, note, accesses in FOOTAGE:
        camera = cameras[code]
        request = footage.footage_request_create(
            actor=monitor,
            source=S,
            centre=centre,
            data={
                "requester_name": name,
                "requester_unit": unit,
                "reason": reason,
                "site": camera.site_id,
                "camera": camera.pk,
                "span_from": _at(now, span[0], span[1]),
                "span_until": _at(now, span[0], span[2]),
                "window_from": now + timedelta(hours=window[0]),
                "window_until": now + timedelta(hours=window[1]),
            },
        )
        if approve is not None:
            request = _decide(footage.footage_request_decide, head, request, approve, note)
        for kind, access_note in accesses:
            footage.footage_access_record(
                actor=monitor,
                source=S,
                request_id=request.pk,
                version=request.version,
                data={"kind": kind, "note": access_note},
            )
    for name, organisation, reason, escort, approve, note, steps in VISITORS:
        visitor = visitors.visitor_create(
            actor=leader,
            source=S,
            centre=centre,
            data={"name": name, "organisation": organisation, "reason": reason, "escort": escort},
        )
        if approve is not None:
            visitor = _decide(visitors.visitor_decide, head, visitor, approve, note)
        for step in steps:
            service = visitors.visitor_arrive if step == "arrive" else visitors.visitor_leave
            visitor = service(
                actor=leader, source=S, visitor_id=visitor.pk, version=visitor.version, data={}
            )
    for kind, used_by, purpose, hours, approve, note in SCREENS:
        use = screens.screen_use_create(
            actor=monitor if used_by == "朱文" else leader,
            source=S,
            centre=centre,
            data={
                "kind": kind,
                "used_by": used_by,
                "purpose": purpose,
                "starts_at": now + timedelta(hours=hours[0]),
                "ends_at": now + timedelta(hours=hours[1]),
            },
        )
        if approve is not None:
            _decide(screens.screen_use_decide, head, use, approve, note)
