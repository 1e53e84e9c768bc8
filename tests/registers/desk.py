"""A hotel room centre (``hotel``: department head, floor supervisor, clerk) and a second one
(``inn``) for cross-centre checks, for the desk registers' tests (REG-3 … REG-8); on the
registers' fixed clock (2026-11-28 10:00 Shanghai)."""

from __future__ import annotations

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org

from .conftest import Room, make_person


def _centre(code, name, kind):
    return org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": code,
            "name": name,
            "kind": kind,
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )


@pytest.fixture
def hotel(db) -> Room:
    h = Room()
    h.room = _centre("hotel", "甲酒店房务中心", "housekeeping")
    h.other = _centre("inn", "乙酒店房务中心", "housekeeping")
    for login, centre, role in [
        ("clerk", h.room, Role.CS_AGENT),  # 房务中心文员
        ("supervisor", h.room, Role.TEAM_LEADER),  # 楼层主管
        ("head", h.room, Role.DEPARTMENT_HEAD),  # 大堂副理 / 客房部经理
        ("clerk_b", h.other, Role.CS_AGENT),
    ]:
        h.people[login] = make_person(centre, login, role)
    return h
