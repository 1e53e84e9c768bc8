"""A small customer-service world: two hotline centres (``kefu``, ``kefu2``) with their people,
on the fixed clock (2026-11-28 10:00 Shanghai), and ``cs.as_(login)`` API clients."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org

from ..clock import fixed_clock  # noqa: F401 (fixture)
from ..conftest import Api, make_person


@dataclass
class Desk:
    kefu: object = None  # 甲客服中心, where the tests work
    kefu2: object = None  # 乙客服中心, the other centre of cross-centre checks
    hotline: object = None  # kefu's team 热线一组
    aftersales: object = None  # kefu's team 售后服务部 (a department cases are routed to)
    people: dict = field(default_factory=dict)
    client: object = None

    def as_(self, login) -> Api:
        from django.test import Client

        client = Client()
        client.force_login(self.people[login], backend="django.contrib.auth.backends.ModelBackend")
        return Api(client)


@pytest.fixture(autouse=True)
def _on_the_fixed_clock(fixed_clock):  # noqa: F811
    """Every service test runs on 2026-11-28 10:00 in Shanghai, the clock running."""
    return fixed_clock


def _centre(code, name):
    return org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": code,
            "name": name,
            "kind": "customer_service",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )


def _team(centre, name, kind):
    return org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={"name": name, "kind": kind, "active": True},
    )


@pytest.fixture
def cs(db) -> Desk:
    d = Desk()
    d.kefu = _centre("kefu", "甲客服中心")
    d.kefu2 = _centre("kefu2", "乙客服中心")
    d.hotline = _team(d.kefu, "热线一组", "service")
    d.aftersales = _team(d.kefu, "售后服务部", "service")
    for login, centre, role, team in [
        ("agent1", d.kefu, Role.CS_AGENT, d.hotline),  # 客服专员
        ("agent2", d.kefu, Role.CS_AGENT, d.hotline),
        ("lead", d.kefu, Role.CS_GROUP_LEAD, d.hotline),  # 接线员组长
        ("supervisor", d.kefu, Role.CS_SUPERVISOR, None),  # 客服主管
        ("head", d.kefu, Role.DEPARTMENT_HEAD, None),  # 部门负责人
        ("manager", d.kefu, Role.MANAGER, None),  # 区域经理
        ("fixer", d.kefu, Role.TEAM_LEADER, d.aftersales),  # 售后 team leader
        ("admin", d.kefu, Role.ADMIN, None),
        ("agent_b", d.kefu2, Role.CS_AGENT, None),
        ("supervisor_b", d.kefu2, Role.CS_SUPERVISOR, None),
    ]:
        d.people[login] = make_person(centre, login, role, team, name=login.title())
    return d
