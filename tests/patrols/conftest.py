"""A security room's floor round (beta, 09:30–10:30, PAT-1) with two checkpoints and a third
at another floor, and a power station's patrol that asks the centre first (alpha, PAT-4), on
the fixed clock (2026-11-28 10:00 in Shanghai: inside the floor round's window)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org
from zhiban.patrols import services
from zhiban.patrols.models import PatrolRound

from ..clock import FIXED, fixed_clock  # noqa: F401 (fixture)
from ..conftest import make_person


@dataclass
class Patrol:
    world: object
    points: dict = field(default_factory=dict)
    plan: object = None
    round: object = None
    station_plan: object = None
    leader: object = None


def checkpoint(centre, site, name, items="", kind="place"):
    return services.checkpoint_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"site": site.pk, "kind": kind, "name": name, "items": items, "active": True},
    )


def plan(centre, name, points, **data):
    return services.plan_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={
            "name": name,
            "role": Role.GUARD,
            "active": True,
            "checkpoints": [p.pk for p in points],
            **data,
        },
    )


def generate(centre) -> int:
    return services.rounds_generate(actor=CLI, source=Source.CLI, centre=centre)


@pytest.fixture
def patrol(world, fixed_clock) -> Patrol:  # noqa: F811 (the fixture imported above)
    w, p = world, Patrol(world)
    floor2 = org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=w.beta,
        data={"code": "F2", "name": "二层", "kind": "floor", "active": True},
    )
    p.points["hydrants"] = checkpoint(
        w.beta, w.sites["beta_floor"], "东侧消防通道", "消火栓 >= 2\n防火门关闭"
    )
    p.points["shutters"] = checkpoint(w.beta, w.sites["beta_floor"], "卷帘门", "卷帘门下无杂物")
    p.points["other"] = checkpoint(w.beta, floor2, "二层电梯厅")
    p.plan = plan(
        w.beta,
        "一层巡楼",
        [p.points["hydrants"], p.points["shutters"]],
        kind="window",
        window_starts="09:30",
        window_ends="10:30",
        what="消火栓、防火门、卷帘门",
    )
    plan(
        w.beta,
        "二层巡楼",
        [p.points["other"]],
        kind="window",
        window_starts="14:00",
        window_ends="15:00",
    )
    generate(w.beta)
    p.round = PatrolRound.objects.get(plan=p.plan, window_start__lte=FIXED, window_end__gt=FIXED)
    p.leader = make_person(w.beta, "leader_b", Role.TEAM_LEADER)
    station = checkpoint(w.alpha, w.sites["station"], "主控室监控系统", kind="site")
    p.station_plan = plan(
        w.alpha,
        "变电站巡视",
        [station],
        kind="window",
        window_starts="09:00",
        window_ends="11:00",
        role=Role.FIELD_OPERATOR,
        station_patrol=True,
    )
    generate(w.alpha)
    return p
