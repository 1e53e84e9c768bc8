"""Shift patterns and the roster (DUTY-1), sign-in with the late flag (DUTY-2)."""

import io
from datetime import timedelta

from openpyxl import load_workbook

from zhiban.duty.models import RosterEntry

from ..clock import set_window
from .conftest import DAY

BASE = "/centres/alpha"


def test_shift_patterns_cross_midnight_and_refuse_overlap_or_zero_length__DUTY_1(
    world, shifts, api
):
    planner = api(world.people["admin_a"])
    listed = planner.get(f"{BASE}/shift-patterns").json()["items"]
    assert {p["name"]: p["minutes"] for p in listed} == {"早班": 480, "中班": 480, "夜班": 480}
    overlap = planner.post(
        f"{BASE}/shift-patterns", {"name": "加班", "starts": "23:00", "ends": "01:00"}
    )
    assert overlap.status_code == 422 and "DUTY-1" in str(overlap.json()["fields"])
    zero = planner.post(
        f"{BASE}/shift-patterns", {"name": "零", "starts": "09:00", "ends": "09:00"}
    )
    assert zero.status_code == 422 and "DUTY-1" in str(zero.json()["fields"])
    other = api(world.people["admin_b"]).post(
        "/centres/beta/shift-patterns", {"name": "夜班", "starts": "20:00", "ends": "08:00"}
    )
    assert other.status_code == 201 and other.json()["minutes"] == 720  # crosses midnight
    field = api(world.people["field_a"]).post(
        f"{BASE}/shift-patterns", {"name": "x", "starts": "01:00", "ends": "02:00"}
    )
    assert field.status_code == 403


def test_roster_places_people_on_posts_copies_a_week_and_exports_the_month__DUTY_1(
    world, shifts, api, web
):
    planner = api(world.people["admin_a"])
    twice = planner.post(
        f"{BASE}/roster",
        {"pattern": shifts.early.pk, "day": DAY, "person": shifts.out_chief.pk, "post": "正值"},
    )
    assert twice.status_code == 422 and "person" in twice.json()["fields"]
    stranger = planner.post(
        f"{BASE}/roster",
        {
            "pattern": shifts.early.pk,
            "day": DAY,
            "person": world.people["guard_b"].pk,
            "post": "正值",
        },
    )
    assert stranger.status_code == 422 and "person" in stranger.json()["fields"]

    week = planner.get(f"{BASE}/roster?start=2026-11-23&end=2026-11-30").json()
    assert week["count"] == 4
    added = planner.post(f"{BASE}/roster/copy-week", {"week": "2026-11-23"})
    assert added.json() == {"added": 4}
    nxt = planner.get(f"{BASE}/roster?start=2026-11-30&end=2026-12-07").json()["items"]
    assert {
        (e["shift"]["day"], e["shift"]["pattern"], e["person_name"], e["post"]) for e in nxt
    } == {
        ("2026-12-04", "早班", "Chief_A", "正值"),
        ("2026-12-04", "早班", "Deputy_A", "副值"),
        ("2026-12-04", "中班", "接班正值", "正值"),
        ("2026-12-04", "中班", "接班副值", "副值"),
    }
    assert planner.post(f"{BASE}/roster/copy-week", {"week": "2026-11-23"}).json() == {"added": 0}

    page = web(world.people["admin_a"]).get("/c/alpha/duty/roster/?month=2026-11")
    html = page.content.decode()
    assert 'data-testid="roster"' in html and "接班正值" in html and "早班" in html
    export = web(world.people["admin_a"]).get("/c/alpha/duty/roster/?month=2026-11&export=xlsx")
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert len(rows) == 1 + 4 and rows[1][1] == "早班"


def test_a_swap_approved_by_the_shift_leader_changes_places_and_is_recorded__DUTY_1(
    world, shifts, api
):
    deputy = api(shifts.out_deputy)
    r = deputy.post(
        f"{BASE}/swaps",
        {
            "first": shifts.out_deputy_place.pk,
            "second": shifts.in_deputy_place.pk,
            "reason": "家中有事",
        },
    )
    assert r.status_code == 201, r.content
    swap = r.json()
    refused = api(world.people["field_a"]).post(
        f"{BASE}/swaps/{swap['id']}/decide", {"version": swap["version"], "approve": True}
    )
    assert refused.status_code == 403
    approved = api(shifts.out_chief).post(
        f"{BASE}/swaps/{swap['id']}/decide", {"version": swap["version"], "approve": True}
    )
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    assert approved.json()["decided_by_id"] == shifts.out_chief.pk
    assert RosterEntry.objects.get(pk=shifts.out_deputy_place.pk).person == shifts.in_deputy
    assert RosterEntry.objects.get(pk=shifts.in_deputy_place.pk).person == shifts.out_deputy
    audit = api(world.people["admin_a"]).get("/centres/alpha/audit?q=swap").json()["items"]
    assert {"swap.request", "swap.approved"} <= {e["verb"] for e in audit}


def test_sign_in_on_time_and_late_is_flagged_on_the_handover__DUTY_2(world, shifts, api, clock):
    inc_chief, inc_deputy = api(shifts.in_chief), api(shifts.in_deputy)
    # 15:30: on time for the 16:00 shift (15 minutes' lead by default)
    on_time = inc_chief.post(f"{BASE}/roster/{shifts.in_chief_place.pk}/sign-in", {"version": 1})
    assert on_time.status_code == 200 and on_time.json()["late"] is False
    clock.shift(timedelta(minutes=20))  # 15:50: inside the 15 minutes before the shift
    late = inc_deputy.post(f"{BASE}/roster/{shifts.in_deputy_place.pk}/sign-in", {"version": 1})
    assert late.status_code == 200 and late.json()["late"] is True
    again = inc_deputy.post(f"{BASE}/roster/{shifts.in_deputy_place.pk}/sign-in", {"version": 2})
    assert again.status_code == 409
    for_someone_else = inc_chief.post(
        f"{BASE}/roster/{shifts.in_deputy_place.pk}/sign-in", {"version": 2}
    )
    assert for_someone_else.status_code == 403

    h = api(shifts.out_chief).post(f"{BASE}/handovers", {}).json()
    assert h["late"] == ["接班副值"]


def test_lead_time_is_a_centre_setting__DUTY_2(world, shifts, api, clock):
    admin = api(world.people["admin_a"])
    version = admin.get("/centres/alpha").json()["version"]
    admin.patch(
        "/centres/alpha/settings", {"version": version, "values": {"duty.signin_lead_minutes": 40}}
    )
    r = api(shifts.in_chief).post(
        f"{BASE}/roster/{shifts.in_chief_place.pk}/sign-in", {"version": 1}
    )
    assert r.json()["late"] is True  # 15:30 is less than 40 minutes before 16:00


def test_console_shows_the_shift_and_who_is_on_post__DUTY_1(world, shifts, web):
    html = web(shifts.out_chief).get("/c/alpha/").content.decode()
    assert 'data-testid="duty-shift"' in html and "早班" in html and "Deputy_A" in html
    assert 'data-testid="sign-in"' in html


def test_a_place_named_by_a_swap_is_not_removed__DUTY_1(world, shifts, api):
    """A pending swap is decided first; a decided one keeps its places. 409 naming the swap,
    never a 500, and the place stays."""
    place = shifts.out_deputy_place
    r = api(shifts.out_deputy).post(
        f"{BASE}/swaps",
        {"first": place.pk, "second": shifts.in_deputy_place.pk, "reason": "家中有事"},
    )
    assert r.status_code == 201, r.content
    swap = r.json()
    admin = api(world.people["admin_a"])
    version = RosterEntry.objects.get(pk=place.pk).version
    refused = admin.post(f"{BASE}/roster/{place.pk}/remove", {"version": version})
    assert refused.status_code == 409
    body = refused.json()
    assert body["rule"] == "DUTY-1" and body["code"] == "refused"
    assert f"第 {swap['id']} 号" in body["message"] and "家中有事" in body["message"]
    rejected = api(shifts.out_chief).post(
        f"{BASE}/swaps/{swap['id']}/decide", {"version": swap["version"], "approve": False}
    )
    assert rejected.status_code == 200
    again = admin.post(f"{BASE}/roster/{place.pk}/remove", {"version": version})
    assert again.status_code == 409 and again.json()["rule"] == "DUTY-1"
    assert "作为该换班的记录" in again.json()["message"]
    assert RosterEntry.objects.filter(pk=place.pk).exists()


def test_the_week_copied_lies_in_the_centres_window__ORG_4(world, shifts, api):
    """Copying a week checks its day against the centre's own window (``time.history_days``),
    not the default ten years back (DUTY-1, ORG-4)."""
    planner = api(world.people["admin_a"])
    set_window(planner, history_days=30)
    r = planner.post(f"{BASE}/roster/copy-week", {"week": "2026-10-12"})  # 46 days back
    assert r.status_code == 422, r.content
    message = " ".join(r.json()["fields"]["week"])
    assert "ORG-4" in message and "2026-10-28" in message, message  # the centre's first day
    assert planner.post(f"{BASE}/roster/copy-week", {"week": "2026-11-23"}).status_code == 200
