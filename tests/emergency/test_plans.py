"""EMG-1: emergency plans per scenario are ordered checklists, kept by those allowed
``emergency.plan``, through the API and the pages, and exported to .xlsx (RPT-2)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from .conftest import BASE, FIRE_ITEMS, make_plan


def test_a_plan_keeps_its_items_in_order_with_who_does_them__EMG_1(world, api, fire_plan):
    r = api(world.people["guard_b"]).get(f"{BASE}/emergency-plans/{fire_plan['id']}")
    assert r.status_code == 200
    plan = r.json()
    assert [(i["position"], i["text"], i["who"]) for i in plan["items"]] == [
        (n, i["text"], i["who"]) for n, i in enumerate(FIRE_ITEMS, start=1)
    ]
    assert plan["source_kinds"] == ["fire"]
    assert plan["report_required"] is False


def test_a_plan_without_items_is_refused_naming_the_rule__EMG_1(world, api):
    r = api(world.people["admin_b"]).post(
        f"{BASE}/emergency-plans", {"name": "空预案", "scenario": "fire", "items": []}
    )
    assert r.status_code == 422
    assert r.json()["rule"] == "EMG-1"
    assert "items" in r.json()["fields"]


def test_a_guard_runs_plans_but_may_not_keep_them__EMG_1(world, api):
    r = api(world.people["guard_b"]).post(
        f"{BASE}/emergency-plans",
        {"name": "火警", "scenario": "fire", "items": [{"text": "报警"}]},
    )
    assert r.status_code == 403


def test_a_theft_plan_always_needs_its_report__EMG_2(world, api, theft_plan):
    assert theft_plan["needs_report"] is False
    assert theft_plan["report_required"] is True


def test_changing_a_plan_needs_the_version_read_and_replaces_its_checklist__EMG_1(
    world, api, fire_plan
):
    admin = api(world.people["admin_b"])
    url = f"{BASE}/emergency-plans/{fire_plan['id']}"
    changed = {"version": fire_plan["version"], "items": [{"text": "疏散", "who": "班长"}]}
    r = admin.patch(url, changed)
    assert r.status_code == 200, r.content
    assert [i["text"] for i in r.json()["items"]] == ["疏散"]
    assert r.json()["name"] == fire_plan["name"]
    stale = admin.patch(url, {"version": fire_plan["version"], "note": "旧版本"})
    assert stale.status_code == 409
    assert admin.get(url).json()["note"] == ""


def test_plan_pages_create_list_edit_and_export__EMG_1(world, web):
    client = web(world.people["admin_b"])
    r = client.post(
        "/c/beta/emergency/plans/new/",
        {
            "name": "地震应急处置",
            "scenario": "earthquake",
            "needs_report": "",
            "active": "on",
            "note": "",
            "items": "保持镇定 | 监控员\n组织疏散｜当班班长\n",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    detail = client.get(r["Location"])
    assert detail.status_code == 200
    assert "组织疏散" in detail.content.decode()
    edit = client.get(r["Location"] + "edit/")
    assert "保持镇定 | 监控员\n组织疏散 | 当班班长" in edit.content.decode()
    listed = client.get("/c/beta/emergency/plans/")
    assert "地震应急处置" in listed.content.decode()
    export = client.get("/c/beta/emergency/plans/?export=xlsx")
    rows = list(load_workbook(BytesIO(b"".join(export.streaming_content))).active.values)
    assert any("地震应急处置" in row for row in rows)


def test_a_page_plan_without_items_shows_the_refusal_beside_the_field__EMG_1(world, web):
    client = web(world.people["admin_b"])
    r = client.post(
        "/c/beta/emergency/plans/new/",
        {"name": "空", "scenario": "fire", "active": "on", "items": "  \n"},
    )
    assert r.status_code == 422
    assert 'data-field="items"' in r.content.decode()


def test_a_plan_name_is_unique_in_its_centre__EMG_1(world, api, fire_plan):
    r = api(world.people["admin_b"]).post(
        f"{BASE}/emergency-plans",
        {"name": fire_plan["name"], "scenario": "fire", "items": [{"text": "报警"}]},
    )
    assert r.status_code == 422
    assert "name" in r.json()["fields"]
    other = make_plan(api, world.people["admin_b"], name="火警处置二")
    assert other["name"] == "火警处置二"
