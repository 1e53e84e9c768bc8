"""The duty log's Chinese substring search index (DUTY-6): SQLite FTS5 with the trigram
tokenizer (kept in step by triggers), or PostgreSQL pg_trgm over UPPER(text) (what Django's
icontains compares)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE duty_logentry_fts USING fts5(text, content='duty_logentry', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER duty_logentry_fts_ai AFTER INSERT ON duty_logentry BEGIN "
    "INSERT INTO duty_logentry_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER duty_logentry_fts_ad AFTER DELETE ON duty_logentry BEGIN "
    "INSERT INTO duty_logentry_fts(duty_logentry_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "CREATE TRIGGER duty_logentry_fts_au AFTER UPDATE OF text ON duty_logentry BEGIN "
    "INSERT INTO duty_logentry_fts(duty_logentry_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO duty_logentry_fts(rowid, text) VALUES (new.id, new.text); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS duty_logentry_fts_ai",
    "DROP TRIGGER IF EXISTS duty_logentry_fts_ad",
    "DROP TRIGGER IF EXISTS duty_logentry_fts_au",
    "DROP TABLE IF EXISTS duty_logentry_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS duty_log_text_trgm ON duty_logentry "
    "USING gin (UPPER(text) gin_trgm_ops)",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS duty_log_text_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("duty", "0001_initial")]

    operations = [
        migrations.RunPython(run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE})),
    ]
