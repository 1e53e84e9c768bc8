"""ORG-3, administration across centres: a centre administrator changes a person's account,
password or memberships only when every centre the person belongs to is within their rights;
otherwise only a platform administrator does it."""

import pytest

from tests.conftest import PASSWORD, make_person
from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org
from zhiban.org.models import Membership, Person


@pytest.fixture
def shared(world):
    """Beta's manager, who is also a chief operator in alpha."""
    person = make_person(world.beta, "manager_ab", Role.MANAGER, email="m@beta.example")
    org.membership_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"person": person.pk, "role": Role.CHIEF_OPERATOR, "active": True},
    )
    return Person.objects.get(pk=person.pk)


def _refused(r):
    assert r.status_code == 403, r.content
    body = r.json()
    assert body["code"] == "forbidden" and body["rule"] == "ORG-3"
    assert "ORG-3" in body["message"] and "Manager_Ab" in body["message"]


def test_centre_admin_cannot_change_email_of_a_person_of_another_centre_too__ORG_3(
    world, api, shared
):
    r = api(world.people["admin_a"]).patch(
        f"/centres/alpha/people/{shared.pk}",
        {"version": shared.version, "email": "attacker@alpha.example"},
    )
    _refused(r)
    shared.refresh_from_db()
    assert shared.email == "m@beta.example"


def test_centre_admin_cannot_reset_password_of_a_person_of_another_centre_too__ORG_3(
    world, web, shared
):
    client = web(world.people["admin_a"])
    r = client.post(
        f"/c/alpha/org/people/{shared.pk}/password/",
        {"version": shared.version, "password": "New#pass-2026", "password2": "New#pass-2026"},
    )
    assert r.status_code == 403
    assert "ORG-3" in r.content.decode()
    shared.refresh_from_db()
    assert shared.check_password(PASSWORD)


def test_centre_admin_cannot_change_memberships_of_a_person_of_another_centre_too__ORG_3(
    world, api, shared
):
    client = api(world.people["admin_a"])
    _refused(client.post("/centres/alpha/memberships", {"person": shared.pk, "role": "admin"}))
    here = Membership.objects.get(person=shared, centre=world.alpha)
    _refused(
        client.patch(
            f"/centres/alpha/memberships/{here.pk}", {"version": here.version, "active": False}
        )
    )
    assert sorted(shared.memberships.values_list("centre__code", "role", "active")) == [
        ("alpha", "chief_operator", True),
        ("beta", "manager", True),
    ]


def test_person_page_offers_no_change_and_says_why__ORG_3(world, web, shared):
    page = web(world.people["admin_a"]).get(f"/c/alpha/org/people/{shared.pk}/").content.decode()
    assert 'data-testid="refusal"' in page and "ORG-3" in page
    assert f"/c/alpha/org/people/{shared.pk}/password/" not in page
    assert f"/c/alpha/org/people/{shared.pk}/edit/" not in page
    own = web(world.people["admin_a"]).get(f"/c/alpha/org/people/{world.people['chief_a'].pk}/")
    assert f"/c/alpha/org/people/{world.people['chief_a'].pk}/password/" in own.content.decode()
    assert 'data-testid="refusal"' not in own.content.decode()


def test_an_inactive_membership_elsewhere_still_counts__ORG_3(world, api, shared):
    beta = Membership.objects.get(person=shared, centre=world.beta)
    Membership.objects.filter(pk=beta.pk).update(active=False)
    r = api(world.people["admin_a"]).patch(
        f"/centres/alpha/people/{shared.pk}", {"version": shared.version, "phone": "13900000000"}
    )
    _refused(r)


def test_admin_of_every_centre_of_the_person_and_platform_admin_may__ORG_3(world, api, shared):
    admin_b = world.people["admin_b"]
    org.membership_create(
        actor=CLI,
        source=Source.CLI,
        centre=world.alpha,
        data={"person": admin_b.pk, "role": Role.ADMIN, "active": True},
    )
    r = api(Person.objects.get(pk=admin_b.pk)).patch(
        f"/centres/alpha/people/{shared.pk}", {"version": shared.version, "email": "m2@x.example"}
    )
    assert r.status_code == 200, r.content
    org.person_grant_platform_admin(
        actor=CLI, source=Source.CLI, person_id=world.people["guard_b"].pk
    )
    r = api(Person.objects.get(pk=world.people["guard_b"].pk)).patch(
        f"/centres/alpha/people/{shared.pk}", {"version": r.json()["version"], "email": ""}
    )
    assert r.status_code == 200, r.content
    shared.refresh_from_db()
    assert shared.email == ""
