"""EMG-1: starting a plan for an event makes a run whose items are ticked with time and
person, each tick written into the duty log; a tick twice is refused, two people ticking at
once: the second gets 409; a run closes when every item is ticked or skipped with a reason."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from zhiban.duty.models import LogEntry

from .conftest import BASE, make_plan, start, tick


def _log(world, verb: str) -> list[LogEntry]:
    return list(LogEntry.objects.filter(centre=world.beta, verb=verb).order_by("at", "pk"))


def test_a_run_copies_the_plan_items_and_is_written_into_the_duty_log__EMG_1(world, api, fire_plan):
    run = start(api, world.people["guard_b"], fire_plan, "三层烟感报警")
    assert run["state"] == "running"
    assert run["started_by_id"] == world.people["guard_b"].pk
    assert [i["text"] for i in run["items"]] == [i["text"] for i in fire_plan["items"]]
    assert {i["state"] for i in run["items"]} == {"open"}
    [entry] = _log(world, "emergency.start")
    assert entry.author == world.people["guard_b"]
    assert "三层烟感报警" in entry.text


def test_a_plan_already_running_is_not_started_again__EMG_1(world, api, fire_plan):
    start(api, world.people["guard_b"], fire_plan)
    r = api(world.people["guard_b"]).post(
        f"{BASE}/emergency-runs", {"plan": fire_plan["id"], "event": "又一次"}
    )
    assert r.status_code == 409
    assert r.json()["rule"] == "EMG-1"
    assert len(api(world.people["guard_b"]).get(f"{BASE}/emergency-runs").json()["items"]) == 1


def test_a_tick_records_time_and_person_and_writes_the_duty_log__EMG_1(world, api, fire_plan):
    run = start(api, world.people["guard_b"], fire_plan)
    at = timezone.now().replace(microsecond=0)
    r = tick(api, world.people["guard_b"], run, 1, note="3F-12号烟感", at=at.isoformat())
    assert r.status_code == 200, r.content
    item = r.json()["items"][0]
    assert item["state"] == "ticked"
    assert item["done_by_id"] == world.people["guard_b"].pk
    assert datetime.fromisoformat(item["done_at"]) == at
    [entry] = _log(world, "emergency.tick")
    assert entry.author == world.people["guard_b"]
    assert entry.at == at
    assert "在消防主机上确认报警位置" in entry.text and "3F-12号烟感" in entry.text


def test_a_tick_before_the_run_started_is_refused__EMG_1(world, api, fire_plan):
    run = start(api, world.people["guard_b"], fire_plan)
    early = (timezone.now() - timedelta(hours=1)).isoformat()
    r = tick(api, world.people["guard_b"], run, 1, at=early)
    assert r.status_code == 422
    assert r.json()["rule"] == "EMG-1"
    assert "at" in r.json()["fields"]


def test_a_second_tick_of_an_item_is_refused_naming_who_did_it__EMG_1(world, api, fire_plan):
    run = start(api, world.people["guard_b"], fire_plan)
    run = tick(api, world.people["guard_b"], run, 1).json()
    again = tick(api, world.people["admin_b"], run, 1)  # with the new version: the state refuses
    assert again.status_code == 409
    assert again.json()["rule"] == "EMG-1"
    assert world.people["guard_b"].name in again.json()["message"]
    assert len(_log(world, "emergency.tick")) == 1


def test_two_people_ticking_the_same_item_at_once_the_second_gets_409__EMG_1(world, api, fire_plan):
    run = start(api, world.people["guard_b"], fire_plan)
    first = tick(api, world.people["guard_b"], run, 2)
    second = tick(api, world.people["admin_b"], run, 2)  # read the same version
    assert first.status_code == 200
    assert second.status_code == 409
    assert second.json()["code"] == "conflict"
    item = first.json()["items"][1]
    assert item["done_by_id"] == world.people["guard_b"].pk
    assert len(_log(world, "emergency.tick")) == 1


def test_a_skip_needs_its_reason_and_goes_into_the_duty_log__EMG_1(world, api, fire_plan):
    run = start(api, world.people["guard_b"], fire_plan)
    item = run["items"][2]
    url = f"{BASE}/emergency-runs/{run['id']}/skip"
    body = {"item": item["id"], "version": item["version"]}
    assert api(world.people["guard_b"]).post(url, {**body, "reason": ""}).status_code == 422
    r = api(world.people["guard_b"]).post(url, {**body, "reason": "误报，未报119"})
    assert r.status_code == 200
    assert r.json()["items"][2]["state"] == "skipped"
    [entry] = _log(world, "emergency.skip")
    assert "误报，未报119" in entry.text


def test_a_run_closes_only_when_every_item_is_ticked_or_skipped__EMG_1(world, api, fire_plan):
    guard = world.people["guard_b"]
    run = start(api, guard, fire_plan)
    url = f"{BASE}/emergency-runs/{run['id']}/close"
    refused = api(guard).post(url, {"version": run["version"]})
    assert refused.status_code == 409
    assert refused.json()["rule"] == "EMG-1"
    assert "1、2、3" in refused.json()["message"]
    for n in (1, 2, 3):
        run = tick(api, guard, run, n).json()
    closed = api(guard).post(url, {"version": run["version"]})
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"
    assert closed.json()["closed_by_id"] == guard.pk
    assert len(_log(world, "emergency.close")) == 1
    late = tick(api, guard, closed.json(), 1)
    assert late.status_code == 409
    assert start(api, guard, fire_plan)["state"] == "running"  # a new event, a new run


def test_an_inactive_plan_cannot_be_started__EMG_1(world, api):
    plan = make_plan(api, world.people["admin_b"], name="停用预案", active=False)
    r = api(world.people["guard_b"]).post(
        f"{BASE}/emergency-runs", {"plan": plan["id"], "event": "x"}
    )
    assert r.status_code == 422
    assert "plan" in r.json()["fields"]


def test_another_centres_run_is_not_found__ORG_3(world, api, fire_plan):
    run = start(api, world.people["guard_b"], fire_plan)
    r = tick(api, world.people["admin_a"], run, 1)
    assert r.status_code == 404
    other = api(world.people["admin_a"]).post(
        f"/centres/alpha/emergency-runs/{run['id']}/tick",
        {"item": run["items"][0]["id"], "version": 1},
    )
    assert other.status_code == 404


def test_the_run_page_ticks_skips_and_closes__EMG_1(world, web, api, fire_plan):
    guard = world.people["guard_b"]
    client = web(guard)
    r = client.post(
        "/c/beta/emergency/runs/new/", {"plan": fire_plan["id"], "event": "一层烟感报警"}
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    page_url = r["Location"]
    run = api(guard).get(f"{BASE}/emergency-runs/{page_url.rstrip('/').split('/')[-1]}").json()
    page = client.get(page_url).content.decode()
    assert page.count('data-testid="tick"') == 3
    base = f"/c/beta/emergency/runs/{run['id']}"
    one, two, three = run["items"]
    r = client.post(f"{base}/tick/", {"item": one["id"], "version": one["version"], "note": "ok"})
    assert r.status_code == 302
    stale = client.post(f"{base}/tick/", {"item": one["id"], "version": one["version"]})
    assert stale.status_code == 302
    assert len(_log(world, "emergency.tick")) == 1
    client.post(f"{base}/tick/", {"item": two["id"], "version": two["version"]})
    client.post(
        f"{base}/skip/", {"item": three["id"], "version": three["version"], "reason": "误报"}
    )
    run = api(guard).get(f"{BASE}/emergency-runs/{run['id']}").json()
    assert [i["state"] for i in run["items"]] == ["ticked", "ticked", "skipped"]
    r = client.post(f"{base}/close/", {"version": run["version"]})
    assert r.status_code == 302
    page = client.get(page_url).content.decode()
    assert 'data-testid="tick"' not in page
    assert api(guard).get(f"{BASE}/emergency-runs/{run['id']}").json()["state"] == "closed"


def test_a_page_action_without_the_version_is_refused__DESIGN_1(world, web, api, fire_plan):
    run = start(api, world.people["guard_b"], fire_plan)
    r = web(world.people["guard_b"]).post(
        f"/c/beta/emergency/runs/{run['id']}/tick/", {"item": run["items"][0]["id"]}
    )
    assert r.status_code == 422
    assert b"DESIGN-1" in r.content


def test_an_item_of_another_run_is_refused_as_bad_input__EMG_1(world, api, fire_plan, theft_plan):
    fire = start(api, world.people["guard_b"], fire_plan)
    theft = start(api, world.people["guard_b"], theft_plan)
    wrong = theft["items"][0]
    r = api(world.people["guard_b"]).post(
        f"{BASE}/emergency-runs/{fire['id']}/tick",
        {"item": wrong["id"], "version": wrong["version"]},
    )
    assert r.status_code == 422
    assert "item" in r.json()["fields"]
    assert (
        api(world.people["guard_b"])
        .get(f"{BASE}/emergency-runs/{theft['id']}")
        .json()["items"][0]["state"]
        == "open"
    )
