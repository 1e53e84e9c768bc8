"""The tables taken over from ``ops`` get this app's names (``ops_workticket`` →
``work_workticket`` …, the many-to-many tables with them), and their content types move to this
app, so generic references (duty log entries, deadlines, phone contacts, incidents) keep
pointing at the same records (ADR 0012). Audit events keep the former labels; ``work.verbs``
maps them."""

from django.db import migrations

MOVED = [
    "workticket",
    "worksafetymeasure",
    "workinterruption",
    "maintenancetag",
    "remotecheck",
    "limitchange",
    "settingsheet",
    "settingsheetcopy",
]


def _move_content_types(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label=old, model=model).exists():
            continue  # a fresh database: post_migrate makes the new ones
        # one made under the new label before the rows moved has nothing pointing at it
        ContentType.objects.filter(app_label=new, model=model).delete()
        ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor) -> None:
    _move_content_types(apps, "ops", "work")


def backwards(apps, schema_editor) -> None:
    _move_content_types(apps, "work", "ops")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ops", "0005_work_moved_out"),
        ("work", "0001_initial"),
    ]

    operations = [
        *(migrations.AlterModelTable(name=model, table=None) for model in MOVED),
        migrations.RunPython(forwards, backwards),
    ]
