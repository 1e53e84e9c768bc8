"""EMG-2: a theft or emergency report on the run captures reporter name and phone, location,
address, unit, injuries and property damage; such a run cannot close until it is complete,
refused naming EMG-2 and the missing fields."""

from __future__ import annotations

from .conftest import BASE, make_plan, start, tick

REPORT = {
    "reporter_name": "王先生",
    "reporter_phone": "138-0000-0099",
    "location": "一层 108 号商铺",
    "address": "星湖街 218 号",
    "unit": "1F-108",
    "injuries": "无",
    "property_damage": "收银机现金约2000元被盗",
}


def _all_done(api, person, run) -> dict:
    for item in run["items"]:
        run = tick(api, person, run, item["position"]).json()
    return run


def test_a_theft_run_cannot_close_before_its_report_names_what_is_missing__EMG_2(
    world, api, theft_plan
):
    guard = world.people["guard_b"]
    run = _all_done(api, guard, start(api, guard, theft_plan, "1F-108商铺被盗"))
    url = f"{BASE}/emergency-runs/{run['id']}"
    partial = {"version": run["version"], "reporter_name": "王先生", "unit": "1F-108"}
    run = api(guard).post(f"{url}/report", partial).json()
    assert len(run["missing_report_fields"]) == 5  # name and unit given, five to go
    refused = api(guard).post(f"{url}/close", {"version": run["version"]})
    assert refused.status_code == 409
    body = refused.json()
    assert body["rule"] == "EMG-2"
    for missing in run["missing_report_fields"]:
        assert missing in body["message"]
    assert "1F-108" not in body["message"]
    assert api(guard).get(url).json()["state"] == "running"
    run = api(guard).post(f"{url}/report", {**REPORT, "version": run["version"]}).json()
    assert run["missing_report_fields"] == []
    assert run["reporter_phone"] == "13800000099"
    closed = api(guard).post(f"{url}/close", {"version": run["version"]})
    assert closed.status_code == 200, closed.content
    assert closed.json()["state"] == "closed"


def test_the_reporters_phone_must_be_a_real_number__EMG_2(world, api, theft_plan):
    guard = world.people["guard_b"]
    run = start(api, guard, theft_plan, "1F-108商铺被盗")
    url = f"{BASE}/emergency-runs/{run['id']}/report"
    for wrong in ("12345", "1380000009", "23800000099", "电话"):
        r = api(guard).post(url, {"version": run["version"], "reporter_phone": wrong})
        assert r.status_code == 422, wrong
        assert r.json()["rule"] == "EMG-2"
        assert "reporter_phone" in r.json()["fields"]
    for right in ("13800000099", "0512-62880119", "+86 139 1234 5678"):
        r = api(guard).post(url, {"version": run["version"], "reporter_phone": right})
        assert r.status_code == 200, (right, r.content)
        run = r.json()


def test_a_plan_without_a_report_closes_without_one__EMG_2(world, api, fire_plan):
    guard = world.people["guard_b"]
    run = _all_done(api, guard, start(api, guard, fire_plan))
    assert run["missing_report_fields"] == []
    r = api(guard).post(f"{BASE}/emergency-runs/{run['id']}/close", {"version": run["version"]})
    assert r.status_code == 200


def test_a_plan_that_asks_for_a_report_holds_its_run_too__EMG_2(world, api):
    plan = make_plan(api, world.people["admin_b"], name="火警（须报告）", needs_report=True)
    guard = world.people["guard_b"]
    run = _all_done(api, guard, start(api, guard, plan))
    r = api(guard).post(f"{BASE}/emergency-runs/{run['id']}/close", {"version": run["version"]})
    assert r.status_code == 409
    assert r.json()["rule"] == "EMG-2"


def test_the_report_form_on_the_run_page_shows_a_wrong_phone_beside_it__EMG_2(
    world, web, api, theft_plan
):
    guard = world.people["guard_b"]
    run = start(api, guard, theft_plan, "1F-108商铺被盗")
    client = web(guard)
    page = f"/c/beta/emergency/runs/{run['id']}/"
    assert 'data-testid="report"' in client.get(page).content.decode()
    bad = client.post(
        f"{page}report/", {**REPORT, "reporter_phone": "12345", "version": run["version"]}
    )
    assert bad.status_code == 422
    assert 'data-field="reporter_phone"' in bad.content.decode()
    good = client.post(f"{page}report/", {**REPORT, "version": run["version"]})
    assert good.status_code == 302
    saved = api(guard).get(f"{BASE}/emergency-runs/{run['id']}").json()
    assert saved["property_damage"] == REPORT["property_damage"]
    assert saved["missing_report_fields"] == []
