"""Teams, sites and equipment as trees (ORG-2), with the double name (OPS-15)."""


def site(client, **data):
    body = {"code": data.pop("code"), "name": data.pop("name"), "kind": "substation", **data}
    r = client.post("/centres/alpha/sites", body)
    assert r.status_code == 201, r.content
    return r.json()


def test_sites_form_a_tree_and_move_with_their_subtree__ORG_2(world, api):
    client = api(world.people["admin_a"])
    region = site(client, code="R1", name="吴中片区", kind="area")
    station = site(client, code="S2", name="越溪变", parent=region["id"])
    room = site(client, code="S2-R", name="主控室", kind="room", parent=station["id"])
    assert (region["depth"], station["depth"], room["depth"]) == (1, 2, 3)

    other = site(client, code="R2", name="相城片区", kind="area")
    moved = client.patch(
        f"/centres/alpha/sites/{station['id']}",
        {"version": station["version"], "parent": other["id"]},
    )
    assert moved.status_code == 200 and moved.json()["parent_id"] == other["id"]
    room_now = client.get(f"/centres/alpha/sites/{room['id']}").json()
    assert room_now["depth"] == 3

    loop = client.patch(
        f"/centres/alpha/sites/{other['id']}", {"version": other["version"], "parent": room["id"]}
    )
    assert loop.status_code == 422 and "parent" in loop.json()["fields"]
    top = client.patch(
        f"/centres/alpha/sites/{station['id']}",
        {"version": moved.json()["version"], "parent": None},
    )
    assert top.status_code == 200 and top.json()["depth"] == 1
    room_now = client.get(f"/centres/alpha/sites/{room['id']}").json()
    assert room_now["depth"] == 2  # the child moved along with its parent
    listed = [s["code"] for s in client.get("/centres/alpha/sites?limit=50").json()["items"]]
    assert listed.index("S2-R") == listed.index("S2") + 1  # the list shows the tree in order


def test_site_codes_are_unique_per_centre__ORG_2(world, api):
    client = api(world.people["admin_a"])
    r = client.post("/centres/alpha/sites", {"code": "S1", "name": "重复", "kind": "substation"})
    assert r.status_code == 422 and "code" in r.json()["fields"]
    # the same code in another centre is fine
    r = api(world.people["admin_b"]).post(
        "/centres/beta/sites", {"code": "S1", "name": "一号楼", "kind": "building"}
    )
    assert r.status_code == 201


def test_equipment_tree_with_double_name__ORG_2(world, api):
    client = api(world.people["admin_a"])
    station = world.sites["station"].pk
    line = client.post(
        "/centres/alpha/equipment",
        {"site": station, "kind": "line", "name": "苏越线", "voltage_level": "110kV"},
    ).json()
    breaker = client.post(
        "/centres/alpha/equipment",
        {
            "site": station,
            "parent": line["id"],
            "kind": "breaker",
            "name": "苏越线开关",
            "dispatch_number": "751",
            "voltage_level": "110kV",
        },
    )
    assert breaker.status_code == 201
    assert breaker.json()["double_name"] == "苏越线开关 751"
    assert breaker.json()["depth"] == 2

    twin = client.post(
        "/centres/alpha/equipment",
        {"site": station, "kind": "breaker", "name": "苏越线开关", "dispatch_number": "751"},
    )
    assert twin.status_code == 422 and "name" in twin.json()["fields"]

    other_site = client.post(
        "/centres/alpha/sites", {"code": "S9", "name": "九号变", "kind": "substation"}
    ).json()
    wrong_parent = client.post(
        "/centres/alpha/equipment",
        {"site": other_site["id"], "parent": line["id"], "kind": "breaker", "name": "某开关"},
    )
    assert wrong_parent.status_code == 422 and "parent" in wrong_parent.json()["fields"]

    listed = client.get(f"/centres/alpha/equipment?site={station}&kind=breaker").json()
    assert [e["double_name"] for e in listed["items"]] == ["苏越线开关 751"]


def test_equipment_of_another_centre_cannot_be_placed_here__ORG_3(world, api):
    r = api(world.people["admin_a"]).post(
        "/centres/alpha/equipment",
        {"site": world.sites["beta_floor"].pk, "kind": "camera", "name": "偷放的摄像机"},
    )
    assert r.status_code == 422 and "site" in r.json()["fields"]


def test_team_serves_sites_of_its_centre__ORG_2(world, api):
    client = api(world.people["admin_a"])
    team = client.get(f"/centres/alpha/teams/{world.team.pk}").json()
    r = client.patch(
        f"/centres/alpha/teams/{world.team.pk}",
        {"version": team["version"], "sites": [world.sites["station"].pk]},
    )
    assert r.status_code == 200 and r.json()["sites"] == [world.sites["station"].pk]
    foreign = client.patch(
        f"/centres/alpha/teams/{world.team.pk}",
        {"version": r.json()["version"], "sites": [world.sites["beta_floor"].pk]},
    )
    assert foreign.status_code == 422 and "sites" in foreign.json()["fields"]


def test_organisation_pages_create_and_edit_a_site__ORG_2(world, web):
    client = web(world.people["admin_a"])
    r = client.post(
        "/c/alpha/org/sites/new/",
        {
            "code": "S5",
            "name": "木渎变",
            "kind": "substation",
            "voltage_level": "35kV",
            "parent": "",
            "address": "",
            "active": "on",
        },
    )
    assert r.status_code == 302
    detail = client.get(r["Location"])
    html = detail.content.decode()
    assert "木渎变" in html and "site.create" in html  # the page shows its timeline

    site_id = int(r["Location"].rstrip("/").split("/")[-1])
    edit = client.post(
        f"/c/alpha/org/sites/{site_id}/edit/",
        {
            "version": 1,
            "code": "S5",
            "name": "木渎变电站",
            "kind": "substation",
            "voltage_level": "35kV",
            "parent": "",
            "address": "",
            "active": "on",
        },
    )
    assert edit.status_code == 302
    html = client.get(edit["Location"]).content.decode()
    assert "木渎变电站" in html and "site.update" in html

    listing = client.get("/c/alpha/org/sites/?q=木渎").content.decode()
    assert "木渎变电站" in listing and "一号变" not in listing

    bad = client.post("/c/alpha/org/sites/new/", {"code": "", "name": "", "kind": "nope"})
    assert bad.status_code == 422 and 'data-field="code"' in bad.content.decode()
