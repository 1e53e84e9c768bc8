"""A system entry of the duty log is stored as a verb and its parameters (DUTY-7, issue 11
item 3). SQLite adds the columns by re-making the table, which drops the search index's
triggers (0002): they are made again, after the change either way."""

from importlib import import_module

from django.db import migrations, models

SEARCH = import_module("zhiban.duty.migrations.0002_log_search_index")
TRIGGERS = [sql for sql in SEARCH.SQLITE_REVERSE + SEARCH.SQLITE if "TRIGGER" in sql[:16]]


def triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in TRIGGERS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("duty", "0005_handover_running_incident")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, triggers_again),
        migrations.AddField(
            model_name="logentry",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.AddField(
            model_name="logentry",
            name="verb",
            field=models.CharField(blank=True, max_length=60, verbose_name="kind of entry"),
        ),
        migrations.RunPython(triggers_again, migrations.RunPython.noop),
    ]
