"""Work tickets, tags, four-remote checks, limit changes and setting sheets leave this app's
state for the ``work`` app (ADR 0012); their tables and rows stay (work 0001 takes them over,
work 0002 renames them). The interlock override keeps pointing at the same work tickets."""

from django.db import migrations, models

MOVED = [  # the ones others point at last
    "SettingSheetCopy",
    "SettingSheet",
    "LimitChange",
    "RemoteCheck",
    "MaintenanceTag",
    "WorkInterruption",
    "WorkSafetyMeasure",
    "WorkTicket",
]


class Migration(migrations.Migration):
    dependencies = [
        ("ops", "0004_interlock_override"),
        ("work", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="interlockoverride",
                    name="work_tickets",
                    field=models.ManyToManyField(
                        related_name="+",
                        to="work.workticket",
                        verbose_name="work tickets overridden",
                    ),
                ),
                *(migrations.DeleteModel(name=name) for name in MOVED),
            ],
            database_operations=[],
        ),
    ]
