"""A small security room (``room``, with a floor, a camera and a dome camera under it) and a
second room (``other``) for cross-centre checks, on the fixed clock (2026-11-28 10:00
Shanghai); ``reg.as_(login)`` API clients and ``reg.web(login)`` page clients."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org

from ..clock import fixed_clock  # noqa: F401 (fixture)
from ..conftest import Api, make_person


@dataclass
class Room:
    room: object = None  # 甲监控室, where the tests work
    other: object = None  # 乙监控室
    floor: object = None
    camera: object = None
    other_camera: object = None  # a camera of the other room
    people: dict = field(default_factory=dict)

    def web(self, login) -> Client:
        client = Client()
        client.force_login(self.people[login], backend="django.contrib.auth.backends.ModelBackend")
        return client

    def as_(self, login) -> Api:
        return Api(self.web(login))


@pytest.fixture(autouse=True)
def _on_the_fixed_clock(fixed_clock):  # noqa: F811
    return fixed_clock


def _centre(code, name):
    return org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": code,
            "name": name,
            "kind": "security",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )


def _site(centre, code, name, kind, parent=None):
    return org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=centre,
        data={
            "code": code,
            "name": name,
            "kind": kind,
            "parent": parent.pk if parent else "",
            "active": True,
        },
    )


def _camera(site, name, number, kind="camera"):
    return org.equipment_create(
        actor=CLI,
        source=Source.CLI,
        centre=site.centre,
        data={"site": site.pk, "kind": kind, "name": name, "dispatch_number": number},
    )


@pytest.fixture
def reg(db) -> Room:
    r = Room()
    r.room = _centre("room", "甲监控室")
    r.other = _centre("other", "乙监控室")
    for login, centre, role in [
        ("monitor", r.room, Role.GUARD),  # 监控员
        ("leader", r.room, Role.TEAM_LEADER),  # 当班班长
        ("head", r.room, Role.DEPARTMENT_HEAD),  # 部门负责人
        ("manager", r.room, Role.MANAGER),
        ("monitor_b", r.other, Role.GUARD),
        ("head_b", r.other, Role.DEPARTMENT_HEAD),
    ]:
        r.people[login] = make_person(centre, login, role)
    building = _site(r.room, "A", "A座", "building")
    r.floor = _site(r.room, "A-1F", "一层", "floor", parent=building)
    r.camera = _camera(r.floor, "1F-01枪机", "C1F01")
    other_floor = _site(r.other, "B-1F", "乙一层", "floor")
    r.other_camera = _camera(other_floor, "乙1F枪机", "CB1F")
    return r


def local(at) -> str:
    return timezone.localtime(at).replace(second=0, microsecond=0).isoformat()


def footage_body(reg, **changes) -> dict:
    """A request: footage of yesterday 14:00–15:00, access allowed from now for a day."""
    now = timezone.now()
    body = {
        "requester_name": "李警官",
        "requester_unit": "星湖派出所",
        "reason": "顾客手机被盗报案",
        "site": reg.floor.pk,
        "camera": reg.camera.pk,
        "span_from": local(now - timedelta(hours=20)),
        "span_until": local(now - timedelta(hours=19)),
        "window_from": local(now - timedelta(minutes=1)),
        "window_until": local(now + timedelta(days=1)),
    }
    return body | changes
