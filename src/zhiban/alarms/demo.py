"""Alarms demo (``zhiban demo``): the outside systems that send events — 苏吴监控中心's
monitoring system and online monitoring instruments, 星湖广场监控室's fire panel, intrusion
panel and video analytics (INC-1). The ``gateway`` login holds the gateway role at both."""

from __future__ import annotations

from zhiban.core.actors import DEMO, Source
from zhiban.org.models import Centre

from . import services
from .models import AlarmSource

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
