# The defect list by age (DEF-1): the open defects, oldest first (the list's default and its
# grade, owner and overdue filters), and all of them (``state=all``) page from an index, not
# from a sort of the centre's 500,000 defects (bench/defect_list.py).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("upkeep", "0002_defects_counters_acceptance"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="defect",
            index=models.Index(fields=["centre", "reported_at", "id"], name="defect_age_idx"),
        ),
        migrations.AddIndex(
            model_name="defect",
            index=models.Index(
                condition=models.Q(
                    ("state__in", ["reported", "classified", "assigned", "eliminated"])
                ),
                fields=["centre", "reported_at", "id"],
                name="defect_open_age_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="defect",
            index=models.Index(
                condition=models.Q(
                    ("state__in", ["reported", "classified", "assigned", "eliminated"])
                ),
                fields=["centre", "grade", "reported_at"],
                name="defect_open_grade_idx",
            ),
        ),
    ]
