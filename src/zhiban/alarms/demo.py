"""Alarms demo (``zhiban demo``): the outside systems that send events — 苏吴监控中心's
monitoring system and online monitoring instruments, 星湖广场监控室's fire panel, intrusion
panel and video analytics (INC-1). Each source has a gateway account of its own at its centre
(``gw-<source>``, org/demo.py); its token names that source (INC-1, ORG-3).
Then incidents and accident records: a finished false fire alarm, an open communication loss
and a completed accident record (``load_incidents``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from zhiban.core.actors import DEMO, Source
from zhiban.org.models import Centre

from . import demo_history, services
from .events import parse
from .models import (
    AccidentKind,
    AccidentRecord,
    AccidentState,
    Alarm,
    AlarmSource,
    Incident,
    IncidentKind,
    StepKind,
    Verdict,
)

SOURCES = [
    ("suwu", "suwu-scada", "苏吴监控系统 (OPEN-2000)", "scada"),
    ("suwu", "suwu-online", "苏吴在线监测系统", "instrument"),
    ("xinghu", "xinghu-fire", "星湖广场火灾报警控制器", "fire"),
    ("xinghu", "xinghu-intrusion", "星湖广场防盗报警主机", "intrusion"),
    ("xinghu", "xinghu-video", "星湖广场视频分析", "video"),
]


def load(ctx: dict) -> None:
    for centre_code, code, name, kind in SOURCES:
        if AlarmSource.objects.filter(code=code).exists():
            continue
        services.alarm_source_create(
            actor=DEMO,
            source=Source.CLI,
            centre=Centre.objects.get(code=centre_code),
            data={"code": code, "name": name, "kind": kind, "active": True},
        )
    demo_history.load(ctx)  # the alarm history at 苏吴监控中心 (alarms/demo_history.py)
    load_incidents(ctx)


# --- incidents and accident records (INC-5, INC-6, INC-8) ---------------------------------------


def _event(source: str, event_id: str, at, site: str, signal: str, klass: str, action="raise"):
    services.events_ingest(
        actor=DEMO,
        source=Source.CLI,
        channel="simulate",
        items=[
            parse(
                {
                    "source": source,
                    "id": event_id,
                    "at": at.isoformat(),
                    "site": site,
                    "signal": signal,
                    "class": klass,
                    "action": action,
                }
            )
        ],
    )
    return Alarm.objects.filter(source__code=source, signal=signal).order_by("-id").first()


def _steps(incident, person, steps) -> Incident:
    """Records (minutes after opening, step, contacted, text) on the incident in turn."""
    for minutes, kind, counterpart, text in steps:
        services.incident_step_record(
            actor=person,
            source=Source.CLI,
            incident_id=incident.pk,
            version=incident.version,
            data={
                "kind": kind,
                "at": incident.opened_at + timedelta(minutes=minutes),
                "counterpart": counterpart,
                "text": text,
                "location": text if kind == StepKind.LOCATED else "",
            },
        )
        incident.refresh_from_db()
    return incident


def load_incidents(ctx: dict) -> None:
    """A finished false fire alarm at 星湖广场 with all its steps (INC-8), a communication loss
    at 苏吴监控中心 waiting for repair — it blocks the handover until then (INC-6, DUTY-10) —
    and one completed accident record (INC-5). Each only when missing."""
    people, now = ctx["people"], timezone.now().replace(second=0, microsecond=0)
    xinghu, suwu = ctx["centres"]["xinghu"], ctx["centres"]["suwu"]
    if not Incident.objects.filter(centre=xinghu, kind=IncidentKind.FIRE).exists():
        _false_fire_alarm(xinghu, people, now - timedelta(hours=2))
    if not Incident.objects.filter(centre=suwu, kind=IncidentKind.COMM_LOSS).exists():
        _comm_loss(suwu, people, now - timedelta(hours=4))
    if not AccidentRecord.objects.filter(centre=suwu, state=AccidentState.COMPLETED).exists():
        _completed_accident_record(suwu, people, now)


def _false_fire_alarm(centre, people, at) -> None:
    guard, leader = people["zhuwen"], people["xuhui"]
    alarm = _event(
        "xinghu-fire", "demo-fire-3F-12", at, "XH-3F", "3F-12号感烟探测器火警", "accident"
    )
    incident = services.incident_open(
        actor=guard,
        source=Source.CLI,
        centre=centre,
        data={"alarms": [alarm.pk], "opened_at": at, "description": "火灾报警控制器报三层火警"},
    )
    incident = _steps(
        incident,
        guard,
        [
            (1, StepKind.LOCATED, "", "三层餐饮 粤菜馆后厨 3F-12号烟感"),
            (2, StepKind.LEADER_REPORTED, leader.name, "三层粤菜馆后厨烟感报警"),
            (2, StepKind.CAMERA_WATCHED, "", "3F-02枪机：后厨有烟雾，未见明火"),
            (3, StepKind.PATROL_SENT, people["mashuai"].name, "携灭火器赶赴三层后厨核实"),
            (7, StepKind.VERIFIED, people["mashuai"].name, "后厨炒菜油烟触发烟感，无明火"),
        ],
    )
    incident = services.incident_verdict(
        actor=leader,
        source=Source.CLI,
        incident_id=incident.pk,
        version=incident.version,
        data={"verdict": Verdict.FALSE},
    )
    incident = _steps(
        incident, guard, [(9, StepKind.RESET, "", "消防主机复位，3F-12号烟感恢复正常")]
    )
    _event(
        "xinghu-fire",
        "demo-fire-3F-12-reset",
        at + timedelta(minutes=9),
        "XH-3F",
        "3F-12号感烟探测器火警",
        "accident",
        action="clear",
    )
    services.alarm_ack(actor=guard, source=Source.CLI, alarm_id=alarm.pk)
    services.incident_close(
        actor=leader,
        source=Source.CLI,
        incident_id=incident.pk,
        version=incident.version,
        data={"note": "误报：后厨油烟触发烟感，已复位；提醒商户开启排烟"},
    )


def _comm_loss(centre, people, at) -> None:
    chief = people["zhangwei"]
    alarm = _event("suwu-scada", "demo-hj35-comm", at, "HJ35", "横泾变远动通信中断", "abnormal")
    incident = services.incident_open(
        actor=chief, source=Source.CLI, centre=centre, data={"alarms": [alarm.pk], "opened_at": at}
    )
    _steps(
        incident,
        chief,
        [
            (2, StepKind.REPORTED_DISPATCHER, "地调 王调度", "横泾变远动通道中断，四遥不可用"),
            (5, StepKind.TELECONTROL_TOLD, "远动班 李工", "地调已通知远动班，预计今日修复"),
        ],
    )


def _completed_accident_record(centre, people, now) -> None:
    """The oldest trip of the storm, completed; or one written by hand when there is none."""
    chief = people["zhangwei"]
    record = AccidentRecord.objects.filter(centre=centre, state=AccidentState.DRAFT).last()
    if record is None:
        site = centre.sites.get(code="DW110")
        breaker = site.equipment.get(dispatch_number="111")
        record = services.accident_record_create(
            actor=chief,
            source=Source.CLI,
            centre=centre,
            data={
                "site": site.pk,
                "equipment": breaker.pk,
                "occurred_at": now - timedelta(hours=5),
                "breakers": breaker.double_name,
                "operator": chief.pk,
            },
        )
    at = record.occurred_at
    record = services.accident_record_update(
        actor=chief,
        source=Source.CLI,
        record_id=record.pk,
        version=record.version,
        changes={
            "kind": AccidentKind.TRANSIENT_LINE,
            "description": f"{record.breakers}跳闸，重合闸成功，线路恢复供电",
            "protection": "过流I段保护动作，重合闸动作成功",
            "cause": "雷击",
            "voltage_level": record.voltage_level or "10kV",
            "dispatcher": "地调 王调度",
            "dispatcher_at": at + timedelta(minutes=3),
            "superiors": "运维部经理 李军",
            "superiors_at": at + timedelta(minutes=15),
            "operator": record.operator_id or chief.pk,
        },
    )
    services.accident_record_complete(
        actor=chief, source=Source.CLI, record_id=record.pk, version=record.version
    )
