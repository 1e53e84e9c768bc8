"""The centre's own patrol (PAT-5) is a patrol plan of the power centre: its checkpoint is the
centre's own unit (监控单元) with the screens, UPS, hosts, VQC and video system; only a chief
operator walks its round, and every round ended is one line of the duty log's patrol
category — the centre's own under the centre's unit (issue 13: duty's separate page is gone)."""

from __future__ import annotations

import pytest

from zhiban.core.actors import CLI, Source
from zhiban.duty.models import LogEntry
from zhiban.org import services as org
from zhiban.org.models import Person
from zhiban.patrols.models import PatrolRound

from ..clock import FIXED
from .conftest import checkpoint, generate, plan

BASE = "/centres/alpha/patrols/rounds"
ITEMS = "画面\n监控机UPS电源\n主机\nVQC系统\n视频系统"


@pytest.fixture
def own(world, patrol):
    """The alpha power centre's own patrol, once per shift (no shift patterns: the day)."""
    unit = org.site_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"code": "JK", "name": "监控单元", "kind": "centre_unit", "active": True},
    )
    point = checkpoint(world.alpha, unit, "监控中心自巡视", ITEMS, kind="site")
    own_plan = plan(
        world.alpha, "监控中心自巡视", [point], kind="per_shift", times=1, role="chief_operator"
    )
    generate(world.alpha)
    rnd = PatrolRound.objects.get(plan=own_plan, window_start__lte=FIXED, window_end__gt=FIXED)
    return unit, point, own_plan, rnd


def _walk(client, rnd, point, result="normal", note=""):
    r = client.post(f"{BASE}/{rnd.pk}/start", {"version": rnd.version})
    assert r.status_code == 200, r.content
    body = {"version": r.json()["version"], "checkpoint": point.pk, "result": result}
    r = client.post(f"{BASE}/{rnd.pk}/check", {**body, "note": note})
    assert r.status_code == 200, r.content
    return client.post(f"{BASE}/{rnd.pk}/end", {"version": r.json()["version"]})


def test_only_a_chief_operator_walks_the_centres_own_round__PAT_5(own, world, api):
    unit, point, own_plan, rnd = own
    assert (
        own_plan.centre_own
        and not PatrolRound.objects.filter(plan__name="变电站巡视")[0].plan.centre_own
    )
    for login in ("deputy_a", "field_a"):
        r = api(world.people[login]).post(f"{BASE}/{rnd.pk}/start", {"version": rnd.version})
        assert r.status_code == 409 and r.json()["rule"] == "PAT-5", r.content
    rnd.refresh_from_db()
    assert rnd.state == "due" and rnd.walker is None
    r = _walk(api(world.people["chief_a"]), rnd, point, "abnormal", "VQC 2号电容器闭锁")
    assert r.status_code == 200 and r.json()["state"] == "done", r.content


def test_the_round_ended_is_a_patrol_line_under_the_centres_unit__PAT_5(own, world, api):
    unit, point, own_plan, rnd = own
    chief = world.people["chief_a"]
    assert _walk(api(chief), rnd, point, "abnormal", "VQC 2号电容器闭锁").status_code == 200
    entry = LogEntry.objects.get(centre=world.alpha, verb="patrol_round.end")
    assert entry.category == "patrol" and entry.site == unit and entry.author == chief
    assert (
        entry.text
        == "巡视“监控中心自巡视”完成，1 个巡视点，异常：监控中心自巡视：VQC 2号电容器闭锁。"
    )
    Person.objects.filter(pk=chief.pk).update(language="en")
    chief.refresh_from_db()
    shown = api(chief).get("/centres/alpha/log").json()["items"]
    line = next(e for e in shown if e["verb"] == "patrol_round.end")
    assert line["site_id"] == unit.pk
    assert line["text"].startswith("Patrol “监控中心自巡视” done, 1 checkpoints, abnormal:")


def test_every_patrol_ends_in_the_duty_log__PAT_5(patrol, world, api):
    """A security room's floor round writes its line too, under its floor (all normal)."""
    guard = api(world.people["guard_b"])
    rnd = patrol.round
    r = guard.post(f"/centres/beta/patrols/rounds/{rnd.pk}/start", {"version": rnd.version})
    version = r.json()["version"]
    for point in (patrol.points["hydrants"], patrol.points["shutters"]):
        body = {"version": version, "checkpoint": point.pk, "result": "normal", "counts": {"1": 2}}
        r = guard.post(f"/centres/beta/patrols/rounds/{rnd.pk}/check", body)
        version = r.json()["version"]
    r = guard.post(f"/centres/beta/patrols/rounds/{rnd.pk}/end", {"version": version})
    assert r.status_code == 200, r.content
    entry = LogEntry.objects.get(centre=world.beta, verb="patrol_round.end")
    assert entry.site == world.sites["beta_floor"] and entry.category == "patrol"
    assert entry.text == "巡视“一层巡楼”完成，2 个巡视点，全部正常。"


def test_the_round_page_offers_the_walk_to_the_chief_only__PAT_5(own, world, web):
    unit, point, own_plan, rnd = own
    page = f"/c/alpha/patrols/rounds/{rnd.pk}/"
    deputy = web(world.people["deputy_a"])
    assert f"{page}start/" not in deputy.get(page).content.decode()
    assert deputy.post(f"{page}start/", {"version": rnd.version}).status_code == 409
    chief = web(world.people["chief_a"])
    assert f"{page}start/" in chief.get(page).content.decode()


def test_duty_pages_lead_to_the_centres_own_round__PAT_5(own, world, web):
    unit, point, own_plan, rnd = own
    client = web(world.people["chief_a"])
    for path in ("/c/alpha/duty/", "/c/alpha/duty/log/"):
        assert "/c/alpha/patrols/centre-round/" in client.get(path).content.decode()
    r = client.get("/c/alpha/patrols/centre-round/")
    assert r.status_code == 302 and r["Location"] == f"/c/alpha/patrols/rounds/{rnd.pk}/"
    assert client.get("/c/alpha/duty/centre-patrol/").status_code == 404


def test_duty_keeps_no_patrol_of_its_own__PAT_5(world, api):
    r = api(world.people["chief_a"]).post("/centres/alpha/centre-patrol", {"screens": "normal"})
    assert r.status_code in (404, 405)


def test_old_centre_patrol_lines_still_read__PAT_5(world, api):
    """Lines written by duty's former centre patrol keep their verb's text (duty.verbs)."""
    from zhiban.duty.services import log_write

    log_write(
        actor=world.people["chief_a"],
        source=Source.CLI,
        centre=world.alpha,
        category="patrol",
        verb="centre_patrol.record",
        params={"results": {"screens": "normal", "vqc": "abnormal"}, "note": "VQC 闭锁"},
    )
    line = api(world.people["deputy_a"]).get("/centres/alpha/log").json()["items"][0]
    assert line["text"].startswith("监控中心巡视：") and line["text"].endswith("。VQC 闭锁")
