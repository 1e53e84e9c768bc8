"""The upkeep world: alpha's station 一号变 served by 一队, with a capacitor, a tap changer and
a breaker, a second station no team serves, and the centre's own unit (DEF-2, CNT-1)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.org import services as org

from ..clock import FIXED, fixed_clock  # noqa: F401 (fixture)


@dataclass
class Upkeep:
    world: object
    equipment: dict = field(default_factory=dict)
    sites: dict = field(default_factory=dict)


def equipment(centre, site, kind, name, number=""):
    return org.equipment_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={
            "site": site.pk,
            "kind": kind,
            "name": name,
            "dispatch_number": number,
            "active": True,
        },
    )


def site(centre, code, name, kind="substation"):
    return org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"code": code, "name": name, "kind": kind, "active": True},
    )


@pytest.fixture
def upkeep(world) -> Upkeep:
    """一号变 served by 一队; 二号变 served by nobody; 监控中心 the centre's own unit."""
    u = Upkeep(world=world)
    station = world.sites["station"]
    team = world.team
    org.team_update(
        actor=CLI,
        source=Source.CLI,
        team_id=team.pk,
        version=team.version,
        changes={"name": team.name, "kind": team.kind, "sites": [station.pk], "active": True},
    )
    team.refresh_from_db()
    u.sites["station"] = station
    u.sites["unserved"] = site(world.alpha, "S2", "二号变")
    u.sites["unit"] = site(world.alpha, "CU", "监控中心", kind="centre_unit")
    u.equipment["capacitor"] = equipment(world.alpha, station, "capacitor", "1号电容器", "C1")
    u.equipment["tap"] = equipment(world.alpha, station, "tap_changer", "1号主变分接头", "T1")
    u.equipment["breaker"] = equipment(world.alpha, station, "breaker", "苏吴线", "751")
    u.equipment["host"] = equipment(world.alpha, u.sites["unit"], "monitor_host", "监控主机")
    return u
