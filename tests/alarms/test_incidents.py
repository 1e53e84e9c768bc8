"""The minimal incident record: opened by hand or by another capability, closed with how it
ended; while open it blocks the handover (DUTY-10); scoped to its centre (ORG-3)."""

from ..clock import ago

BASE = "/centres/alpha/incidents"
AT = ago(hours=2)


def open_incident(world, api, **extra) -> dict:
    r = api(world.people["chief_a"]).post(
        BASE,
        {
            "site": world.sites["station"].pk,
            "title": "一号变10kV母线接地",
            "opened_at": AT,
            **extra,
        },
    )
    assert r.status_code == 201, r.content
    return r.json()


def test_incident_closes_once_with_how_it_ended_and_a_stale_version_is_409__DESIGN_1(world, api):
    incident = open_incident(world, api)
    client = api(world.people["chief_a"])
    url = f"{BASE}/{incident['id']}/close"
    assert client.post(url, {"version": incident["version"], "note": ""}).status_code == 422
    stale = client.post(url, {"version": incident["version"] + 1, "note": "x"})
    assert stale.status_code == 409
    closed = client.post(url, {"version": incident["version"], "note": "接地点已隔离"})
    assert closed.status_code == 200 and closed.json()["closing_note"] == "接地点已隔离"
    again = client.post(url, {"version": closed.json()["version"], "note": "x"})
    assert again.status_code == 409 and again.json()["code"] == "transition_refused"


def test_bad_incident_input_answers_per_field(world, api):
    client = api(world.people["chief_a"])
    r = client.post(BASE, {"title": "母线接地", "opened_at": "yesterday"})
    assert r.status_code == 422 and "opened_at" in r.json()["fields"]
    r = client.post(BASE, {"title": " ", "opened_at": AT})
    assert r.status_code == 422 and "title" in r.json()["fields"]


def test_incident_of_another_centre_is_not_found__ORG_3(world, api):
    incident = open_incident(world, api)
    stranger = api(world.people["guard_b"])
    assert stranger.get(f"{BASE}/{incident['id']}").status_code == 404
    r = stranger.post(f"{BASE}/{incident['id']}/close", {"version": 1, "note": "x"})
    assert r.status_code == 404


def test_incident_pages_list_show_and_close(world, web, api):
    incident = open_incident(world, api)
    client = web(world.people["chief_a"])
    assert "一号变10kV母线接地" in client.get("/c/alpha/alarms/incidents/").content.decode()
    page = client.get(f"/c/alpha/alarms/incidents/{incident['id']}/").content.decode()
    assert 'data-testid="close-incident"' in page
    r = client.post(
        f"/c/alpha/alarms/incidents/{incident['id']}/close/",
        {"version": incident["version"], "note": "已处理"},
    )
    assert r.status_code == 302
    assert api(world.people["chief_a"]).get(f"{BASE}/{incident['id']}").json()["state"] == "closed"
