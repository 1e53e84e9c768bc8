"""Plans and checkpoints (PAT-1): kept by the planners through the API and the pages, the
numbers of the documents as defaults a plan may change, the four kinds' windows, the sampled
rotation covering every checkpoint within a week, and the .xlsx export of the plan list."""

from __future__ import annotations

from datetime import date, timedelta

from zhiban.core.actors import CLI, Source
from zhiban.patrols import services
from zhiban.patrols.models import CheckItem, PatrolPlan, PatrolRound, PlanKind
from zhiban.patrols.services.schedule import plan_windows, sample

from .conftest import checkpoint

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_planner_keeps_checkpoints_and_plans_through_the_api__PAT_1(patrol, api, world):
    admin = api(world.people["admin_b"])
    r = admin.post(
        "/centres/beta/patrols/checkpoints",
        {
            "site": world.sites["beta_floor"].pk,
            "kind": "place",
            "name": "西侧消防通道",
            "items": "消火栓 ≥ 2\n防火门关闭",
        },
    )
    assert r.status_code == 201, r.content
    point = r.json()
    assert point["items"] == [
        {"seq": 1, "text": "消火栓", "minimum": 2},
        {"seq": 2, "text": "防火门关闭", "minimum": None},
    ]
    assert len(point["short_code"]) == 8
    r = admin.post(
        "/centres/beta/patrols/plans",
        {
            "name": "监控系统巡查",
            "kind": "per_shift",
            "role": "guard",
            "checkpoints": [point["id"]],
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["times"] == 4  # the documents' number, the centre's default (DESIGN rule 6)
    plan = r.json()
    r = admin.patch(
        f"/centres/beta/patrols/plans/{plan['id']}", {"version": plan["version"], "times": 2}
    )
    assert r.status_code == 200 and r.json()["times"] == 2
    stale = admin.patch(
        f"/centres/beta/patrols/plans/{plan['id']}", {"version": plan["version"], "times": 3}
    )
    assert stale.status_code == 409
    r = admin.patch(
        f"/centres/beta/patrols/checkpoints/{point['id']}",
        {"version": point["version"], "items": "消火栓 >= 3"},
    )
    assert r.status_code == 200, r.content
    assert [(i.text, i.minimum) for i in CheckItem.objects.filter(checkpoint_id=point["id"])] == [
        ("消火栓", 3)
    ]
    export = admin.get("/centres/beta/patrols/plans.xlsx")
    assert export.status_code == 200 and export["Content-Type"] == XLSX


def test_a_guard_cannot_keep_plans_and_bad_plans_name_the_rule__PAT_1(patrol, api, world):
    guard = api(world.people["guard_b"])
    body = {
        "name": "x",
        "kind": "window",
        "role": "guard",
        "checkpoints": [patrol.points["other"].pk],
    }
    assert guard.post("/centres/beta/patrols/plans", body).status_code == 403
    admin = api(world.people["admin_b"])
    r = admin.post("/centres/beta/patrols/plans", body)
    assert r.status_code == 422
    assert r.json()["fields"]["window_starts"]
    nobody = {**body, "kind": "interval", "role": ""}
    r = admin.post("/centres/beta/patrols/plans", nobody)
    assert r.status_code == 422 and "PAT-1" in r.json()["fields"]["role"][0]
    foreign = {**body, "kind": "interval", "checkpoints": [999_999]}
    assert admin.post("/centres/beta/patrols/plans", foreign).status_code == 422


def test_a_planner_keeps_plans_on_the_pages_and_exports_the_list__PAT_1(patrol, web, world):
    client = web(world.people["admin_b"])
    r = client.post(
        "/c/beta/patrols/plans/new/",
        {
            "name": "电梯及楼梯摄像机轮巡",
            "kind": "interval",
            "role": "guard",
            "checkpoints": [patrol.points["other"].pk],
            "active": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    plan = PatrolPlan.objects.get(name="电梯及楼梯摄像机轮巡")
    assert plan.interval_minutes == 60  # the documents' sweep every 60 min
    listed = client.get("/c/beta/patrols/plans/")
    assert listed.status_code == 200 and "电梯及楼梯摄像机轮巡" in listed.content.decode()
    export = client.get("/c/beta/patrols/plans/?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"] == XLSX
    detail = client.get(f"/c/beta/patrols/checkpoints/{patrol.points['hydrants'].pk}/")
    assert detail.status_code == 200
    assert patrol.points["hydrants"].short_code in detail.content.decode()
    sheet = client.get(f"/c/beta/patrols/sites/{world.sites['beta_floor'].pk}/codes.pdf")
    assert sheet.status_code == 200 and sheet["Content-Type"] == "application/pdf"


def test_the_four_kinds_give_their_windows__PAT_1(patrol, world):
    tz = world.beta.tz
    day = date(2026, 11, 28)

    def windows(**data):
        plan = PatrolPlan(centre=world.beta, name="t", **data)
        return list(plan_windows(plan, [], day, tz))

    assert len(windows(kind=PlanKind.PER_SHIFT, times=4)) == 4
    hourly = windows(kind=PlanKind.INTERVAL, interval_minutes=60)
    assert len(hourly) == 24 and hourly[1].start - hourly[0].start == timedelta(hours=1)
    assert len(windows(kind=PlanKind.SAMPLED, times=20)) == 1


def test_sampled_rounds_cover_every_checkpoint_within_a_week__PAT_1():
    ids = list(range(1, 2001))  # 2,000 branches, 3 shifts a day: 21 shifts a week
    covered = set()
    for ordinal in range(21):
        drawn = sample(ids, 20, ordinal, 21)
        assert len(drawn) >= 20
        covered.update(drawn)
    assert covered == set(ids)
    assert sample(list(range(1, 11)), 20, 5, 21) == list(range(1, 11))


def test_generating_again_adds_nothing__PAT_2(patrol, world):
    before = PatrolRound.objects.count()
    assert services.rounds_generate(actor=CLI, source=Source.CLI, centre=world.beta) == 0
    assert PatrolRound.objects.count() == before


def test_per_shift_plans_follow_the_centres_shifts__PAT_1(patrol, world):
    from zhiban.duty import services as duty

    for name, starts, ends in [
        ("早班", "08:00", "16:00"),
        ("中班", "16:00", "00:00"),
        ("夜班", "00:00", "08:00"),
    ]:
        duty.shift_pattern_create(
            actor=CLI,
            source=Source.CLI,
            centre=world.beta,
            data={"name": name, "starts": starts, "ends": ends, "active": True},
        )
    point = checkpoint(world.beta, world.sites["beta_floor"], "监控主机")
    services.plan_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.beta,
        data={
            "name": "监控系统",
            "kind": "per_shift",
            "times": 4,
            "role": "guard",
            "checkpoints": [point.pk],
            "active": True,
        },
    )
    services.rounds_generate(actor=CLI, source=Source.CLI, centre=world.beta)
    rounds = PatrolRound.objects.filter(plan__name="监控系统").order_by("window_start")
    first = rounds.first()
    assert first.shift in {"早班", "中班", "夜班"}
    assert first.window_end - first.window_start == timedelta(hours=2)  # 8 h / 4


def test_a_planner_generates_the_rounds_due_at_once__PAT_2(patrol, api, world):
    guard = api(world.people["guard_b"])
    assert guard.post("/centres/beta/patrols/generate").status_code == 403
    admin = api(world.people["admin_b"])
    r = admin.post(
        "/centres/beta/patrols/plans",
        {
            "name": "夜间巡查",
            "kind": "window",
            "window_starts": "22:00",
            "window_ends": "02:00",
            "role": "guard",
            "checkpoints": [patrol.points["other"].pk],
        },
    )
    assert r.status_code == 201, r.content
    assert admin.post("/centres/beta/patrols/generate").json() == {"added": 1}
    rnd = PatrolRound.objects.get(plan_id=r.json()["id"])
    assert rnd.window_end - rnd.window_start == timedelta(hours=4)  # crosses midnight
    assert admin.post("/centres/beta/patrols/generate").json() == {"added": 0}


def test_a_window_with_a_zone_offset_is_refused_not_a_500__PAT_1(patrol, api, world):
    r = api(world.people["admin_b"]).post(
        "/centres/beta/patrols/plans",
        {
            "name": "带时区",
            "kind": "window",
            "window_starts": "09:30:00+01:00",
            "window_ends": "10:30:00",
            "role": "guard",
            "checkpoints": [patrol.points["other"].pk],
        },
    )
    assert r.status_code == 422
    assert r.json()["fields"]["window_starts"]
