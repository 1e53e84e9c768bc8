"""Customers found by any part of their phone number while it is typed (CS-1): SQLite FTS5
with the trigram tokenizer over ``service_customer.phone``, kept in step by triggers, or a
PostgreSQL pg_trgm GIN index over the phone (what ``LIKE '%…%'`` uses). Trigrams need three
characters; the lookup starts at four digits (``service.selectors.customers``)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS service_customer_fts USING fts5(phone, "
    "content='service_customer', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS service_customer_fts_ai AFTER INSERT ON service_customer "
    "BEGIN INSERT INTO service_customer_fts(rowid, phone) VALUES (new.id, new.phone); END",
    "CREATE TRIGGER IF NOT EXISTS service_customer_fts_ad AFTER DELETE ON service_customer "
    "BEGIN INSERT INTO service_customer_fts(service_customer_fts, rowid, phone) "
    "VALUES ('delete', old.id, old.phone); END",
    "CREATE TRIGGER IF NOT EXISTS service_customer_fts_au AFTER UPDATE OF phone "
    "ON service_customer BEGIN "
    "INSERT INTO service_customer_fts(service_customer_fts, rowid, phone) "
    "VALUES ('delete', old.id, old.phone); "
    "INSERT INTO service_customer_fts(rowid, phone) VALUES (new.id, new.phone); END",
    "INSERT INTO service_customer_fts(service_customer_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS service_customer_fts_ai",
    "DROP TRIGGER IF EXISTS service_customer_fts_ad",
    "DROP TRIGGER IF EXISTS service_customer_fts_au",
    "DROP TABLE IF EXISTS service_customer_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS service_customer_phone_trgm ON service_customer "
    "USING gin (phone gin_trgm_ops)",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS service_customer_phone_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("service", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
