"""The lookup while typing (CS-1) reads the phone index first, whatever the centre's size: on
SQLite the FTS5 trigram table is the outer loop of the lookup's query, so the search stops at
the tenth match. With the centre's customers as the outer loop the MATCH ran once per customer
of the centre: 1.5–65 s a lookup with 50,000 customers. On PostgreSQL the query is unsorted, so
the scan stops at the tenth match too: sorted by the customers' name it sorted every match,
13 ms for 4 digits among a million customers (bench/service_scale.py; docs/performance.md)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhiban.service.models import Customer


def test_lookup_walks_the_phone_index_and_stops_at_the_tenth_match__CS_1(cs):
    Customer.objects.bulk_create(
        Customer(centre=centre, name=f"客户{n}", phone=f"1380000{n:04d}")
        for centre in (cs.kefu, cs.kefu2)
        for n in range(200)
    )
    with CaptureQueriesContext(connection) as queries:
        r = cs.as_("agent1").get("/service/kefu/customers", data={"phone": "0000012"})
    assert r.status_code == 200, r.content
    assert len(r.json()["items"]) == 10  # 13800000012, 13800000120 … of kefu only
    assert {c["phone"][:7] for c in r.json()["items"]} == {"1380000"}
    if connection.vendor != "sqlite":
        lookup = next(q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"])
        assert "ORDER BY" not in lookup, lookup
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (COSTS OFF) " + lookup)
            plan = [row[0] for row in cursor.fetchall()]
        assert plan[0].startswith("Limit") and not any("Sort" in line for line in plan), plan
        return
    lookup = next(q["sql"] for q in queries.captured_queries if "service_customer_fts" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + lookup)
        plan = [row[3] for row in cursor.fetchall()]
    assert "VIRTUAL TABLE" in plan[0], plan  # the index first, then each match's customer
    assert "service_cust" not in plan[0], plan
