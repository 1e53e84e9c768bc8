"""Emergency plans of beta (the security room): a fire plan started by the fire panel and a
theft plan, kept by beta's administrator through the API (EMG-1)."""

from __future__ import annotations

import pytest

BASE = "/centres/beta"

FIRE_ITEMS = [
    {"text": "在消防主机上确认报警位置", "who": "监控员"},
    {"text": "通知巡逻岗赶赴现场核实", "who": "监控员"},
    {"text": "拨打119", "who": "当班班长"},
]
THEFT_ITEMS = [{"text": "向派出所报案", "who": "当班班长"}, {"text": "保护现场"}]


def make_plan(api, person, **extra) -> dict:
    body = {
        "name": "火警处置",
        "scenario": "fire",
        "source_kinds": ["fire"],
        "items": FIRE_ITEMS,
        **extra,
    }
    r = api(person).post(f"{BASE}/emergency-plans", body)
    assert r.status_code == 201, r.content
    return r.json()


def start(api, person, plan: dict, event: str = "三层烟感报警") -> dict:
    r = api(person).post(f"{BASE}/emergency-runs", {"plan": plan["id"], "event": event})
    assert r.status_code == 201, r.content
    return r.json()


def tick(api, person, run: dict, position: int, **extra):
    item = next(i for i in run["items"] if i["position"] == position)
    body = {"item": item["id"], "version": item["version"], **extra}
    return api(person).post(f"{BASE}/emergency-runs/{run['id']}/tick", body)


@pytest.fixture
def fire_plan(world, api) -> dict:
    return make_plan(api, world.people["admin_b"])


@pytest.fixture
def theft_plan(world, api) -> dict:
    return make_plan(
        api,
        world.people["admin_b"],
        name="盗窃处置",
        scenario="theft",
        source_kinds=["intrusion"],
        items=THEFT_ITEMS,
    )
