"""Acceptance sheets through the API (ACC-2 … ACC-4): the centre prepares a sheet, the centre
and the team each name one checker, only those two tick (each their own side), two ticks of
one point at once answer 409 for the second, a wrong point becomes a defect or goes to the
summary list, a stage acceptance starts with its items and closes only when its parties have
signed; another centre's sheet answers 404."""

from __future__ import annotations

import pytest

from zhiban.core import live
from zhiban.upkeep.models import Defect, DefectKind, DefectOrigin, Owner

BASE = "/centres/alpha/upkeep/acceptance/sheets"
POINTS = "/centres/alpha/upkeep/acceptance/points"


def create(client, upkeep, kind="commissioning", title="一号变四遥验收"):
    r = client.post(
        BASE,
        {
            "kind": kind,
            "title": title,
            "site": upkeep.sites["station"].pk,
            "team": upkeep.world.team.pk,
        },
    )
    assert r.status_code == 201, r.content
    return r.json()


def add_points(client, sheet, n=3):
    """Points added at the sheet's version as read; the sheet as it is afterwards."""
    for i in range(1, n + 1):
        version = fresh(client, sheet)["version"]
        r = client.post(
            f"{BASE}/{sheet['id']}/points",
            {
                "version": version,
                "bay": "110kV 苏吴线",
                "name": f"信号{i}",
                "remote_type": "yx",
                "address": i,
            },
        )
        assert r.status_code == 201, r.content
    return fresh(client, sheet)


def name_checkers(client, sheet, people, centre="chief_a", team="field_a"):
    return client.post(
        f"{BASE}/{sheet['id']}/checkers",
        {
            "version": sheet["version"],
            "centre_checker": people[centre].pk,
            "team_checker": people[team].pk,
        },
    )


def checking_sheet(api, upkeep, kind="commissioning", points=3):
    people = upkeep.world.people
    chief = api(people["chief_a"])
    sheet = create(chief, upkeep, kind=kind)
    if points:
        sheet = add_points(chief, sheet, points)
    sheet = name_checkers(chief, sheet, people).json()
    r = chief.post(f"{BASE}/{sheet['id']}/open", {"version": sheet["version"]})
    assert r.status_code == 200, r.content
    return r.json()


def tick(client, sheet, point, result="ok", method="real", remark=""):
    return client.post(
        f"{POINTS}/{point['id']}/tick",
        {"version": point["version"], "result": result, "method": method, "remark": remark},
    )


def fresh(client, sheet):
    return client.get(f"{BASE}/{sheet['id']}").json()


def test_sheet_prepared_numbered_and_opened_with_both_checkers__ACC_2(api, upkeep):
    people = upkeep.world.people
    chief = api(people["chief_a"])
    sheet = create(chief, upkeep)
    assert sheet["number"].startswith("YS-") and sheet["state"] == "draft"
    r = chief.post(f"{BASE}/{sheet['id']}/open", {"version": sheet["version"]})
    assert r.status_code == 409 and r.json()["rule"] == "ACC-2"  # no checkers yet
    sheet = name_checkers(chief, sheet, people).json()
    r = chief.post(f"{BASE}/{sheet['id']}/open", {"version": sheet["version"]})
    assert r.status_code == 409 and "ACC-2" in r.json()["message"]  # no points
    stale = sheet["version"]
    sheet = add_points(chief, sheet, 2)
    r = chief.post(
        f"{BASE}/{sheet['id']}/points", {"version": stale, "name": "信号9", "address": 9}
    )
    assert r.status_code == 409  # the sheet changed since it was read (DESIGN-1)
    r = chief.post(
        f"{BASE}/{sheet['id']}/points", {"version": sheet["version"], "name": "x", "address": 1}
    )
    assert r.status_code == 422 and "ACC-2" in r.json()["fields"]["address"][0]  # same address
    r = chief.post(f"{BASE}/{sheet['id']}/open", {"version": sheet["version"]})
    assert r.status_code == 200 and r.json()["state"] == "checking"
    assert r.json()["progress"]["centre_owes"] == 2


@pytest.mark.parametrize(
    ("centre", "team", "field"),
    [("field_a", "leader_a", "centre_checker"), ("chief_a", "deputy_a", "team_checker")],
)
def test_each_side_names_its_own_checker__ACC_2(api, upkeep, centre, team, field):
    people = upkeep.world.people
    chief = api(people["chief_a"])
    sheet = create(chief, upkeep)
    r = name_checkers(chief, sheet, people, centre=centre, team=team)
    assert r.status_code == 422
    assert "ACC-2" in " ".join(r.json()["fields"][field])


def test_only_the_named_checkers_tick_each_their_own_side__ACC_2(api, upkeep):
    people = upkeep.world.people
    sheet = checking_sheet(api, upkeep)
    point = sheet["points"][0]
    for outsider in ("deputy_a", "leader_a"):
        r = tick(api(people[outsider]), sheet, point)
        assert r.status_code == 409 and r.json()["rule"] == "ACC-2"
    r = tick(api(people["chief_a"]), sheet, point, method="simulated")
    assert r.status_code == 200
    point = r.json()
    assert (point["centre_result"], point["centre_method"], point["team_result"]) == (
        "ok",
        "simulated",
        "",
    )
    r = tick(api(people["field_a"]), sheet, point, result="fail", remark="主站未收到")
    assert r.status_code == 200 and r.json()["team_result"] == "fail"
    progress = fresh(api(people["chief_a"]), sheet)["progress"]
    assert progress["centre_done"] == 1 and progress["team_done"] == 1
    assert progress["wrong"] == 1 and progress["unresolved"] == 1
    assert progress["centre_owes"] == 2 and progress["team_owes"] == 2


def test_two_ticks_of_one_point_at_once_one_wins_the_other_409__ACC_2(api, upkeep):
    people = upkeep.world.people
    sheet = checking_sheet(api, upkeep)
    point = sheet["points"][1]  # both read the same version
    assert tick(api(people["chief_a"]), sheet, point).status_code == 200
    r = tick(api(people["field_a"]), sheet, point)
    assert r.status_code == 409 and r.json()["code"] == "conflict"
    again = fresh(api(people["field_a"]), sheet)["points"][1]
    assert tick(api(people["field_a"]), sheet, again).status_code == 200


def test_a_tick_is_pushed_live_to_both_screens__ACC_2(
    api, upkeep, monkeypatch, django_capture_on_commit_callbacks
):
    people = upkeep.world.people
    sheet = checking_sheet(api, upkeep)
    pushed = []
    monkeypatch.setattr(live, "send_now", lambda group, event: pushed.append((group, event)))
    point = sheet["points"][0]
    with django_capture_on_commit_callbacks(execute=True):
        assert tick(api(people["chief_a"]), sheet, point).status_code == 200
    panels = [p for _, e in pushed for p in e.get("panels", [])]
    assert f"acceptance-{sheet['id']}-p{point['id']}" in panels
    assert f"acceptance-{sheet['id']}-progress" in panels
    assert pushed[0][0] == f"centre.{upkeep.world.alpha.pk}"  # both checkers' consoles


def tick_all(api, upkeep, sheet, fail_seqs=()):
    people = upkeep.world.people
    for side in ("chief_a", "field_a"):
        for point in fresh(api(people[side]), sheet)["points"]:
            result = "fail" if side == "field_a" and point["seq"] in fail_seqs else "ok"
            assert tick(api(people[side]), sheet, point, result=result).status_code == 200


def close(client, sheet, **extra):
    sheet = fresh(client, sheet)
    return client.post(f"{BASE}/{sheet['id']}/close", {"version": sheet["version"], **extra})


def test_close_refused_while_a_point_owes_a_tick__ACC_2(api, upkeep):
    people = upkeep.world.people
    sheet = checking_sheet(api, upkeep, points=2)
    chief = api(people["chief_a"])
    for point in sheet["points"]:
        tick(chief, sheet, point)
    r = close(chief, sheet)
    assert r.status_code == 409 and r.json()["rule"] == "ACC-2"
    assert "2" in r.json()["message"]  # what the team's checker still owes


def test_a_wrong_point_becomes_a_defect_or_goes_to_the_summary_list_before_close__ACC_3(
    api, upkeep
):
    people = upkeep.world.people
    sheet = checking_sheet(api, upkeep, points=3)
    tick_all(api, upkeep, sheet, fail_seqs=(1, 2))
    chief = api(people["chief_a"])
    r = close(chief, sheet)
    assert r.status_code == 409 and r.json()["rule"] == "ACC-3"
    points = fresh(chief, sheet)["points"]
    # the team does not raise it: the centre does (ACC-3)
    r = api(people["field_a"]).post(
        f"{POINTS}/{points[0]['id']}/raise-defect",
        {"version": points[0]["version"]},
    )
    assert r.status_code == 409 and r.json()["rule"] == "ACC-3"
    # a correct point is neither
    r = chief.post(
        f"{POINTS}/{points[2]['id']}/summarise",
        {"version": points[2]["version"]},
    )
    assert r.status_code == 409 and r.json()["rule"] == "ACC-3"
    r = chief.post(
        f"{POINTS}/{points[0]['id']}/raise-defect",
        {"version": points[0]["version"], "grade": "serious"},
    )
    assert r.status_code == 200, r.content
    defect = Defect.objects.get(pk=r.json()["defect_id"])
    assert defect.kind == DefectKind.FOUR_REMOTE and defect.owner == Owner.CENTRE
    assert defect.origin == DefectOrigin.ACCEPTANCE and defect.origin_id == str(points[0]["id"])
    assert "信号1" in defect.phenomenon and defect.site == upkeep.sites["station"]
    assert close(chief, sheet).json()["rule"] == "ACC-3"  # the second still open
    r = chief.post(
        f"{POINTS}/{points[1]['id']}/summarise",
        {"version": points[1]["version"]},
    )
    assert r.status_code == 200 and r.json()["summarised"]
    r = close(chief, sheet, conclusion="验收合格，遗留问题见汇总")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    # closed: no more ticks
    point = r.json()["points"][0]
    assert tick(chief, sheet, point).json()["rule"] == "ACC-2"


def test_stage_acceptance_starts_with_its_items_and_needs_its_signatures__ACC_4(api, upkeep):
    people = upkeep.world.people
    sheet = checking_sheet(api, upkeep, kind="completion", points=0)
    assert sheet["centre_side"] != sheet["team_side"]
    names = [p["name"] for p in sheet["points"]]
    assert len(names) >= 5 and "开关插座、灯具通电正常" in names
    assert sheet["progress"]["signatures_missing"] == [
        "foreman",
        "supervisor",
        "designer",
        "client",
    ]
    tick_all(api, upkeep, sheet)
    chief = api(people["chief_a"])
    r = close(chief, sheet)
    assert r.status_code == 409 and r.json()["rule"] == "ACC-4"
    leader = api(people["leader_a"])
    for party, name in (("foreman", "钱工"), ("supervisor", "周监理"), ("designer", "吴设计")):
        version = fresh(leader, sheet)["version"]
        r = leader.post(
            f"{BASE}/{sheet['id']}/sign", {"version": version, "party": party, "name": name}
        )
        assert r.status_code == 200, r.content
    version = fresh(chief, sheet)["version"]
    r = chief.post(
        f"{BASE}/{sheet['id']}/sign", {"version": version, "party": "foreman", "name": "x"}
    )
    assert r.status_code == 409 and r.json()["rule"] == "ACC-4"  # once per party
    r = close(chief, sheet)
    assert r.status_code == 409 and "ACC-4" in r.json()["message"]  # the client still owed
    version = fresh(chief, sheet)["version"]
    chief.post(
        f"{BASE}/{sheet['id']}/sign", {"version": version, "party": "client", "name": "王先生"}
    )
    r = close(chief, sheet)
    assert r.status_code == 200 and r.json()["state"] == "closed"
    assert {s["party"] for s in r.json()["signatures"]} == {
        "foreman",
        "supervisor",
        "designer",
        "client",
    }


def test_another_centres_sheet_answers_404__ACC_2(api, upkeep):
    people = upkeep.world.people
    sheet = checking_sheet(api, upkeep)
    other = api(people["admin_b"])
    assert other.get(f"{BASE}/{sheet['id']}").status_code == 404
    assert other.get(f"/centres/beta/upkeep/acceptance/sheets/{sheet['id']}").status_code == 404
    point = sheet["points"][0]
    r = other.post(
        f"/centres/beta/upkeep/acceptance/points/{point['id']}/tick",
        {"version": point["version"], "result": "ok"},
    )
    assert r.status_code == 404


def test_bad_input_is_422_never_500__ACC_2(api, upkeep):
    people = upkeep.world.people
    sheet = checking_sheet(api, upkeep)
    chief = api(people["chief_a"])
    point = sheet["points"][0]
    r = chief.post(
        f"{POINTS}/{point['id']}/tick",
        {"version": point["version"], "result": "maybe"},
    )
    assert r.status_code == 422
    r = chief.post(f"{POINTS}/{point['id']}/tick", {"result": "ok"})
    assert r.status_code == 422
    r = chief.post(f"{POINTS}/999999/tick", {"version": 1, "result": "ok"})
    assert r.status_code == 404
