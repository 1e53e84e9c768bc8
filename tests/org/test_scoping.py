"""Scoping (ORG-3): a person sees and changes only what their memberships allow; records of
another centre answer 404 in the API and in the pages. The permission table is one table."""

import pytest

from zhiban.core import permissions


@pytest.mark.parametrize(
    "path",
    [
        "/centres/beta",
        "/centres/beta/sites",
        "/centres/beta/sites/{floor}",
        "/centres/beta/equipment",
        "/centres/beta/teams",
        "/centres/beta/people",
        "/centres/beta/memberships",
        "/centres/beta/audit",
        "/centres/beta/phone-contacts",
        "/centres/beta/deadlines",
        "/centres/beta/sites.xlsx",
        "/centres/nowhere",
    ],
)
def test_other_centres_records_answer_404_in_the_api__ORG_3(world, api, path):
    r = api(world.people["chief_a"]).get(path.format(floor=world.sites["beta_floor"].pk))
    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_a_record_id_from_another_centre_is_404_even_under_my_centre__ORG_3(world, api):
    floor = world.sites["beta_floor"].pk
    client = api(world.people["admin_a"])
    assert client.get(f"/centres/alpha/sites/{floor}").status_code == 404
    r = client.patch(f"/centres/alpha/sites/{floor}", {"version": 1, "name": "hijacked"})
    assert r.status_code == 404
    guard = world.people["guard_b"].pk
    assert client.get(f"/centres/alpha/people/{guard}").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/c/beta/",
        "/c/beta/org/",
        "/c/beta/org/sites/",
        "/c/beta/org/sites/{floor}/",
        "/c/beta/org/equipment/",
        "/c/beta/org/people/",
        "/c/beta/audit/",
        "/c/beta/phone/",
        "/c/alpha/org/sites/{floor}/",
        "/c/nowhere/",
    ],
)
def test_other_centres_pages_answer_404__ORG_3(world, web, path):
    r = web(world.people["chief_a"]).get(path.format(floor=world.sites["beta_floor"].pk))
    assert r.status_code == 404


def test_lists_hold_only_my_centres_records__ORG_3(world, api):
    client = api(world.people["guard_b"])
    centres = client.get("/centres").json()
    assert [c["code"] for c in centres["items"]] == ["beta"]
    sites = client.get("/centres/beta/sites").json()["items"]
    assert [s["code"] for s in sites] == ["F1"]
    me = client.get("/me").json()
    assert me["centres"] == [
        {"code": "beta", "name": "贝塔监控室", "kind": "security", "roles": ["guard"]}
    ]


def test_a_team_membership_gives_the_team_centre__ORG_3(world, api):
    r = api(world.people["field_a"]).get("/centres/alpha/sites")
    assert r.status_code == 200 and r.json()["count"] == 1


def test_viewing_roles_cannot_change_the_organisation__ORG_3(world, api, web):
    r = api(world.people["field_a"]).post(
        "/centres/alpha/sites", {"code": "X", "name": "X", "kind": "area"}
    )
    assert r.status_code == 403
    assert r.json()["code"] == "forbidden" and "(ORG-3)" in r.json()["message"]
    page = web(world.people["field_a"]).get("/c/alpha/org/sites/new/")
    assert page.status_code == 403 and "ORG-3" in page.content.decode()
    listing = web(world.people["field_a"]).get("/c/alpha/org/sites/").content.decode()
    assert 'data-testid="new"' not in listing


def test_permission_table_is_shown_read_only__ORG_3(world, api, web):
    table = api(world.people["field_a"]).get("/permissions").json()
    assert table["actions"]["org.manage"] == ["admin"]
    assert set(table["roles"]) == {r.value for r in permissions.Role}
    html = web(world.people["field_a"]).get("/manage/permissions/").content.decode()
    for action in permissions.Action:
        assert action.value in html
    assert "<form" not in html.split('data-testid="permissions"')[1]


def test_the_switcher_offers_every_centre_of_the_person_and_no_other__ORG_3(world, web):
    from zhiban.core.actors import CLI, Source
    from zhiban.org import services

    services.membership_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.beta,
        data={"person": world.people["head_a"].pk, "role": "manager", "active": True},
    )
    html = web(world.people["head_a"]).get("/c/alpha/").content.decode()
    switcher = html.split('data-testid="centre-switcher"')[1].split("</div>")[0]
    assert "/c/alpha/" in switcher and "/c/beta/" in switcher
    html = web(world.people["chief_a"]).get("/c/alpha/").content.decode()
    assert "/c/beta/" not in html
