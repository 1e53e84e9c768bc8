"""People and their roles per centre or team (ORG-3)."""

from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings

from zhiban import settings as product_settings


def new_person(**extra):
    return {
        "username": "newbie",
        "name": "新人",
        "password": "Strong#pass-9",
        "role": "deputy_operator",
        "phone": "13912345678",
        "employee_no": "E-77",
        **extra,
    }


def test_admin_adds_a_person_with_a_first_role__ORG_3(world, api):
    client = api(world.people["admin_a"])
    r = client.post("/centres/alpha/people", new_person(team=world.team.pk))
    assert r.status_code == 201, r.content
    person = r.json()
    assert person["memberships"][0]["role"] == "deputy_operator"
    assert person["memberships"][0]["team_id"] == world.team.pk
    names = [p["username"] for p in client.get("/centres/alpha/people?limit=100").json()["items"]]
    assert "newbie" in names and "guard_b" not in names


def test_person_input_is_checked_per_field__ORG_3(world, api):
    client = api(world.people["admin_a"])
    r = client.post(
        "/centres/alpha/people",
        new_person(username="chief_a", password="123", role="astronaut", phone="abc"),
    )
    assert r.status_code == 422
    assert {"username", "password", "role", "phone"} <= set(r.json()["fields"])


def test_passwords_are_hashed_with_argon2(world, api):
    from zhiban.org.models import Person

    with override_settings(PASSWORD_HASHERS=product_settings.PASSWORD_HASHERS):
        api(world.people["admin_a"]).post("/centres/alpha/people", new_person())
        stored = Person.objects.get(username="newbie").password
        assert identify_hasher(stored).algorithm == "argon2"


def test_a_person_of_another_centre_cannot_be_given_a_role_here__ORG_3(world, api):
    client = api(world.people["admin_a"])
    r = client.post(
        "/centres/alpha/memberships",
        {"person": world.people["guard_b"].pk, "role": "chief_operator"},
    )
    assert r.status_code == 422 and "person" in r.json()["fields"]


def test_second_role_and_deactivation_change_what_a_person_sees__ORG_3(world, api):
    admin = api(world.people["admin_a"])
    field_a = world.people["field_a"]
    r = admin.post("/centres/alpha/memberships", {"person": field_a.pk, "role": "admin"})
    assert r.status_code == 201
    membership = r.json()
    assert (
        api(field_a)
        .post("/centres/alpha/sites", {"code": "Z", "name": "Z", "kind": "area"})
        .status_code
        == 201
    )
    off = admin.patch(
        f"/centres/alpha/memberships/{membership['id']}",
        {"version": membership["version"], "active": False},
    )
    assert off.status_code == 200
    assert (
        api(field_a)
        .post("/centres/alpha/sites", {"code": "Y", "name": "Y", "kind": "area"})
        .status_code
        == 403
    )


def test_people_pages_add_a_person_and_set_a_password__ORG_3(world, web):
    client = web(world.people["admin_a"])
    r = client.post(
        "/c/alpha/org/people/new/",
        {**new_person(), "language": "zh-hans", "is_active": "on", "team": ""},
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    person_url = r["Location"]
    assert "新人" in client.get(person_url).content.decode()
    pk = int(person_url.rstrip("/").split("/")[-1])
    weak = client.post(f"/c/alpha/org/people/{pk}/password/", {"version": 1, "password": "1"})
    assert weak.status_code == 422
    ok = client.post(
        f"/c/alpha/org/people/{pk}/password/", {"version": 1, "password": "Another#pass-1"}
    )
    assert ok.status_code == 302
    from django.test import Client

    login = Client().post("/login/", {"username": "newbie", "password": "Another#pass-1"})
    assert login.status_code == 302 and login["Location"] == "/"
