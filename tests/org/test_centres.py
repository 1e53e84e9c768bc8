"""Centres, their kinds and per-centre settings (ORG-1), through the API and the web pages."""

from zhiban.core.actors import CLI, Source
from zhiban.org import services as org


def platform_admin(world):
    person = world.people["admin_a"]
    org.person_grant_platform_admin(actor=CLI, source=Source.CLI, person_id=person.pk)
    person.refresh_from_db()
    return person


def test_platform_admin_opens_centres_of_every_kind_with_documented_defaults__ORG_1(world, api):
    client = api(platform_admin(world))
    for i, kind in enumerate(
        ["power", "security", "customer_service", "housekeeping", "engineering"]
    ):
        r = client.post("/centres", {"code": f"new-{i}", "name": f"中心{i}", "kind": kind})
        assert r.status_code == 201, r.content
        body = r.json()
        assert body["kind"] == kind and body["time_zone"] == "Asia/Shanghai"
        assert body["settings"]["duty.signin_lead_minutes"] == 15  # DUTY-2 default
        assert body["settings"]["alarms.flood_count"] == 10  # INC-3 default
        assert body["settings"]["service.first_response_minutes"] == 30  # CS-6 default
        assert body["settings"]["registers.dnd_check_time"] == "14:30"  # REG-8 default
    codes = {c["code"] for c in client.get("/centres?limit=50").json()["items"]}
    assert {"alpha", "beta", "new-0", "new-4"} <= codes


def test_centre_admin_may_not_open_a_centre__ORG_1(world, api):
    r = api(world.people["admin_a"]).post("/centres", {"code": "x1", "name": "X", "kind": "power"})
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden" and "ORG-3" in r.json()["message"]


def test_bad_centre_answers_422_per_field__ORG_1(world, api):
    client = api(platform_admin(world))
    r = client.post(
        "/centres", {"code": "Bad Code!", "name": "", "kind": "space", "time_zone": "Mars/Olympus"}
    )
    assert r.status_code == 422
    fields = r.json()["fields"]
    assert {"code", "name", "kind", "time_zone"} <= set(fields)
    assert client.get("/centres?limit=50").json()["count"] == 2


def test_centre_settings_override_validate_and_restore__ORG_1(world, api):
    client = api(world.people["admin_a"])
    centre = client.get("/centres/alpha").json()
    r = client.patch(
        "/centres/alpha/settings",
        {
            "version": centre["version"],
            "values": {"duty.signin_lead_minutes": 20, "registers.dnd_check_time": "15:00"},
        },
    )
    assert r.status_code == 200, r.content
    assert r.json()["settings"]["duty.signin_lead_minutes"] == 20
    assert r.json()["settings"]["registers.dnd_check_time"] == "15:00"
    version = r.json()["version"]

    bad = client.patch(
        "/centres/alpha/settings",
        {
            "version": version,
            "values": {
                "duty.signin_lead_minutes": -5,
                "registers.dnd_check_time": "25:99",
                "no.such": 1,
            },
        },
    )
    assert bad.status_code == 422
    assert {"duty.signin_lead_minutes", "registers.dnd_check_time", "no.such"} <= set(
        bad.json()["fields"]
    )

    restored = client.patch(
        "/centres/alpha/settings",
        {"version": version, "values": {"duty.signin_lead_minutes": None}},
    )
    assert restored.status_code == 200
    assert restored.json()["settings"]["duty.signin_lead_minutes"] == 15
    assert restored.json()["settings"]["registers.dnd_check_time"] == "15:00"


def test_centre_settings_page_refuses_bad_value_next_to_the_field__ORG_1(world, web):
    client = web(world.people["admin_a"])
    page = client.get("/c/alpha/org/settings/")
    assert page.status_code == 200 and "DUTY-2" in page.content.decode()
    world.alpha.refresh_from_db()
    r = client.post(
        "/c/alpha/org/settings/",
        {"version": world.alpha.version, "duty.signin_lead_minutes": "abc"},
    )
    assert r.status_code == 422
    assert 'data-field="duty.signin_lead_minutes"' in r.content.decode()
    ok = client.post(
        "/c/alpha/org/settings/", {"version": world.alpha.version, "duty.signin_lead_minutes": "25"}
    )
    assert ok.status_code == 302
    world.alpha.refresh_from_db()
    assert world.alpha.setting("duty.signin_lead_minutes") == 25


def test_platform_admin_opens_a_centre_through_the_web__ORG_1(world, web):
    client = web(platform_admin(world))
    r = client.post(
        "/centres/new/",
        {
            "code": "hotel",
            "name": "酒店房务中心",
            "kind": "housekeeping",
            "time_zone": "Asia/Shanghai",
            "active": "on",
        },
    )
    assert r.status_code == 302 and r["Location"] == "/c/hotel/org/"
    assert "酒店房务中心" in client.get("/centres/").content.decode()
