"""Foundation costs, each against a floor measured in the same run:

- audited write: `site_create` (permission, form validation, version, audit hash chain) vs. a
  plain INSERT of the same row through the ORM;
- audit append alone: `audit.record` vs. a plain INSERT of the same event row without the chain;
- gap-free number: `next_number` vs. a plain UPDATE … SET last = last + 1;
- scoped API list: GET /api/centres/<c>/equipment?limit=100 (auth, scope, filters, JSON) vs. the
  raw SQL SELECT of the same 100 rows;
- chain verification: `audit.verify` per event vs. hashing the same JSON in a bare loop.

Prints one JSON line and a one-line summary of ratios (lower is better; 1.0 = the floor).
"""

from __future__ import annotations

import hashlib
import json

from _setup import report, timed
from django.db import connection, transaction
from django.test import Client

from zhiban.core import audit
from zhiban.core.actors import CLI, Source
from zhiban.core.models import AuditEvent, NumberSequence
from zhiban.core.numbering import next_number
from zhiban.org import services
from zhiban.org.models import Equipment, Site

N = 300

centre = services.centre_create(
    actor=CLI,
    source=Source.CLI,
    data={
        "code": "bench",
        "name": "Bench",
        "kind": "power",
        "time_zone": "Asia/Shanghai",
        "active": True,
    },
)
admin = services.person_create(
    actor=CLI,
    source=Source.CLI,
    centre=centre,
    data={
        "username": "bench",
        "name": "Bench",
        "password": "Bench#pass-2026",
        "role": "admin",
        "language": "zh-hans",
        "is_active": True,
    },
)
counter = iter(range(10**9))


def audited_sites():
    for _ in range(N):
        i = next(counter)
        services.site_create(
            actor=admin,
            source=Source.CLI,
            centre=centre,
            data={"code": f"A{i}", "name": f"站{i}", "kind": "substation", "active": True},
        )


def plain_sites():
    for _ in range(N):
        i = next(counter)
        with transaction.atomic():
            Site.objects.create(centre=centre, code=f"P{i}", name=f"站{i}", kind="substation")


def audit_appends():
    for _ in range(N):
        with transaction.atomic():
            audit.record(
                actor=admin, source=Source.CLI, verb="bench.event", obj=centre, after={"n": 1}
            )


def plain_events():
    for _ in range(N):
        i = next(counter)
        with transaction.atomic():
            AuditEvent.objects.create(
                seq=10**12 + i,
                at="2026-01-01T00:00:00Z",
                actor=admin,
                actor_label="x",
                source="cli",
                verb="bench.plain",
                object_type="org.centre",
                object_id="1",
                object_repr="x",
                centre=centre,
                after={"n": 1},
                prev_hash="0",
                hash=f"{i:064d}",
            )


def numbers():
    for _ in range(N):
        with transaction.atomic():
            next_number(centre, "bench", 2026)


def plain_numbers():
    NumberSequence.objects.get_or_create(centre=centre, kind="plain", year=2026)
    for _ in range(N):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE core_numbersequence SET last = last + 1 WHERE centre_id = %s "
                "AND kind = 'plain' AND year = 2026",
                [centre.pk],
            )


site = services.site_create(
    actor=admin,
    source=Source.CLI,
    centre=centre,
    data={"code": "LIST", "name": "列表站", "kind": "substation", "active": True},
)
Equipment.objects.bulk_create(
    Equipment(
        site=site,
        centre=centre,
        kind="breaker",
        name=f"开关{i}",
        dispatch_number=str(i),
        tree_path=f"/{i:010d}/",
    )
    for i in range(500)
)
client = Client()
client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")


def api_list():
    for _ in range(20):
        assert client.get("/api/centres/bench/equipment?limit=100").status_code == 200


def raw_list():
    for _ in range(20):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, site_id, parent_id, kind, name, dispatch_number, "
                "voltage_level, model_number, active, version, tree_path FROM "
                "org_equipment WHERE centre_id = %s ORDER BY tree_path LIMIT 100",
                [centre.pk],
            )
            cursor.fetchall()


def verify_chain():
    assert audit.verify().ok


def hash_floor():
    rows = list(AuditEvent.objects.filter(seq__lt=10**12).values())
    for row in rows:
        hashlib.sha256(json.dumps(row, sort_keys=True, default=str).encode()).hexdigest()


results = {}
pairs = {
    "audited_write": (audited_sites, plain_sites, N),
    "audit_append": (audit_appends, plain_events, N),
    "gap_free_number": (numbers, plain_numbers, N),
    "scoped_api_list_100": (api_list, raw_list, 20),
}
for name, (measured, floor, count) in pairs.items():
    t_measured, t_floor = timed(measured, 3), timed(floor, 3)
    results[name] = {
        "per_op_ms": round(t_measured / count * 1000, 3),
        "floor_per_op_ms": round(t_floor / count * 1000, 3),
        "ratio": round(t_measured / t_floor, 2),
    }
AuditEvent.objects.filter(verb="bench.plain").delete()  # keep the chain verifiable
events = AuditEvent.objects.count()
t_verify, t_hash = timed(verify_chain, 3), timed(hash_floor, 3)
results["verify_chain"] = {
    "events": events,
    "per_event_us": round(t_verify / events * 1e6, 1),
    "floor_per_event_us": round(t_hash / events * 1e6, 1),
    "ratio": round(t_verify / t_hash, 2),
}
report("foundation", results)
print(
    "foundation: "
    + ", ".join(f"{k} ×{v['ratio']}" for k, v in results.items())
    + " (vs. the raw floor in the same run)"
)
