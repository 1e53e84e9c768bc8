"""API errors are JSON with a machine code and a message; bad input is 422 per field; an
unknown centre is 404; no input gives a 500."""

import json


def test_malformed_json_is_422(world, web):
    client = web(world.people["admin_a"])
    r = client.post("/api/centres/alpha/sites", data="{not json", content_type="application/json")
    assert r.status_code == 422
    assert r.json()["code"] == "invalid"


def test_missing_and_wrongly_typed_fields_are_named(world, api):
    r = api(world.people["admin_a"]).post(
        "/centres/alpha/equipment", {"site": "station-one", "active": "perhaps"}
    )
    assert r.status_code == 422
    assert {"site", "kind", "name"} <= set(r.json()["fields"])


def test_patch_needs_the_version_it_read(world, api):
    r = api(world.people["admin_a"]).patch(
        f"/centres/alpha/sites/{world.sites['station'].pk}", {"name": "无版本"}
    )
    assert r.status_code == 422 and "version" in r.json()["fields"]


def test_out_of_range_ids_and_paging_are_422_or_404_not_500(world, api):
    client = api(world.people["admin_a"])
    assert client.get("/centres/alpha/sites/99999999999999999999999").status_code == 422
    assert client.get("/centres/alpha/sites/9223372036854775807").status_code == 404
    assert client.get("/centres/alpha/sites?limit=100000").status_code == 422
    assert client.get("/centres/alpha/equipment?site=99999999999999999999").status_code == 422


def test_nul_characters_are_refused_not_crashing(world, api):
    r = api(world.people["admin_a"]).post(
        "/centres/alpha/sites", {"code": "N\x00", "name": "a\x00b", "kind": "area"}
    )
    assert r.status_code == 422 and {"code", "name"} <= set(r.json()["fields"])
    r = api(world.people["admin_a"]).get("/centres/alpha/sites?q=%00")
    assert r.status_code in (200, 422)


def test_unknown_centre_is_404_json(world, api):
    r = api(world.people["admin_a"]).get("/centres/no-such-centre/sites")
    assert r.status_code == 404
    assert (
        json.loads(r.content)
        == {"code": "not_found", "message": "Not found. (ORG-3)", "rule": "ORG-3", "fields": {}}
        or r.json()["code"] == "not_found"
    )


def test_openapi_document_is_served(world, web):
    client = web(world.people["admin_a"])
    spec = client.get("/api/openapi.json").json()
    assert "/api/centres/{code}/sites" in spec["paths"]
    assert client.get("/api/docs").status_code == 200
