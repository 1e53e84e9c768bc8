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


def _legacy_shared_gateway(world):
    """A gateway login shared by two centres, as data from before ORG-3's one-centre check."""
    from zhiban.org.models import Membership

    gateway = make_person(world.alpha, "gw-shared", Role.GATEWAY)
    Membership.objects.create(person=gateway, centre=world.beta, role=Role.GATEWAY, active=True)
    return gateway, gateway.memberships.get(centre=world.beta)


def test_a_legacy_shared_gateway_login_can_be_switched_off__ORG_3(world, api):
    """Switching off the second centre's membership of a shared gateway login is how it is
    repaired: it is not refused for the very sharing it ends (issue 10 review)."""
    gateway, in_beta = _legacy_shared_gateway(world)
    client = api(_root(world))
    r = client.patch(
        f"/centres/beta/memberships/{in_beta.pk}", {"version": in_beta.version, "active": False}
    )
    assert r.status_code == 200 and r.json()["active"] is False, r.content
    in_beta.refresh_from_db()
    r = client.patch(
        f"/centres/beta/memberships/{in_beta.pk}", {"version": in_beta.version, "active": True}
    )
    assert r.status_code == 422 and r.json()["rule"] == "ORG-3", r.content
    assert "ORG-3" in r.json()["fields"]["active"][0]
    in_beta.refresh_from_db()
    assert in_beta.active is False


def test_a_gateway_refusal_names_ORG_3_as_its_rule__ORG_3(world, api):
    """The refusal carries the rule id in ``rule``, not only in the field's text."""
    gateway = make_person(world.alpha, "gw-alpha", Role.GATEWAY)
    client = api(_root(world))
    r = client.post("/centres/beta/memberships", {"person": gateway.pk, "role": "guard"})
    assert r.status_code == 422 and r.json()["rule"] == "ORG-3", r.content
    member = world.people["chief_a"].memberships.get()
    r = client.patch(
        f"/centres/alpha/memberships/{member.pk}", {"version": member.version, "post": "值长"}
    )
    assert r.status_code == 200, r.content  # a change that shares no gateway login


def test_a_token_for_a_source_not_ones_own_names_ORG_3_as_its_rule__ORG_3(world, api):
    r = api(world.people["admin_a"]).post("/tokens", {"name": "网关", "sources": ["no-such"]})
    assert r.status_code == 422 and r.json()["rule"] == "ORG-3", r.content
    assert "ORG-3" in r.json()["fields"]["sources"][0]


def test_a_gateway_token_from_before_sources_keeps_sending_after_the_upgrade__INC_1_ORG_3(world):
    """Migration org 0003 gives each unrevoked token of a gateway account the active alarm
    sources of its gateway centres, so a deployed gateway loses no event on upgrading; other
    tokens, revoked ones and other centres' or inactive sources get none (issue 10 review)."""
    import importlib
    import json
    import secrets

    from django.apps import apps
    from django.test import Client

    from zhiban.alarms import services as alarms
    from zhiban.org.models import ApiToken
    from zhiban.org.tokens import token_digest

    from ..clock import ago

    for centre, code, active in (
        (world.alpha, "alpha-scada", True),
        (world.alpha, "alpha-old", False),
        (world.beta, "beta-fire", True),
    ):
        alarms.alarm_source_create(
            actor=CLI,
            source=Source.CLI,
            centre=centre,
            data={"code": code, "name": code, "kind": "scada", "active": active},
        )
    gateway = make_person(world.alpha, "gw-alpha", Role.GATEWAY)

    def old_token(person, **extra) -> tuple[ApiToken, str]:
        """A token as the code before per-token sources made it: no sources."""
        raw = "zb_" + secrets.token_urlsafe(32)
        made = ApiToken.objects.create(
            person=person, name="旧令牌", prefix=raw[:10], digest=token_digest(raw), **extra
        )
        return made, raw

    (kept, raw), (revoked, _) = old_token(gateway), old_token(gateway, revoked_at=ago(hours=1))
    (chiefs, _) = old_token(world.people["chief_a"])
    migration = importlib.import_module("zhiban.org.migrations.0003_api_token_sources")
    step = migration.give_gateway_tokens_their_sources
    assert any(getattr(op, "code", None) is step for op in migration.Migration.operations)
    step(apps, None)

    assert [s.code for s in kept.sources.all()] == ["alpha-scada"]
    assert not revoked.sources.exists() and not chiefs.sources.exists()
    event = {"source": "alpha-scada", "id": "old-1", "at": ago(minutes=5)}
    event |= {"site": "S1", "signal": "越限", "class": "limit"}
    r = Client(headers={"authorization": f"Bearer {raw}"}).post(
        "/api/events", json.dumps([event]), content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.content
