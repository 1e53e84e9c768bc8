"""A power centre's station with equipment (a line breaker, a capacitor, a main transformer),
its team 一队 (leader_a, field_a, field2_a), and helpers that carry an order and its ticket
through the API to any stage. Every test here runs on the fixed clock (tests/clock.py), so the
November 2026 times below lie in the centre's window (ORG-4) whatever today is."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org

from ..clock import fixed_clock  # noqa: F401 (fixture)
from ..conftest import make_person
from ..duty.conftest import clock, shifts  # noqa: F401 (the duty fixtures, for handovers)
from ..work.worktools import Work
from .finished import november  # noqa: F401 (a November morning, for printing and statistics)

BASE = "/centres/alpha"
AT = "2026-11-27T09:00:00+08:00"
STEPS = ["拉开苏越线751开关", "检查苏越线751开关确已拉开", "拉开苏越线7513线路闸刀"]


@pytest.fixture(autouse=True)
def _on_the_fixed_clock(fixed_clock):  # noqa: F811
    """First of every test's fixtures: ``november`` and ``clock`` travel on from it."""


@dataclass
class Grid:
    breaker: object = None
    capacitor: object = None
    transformer: object = None
    other_station: object = None
    people: dict = field(default_factory=dict)


def equipment(site, kind, name, number):
    return org.equipment_create(
        actor=CLI,
        source=Source.CLI,
        centre=site.centre,
        data={
            "site": site.pk,
            "kind": kind,
            "name": name,
            "dispatch_number": number,
            "active": True,
        },
    )


@pytest.fixture
def grid(world) -> Grid:
    station = world.sites["station"]
    g = Grid(
        breaker=equipment(station, "breaker", "苏越线开关", "751"),
        capacitor=equipment(station, "capacitor", "1号电容器", "C1"),
        transformer=equipment(station, "main_transformer", "1号主变", "#1"),
    )
    g.other_station = org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"code": "S2", "name": "二号变", "kind": "substation", "active": True},
    )
    world.people["field2_a"] = make_person(world.alpha, "field2_a", Role.FIELD_OPERATOR, world.team)
    return g


class Flow:
    """Drives an order and its ticket through the API as the right people."""

    def __init__(self, world, grid, api):
        self.w, self.g, self.api = world, grid, api
        self.p = world.people

    def as_(self, login):
        return self.api(self.p[login])

    def order(self, **extra) -> dict:
        body = {
            "dispatcher": "地调 王调度",
            "received_at": AT,
            "task": "苏越线751开关由运行转检修",
            "task_kind": "line_maintenance",
            "site": self.w.sites["station"].pk,
            "equipment": [self.g.breaker.pk],
            "read_back": "苏越线751开关由运行转检修，已复诵",
            **extra,
        }
        r = self.as_("chief_a").post(f"{BASE}/orders", body)
        assert r.status_code == 201, r.content
        return r.json()

    def notify_team(self, order) -> dict:
        r = self.as_("chief_a").post(
            f"{BASE}/orders/{order['id']}/notify-team",
            {
                "version": order["version"],
                "person": self.p["leader_a"].pk,
                "at": AT,
                "read_back": "一队复诵正确",
            },
        )
        assert r.status_code == 200, r.content
        return r.json()

    def formal(self, order) -> dict:
        r = self.as_("leader_a").post(
            f"{BASE}/orders/{order['id']}/formal",
            {"version": order["version"], "at": AT, "received_by": self.p["leader_a"].pk},
        )
        assert r.status_code == 200, r.content
        return r.json()

    def ticket(self, by="field_a", steps=STEPS, **extra) -> dict:
        body = {
            "executor": "team",
            "team": self.w.team.pk,
            "site": self.w.sites["station"].pk,
            "task": "苏越线751开关由运行转检修",
            "task_kind": "line_maintenance",
            "equipment": [self.g.breaker.pk],
            "steps": "\n".join(steps),
            **extra,
        }
        r = self.as_(by).post(f"{BASE}/tickets", body)
        assert r.status_code == 201, r.content
        return r.json()

    def act(self, login, ticket, action, **body):
        return self.as_(login).post(
            f"{BASE}/tickets/{ticket['id']}/{action}", {"version": ticket["version"], **body}
        )

    def ok(self, login, ticket, action, **body) -> dict:
        r = self.act(login, ticket, action, **body)
        assert r.status_code == 200, r.content
        return r.json()

    def review(self, ticket, by="leader_a"):
        return self.ok(by, ticket, "review")

    def give_order(self, ticket, by="leader_a"):
        return self.ok(
            by, ticket, "order", issuer="地调 王调度", receiver=self.p["leader_a"].pk, ordered_at=AT
        )

    def notify_centre(self, ticket, by="leader_a"):
        return self.ok(by, ticket, "notify-centre", at=AT, caller="一队 Leader_A")

    def tick(self, ticket, step, by="field_a", operator="field_a", guardian="leader_a"):
        return self.act(
            by,
            ticket,
            "tick",
            step=step,
            operator=self.p[operator].pk,
            guardian=self.p[guardian].pk,
        )

    def ready(self, **extra) -> dict:
        """A team ticket ordered and the centre told: the first step may be ticked."""
        return self.notify_centre(self.give_order(self.review(self.ticket(**extra))))


@pytest.fixture
def flow(world, grid, api) -> Flow:
    return Flow(world, grid, api)


@pytest.fixture
def work(world, grid, api) -> Work:
    return Work(world, grid, api)
