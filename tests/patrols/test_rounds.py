"""A round walked through the API (PAT-2, PAT-4): start, results with counted items, the QR
confirmation, end; refusals name their rule and change nothing."""

from __future__ import annotations

from zhiban.patrols.models import PatrolRound, RoundCheck

from ..clock import FIXED

BASE = "/centres/beta/patrols/rounds"


def _round(client, pk):
    r = client.get(f"{BASE}/{pk}")
    assert r.status_code == 200, r.content
    return r.json()


def _start(client, rnd):
    r = client.post(f"{BASE}/{rnd.pk}/start", {"version": rnd.version})
    assert r.status_code == 200, r.content
    return r.json()


def _check(client, pk, version, point, result="normal", **extra):
    body = {"version": version, "checkpoint": point.pk, "result": result, **extra}
    return client.post(f"{BASE}/{pk}/check", body)


def test_a_guard_walks_a_round_and_ends_it__PAT_2(patrol, api):
    guard = api(patrol.world.people["guard_b"])
    rnd = patrol.round
    body = _start(guard, rnd)
    assert body["state"] == "in_progress"
    assert body["walker_id"] == patrol.world.people["guard_b"].pk
    hydrants, shutters = patrol.points["hydrants"], patrol.points["shutters"]
    r = _check(guard, rnd.pk, body["version"], hydrants, counts={"1": 2})
    assert r.status_code == 200, r.content
    r = _check(guard, rnd.pk, r.json()["version"], shutters, "abnormal", note="卷帘门下堆放纸箱")
    assert r.status_code == 200, r.content
    checks = {c["checkpoint_id"]: c for c in r.json()["checks"]}
    assert checks[hydrants.pk]["counts"] == {"1": 2}
    assert checks[shutters.pk]["result"] == "abnormal"
    assert checks[shutters.pk]["note"] == "卷帘门下堆放纸箱"
    r = guard.post(f"{BASE}/{rnd.pk}/end", {"version": r.json()["version"]})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "done" and r.json()["ended_at"]


def test_two_guards_ending_the_same_round_the_second_gets_409__PAT_2(patrol, api, world):
    from zhiban.core.permissions import Role

    from ..conftest import make_person

    first = api(world.people["guard_b"])
    second = api(make_person(world.beta, "guard_b2", Role.GUARD))
    body = _start(first, patrol.round)
    version = body["version"]
    for point in (patrol.points["hydrants"], patrol.points["shutters"]):
        r = _check(first, patrol.round.pk, version, point, counts={"1": 3})
        version = r.json()["version"]
    assert first.post(f"{BASE}/{patrol.round.pk}/end", {"version": version}).status_code == 200
    r = second.post(f"{BASE}/{patrol.round.pk}/end", {"version": version})
    assert r.status_code == 409
    assert r.json()["code"] == "conflict"
    again = first.post(f"{BASE}/{patrol.round.pk}/end", {"version": version + 1})
    assert again.status_code == 409 and again.json()["rule"] == "PAT-2"


def test_a_result_after_the_round_ended_is_refused__PAT_2(patrol, api):
    guard = api(patrol.world.people["guard_b"])
    body = _start(guard, patrol.round)
    version = body["version"]
    for point in (patrol.points["hydrants"], patrol.points["shutters"]):
        version = _check(guard, patrol.round.pk, version, point, counts={"1": 2}).json()["version"]
    version = guard.post(f"{BASE}/{patrol.round.pk}/end", {"version": version}).json()["version"]
    r = _check(guard, patrol.round.pk, version, patrol.points["hydrants"], "abnormal", note="x")
    assert r.status_code == 409
    assert r.json()["rule"] == "PAT-2"
    assert (
        RoundCheck.objects.get(round=patrol.round, checkpoint=patrol.points["hydrants"]).result
        == "normal"
    )


def test_a_result_for_a_checkpoint_not_in_the_round_is_refused__PAT_2(patrol, api):
    guard = api(patrol.world.people["guard_b"])
    body = _start(guard, patrol.round)
    r = _check(guard, patrol.round.pk, body["version"], patrol.points["other"])
    assert r.status_code == 409
    assert r.json()["rule"] == "PAT-2"
    assert not RoundCheck.objects.filter(
        round=patrol.round, checkpoint=patrol.points["other"]
    ).exists()


def test_a_counted_item_below_its_minimum_is_no_normal_result__PAT_2(patrol, api):
    guard = api(patrol.world.people["guard_b"])
    body = _start(guard, patrol.round)
    hydrants = patrol.points["hydrants"]
    r = _check(guard, patrol.round.pk, body["version"], hydrants, counts={"1": 1})
    assert r.status_code == 422
    assert r.json()["rule"] == "PAT-2"
    assert "PAT-2" in r.json()["fields"]["counts"][0]
    missing = _check(guard, patrol.round.pk, body["version"], hydrants)
    assert missing.status_code == 422
    abnormal = _check(
        guard,
        patrol.round.pk,
        body["version"],
        hydrants,
        "abnormal",
        note="少一个",
        counts={"1": 1},
    )
    assert abnormal.status_code == 200, abnormal.content
    no_note = _check(guard, patrol.round.pk, abnormal.json()["version"], hydrants, "abnormal")
    assert no_note.status_code == 422 and "note" in no_note.json()["fields"]


def test_a_round_cannot_end_with_checkpoints_unchecked__PAT_2(patrol, api):
    guard = api(patrol.world.people["guard_b"])
    body = _start(guard, patrol.round)
    r = guard.post(f"{BASE}/{patrol.round.pk}/end", {"version": body["version"]})
    assert r.status_code == 409 and r.json()["rule"] == "PAT-2"
    assert PatrolRound.objects.get(pk=patrol.round.pk).state == "in_progress"


def test_the_qr_code_confirms_a_checkpoint_of_the_round_only__PAT_2(patrol, api):
    guard = api(patrol.world.people["guard_b"])
    body = _start(guard, patrol.round)
    hydrants = patrol.points["hydrants"]
    r = guard.post(
        f"{BASE}/{patrol.round.pk}/confirm", {"version": body["version"], "code": hydrants.token}
    )
    assert r.status_code == 200, r.content
    confirmed = {c["checkpoint_id"]: c["confirmed_at"] for c in r.json()["checks"]}
    assert confirmed[hydrants.pk]
    other = guard.post(
        f"{BASE}/{patrol.round.pk}/confirm",
        {"version": r.json()["version"], "code": patrol.points["other"].token},
    )
    assert other.status_code == 409
    assert other.json()["rule"] == "PAT-2"
    assert "二层电梯厅" in other.json()["message"]
    typed = guard.post(
        f"{BASE}/{patrol.round.pk}/confirm",
        {"version": r.json()["version"], "code": patrol.points["shutters"].short_code.lower()},
    )
    assert typed.status_code == 200, typed.content
    unknown = guard.post(
        f"{BASE}/{patrol.round.pk}/confirm", {"version": typed.json()["version"], "code": "NOPE"}
    )
    assert unknown.status_code == 409 and unknown.json()["rule"] == "PAT-2"


def test_a_station_patrol_starts_only_after_the_centres_answer__PAT_4(patrol, api, world):
    rnd = PatrolRound.objects.get(
        plan=patrol.station_plan, window_start__lte=FIXED, window_end__gt=FIXED
    )
    base = "/centres/alpha/patrols/rounds"
    field = api(world.people["field_a"])
    r = field.post(f"{base}/{rnd.pk}/start", {"version": rnd.version})
    assert r.status_code == 409
    assert r.json()["rule"] == "PAT-4"
    assert (
        field.post(f"{base}/{rnd.pk}/answer", {"version": rnd.version, "answer": "无"}).status_code
        == 403
    )
    chief = api(world.people["chief_a"])
    r = chief.post(
        f"{base}/{rnd.pk}/answer",
        {
            "version": rnd.version,
            "question": "有无需检查的异常？",
            "answer": "10kV I段母线接地信号请复归",
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["answered_by_id"] == world.people["chief_a"].pk
    assert r.json()["answered_at"] and r.json()["answer"] == "10kV I段母线接地信号请复归"
    started = field.post(f"{base}/{rnd.pk}/start", {"version": r.json()["version"]})
    assert started.status_code == 200, started.content
    assert started.json()["state"] == "in_progress"


def test_another_centres_round_is_not_found__ORG_3(patrol, api, world):
    other = api(world.people["chief_a"])
    assert other.get(f"{BASE}/{patrol.round.pk}").status_code == 404
    r = other.post(f"/centres/alpha/patrols/rounds/{patrol.round.pk}/start", {"version": 1})
    assert r.status_code == 404
