"""A gateway account (接入网关) belongs to one centre: one account per source and centre, never
a login shared across centres (ORG-3, INC-1)."""

from zhiban.core.actors import CLI, Source
from zhiban.core.permissions import Role
from zhiban.org import services as org

from ..conftest import make_person


def _root(world):
    person = make_person(world.alpha, "root", Role.ADMIN)
    return org.person_grant_platform_admin(actor=CLI, source=Source.CLI, person_id=person.pk)


def test_a_gateway_account_gets_no_role_in_a_second_centre__ORG_3(world, api):
    gateway = make_person(world.alpha, "gw-alpha", Role.GATEWAY)
    client = api(_root(world))
    for role in ("gateway", "guard"):
        r = client.post("/centres/beta/memberships", {"person": gateway.pk, "role": role})
        assert r.status_code == 422 and "ORG-3" in r.json()["fields"]["role"][0], r.content
    assert list(gateway.memberships.values_list("centre__code", flat=True)) == ["alpha"]


def test_a_person_of_another_centre_does_not_become_its_gateway__ORG_3(world, api):
    guard = world.people["guard_b"]
    client = api(_root(world))
    r = client.post("/centres/alpha/memberships", {"person": guard.pk, "role": "gateway"})
    assert r.status_code == 422 and "ORG-3" in r.json()["fields"]["role"][0], r.content
    here = guard.memberships.get()
    r = client.patch(
        f"/centres/beta/memberships/{here.pk}", {"version": here.version, "role": "gateway"}
    )
    assert r.status_code == 200, r.content  # the one centre the person belongs to
