"""Smaller doors (issue 10 item 11): the login lockout follows the account whatever address
the failures came from, X-Forwarded-For is believed only from the proxies named in
ZHIBAN_TRUSTED_PROXIES, the content-security policy lets pages connect to this host only, and
the audit chain's verdict shows a centre's verifier only their centres' figures (ORG-3, ORG-4)."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from django.test import Client

from zhiban.core.actors import CLI, Source
from zhiban.core.models import AuditEvent
from zhiban.org import services as org
from zhiban.org.models import Person

from ..conftest import PASSWORD
from ..fresh import fresh_env, live_server, zhiban


def test_login_locks_the_account_whatever_addresses_the_failures_came_from(world):
    """Eleven wrong passwords, each from another (forged) address: the right one is refused."""
    client = Client()
    for n in range(11):
        client.post(
            "/login/",
            {"username": "chief_a", "password": f"wrong-{n}"},
            REMOTE_ADDR=f"198.51.100.{n + 1}",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n + 1}",
        )
    right = client.post(
        "/login/",
        {"username": "chief_a", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.200",
        HTTP_X_FORWARDED_FOR="203.0.113.200",
    )
    assert right.status_code == 429
    assert 'data-testid="lockout"' in right.content.decode()
    assert client.get("/c/alpha/").status_code == 302  # no session was made
    other = Client().post(
        "/login/", {"username": "deputy_a", "password": PASSWORD}, REMOTE_ADDR="198.51.100.1"
    )
    assert other.status_code == 302  # the address itself is not locked


def _failed_login_addresses(base: str, env) -> list[str]:
    """Two failed logins to a real `zhiban serve` with a forged X-Forwarded-For; the addresses
    the lockout recorded for them."""
    with httpx.Client(base_url=base) as http:
        page = http.get("/login/").text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        for _ in range(2):
            r = http.post(
                "/login/",
                data={"username": "nobody", "password": "x", "csrfmiddlewaretoken": token},
                headers={"X-Forwarded-For": "203.0.113.9"},
            )
            assert r.status_code == 200, r.text
    code = (
        "import json; from axes.models import AccessAttempt; "
        "rows = AccessAttempt.objects.all(); "
        "print(json.dumps(sorted({r.ip_address for r in rows}))); rows.delete()"
    )
    return json.loads(zhiban(env, "shell", "-v", "0", "-c", code).stdout)


def test_forwarded_addresses_are_believed_only_from_trusted_proxies():
    """No ZHIBAN_TRUSTED_PROXIES: the forged header is ignored, the peer is the client. Naming
    this host as the proxy: its forwarded address is taken."""
    with fresh_env(start="migrated") as env:
        with live_server(env, "--no-worker") as base:
            assert _failed_login_addresses(base, env) == ["127.0.0.1"]
        env["ZHIBAN_TRUSTED_PROXIES"] = "127.0.0.0/8"
        with live_server(env, "--no-worker") as base:
            assert _failed_login_addresses(base, env) == ["203.0.113.9"]


def test_trusted_proxies_must_be_addresses_or_networks():
    with fresh_env(ZHIBAN_TRUSTED_PROXIES="10.0.0.5,proxy.example") as env:
        r = zhiban(env, "check")
    assert r.returncode != 0 and "ZHIBAN_TRUSTED_PROXIES" in r.stderr


def test_content_security_policy_connects_to_this_host_only(world, web):
    policy = web(world.people["chief_a"]).get("/c/alpha/")["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["connect-src"] == ["'self'"]
    assert "ws:" not in policy and "wss:" not in policy


@pytest.fixture
def platform_admin(world):
    org.person_grant_platform_admin(
        actor=CLI, source=Source.CLI, person_id=world.people["guard_b"].pk
    )
    return Person.objects.get(pk=world.people["guard_b"].pk)


def test_audit_verify_shows_a_centre_verifier_only_their_centres_figures__ORG_4(
    world, api, web, platform_admin
):
    alpha = AuditEvent.objects.filter(centre=world.alpha)
    assert AuditEvent.objects.count() > alpha.count() > 0
    last = alpha.order_by("-seq").first()
    result = api(world.people["admin_a"]).get("/audit/verify").json()
    assert result["ok"] is True and result["checked"] == alpha.count()
    assert (result["head_seq"], result["head_hash"]) == (last.seq, last.hash)
    page = web(world.people["admin_a"]).get("/audit/verify/").content.decode()
    assert f"#{last.seq}" in page and last.hash in page
    everything = api(platform_admin).get("/audit/verify").json()
    assert everything["ok"] is True and everything["checked"] == AuditEvent.objects.count()
    assert everything["head_seq"] == AuditEvent.objects.order_by("-seq").first().seq
    assert api(world.people["chief_a"]).get("/audit/verify").status_code == 403


def _set_reason(seq: int, reason: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = %s WHERE seq = %s", [reason, seq])


def test_a_centre_verifier_learns_only_that_the_chain_is_broken_elsewhere__ORG_4(
    world, api, web, platform_admin
):
    """An altered event of another centre: alpha's verifier is told the chain is broken at an
    event they cannot see, without its number or what happened to it (ORG-3); the platform
    administrator gets both. An altered event of alpha's own is named to alpha's verifier."""
    theirs = AuditEvent.objects.filter(centre=world.beta).order_by("seq").first()
    _set_reason(theirs.seq, "改过了")
    scoped = api(world.people["admin_a"]).get("/audit/verify").json()
    assert scoped["ok"] is False and scoped["broken_seq"] is None, scoped
    assert scoped["problem"] == "审计链在您无权查看的事件处断裂；平台管理员可查看具体位置 (ORG-4)。"
    page = web(world.people["admin_a"]).get("/audit/verify/").content.decode()
    assert scoped["problem"] in page and not re.search(rf"#{theirs.seq}\b", page)
    everything = api(platform_admin).get("/audit/verify").json()
    assert everything["broken_seq"] == theirs.seq and f"#{theirs.seq}" in everything["problem"]

    _set_reason(theirs.seq, theirs.reason)
    own = AuditEvent.objects.filter(centre=world.alpha).order_by("seq").first()
    _set_reason(own.seq, "改过了")
    scoped = api(world.people["admin_a"]).get("/audit/verify").json()
    assert scoped["ok"] is False and scoped["broken_seq"] == own.seq, scoped
    assert f"#{own.seq}" in scoped["problem"]
