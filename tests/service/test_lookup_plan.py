"""The lookup while typing (CS-1) reads the phone index first, whatever the centre's size: on
SQLite the FTS5 trigram table is the outer loop of the lookup's query, so the search stops at
the tenth match. With the centre's customers as the outer loop the MATCH ran once per customer
of the centre: 1.5–65 s a lookup with 50,000 customers (bench/service_scale.py; the figures in
docs/performance.md)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhiban.service.models import Customer


def test_lookup_walks_the_phone_index_not_the_centres_customers__CS_1(cs):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 query plan is SQLite's; PostgreSQL reads pg_trgm")
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
    lookup = next(q["sql"] for q in queries.captured_queries if "service_customer_fts" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + lookup)
        plan = [row[3] for row in cursor.fetchall()]
    assert "VIRTUAL TABLE" in plan[0], plan  # the index first, then each match's customer
    assert "service_cust" not in plan[0], plan
