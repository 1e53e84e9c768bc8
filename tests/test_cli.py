"""The `zhiban` command: demo data, doctor, audit verify, production settings check."""

import secrets

from zhiban.core.permissions import Role

from .broker import mosquitto
from .fresh import fresh_env, zhiban


def test_demo_creates_a_living_centre_and_refreshes_without_duplicates():
    """The demo's centres, people (who hold every role between them), gateways and equipment;
    a second run changes nothing (one fresh demo serves every check: it takes most of a
    minute). It starts from a migrated database, where the demo's own migrate has nothing to do."""
    with fresh_env(start="migrated") as env:
        first = zhiban(env, "demo")
        assert first.returncode == 0, first.stderr
        assert "Zhiban#2026" in first.stdout and "zhangwei" in first.stdout
        for login in (
            "admin",
            "zhangwei",
            "liuyang",
            "zhaogang",
            "sunli",
            "xuhui",
            "mashuai",
            "linxiao",
            "luoqing",
            "tangyu",
            "heping",
            "lijun",
            "xieyan",
            "zhouting",
            "qiancheng",
            "xunuo",
            "lumin",
            "gaoxiang",
        ):
            assert login in first.stdout
        roles = zhiban(env, "shell", "-v", "0", "-c", ROLES)
        assert roles.stdout.strip() == str(sorted(r.value for r in Role))
        assert zhiban(env, "shell", "-v", "0", "-c", OLD_SHARED_GATEWAY).returncode == 0
        counts = zhiban(env, "shell", "-v", "0", "-c", COUNT)
        second = zhiban(env, "demo")
        assert second.returncode == 0, second.stderr
        assert zhiban(env, "shell", "-v", "0", "-c", COUNT).stdout == counts.stdout
        # the shared gateway login of demos before issue 10 is switched off (ORG-3, INC-1)
        active = zhiban(env, "shell", "-v", "0", "-c", GATEWAY_ACTIVE).stdout.split()
        assert active == ["False"]
        numbers = dict(line.split("=") for line in counts.stdout.split())
        assert int(numbers["centres"]) == 4 and int(numbers["teams"]) == 6
        # six in service and 木渎变 being commissioned (ACC-2)
        assert int(numbers["substations"]) == 7 and int(numbers["people"]) >= 25
        assert {
            "breaker",
            "capacitor",
            "main_transformer",
            "tap_changer",
            "bus",
            "line",
            "camera",
            "dvr",
            "fire_panel",
            "intrusion_panel",
        } <= set(numbers["kinds"].split(","))
        verify = zhiban(env, "audit", "verify")
        assert verify.returncode == 0 and "OK" in verify.stdout


OLD_SHARED_GATEWAY = """
from zhiban.org.models import *
from zhiban.core.permissions import Role
old = Person.objects.create_user(username="gateway", name="接入网关", password="x")
for code in ("suwu", "xinghu"):
    Membership.objects.create(person=old, centre=Centre.objects.get(code=code), role=Role.GATEWAY)
"""
ROLES = """
from zhiban.org.models import Membership
print(sorted(set(Membership.objects.values_list("role", flat=True))))
"""
GATEWAY_ACTIVE = """
from zhiban.org.models import Person
print(Person.objects.get(username="gateway").is_active)
"""

COUNT = """
from zhiban.org.models import *
from zhiban.core.permissions import Role
print("centres=%d" % Centre.objects.count())
print("teams=%d" % Team.objects.count())
print("substations=%d" % Site.objects.filter(kind="substation").count())
print("people=%d" % Person.objects.count())
print("roles=%d" % Membership.objects.values("role").distinct().count())
print("kinds=" + ",".join(sorted(set(Equipment.objects.values_list("kind", flat=True)))))
print("equipment=%d" % Equipment.objects.count())
"""


def test_doctor_reports_database_fonts_time_zone_and_readiness__issue_16():
    with fresh_env(start="migrated") as env:
        r = zhiban(env, "doctor")
        assert r.returncode == 0, r.stdout + r.stderr
        for label in ("database", "migrations", "redis", "mqtt", "CJK fonts", "time zones"):
            assert label in r.stdout
        # the readiness checks (issue 16): no worker runs beside this doctor
        assert "[warn] job worker: no job worker has reported" in r.stdout
        assert "[  ok] outbox: lag 0 s" in r.stdout
        assert "[warn] readiness: /readyz answers 200 degraded: worker failing" in r.stdout
        broken = zhiban({**env, "REDIS_URL": "redis://127.0.0.1:1/0"}, "doctor")
        assert broken.returncode == 1 and "[FAIL] redis" in broken.stdout
        assert "[FAIL] readiness: /readyz answers 503 not ready: redis failing" in broken.stdout


def test_production_settings_pass_the_deploy_check():
    with fresh_env(
        ZHIBAN_HTTPS="1",
        ZHIBAN_SECRET_KEY=secrets.token_urlsafe(60),
        ZHIBAN_ALLOWED_HOSTS="zhiban.example.com",
    ) as env:
        r = zhiban(env, "check", "--deploy", "--fail-level", "WARNING")
        assert r.returncode == 0, r.stdout + r.stderr


def test_bad_settings_are_refused_loudly():
    with fresh_env(ZHIBAN_SESSION_MINUTES="soon") as env:
        r = zhiban(env, "check")
        assert r.returncode != 0 and "ZHIBAN_SESSION_MINUTES" in r.stderr


def test_doctor_warns_of_a_broker_that_drops_an_offline_gateways_messages__INC_1(broker):
    """Issue 10: a broker on Mosquitto's default queue limit lost events while `doctor` said
    "mqtt ok". Now it counts what a persistent session gets after being away."""
    with fresh_env(ZHIBAN_MQTT_URL=broker.url) as env:
        good = zhiban(env, "doctor")
        assert good.returncode == 0, good.stdout + good.stderr
        assert f"[  ok] mqtt: {broker.host}:{broker.port} (mosquitto version" in good.stdout
        assert "keeps messages for an offline gateway (2000 of 2000)" in good.stdout
        with mosquitto(max_queued_messages="100") as small:
            bad = zhiban({**env, "ZHIBAN_MQTT_URL": small.url}, "doctor")
    assert bad.returncode == 0, bad.stdout + bad.stderr  # a warning, not a failure
    [line] = [line for line in bad.stdout.splitlines() if "mqtt" in line]
    assert line.startswith("[warn] mqtt:") and "kept 100 of 2000" in line, line
    assert "max_queued_messages" in line and "ADR 0008" in line
