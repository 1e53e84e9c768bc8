"""Patrol demo (``zhiban demo``, after ``duty.demo``): a week of rounds, some missed and one
abnormal with a note —

- 星湖广场监控室: every camera twice per shift (dome cameras turned 360°), the lift-hall dome
  cameras every 60 minutes, and the floors' fire passages and shutters at 09:30–10:30, walked
  by 马帅 and 朱文; 徐辉 is the shift leader told of the missed ones (PAT-1 … PAT-3);
- 金鸡湖酒店房务中心: 冯涛's floor rounds 09:30–10:30 (at least two fire hydrants a floor);
- 苏吴监控中心: 吴中操作队's station patrol at 09:00–11:00, the centre's answer first (PAT-4);
- every power centre: its own patrol (screens, UPS, hosts, VQC, video) once a shift under its
  own unit, walked by the chief operators 张伟 and 陈静 (PAT-5).

Past rounds are walked through the services with their times inside each window (``at``)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.utils import timezone
from PIL import Image

from zhiban.core.actors import DEMO, SCHEDULER, Source

from . import services
from .models import Checkpoint, PatrolRound, Result, RoundState

CLI = Source.CLI
FLOOR_ITEMS = "消火栓 >= 2\n防火门关闭\n卷帘门下无杂物\n疏散通道畅通"
CAMERA_ITEMS = "画面清晰\n录像正常"
DOME_ITEMS = "球机360°巡视\n画面清晰\n录像正常"
ROOM_FLOOR_ITEMS = "消火栓 >= 2\n防火门关闭\n走廊无杂物\n客房门已关好"
CENTRE_ITEMS = "画面\n监控机UPS电源\n主机\nVQC系统\n视频系统"
STATION_ITEMS = "监控系统运行正常\n无异常告警\n需复归信号已复归"


def _point(centre, site, name, kind, items, equipment=None) -> Checkpoint:
    return services.checkpoint_create(
        actor=DEMO,
        source=CLI,
        centre=centre,
        data={
            "site": site.pk,
            "equipment": equipment.pk if equipment else None,
            "kind": kind,
            "name": name,
            "items": items,
            "active": True,
        },
    )


def _plan(centre, name, points, **data):
    return services.plan_create(
        actor=DEMO,
        source=CLI,
        centre=centre,
        data={"name": name, "active": True, "checkpoints": [p.pk for p in points], **data},
    )


def _walk(rnd, walker, *, skip_end=False, abnormal=None, answer_by=None) -> None:
    """Walk ``rnd`` inside its window: started a few minutes in, each checkpoint a few
    minutes apart, every counted item at its minimum; ``abnormal`` = (checkpoint name, note)."""
    at = rnd.window_start + timedelta(minutes=5)
    version = rnd.version
    if answer_by is not None:
        version = services.round_answer(
            actor=answer_by,
            source=CLI,
            round_id=rnd.pk,
            version=version,
            data={"question": "有无需专门检查的异常或需复归的信号？", "answer": "无异常，正常巡视"},
            at=at - timedelta(minutes=3),
        ).version
    version = services.round_start(
        actor=walker, source=CLI, round_id=rnd.pk, version=version, at=at
    ).version
    for row in rnd.checks.select_related("checkpoint").prefetch_related("checkpoint__items"):
        at += timedelta(minutes=2)
        counts = {str(i.seq): i.minimum for i in row.checkpoint.items.all() if i.minimum}
        bad = abnormal is not None and row.checkpoint.name == abnormal[0]
        data = {
            "checkpoint": row.checkpoint_id,
            "result": Result.ABNORMAL if bad else Result.NORMAL,
            "note": abnormal[1] if bad else "",
            "counts": counts,
        }
        version = services.round_check(
            actor=walker, source=CLI, round_id=rnd.pk, version=version, data=data, at=at
        ).version
        if bad:
            services.round_photo(
                actor=walker,
                source=CLI,
                round_id=rnd.pk,
                version=version,
                checkpoint_id=row.checkpoint_id,
                data=_photo(),
            )
            version += 1
    if not skip_end:
        services.round_end(
            actor=walker, source=CLI, round_id=rnd.pk, version=version, at=at + timedelta(minutes=1)
        )


def _photo() -> bytes:
    """A stand-in for the guard's photo of the broken hydrant cabinet: a small red JPEG."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (190, 40, 40)).save(out, format="JPEG", quality=80)
    return out.getvalue()


def _week(centre, now) -> list[PatrolRound]:
    services.rounds_generate(
        actor=SCHEDULER, source=Source.JOB, centre=centre, now=now, since=now - timedelta(days=7)
    )
    return list(
        PatrolRound.objects.filter(centre=centre, state=RoundState.DUE).order_by("window_start")
    )


def _security(centre, people, now) -> None:
    sites = {s.code: s for s in centre.sites.all()}
    cameras, domes, passages = [], [], []
    for code in ("XH-B1", "XH-1F", "XH-2F", "XH-3F"):
        floor = sites[code]
        for e in floor.equipment.filter(kind__in=["camera", "dome_camera"]).order_by("name"):
            dome = e.kind == "dome_camera"
            point = _point(centre, floor, e.name, "camera", DOME_ITEMS if dome else CAMERA_ITEMS, e)
            (domes if dome else cameras).append(point)
        passages.append(_point(centre, floor, f"{floor.name}消防通道", "place", FLOOR_ITEMS))
    _plan(
        centre,
        "全部摄像机画面巡查",
        cameras + domes,
        what="所有监控枪机画面巡查，球机须进行360°巡查；巡查完毕登记巡查时间",
        kind="per_shift",
        times=centre.setting("patrols.camera_checks_per_shift"),
        role="guard",
    )
    _plan(
        centre,
        "开业前巡楼",
        passages,
        what="每层检查两个以上消火栓，防火门关闭，卷帘门下无杂物",
        kind="window",
        window_starts="09:30",
        window_ends="10:30",
        role="guard",
    )
    mashuai, zhuwen = people["mashuai"], people["zhuwen"]
    week = _week(centre, now)
    rounds = [r for r in week if r.window_end <= now]
    floors = [r for r in rounds if r.plan.name == "开业前巡楼"]
    shifts = [r for r in rounds if r.plan.name == "全部摄像机画面巡查"]
    for i, rnd in enumerate(floors):
        if i == 2:
            continue  # one morning's round was missed
        abnormal = (
            ("二层商场消防通道", "2号消火栓箱玻璃破损，已报工程部")
            if i == len(floors) - 1
            else None
        )
        _walk(rnd, mashuai, abnormal=abnormal)
    for i, rnd in enumerate(shifts):
        if i % 5 != 4:
            _walk(rnd, zhuwen if i % 2 else mashuai)
    # the hourly sweep of the lift halls' dome cameras, planned this morning
    _plan(
        centre,
        "电梯及楼梯摄像机轮巡",
        domes,
        what="电梯厅、楼梯间画面轮巡",
        kind="interval",
        interval_minutes=centre.setting("patrols.camera_sweep_minutes"),
        role="guard",
    )
    services.rounds_generate(
        actor=SCHEDULER, source=Source.JOB, centre=centre, now=now, since=now - timedelta(hours=8)
    )
    sweeps = PatrolRound.objects.filter(
        plan__name="电梯及楼梯摄像机轮巡", centre=centre, window_end__lte=now
    ).order_by("window_start")
    for i, rnd in enumerate(sweeps):
        if i != 3:
            _walk(rnd, zhuwen)
    services.rounds_mark_missed(actor=SCHEDULER, source=Source.JOB, now=now, centre=centre)


def _housekeeping(centre, people, now) -> None:
    floors = [s for s in centre.sites.filter(kind="floor").order_by("code")]
    points = [_point(centre, f, f"{f.name}楼层巡查", "place", ROOM_FLOOR_ITEMS) for f in floors]
    _plan(
        centre,
        "客房楼层巡楼",
        points,
        what="每层检查两个以上消火栓并在消火栓记录上签字；巡楼发现问题向主管汇报",
        kind="window",
        window_starts="09:30",
        window_ends="10:30",
        role="team_leader",
    )
    rounds = [r for r in _week(centre, now) if r.window_end <= now]
    for i, rnd in enumerate(rounds):
        if i == len(rounds) - 1:  # this morning: a hydrant cabinet left open, photographed
            _walk(
                rnd, people["fengtao"], abnormal=("10层客房楼层巡查", "东侧消火栓箱门未关，已关好")
            )
        elif i != 1:
            _walk(rnd, people["fengtao"])
    services.rounds_mark_missed(actor=SCHEDULER, source=Source.JOB, now=now, centre=centre)


def _stations(centre, people, teams, now) -> None:
    team = teams["吴中操作队"]
    stations = [
        _point(centre, site, f"{site.name}监控系统", "site", STATION_ITEMS)
        for site in team.sites.order_by("code")
    ]
    _plan(
        centre,
        "吴中操作队变电站巡视",
        stations,
        what="各变电站设备巡视；巡视前电话询问监控中心有无需专门检查的异常或需复归的信号",
        kind="window",
        window_starts="09:00",
        window_ends="11:00",
        role="field_operator",
        team=team.pk,
        station_patrol=True,
    )
    rounds = [r for r in _week(centre, now) if r.window_end <= now]
    for i, rnd in enumerate(rounds):
        if i != 3:
            _walk(rnd, people["sunli"], answer_by=people["zhangwei"])
    services.rounds_mark_missed(actor=SCHEDULER, source=Source.JOB, now=now, centre=centre)


def _centre_own(centre, people, now) -> None:
    """PAT-5: the centre's own patrol, a plan of the chief operators at the centre's unit."""
    unit = centre.sites.filter(kind="centre_unit").order_by("code").first()
    if unit is None:
        return
    point = _point(centre, unit, f"{unit.name}自巡视", "site", CENTRE_ITEMS)
    plan = _plan(
        centre,
        "监控中心自巡视",
        [point],
        what="正值巡视本中心画面、监控机UPS电源、主机、VQC系统、视频系统",
        kind="per_shift",
        times=1,
        role="chief_operator",
    )
    rounds = [r for r in _week(centre, now) if r.window_end <= now and r.plan_id == plan.pk]
    for i, rnd in enumerate(rounds):
        abnormal = (
            (point.name, "VQC系统2号电容器闭锁，已告知调度") if i == len(rounds) - 2 else None
        )
        _walk(rnd, people["chenjing" if i % 2 else "zhangwei"], abnormal=abnormal)
    services.rounds_mark_missed(actor=SCHEDULER, source=Source.JOB, now=now, centre=centre)


def load(ctx: dict) -> None:
    centres, people, teams = ctx["centres"], ctx["people"], ctx["teams"]
    if Checkpoint.objects.filter(centre=centres["xinghu"]).exists():
        return
    now = timezone.now().replace(second=0, microsecond=0)
    _security(centres["xinghu"], people, now)
    _housekeeping(centres["fangwu"], people, now)
    for centre in centres.values():
        if centre.kind == "power":
            _centre_own(centre, people, now)
    _stations(centres["suwu"], people, teams, now)
    # 马帅 is on the cameras' round of this shift now (the last round changed, PAT-2)
    current = PatrolRound.objects.get(
        centre=centres["xinghu"],
        plan__name="全部摄像机画面巡查",
        window_start__lte=now,
        window_end__gt=now,
    )
    services.round_start(
        actor=people["mashuai"], source=CLI, round_id=current.pk, version=current.version
    )
