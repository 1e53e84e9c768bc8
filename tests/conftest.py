"""Shared fixtures: a small world of two centres and their people, and clients that act as
those people through the public interfaces (web pages and the API)."""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.test import Client

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org

from . import fresh
from .broker import mosquitto
from .robot import Robot

PASSWORD = "Test#pass-2026"


def pytest_configure(config):
    """The run's id, for the templates of tests/fresh.py: set before the workers start, so
    every worker of the run shares them."""
    if not hasattr(config, "workerinput"):
        os.environ.setdefault(fresh.RUN, uuid.uuid4().hex[:12])


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        fresh.remove_templates()


COMPANY_SHAPE = Path(__file__).parent / "test_company_shape.py"


def company_shape_left_out(config) -> bool:
    """The company shape (tests/test_company_shape.py) runs on PostgreSQL and Redis whatever
    the suite runs on, so a run of the suite on SQLite that would collect it leaves it out,
    unless the file itself is named: CI runs the suite twice and the company shape once, in
    its PostgreSQL pass (issue 16)."""
    if os.environ.get("DATABASE_URL"):
        return False
    here = config.invocation_params.dir
    paths = [(here / arg.split("::")[0]).resolve() for arg in config.args]
    return COMPANY_SHAPE not in paths and any(p in COMPANY_SHAPE.parents for p in paths)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The company shape is deselected on the SQLite pass (``company_shape_left_out``).
    Browser tests run last, after pytest has grouped the tests by their shared fixtures.
    Between its calls, Playwright's sync API marks its asyncio loop as running in the main
    thread until the session ends, and Django then refuses every database call of a later test
    (SynchronousOnlyOperation)."""
    if company_shape_left_out(config):
        left = [item for item in items if item.path == COMPANY_SHAPE]
        if left:
            config.hook.pytest_deselected(items=left)
            items[:] = [item for item in items if item.path != COMPANY_SHAPE]
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


def pytest_terminal_summary(terminalreporter, config):
    if company_shape_left_out(config) and not hasattr(config, "workerinput"):
        terminalreporter.write_line(
            "company shape (tests/test_company_shape.py) deselected: it runs on PostgreSQL and "
            "Redis whatever the suite runs on, so CI runs it once, in the PostgreSQL pass "
            "(DATABASE_URL set); name the file to run it here."
        )


@dataclass
class World:
    alpha: object = None  # power monitoring centre
    beta: object = None  # security monitoring room
    team: object = None  # alpha's operation team
    people: dict = field(default_factory=dict)
    sites: dict = field(default_factory=dict)


def make_person(centre, login, role, team=None, **extra):
    data = {
        "username": login,
        "name": extra.pop("name", login.title()),
        "password": PASSWORD,
        "role": role,
        "team": team.pk if team else "",
        "post": "",
        "phone": "",
        "employee_no": "",
        "email": extra.pop("email", ""),
        "language": "zh-hans",
        "is_active": True,
    }
    return org.person_create(actor=CLI, source=Source.CLI, centre=centre, data=data)


@pytest.fixture
def world(db) -> World:
    w = World()
    w.alpha = org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": "alpha",
            "name": "阿尔法监控中心",
            "kind": "power",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )
    w.beta = org.centre_create(
        actor=CLI,
        source=Source.CLI,
        data={
            "code": "beta",
            "name": "贝塔监控室",
            "kind": "security",
            "time_zone": "Asia/Shanghai",
            "active": True,
        },
    )
    w.team = org.team_create(
        actor=CLI,
        source=Source.CLI,
        centre=w.alpha,
        data={"name": "一队", "kind": "operation", "active": True},
    )
    for login, centre, role, team in [
        ("admin_a", w.alpha, Role.ADMIN, None),
        ("chief_a", w.alpha, Role.CHIEF_OPERATOR, None),
        ("deputy_a", w.alpha, Role.DEPUTY_OPERATOR, None),
        ("leader_a", w.alpha, Role.TEAM_LEADER, w.team),
        ("field_a", w.alpha, Role.FIELD_OPERATOR, w.team),
        ("head_a", w.alpha, Role.DEPARTMENT_HEAD, None),
        ("admin_b", w.beta, Role.ADMIN, None),
        ("guard_b", w.beta, Role.GUARD, None),
    ]:
        w.people[login] = make_person(centre, login, role, team)
    w.sites["station"] = org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=w.alpha,
        data={
            "code": "S1",
            "name": "一号变",
            "kind": "substation",
            "voltage_level": "110kV",
            "active": True,
        },
    )
    w.sites["beta_floor"] = org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=w.beta,
        data={"code": "F1", "name": "一层", "kind": "floor", "active": True},
    )
    return w


class Api:
    """A JSON client for /api/ acting as one person (session) or with a token."""

    def __init__(self, client: Client, headers: dict | None = None):
        self.client = client
        self.headers = headers or {}

    def _call(self, method, path, body=None, **kw):
        kwargs = {"headers": {**self.headers, **kw.pop("headers", {})}, **kw}
        if body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(f"/api{path}", **kwargs)

    def get(self, path, **kw):
        return self._call("get", path, **kw)

    def post(self, path, body=None, **kw):
        return self._call("post", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self._call("patch", path, body, **kw)


@pytest.fixture
def web():
    """web(person) → a Django test client logged in as that person."""

    def login(person) -> Client:
        client = Client()
        client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return login


@pytest.fixture
def api(web):
    """api(person) → a JSON API client acting as that person."""
    return lambda person: Api(web(person))


@pytest.fixture
def robot():
    """A local stand-in for a chat robot service (see tests/robot.py)."""
    r = Robot()
    yield r
    r.server.shutdown()


@pytest.fixture(scope="session")
def broker():
    """A Mosquitto of this test run's own, with the ADR 0008 settings (tests/broker.py)."""
    with mosquitto() as running:
        yield running
