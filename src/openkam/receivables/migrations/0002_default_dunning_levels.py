"""The usual ladder of chasing, to start from (edited in the back office)."""

from django.db import migrations

LEVELS = (
    # days after due, action, who acts, next step after (days)
    (-3, "reminder", "finance", 3),
    (1, "reminder", "finance", 7),
    (14, "call", "kam", 7),
    (30, "letter", "finance", 14),
    (60, "final", "head", 14),
    (90, "legal", "finance", 30),
)


def create(apps, schema_editor):
    level = apps.get_model("receivables", "DunningLevel")
    if level.objects.exists():
        return
    level.objects.bulk_create(
        level(days=days, action=action, owner=owner, repeat_days=repeat)
        for days, action, owner, repeat in LEVELS
    )


class Migration(migrations.Migration):
    dependencies = [("receivables", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
